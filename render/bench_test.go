package render_test

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"moxsync/engine"
	"moxsync/engine/enginetest"
	"moxsync/mo/motest"
	"moxsync/render"
)

// largePlan is the plan of the demo at motest.SizeLarge (~40k people, ~76k
// changes), built in memory: AD holds an account for every person with an
// AD IT user in MO (every 10th with a drifted title), the others get an AD
// create and its MO write-back, and STS has no record yet, so every unit
// and user is created there. It is built once per test binary.
var largePlan = sync.OnceValues(func() (*engine.Plan, error) {
	ctx := context.Background()
	ds := motest.Generate(motest.SizeLarge, 1)
	snap := ds.Snapshot(ds.Today.Add(12*time.Hour), ds.TopUnitUUID)
	sys := ""
	for _, s := range snap.ITSystems {
		if strings.EqualFold(s.Name, "Active Directory") || strings.EqualFold(s.UserKey, "Active Directory") {
			sys = s.UUID
		}
	}
	opts := engine.PlanOptions{Mapping: engine.DefaultMapping(), NewUserOU: "OU=Nye brugere,DC=kommune,DC=dk", SearchBase: "DC=kommune,DC=dk",
		UPNSuffix: ds.Domain, ADITSystemUUID: sys, TopUnit: ds.TopUnitUUID, Now: snap.ReadAt}
	in := engine.PlanInput{MO: snap, ADRead: true, ADReadAt: snap.ReadAt, Options: opts}
	first, err := engine.BuildPlan(ctx, in)
	if err != nil {
		return nil, err
	}
	adUsers := map[string]engine.ITUser{}
	for _, p := range snap.People {
		for _, it := range p.ITUsers {
			if it.ITSystemUUID == sys {
				adUsers[p.UUID] = it
			}
		}
	}
	dir := enginetest.NewDirectory("employeeID")
	for _, c := range first.Changes {
		it, ok := adUsers[c.MOUUID]
		if c.System != engine.SystemAD || c.Op != engine.OpCreate || !ok {
			continue
		}
		a := engine.Account{DN: c.Target.DN, GUID: it.ExternalID, SAMAccountName: it.UserKey, UPN: it.UserKey + "@" + ds.Domain,
			UserAccountControl: 512, Attrs: map[string][]string{}}
		for _, f := range c.Fields {
			switch f.Attr {
			case "sAMAccountName", "userPrincipalName":
			case "cn":
				a.CN = f.After
			default:
				a.Attrs[strings.ToLower(f.Attr)] = []string{f.After}
			}
		}
		if len(adUsers)%10 == 9 {
			a.Attrs["title"] = []string{"Gammel titel"}
		}
		delete(adUsers, c.MOUUID)
		dir.Add(a)
	}
	if in.AD, err = dir.Accounts(ctx, opts.Mapping.ReadAttributes()); err != nil {
		return nil, err
	}
	if in.Taken, err = dir.TakenNames(ctx); err != nil {
		return nil, err
	}
	so := engine.STSMapOptions{TopUnitUUID: ds.TopUnitUUID, Now: snap.ReadAt}
	in.STS = engine.NewSTSPlanner(so, engine.STSRecord{Units: map[string]engine.STSUnit{}, Users: map[string]engine.STSUser{}})
	in.STSReadAt = snap.ReadAt
	return engine.BuildPlan(ctx, in)
})

func benchmarkRenderLarge(b *testing.B, w func(b *testing.B) io.Writer, o render.Options) {
	p, err := largePlan()
	if err != nil {
		b.Fatal(err)
	}
	var size countWriter
	if err := render.Plan(&size, p, o); err != nil {
		b.Fatal(err)
	}
	out := w(b)
	b.SetBytes(size.n)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if err := render.Plan(out, p, o); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(len(p.Changes)), "changes")
	b.ReportMetric(float64(size.lines), "lines")
}

// BenchmarkRenderLargePlan prints the ~40k-people plan (see largePlan) in
// full, as `moxsync plan --full` does, to io.Discard and to a file.
func BenchmarkRenderLargePlan(b *testing.B) {
	full := render.Options{Header: true}
	b.Run("discard", func(b *testing.B) {
		benchmarkRenderLarge(b, func(*testing.B) io.Writer { return io.Discard }, full)
	})
	b.Run("file", func(b *testing.B) {
		benchmarkRenderLarge(b, func(b *testing.B) io.Writer {
			f, err := os.Create(filepath.Join(b.TempDir(), "plan.txt"))
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { f.Close() })
			return f
		}, full)
	})
}

// BenchmarkRenderLargeSummary prints the same plan as `moxsync plan` does
// without --full: the first changes of each group and the counts.
func BenchmarkRenderLargeSummary(b *testing.B) {
	benchmarkRenderLarge(b, func(*testing.B) io.Writer { return io.Discard }, render.Options{Header: true, Summary: true})
}

// countWriter counts bytes and lines written to it.
type countWriter struct{ n, lines int64 }

func (c *countWriter) Write(p []byte) (int, error) {
	c.n += int64(len(p))
	for _, b := range p {
		if b == '\n' {
			c.lines++
		}
	}
	return len(p), nil
}
