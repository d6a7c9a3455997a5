// Package adtest is an in-process LDAP server with Active Directory
// behaviour, for tests and demos.
//
// It speaks real LDAPv3 over TCP on 127.0.0.1 (plain, StartTLS and,
// optionally, LDAPS with a generated self-signed certificate), so the go-ldap
// adapter in package ad talks to it exactly as it talks to a Samba or Windows
// domain controller. The protocol layer is written directly on asn1-ber
// (bind, search, add, modify, delete, modifyDN, StartTLS, unbind; abandon is
// ignored). Behind it sits a real in-memory directory:
//
//   - the AD schema as dumped from Samba 4.17 (schema_*.txt): attribute
//     syntaxes decide case-insensitive or exact matching, single-valued
//     attributes, value ranges (countryCode 0–65535, title ≤ 128 chars),
//     unknown attributes and classes are refused, objectClass expands to the
//     class hierarchy (user → top/person/organizationalPerson/user);
//   - filters: and, or, not, equality, presence, substrings, >=, <=, ~= (as
//     equality), extensible match with AD's bit-AND/bit-OR rules
//     (1.2.840.113556.1.4.803/804), (objectCategory=person) short names,
//     objectGUID on escaped raw bytes;
//   - base, one-level and subtree scopes; <GUID=…> as base or target DN;
//     the paged-results control; AD's 1000-entry limit for unpaged searches
//     (sizeLimitExceeded after 1000 entries); the Configuration referral of
//     searches from the domain root;
//   - AD's write rules with Samba's result codes and messages: objectGUID,
//     objectSid and sAMAccountName generated, sAMAccountName and
//     userPrincipalName unique, userAccountControl 546 for a new user,
//     unicodePwd, DN-valued attributes that must point at existing objects
//     and follow renames and deletes, memberOf kept by the server, the
//     tree-delete and permissive-modify controls;
//   - simple bind by DN, UPN (explicit or sAMAccountName@domain) or
//     DOMAIN\sam, with AD's "data 52e"/"data 533" messages; anything but a
//     rootDSE read needs a bind.
//
// TestDifferentialAgainstSamba runs one scenario against this server and a
// Samba DC (when AD_LDAP_URL is set) and requires the same result codes and
// results. Deliberate difference: after a failed bind the connection is
// anonymous (RFC 4511, Windows AD), whereas Samba keeps the earlier identity.
//
// Start one with New, seed it with AddEntry or SeedFromMO, and point an LDAP
// client at URL or LDAPSURL, trusting CACertPEM.
package adtest
