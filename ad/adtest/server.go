package adtest

import (
	"bufio"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
)

// Defaults of Options.
const (
	DefaultBaseDN   = "DC=test,DC=local"
	DefaultPassword = "Adtest-Passw0rd!"
	DefaultPageSize = 1000 // AD's MaxPageSize: the size limit of unpaged searches
)

// Options configure a Server. The zero value is a test.local domain.
type Options struct {
	// BaseDN is the domain's naming context; default DC=test,DC=local.
	BaseDN string
	// BindDN is the administrator's DN; default CN=Administrator,CN=Users,<BaseDN>.
	// Parents that do not exist are created.
	BindDN string
	// BindUPN is an extra userPrincipalName for the administrator. The
	// implicit UPN <sAMAccountName>@<dns domain> always works, as in AD.
	BindUPN string
	// Password is the administrator's password; default DefaultPassword.
	Password string
	// TLS also serves LDAPS on a second port. StartTLS works either way.
	TLS bool
	// RequireStrongAuth refuses simple binds without TLS (result 8), like a
	// DC with "ldap server require strong auth = yes".
	RequireStrongAuth bool
	// MaxPageSize caps pages and unpaged searches; default 1000, as AD.
	MaxPageSize int
	// Logger receives debug logs of connection errors; default none.
	Logger *slog.Logger
}

// Server is a running in-process AD-like LDAP server.
type Server struct {
	opts      Options
	dir       *directory
	ln, lns   net.Listener
	tlsConfig *tls.Config
	caPEM     []byte
	bindDN    string
	log       *slog.Logger

	mu     sync.Mutex
	conns  map[net.Conn]struct{}
	closed bool
	wg     sync.WaitGroup
}

// New starts a server on 127.0.0.1 with a random port (and a second one
// for LDAPS when opts.TLS is set). Close it when done.
func New(opts Options) (*Server, error) {
	if opts.BaseDN == "" {
		opts.BaseDN = DefaultBaseDN
	}
	if opts.Password == "" {
		opts.Password = DefaultPassword
	}
	if opts.MaxPageSize <= 0 {
		opts.MaxPageSize = DefaultPageSize
	}
	base, lerr := parseDN(opts.BaseDN)
	if lerr != nil || dnsDomain(base) == "" {
		return nil, fmt.Errorf("adtest: base DN %q must be a DC=… DN", opts.BaseDN)
	}
	if opts.BindDN == "" {
		opts.BindDN = "CN=Administrator,CN=Users," + base.String()
	}
	s := &Server{opts: opts, dir: newDirectory(base), conns: map[net.Conn]struct{}{}, log: opts.Logger}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if err := s.provision(); err != nil {
		return nil, err
	}
	cert, caPEM, err := selfSigned(s.dir.domain)
	if err != nil {
		return nil, fmt.Errorf("adtest: %w", err)
	}
	s.caPEM = caPEM
	s.tlsConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}

	s.ln, err = net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("adtest: listen: %w", err)
	}
	s.wg.Add(1)
	go s.accept(s.ln, false)
	if opts.TLS {
		s.lns, err = tls.Listen("tcp", "127.0.0.1:0", s.tlsConfig)
		if err != nil {
			s.ln.Close()
			return nil, fmt.Errorf("adtest: listen LDAPS: %w", err)
		}
		s.wg.Add(1)
		go s.accept(s.lns, true)
	}
	return s, nil
}

