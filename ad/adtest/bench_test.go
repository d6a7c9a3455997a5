package adtest

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"strings"
	"testing"

	ber "github.com/go-asn1-ber/asn1-ber"

	"github.com/go-ldap/ldap/v3"
)

// seedUsers adds n person accounts under ou directly.
func seedUsers(t testing.TB, s *Server, ou string, n int) {
	t.Helper()
	for i := 0; i < n; i++ {
		attrs := user(fmt.Sprintf("u%05d", i), fmt.Sprintf("%010d", 1000000000+i))
		attrs["title"] = []string{"Sagsbehandler"}
		attrs["telephoneNumber"] = []string{fmt.Sprintf("+45 70%06d", i)}
		if err := s.AddEntry(fmt.Sprintf("CN=User %05d,%s", i, ou), attrs); err != nil {
			t.Fatal(err)
		}
	}
}

// BenchmarkPagedRead10000 reads 10,000 accounts with the attributes the
// adapter asks for, in pages of 1000, as the ad adapter does.
func BenchmarkPagedRead10000(b *testing.B) {
	s := newServer(b, Options{})
	o := ou(b, s, "Brugere")
	seedUsers(b, s, o, 10000)
	c := admin(b, s)
	attrs := []string{"objectGUID", "sAMAccountName", "userPrincipalName", "userAccountControl", "employeeID", "givenName", "sn", "mail", "title", "telephoneNumber"}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r, err := c.SearchWithPaging(ldap.NewSearchRequest(o, ldap.ScopeWholeSubtree, 0, 0, 0, false,
			"(&(objectClass=user)(objectCategory=person))", attrs, nil), 1000)
		if err != nil {
			b.Fatal(err)
		}
		if len(r.Entries) != 10000 {
			b.Fatalf("got %d entries", len(r.Entries))
		}
	}
}

