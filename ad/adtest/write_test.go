package adtest

import (
	"slices"
	"strings"
	"testing"

	"github.com/go-ldap/ldap/v3"
)

func TestAdd(t *testing.T) {
	s := newServer(t, Options{})
	c := admin(t, s)
	o := ou(t, s, "Add")
	jens := user("jhans", "0101011234")
	jens["userPrincipalName"] = []string{"jhans@test.local"}
	mustAdd(t, c, "CN=Jens Hansen,"+o, jens)
	e, err := s.Entry("CN=Jens Hansen," + o)
	if err != nil {
		t.Fatal(err)
	}
	if got := e["objectClass"]; !slices.Equal(got, []string{"top", "person", "organizationalPerson", "user"}) {
		t.Errorf("objectClass %v", got)
	}
	if got := e["userAccountControl"]; !slices.Equal(got, []string{"546"}) {
		t.Errorf("userAccountControl %v, want 546 for a user without password", got)
	}
	if e["cn"][0] != "Jens Hansen" || e["name"][0] != "Jens Hansen" || e["distinguishedName"][0] != "CN=Jens Hansen,"+o {
		t.Errorf("naming attributes %v %v %v", e["cn"], e["name"], e["distinguishedName"])
	}

	tests := []struct {
		name    string
		dn      string
		attrs   map[string][]string
		code    int
		msg     string
		matched string
	}{
		{"existing DN", "CN=Jens Hansen," + o, user("other", "1"), 68, "already exists", ""},
		{"existing DN other case", "cn=JENS HANSEN," + strings.ToLower(o), user("other", "1"), 68, "already exists", ""},
		{"duplicate sAMAccountName", "CN=Other," + o, user("JHANS", "1"), 68, "00002071: samldb: samAccountName 'JHANS' already in use!", ""},
		{"sAMAccountName of a built-in", "CN=Other," + o, user("administrator", "1"), 68, "00002071", ""},
		{"missing parent", "CN=X,OU=Missing," + o, user("x", "1"), 32, "parent does not exist", o},
		{"bad countryCode", "CN=X," + o, map[string][]string{"objectClass": {"user"}, "countryCode": {"DK"}}, 21, "'countryCode'", ""},
		{"unknown attribute", "CN=X," + o, map[string][]string{"objectClass": {"user"}, "favouriteColour": {"blue"}}, 16, "not found in the schema", ""},
		{"single-valued twice", "CN=X," + o, map[string][]string{"objectClass": {"user"}, "title": {"a", "b"}}, 19, "SINGLE-VALUE", ""},
		{"unknown class", "CN=X," + o, map[string][]string{"objectClass": {"human"}}, 16, "not a valid objectClass", ""},
		{"no class", "CN=X," + o, map[string][]string{"sn": {"x"}}, 65, "no objectclass", ""},
		{"cn mismatch", "CN=X," + o, map[string][]string{"objectClass": {"user"}, "cn": {"Y"}}, 34, "RDN mismatch", ""},
		{"manager missing", "CN=X," + o, map[string][]string{"objectClass": {"user"}, "manager": {"CN=Nobody," + o}}, 19, "Referenced object not found", ""},
		{"objectGUID", "CN=X," + o, map[string][]string{"objectClass": {"user"}, "objectGUID": {"0123456789abcdef"}}, 19, "only be modified as system", ""},
		{"short password", "CN=X," + o, map[string][]string{"objectClass": {"user"}, "unicodePwd": {EncodePassword("abc")}}, 19, "too short", ""},
		{"bad DN", "CN=X,,", user("x", "1"), 34, "", ""},
		{"countryCode out of range", "CN=X," + o, map[string][]string{"objectClass": {"user"}, "countryCode": {"-1"}}, 21, "'countryCode'", ""},
		{"title too long", "CN=X," + o, map[string][]string{"objectClass": {"user"}, "title": {strings.Repeat("x", 129)}}, 21, "'title'", ""},
		{"empty value", "CN=X," + o, map[string][]string{"objectClass": {"user"}, "title": {""}}, 21, "'title'", ""},
		{"sAMAccountName with slash", "CN=X," + o, user("a/b", "1"), 19, "sAMAccountName contains invalid '/' character", ""},
		{"duplicate UPN", "CN=X," + o, map[string][]string{"objectClass": {"user"}, "userPrincipalName": {"JHANS@test.local"}}, 19, "userPrincipalName 'JHANS@test.local' is already in use", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := c.Add(addReq(tt.dn, tt.attrs))
			if code(err) != tt.code || !strings.Contains(errString(err), tt.msg) || matchedOf(err) != tt.matched {
				t.Errorf("got %v (matched %q), want %d containing %q (matched %q)", err, matchedOf(err), tt.code, tt.msg, tt.matched)
			}
		})
	}

	// A user with no sAMAccountName gets an invented one, as in AD.
	mustAdd(t, c, "CN=Nameless,"+o, map[string][]string{"objectClass": {"user"}})
	e, _ = s.Entry("CN=Nameless," + o)
	if sam := e["sAMAccountName"][0]; !strings.HasPrefix(sam, "$") || len(sam) != 25 {
		t.Errorf("invented sAMAccountName %q", sam)
	}
	// DN values are stored in the target's spelling.
	mustAdd(t, c, "CN=Managed,"+o, map[string][]string{"objectClass": {"user"}, "manager": {strings.ToLower("CN=Jens Hansen," + o)}})
	e, _ = s.Entry("CN=Managed," + o)
	if e["manager"][0] != "CN=Jens Hansen,"+o {
		t.Errorf("manager %q", e["manager"])
	}
	// Groups get AD's defaults too.
	mustAdd(t, c, "CN=Grp,"+o, map[string][]string{"objectClass": {"group"}})
	e, _ = s.Entry("CN=Grp," + o)
	if e["groupType"][0] != "-2147483646" || e["sAMAccountType"][0] != "268435456" || e["objectCategory"][0] != "CN=Group,CN=Schema,CN=Configuration,DC=test,DC=local" {
		t.Errorf("group %v", e)
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func TestModify(t *testing.T) {
	s := newServer(t, Options{})
	c := admin(t, s)
	o := ou(t, s, "Mod")
	a := user("mia", "0101011234")
	a["title"] = []string{"Sagsbehandler"}
	mustAdd(t, c, "CN=Mia,"+o, a)
	mustAdd(t, c, "CN=Other,"+o, user("other", "2"))
	dn := "CN=Mia," + o
	mod := func(f func(r *ldap.ModifyRequest)) error {
		r := ldap.NewModifyRequest(dn, nil)
		f(r)
		return c.Modify(r)
	}
	tests := []struct {
		name string
		f    func(r *ldap.ModifyRequest)
		code int
		msg  string
	}{
		{"stale delete", func(r *ldap.ModifyRequest) {
			r.Delete("title", []string{"Leder"})
			r.Add("title", []string{"Chef"})
		}, 16, "no matching attribute value"},
		{"delete absent attribute", func(r *ldap.ModifyRequest) { r.Delete("description", nil) }, 16, "no such attribute"},
		{"add second value to single", func(r *ldap.ModifyRequest) { r.Add("title", []string{"Chef"}) }, 20, "SINGLE-VALUE"},
		{"replace objectGUID", func(r *ldap.ModifyRequest) { r.Replace("objectGUID", []string{"0123456789abcdef"}) }, 19, "can only be modified as system"},
		{"bad countryCode", func(r *ldap.ModifyRequest) { r.Replace("countryCode", []string{"x"}) }, 21, "countryCode"},
		{"unknown attribute", func(r *ldap.ModifyRequest) { r.Replace("favouriteColour", []string{"x"}) }, 16, "not found in the schema"},
		{"duplicate sAMAccountName", func(r *ldap.ModifyRequest) { r.Replace("sAMAccountName", []string{"OTHER"}) }, 68, "00002071"},
		{"rename via cn", func(r *ldap.ModifyRequest) { r.Replace("cn", []string{"Mette"}) }, 67, "must use 'rename'"},
		{"manager missing", func(r *ldap.ModifyRequest) { r.Replace("manager", []string{"CN=Nobody," + o}) }, 19, "Referenced object"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := mod(tt.f)
			if code(err) != tt.code || !strings.Contains(errString(err), tt.msg) {
				t.Errorf("got %v, want %d containing %q", err, tt.code, tt.msg)
			}
		})
	}
	// Nothing of the failed modifies stuck; a failed multi-change modify is atomic.
	e, _ := s.Entry(dn)
	if e["title"][0] != "Sagsbehandler" || len(e["title"]) != 1 {
		t.Fatalf("title after failed modifies %v", e["title"])
	}

	// The stale-check idiom: delete the old value (any case) and add the new one.
	before := e["uSNChanged"][0]
	if err := mod(func(r *ldap.ModifyRequest) {
		r.Delete("title", []string{"SAGSBEHANDLER"})
		r.Add("title", []string{"Leder"})
		r.Replace("userAccountControl", []string{"514"})
		r.Replace("mail", nil)
		r.Replace("manager", []string{"cn=other," + strings.ToLower(o)})
	}); err != nil {
		t.Fatal(err)
	}
	e, _ = s.Entry(dn)
	if e["title"][0] != "Leder" || e["userAccountControl"][0] != "514" || e["mail"] != nil || e["manager"][0] != "CN=Other,"+o || e["uSNChanged"][0] == before {
		t.Errorf("after modify %v", e)
	}
	// Permissive modify turns value conflicts into no-ops.
	r := ldap.NewModifyRequest(dn, []ldap.Control{ldap.NewControlString(oidPermissiveModify, false, "")})
	r.Delete("description", nil)
	r.Add("title", []string{"leder"})
	if err := c.Modify(r); err != nil {
		t.Errorf("permissive modify: %v", err)
	}
	// Missing object.
	r = ldap.NewModifyRequest("CN=Nobody,"+o, nil)
	r.Replace("title", []string{"x"})
	if err := c.Modify(r); code(err) != 32 || matchedOf(err) != o {
		t.Errorf("modify missing: %v matched %q", err, matchedOf(err))
	}
	// Modify by <GUID=…>.
	r = ldap.NewModifyRequest("<GUID="+GUIDString([]byte(e["objectGUID"][0]))+">", nil)
	r.Replace("title", []string{"Direktør"})
	if err := c.Modify(r); err != nil {
		t.Errorf("modify by GUID: %v", err)
	}
}

