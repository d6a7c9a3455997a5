package mo_test

import (
	"context"
	"testing"
	"time"

	"moxsync/engine"
	"moxsync/mo"
	"moxsync/mo/motest"
)

// BenchmarkFieldWriteWithReRead measures one AD → MO field write as apply
// does it at 40,000 people (motest.SizeLarge): the person re-read
// (PersonNow, the stale check) and an engagement_update, by the real
// client over loopback HTTP, one at a time; see writes/s.
func BenchmarkFieldWriteWithReRead(b *testing.B) {
	f := startFake(b, motest.SizeLarge, motest.Options{})
	c := f.client(b, mo.APIGraphQL, 29, nil)
	ctx := context.Background()
	jf := []string{f.ds.ClassByUserKey(motest.FacetJobFunction, "Pædagog").UUID, f.ds.ClassByUserKey(motest.FacetJobFunction, "Lærer").UUID}
	from := f.now.Truncate(24 * time.Hour)
	var engs []motest.Engagement
	for _, e := range f.ds.Engagements {
		if !e.Validity.From.After(from) && (e.Validity.To.IsZero() || e.Validity.To.After(from)) {
			engs = append(engs, e)
		}
	}
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		e := engs[i%len(engs)]
		if _, err := c.PersonNow(ctx, e.PersonUUID); err != nil {
			b.Fatal(err)
		}
		w := engine.EngagementWrite{UUID: e.UUID, JobFunctionUUID: jf[i%2], Validity: engine.Validity{From: from, To: e.Validity.To}}
		if err := c.UpdateEngagement(ctx, w); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "writes/s")
}
