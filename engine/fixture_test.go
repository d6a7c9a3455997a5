package engine_test

import (
	"context"
	"testing"
	"time"

	"moxsync/engine"
	"moxsync/engine/enginetest"
)

var testNow = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

const (
	adSys   = "a0000000-0000-4000-8000-0000000000ad"
	topUnit = "00000000-0000-4000-8000-000000000001"
	unitBS  = "00000000-0000-4000-8000-000000000002"
	base    = "DC=test,DC=local"
	newOU   = "OU=Nye brugere"
)

func day(d int) time.Time { return time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC).AddDate(0, 0, d) }

func engagement(uuid, job, userKey string, primary bool, from, to int) engine.Engagement {
	v := engine.Validity{From: day(from)}
	if to != 0 {
		v.To = day(to)
	}
	return engine.Engagement{UUID: uuid, UserKey: userKey, UnitUUID: unitBS, JobFunction: job, IsPrimary: primary, Validity: v}
}

func addr(uuid, scope, text string) engine.Address {
	return engine.Address{UUID: uuid, Value: text, Name: text, Scope: scope, TypeUserKey: scope, Validity: engine.Validity{From: day(-400)}}
}

// fixture is a small municipality: MO with people in each situation the
// planner handles, and an AD that matches part of it.
type fixture struct {
	snap *engine.Snapshot
	dir  *enginetest.Directory
	mo   *enginetest.MO
	sts  *enginetest.STS
	// GUIDs of the seeded accounts, by name.
	guid map[string]string
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	s := &engine.Snapshot{
		ReadAt:  testNow,
		TopUnit: topUnit,
		Units: []engine.Unit{
			{UUID: topUnit, UserKey: "KOM", Name: "Kommune", Validity: engine.Validity{From: day(-4000)}},
			{UUID: unitBS, UserKey: "BS", Name: "Borgerservice", ParentUUID: topUnit, Validity: engine.Validity{From: day(-4000)},
				Addresses: []engine.Address{addr("ua1", "DAR", "Rådhuspladsen 1, 1550 København V")}},
		},
		ITSystems: []engine.ITSystem{{UUID: adSys, UserKey: "Active Directory", Name: "Active Directory"}},
		People: []engine.Person{
			{UUID: "p1", GivenName: "Jens", Surname: "Hansen", CPR: "0101801234",
				Engagements: []engine.Engagement{engagement("e1", "Sagsbehandler", "208", true, -30, 0)},
				Addresses: []engine.Address{addr("a1", "EMAIL", "jens@kommune.dk"), addr("a2", "PHONE", "12 34 56 78"),
					addr("a3", "DAR", "Parkvej 1234, 8000 Aarhus C")}},
			{UUID: "p2", GivenName: "Anne", Surname: "Berg", CPR: "0202805678",
				Engagements: []engine.Engagement{engagement("e2", "Teamleder", "208", true, -300, 0)},
				Addresses:   []engine.Address{addr("a4", "EMAIL", "anne@kommune.dk")}},
			{UUID: "p3", GivenName: "Ole", Surname: "Lund", CPR: "0303801111",
				Engagements: []engine.Engagement{engagement("e3", "Pedel", "208", true, -300, -2)}},
			{UUID: "p4", GivenName: "Mette", Surname: "Dahl", CPR: "0404802222",
				Engagements: []engine.Engagement{engagement("e4", "Jurist", "208", true, -1, 0)}},
			{UUID: "p5", GivenName: "Uden", Surname: "Cpr",
				Engagements: []engine.Engagement{engagement("e5", "Elev", "208", true, -1, 0)}},
			{UUID: "p6", GivenName: "Dobbelt", Surname: "Konto", CPR: "0505803333",
				Engagements: []engine.Engagement{engagement("e6", "Elev", "208", true, -1, 0)}},
			{UUID: "p7", GivenName: "Kirsten", Surname: "Holm", CPR: "0606804444",
				Engagements: []engine.Engagement{engagement("e7", "Konsulent", "ENG-7", true, -1, 0)}},
			{UUID: "p8", GivenName: "Jens", Surname: "Hansen", CPR: "0707805555",
				Engagements: []engine.Engagement{engagement("e8", "Vikar", "208", false, 14, 0)}},
		},
	}
	f := &fixture{snap: s, dir: enginetest.NewDirectory("employeeID"), sts: enginetest.NewSTS(), guid: map[string]string{}}
	add := func(name, sam, cn, cpr string, uac int, attrs map[string][]string) {
		if attrs == nil {
			attrs = map[string][]string{}
		}
		attrs["employeeid"] = []string{cpr}
		a := f.dir.Add(engine.Account{DN: "CN=" + cn + ",OU=Brugere," + base, CN: cn, SAMAccountName: sam, UPN: sam + "@kommune.dk",
			UserAccountControl: uac, Attrs: attrs})
		f.guid[name] = a.GUID
	}
	add("anne", "aberg", "Anne Berg", "020280-5678", 512, map[string][]string{
		"givenname": {" Anne "}, "sn": {"Berg"}, "title": {"Sagsbehandler"}, "mail": {"Anne@Kommune.dk"}, "countrycode": {"208"}})
	add("ole", "olund", "Ole Lund", "0303801111", 512, map[string][]string{"givenname": {"Ole"}, "sn": {"Lund"}, "title": {"Pedel"}, "countrycode": {"208"}})
	add("mette", "mdahl", "Mette Dahl", "0404802222", 514, map[string][]string{"givenname": {"Mette"}, "sn": {"Dahl"}, "title": {"Jurist"}, "countrycode": {"208"}})
	add("dup1", "dkonto", "Dobbelt Konto", "0505803333", 512, nil)
	add("dup2", "dkonto2", "Dobbelt Konto 2", "0505803333", 512, nil)
	add("orphan", "gammel", "Gammel Bruger", "0808806666", 512, nil)
	f.dir.ReserveName("jhans") // a group named jhans: Jens Hansen becomes jhans2
	f.mo = enginetest.NewMO(s)
	return f
}

func (f *fixture) options() engine.PlanOptions {
	return engine.PlanOptions{
		Mapping: engine.DefaultMapping(), MatchBy: engine.MatchByCPR, CPRAttr: "employeeID",
		NewUserOU: newOU, SearchBase: base, UPNSuffix: "kommune.dk", ADITSystemUUID: adSys, TopUnit: topUnit,
		Now: testNow, ToolVersion: "test",
	}
}

// read reads all three fakes and plans, as the plan command does.
func (f *fixture) plan(t testing.TB, o engine.PlanOptions) *engine.Plan {
	t.Helper()
	ctx := context.Background()
	snap, err := f.mo.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	accts, err := f.dir.Accounts(ctx, o.Mapping.ReadAttributes())
	if err != nil {
		t.Fatal(err)
	}
	taken, err := f.dir.TakenNames(ctx)
	if err != nil {
		t.Fatal(err)
	}
	p, err := engine.BuildPlan(ctx, engine.PlanInput{MO: snap, AD: accts, Taken: taken, ADRead: true,
		STS: engine.NewSTSPlanner(engine.STSMapOptions{TopUnitUUID: topUnit, Now: testNow}, f.sts.Record()), Options: o})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func (f *fixture) applyOptions(audit engine.AuditSink) engine.ApplyOptions {
	return engine.ApplyOptions{Directory: f.dir, MO: f.mo, STS: f.sts, Audit: audit, Operator: "tester", Host: "host1",
		Now: func() time.Time { return testNow }}
}
