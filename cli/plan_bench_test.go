package cli

import (
	"context"
	"testing"

	"moxsync/demo"
	"moxsync/mo/motest"
)

// benchmarkLoopbackPlan measures what `moxsync plan` does against the
// in-process fakes on loopback: read MO over GraphQL (motest), read AD over
// LDAP (adtest seeded from the same data), read the STS record, and plan.
// B/op, allocs/op and the process's RSS include the fakes serving in the
// same process; BenchmarkPlan keeps them in a child process and measures
// the tool alone.
func benchmarkLoopbackPlan(b *testing.B, size motest.Size) {
	ctx := context.Background()
	env, err := demo.New(ctx, demo.Options{Size: size, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	defer env.Close()
	b.ReportAllocs()
	b.ResetTimer()
	changes := 0
	for b.Loop() {
		p, err := env.MakePlan(ctx, nil)
		if err != nil {
			b.Fatal(err)
		}
		changes = len(p.Changes)
	}
	b.ReportMetric(float64(len(env.Dataset.People)), "people")
	b.ReportMetric(float64(changes), "changes")
}

func BenchmarkLoopbackPlanTypical(b *testing.B) { benchmarkLoopbackPlan(b, motest.SizeTypical) }
func BenchmarkLoopbackPlanLarge(b *testing.B)   { benchmarkLoopbackPlan(b, motest.SizeLarge) }
