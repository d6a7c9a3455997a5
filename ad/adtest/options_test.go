package adtest

import (
	"testing"

	"github.com/go-ldap/ldap/v3"
)

func TestCustomOptions(t *testing.T) {
	s := newServer(t, Options{
		BaseDN:      "DC=kommune,DC=dk",
		BindDN:      "CN=svc-moxsync,OU=Service,OU=IT,DC=kommune,DC=dk",
		BindUPN:     "svc-moxsync@kommune.dk",
		Password:    "Svc-Passw0rd!",
		MaxPageSize: 10,
	})
	if s.BaseDN() != "DC=kommune,DC=dk" || s.BindDN() != "CN=svc-moxsync,OU=Service,OU=IT,DC=kommune,DC=dk" || s.Domain() != "kommune.dk" {
		t.Fatalf("base %q bind %q domain %q", s.BaseDN(), s.BindDN(), s.Domain())
	}
	for _, name := range []string{s.BindDN(), s.BindUPN(), `KOMMUNE\svc-moxsync`} {
		c := dial(t, s)
		if err := c.Bind(name, "Svc-Passw0rd!"); err != nil {
			t.Errorf("bind %s: %v", name, err)
		}
	}
	c := admin(t, s)
	o := ou(t, s, "Small")
	seedUsers(t, s, o, 11)
	// MaxPageSize caps unpaged searches and pages.
	r, err := c.Search(ldap.NewSearchRequest(o, ldap.ScopeSingleLevel, 0, 0, 0, false, "(objectClass=user)", []string{"1.1"}, nil))
	if code(err) != ldap.LDAPResultSizeLimitExceeded || len(r.Entries) != 10 {
		t.Errorf("unpaged: %v, %d entries", err, len(r.Entries))
	}
	pr, err := c.SearchWithPaging(ldap.NewSearchRequest(o, ldap.ScopeSingleLevel, 0, 0, 0, false, "(objectClass=user)", []string{"1.1"}, nil), 500)
	if err != nil || len(pr.Entries) != 11 {
		t.Errorf("paged: %v, %d entries", err, len(pr.Entries))
	}
	if _, err := New(Options{BaseDN: "OU=x"}); err == nil {
		t.Error("base DN without DC accepted")
	}
	if _, err := New(Options{BindDN: "CN=x,DC=other,DC=org"}); err == nil {
		t.Error("bind DN outside the base accepted")
	}
}