func TestDelete(t *testing.T) {
	s := newServer(t, Options{})
	c := admin(t, s)
	o := ou(t, s, "Del")
	mustAdd(t, c, "OU=Sub,"+o, map[string][]string{"objectClass": {"organizationalUnit"}})
	mustAdd(t, c, "CN=A,OU=Sub,"+o, user("dela", "1"))
	mustAdd(t, c, "CN=B,OU=Sub,"+o, user("delb", "1"))
	if err := c.Del(ldap.NewDelRequest("OU=Sub,"+o, nil)); code(err) != 66 || !strings.Contains(err.Error(), "(it has 2 children)") {
		t.Errorf("non-leaf delete: %v", err)
	}
	if err := c.Del(ldap.NewDelRequest("CN=Nope,"+o, nil)); code(err) != 32 {
		t.Errorf("missing delete: %v", err)
	}
	if err := c.Del(ldap.NewDelRequest("CN=A,OU=Sub,"+o, nil)); err != nil {
		t.Errorf("leaf delete: %v", err)
	}
	n := s.Entries()
	if err := c.Del(&ldap.DelRequest{DN: o, Controls: []ldap.Control{ldap.NewControlSubtreeDelete()}}); err != nil {
		t.Fatalf("tree delete: %v", err)
	}
	if got := s.Entries(); got != n-3 {
		t.Errorf("entries after tree delete %d, want %d", got, n-3)
	}
	// The deleted sAMAccountName is free again.
	o = ou(t, s, "Del2")
	mustAdd(t, c, "CN=B,"+o, user("delb", "1"))
}

