package adtest

import (
	"errors"
	"slices"
	"strings"
	"testing"

	ber "github.com/go-asn1-ber/asn1-ber"
	"github.com/go-ldap/ldap/v3"
)

func TestScopes(t *testing.T) {
	s := newServer(t, Options{})
	c := admin(t, s)
	o := ou(t, s, "Top")
	mustAdd(t, c, "OU=Sub,"+o, map[string][]string{"objectClass": {"organizationalUnit"}})
	mustAdd(t, c, "CN=A,"+o, user("a1", "1"))
	mustAdd(t, c, "CN=B,OU=Sub,"+o, user("b1", "2"))
	tests := []struct {
		name  string
		scope int
		want  []string
	}{
		{"base", ldap.ScopeBaseObject, []string{o}},
		{"one level", ldap.ScopeSingleLevel, []string{"CN=A," + o, "OU=Sub," + o}},
		{"subtree", ldap.ScopeWholeSubtree, []string{"CN=A," + o, "CN=B,OU=Sub," + o, "OU=Sub," + o, o}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := search(t, c, strings.ToLower(o), tt.scope, "(objectClass=*)")
			slices.Sort(got)
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
	_, err := c.Search(ldap.NewSearchRequest("OU=Nope,"+o, ldap.ScopeWholeSubtree, 0, 0, 0, false, "(objectClass=*)", nil, nil))
	var le *ldap.Error
	if !errors.As(err, &le) || le.ResultCode != ldap.LDAPResultNoSuchObject || le.MatchedDN != o {
		t.Errorf("missing base: %v (matched %q), want 32 with matched DN %s", err, matchedOf(err), o)
	}
}

func matchedOf(err error) string {
	var le *ldap.Error
	if errors.As(err, &le) {
		return le.MatchedDN
	}
	return ""
}

func TestPagingPast1000(t *testing.T) {
	s := newServer(t, Options{})
	o := ou(t, s, "Many")
	seedUsers(t, s, o, 2500)
	c := admin(t, s)
	for _, size := range []uint32{1, 7, 500, 1000, 5000} {
		if size == 1 {
			continue // 2500 round trips is slow and proves nothing more than 7
		}
		r, err := c.SearchWithPaging(ldap.NewSearchRequest(o, ldap.ScopeSingleLevel, 0, 0, 0, false, "(objectClass=user)", []string{"sAMAccountName"}, nil), size)
		if err != nil {
			t.Fatalf("page size %d: %v", size, err)
		}
		seen := map[string]bool{}
		for _, e := range r.Entries {
			seen[e.GetAttributeValue("sAMAccountName")] = true
		}
		if len(r.Entries) != 2500 || len(seen) != 2500 {
			t.Errorf("page size %d: %d entries, %d distinct, want 2500", size, len(r.Entries), len(seen))
		}
	}
}

// pages drives the paged-results control by hand and returns the number of
// entries in each page and the cookies.
func TestPagingCookies(t *testing.T) {
	s := newServer(t, Options{})
	o := ou(t, s, "P")
	seedUsers(t, s, o, 25)
	c := admin(t, s)
	pc := ldap.NewControlPaging(10)
	var sizes []int
	for i := 0; i < 10; i++ {
		r, err := c.Search(ldap.NewSearchRequest(o, ldap.ScopeSingleLevel, 0, 0, 0, false, "(objectClass=user)", nil, []ldap.Control{pc}))
		if err != nil {
			t.Fatal(err)
		}
		sizes = append(sizes, len(r.Entries))
		rc, ok := ldap.FindControl(r.Controls, ldap.ControlTypePaging).(*ldap.ControlPaging)
		if !ok {
			t.Fatal("no paging control in response")
		}
		if len(rc.Cookie) == 0 {
			break
		}
		pc.SetCookie(rc.Cookie)
	}
	if !slices.Equal(sizes, []int{10, 10, 5}) {
		t.Errorf("page sizes %v, want [10 10 5] with an empty cookie on the last page", sizes)
	}

	// A cookie the server never gave out is refused.
	pc.SetCookie([]byte("bogus"))
	if _, err := c.Search(ldap.NewSearchRequest(o, ldap.ScopeSingleLevel, 0, 0, 0, false, "(objectClass=user)", nil, []ldap.Control{pc})); code(err) != ldap.LDAPResultUnwillingToPerform {
		t.Errorf("bogus cookie: %v, want 53", err)
	}

	// Page size 0 with a live cookie abandons the search.
	pc = ldap.NewControlPaging(10)
	r, err := c.Search(ldap.NewSearchRequest(o, ldap.ScopeSingleLevel, 0, 0, 0, false, "(objectClass=user)", nil, []ldap.Control{pc}))
	if err != nil {
		t.Fatal(err)
	}
	cookie := ldap.FindControl(r.Controls, ldap.ControlTypePaging).(*ldap.ControlPaging).Cookie
	pc = ldap.NewControlPaging(0)
	pc.SetCookie(cookie)
	r, err = c.Search(ldap.NewSearchRequest(o, ldap.ScopeSingleLevel, 0, 0, 0, false, "(objectClass=user)", nil, []ldap.Control{pc}))
	if err != nil || len(r.Entries) != 0 {
		t.Fatalf("abandon: %v, %d entries", err, len(r.Entries))
	}
	pc.SetCookie(cookie)
	pc.PagingSize = 10
	if _, err := c.Search(ldap.NewSearchRequest(o, ldap.ScopeSingleLevel, 0, 0, 0, false, "(objectClass=user)", nil, []ldap.Control{pc})); code(err) != ldap.LDAPResultUnwillingToPerform {
		t.Errorf("cookie after abandon: %v, want 53", err)
	}
}

func TestSizeLimit(t *testing.T) {
	s := newServer(t, Options{})
	o := ou(t, s, "Many")
	seedUsers(t, s, o, 1001)
	c := admin(t, s)
	tests := []struct {
		name      string
		sizeLimit int
		filter    string
		wantN     int
		wantCode  int
	}{
		{"unpaged over 1000", 0, "(objectClass=user)", 1000, ldap.LDAPResultSizeLimitExceeded},
		{"unpaged exactly 1000", 0, "(&(objectClass=user)(!(sAMAccountName=u00000)))", 1000, 0},
		{"client limit", 5, "(objectClass=user)", 5, ldap.LDAPResultSizeLimitExceeded},
		{"client limit 1 one match", 1, "(sAMAccountName=u00007)", 1, 0},
		{"client limit above 1000", 5000, "(objectClass=user)", 1000, ldap.LDAPResultSizeLimitExceeded},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := c.Search(ldap.NewSearchRequest(o, ldap.ScopeSingleLevel, 0, tt.sizeLimit, 0, false, tt.filter, []string{"1.1"}, nil))
			if code(err) != tt.wantCode {
				t.Fatalf("err %v, want code %d", err, tt.wantCode)
			}
			if r == nil || len(r.Entries) != tt.wantN {
				t.Fatalf("got %v entries, want %d", r, tt.wantN)
			}
		})
	}
	// A size limit also caps a paged search, over all pages.
	r, err := c.SearchWithPaging(ldap.NewSearchRequest(o, ldap.ScopeSingleLevel, 0, 15, 0, false, "(objectClass=user)", []string{"1.1"}, nil), 10)
	if code(err) != ldap.LDAPResultSizeLimitExceeded || r == nil || len(r.Entries) != 15 {
		t.Errorf("paged with size limit 15: %v, %v entries", err, r)
	}
}

