package adtest

import (
	"fmt"
	"strconv"
	"testing"

	"github.com/go-ldap/ldap/v3"
)

// rootUSN reads the rootDSE's highestCommittedUSN and dsServiceName.
func rootUSN(t *testing.T, c *ldap.Conn) (int64, string) {
	t.Helper()
	r, err := c.Search(ldap.NewSearchRequest("", ldap.ScopeBaseObject, 0, 0, 0, false, "(objectClass=*)",
		[]string{"highestCommittedUSN", "dsServiceName"}, nil))
	if err != nil || len(r.Entries) != 1 {
		t.Fatalf("read rootDSE: %v", err)
	}
	n, err := strconv.ParseInt(r.Entries[0].GetAttributeValue("highestCommittedUSN"), 10, 64)
	if err != nil {
		t.Fatalf("highestCommittedUSN: %v", err)
	}
	return n, r.Entries[0].GetAttributeValue("dsServiceName")
}

// usnOf reads an entry's uSNChanged and uSNCreated; -1, -1 if it is gone.
func usnOf(t *testing.T, s *Server, dn string) (changed, created int64) {
	t.Helper()
	e, err := s.Entry(dn)
	if err != nil {
		return -1, -1
	}
	changed, _ = strconv.ParseInt(e["uSNChanged"][0], 10, 64)
	created, _ = strconv.ParseInt(e["uSNCreated"][0], 10, 64)
	return changed, created
}

// TestUSNEveryWrite: every write raises highestCommittedUSN, and the
// entry written (and only the entries AD counts as written) gets the new
// USN as uSNChanged, with uSNCreated kept.
func TestUSNEveryWrite(t *testing.T) {
	s := newServer(t, Options{})
	c := admin(t, s)
	o := ou(t, s, "USN")
	mod := func(dn string, f func(*ldap.ModifyRequest)) func() error {
		return func() error {
			m := ldap.NewModifyRequest(dn, nil)
			f(m)
			return c.Modify(m)
		}
	}
	boss, jens, ida, grp := "CN=Boss,"+o, "CN=Jens,"+o, "CN=Ida,"+o, "CN=G,"+o
	tests := []struct {
		name    string
		write   func() error
		bumped  []string // entries whose uSNChanged becomes the new USN
		kept    []string // entries whose uSNChanged must not change
		created bool     // bumped[0] was created by the write
		usns    int64    // how far highestCommittedUSN moves
		was     string   // bumped[0]'s DN before the write, if it differs
	}{
		{"add over LDAP", func() error { return c.Add(addReq(boss, user("boss", "0101010001"))) }, []string{boss}, nil, true, 1, ""},
		{"add as the system", func() error {
			u := user("jens", "0101010002")
			u["manager"] = []string{boss}
			return s.AddEntry(jens, u)
		}, []string{jens}, []string{boss}, true, 1, ""},
		{"add a group with a member", func() error {
			return c.Add(addReq(grp, map[string][]string{"objectClass": {"group"}, "member": {jens}}))
		}, []string{grp}, []string{jens}, true, 1, ""},
		{"modify title", mod(jens, func(m *ldap.ModifyRequest) { m.Replace("title", []string{"Chef"}) }), []string{jens}, []string{boss}, false, 1, ""},
		{"set password over LDAP", mod(jens, func(m *ldap.ModifyRequest) { m.Replace("unicodePwd", []string{EncodePassword("Secret123!")}) }), []string{jens}, nil, false, 1, ""},
		{"set password as the system", func() error { return s.SetPassword(jens, "Other123!") }, []string{jens}, nil, false, 1, ""},
		{"disable", mod(jens, func(m *ldap.ModifyRequest) { m.Replace("userAccountControl", []string{"514"}) }), []string{jens}, nil, false, 1, ""},
		{"group member added", mod(grp, func(m *ldap.ModifyRequest) { m.Add("member", []string{boss}) }), []string{grp}, []string{boss, jens}, false, 1, ""},
		{"group member removed", mod(grp, func(m *ldap.ModifyRequest) { m.Delete("member", []string{boss}) }), []string{grp}, []string{boss, jens}, false, 1, ""},
		{"rename", func() error {
			return c.ModifyDN(ldap.NewModifyDNRequest(jens, "CN=Ida", true, ""))
		}, []string{ida}, []string{grp}, false, 1, jens},
		{"move to another OU", func() error {
			sub := "OU=Sub," + o
			if err := s.AddEntry(sub, map[string][]string{"objectClass": {"organizationalUnit"}}); err != nil {
				return err
			}
			return c.ModifyDN(ldap.NewModifyDNRequest(ida, "CN=Ida", true, sub))
		}, []string{"CN=Ida,OU=Sub," + o}, nil, false, 2, ida},
		{"delete the group: its members' memberOf is a back link", func() error {
			return c.Del(ldap.NewDelRequest(grp, nil))
		}, nil, []string{"CN=Ida,OU=Sub," + o}, false, 1, ""},
		{"delete the manager: the report's manager link goes", func() error {
			return c.Del(ldap.NewDelRequest(boss, nil))
		}, []string{"CN=Ida,OU=Sub," + o}, nil, false, 2, ""},
		{"tree delete: one USN per object", func() error {
			return c.Del(ldap.NewDelRequest("OU=Sub,"+o, []ldap.Control{ldap.NewControlSubtreeDelete()}))
		}, nil, nil, false, 2, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before, _ := rootUSN(t, c)
			keptBefore := map[string]int64{}
			for _, dn := range tt.kept {
				keptBefore[dn], _ = usnOf(t, s, dn)
			}
			createdBefore := map[string]int64{}
			for i, dn := range tt.bumped {
				if i == 0 && tt.was != "" {
					_, createdBefore[dn] = usnOf(t, s, tt.was)
					continue
				}
				_, createdBefore[dn] = usnOf(t, s, dn)
			}
			if err := tt.write(); err != nil {
				t.Fatal(err)
			}
			after, _ := rootUSN(t, c)
			if after != before+tt.usns {
				t.Errorf("highestCommittedUSN %d → %d, want +%d", before, after, tt.usns)
			}
			for _, dn := range tt.bumped {
				changed, created := usnOf(t, s, dn)
				if changed != after {
					t.Errorf("%s: uSNChanged %d, want %d", dn, changed, after)
				}
				if tt.created && created != after || !tt.created && created != createdBefore[dn] {
					t.Errorf("%s: uSNCreated %d (was %d, USN now %d)", dn, created, createdBefore[dn], after)
				}
			}
			for _, dn := range tt.kept {
				if got, _ := usnOf(t, s, dn); got != keptBefore[dn] {
					t.Errorf("%s: uSNChanged %d → %d, want it kept", dn, keptBefore[dn], got)
				}
			}
		})
	}
}

