package enginetest_test

import (
	"context"
	"runtime"
	"testing"

	"moxsync/engine"
	"moxsync/mo/motest"
)

// benchmarkPlanADOwned plans the benchmark world with AD owning the job
// function, the e-mail and the phone (the AD → MO field rules: a class
// lookup and an address pick per person and rule).
func benchmarkPlanADOwned(b *testing.B, size motest.Size) {
	w := newWorld(b, size)
	m, err := engine.ParseMapping("title = ad engagement.job_function\nmail = ad address.EMAIL\ntelephoneNumber = ad address.BrugerTelefon")
	if err != nil {
		b.Fatal(err)
	}
	w.in.Options.Mapping = m
	ctx := context.Background()
	runtime.GC()
	b.ReportAllocs()
	b.ResetTimer()
	var p *engine.Plan
	for b.Loop() {
		if p, err = engine.BuildPlan(ctx, w.in); err != nil {
			b.Fatal(err)
		}
	}
	mo := 0
	for _, c := range p.Changes {
		if c.System == engine.SystemMO && c.ITUser == nil {
			mo++
		}
	}
	b.ReportMetric(float64(len(w.in.MO.People)), "people")
	b.ReportMetric(float64(mo), "mo-field-changes")
}

func BenchmarkPlanADOwnedTypical(b *testing.B) { benchmarkPlanADOwned(b, motest.SizeTypical) }
func BenchmarkPlanADOwnedLarge(b *testing.B)   { benchmarkPlanADOwned(b, motest.SizeLarge) }