// provision creates what a fresh domain has: the domain object, the Users
// and Computers containers, the Domain Controllers OU, built-in accounts
// and the administrator.
func (s *Server) provision() error {
	d := s.dir
	base := d.base.String()
	d.mu.Lock()
	defer d.mu.Unlock()
	add := func(dn string, attrs ...attrInput) (*entry, error) {
		e, lerr := d.addEntry(dn, attrs, true)
		if lerr != nil {
			return nil, fmt.Errorf("adtest: provision %s: %w", dn, lerr)
		}
		return e, nil
	}
	oc := func(v ...string) attrInput { return attrInput{name: "objectClass", vals: v} }
	av := func(name string, v ...string) attrInput { return attrInput{name: name, vals: v} }
	if _, err := add(base, oc("domainDNS")); err != nil {
		return err
	}
	for _, c := range []string{"CN=Users", "CN=Computers"} {
		if _, err := add(c+","+base, oc("container")); err != nil {
			return err
		}
	}
	if _, err := add("OU=Domain Controllers,"+base, oc("organizationalUnit")); err != nil {
		return err
	}
	if _, err := add("CN=Domain Users,CN=Users,"+base, oc("group"), av("sAMAccountName", "Domain Users")); err != nil {
		return err
	}
	if _, err := add("CN=Guest,CN=Users,"+base, oc("user"), av("sAMAccountName", "Guest"), av("userAccountControl", "66082")); err != nil {
		return err
	}
	if _, err := add("CN=krbtgt,CN=Users,"+base, oc("user"), av("sAMAccountName", "krbtgt"), av("userAccountControl", "514")); err != nil {
		return err
	}

	// The administrator, with any missing parents of its DN.
	adminDN, lerr := parseDN(s.opts.BindDN)
	if lerr != nil || len(adminDN) < 2 || !strings.HasSuffix(adminDN.key(), d.baseKey) {
		return fmt.Errorf("adtest: bind DN %q must lie under %s", s.opts.BindDN, base)
	}
	for i := len(adminDN) - len(d.base) - 1; i >= 1; i-- {
		p := adminDN[i:]
		if d.byKey[p.key()] != nil {
			continue
		}
		class := "container"
		if strings.EqualFold(p[0].typ, "OU") {
			class = "organizationalUnit"
		}
		if _, err := add(p.String(), oc(class)); err != nil {
			return err
		}
	}
	sam := adminDN[0].value
	if len(sam) > 20 {
		sam = sam[:20]
	}
	attrs := []attrInput{oc("user"), av("sAMAccountName", sam), av("userAccountControl", "66048"), av("unicodePwd", EncodePassword(s.opts.Password))}
	if s.opts.BindUPN != "" && !strings.EqualFold(s.opts.BindUPN, sam+"@"+d.domain) {
		attrs = append(attrs, av("userPrincipalName", s.opts.BindUPN))
	}
	e, err := add(adminDN.String(), attrs...)
	if err != nil {
		return err
	}
	s.bindDN = e.dnStr
	return nil
}

func (s *Server) accept(ln net.Listener, isTLS bool) {
	defer s.wg.Done()
	for {
		nc, err := ln.Accept()
		if err != nil {
			return
		}
		s.mu.Lock()
		if s.closed {
			s.mu.Unlock()
			nc.Close()
			return
		}
		s.conns[nc] = struct{}{}
		s.wg.Add(1)
		s.mu.Unlock()
		go func() {
			defer s.wg.Done()
			c := &conn{srv: s, nc: nc, r: bufio.NewReaderSize(nc, 32<<10), tls: isTLS, log: s.log}
			c.serve()
			s.mu.Lock()
			delete(s.conns, nc)
			s.mu.Unlock()
		}()
	}
}

// Close stops the listeners, drops every connection and waits for them.
func (s *Server) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	s.ln.Close()
	if s.lns != nil {
		s.lns.Close()
	}
	for c := range s.conns {
		c.Close()
	}
	s.mu.Unlock()
	s.wg.Wait()
	return nil
}

// URL is ldap://127.0.0.1:port.
func (s *Server) URL() string { return "ldap://" + s.ln.Addr().String() }

// LDAPSURL is ldaps://127.0.0.1:port, or "" without Options.TLS.
func (s *Server) LDAPSURL() string {
	if s.lns == nil {
		return ""
	}
	return "ldaps://" + s.lns.Addr().String()
}

// CACertPEM is the PEM of the self-signed certificate the server presents
// on LDAPS and after StartTLS; trust it to verify the server.
func (s *Server) CACertPEM() []byte { return append([]byte(nil), s.caPEM...) }

