package sts

import (
	"flag"
	"fmt"
	"net/http/httptest"
	"testing"
	"time"

	"moxsync/engine"
	"moxsync/sts/ststest"
)

var benchConcurrency = flag.Int("sts.concurrency", DefaultConcurrency, "concurrent requests in BenchmarkApplyUserUpserts")

// BenchmarkApplyUserUpserts applies 5,000 user creates to the fake
// middleware through the client and the state-recording target, with
// -sts.concurrency requests in flight (default 4), without and with a
// simulated middleware latency of 1 ms per request.
func BenchmarkApplyUserUpserts(b *testing.B) {
	const n = 5000
	changes := make([]engine.Change, n)
	for i := range changes {
		u := engine.STSUser{
			UUID: fmt.Sprintf("0000000b-0000-4000-8000-%012d", i), UserID: fmt.Sprintf("u%05d", i),
			Email:     &engine.STSAddress{Value: fmt.Sprintf("u%05d@kommune.dk", i)},
			Positions: []engine.STSPosition{{Name: "Sagsbehandler", OrgUnitUUID: ou1}},
			Person:    engine.STSPerson{Name: fmt.Sprintf("Person %d", i)},
		}
		changes[i] = engine.Change{ID: fmt.Sprint(i), System: engine.SystemSTS, Op: engine.OpCreate, Target: engine.Target{UUID: u.UUID}, STSUser: &u}
	}
	for _, latency := range []time.Duration{0, time.Millisecond} {
		b.Run(fmt.Sprintf("latency=%v/concurrency=%d", latency, *benchConcurrency), func(b *testing.B) {
			fake := ststest.New(ststest.Options{Latency: latency, CVR: "29189846"})
			hs := httptest.NewServer(fake)
			defer hs.Close()
			c, err := New(Config{BaseURL: hs.URL + "/api/v1_1", CVR: "29189846"})
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				rec := NewRecorder(c, NewState(b.TempDir()+"/state.json"))
				if failed := ApplyChanges(b.Context(), rec, changes, *benchConcurrency, nil); failed != 0 {
					b.Fatalf("%d failed", failed)
				}
				if err := rec.Close(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "upserts/s")
			if got := fake.RequestCount(); got != n*b.N {
				b.Fatalf("%d requests, want %d", got, n*b.N)
			}
		})
	}
}
