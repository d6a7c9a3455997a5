package ad

import (
	"errors"
	"fmt"
)

// The bulk read (AccountsAndTakenNames) decodes LDAP responses itself: the
// go-ldap reader builds a tree of packets with a 512-byte buffer per value
// and copies every byte once per nesting level, which made reading a large
// domain cost more than the rest of a plan. These helpers walk BER in place,
// without allocating. LDAP uses definite lengths and one-byte tags only
// (RFC 4511 §5.1).

// BER tags of the LDAP messages and fields the bulk read handles.
const (
	berTagInteger     = 0x02
	berTagOctetString = 0x04
	berTagEnumerated  = 0x0a
	berTagSequence    = 0x30
	berTagSet         = 0x31

	ldapTagBindResponse     = 0x61 // [APPLICATION 1]
	ldapTagSearchEntry      = 0x64 // [APPLICATION 4]
	ldapTagSearchDone       = 0x65 // [APPLICATION 5]
	ldapTagSearchReference  = 0x73 // [APPLICATION 19]
	ldapTagExtendedResponse = 0x78 // [APPLICATION 24]
	ldapTagControls         = 0xa0 // [0] in LDAPMessage
)

// maxMessageLen bounds one LDAP message the bulk read accepts (an entry
// with many large values is a few megabytes at most).
const maxMessageLen = 64 << 20

var errBER = errors.New("malformed BER in the server's response")

// berNext splits the element at the front of b into its tag, its content
// and the rest of b.
func berNext(b []byte) (tag byte, content, rest []byte, err error) {
	if len(b) < 2 {
		return 0, nil, nil, errBER
	}
	tag = b[0]
	if tag&0x1f == 0x1f {
		return 0, nil, nil, fmt.Errorf("%w: multi-byte tag", errBER)
	}
	n, hdr, err := berLength(b[1:])
	if err != nil {
		return 0, nil, nil, err
	}
	b = b[1+hdr:]
	if n > len(b) {
		return 0, nil, nil, fmt.Errorf("%w: length %d beyond the %d bytes left", errBER, n, len(b))
	}
	return tag, b[:n], b[n:], nil
}

// berLength decodes a definite length; hdr is how many bytes it took.
func berLength(b []byte) (n, hdr int, err error) {
	if len(b) == 0 {
		return 0, 0, errBER
	}
	if b[0] < 0x80 {
		return int(b[0]), 1, nil
	}
	k := int(b[0] & 0x7f)
	if k == 0 {
		return 0, 0, fmt.Errorf("%w: indefinite length", errBER)
	}
	if k > 4 || len(b) < 1+k {
		return 0, 0, fmt.Errorf("%w: length of %d bytes", errBER, k)
	}
	for _, c := range b[1 : 1+k] {
		n = n<<8 | int(c)
	}
	if n < 0 || n > maxMessageLen {
		return 0, 0, fmt.Errorf("%w: length %d", errBER, n)
	}
	return n, 1 + k, nil
}

// berExpect is berNext that insists on tag want.
func berExpect(b []byte, want byte) (content, rest []byte, err error) {
	tag, content, rest, err := berNext(b)
	if err != nil {
		return nil, nil, err
	}
	if tag != want {
		return nil, nil, fmt.Errorf("%w: tag 0x%02x where 0x%02x belongs", errBER, tag, want)
	}
	return content, rest, nil
}

// berInt decodes a two's-complement INTEGER or ENUMERATED content.
func berInt(b []byte) (int64, error) {
	if len(b) == 0 || len(b) > 8 {
		return 0, fmt.Errorf("%w: integer of %d bytes", errBER, len(b))
	}
	v := int64(int8(b[0]))
	for _, c := range b[1:] {
		v = v<<8 | int64(c)
	}
	return v, nil
}

// ldapResult is the LDAPResult of a response (RFC 4511 §4.1.9).
type ldapResult struct {
	Code       uint16
	MatchedDN  string
	Diagnostic string
}

// parseResult decodes the LDAPResult fields at the front of b.
func parseResult(b []byte) (ldapResult, error) {
	code, b, err := berExpect(b, berTagEnumerated)
	if err != nil {
		return ldapResult{}, err
	}
	c, err := berInt(code)
	if err != nil {
		return ldapResult{}, err
	}
	matched, b, err := berExpect(b, berTagOctetString)
	if err != nil {
		return ldapResult{}, err
	}
	diag, _, err := berExpect(b, berTagOctetString)
	if err != nil {
		return ldapResult{}, err
	}
	return ldapResult{Code: uint16(c), MatchedDN: string(matched), Diagnostic: string(diag)}, nil
}
