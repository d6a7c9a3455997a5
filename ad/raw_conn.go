package ad

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"time"

	ber "github.com/go-asn1-ber/asn1-ber"
	"github.com/go-ldap/ldap/v3"
)

// rawConn is a bound LDAP connection of the bulk read: requests are encoded
// with go-asn1-ber (they are few), responses decoded in place (raw_ber.go)
// into a buffer reused for every message. One request at a time; not safe
// for concurrent use.
type rawConn struct {
	nc      net.Conn
	br      *bufio.Reader
	timeout time.Duration
	nextID  int64
	buf     []byte
}

// rawMessage is one LDAP response; its slices point into the connection's
// buffer and are valid until the next read.
type rawMessage struct {
	ID       int64
	Tag      byte   // of the protocolOp
	Op       []byte // the protocolOp's content
	Controls []byte // the content of [0] controls, if any
}

// dialRaw connects and binds as Dial does (same URL, TLS, StartTLS, bind
// name and timeouts), for one bulk read. Errors are classified.
func (d *Directory) dialRaw(ctx context.Context) (*rawConn, error) {
	cfg := d.cfg
	nc, host, key, err := dialTransport(ctx, cfg, d.url)
	if err != nil {
		return nil, err
	}
	dctx, cancel := context.WithTimeout(ctx, cfg.Timeout)
	defer cancel()
	c := &rawConn{nc: nc, br: bufio.NewReaderSize(nc, 64<<10), timeout: cfg.Timeout}
	if cfg.StartTLS {
		if err := c.startTLS(dctx, cfg.tlsConfig(host)); err != nil {
			c.nc.Close()
			return nil, classify(opConnect, key+" (StartTLS)", err)
		}
	}
	if err := c.bind(ctx, cfg.BindDN, cfg.Password); err != nil {
		c.nc.Close()
		return nil, classify(opBind, cfg.BindDN+" at "+key, err)
	}
	return c, nil
}

// Close sends an unbind and closes the connection.
func (c *rawConn) Close() error {
	_ = c.nc.SetWriteDeadline(time.Now().Add(time.Second))
	_, _ = c.send(ber.NewString(ber.ClassApplication, ber.TypePrimitive, 2, "", "Unbind Request"), nil)
	return c.nc.Close()
}

// startTLS runs the StartTLS extended operation and the TLS handshake.
func (c *rawConn) startTLS(ctx context.Context, tc *tls.Config) error {
	op := ber.Encode(ber.ClassApplication, ber.TypeConstructed, 23, nil, "Extended Request")
	op.AppendChild(ber.NewString(ber.ClassContext, ber.TypePrimitive, 0, "1.3.6.1.4.1.1466.20037", "StartTLS"))
	m, err := c.roundTrip(ctx, op, nil, ldapTagExtendedResponse)
	if err != nil {
		return err
	}
	if err := resultError(m.Op); err != nil {
		return err
	}
	if c.br.Buffered() > 0 {
		return errors.New("the server sent data before the TLS handshake")
	}
	t := tls.Client(c.nc, tc)
	if err := t.HandshakeContext(ctx); err != nil {
		return fmt.Errorf("TLS handshake failed (%w)", err)
	}
	c.nc = t
	c.br.Reset(t)
	return nil
}

// bind makes a simple bind.
func (c *rawConn) bind(ctx context.Context, name, password string) error {
	if password == "" {
		return ldap.NewError(ldap.ErrorEmptyPassword, errors.New("ldap: empty password not allowed by the client"))
	}
	op := ber.Encode(ber.ClassApplication, ber.TypeConstructed, 0, nil, "Bind Request")
	op.AppendChild(ber.NewInteger(ber.ClassUniversal, ber.TypePrimitive, ber.TagInteger, 3, "Version"))
	op.AppendChild(ber.NewString(ber.ClassUniversal, ber.TypePrimitive, ber.TagOctetString, name, "User Name"))
	op.AppendChild(ber.NewString(ber.ClassContext, ber.TypePrimitive, 0, password, "Password"))
	m, err := c.roundTrip(ctx, op, nil, ldapTagBindResponse)
	if err != nil {
		return err
	}
	return resultError(m.Op)
}

