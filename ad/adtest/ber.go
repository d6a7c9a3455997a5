package adtest

// A minimal BER encoder for responses: appending to byte slices is much
// cheaper than building ber.Packet trees for thousands of search entries.

// BER tags of LDAP responses (RFC 4511).
const (
	tagSequence        = 0x30
	tagSet             = 0x31
	tagOctetString     = 0x04
	tagInteger         = 0x02
	tagEnumerated      = 0x0a
	tagBoolean         = 0x01
	tagBindResponse    = 0x61
	tagSearchEntry     = 0x64
	tagSearchDone      = 0x65
	tagModifyResponse  = 0x67
	tagAddResponse     = 0x69
	tagDelResponse     = 0x6b
	tagModDNResponse   = 0x6d
	tagSearchReference = 0x73
	tagExtendedResp    = 0x78
	tagControls        = 0xa0
	tagExtRespName     = 0x8a
)

// lenSize is the number of bytes the BER length n needs.
func lenSize(n int) int {
	switch {
	case n < 0x80:
		return 1
	case n < 0x100:
		return 2
	case n < 0x10000:
		return 3
	case n < 0x1000000:
		return 4
	}
	return 5
}

// tlvSize is the size of a whole TLV with n content bytes.
func tlvSize(n int) int { return 1 + lenSize(n) + n }

func appendHeader(b []byte, tag byte, n int) []byte {
	b = append(b, tag)
	switch {
	case n < 0x80:
		return append(b, byte(n))
	case n < 0x100:
		return append(b, 0x81, byte(n))
	case n < 0x10000:
		return append(b, 0x82, byte(n>>8), byte(n))
	case n < 0x1000000:
		return append(b, 0x83, byte(n>>16), byte(n>>8), byte(n))
	}
	return append(b, 0x84, byte(n>>24), byte(n>>16), byte(n>>8), byte(n))
}

func appendString(b []byte, tag byte, s string) []byte {
	return append(appendHeader(b, tag, len(s)), s...)
}

// intBytes is the two's-complement big-endian content of v.
func intBytes(v int64) []byte {
	n := 1
	for x := v; x > 127 || x < -128; x >>= 8 {
		n++
	}
	out := make([]byte, n)
	for i := n - 1; i >= 0; i-- {
		out[i] = byte(v)
		v >>= 8
	}
	return out
}

func appendInt(b []byte, tag byte, v int64) []byte {
	c := intBytes(v)
	return append(appendHeader(b, tag, len(c)), c...)
}

// wrap returns tag+length+content.
func wrap(tag byte, content []byte) []byte {
	return append(appendHeader(make([]byte, 0, tlvSize(len(content))), tag, len(content)), content...)
}

// envelope builds an LDAPMessage from a message ID, a complete protocolOp
// TLV and an optional complete controls TLV.
func envelope(id int64, op, controls []byte) []byte {
	idc := intBytes(id)
	n := tlvSize(len(idc)) + len(op) + len(controls)
	b := make([]byte, 0, tlvSize(n))
	b = appendHeader(b, tagSequence, n)
	b = append(appendHeader(b, tagInteger, len(idc)), idc...)
	b = append(b, op...)
	return append(b, controls...)
}

// resultContent is the LDAPResult body: resultCode, matchedDN, diagnosticMessage.
func resultContent(code int, matched, msg string) []byte {
	b := appendInt(nil, tagEnumerated, int64(code))
	b = appendString(b, tagOctetString, matched)
	return appendString(b, tagOctetString, msg)
}

// controlTLV encodes one control with an optional value.
func controlTLV(oid string, value []byte) []byte {
	c := appendString(nil, tagOctetString, oid)
	if value != nil {
		c = appendString(c, tagOctetString, string(value))
	}
	return wrap(tagSequence, c)
}
