package mo_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"moxsync/mo/motest"
)

var (
	largeEventsOnce sync.Once
	largeEvents     *eventFake
)

// BenchmarkResolvePartial resolves engagement events of n people and reads
// those people partially, at motest.SizeLarge (40k people), the fake in
// process (its time counts too). requests/op is what MO would see per
// batch of events.
func BenchmarkResolvePartial(b *testing.B) {
	largeEventsOnce.Do(func() { largeEvents = startEventFake(b, motest.SizeLarge, 0) })
	f := largeEvents
	now := f.data.Now()
	var engs []string
	seen := map[string]bool{}
	for _, e := range f.ds.Engagements {
		if e.Validity.ActiveAt(now) && !seen[e.PersonUUID] {
			seen[e.PersonUUID] = true
			engs = append(engs, e.UUID)
		}
	}
	for _, n := range []int{1, 1000} {
		b.Run(map[int]string{1: "1-person", 1000: "1000-people"}[n], func(b *testing.B) {
			c := f.client(b, nil)
			ctx := context.Background()
			if _, err := c.Partial(ctx, []string{f.ds.People[0].UUID}, nil); err != nil { // classes kept, as in a running watch
				b.Fatal(err)
			}
			start := c.Requests()
			t0 := time.Now()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				batch := engs[(i*n)%len(engs):]
				if len(batch) > n {
					batch = batch[:n]
				}
				s, err := c.Resolve(ctx, "engagement", batch)
				if err != nil {
					b.Fatal(err)
				}
				p, err := c.Partial(ctx, s.People, s.Units)
				if err != nil {
					b.Fatal(err)
				}
				if len(p.People) != len(batch) {
					b.Fatalf("read %d people, want %d", len(p.People), len(batch))
				}
			}
			b.StopTimer()
			b.ReportMetric(float64(c.Requests()-start)/float64(b.N), "requests/op")
			b.ReportMetric(float64(time.Since(t0).Milliseconds())/float64(b.N), "ms/op")
		})
	}
}
