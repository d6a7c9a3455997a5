package engine

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func jsonOf(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return err.Error()
	}
	return string(b)
}

// recordOf is the record a successful apply of every desired object leaves.
func recordOf(d STSDesired) STSRecord {
	r := STSRecord{Units: map[string]STSUnit{}, Users: map[string]STSUser{}}
	for _, u := range d.Units {
		r.Units[u.UUID] = u
	}
	for _, u := range d.Users {
		r.Users[u.UUID] = u
	}
	return r
}

func stsDiffSnapshot() *Snapshot {
	snap := stsTestSnapshot()
	snap.Units[0].Addresses = []Address{addr("a1", "PHONE", "PhoneUnit", "44 44 44 44", "")}
	snap.People = []Person{
		person(pJens, "Jens", "Hansen", []Engagement{{UUID: "e1", UnitUUID: uB, JobFunction: "Konsulent", Validity: since(2020)}}, nil, nil),
		person(pAne, "Ane", "Jensen", []Engagement{{UUID: "e2", UnitUUID: uA, JobFunction: "Chef", IsPrimary: true, Validity: since(2020)}}, nil, nil),
	}
	snap.People[1].CPR = "0101801234"
	return snap
}

func opsOf(cs []Change) []string {
	var out []string
	for _, c := range cs {
		out = append(out, string(c.Op)+" "+STSObjectKind(&c)+" "+c.Target.UUID)
	}
	return out
}