func TestGUIDBase(t *testing.T) {
	s := newServer(t, Options{})
	c := admin(t, s)
	o := ou(t, s, "G")
	raw := []byte{0x67, 0x97, 0xe1, 0xe5, 0xec, 0xb5, 0x15, 0x4f, 0x96, 0x0f, 0x86, 0x5c, 0x28, 0xc0, 0x15, 0xfa}
	attrs := user("guidy", "1")
	attrs["objectGUID"] = []string{string(raw)}
	if err := s.AddEntry("CN=Guidy,"+o, attrs); err != nil {
		t.Fatal(err)
	}
	for _, base := range []string{
		"<GUID=e5e19767-b5ec-4f15-960f-865c28c015fa>",
		"<GUID=E5E19767-B5EC-4F15-960F-865C28C015FA>",
		"<GUID=6797e1e5ecb5154f960f865c28c015fa>", // raw byte order, as AD also accepts
	} {
		r, err := c.Search(ldap.NewSearchRequest(base, ldap.ScopeBaseObject, 0, 0, 0, false, "(objectClass=*)", []string{"objectGUID", "sAMAccountName"}, nil))
		if err != nil {
			t.Fatalf("%s: %v", base, err)
		}
		if len(r.Entries) != 1 || r.Entries[0].DN != "CN=Guidy,"+o || string(r.Entries[0].GetRawAttributeValue("objectGUID")) != string(raw) {
			t.Errorf("%s: got %+v", base, r.Entries)
		}
	}
	if got := GUIDString(raw); got != "e5e19767-b5ec-4f15-960f-865c28c015fa" {
		t.Errorf("GUIDString = %s", got)
	}
	if g, err := ParseGUID("{e5e19767-b5ec-4f15-960f-865c28c015fa}"); err != nil || string(g[:]) != string(raw) {
		t.Errorf("ParseGUID = %x, %v", g, err)
	}
	_, err := c.Search(ldap.NewSearchRequest("<GUID=00000000-0000-0000-0000-000000000001>", ldap.ScopeBaseObject, 0, 0, 0, false, "(objectClass=*)", nil, nil))
	if code(err) != ldap.LDAPResultNoSuchObject {
		t.Errorf("unknown GUID: %v, want 32", err)
	}
	// Server-generated GUIDs are 16 random bytes, different per object.
	mustAdd(t, c, "CN=X1,"+o, user("x1", "1"))
	mustAdd(t, c, "CN=X2,"+o, user("x2", "1"))
	e1, _ := s.Entry("CN=X1," + o)
	e2, _ := s.Entry("CN=X2," + o)
	if len(e1["objectGUID"][0]) != 16 || e1["objectGUID"][0] == e2["objectGUID"][0] {
		t.Errorf("generated GUIDs %x %x", e1["objectGUID"][0], e2["objectGUID"][0])
	}
	if len(e1["objectSid"][0]) != 28 || e1["objectSid"][0] == e2["objectSid"][0] {
		t.Errorf("generated SIDs %x %x", e1["objectSid"][0], e2["objectSid"][0])
	}
}

