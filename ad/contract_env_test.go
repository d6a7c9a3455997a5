package ad

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/go-ldap/ldap/v3"

	"moxsync/engine"
)

// testServer is a directory server the contract suite runs against: the
// in-process adtest server always, and a real Samba AD DC when AD_LDAP_URL
// is set.
type testServer struct {
	name     string
	url      string // ldap://
	ldapsURL string // ldaps://
	bindDN   string // a UPN
	bindDN2  string // the same account as a DN
	password string
	base     string
	caPEM    []byte
	upnRealm string
}

// serverMakers return a server, or nil when it is not available. Each
// server's file registers its maker in init.
var serverMakers []func(testing.TB) *testServer

func testServers(tb testing.TB) []*testServer {
	var out []*testServer
	for _, mk := range serverMakers {
		if s := mk(tb); s != nil {
			out = append(out, s)
		}
	}
	if len(out) == 0 {
		tb.Skip("no directory server available (set AD_LDAP_URL for Samba)")
	}
	return out
}

// testEnv is one test's private corner of a server: an OU with a random
// name holding an "OU=Nye brugere" for new users, removed with the
// tree-delete control when the test ends.
type testEnv struct {
	srv      *testServer
	admin    *ldap.Conn
	ou       string // OU=mxt-…,<base>: the adapter's search base
	newUsers string // OU=Nye brugere,<ou>
	prefix   string // random sAMAccountName prefix, unique per test
	dir      *Directory
}

