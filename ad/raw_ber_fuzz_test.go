package ad

import (
	"bufio"
	"bytes"
	"strings"
	"testing"

	ber "github.com/go-asn1-ber/asn1-ber"
)

// FuzzRawBER feeds arbitrary bytes to the bulk read's own BER decoding, as
// the DC's answer on the wire: reading messages and decoding entries,
// results and paging cookies must never panic, and every decoded entry
// must point into the message. Then it encodes an entry made of the bytes
// with go-asn1-ber (the library go-ldap uses) and demands parseEntry give
// back exactly that entry.
func FuzzRawBER(f *testing.F) {
	f.Add(fuzzEntryBytes("CN=Jens Hansen,OU=Brugere,DC=kommune,DC=dk", [][]byte{[]byte("sAMAccountName"), []byte("jhans")}))
	f.Add(fuzzEntryBytes(strings.Repeat("x", 130), [][]byte{[]byte("objectGUID"), bytes.Repeat([]byte{0x80}, 16), []byte("member"), bytes.Repeat([]byte("CN=a,"), 10)}))
	f.Add([]byte("\x30\x0c\x02\x01\x01\x65\x07\x0a\x01\x00\x04\x00\x04\x00"))
	f.Add([]byte("\x30\x84\x00\x00\x00\x05\x02\x01\x01\x73\x00"))
	f.Add([]byte("\x30\x80\x02\x01\x01"))
	f.Add([]byte("\x30\x85\xff\xff\xff\xff\xff"))
	f.Add([]byte("\x30\x03\x02\x09\x01"))
	f.Fuzz(func(t *testing.T, data []byte) {
		data = data[:min(len(data), 1024)] // longer only slows the fuzzer's minimizing
		decodeWire(t, data)
		dn, vals := fuzzEntryParts(data)
		encoded := fuzzEntryBytes(string(dn), vals)
		m := readOne(t, encoded)
		if m.Tag != ldapTagSearchEntry {
			t.Fatalf("the encoded entry reads as tag 0x%02x", m.Tag)
		}
		var e rawEntry
		if err := parseEntry(m.Op, &e); err != nil {
			t.Fatalf("parseEntry of an entry go-asn1-ber encoded: %v", err)
		}
		if !bytes.Equal(e.DN, dn) || len(e.Attrs) != (len(vals)+1)/2 {
			t.Fatalf("entry %q with %d attributes, want %q with %d", e.DN, len(e.Attrs), dn, (len(vals)+1)/2)
		}
		for i, a := range e.Attrs {
			var want []byte
			if 2*i+1 < len(vals) {
				want = vals[2*i+1]
			}
			if !bytes.Equal(a.Name, vals[2*i]) || len(a.Vals) != 1 || !bytes.Equal(a.Vals[0], want) {
				t.Fatalf("attribute %d = %q %q, want %q %q", i, a.Name, a.Vals, vals[2*i], want)
			}
		}
	})
}

func bufioReader(b []byte) *bufio.Reader { return bufio.NewReader(bytes.NewReader(b)) }

// decodeWire reads data as a stream of LDAP messages and decodes each as
// the bulk read would.
func decodeWire(t *testing.T, data []byte) {
	c := &rawConn{br: bufioReader(data)}
	var e rawEntry
	for range 8 {
		m, err := c.read(1)
		if err != nil {
			return
		}
		switch m.Tag {
		case ldapTagSearchEntry:
			if parseEntry(m.Op, &e) == nil {
				for _, p := range append([][]byte{e.DN}, attrBytes(e)...) {
					if len(p) > 0 && !within(p, c.buf) {
						t.Fatalf("decoded %q points outside the message", p)
					}
				}
			}
		default:
			_ = resultError(m.Op)
			_, _ = pagingCookie(m.Controls)
		}
	}
}

func attrBytes(e rawEntry) [][]byte {
	var out [][]byte
	for _, a := range e.Attrs {
		out = append(out, a.Name)
		out = append(out, a.Vals...)
	}
	return out
}

// within reports whether p is a sub-slice of buf's backing array.
func within(p, buf []byte) bool {
	full := buf[:cap(buf)]
	for i := range full {
		if &full[i] == &p[0] {
			return i+len(p) <= len(full)
		}
	}
	return false
}

// readOne reads the single message in b.
func readOne(t *testing.T, b []byte) rawMessage {
	t.Helper()
	c := &rawConn{br: bufioReader(b)}
	m, err := c.read(1)
	if err != nil {
		t.Fatalf("reading a message go-asn1-ber encoded: %v (% x)", err, b)
	}
	return m
}

// fuzzEntryParts splits data at 0xff bytes: the DN, then attribute names
// and values alternating (a name without value gets an empty one).
func fuzzEntryParts(data []byte) (dn []byte, vals [][]byte) {
	parts := bytes.Split(data, []byte{0xff})
	return parts[0], parts[1:]
}

// fuzzEntryBytes encodes LDAPMessage{1, SearchResultEntry{dn, attrs}} with
// go-asn1-ber; vals alternate attribute names and single values.
func fuzzEntryBytes(dn string, vals [][]byte) []byte {
	msg := ber.Encode(ber.ClassUniversal, ber.TypeConstructed, ber.TagSequence, nil, "LDAP Response")
	msg.AppendChild(ber.NewInteger(ber.ClassUniversal, ber.TypePrimitive, ber.TagInteger, int64(1), "MessageID"))
	op := ber.Encode(ber.ClassApplication, ber.TypeConstructed, ber.Tag(ldapTagSearchEntry&0x1f), nil, "Search Result Entry")
	op.AppendChild(ber.NewString(ber.ClassUniversal, ber.TypePrimitive, ber.TagOctetString, dn, "DN"))
	list := ber.Encode(ber.ClassUniversal, ber.TypeConstructed, ber.TagSequence, nil, "Attributes")
	for i := 0; i < len(vals); i += 2 {
		attr := ber.Encode(ber.ClassUniversal, ber.TypeConstructed, ber.TagSequence, nil, "Attribute")
		attr.AppendChild(ber.NewString(ber.ClassUniversal, ber.TypePrimitive, ber.TagOctetString, string(vals[i]), "Name"))
		set := ber.Encode(ber.ClassUniversal, ber.TypeConstructed, ber.TagSet, nil, "Values")
		v := []byte{}
		if i+1 < len(vals) {
			v = vals[i+1]
		}
		set.AppendChild(ber.NewString(ber.ClassUniversal, ber.TypePrimitive, ber.TagOctetString, string(v), "Value"))
		attr.AppendChild(set)
		list.AppendChild(attr)
	}
	op.AppendChild(list)
	msg.AppendChild(op)
	return msg.Bytes()
}
