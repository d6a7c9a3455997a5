package adtest

import (
	"bufio"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"io"
	"log/slog"
	"net"

	ber "github.com/go-asn1-ber/asn1-ber"
	"github.com/go-ldap/ldap/v3"
)

// maxPagedSearches bounds the paged searches one connection keeps open
// (AD's MaxResultSetsPerConn is 10).
const maxPagedSearches = 10

// conn is one client connection. Requests are handled one at a time, in
// order, which is what go-ldap and AD clients expect of paged searches.
type conn struct {
	srv     *Server
	nc      net.Conn
	r       *bufio.Reader
	tls     bool
	bound   *entry
	pages   map[string]*pagedSearch
	pageSeq []string
	log     *slog.Logger
}

// request is a decoded LDAPMessage.
type request struct {
	id       int64
	op       *ber.Packet
	controls map[string]control
}

type control struct {
	critical bool
	value    []byte
}

func (c *conn) serve() {
	defer c.nc.Close()
	defer func() {
		// A request this server cannot digest must not take the test binary down.
		if r := recover(); r != nil {
			c.log.Error("adtest: connection handler panicked", "panic", r)
		}
	}()
	for {
		p, err := ber.ReadPacket(c.r)
		if err != nil {
			if !errors.Is(err, io.EOF) && !errors.Is(err, net.ErrClosed) {
				c.log.Debug("adtest: read request", "err", err)
			}
			return
		}
		req, ok := decodeRequest(p)
		if !ok {
			c.log.Debug("adtest: malformed LDAP message")
			return
		}
		if !c.handle(req) {
			return
		}
	}
}

func decodeRequest(p *ber.Packet) (*request, bool) {
	if len(p.Children) < 2 {
		return nil, false
	}
	id, ok := p.Children[0].Value.(int64)
	if !ok {
		return nil, false
	}
	req := &request{id: id, op: p.Children[1], controls: map[string]control{}}
	if len(p.Children) > 2 {
		for _, cp := range p.Children[2].Children {
			if len(cp.Children) == 0 {
				continue
			}
			ctl := control{}
			oid := string(cp.Children[0].Data.Bytes())
			for _, x := range cp.Children[1:] {
				switch x.Tag {
				case ber.TagBoolean:
					ctl.critical, _ = x.Value.(bool)
				case ber.TagOctetString:
					ctl.value = x.Data.Bytes()
				}
			}
			req.controls[oid] = ctl
		}
	}
	return req, true
}

func (c *conn) write(b []byte) bool {
	if _, err := c.nc.Write(b); err != nil {
		c.log.Debug("adtest: write response", "err", err)
		return false
	}
	return true
}

// result sends an LDAPResult-shaped response with the given op tag.
func (c *conn) result(id int64, tag byte, lerr *ldapError, extra []byte, controls []byte) bool {
	var content []byte
	if lerr == nil {
		content = resultContent(resultSuccess, "", "")
	} else {
		content = resultContent(lerr.code, lerr.matched, lerr.msg)
	}
	content = append(content, extra...)
	return c.write(envelope(id, wrap(tag, content), controls))
}

// handle answers one request; false closes the connection.
func (c *conn) handle(req *request) bool {
	if req.op.ClassType != ber.ClassApplication {
		return false
	}
	switch req.op.Tag {
	case ldap.ApplicationBindRequest:
		return c.bind(req)
	case ldap.ApplicationUnbindRequest:
		return false
	case ldap.ApplicationSearchRequest:
		return c.search(req)
	case ldap.ApplicationModifyRequest:
		return c.modify(req)
	case ldap.ApplicationAddRequest:
		return c.add(req)
	case ldap.ApplicationDelRequest:
		return c.del(req)
	case ldap.ApplicationModifyDNRequest:
		return c.modifyDN(req)
	case ldap.ApplicationCompareRequest:
		return c.result(req.id, 0x6f, errf(resultUnwillingToPerform, "compare is not supported by adtest"), nil, nil)
	case ldap.ApplicationAbandonRequest:
		return true
	case ldap.ApplicationExtendedRequest:
		return c.extended(req)
	}
	return c.result(req.id, tagExtendedResp, errf(resultProtocolError, "unknown operation %d", req.op.Tag), nil, nil)
}

// needBind is AD's answer to anything but a rootDSE read before a bind.
func (c *conn) needBind() *ldapError {
	if c.bound != nil {
		return nil
	}
	return &ldapError{code: resultOperationsError, msg: msgNeedBind}
}

func (c *conn) bind(req *request) bool {
	ch := req.op.Children
	if len(ch) < 3 {
		return c.result(req.id, tagBindResponse, errf(resultProtocolError, "malformed bind request"), nil, nil)
	}
	name := string(ch[1].Data.Bytes())
	c.bound = nil
	if ch[2].ClassType != ber.ClassContext || ch[2].Tag != 0 {
		return c.result(req.id, tagBindResponse, errf(resultAuthMethodNotSupported, "00002027: adtest supports only simple binds"), nil, nil)
	}
	password := string(ch[2].Data.Bytes())
	if password == "" {
		// An empty password is an anonymous (unauthenticated) bind in AD.
		return c.result(req.id, tagBindResponse, nil, nil, nil)
	}
	if c.srv.opts.RequireStrongAuth && !c.tls {
		return c.result(req.id, tagBindResponse, errf(resultStrongAuthRequired, "BindSimple: Transport encryption required."), nil, nil)
	}
	e, lerr := c.srv.dir.authenticate(name, password)
	if lerr == nil {
		c.bound = e
	}
	return c.result(req.id, tagBindResponse, lerr, nil, nil)
}

