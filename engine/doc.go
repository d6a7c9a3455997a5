// Package engine is the domain core of moxsync: the model of what MO, AD and
// STS hold, the username generator, the mappings between the systems, the
// diff that turns three reads into a plan of field-level changes, and the
// apply loop with its safety rules and audit log.
//
// It declares the interfaces (ports) it needs from the outside world in
// ports.go; the adapters in mo/, ad/ and sts/ implement them and return the
// types declared here. The engine imports no project package, no Charm
// package, no ini parser, no LDAP and no HTTP client.
package engine