// TestRootDSEChangePosition: dsServiceName names the DC's NTDS Settings
// object and stays the same across writes and connections, and
// highestCommittedUSN is the highest uSNChanged in the directory.
func TestRootDSEChangePosition(t *testing.T) {
	s := newServer(t, Options{})
	c := admin(t, s)
	o := ou(t, s, "Pos")
	want := "CN=NTDS Settings,CN=DC1,CN=Servers,CN=Default-First-Site-Name,CN=Sites,CN=Configuration," + s.BaseDN()
	for i := range 3 {
		mustAdd(t, c, fmt.Sprintf("CN=P%d,%s", i, o), user(fmt.Sprintf("p%d", i), "1"))
		usn, dc := rootUSN(t, admin(t, s))
		if dc != want {
			t.Errorf("dsServiceName %q, want %q", dc, want)
		}
		r, err := c.SearchWithPaging(ldap.NewSearchRequest(s.BaseDN(), ldap.ScopeWholeSubtree, 0, 0, 0, false,
			"(objectClass=*)", []string{"uSNChanged"}, nil), 500)
		if err != nil {
			t.Fatal(err)
		}
		var top int64
		for _, e := range r.Entries {
			n, _ := strconv.ParseInt(e.GetAttributeValue("uSNChanged"), 10, 64)
			top = max(top, n)
		}
		if usn != top {
			t.Errorf("highestCommittedUSN %d, highest uSNChanged %d", usn, top)
		}
	}
}

// TestUSNChangedFilterIsInteger: (uSNChanged>=N) and (uSNChanged<=N)
// compare numbers, not text: with N a power of ten, "95" >= "100" as text
// but not as numbers.
func TestUSNChangedFilterIsInteger(t *testing.T) {
	s := newServer(t, Options{})
	c := admin(t, s)
	o := ou(t, s, "Ints")
	start, _ := rootUSN(t, c)
	n := int64(10)
	for n <= start+5 {
		n *= 10
	}
	// Entries on both sides of n, with USNs of both digit counts.
	for i := 0; ; i++ {
		usn, _ := rootUSN(t, c)
		if usn >= n+5 {
			break
		}
		mustAdd(t, c, fmt.Sprintf("CN=I%d,%s", i, o), user(fmt.Sprintf("i%d", i), "1"))
	}
	all := map[string]int64{}
	r, err := c.SearchWithPaging(ldap.NewSearchRequest(o, ldap.ScopeSingleLevel, 0, 0, 0, false, "(objectClass=user)", []string{"uSNChanged"}, nil), 500)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range r.Entries {
		all[e.DN], _ = strconv.ParseInt(e.GetAttributeValue("uSNChanged"), 10, 64)
	}
	below := 0
	for _, u := range all {
		if u < n {
			below++
		}
	}
	if below == 0 || below == len(all) {
		t.Fatalf("%d of %d entries below %d: the test needs both sides", below, len(all), n)
	}
	tests := []struct {
		filter string
		keep   func(int64) bool
	}{
		{fmt.Sprintf("(uSNChanged>=%d)", n), func(u int64) bool { return u >= n }},
		{fmt.Sprintf("(uSNChanged<=%d)", n-1), func(u int64) bool { return u <= n-1 }},
		{fmt.Sprintf("(&(objectClass=user)(objectCategory=person)(uSNChanged>=%d))", n-3), func(u int64) bool { return u >= n-3 }},
		{"(uSNChanged>=abc)", func(int64) bool { return false }},
	}
	for _, tt := range tests {
		t.Run(tt.filter, func(t *testing.T) {
			got := search(t, c, o, ldap.ScopeSingleLevel, tt.filter)
			want := 0
			for _, u := range all {
				if tt.keep(u) {
					want++
				}
			}
			if len(got) != want {
				t.Errorf("%d entries, want %d of %d", len(got), want, len(all))
			}
			for _, dn := range got {
				if !tt.keep(all[dn]) {
					t.Errorf("%s (uSNChanged %d) matched", dn, all[dn])
				}
			}
		})
	}
}
