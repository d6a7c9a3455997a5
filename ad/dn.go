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
// parent DN ("" for a one-RDN DN).
func splitDN(dn string) (rdn, parent string) {
	for i := 0; i < len(dn); i++ {
		switch dn[i] {
		case '\\':
			i++ // skip the escaped character (or the first of two hex digits)
		case ',':
			return strings.TrimSpace(dn[:i]), strings.TrimSpace(dn[i+1:])
		}
	}
	return strings.TrimSpace(dn), ""
}