// eachServer runs fn once per available server, each in its own subtest and
// test OU.
func eachServer(t *testing.T, fn func(t *testing.T, e *testEnv)) {
	for _, s := range testServers(t) {
		t.Run(s.name, func(t *testing.T) { fn(t, newEnv(t, s)) })
	}
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func newEnv(tb testing.TB, s *testServer) *testEnv {
	tb.Helper()
	e := &testEnv{srv: s, admin: s.adminConn(tb), prefix: "t" + randomHex(3)}
	e.ou = "OU=mxt-" + randomHex(4) + "," + s.base
	e.newUsers = "OU=Nye brugere," + e.ou
	tb.Cleanup(func() {
		e.admin.SetTimeout(10 * time.Minute) // Samba tree-deletes ~250 entries/s
		err := e.admin.Del(ldap.NewDelRequest(e.ou, []ldap.Control{ldap.NewControlSubtreeDelete()}))
		if err != nil && !ldap.IsErrorWithCode(err, ldap.LDAPResultNoSuchObject) {
			tb.Errorf("tree-delete %s: %v", e.ou, err)
		}
	})
	for _, dn := range []string{e.ou, e.newUsers} {
		e.addOU(tb, dn)
	}
	e.dir = e.dial(tb, e.config())
	return e
}

func (s *testServer) adminConn(tb testing.TB) *ldap.Conn {
	tb.Helper()
	c, err := ldap.DialURL(s.url)
	if err != nil {
		tb.Fatalf("dial %s: %v", s.url, err)
	}
	c.SetTimeout(30 * time.Second)
	if err := c.Bind(s.bindDN, s.password); err != nil {
		tb.Fatalf("bind %s: %v", s.url, err)
	}
	tb.Cleanup(func() { c.Close() })
	return c
}

func (s *testServer) rootCAs(tb testing.TB) *x509.CertPool {
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(s.caPEM) {
		tb.Fatalf("%s: no CA certificate", s.name)
	}
	return pool
}

// config is the adapter's Config for this env, over plain ldap://.
func (e *testEnv) config() Config {
	return Config{
		URL:        e.srv.url,
		BindDN:     e.srv.bindDN,
		Password:   e.srv.password,
		SearchBase: e.ou,
		NewUserOU:  "OU=Nye brugere",
		UPNSuffix:  e.srv.upnRealm,
		Timeout:    30 * time.Second,
	}
}

func (e *testEnv) dial(tb testing.TB, cfg Config) *Directory {
	tb.Helper()
	d, err := Dial(context.Background(), cfg)
	if err != nil {
		tb.Fatalf("Dial: %v", err)
	}
	tb.Cleanup(func() { d.Close() })
	return d
}

func (e *testEnv) addOU(tb testing.TB, dn string) {
	tb.Helper()
	req := ldap.NewAddRequest(dn, nil)
	req.Attribute("objectClass", []string{"organizationalUnit"})
	if err := e.admin.Add(req); err != nil {
		tb.Fatalf("add OU %s: %v", dn, err)
	}
}

// newAccount is a NewAccount for cn in the env's OU for new users.
func (e *testEnv) newAccount(cn, sam string, attrs map[string][]string) engine.NewAccount {
	return engine.NewAccount{
		DN:             "CN=" + EscapeRDNValue(cn) + "," + e.newUsers,
		CN:             cn,
		SAMAccountName: sam,
		UPN:            sam + "@" + e.srv.upnRealm,
		Attrs:          attrs,
	}
}

func (e *testEnv) create(tb testing.TB, cn, sam string, attrs map[string][]string) engine.Account {
	tb.Helper()
	a, err := e.dir.Create(context.Background(), e.newAccount(cn, sam, attrs))
	if err != nil {
		tb.Fatalf("Create %s: %v", cn, err)
	}
	return a
}

// read reads attr of dn with the admin connection; nil if dn is absent.
func (e *testEnv) read(tb testing.TB, dn string, attr string) []string {
	tb.Helper()
	res, err := e.admin.Search(ldap.NewSearchRequest(dn, ldap.ScopeBaseObject, 0, 0, 0, false, "(objectClass=*)", []string{attr}, nil))
	if ldap.IsErrorWithCode(err, ldap.LDAPResultNoSuchObject) {
		return nil
	}
	if err != nil || len(res.Entries) != 1 {
		tb.Fatalf("read %s of %s: %v (%d entries)", attr, dn, err, len(res.Entries))
	}
	return res.Entries[0].GetAttributeValues(attr)
}

func (e *testEnv) exists(tb testing.TB, dn string) bool {
	tb.Helper()
	return e.read(tb, dn, "objectClass") != nil
}

// seedWorkers is how many connections seed and unseed use: Samba adds and
// deletes faster over a few connections, and its tree delete of thousands
// of entries is several times slower than deleting them one by one.
const seedWorkers = 3

// seed adds n users under parent over parallel connections and returns
// their sAMAccountNames; user i has employeeID 0101%02d-%04d. The users are
// deleted again, in parallel, before the env's OU is tree-deleted.
func (e *testEnv) seed(tb testing.TB, parent string, n int, prefix string) []string {
	tb.Helper()
	sams := make([]string, n)
	dns := make([]string, n)
	for i := range n {
		sams[i] = fmt.Sprintf("%s%05d", prefix, i)
		dns[i] = fmt.Sprintf("CN=Seed User %05d,%s", i, parent)
	}
	tb.Cleanup(func() {
		e.parallel(tb, n, func(c *ldap.Conn, i int) error {
			err := c.Del(ldap.NewDelRequest(dns[i], nil))
			if ldap.IsErrorWithCode(err, ldap.LDAPResultNoSuchObject) {
				return nil
			}
			return err
		})
	})
	e.parallel(tb, n, func(c *ldap.Conn, i int) error {
		req := ldap.NewAddRequest(dns[i], nil)
		req.Attribute("objectClass", []string{"user"})
		req.Attribute("sAMAccountName", []string{sams[i]})
		req.Attribute("userPrincipalName", []string{sams[i] + "@" + e.srv.upnRealm})
		req.Attribute("employeeID", []string{fmt.Sprintf("0101%02d-%04d", i%100, i%10000)})
		req.Attribute("title", []string{"Seeded"})
		return c.Add(req)
	})
	return sams
}

// parallel runs op(i) for i in [0, n) over seedWorkers admin connections
// and fails tb on the first error.
func (e *testEnv) parallel(tb testing.TB, n int, op func(c *ldap.Conn, i int) error) {
	tb.Helper()
	errs := make(chan error, seedWorkers)
	var wg sync.WaitGroup
	for w := 0; w < seedWorkers; w++ {
		c := e.srv.adminConn(tb)
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; i < n; i += seedWorkers {
				if err := op(c, i); err != nil {
					errs <- fmt.Errorf("entry %d: %w", i, err)
					return
				}
			}
		}(w)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		tb.Fatal(err)
	}
}

// wrongCA returns a pool holding a freshly made CA that signed nothing.
func wrongCA(tb testing.TB) *x509.CertPool {
	tb.Helper()
	pemBytes := selfSignedPEM(tb, "wrong CA")
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(pemBytes)
	return pool
}

func tlsWith(pool *x509.CertPool, serverName string) *tls.Config {
	return &tls.Config{RootCAs: pool, ServerName: serverName, MinVersion: tls.VersionTLS12}
}
