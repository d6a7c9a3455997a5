package sts

import (
	"path/filepath"
	"testing"
	"time"

	"moxsync/engine"
	"moxsync/mo/motest"
	"moxsync/sts/ststest"
)

// TestGeneratedMunicipality pushes the generated demo municipality through
// map, diff and apply into a strict fake in both dialects: the strict fake
// answers 400 for anything the real middleware would refuse or fail on
// (two positions in a unit, values over the limits), so every change must
// go through; and a second run must send nothing.
func TestGeneratedMunicipality(t *testing.T) {
	d := motest.Generate(motest.SizeDemo, 7)
	now := d.Today.Add(12 * time.Hour)
	snap := d.Snapshot(now, d.TopUnitUUID)
	for _, tc := range []struct {
		dialect string
		limits  ststest.Limits
		classic bool
	}{
		{DialectV11, ststest.LimitsClassicMSSQL, true},
		{DialectOS2sync, ststest.LimitsOS2sync, false},
	} {
		t.Run(tc.dialect, func(t *testing.T) {
			c, fake := fakeClient(t, ststest.Options{Strict: true, Limits: tc.limits}, Config{Dialect: tc.dialect})
			opts := engine.STSMapOptions{Dialect: tc.dialect, ClassicMSSQL: tc.classic, UserIDFromAD: true, SyncCPR: true}
			statePath := filepath.Join(t.TempDir(), "state.json")
			first := run(t, snap, statePath, c, opts)
			units, users := fake.Active()
			if units == 0 || users == 0 || units+users != len(first) {
				t.Fatalf("%d changes, fake holds %d units and %d users", len(first), units, users)
			}
			if f := fake.Failures(); len(f) != 0 {
				t.Fatalf("processing failures: %+v", f)
			}
			fake.ResetRequests()
			if again := run(t, snap, statePath, c, opts); len(again) != 0 || fake.RequestCount() != 0 {
				t.Fatalf("re-run: %d changes, %d requests", len(again), fake.RequestCount())
			}
		})
	}
}

// BenchmarkMapDiffMotestLarge maps and diffs motest's "large" municipality
// (about 3,000 units and 40,000 people) against the record of the previous
// run (no change).
func BenchmarkMapDiffMotestLarge(b *testing.B) {
	d := motest.Generate(motest.SizeLarge, 1)
	snap := d.Snapshot(d.Today.Add(12*time.Hour), d.TopUnitUUID)
	opts := engine.STSMapOptions{UserIDFromAD: true}
	prev, _ := engine.MapSTS(snap, opts)
	rec := engine.STSRecord{Units: map[string]engine.STSUnit{}, Users: map[string]engine.STSUser{}}
	for _, u := range prev.Units {
		rec.Units[u.UUID] = u
	}
	for _, u := range prev.Users {
		rec.Users[u.UUID] = u
	}
	b.ReportAllocs()
	var n int
	for b.Loop() {
		des, _ := engine.MapSTS(snap, opts)
		cs, _ := engine.DiffSTS(&des, rec)
		n = len(cs)
	}
	if n != 0 {
		b.Fatalf("%d changes, want 0", n)
	}
	b.ReportMetric(float64(len(snap.Units)+len(snap.People))*float64(b.N)/b.Elapsed().Seconds(), "objects/s")
	b.Logf("%d units, %d people → %d STS units, %d users, %d unposted", len(snap.Units), len(snap.People), len(prev.Units), len(prev.Users), len(prev.Unposted))
}
