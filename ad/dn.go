package ad

import (
	"strings"

	"moxsync/engine"
)

// EscapeRDNValue escapes an attribute value for use in a DN (RFC 4514):
// , + " \ < > ; = are backslash-escaped, as are a leading # or space and a
// trailing space; NUL becomes \00.
func EscapeRDNValue(v string) string { return engine.EscapeDNValue(v) }

// splitDN splits dn at its first unescaped comma into the RDN and the
// parent DN ("" for a one-RDN DN), without the spaces around them.
func splitDN(dn string) (rdn, parent string) {
	for i := 0; i < len(dn); i++ {
		switch dn[i] {
		case '\\':
			i++ // skip the escaped character (or the first of two hex digits)
		case ',':
			return trimDNSpace(dn[:i]), trimDNSpace(dn[i+1:])
		}
	}
	return trimDNSpace(dn), ""
}

// trimDNSpace drops the spaces around a DN or RDN, but not an escaped
// trailing space: in CN=trail\<space> the space belongs to the value.
func trimDNSpace(s string) string {
	s = strings.TrimLeft(s, " ")
	end := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
			end = min(i+1, len(s))
		case ' ':
		default:
			end = i + 1
		}
	}
	return s[:end]
}
