// Package ad is the Active Directory adapter: it implements the engine's
// Directory port over LDAP, LDAPS or StartTLS with go-ldap.
//
// Dial connects (ldap://, ldaps:// or ldap:// with StartTLS, verified with
// the *tls.Config the settings build from the CA bundle), binds with a DN or
// a UPN, and returns a *Directory. go-ldap's calls take no context, so every
// request is bounded by Config.Timeout and ctx is checked between requests
// (and between the pages of a search). A connection the server has closed,
// as AD does after 15 idle minutes, is redialled before the next request.
//
// Reads: Accounts is one paged search (the paging control is always sent,
// pages of Config.PageSize) for (&(objectClass=user)(objectCategory=person))
// under the search base, so computer accounts, groups and contacts are left
// out; referrals are dropped. TakenNames is one paged search over every
// object class. objectGUID is decoded in Microsoft byte order (GUIDString,
// GUIDBytes); AccountByGUID reads through AD's <GUID=…> base DN.
//
// AccountsAndTakenNames does both reads in one paged subtree search on a
// connection of its own (dialled and bound exactly as Dial does), decoding
// the responses in place (raw_*.go) instead of through go-ldap's packet
// tree: for a municipality of 40,000 people that is the difference between
// 1.4 GB and a few MB of garbage. It returns exactly what Accounts plus
// TakenNames return (read_all_test.go checks that against both servers);
// plan and check use it when the directory offers it.
//
// Writes detect staleness without locks. Modify and SetDisabled express
// each change as "delete exactly the values read, add the new ones" in one
// modify; if someone changed the attribute since it was read, AD answers
// noSuchAttribute (16) and applies nothing, which is reported as KindStale.
// Where the engine read no value, the new values are added, so a
// single-valued attribute that has gained a value fails with
// attributeOrValueExists (20), also KindStale.
//
// Gap: a multi-valued attribute that was empty when read and has gained
// values since is not detected (the add succeeds alongside them). The RFC
// 4528 assertion control would close it, but neither AD nor Samba lists it
// in supportedControl, and Samba 4.17 silently ignores it even when marked
// critical, so sending it would only look safe.
//
// Every error leaving the package is an *engine.Error whose Kind comes from
// the LDAP result code (32 not found; 68 conflict; 16 and, on a modify, 20
// stale; 19/21/53/64/65 invalid; 50 permission; 49 auth; network, timeouts,
// 51/52/80 and TLS failures unavailable) and whose message names the DN (or
// the URL) and, for rejected writes, the attributes sent. The bind password
// never appears in errors.
package ad
