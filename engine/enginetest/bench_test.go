package enginetest_test

import (
	"context"
	"runtime"
	"strings"
	"testing"
	"time"

	"moxsync/engine"
	"moxsync/engine/enginetest"
	"moxsync/mo/motest"
)

// world is a municipality in steady state: MO from motest, an AD holding
// accounts for most people (some drifted, some missing), the MO IT users
// of those accounts, and an STS record of what was sent before.
type world struct {
	in engine.PlanInput
}

func newWorld(tb testing.TB, size motest.Size) world {
	tb.Helper()
	ds := motest.Generate(size, 7)
	snap := ds.Snapshot(ds.Today.Add(12*time.Hour), ds.TopUnitUUID)
	sys := ""
	for _, s := range snap.ITSystems {
		if strings.EqualFold(s.Name, "Active Directory") || strings.EqualFold(s.UserKey, "Active Directory") {
			sys = s.UUID
		}
	}
	if sys == "" {
		tb.Fatal("motest has no Active Directory IT system")
	}
	opts := engine.PlanOptions{Mapping: engine.DefaultMapping(), NewUserOU: "OU=Nye", SearchBase: "DC=kommune,DC=dk",
		UPNSuffix: "kommune.dk", ADITSystemUUID: sys, TopUnit: ds.TopUnitUUID, Now: snap.ReadAt}
	ctx := context.Background()
	// First plan against an empty AD: every engaged person gets a create.
	first, err := engine.BuildPlan(ctx, engine.PlanInput{MO: snap, ADRead: true, Options: opts})
	if err != nil {
		tb.Fatal(err)
	}
	dir := enginetest.NewDirectory("employeeID")
	people := map[string]*engine.Person{}
	for i := range snap.People {
		people[snap.People[i].UUID] = &snap.People[i]
	}
	n := 0
	for _, c := range first.Changes {
		if c.System != engine.SystemAD || c.Op != engine.OpCreate {
			continue
		}
		n++
		if n%10 == 0 {
			continue // 10 % have no account yet
		}
		na := engine.NewAccount{DN: c.Target.DN, Attrs: map[string][]string{}}
		for _, f := range c.Fields {
			switch f.Attr {
			case "sAMAccountName":
				na.SAMAccountName = f.After
			case "userPrincipalName":
				na.UPN = f.After
			case "cn":
				na.CN = f.After
			default:
				na.Attrs[strings.ToLower(f.Attr)] = []string{f.After}
			}
		}
		if n%50 == 1 {
			na.Attrs["title"] = []string{"Gammel titel"} // 2 % drifted
		}
		a := dir.Add(engine.Account{DN: na.DN, CN: na.CN, SAMAccountName: na.SAMAccountName, UPN: na.UPN, UserAccountControl: 512, Attrs: na.Attrs})
		p := people[c.MOUUID]
		p.ITUsers = append(p.ITUsers, engine.ITUser{UUID: "it-" + a.GUID, UserKey: a.SAMAccountName, ExternalID: a.GUID, ITSystemUUID: sys,
			Validity: engine.Validity{From: snap.ReadAt.AddDate(-1, 0, 0)}})
	}
	// STS record: what the first plan would have sent.
	rec := engine.STSRecord{Units: map[string]engine.STSUnit{}, Users: map[string]engine.STSUser{}}
	desired, _ := engine.MapSTS(snap, engine.STSMapOptions{TopUnitUUID: ds.TopUnitUUID, Now: snap.ReadAt})
	for i, u := range desired.Units {
		if i%40 != 3 {
			rec.Units[u.UUID] = u
		}
	}
	for i, u := range desired.Users {
		if i%40 != 5 {
			rec.Users[u.UUID] = u
		}
	}
	accts, _ := dir.Accounts(ctx, opts.Mapping.ReadAttributes())
	taken, _ := dir.TakenNames(ctx)
	return world{in: engine.PlanInput{MO: snap, AD: accts, Taken: taken, ADRead: true, Options: opts,
		STS: engine.NewSTSPlanner(engine.STSMapOptions{TopUnitUUID: ds.TopUnitUUID, Now: snap.ReadAt}, rec)}}
}

func benchmarkPlan(b *testing.B, size motest.Size) {
	w := newWorld(b, size)
	ctx := context.Background()
	runtime.GC()
	b.ReportAllocs()
	b.ResetTimer()
	var p *engine.Plan
	for b.Loop() {
		var err error
		p, err = engine.BuildPlan(ctx, w.in)
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(w.in.MO.People)), "people")
	b.ReportMetric(float64(len(w.in.AD)), "accounts")
	b.ReportMetric(float64(len(p.Changes)), "changes")
}

func BenchmarkPlanTypical(b *testing.B) { benchmarkPlan(b, motest.SizeTypical) }
func BenchmarkPlanLarge(b *testing.B)   { benchmarkPlan(b, motest.SizeLarge) }

// TestWorldIsSteady checks the benchmark's world: a plan over it holds only
// the 10 % missing accounts, the 2 % drifted titles and the write-backs
// and STS changes they imply — not a full rebuild.
func TestWorldIsSteady(t *testing.T) {
	w := newWorld(t, motest.SizeDemo)
	p, err := engine.BuildPlan(context.Background(), w.in)
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	for _, c := range p.Changes {
		counts[string(c.System)+" "+string(c.Op)]++
	}
	if counts["ad create"] == 0 || counts["ad update"] == 0 || counts["ad create"] > len(w.in.AD)/4 {
		t.Errorf("counts %v with %d accounts", counts, len(w.in.AD))
	}
	if counts["mo create"] != counts["ad create"] {
		t.Errorf("write-backs %d for %d creates", counts["mo create"], counts["ad create"])
	}
}