func TestDiffSTS(t *testing.T) {
	opts := STSMapOptions{SyncCPR: true}
	base, _ := MapSTS(stsDiffSnapshot(), opts)
	full := recordOf(base)

	t.Run("empty record: everything is a create, units parent first then users", func(t *testing.T) {
		cs, warns := DiffSTS(&base, STSRecord{})
		want := []string{"create orgunit " + uTop, "create orgunit " + uA, "create orgunit " + uB, "create user " + pJens, "create user " + pAne}
		if got := opsOf(cs); !reflect.DeepEqual(got, want) || len(warns) != 0 {
			t.Fatalf("changes %v warns %v", got, warns)
		}
		if cs[1].DependsOn != cs[0].ID || cs[2].DependsOn != cs[1].ID || cs[0].DependsOn != "" {
			t.Errorf("unit creates should depend on their parent's create")
		}
		wantFields := []Field{
			{Attr: "Name", Before: "", After: "Borgerservice", Source: "MO unit name"},
			{Attr: "ParentOrgUnitUuid", Before: "", After: uA, Source: "MO parent unit"},
			{Attr: "Phone", Before: "", After: "44 44 44 44", Source: "MO unit address, scope PHONE"},
			{Attr: "Phone.Uuid", Before: "", After: "a1"},
		}
		if !reflect.DeepEqual(cs[2].Fields, wantFields) {
			t.Errorf("fields:\n got %+v\nwant %+v", cs[2].Fields, wantFields)
		}
		for _, f := range cs[4].Fields {
			if f.Attr == "Person.Cpr" && (f.After != "010180-xxxx" || f.Before != "") {
				t.Errorf("CPR field not masked: %+v", f)
			}
		}
		if cs[4].STSUser.Person.CPR != "0101801234" {
			t.Errorf("payload must carry the real CPR")
		}
	})

	t.Run("record equal to MO: no change", func(t *testing.T) {
		if cs, warns := DiffSTS(&base, full); len(cs) != 0 || len(warns) != 0 {
			t.Fatalf("changes %v warns %v", opsOf(cs), warns)
		}
	})

	t.Run("record repaired from STS with generated fields: no change", func(t *testing.T) {
		rec := recordOf(base)
		u := rec.Units[uTop]
		u.ShortKey = "ab12cd34"
		rec.Units[uTop] = u
		b := rec.Units[uB]
		b.Phone = &STSAddress{UUID: "a1", Value: "44 44 44 44"}
		rec.Units[uB] = b
		os2, _ := MapSTS(stsDiffSnapshot(), STSMapOptions{SyncCPR: true, Dialect: STSDialectOS2sync})
		rec2 := recordOf(os2)
		usr := rec2.Users[pJens]
		usr.Person.UUID = "ffffffff-0000-4000-8000-000000000000"
		rec2.Users[pJens] = usr
		if cs, _ := DiffSTS(&base, rec); len(cs) != 0 {
			t.Errorf("v1_1: changes %v", opsOf(cs))
		}
		if cs, _ := DiffSTS(&os2, rec2); len(cs) != 0 {
			t.Errorf("os2sync: changes %v", opsOf(cs))
		}
	})

	t.Run("field-level update", func(t *testing.T) {
		snap := stsDiffSnapshot()
		snap.Units[0].Name = "Borgerservice og Ydelse"
		snap.Units[0].Addresses = nil
		snap.People[0].Engagements[0].JobFunction = "Specialkonsulent"
		d, _ := MapSTS(snap, opts)
		cs, _ := DiffSTS(&d, full)
		if got, want := opsOf(cs), []string{"update orgunit " + uB, "update user " + pJens}; !reflect.DeepEqual(got, want) {
			t.Fatalf("changes %v, want %v", got, want)
		}
		wantUnit := []Field{
			{Attr: "Name", Before: "Borgerservice", After: "Borgerservice og Ydelse", Source: "MO unit name"},
			{Attr: "Phone", Before: "44 44 44 44", After: "", Source: "MO unit address, scope PHONE"},
		}
		if !reflect.DeepEqual(cs[0].Fields, wantUnit) {
			t.Errorf("unit fields:\n got %+v\nwant %+v", cs[0].Fields, wantUnit)
		}
		wantUser := []Field{{Attr: "Positions[" + uB + "].Name", Before: "Konsulent", After: "Specialkonsulent", Source: "MO engagement job function"}}
		if !reflect.DeepEqual(cs[1].Fields, wantUser) {
			t.Errorf("user fields:\n got %+v\nwant %+v", cs[1].Fields, wantUser)
		}
		// Stable ids: the same intent read twice gets the same id; another intent another id.
		again, _ := DiffSTS(&d, full)
		if again[0].ID != cs[0].ID || again[1].ID != cs[1].ID {
			t.Errorf("change ids are not stable")
		}
		if cs[0].ID == cs[1].ID || cs[0].ID == "" {
			t.Errorf("ids %q %q", cs[0].ID, cs[1].ID)
		}
	})

	t.Run("deletes: gone user, unposted user, gone unit children first, outside unit; top unit kept", func(t *testing.T) {
		rec := recordOf(base)
		gone1, gone2 := "ee000000-0000-4000-8000-000000000001", "ee000000-0000-4000-8000-000000000002"
		rec.Units[gone1] = STSUnit{UUID: gone1, Name: "Nedlagt", ParentUUID: uTop}
		rec.Units[gone2] = STSUnit{UUID: gone2, Name: "Nedlagt barn", ParentUUID: gone1}
		rec.Units[uOut] = STSUnit{UUID: uOut, Name: "Udenfor"}
		rec.Users["dd000000-0000-4000-8000-000000000001"] = STSUser{UUID: "dd000000-0000-4000-8000-000000000001", UserID: "x", Person: STSPerson{Name: "Fratrådt"}}
		snap := stsDiffSnapshot()
		snap.People[0].Engagements[0].UnitUUID = uOut // Jens now only outside the tree
		d, _ := MapSTS(snap, opts)
		cs, warns := DiffSTS(&d, rec)
		want := []string{"delete user " + pJens, "delete user dd000000-0000-4000-8000-000000000001", "delete orgunit " + gone2, "delete orgunit " + gone1, "delete orgunit " + uOut}
		if got := opsOf(cs); !reflect.DeepEqual(got, want) {
			t.Fatalf("changes %v, want %v", got, want)
		}
		if cs[1].Subject != "Fratrådt" || cs[1].STSUser == nil || cs[1].STSUser.UUID != cs[1].Target.UUID {
			t.Errorf("delete change: %+v", cs[1])
		}
		if len(warns) != 0 {
			t.Errorf("warnings %v", warns)
		}
		// Each delete names its reason as the Source of every field.
		wantReason := []string{STSReasonNoEngagement, STSReasonNotInMO, STSReasonNotInMO, STSReasonNotInMO, STSReasonOutsideTop}
		for i, c := range cs {
			if len(c.Fields) == 0 {
				t.Fatalf("%s: no fields", opsOf(cs)[i])
			}
			for _, f := range c.Fields {
				if f.Source != wantReason[i] || f.After != "" {
					t.Errorf("%s: field %+v, want source %q", opsOf(cs)[i], f, wantReason[i])
				}
			}
		}
		// The top unit is never deleted, even when it is gone from MO.
		top := base
		top.Units = base.Units[1:]
		top.InMO = map[string]bool{uA: true, uB: true}
		cs, warns = DiffSTS(&top, full)
		if len(cs) != 0 || !hasWarning(warns, WarnSTSTopUnitDelete) {
			t.Errorf("top unit: changes %v warns %v", opsOf(cs), warns)
		}
	})

	t.Run("a unit MO reads only as an engagement's unit is outside the top unit", func(t *testing.T) {
		elsewhere := "0000000e-0000-4000-8000-000000000001" // not among the units MO returned
		rec := recordOf(base)
		rec.Units[elsewhere] = STSUnit{UUID: elsewhere, Name: "Vikarbureau"}
		snap := stsDiffSnapshot()
		snap.People[1].Engagements = append(snap.People[1].Engagements, Engagement{UUID: "e9", UnitUUID: strings.ToUpper(elsewhere), JobFunction: "Vikar", Validity: since(2020)})
		d, _ := MapSTS(snap, opts)
		cs, _ := DiffSTS(&d, rec)
		if len(cs) != 1 || cs[0].Target.UUID != elsewhere || cs[0].Fields[0].Source != STSReasonOutsideTop {
			t.Fatalf("changes %v", cs)
		}
		d, _ = MapSTS(stsDiffSnapshot(), opts)
		if cs, _ := DiffSTS(&d, rec); len(cs) != 1 || cs[0].Fields[0].Source != STSReasonNotInMO {
			t.Fatalf("without the engagement: %v", cs)
		}
	})

	t.Run("STSORGSYNC_CLEAN limits the kinds deleted", func(t *testing.T) {
		rec := recordOf(base)
		gone := "ee000000-0000-4000-8000-000000000001"
		rec.Units[gone] = STSUnit{UUID: gone, Name: "Nedlagt", ParentUUID: uTop}
		rec.Users["dd000000-0000-4000-8000-000000000001"] = STSUser{UUID: "dd000000-0000-4000-8000-000000000001", UserID: "x", Person: STSPerson{Name: "Fratrådt"}}
		bare := "dd000000-0000-4000-8000-000000000002" // known by uuid alone
		rec.Users[bare] = STSUser{UUID: bare}
		for _, tc := range []struct {
			clean       string
			users, unit int
			warns       int
		}{
			{"", 2, 1, 0}, {STSCleanBoth, 2, 1, 0}, {STSCleanUsers, 2, 0, 1}, {STSCleanUnits, 0, 1, 1}, {STSCleanNone, 0, 0, 2},
		} {
			o := opts
			o.Clean = tc.clean
			d, _ := MapSTS(stsDiffSnapshot(), o)
			cs, warns := DiffSTS(&d, rec)
			var users, units int
			for _, c := range cs {
				switch {
				case c.Op != OpDelete:
					t.Errorf("clean %q: unexpected %v", tc.clean, opsOf([]Change{c}))
				case c.STSUser != nil:
					users++
				default:
					units++
				}
				if c.Target.UUID == bare && (len(c.Fields) == 0 || c.Fields[0].Source != STSReasonNotInMO) {
					t.Errorf("delete of a bare record: fields %+v", c.Fields)
				}
			}
			n := 0
			for _, w := range warns {
				if w.Code == WarnSTSCleanOff {
					n++
				}
			}
			if users != tc.users || units != tc.unit || n != tc.warns {
				t.Errorf("clean %q: %d user and %d unit deletes, %d warnings %v; want %d, %d, %d", tc.clean, users, units, n, warns, tc.users, tc.unit, tc.warns)
			}
		}
	})

	t.Run("no delete when MO returned no people or no units", func(t *testing.T) {
		for _, snap := range []*Snapshot{
			func() *Snapshot { s := stsDiffSnapshot(); s.People = nil; return s }(),
			func() *Snapshot { s := stsDiffSnapshot(); s.Units = nil; return s }(),
			func() *Snapshot { s := stsDiffSnapshot(); s.TopUnit = "unknown"; return s }(),
		} {
			d, _ := MapSTS(snap, opts)
			cs, warns := DiffSTS(&d, full)
			for _, c := range cs {
				if c.Op == OpDelete {
					t.Fatalf("delete despite empty MO: %v", opsOf(cs))
				}
			}
			if !hasWarning(warns, WarnSTSDeleteGuard) {
				t.Errorf("no guard warning: %v", warns)
			}
		}
	})
}