// BenchmarkAdd1000 creates 1,000 users over LDAP on one connection.
func BenchmarkAdd1000(b *testing.B) {
	s := newServer(b, Options{})
	c := admin(b, s)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		o := ou(b, s, fmt.Sprintf("Bulk%d", i))
		for j := 0; j < 1000; j++ {
			if err := c.Add(addReq(fmt.Sprintf("CN=User %d,%s", j, o), user(fmt.Sprintf("b%d-%d", i, j), "0101011234"))); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkSeed10000 is AddEntry's cost for 10,000 accounts.
func BenchmarkSeed10000(b *testing.B) {
	for i := 0; i < b.N; i++ {
		s := newServer(b, Options{})
		seedUsers(b, s, ou(b, s, "Brugere"), 10000)
		s.Close()
	}
}

// readRawMessage reads one whole LDAPMessage without decoding it.
func readRawMessage(r *bufio.Reader) ([]byte, error) {
	hdr := make([]byte, 2, 6)
	if _, err := io.ReadFull(r, hdr); err != nil {
		return nil, err
	}
	n := int(hdr[1])
	if n&0x80 != 0 {
		ext := make([]byte, n&0x7f)
		if _, err := io.ReadFull(r, ext); err != nil {
			return nil, err
		}
		hdr = append(hdr, ext...)
		n = 0
		for _, b := range ext {
			n = n<<8 | int(b)
		}
	}
	body := make([]byte, n)
	if _, err := io.ReadFull(r, body); err != nil {
		return nil, err
	}
	return append(hdr, body...), nil
}

// opTag is the protocolOp tag of a raw LDAPMessage.
func opTag(raw []byte) byte {
	p := 2
	if raw[1]&0x80 != 0 {
		p += int(raw[1] & 0x7f)
	}
	return raw[p+2+int(raw[p+1])] // skip the message ID TLV
}

// rawMessage wraps op (and controls, when not nil) into an LDAPMessage.
func rawMessage(id int64, op, controls *ber.Packet) []byte {
	msg := ber.Encode(ber.ClassUniversal, ber.TypeConstructed, ber.TagSequence, nil, "")
	msg.AppendChild(ber.NewInteger(ber.ClassUniversal, ber.TypePrimitive, ber.TagInteger, id, ""))
	msg.AppendChild(op)
	if controls != nil {
		msg.AppendChild(controls)
	}
	return msg.Bytes()
}

// rawPagedSearch is a subtree search request with the paging control.
func rawPagedSearch(id int64, base, filter string, attrs []string, size uint32, cookie []byte) []byte {
	sp := ber.Encode(ber.ClassApplication, ber.TypeConstructed, ldap.ApplicationSearchRequest, nil, "")
	sp.AppendChild(ber.NewString(ber.ClassUniversal, ber.TypePrimitive, ber.TagOctetString, base, ""))
	sp.AppendChild(ber.NewInteger(ber.ClassUniversal, ber.TypePrimitive, ber.TagEnumerated, int64(ldap.ScopeWholeSubtree), ""))
	sp.AppendChild(ber.NewInteger(ber.ClassUniversal, ber.TypePrimitive, ber.TagEnumerated, int64(0), ""))
	sp.AppendChild(ber.NewInteger(ber.ClassUniversal, ber.TypePrimitive, ber.TagInteger, int64(0), ""))
	sp.AppendChild(ber.NewInteger(ber.ClassUniversal, ber.TypePrimitive, ber.TagInteger, int64(0), ""))
	sp.AppendChild(ber.NewBoolean(ber.ClassUniversal, ber.TypePrimitive, ber.TagBoolean, false, ""))
	f, err := ldap.CompileFilter(filter)
	if err != nil {
		panic(err)
	}
	sp.AppendChild(f)
	al := ber.Encode(ber.ClassUniversal, ber.TypeConstructed, ber.TagSequence, nil, "")
	for _, a := range attrs {
		al.AppendChild(ber.NewString(ber.ClassUniversal, ber.TypePrimitive, ber.TagOctetString, a, ""))
	}
	sp.AppendChild(al)
	pc := ldap.NewControlPaging(size)
	pc.SetCookie(cookie)
	ctls := ber.Encode(ber.ClassContext, ber.TypeConstructed, 0, nil, "")
	ctls.AppendChild(pc.Encode())
	return rawMessage(id, sp, ctls)
}

// BenchmarkServerPagedSearch10000 measures the server alone: a raw client
// sends the paged search requests and skips the entries undecoded, so
// go-ldap's client-side BER decoding is not counted.
func BenchmarkServerPagedSearch10000(b *testing.B) {
	s := newServer(b, Options{})
	o := ou(b, s, "Brugere")
	seedUsers(b, s, o, 10000)
	nc, err := net.Dial("tcp", strings.TrimPrefix(s.URL(), "ldap://"))
	if err != nil {
		b.Fatal(err)
	}
	defer nc.Close()
	r := bufio.NewReaderSize(nc, 64<<10)
	bind := ber.Encode(ber.ClassApplication, ber.TypeConstructed, ldap.ApplicationBindRequest, nil, "")
	bind.AppendChild(ber.NewInteger(ber.ClassUniversal, ber.TypePrimitive, ber.TagInteger, int64(3), ""))
	bind.AppendChild(ber.NewString(ber.ClassUniversal, ber.TypePrimitive, ber.TagOctetString, s.BindDN(), ""))
	bind.AppendChild(ber.NewString(ber.ClassContext, ber.TypePrimitive, 0, s.Password(), ""))
	if _, err := nc.Write(rawMessage(1, bind, nil)); err != nil {
		b.Fatal(err)
	}
	if _, err := readRawMessage(r); err != nil {
		b.Fatal(err)
	}
	attrs := []string{"objectGUID", "sAMAccountName", "userPrincipalName", "userAccountControl", "employeeID", "givenName", "sn", "mail", "title", "telephoneNumber"}
	id := int64(1)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var cookie []byte
		entries := 0
		for {
			id++
			if _, err := nc.Write(rawPagedSearch(id, o, "(&(objectClass=user)(objectCategory=person))", attrs, 1000, cookie)); err != nil {
				b.Fatal(err)
			}
			var raw []byte
			for {
				if raw, err = readRawMessage(r); err != nil {
					b.Fatal(err)
				}
				if opTag(raw) != tagSearchEntry {
					break
				}
				entries++
			}
			done := ber.DecodePacket(raw)
			if len(done.Children) < 3 {
				b.Fatalf("search done without controls")
			}
			ctl := done.Children[2].Children[0]
			val := ber.DecodePacket(ctl.Children[len(ctl.Children)-1].Data.Bytes())
			cookie = val.Children[1].Data.Bytes()
			if len(cookie) == 0 {
				break
			}
		}
		if entries != 10000 {
			b.Fatalf("%d entries", entries)
		}
	}
}