func TestRootDSEAndAnonymous(t *testing.T) {
	s := newServer(t, Options{})
	c := dial(t, s)
	r, err := c.Search(ldap.NewSearchRequest("", ldap.ScopeBaseObject, 0, 0, 0, false, "(objectClass=*)", nil, nil))
	if err != nil {
		t.Fatal(err)
	}
	root := r.Entries[0]
	if got := root.GetAttributeValue("defaultNamingContext"); got != s.BaseDN() {
		t.Errorf("defaultNamingContext = %q", got)
	}
	if !slices.Contains(root.GetAttributeValues("supportedControl"), ldap.ControlTypePaging) {
		t.Errorf("supportedControl %v lacks paging", root.GetAttributeValues("supportedControl"))
	}
	r, err = c.Search(ldap.NewSearchRequest("", ldap.ScopeBaseObject, 0, 0, 0, false, "(objectClass=*)", []string{"DEFAULTNAMINGCONTEXT"}, nil))
	if err != nil || len(r.Entries[0].Attributes) != 1 {
		t.Errorf("rootDSE with one attribute: %v %v", err, r)
	}
	// Anything else needs a bind, as in AD.
	_, err = c.Search(ldap.NewSearchRequest(s.BaseDN(), ldap.ScopeBaseObject, 0, 0, 0, false, "(objectClass=*)", nil, nil))
	if code(err) != ldap.LDAPResultOperationsError || !strings.Contains(err.Error(), "000004DC") {
		t.Errorf("anonymous search: %v", err)
	}
	if err := c.Add(addReq("CN=X,"+s.BaseDN(), user("x", "1"))); code(err) != ldap.LDAPResultOperationsError {
		t.Errorf("anonymous add: %v", err)
	}
}

func TestAttributeSelectionAndReferrals(t *testing.T) {
	s := newServer(t, Options{})
	c := admin(t, s)
	o := ou(t, s, "A")
	a := user("sel", "0101011234")
	a["unicodePwd"] = []string{EncodePassword("Secret-Passw0rd")}
	mustAdd(t, c, "CN=Sel,"+o, a)
	r, err := c.Search(ldap.NewSearchRequest("CN=Sel,"+o, ldap.ScopeBaseObject, 0, 0, 0, false, "(objectClass=*)", []string{"samaccountname", "EMPLOYEEID", "unicodePwd", "modifyTimestamp"}, nil))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, at := range r.Entries[0].Attributes {
		names = append(names, at.Name)
	}
	slices.Sort(names)
	if !slices.Equal(names, []string{"employeeID", "modifyTimeStamp", "sAMAccountName"}) {
		t.Errorf("attributes %v: want canonical names, no unicodePwd", names)
	}
	r, err = c.Search(ldap.NewSearchRequest("CN=Sel,"+o, ldap.ScopeBaseObject, 0, 0, 0, true, "(objectClass=*)", []string{"sAMAccountName"}, nil))
	if err != nil || len(r.Entries[0].Attributes) != 1 || len(r.Entries[0].Attributes[0].Values) != 0 {
		t.Errorf("typesOnly: %v %+v", err, r.Entries[0].Attributes)
	}
	// A subtree search from the domain root carries AD's referral.
	r, err = c.Search(ldap.NewSearchRequest(s.BaseDN(), ldap.ScopeWholeSubtree, 0, 0, 0, false, "(sAMAccountName=sel)", []string{"1.1"}, nil))
	if err != nil || len(r.Entries) != 1 || len(r.Referrals) != 1 || !strings.HasPrefix(r.Referrals[0], "ldap://test.local/CN=Configuration,") {
		t.Errorf("root search: %v, %d entries, referrals %v", err, len(r.Entries), r.Referrals)
	}
}

// TestFilterPacketErrors checks a malformed filter gets a protocol error
// rather than killing the connection.
func TestFilterPacketErrors(t *testing.T) {
	s := newServer(t, Options{})
	d := s.dir
	bad := ber.Encode(ber.ClassContext, ber.TypeConstructed, ldap.FilterEqualityMatch, nil, "")
	if _, err := d.compileFilter(bad); err == nil || err.code != resultProtocolError {
		t.Errorf("equality without value: %v", err)
	}
	if _, err := d.compileFilter(ber.NewString(ber.ClassUniversal, ber.TypePrimitive, ber.TagOctetString, "x", "")); err == nil {
		t.Error("universal packet accepted as filter")
	}
}
