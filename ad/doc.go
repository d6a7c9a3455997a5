// Package ad is the Active Directory adapter: it implements the engine's
// Directory port over LDAP, LDAPS or StartTLS with go-ldap.
package ad
