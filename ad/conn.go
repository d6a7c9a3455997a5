package ad

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"net/url"
	"time"

	"github.com/go-ldap/ldap/v3"
)

// ldapConn is the part of *ldap.Conn the adapter uses.
type ldapConn interface {
	Search(*ldap.SearchRequest) (*ldap.SearchResult, error)
	Add(*ldap.AddRequest) error
	Modify(*ldap.ModifyRequest) error
	ModifyDN(*ldap.ModifyDNRequest) error
	SetTimeout(time.Duration)
	IsClosing() bool
	Close() error
}

var _ ldapConn = (*ldap.Conn)(nil)

// dialTransport opens the TCP connection to u, with the TLS handshake for
// ldaps://, both bounded by ctx and cfg.Timeout. It returns the connection,
// the host (the TLS server name for StartTLS) and the key that names the
// server in errors. Errors are classified.
func dialTransport(ctx context.Context, cfg Config, u *url.URL) (nc net.Conn, host, key string, err error) {
	host, port, err := net.SplitHostPort(u.Host)
	if err != nil {
		host, port = u.Host, ""
	}
	if port == "" {
		port = ldap.DefaultLdapPort
		if u.Scheme == "ldaps" {
			port = ldap.DefaultLdapsPort
		}
	}
	key = u.Scheme + "://" + net.JoinHostPort(host, port)
	ctx, cancel := context.WithTimeout(ctx, cfg.Timeout)
	defer cancel()
	d := net.Dialer{Timeout: cfg.Timeout}
	nc, err = d.DialContext(ctx, "tcp", net.JoinHostPort(host, port))
	if err != nil {
		return nil, "", "", classify(opConnect, key, err)
	}
	if u.Scheme == "ldaps" {
		tc := tls.Client(nc, cfg.tlsConfig(host))
		if err := tc.HandshakeContext(ctx); err != nil {
			nc.Close()
			return nil, "", "", classify(opConnect, key, fmt.Errorf("TLS handshake failed (%w)", err))
		}
		nc = tc
	}
	return nc, host, key, nil
}

// connect dials u, upgrades with StartTLS when asked, and binds. The dial and
// TLS handshake honour ctx and cfg.Timeout; every later request is bounded by
// cfg.Timeout. Errors are classified.
func connect(ctx context.Context, cfg Config, u *url.URL) (ldapConn, error) {
	nc, host, key, err := dialTransport(ctx, cfg, u)
	if err != nil {
		return nil, err
	}
	isTLS := u.Scheme == "ldaps"
	c := ldap.NewConn(nc, isTLS)
	c.Start()
	c.SetTimeout(cfg.Timeout)
	if cfg.StartTLS {
		// StartTLS has no context; the request timeout bounds the exchange
		// and the deadline below bounds the handshake.
		_ = nc.SetDeadline(time.Now().Add(cfg.Timeout))
		if err := c.StartTLS(cfg.tlsConfig(host)); err != nil {
			c.Close()
			return nil, classify(opConnect, key+" (StartTLS)", err)
		}
		_ = nc.SetDeadline(time.Time{})
	}
	if err := ctx.Err(); err != nil {
		c.Close()
		return nil, classify(opConnect, key, err)
	}
	if err := c.Bind(cfg.BindDN, cfg.Password); err != nil {
		c.Close()
		return nil, classify(opBind, cfg.BindDN+" at "+key, err)
	}
	return c, nil
}