func hasWarning(ws []Warning, code string) bool {
	for _, w := range ws {
		if w.Code == code {
			return true
		}
	}
	return false
}

func TestApplySTSChangeRejectsForeign(t *testing.T) {
	err := ApplySTSChange(t.Context(), nil, &Change{System: SystemAD, Op: OpCreate})
	if KindOf(err) != KindInvalid {
		t.Fatalf("err = %v", err)
	}
	err = ApplySTSChange(t.Context(), nil, &Change{System: SystemSTS, Op: OpDelete})
	if KindOf(err) != KindInvalid || !strings.Contains(err.Error(), "without an STS payload") {
		t.Fatalf("err = %v", err)
	}
}

// stsBigSnapshot builds a deterministic synthetic municipality: units in a
// tree of fan-out 8 under one top unit, and people with one or two
// engagements, a public and a secret phone, an e-mail and an AD account.
func stsBigSnapshot(units, people int) *Snapshot {
	id := func(kind, i int) string { return fmt.Sprintf("%08x-0000-4000-8000-%012x", kind, i) }
	s := &Snapshot{ReadAt: stsNow, TopUnit: id(1, 0), Units: make([]Unit, units), People: make([]Person, people)}
	for i := range units {
		u := Unit{UUID: id(1, i), Name: fmt.Sprintf("Enhed %d", i), Validity: since(2010),
			Addresses: []Address{addr(id(3, i), "PHONE", "PhoneUnit", fmt.Sprintf("44%06d", i), ""), addr(id(4, i), "EAN", "EAN", fmt.Sprintf("5798%09d", i), "")}}
		if i > 0 {
			u.ParentUUID = id(1, (i-1)/8)
		}
		s.Units[i] = u
	}
	for i := range people {
		p := person(id(2, i), fmt.Sprintf("Fornavn%d", i), "Efternavn", []Engagement{
			{UUID: id(5, i), UnitUUID: id(1, (i*7)%units), JobFunction: "Sagsbehandler", IsPrimary: true, Validity: since(2020)},
		}, []Address{
			addr(id(6, i), "PHONE", "PhoneEmployee", fmt.Sprintf("40%06d", i), "PUBLIC"),
			addr(id(7, i), "PHONE", "MobileEmployee", fmt.Sprintf("50%06d", i), "SECRET"),
			addr(id(8, i), "EMAIL", "EmailEmployee", fmt.Sprintf("p%d@kommune.dk", i), ""),
		}, []ITUser{{UUID: id(9, i), UserKey: fmt.Sprintf("u%05d", i), ITSystemName: "Active Directory", Validity: since(2020)}})
		if i%3 == 0 {
			p.Engagements = append(p.Engagements, Engagement{UUID: id(10, i), UnitUUID: id(1, (i*13)%units), JobFunction: "Konsulent", Validity: since(2021)})
		}
		p.CPR = fmt.Sprintf("0101%06d", i)
		s.People[i] = p
	}
	return s
}

