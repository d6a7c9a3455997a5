package adtest

import (
	"net"
	"testing"
	"time"

	ber "github.com/go-asn1-ber/asn1-ber"
	"github.com/go-ldap/ldap/v3"
)

// rawRequest sends one LDAPMessage built from op on a fresh connection and
// returns the response's protocolOp tag and result code.
func rawRequest(t *testing.T, s *Server, op *ber.Packet) (tag ber.Tag, resultCode int64) {
	t.Helper()
	nc, err := net.Dial("tcp", s.URL()[len("ldap://"):])
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	msg := ber.Encode(ber.ClassUniversal, ber.TypeConstructed, ber.TagSequence, nil, "")
	msg.AppendChild(ber.NewInteger(ber.ClassUniversal, ber.TypePrimitive, ber.TagInteger, int64(7), ""))
	msg.AppendChild(op)
	if _, err := nc.Write(msg.Bytes()); err != nil {
		t.Fatal(err)
	}
	_ = nc.SetReadDeadline(time.Now().Add(5 * time.Second))
	resp, err := ber.ReadPacket(nc)
	if err != nil {
		t.Fatalf("read response: %v", err)
	}
	if id := resp.Children[0].Value.(int64); id != 7 {
		t.Errorf("message ID %d, want 7", id)
	}
	rop := resp.Children[1]
	if len(rop.Children) > 0 {
		resultCode, _ = rop.Children[0].Value.(int64)
	}
	return rop.Tag, resultCode
}

func TestProtocolEdges(t *testing.T) {
	s := newServer(t, Options{})

	// ModifyDN is answered with a ModifyDN response (application 13).
	mdn := ber.Encode(ber.ClassApplication, ber.TypeConstructed, ldap.ApplicationModifyDNRequest, nil, "")
	mdn.AppendChild(ber.NewString(ber.ClassUniversal, ber.TypePrimitive, ber.TagOctetString, "CN=X,"+s.BaseDN(), ""))
	mdn.AppendChild(ber.NewString(ber.ClassUniversal, ber.TypePrimitive, ber.TagOctetString, "CN=Y", ""))
	mdn.AppendChild(ber.NewBoolean(ber.ClassUniversal, ber.TypePrimitive, ber.TagBoolean, true, ""))
	if tag, rc := rawRequest(t, s, mdn); tag != ldap.ApplicationModifyDNResponse || rc != resultOperationsError {
		t.Errorf("anonymous modifyDN: tag %d code %d, want 13 / 1", tag, rc)
	}

	// A truncated search request gets a protocol error, not a hang.
	sr := ber.Encode(ber.ClassApplication, ber.TypeConstructed, ldap.ApplicationSearchRequest, nil, "")
	sr.AppendChild(ber.NewString(ber.ClassUniversal, ber.TypePrimitive, ber.TagOctetString, "", ""))
	if tag, rc := rawRequest(t, s, sr); tag != ldap.ApplicationSearchResultDone || rc != resultProtocolError {
		t.Errorf("truncated search: tag %d code %d", tag, rc)
	}

	// An unknown extended operation is a protocol error, as on Samba.
	ext := ber.Encode(ber.ClassApplication, ber.TypeConstructed, ldap.ApplicationExtendedRequest, nil, "")
	ext.AppendChild(ber.NewString(ber.ClassContext, ber.TypePrimitive, 0, "1.2.3.4", ""))
	if tag, rc := rawRequest(t, s, ext); tag != ldap.ApplicationExtendedResponse || rc != resultProtocolError {
		t.Errorf("unknown extended op: tag %d code %d", tag, rc)
	}

	// Garbage closes that connection only; the server keeps serving.
	nc, err := net.Dial("tcp", s.URL()[len("ldap://"):])
	if err != nil {
		t.Fatal(err)
	}
	_, _ = nc.Write([]byte{0x30, 0x03, 0x02, 0x01})
	nc.Close()
	if err := dial(t, s).Bind(s.BindDN(), s.Password()); err != nil {
		t.Errorf("bind after garbage: %v", err)
	}
}