// TB is the part of testing.TB that CAFile needs; *testing.T and
// *testing.B satisfy it. Taking this instead of testing.TB keeps package
// testing out of programs that run the server (the demo).
type TB interface {
	Helper()
	TempDir() string
	Fatalf(format string, args ...any)
}

// CAFile writes CACertPEM to a file in t's temporary directory and returns its path.
func (s *Server) CAFile(t TB) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "adtest-ca.pem")
	if err := os.WriteFile(p, s.caPEM, 0o600); err != nil {
		t.Fatalf("adtest: write CA file: %v", err)
	}
	return p
}

// BaseDN is the domain's naming context, e.g. DC=test,DC=local.
func (s *Server) BaseDN() string { return s.dir.base.String() }

// BindDN is the administrator's DN.
func (s *Server) BindDN() string { return s.bindDN }

// BindUPN is a UPN that binds as the administrator.
func (s *Server) BindUPN() string {
	if s.opts.BindUPN != "" {
		return s.opts.BindUPN
	}
	dn, _ := parseDN(s.bindDN)
	return dn[0].value + "@" + s.dir.realm
}

// Password is the administrator's password.
func (s *Server) Password() string { return s.opts.Password }

// Domain is the DNS domain, e.g. test.local.
func (s *Server) Domain() string { return s.dir.domain }

// Entries is the number of objects in the directory, built-in ones included.
func (s *Server) Entries() int { return s.dir.count() }

// AddEntry adds an object directly, without the protocol, applying the same
// AD rules as an LDAP add (parent must exist, objectClass expansion,
// generated objectGUID/objectSid, sAMAccountName uniqueness, 546, …). As
// the system it may also set objectGUID (16 raw bytes), whenCreated and
// other system-only attributes; unicodePwd takes EncodePassword's form.
func (s *Server) AddEntry(dn string, attrs map[string][]string) error {
	names := make([]string, 0, len(attrs))
	for n := range attrs {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool {
		oi, oj := strings.EqualFold(names[i], "objectClass"), strings.EqualFold(names[j], "objectClass")
		if oi != oj {
			return oi
		}
		return names[i] < names[j]
	})
	in := make([]attrInput, 0, len(names))
	for _, n := range names {
		in = append(in, attrInput{name: n, vals: attrs[n]})
	}
	s.dir.mu.Lock()
	_, lerr := s.dir.addEntry(dn, in, true)
	s.dir.mu.Unlock()
	if lerr != nil {
		return fmt.Errorf("adtest: add %s: %w", dn, lerr)
	}
	return nil
}

// SetPassword sets an account's password directly, as the system.
func (s *Server) SetPassword(dn, password string) error {
	s.dir.mu.Lock()
	lerr := s.dir.modifyEntry(dn, []change{{op: modReplace, name: "unicodePwd", vals: []string{EncodePassword(password)}}}, true, false)
	s.dir.mu.Unlock()
	if lerr != nil {
		return fmt.Errorf("adtest: set password of %s: %w", dn, lerr)
	}
	return nil
}

// ErrNotFound is returned by Entry for a DN or GUID that does not exist.
var ErrNotFound = errors.New("adtest: no such object")

// Entry returns a copy of an object's attributes (hidden ones such as
// unicodePwd left out), by DN or <GUID=…>.
func (s *Server) Entry(dn string) (map[string][]string, error) {
	s.dir.mu.RLock()
	defer s.dir.mu.RUnlock()
	e, _, lerr := s.dir.lookupDN(dn)
	if lerr != nil && lerr.code != resultNoSuchObject {
		return nil, fmt.Errorf("adtest: entry %s: %w", dn, lerr)
	}
	if e == nil {
		return nil, fmt.Errorf("adtest: entry %s: %w", dn, ErrNotFound)
	}
	out := map[string][]string{}
	sel := attrSelection{all: true, ops: true}
	for _, a := range e.attrs {
		if sel.wants(a.t) {
			out[a.t.name] = append([]string(nil), a.vals...)
		}
	}
	return out, nil
}
