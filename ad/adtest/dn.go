package adtest

import (
	"strings"
	"sync"

	"github.com/go-ldap/ldap/v3"
)

// rdn is one relative DN: AD allows a single attribute per RDN.
type rdn struct {
	typ   string // canonical type as AD writes it: CN, OU, DC, …
	value string // unescaped value
}

// String is the RDN in RFC 4514 form with the value escaped.
func (r rdn) String() string { return r.typ + "=" + ldap.EscapeDN(r.value) }

// key is the case-folded form used in indexes.
func (r rdn) key() string { return strings.ToLower(r.typ) + "=" + strings.ToLower(r.value) }

// parsedDN is a DN split into RDNs, leaf first.
type parsedDN []rdn

// parseDN parses an RFC 4514 DN. The empty string gives an empty DN.
func parseDN(s string) (parsedDN, *ldapError) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	d, err := ldap.ParseDN(s)
	if err != nil {
		return nil, errf(resultInvalidDNSyntax, "00002081: NameErr: DSID-03050F42, problem 2003 (BAD_ATT_SYNTAX), data 0, best match of:\n\t'%s'\n", s)
	}
	out := make(parsedDN, 0, len(d.RDNs))
	for _, r := range d.RDNs {
		if len(r.Attributes) != 1 {
			return nil, errf(resultNamingViolation, "00002073: multi-valued RDN %q not supported", s)
		}
		out = append(out, rdn{typ: rdnType(r.Attributes[0].Type), value: r.Attributes[0].Value})
	}
	return out, nil
}

// rdnType returns the canonical spelling of an RDN attribute type.
func rdnType(t string) string {
	switch strings.ToLower(t) {
	case "cn", "ou", "dc", "o", "l", "c", "st":
		return strings.ToUpper(t)
	}
	if a := adSchema.attr(t); a != nil {
		return a.name
	}
	return t
}

// String is the DN in RFC 4514 form.
func (d parsedDN) String() string {
	parts := make([]string, len(d))
	for i, r := range d {
		parts[i] = r.String()
	}
	return strings.Join(parts, ",")
}

// key is the case-folded DN used in indexes.
func (d parsedDN) key() string {
	parts := make([]string, len(d))
	for i, r := range d {
		parts[i] = r.key()
	}
	return strings.Join(parts, ",")
}

// parent is the DN without its leaf RDN.
func (d parsedDN) parent() parsedDN {
	if len(d) == 0 {
		return nil
	}
	return d[1:]
}

// dnKeyCache memoizes normDNKey: filters compare DN-valued attributes
// (objectCategory, manager, member) of every entry in scope.
var dnKeyCache sync.Map

// normDNKey returns the index key of a DN string, or "" when it does not parse.
func normDNKey(s string) string {
	if k, ok := dnKeyCache.Load(s); ok {
		return k.(string)
	}
	k := ""
	if d, err := parseDN(s); err == nil {
		k = d.key()
	}
	dnKeyCache.Store(s, k)
	return k
}

// dnsDomain turns DC=test,DC=local into test.local.
func dnsDomain(base parsedDN) string {
	var parts []string
	for _, r := range base {
		if strings.EqualFold(r.typ, "DC") {
			parts = append(parts, strings.ToLower(r.value))
		}
	}
	return strings.Join(parts, ".")
}
