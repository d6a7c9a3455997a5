package adtest

import (
	"slices"
	"testing"

	"github.com/go-ldap/ldap/v3"
)

func TestMemberOf(t *testing.T) {
	s := newServer(t, Options{})
	c := admin(t, s)
	o := ou(t, s, "M")
	mustAdd(t, c, "CN=A,"+o, user("ma", "1"))
	mustAdd(t, c, "CN=B,"+o, user("mb", "2"))
	mustAdd(t, c, "CN=G1,"+o, map[string][]string{"objectClass": {"group"}, "member": {"cn=a," + o}})
	mustAdd(t, c, "CN=G2,"+o, map[string][]string{"objectClass": {"group"}})
	m := ldap.NewModifyRequest("CN=G2,"+o, nil)
	m.Add("member", []string{"CN=A," + o, "CN=B," + o})
	if err := c.Modify(m); err != nil {
		t.Fatal(err)
	}
	memberOf := func(dn string) []string {
		e, err := s.Entry(dn)
		if err != nil {
			t.Fatal(err)
		}
		v := e["memberOf"]
		slices.Sort(v)
		return v
	}
	if got := memberOf("CN=A," + o); !slices.Equal(got, []string{"CN=G1," + o, "CN=G2," + o}) {
		t.Errorf("A memberOf %v", got)
	}
	if got := search(t, c, o, ldap.ScopeSingleLevel, "(memberOf=CN=G2,"+o+")"); len(got) != 2 {
		t.Errorf("(memberOf=G2) found %v", got)
	}
	m = ldap.NewModifyRequest("CN=G2,"+o, nil)
	m.Delete("member", []string{"CN=B," + o})
	if err := c.Modify(m); err != nil {
		t.Fatal(err)
	}
	if got := memberOf("CN=B," + o); got != nil {
		t.Errorf("B memberOf after removal %v", got)
	}
	if err := c.ModifyDN(ldap.NewModifyDNRequest("CN=G1,"+o, "CN=Gruppe 1", true, "")); err != nil {
		t.Fatal(err)
	}
	if got := memberOf("CN=A," + o); !slices.Equal(got, []string{"CN=G2," + o, "CN=Gruppe 1," + o}) {
		t.Errorf("A memberOf after group rename %v", got)
	}
	if err := c.Del(ldap.NewDelRequest("CN=G2,"+o, nil)); err != nil {
		t.Fatal(err)
	}
	if got := memberOf("CN=A," + o); !slices.Equal(got, []string{"CN=Gruppe 1," + o}) {
		t.Errorf("A memberOf after group delete %v", got)
	}
	m = ldap.NewModifyRequest("CN=A,"+o, nil)
	m.Replace("memberOf", []string{"CN=G2," + o})
	if err := c.Modify(m); code(err) != ldap.LDAPResultUnwillingToPerform {
		t.Errorf("writing memberOf: %v", err)
	}
}