func TestModifyDN(t *testing.T) {
	s := newServer(t, Options{})
	c := admin(t, s)
	o := ou(t, s, "Ren")
	mustAdd(t, c, "OU=Sub,"+o, map[string][]string{"objectClass": {"organizationalUnit"}})
	mustAdd(t, c, "OU=Kids,OU=Sub,"+o, map[string][]string{"objectClass": {"organizationalUnit"}})
	mustAdd(t, c, "CN=Kid,OU=Kids,OU=Sub,"+o, user("kid", "1"))
	mustAdd(t, c, "CN=Aage Bach Klarskov,"+o, user("aage", "1"))
	mustAdd(t, c, "CN=Taken,"+o, user("taken", "1"))
	mustAdd(t, c, "CN=Boss,"+o, map[string][]string{"objectClass": {"user"}, "manager": {"CN=Aage Bach Klarskov," + o}})

	if err := c.ModifyDN(ldap.NewModifyDNRequest("CN=Aage Bach Klarskov,"+o, "CN=Aage Klareng", true, "")); err != nil {
		t.Fatalf("rename: %v", err)
	}
	e, err := s.Entry("CN=Aage Klareng," + o)
	if err != nil || e["cn"][0] != "Aage Klareng" || e["name"][0] != "Aage Klareng" || e["sAMAccountName"][0] != "aage" {
		t.Fatalf("renamed entry %v %v", e, err)
	}
	if _, err := s.Entry("CN=Aage Bach Klarskov," + o); err == nil {
		t.Error("old DN still there")
	}
	// DN-valued attributes follow the rename, as AD's links do.
	if b, _ := s.Entry("CN=Boss," + o); !slices.Equal(b["manager"], []string{"CN=Aage Klareng," + o}) {
		t.Errorf("manager after rename %v", b["manager"])
	}
	// Moving a subtree re-keys every descendant.
	if err := c.ModifyDN(ldap.NewModifyDNRequest("OU=Kids,OU=Sub,"+o, "OU=Children", true, o)); err != nil {
		t.Fatalf("move: %v", err)
	}
	if got := search(t, c, o, ldap.ScopeWholeSubtree, "(sAMAccountName=kid)"); !slices.Equal(got, []string{"CN=Kid,OU=Children," + o}) {
		t.Errorf("moved child %v", got)
	}
	tests := []struct {
		name              string
		dn, rdn, superior string
		code              int
	}{
		{"target exists", "CN=Aage Klareng," + o, "CN=Taken", "", 68},
		{"target exists other case", "CN=Aage Klareng," + o, "cn=TAKEN", "", 68},
		{"missing entry", "CN=Nobody," + o, "CN=X", "", 32},
		{"missing new parent", "CN=Taken," + o, "CN=Taken", "OU=Nope," + o, 80},
		{"below itself", "OU=Sub," + o, "OU=Sub", "OU=Sub," + o, 53},
		{"other RDN type", "CN=Taken," + o, "OU=Taken", "", 64},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := c.ModifyDN(ldap.NewModifyDNRequest(tt.dn, tt.rdn, true, tt.superior)); code(err) != tt.code {
				t.Errorf("got %v, want %d", err, tt.code)
			}
		})
	}
	// Deleting the target removes links to it.
	if err := c.Del(ldap.NewDelRequest("CN=Aage Klareng,"+o, nil)); err != nil {
		t.Fatal(err)
	}
	if b, _ := s.Entry("CN=Boss," + o); b["manager"] != nil {
		t.Errorf("manager after delete %v", b["manager"])
	}
	// A case-only rename of the same entry is allowed.
	if err := c.ModifyDN(ldap.NewModifyDNRequest("CN=Taken,"+o, "CN=TAKEN", true, "")); err != nil {
		t.Errorf("case-only rename: %v", err)
	}
}
