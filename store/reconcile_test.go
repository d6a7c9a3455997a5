package store_test

import (
	"context"
	"path/filepath"
	"testing"

	"moxsync/engine"
	"moxsync/store"
)

// A reconciliation re-plans every subject (store.AllSubjects): what it no
// longer plans is superseded, whatever the subject; nil supersedes nothing.
func TestEnqueueAllSubjects(t *testing.T) {
	ctx := context.Background()
	s := open(t, filepath.Join(t.TempDir(), "w.db"), store.Options{Exclusive: true})
	if _, err := s.Enqueue(ctx, t0, []string{"p1", "p2", "p3"}, []store.Item{item("a", "p1", engine.OpCreate), item("b", "p2", engine.OpCreate), item("c", "p3", engine.OpCreate)}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Enqueue(ctx, t0, nil, []store.Item{item("d", "p4", engine.OpCreate)}); err != nil {
		t.Fatal(err)
	}
	if got := statuses(t, s); got["a"] != store.Pending || got["b"] != store.Pending || got["c"] != store.Pending || got["d"] != store.Pending {
		t.Fatalf("after a nil-subject enqueue: %v", got)
	}
	if _, err := s.Enqueue(ctx, t0, store.AllSubjects, []store.Item{item("b", "p2", engine.OpCreate)}); err != nil {
		t.Fatal(err)
	}
	want := map[string]store.Status{"a": store.Superseded, "b": store.Pending, "c": store.Superseded, "d": store.Superseded}
	got := statuses(t, s)
	for id, st := range want {
		if got[id] != st {
			t.Errorf("%s: %s, want %s", id, got[id], st)
		}
	}
}

// Release hands a claimed item back to approved with the reason; it is
// claimed again by the next round.
func TestRelease(t *testing.T) {
	ctx := context.Background()
	s := open(t, filepath.Join(t.TempDir(), "w.db"), store.Options{Exclusive: true})
	if _, err := s.Enqueue(ctx, t0, []string{"p1"}, []store.Item{item("a", "p1", engine.OpCreate)}); err != nil {
		t.Fatal(err)
	}
	if err := s.Decide(ctx, t0, "a", true, "anne"); err != nil {
		t.Fatal(err)
	}
	if ok, err := s.Claim(ctx, t0, "a", "watch"); !ok || err != nil {
		t.Fatalf("claim: %v %v", ok, err)
	}
	if err := s.Release(ctx, t0, "a", "not applied: refused"); err != nil {
		t.Fatal(err)
	}
	it, _, _ := s.Get(ctx, "a")
	if it.Status != store.Approved || it.Result != "not applied: refused" || it.ClaimedBy != "" {
		t.Errorf("after release: %+v", it)
	}
	if ok, _ := s.Claim(ctx, t0, "a", "tui"); !ok {
		t.Error("a released item cannot be claimed again")
	}
}
