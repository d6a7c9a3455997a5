package adtest

import (
	"slices"
	"strings"
	"testing"

	"github.com/go-ldap/ldap/v3"

	"moxsync/mo/motest"
)

func TestSeedFromMO(t *testing.T) {
	ds := motest.Generate(motest.SizeDemo, 1)
	s := newServer(t, Options{})
	rep, err := s.SeedFromMO(ds, SeedOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Matched) < 100 || len(rep.Drifted) == 0 || len(rep.Orphans) < 3 || rep.DuplicateCPR == "" {
		t.Fatalf("report: %d matched, %d drifted, %d orphans, duplicate %q", len(rep.Matched), len(rep.Drifted), len(rep.Orphans), rep.DuplicateCPR)
	}
	c := admin(t, s)
	r, err := c.SearchWithPaging(ldap.NewSearchRequest(rep.OU, ldap.ScopeWholeSubtree, 0, 0, 0, false,
		"(&(objectClass=user)(objectCategory=person))", []string{"sAMAccountName", "employeeID", "objectGUID", "title", "mail", "userAccountControl"}, nil), 500)
	if err != nil {
		t.Fatal(err)
	}
	if want := len(rep.Matched) + len(rep.Orphans) + 1; len(r.Entries) != want {
		t.Errorf("%d accounts, want %d", len(r.Entries), want)
	}

	// Every matched account belongs to an MO person by AD IT user: the
	// sAMAccountName is its user_key, the objectGUID its external ID, and
	// employeeID (digits only) its CPR.
	type it struct{ person, guid string }
	bySAM := map[string]it{}
	adSys := ""
	for _, s := range ds.ITSystems {
		if s.UserKey == motest.ADSystemName {
			adSys = s.UUID
		}
	}
	for _, u := range ds.ITUsers {
		if u.ITSystemUUID == adSys {
			bySAM[u.UserKey] = it{u.PersonUUID, u.ExternalID}
		}
	}
	cprOf := map[string]string{}
	for _, p := range ds.People {
		cprOf[p.UUID] = p.CPR
	}
	matched := map[string]bool{}
	for _, dn := range rep.Matched {
		matched[dn] = true
	}
	byCPR := map[string]int{}
	for _, e := range r.Entries {
		cpr := strings.ReplaceAll(e.GetAttributeValue("employeeID"), "-", "")
		if cpr != "" {
			byCPR[cpr]++
		}
		if !matched[e.DN] {
			continue
		}
		u, ok := bySAM[e.GetAttributeValue("sAMAccountName")]
		if !ok {
			t.Errorf("%s: sAMAccountName %q is no AD IT user", e.DN, e.GetAttributeValue("sAMAccountName"))
			continue
		}
		if got := GUIDString(e.GetRawAttributeValue("objectGUID")); got != u.guid {
			t.Errorf("%s: objectGUID %s, want IT user's %s", e.DN, got, u.guid)
		}
		if cpr != cprOf[u.person] {
			t.Errorf("%s: employeeID %q is not the person's CPR", e.DN, e.GetAttributeValue("employeeID"))
		}
	}
	shared := 0
	for _, n := range byCPR {
		if n > 1 {
			shared++
		}
	}
	if shared != 1 {
		t.Errorf("%d CPRs shared by several accounts, want 1", shared)
	}
	// Some employeeIDs are written with a dash, as DIPEX did.
	if got := search(t, c, rep.OU, ldap.ScopeSingleLevel, "(employeeID=*-*)"); len(got) == 0 {
		t.Error("no employeeID with a dash")
	}
	// Orphans have CPRs no MO person has.
	moCPR := map[string]bool{}
	for _, cpr := range cprOf {
		moCPR[cpr] = true
	}
	for _, dn := range rep.Orphans {
		e, _ := s.Entry(dn)
		if cpr := e["employeeID"]; cpr != nil && moCPR[cpr[0]] {
			t.Errorf("orphan %s has an MO CPR", dn)
		}
	}
}

func BenchmarkSeedFromMOTypical(b *testing.B) {
	ds := motest.Generate(motest.SizeTypical, 1)
	for i := 0; i < b.N; i++ {
		s := newServer(b, Options{})
		rep, err := s.SeedFromMO(ds, SeedOptions{})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(len(rep.Matched)), "accounts")
		s.Close()
	}
}

// TestSeedADOwned: with ADOwnedEvery, every n-th matched account (not a
// drifted one) holds another job function MO has as its title and a
// phone number written with spaces, different from MO's.
func TestSeedADOwned(t *testing.T) {
	ds := motest.Generate(motest.SizeDemo, 4)
	s, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	rep, err := s.SeedFromMO(ds, SeedOptions{ADOwnedEvery: 25})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.ADOwned) < len(rep.Matched)/25-1 || len(rep.ADOwned) == 0 {
		t.Fatalf("%d of %d accounts AD-owned", len(rep.ADOwned), len(rep.Matched))
	}
	names := map[string]bool{}
	for _, c := range ds.Classes {
		names[c.Name] = true
	}
	for _, dn := range rep.ADOwned {
		if slices.Contains(rep.Drifted, dn) {
			t.Errorf("%s is both drifted and AD-owned", dn)
		}
		e, err := s.Entry(dn)
		if err != nil {
			t.Fatal(err)
		}
		if title := first(e, "title"); !names[title] {
			t.Errorf("%s: title %q is no MO class", dn, title)
		}
		if phone := first(e, "telephoneNumber"); !strings.HasPrefix(phone, "+45 21 ") {
			t.Errorf("%s: phone %q", dn, phone)
		}
	}
	plain, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer plain.Close()
	if rep, _ := plain.SeedFromMO(ds, SeedOptions{}); len(rep.ADOwned) != 0 {
		t.Errorf("ADOwned without the option: %d", len(rep.ADOwned))
	}
}

func first(e map[string][]string, attr string) string {
	for k, v := range e {
		if strings.EqualFold(k, attr) && len(v) > 0 {
			return v[0]
		}
	}
	return ""
}
