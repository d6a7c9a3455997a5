package adtest

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"testing"

	"github.com/go-ldap/ldap/v3"
)

// newServer starts a server closed at the end of the test.
func newServer(t testing.TB, opts Options) *Server {
	t.Helper()
	s, err := New(opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// dial connects without binding.
func dial(t testing.TB, s *Server) *ldap.Conn {
	t.Helper()
	c, err := ldap.DialURL(s.URL())
	if err != nil {
		t.Fatalf("dial %s: %v", s.URL(), err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// admin connects and binds as the administrator.
func admin(t testing.TB, s *Server) *ldap.Conn {
	t.Helper()
	c := dial(t, s)
	if err := c.Bind(s.BindDN(), s.Password()); err != nil {
		t.Fatalf("bind %s: %v", s.BindDN(), err)
	}
	return c
}

// tlsConfig trusts the server's certificate.
func tlsConfig(s *Server) *tls.Config {
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(s.CACertPEM())
	return &tls.Config{RootCAs: pool, ServerName: "127.0.0.1"}
}

// code is the LDAP result code of err, 0 for nil and -1 for non-LDAP errors.
func code(err error) int {
	if err == nil {
		return 0
	}
	var le *ldap.Error
	if errors.As(err, &le) {
		return int(le.ResultCode)
	}
	return -1
}

// mustAdd adds an entry over LDAP.
func mustAdd(t testing.TB, c *ldap.Conn, dn string, attrs map[string][]string) {
	t.Helper()
	if err := c.Add(addReq(dn, attrs)); err != nil {
		t.Fatalf("add %s: %v", dn, err)
	}
}

func addReq(dn string, attrs map[string][]string) *ldap.AddRequest {
	r := ldap.NewAddRequest(dn, nil)
	for k, v := range attrs {
		r.Attribute(k, v)
	}
	return r
}

// user is the attribute map of a typical person account.
func user(sam, cpr string) map[string][]string {
	return map[string][]string{
		"objectClass":    {"user"},
		"sAMAccountName": {sam},
		"givenName":      {"Given " + sam},
		"sn":             {"Surname"},
		"employeeID":     {cpr},
		"mail":           {sam + "@test.local"},
	}
}

// ou creates an organizational unit under the base and returns its DN.
func ou(t testing.TB, s *Server, name string) string {
	t.Helper()
	dn := fmt.Sprintf("OU=%s,%s", ldap.EscapeDN(name), s.BaseDN())
	if err := s.AddEntry(dn, map[string][]string{"objectClass": {"organizationalUnit"}}); err != nil {
		t.Fatal(err)
	}
	return dn
}

// search runs a subtree search and returns the DNs found.
func search(t testing.TB, c *ldap.Conn, base string, scope int, filter string) []string {
	t.Helper()
	r, err := c.Search(ldap.NewSearchRequest(base, scope, ldap.NeverDerefAliases, 0, 0, false, filter, []string{"1.1"}, nil))
	if err != nil {
		t.Fatalf("search %s %s: %v", base, filter, err)
	}
	out := make([]string, len(r.Entries))
	for i, e := range r.Entries {
		out[i] = e.DN
	}
	return out
}
