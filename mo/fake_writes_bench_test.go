package mo_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"moxsync/engine"
	"moxsync/mo"
	"moxsync/mo/motest"
)

// BenchmarkFakeMOWrites measures the fake MO's write rate at 40,000 people
// (motest.SizeLarge): one IT user update per op, sent by the real client
// over loopback HTTP, one at a time, by each API. The fake updates its
// indexes per write (no rebuild), so the rate must stay in the thousands;
// see writes/s.
func BenchmarkFakeMOWrites(b *testing.B) {
	f := startFake(b, motest.SizeLarge, motest.Options{})
	ad := f.ds.ITSystemByUserKey(motest.ADSystemName).UUID
	var accounts []string
	for _, it := range f.ds.ITUsers {
		if it.ITSystemUUID == ad && it.PersonUUID != "" && it.Validity.To.IsZero() {
			accounts = append(accounts, it.UUID)
		}
	}
	from := f.now.Truncate(24 * time.Hour)
	for _, api := range []string{mo.APIGraphQL, mo.APIREST} {
		b.Run(api, func(b *testing.B) {
			c := f.client(b, api, 29, nil)
			ctx := context.Background()
			b.ResetTimer()
			start := time.Now()
			for i := 0; i < b.N; i++ {
				w := engine.ITUserWrite{UUID: accounts[i%len(accounts)], UserKey: fmt.Sprintf("w%s%d", api, i), Validity: engine.Validity{From: from}}
				if err := c.UpdateITUser(ctx, w); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "writes/s")
		})
	}
}

// BenchmarkFakeMOApplyLarge is a full MO write-back at 40,000 people done
// the way engine apply does it: for every person, read the person's IT users
// (the staleness check), then create an AD IT user or update the existing
// one, four changes at a time (apply's default concurrency per system).
// One op is the whole apply; see writes/s and s/apply.
func BenchmarkFakeMOApplyLarge(b *testing.B) {
	for _, api := range []string{mo.APIGraphQL, mo.APIREST} {
		b.Run(api, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				f := startFake(b, motest.SizeLarge, motest.Options{})
				c := f.client(b, api, 29, nil)
				ctx := context.Background()
				ad, err := c.ADITSystemUUID(ctx)
				if err != nil {
					b.Fatal(err)
				}
				people := f.ds.People
				from := f.now.Truncate(24 * time.Hour)
				b.StartTimer()
				start := time.Now()
				var next, writes atomic.Int64
				var wg sync.WaitGroup
				errs := make(chan error, 4)
				for range 4 {
					wg.Add(1)
					go func() {
						defer wg.Done()
						for {
							n := int(next.Add(1)) - 1
							if n >= len(people) {
								return
							}
							if err := writeBack(ctx, c, ad, people[n].UUID, from, api == mo.APIGraphQL); err != nil {
								errs <- fmt.Errorf("person %d: %w", n, err)
								return
							}
							writes.Add(1)
						}
					}()
				}
				wg.Wait()
				close(errs)
				if err := <-errs; err != nil {
					b.Fatal(err)
				}
				took := time.Since(start)
				b.ReportMetric(float64(writes.Load())/took.Seconds(), "writes/s")
				b.ReportMetric(took.Seconds(), "s/apply")
			}
		})
	}
}

// writeBack is one person's change of an MO write-back: the staleness read,
// then an update of the person's AD account or a new one. external_id is
// written only over GraphQL (the REST client refuses it).
func writeBack(ctx context.Context, c *mo.Client, ad, person string, from time.Time, externalID bool) error {
	its, err := c.ITUsers(ctx, person)
	if err != nil {
		return err
	}
	w := engine.ITUserWrite{PersonUUID: person, ITSystemUUID: ad, UserKey: "wb" + person[:8], Validity: engine.Validity{From: from}}
	if externalID {
		w.ExternalID = person
	}
	for _, it := range its {
		if it.ITSystemUUID == ad {
			w.UUID, w.PersonUUID, w.ITSystemUUID = it.UUID, "", ""
			return c.UpdateITUser(ctx, w)
		}
	}
	_, err = c.CreateITUser(ctx, w)
	return err
}