// roundTrip sends one request and reads its single response, which must
// have tag want.
func (c *rawConn) roundTrip(ctx context.Context, op, controls *ber.Packet, want byte) (rawMessage, error) {
	stop := c.watch(ctx)
	defer stop()
	id, err := c.send(op, controls)
	if err != nil {
		return rawMessage{}, ctxOr(ctx, err)
	}
	m, err := c.read(id)
	if err != nil {
		return rawMessage{}, ctxOr(ctx, err)
	}
	if m.Tag != want {
		return rawMessage{}, fmt.Errorf("%w: response 0x%02x where 0x%02x belongs", errBER, m.Tag, want)
	}
	return m, nil
}

// watch bounds the exchange that follows by the request timeout and ends
// it when ctx is done; call the returned func when it is over.
func (c *rawConn) watch(ctx context.Context) (stop func()) {
	_ = c.nc.SetDeadline(time.Now().Add(c.timeout))
	after := context.AfterFunc(ctx, func() { _ = c.nc.SetDeadline(time.Unix(1, 0)) })
	return func() { after() }
}

// send writes one LDAPMessage and returns its message ID.
func (c *rawConn) send(op, controls *ber.Packet) (int64, error) {
	c.nextID++
	msg := ber.Encode(ber.ClassUniversal, ber.TypeConstructed, ber.TagSequence, nil, "LDAP Request")
	msg.AppendChild(ber.NewInteger(ber.ClassUniversal, ber.TypePrimitive, ber.TagInteger, c.nextID, "MessageID"))
	msg.AppendChild(op)
	if controls != nil {
		msg.AppendChild(controls)
	}
	_, err := c.nc.Write(msg.Bytes())
	return c.nextID, err
}

// read reads the next LDAPMessage, which must answer request id (a Notice
// of Disconnection, ID 0, is an error).
func (c *rawConn) read(id int64) (rawMessage, error) {
	tag, err := c.br.ReadByte()
	if err != nil {
		return rawMessage{}, unexpectedEOF(err)
	}
	if tag != berTagSequence {
		return rawMessage{}, fmt.Errorf("%w: message tag 0x%02x", errBER, tag)
	}
	var hdr [5]byte
	if hdr[0], err = c.br.ReadByte(); err != nil {
		return rawMessage{}, unexpectedEOF(err)
	}
	if k := int(hdr[0] & 0x7f); hdr[0] >= 0x80 && k <= 4 {
		if _, err := io.ReadFull(c.br, hdr[1:1+k]); err != nil {
			return rawMessage{}, unexpectedEOF(err)
		}
	}
	n, _, err := berLength(hdr[:])
	if err != nil {
		return rawMessage{}, err
	}
	if cap(c.buf) < n {
		c.buf = make([]byte, n, max(n, 2*cap(c.buf)))
	}
	c.buf = c.buf[:n]
	if _, err := io.ReadFull(c.br, c.buf); err != nil {
		return rawMessage{}, unexpectedEOF(err)
	}
	idb, rest, err := berExpect(c.buf, berTagInteger)
	if err != nil {
		return rawMessage{}, err
	}
	var m rawMessage
	if m.ID, err = berInt(idb); err != nil {
		return rawMessage{}, err
	}
	if m.Tag, m.Op, rest, err = berNext(rest); err != nil {
		return rawMessage{}, err
	}
	if len(rest) > 0 {
		tag, ctl, _, err := berNext(rest)
		if err != nil {
			return rawMessage{}, err
		}
		if tag == ldapTagControls {
			m.Controls = ctl
		}
	}
	if m.ID == 0 && m.Tag == ldapTagExtendedResponse {
		if err := resultError(m.Op); err != nil {
			return rawMessage{}, fmt.Errorf("the server disconnected: %w", err)
		}
		return rawMessage{}, errors.New("the server disconnected")
	}
	if m.ID != id {
		return rawMessage{}, fmt.Errorf("%w: response to message %d where %d was asked", errBER, m.ID, id)
	}
	return m, nil
}

// resultError is the *ldap.Error of a response whose LDAPResult is not
// success, as go-ldap reports it (so classify treats both alike).
func resultError(op []byte) error {
	r, err := parseResult(op)
	if err != nil {
		return err
	}
	if r.Code == ldap.LDAPResultSuccess {
		return nil
	}
	return &ldap.Error{ResultCode: r.Code, MatchedDN: r.MatchedDN, Err: errors.New(r.Diagnostic)}
}

// ctxOr prefers ctx's error: a deadline forced by cancellation shows as a
// timeout on the socket.
func ctxOr(ctx context.Context, err error) error {
	if cerr := ctx.Err(); cerr != nil {
		return cerr
	}
	return err
}

func unexpectedEOF(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}
