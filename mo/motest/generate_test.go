package motest

import (
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"
)

func TestGenerateDeterministic(t *testing.T) {
	a, b := Generate(SizeDemo, 42), Generate(SizeDemo, 42)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("same seed gave different data")
	}
	c := Generate(SizeDemo, 43)
	if reflect.DeepEqual(a.People, c.People) {
		t.Fatal("different seeds gave the same people")
	}
}

func TestGenerateSizes(t *testing.T) {
	if testing.Short() {
		t.Skip("large data set")
	}
	for _, tc := range []struct {
		size          Size
		units, people int
	}{
		{SizeDemo, 50, 300},
		{SizeTypical, 800, 5000},
		{SizeLarge, 3000, 40000},
	} {
		t.Run(string(tc.size), func(t *testing.T) {
			start := time.Now()
			d := Generate(tc.size, 7)
			t.Logf("%s: %d units, %d people, %d engagements, %d addresses, %d IT users, %d managers in %v",
				tc.size, len(d.Units), len(d.People), len(d.Engagements), len(d.Addresses), len(d.ITUsers), len(d.Managers), time.Since(start))
			within := func(got, want int) bool { return got >= want*8/10 && got <= want*12/10 }
			if !within(len(d.Units), tc.units) || !within(len(d.People), tc.people) {
				t.Errorf("%d units, %d people; want about %d and %d", len(d.Units), len(d.People), tc.units, tc.people)
			}
			checkCPRs(t, d)
		})
	}
}

func checkCPRs(t *testing.T, d *Dataset) {
	t.Helper()
	seen := map[string]bool{}
	missing := 0
	for _, p := range d.People {
		if p.CPR == "" {
			missing++
			continue
		}
		birth, ok := CPRBirthDate(p.CPR)
		if !ok {
			t.Errorf("invalid CPR %s", p.CPR)
		}
		if seen[p.CPR] {
			t.Errorf("duplicate CPR %s", p.CPR)
		}
		seen[p.CPR] = true
		if age := d.Today.Year() - birth.Year(); age < 17 || age > 70 {
			t.Errorf("CPR %s gives age %d", p.CPR, age)
		}
		if !p.Validity.From.Equal(date(birth.Year(), birth.Month(), birth.Day())) {
			t.Errorf("person %s valid from %v, born %v", p.UUID, p.Validity.From, birth)
		}
	}
	if missing == 0 || missing > len(d.People)/100 {
		t.Errorf("%d people without CPR", missing)
	}
}

func TestCPRBirthDate(t *testing.T) {
	for _, tc := range []struct {
		cpr  string
		want string // "" = invalid
	}{
		{"0101501234", "1950-01-01"},
		{"0101364000", "2036-01-01"},
		{"0101374000", "1937-01-01"},
		{"0101575000", "2057-01-01"},
		{"0101585000", "1858-01-01"},
		{"0101369000", "2036-01-01"},
		{"0101379999", "1937-01-01"},
		{"2902004000", "2000-02-29"},
		{"2902014000", ""},
		{"3204501234", ""},
		{"0113501234", ""},
		{"010150123", ""},
		{"01015012345", ""},
		{"0101-50123", ""},
	} {
		got, ok := CPRBirthDate(tc.cpr)
		if tc.want == "" {
			if ok {
				t.Errorf("%s accepted as %v", tc.cpr, got)
			}
			continue
		}
		if !ok || got.Format("2006-01-02") != tc.want {
			t.Errorf("%s = %v %v, want %s", tc.cpr, got, ok, tc.want)
		}
	}
}