func (c *conn) extended(req *request) bool {
	var name string
	if len(req.op.Children) > 0 {
		name = string(req.op.Children[0].Data.Bytes())
	}
	if name != oidStartTLS {
		return c.result(req.id, tagExtendedResp, errf(resultProtocolError, "extended operation %s is not supported", name), nil, nil)
	}
	if c.tls {
		return c.result(req.id, tagExtendedResp, errf(resultOperationsError, "TLS is already active"), nil, nil)
	}
	if !c.result(req.id, tagExtendedResp, nil, appendString(nil, tagExtRespName, oidStartTLS), nil) {
		return false
	}
	tc := tls.Server(c.nc, c.srv.tlsConfig)
	if err := tc.Handshake(); err != nil {
		c.log.Debug("adtest: StartTLS handshake", "err", err)
		return false
	}
	c.nc, c.r, c.tls = tc, bufio.NewReader(tc), true
	return true
}

func (c *conn) add(req *request) bool {
	if lerr := c.needBind(); lerr != nil {
		return c.result(req.id, tagAddResponse, lerr, nil, nil)
	}
	ch := req.op.Children
	if len(ch) < 2 {
		return c.result(req.id, tagAddResponse, errf(resultProtocolError, "malformed add request"), nil, nil)
	}
	in := make([]attrInput, 0, len(ch[1].Children))
	for _, a := range ch[1].Children {
		if len(a.Children) < 2 {
			continue
		}
		in = append(in, attrInput{name: string(a.Children[0].Data.Bytes()), vals: values(a.Children[1])})
	}
	d := c.srv.dir
	d.mu.Lock()
	_, lerr := d.addEntry(string(ch[0].Data.Bytes()), in, false)
	d.mu.Unlock()
	return c.result(req.id, tagAddResponse, lerr, nil, nil)
}

func values(set *ber.Packet) []string {
	out := make([]string, 0, len(set.Children))
	for _, v := range set.Children {
		out = append(out, string(v.Data.Bytes()))
	}
	return out
}

func (c *conn) modify(req *request) bool {
	if lerr := c.needBind(); lerr != nil {
		return c.result(req.id, tagModifyResponse, lerr, nil, nil)
	}
	ch := req.op.Children
	if len(ch) < 2 {
		return c.result(req.id, tagModifyResponse, errf(resultProtocolError, "malformed modify request"), nil, nil)
	}
	var changes []change
	for _, m := range ch[1].Children {
		if len(m.Children) < 2 || len(m.Children[1].Children) < 2 {
			return c.result(req.id, tagModifyResponse, errf(resultProtocolError, "malformed modification"), nil, nil)
		}
		op, _ := m.Children[0].Value.(int64)
		mod := m.Children[1]
		changes = append(changes, change{op: int(op), name: string(mod.Children[0].Data.Bytes()), vals: values(mod.Children[1])})
	}
	_, permissive := req.controls[oidPermissiveModify]
	d := c.srv.dir
	d.mu.Lock()
	lerr := d.modifyEntry(string(ch[0].Data.Bytes()), changes, false, permissive)
	d.mu.Unlock()
	return c.result(req.id, tagModifyResponse, lerr, nil, nil)
}

func (c *conn) del(req *request) bool {
	if lerr := c.needBind(); lerr != nil {
		return c.result(req.id, tagDelResponse, lerr, nil, nil)
	}
	_, tree := req.controls[oidTreeDelete]
	d := c.srv.dir
	d.mu.Lock()
	lerr := d.deleteEntry(string(req.op.Data.Bytes()), tree)
	d.mu.Unlock()
	return c.result(req.id, tagDelResponse, lerr, nil, nil)
}

func (c *conn) modifyDN(req *request) bool {
	if lerr := c.needBind(); lerr != nil {
		return c.result(req.id, tagModDNResponse, lerr, nil, nil)
	}
	ch := req.op.Children
	if len(ch) < 3 {
		return c.result(req.id, tagModDNResponse, errf(resultProtocolError, "malformed modifyDN request"), nil, nil)
	}
	deleteOld, _ := ch[2].Value.(bool)
	var superior string
	if len(ch) > 3 {
		superior = string(ch[3].Data.Bytes())
	}
	d := c.srv.dir
	d.mu.Lock()
	lerr := d.renameEntry(string(ch[0].Data.Bytes()), string(ch[1].Data.Bytes()), deleteOld, superior)
	d.mu.Unlock()
	return c.result(req.id, tagModDNResponse, lerr, nil, nil)
}

// newCookie is an opaque paged-results cookie.
func newCookie() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