// BenchmarkMapDiffSTSLarge maps and diffs the "large" data set (3,000 units,
// 40,000 people) against a record of the previous run in which 1 % of the
// people changed.
func BenchmarkMapDiffSTSLarge(b *testing.B) {
	snap := stsBigSnapshot(3000, 40000)
	opts := STSMapOptions{UserIDFromAD: true, SyncCPR: true}
	prev, _ := MapSTS(snap, opts)
	rec := recordOf(prev)
	for i := 0; i < len(snap.People); i += 100 {
		snap.People[i].GivenName += "x"
	}
	b.ReportAllocs()
	b.ResetTimer()
	var n int
	for b.Loop() {
		d, _ := MapSTS(snap, opts)
		cs, _ := DiffSTS(&d, rec)
		n = len(cs)
	}
	if n != 400 {
		b.Fatalf("%d changes, want 400", n)
	}
	b.ReportMetric(float64(len(snap.Units)+len(snap.People))*float64(b.N)/b.Elapsed().Seconds(), "objects/s")
}

// TestSameAgreesWithFields checks the fast path of DiffSTS against the
// field comparison it stands for.
func TestSameAgreesWithFields(t *testing.T) {
	base, _ := MapSTS(stsBigSnapshot(20, 40), STSMapOptions{SyncCPR: true})
	unitMut := []func(*STSUnit){
		func(u *STSUnit) {},
		func(u *STSUnit) { u.Name += " " },
		func(u *STSUnit) { u.Name = "Andet" },
		func(u *STSUnit) { u.ShortKey = "generated" },
		func(u *STSUnit) { u.Phone = nil },
		func(u *STSUnit) { u.Phone.UUID = "" },
		func(u *STSUnit) { u.Phone.UUID = strings.ToUpper(u.Phone.UUID) },
		func(u *STSUnit) { u.Ean = &STSAddress{Value: "x"} },
		func(u *STSUnit) { u.ITSystemUUIDs = []string{"b", "a"} },
		func(u *STSUnit) { u.ParentUUID = strings.ToUpper(u.ParentUUID) },
		func(u *STSUnit) { u.ParentUUID = "" },
	}
	userMut := []func(*STSUser){
		func(u *STSUser) {},
		func(u *STSUser) { u.Person.CPR = "" },
		func(u *STSUser) { u.Person.UUID = "other" },
		func(u *STSUser) { u.UserID = "x" },
		func(u *STSUser) { u.Positions = append(u.Positions, u.Positions[0]) },
		func(u *STSUser) { u.Positions = append([]STSPosition{{Name: "N", OrgUnitUUID: "z"}}, u.Positions...) },
		func(u *STSUser) { u.Positions[0].UUID = "" },
		func(u *STSUser) { u.Positions[0].Name = "Ny titel" },
		func(u *STSUser) { u.Email = nil },
	}
	for i, m := range unitMut {
		for _, u := range base.Units[1:3] {
			have := u
			if u.Phone != nil {
				p := *u.Phone
				have.Phone = &p
			}
			m(&have)
			same, fields := sameUnit(&u, &have), diffFields(unitFields(&u), unitFields(&have))
			if same != (len(fields) == 0) {
				t.Errorf("unit mutation %d: same=%v fields=%+v", i, same, fields)
			}
		}
	}
	for i, m := range userMut {
		u := base.Users[0]
		have := u
		have.Positions = slices.Clone(u.Positions)
		m(&have)
		same, fields := sameUser(&u, &have), diffFields(userFields(&u), userFields(&have))
		if same != (len(fields) == 0) {
			t.Errorf("user mutation %d: same=%v fields=%+v", i, same, fields)
		}
	}
}