func TestGenerateContents(t *testing.T) {
	d := Generate(SizeTypical, 1)
	x := buildIndex(d)
	now := d.Today.Add(10 * time.Hour)
	count := map[string]int{}
	for _, p := range d.People {
		name := p.GivenName + " " + p.Surname
		if strings.ContainsAny(name, "æøåÆØÅ") {
			count["æøå"]++
		}
		if strings.ContainsAny(name, "éèüöëï") {
			count["accent"]++
		}
		if strings.Contains(p.Surname, "-") {
			count["hyphen"]++
		}
		if len(strings.Fields(p.GivenName)) > 1 {
			count["given names"]++
		}
		var cur, fut, ended int
		for _, e := range x.engsByPerson[p.UUID] {
			switch {
			case e.Validity.ActiveAt(now):
				cur++
			case e.Validity.CurrentOrFuture(now):
				fut++
			default:
				ended++
			}
		}
		switch {
		case cur+fut+ended == 0:
			count["no engagement"]++
		case cur+fut == 0:
			count["only ended"]++
		case cur == 0:
			count["only future"]++
		}
		if cur > 1 {
			count["several"]++
		}
	}
	for _, a := range d.Addresses {
		c := x.classBy[a.AddressTypeUUID]
		count["addr "+c.Scope]++
		if v := x.classBy[a.VisibilityUUID]; v != nil {
			count["vis "+v.Scope]++
		}
		if a.UnitUUID != "" {
			count["unit addr "+c.Scope]++
		}
		if c.Scope == "DAR" && !strings.Contains(a.DARText, ", ") {
			t.Errorf("DAR text %q", a.DARText)
		}
		if !a.Validity.CurrentOrFuture(now) {
			count["ended address"]++
		}
	}
	ad := d.ITSystemByUserKey(ADSystemName).UUID
	for _, it := range d.ITUsers {
		if it.ITSystemUUID == ad && it.PersonUUID != "" {
			count["ad"]++
			if len(it.ExternalID) != 36 || it.UserKey == "" || strings.ToLower(it.UserKey) != it.UserKey {
				t.Errorf("AD user %+v", it)
			}
		}
	}
	for _, m := range d.Managers {
		if m.PersonUUID == "" {
			count["vacant"]++
		}
	}
	for _, u := range d.Units {
		if !x.inSubtree(u.UUID, d.TopUnitUUID) {
			count["outside"]++
		}
		if !u.Validity.ActiveAt(now) {
			count["ended unit"]++
		}
	}
	for _, k := range []string{"æøå", "accent", "hyphen", "given names", "no engagement", "only ended", "only future", "several",
		"addr EMAIL", "addr PHONE", "addr DAR", "addr TEXT", "vis SECRET", "vis PUBLIC", "vis INTERNAL",
		"unit addr EMAIL", "unit addr PHONE", "unit addr DAR", "unit addr EAN", "unit addr PNUMBER", "unit addr TEXT",
		"ended address", "ad", "vacant", "outside", "ended unit"} {
		if count[k] == 0 {
			t.Errorf("no %s in the data", k)
		}
	}
	if count["ad"] < len(d.People)/2 || count["ad"] > len(d.People) {
		t.Errorf("%d AD users for %d people", count["ad"], len(d.People))
	}
	for _, a := range areas {
		found := false
		for _, u := range d.Units {
			found = found || (u.Name == a.name && u.ParentUUID == d.TopUnitUUID)
		}
		if !found {
			t.Errorf("area %s missing under the top unit", a.name)
		}
	}
}

func TestSnapshotRules(t *testing.T) {
	d := Generate(SizeDemo, 1)
	now := d.Today.Add(10 * time.Hour)
	// A person with an invalid CPR is read without one, with a warning.
	bad := Person{UUID: "ffffffff-0000-4000-8000-000000000001", UserKey: "bad", CPR: "3113001234", GivenName: "Ugyldig", Surname: "Cpr"}
	d.People = append(d.People, bad)
	s := d.Snapshot(now, d.TopUnitUUID)
	if len(s.People) != len(d.People) {
		t.Errorf("%d people in the snapshot, %d in MO", len(s.People), len(d.People))
	}
	if len(s.Warnings) != 1 || s.Warnings[0].Key != bad.UUID || strings.Contains(s.Warnings[0].Message, "3113001234") {
		t.Errorf("warnings: %+v", s.Warnings)
	}
	x := buildIndex(d)
	for _, u := range s.Units {
		if !x.inSubtree(u.UUID, d.TopUnitUUID) {
			t.Errorf("unit %s outside the top unit", u.Name)
		}
		if u.Validity.From.Location() != time.UTC {
			t.Errorf("validity not in UTC")
		}
	}
	if len(s.Units) != len(d.Units)-3 {
		t.Errorf("%d units, want %d (all but the ended one and the two outside)", len(s.Units), len(d.Units)-3)
	}
	for _, p := range s.People {
		for _, e := range p.Engagements {
			if !e.Validity.CurrentOrFuture(now) {
				t.Errorf("ended engagement %s in the snapshot", e.UUID)
			}
		}
		if p.UUID == bad.UUID && p.CPR != "" {
			t.Errorf("invalid CPR kept")
		}
	}
	if !sort.SliceIsSorted(s.People, func(i, j int) bool { return s.People[i].UUID < s.People[j].UUID }) ||
		!sort.SliceIsSorted(s.Units, func(i, j int) bool { return s.Units[i].UUID < s.Units[j].UUID }) {
		t.Error("snapshot not normalised")
	}
}
