package store_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"moxsync/engine"
	"moxsync/store"
)

var t0 = time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)

func open(t *testing.T, path string, o store.Options) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), path, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func item(id, subject string, op engine.Op) store.Item {
	return store.Item{Change: engine.Change{ID: id, System: engine.SystemAD, Op: op, MOUUID: subject, Subject: "Jens Hansen"},
		Subject: subject, Rule: "creates wait for approval", Event: "person " + subject}
}

func statuses(t *testing.T, s *store.Store) map[string]store.Status {
	t.Helper()
	all, err := s.List(context.Background(), store.Pending, store.Approved, store.Rejected, store.Applying, store.Applied, store.Failed, store.Stale, store.Superseded)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]store.Status{}
	for _, it := range all {
		out[it.Change.ID] = it.Status
	}
	return out
}

// TestQueueLifecycle: enqueue, re-plan the same subject (the same change
// keeps its status; a change no longer planned is superseded), reject
// (stays rejected while the intent is the same, superseded when the
// subject changes), approve, claim once, finish.
func TestQueueLifecycle(t *testing.T) {
	ctx := context.Background()
	s := open(t, filepath.Join(t.TempDir(), "w.db"), store.Options{Exclusive: true})
	n, err := s.Enqueue(ctx, t0, []string{"p1", "p2"}, []store.Item{item("c1", "p1", engine.OpCreate), item("d2", "p2", engine.OpDisable)})
	if err != nil || n != 2 {
		t.Fatalf("enqueue: %d, %v", n, err)
	}
	if err := s.Decide(ctx, t0, "d2", false, "anne"); err != nil {
		t.Fatal(err)
	}
	// Re-planned: p1's create is the same intent, p2's disable too.
	if n, err := s.Enqueue(ctx, t0.Add(time.Minute), []string{"p1", "p2"}, []store.Item{item("c1", "p1", engine.OpCreate), item("d2", "p2", engine.OpDisable)}); err != nil || n != 0 {
		t.Fatalf("re-enqueue: %d new, %v", n, err)
	}
	if st := statuses(t, s); st["c1"] != store.Pending || st["d2"] != store.Rejected {
		t.Fatalf("after re-plan: %v", st)
	}
	// p2 changed: its disable is now another change; the rejected one goes.
	if _, err := s.Enqueue(ctx, t0.Add(2*time.Minute), []string{"p2"}, []store.Item{item("d2b", "p2", engine.OpDisable)}); err != nil {
		t.Fatal(err)
	}
	if st := statuses(t, s); st["d2"] != store.Superseded || st["d2b"] != store.Pending || st["c1"] != store.Pending {
		t.Fatalf("after p2 changed: %v", st)
	}
	if err := s.Decide(ctx, t0, "c1", true, "anne"); err != nil {
		t.Fatal(err)
	}
	if ok, err := s.Claim(ctx, t0, "c1", "watch"); !ok || err != nil {
		t.Fatalf("claim: %v %v", ok, err)
	}
	if ok, _ := s.Claim(ctx, t0, "c1", "tui"); ok {
		t.Fatal("claimed twice")
	}
	if err := s.Decide(ctx, t0, "c1", false, "bo"); !errors.Is(err, store.ErrNotOpen) {
		t.Fatalf("decide on a claimed change: %v", err)
	}
	if err := s.Finish(ctx, t0, "c1", store.Applied, "ok"); err != nil {
		t.Fatal(err)
	}
	it, ok, err := s.Get(ctx, "c1")
	if err != nil || !ok || it.Status != store.Applied || it.DecidedBy != "anne" || it.Rule == "" || it.Event != "person p1" || !it.QueuedAt.Equal(t0) {
		t.Fatalf("c1: %+v %v %v", it, ok, err)
	}
	counts, _ := s.Count(ctx)
	if counts[store.Pending] != 1 || counts[store.Applied] != 1 || counts[store.Superseded] != 1 {
		t.Errorf("counts %v", counts)
	}
}

// TestQueueSurvivesReopen: what was committed is there after the store is
// closed and opened again; a claim left by a process that stopped goes
// back to approved.
func TestQueueSurvivesReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "w.db")
	s, err := store.Open(ctx, path, store.Options{Exclusive: true})
	if err != nil {
		t.Fatal(err)
	}
	s.Enqueue(ctx, t0, []string{"p1"}, []store.Item{item("c1", "p1", engine.OpCreate)})
	s.Decide(ctx, t0, "c1", true, "anne")
	s.Claim(ctx, t0, "c1", "watch")
	s.SetADPosition(ctx, engine.ADPosition{DC: "CN=DC1", USN: 4711})
	s.Close()
	s = open(t, path, store.Options{Exclusive: true})
	if n, err := s.Unclaim(ctx, t0); n != 1 || err != nil {
		t.Fatalf("unclaim: %d %v", n, err)
	}
	if st := statuses(t, s); st["c1"] != store.Approved {
		t.Errorf("c1 is %s", st["c1"])
	}
	if p, ok, err := s.ADPosition(ctx); !ok || err != nil || p.USN != 4711 || p.DC != "CN=DC1" {
		t.Errorf("position %+v %v %v", p, ok, err)
	}
}

// TestOpenRefusals: a second exclusive opener is refused naming the
// holder; a file that is not a store is refused naming the file; a
// non-exclusive opener (the TUI) works beside the watch.
func TestOpenRefusals(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "w.db")
	open(t, path, store.Options{Exclusive: true})
	_, err := store.Open(ctx, path, store.Options{Exclusive: true})
	var le *store.LockedError
	if !errors.As(err, &le) || !strings.Contains(err.Error(), "pid") || !strings.Contains(err.Error(), path) {
		t.Errorf("second watch: %v", err)
	}
	open(t, path, store.Options{})
	bad := filepath.Join(dir, "bad.db")
	os.WriteFile(bad, []byte("this is not a database, it is a settings file\n"+strings.Repeat("x", 5000)), 0o600)
	if _, err := store.Open(ctx, bad, store.Options{}); err == nil || !strings.Contains(err.Error(), bad) {
		t.Errorf("corrupt store: %v", err)
	}
}

// TestClaimAcrossProcesses: several processes claim the same approved
// changes at once; each change is claimed exactly once.
func TestClaimAcrossProcesses(t *testing.T) {
	if os.Getenv("STORE_CLAIM_CHILD") != "" {
		claimChild()
		return
	}
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "w.db")
	s := open(t, path, store.Options{})
	var items []store.Item
	var subjects []string
	for i := range 200 {
		id := "c" + string(rune('a'+i%26)) + string(rune('a'+i/26))
		items = append(items, item(id, "p"+id, engine.OpCreate))
		subjects = append(subjects, "p"+id)
	}
	if _, err := s.Enqueue(ctx, t0, subjects, items); err != nil {
		t.Fatal(err)
	}
	for _, it := range items {
		s.Decide(ctx, t0, it.Change.ID, true, "anne")
	}
	var wg sync.WaitGroup
	var total atomic.Int64
	outs := make([]string, 3)
	for i := range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cmd := exec.Command(os.Args[0], "-test.run", "^TestClaimAcrossProcesses$")
			cmd.Env = append(os.Environ(), "STORE_CLAIM_CHILD="+path)
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Errorf("child: %v\n%s", err, out)
			}
			outs[i] = string(out)
		}()
	}
	wg.Wait()
	for _, o := range outs {
		total.Add(int64(strings.Count(o, "CLAIMED ")))
	}
	if total.Load() != 200 {
		t.Errorf("%d claims for 200 changes", total.Load())
	}
	seen := map[string]bool{}
	for _, o := range outs {
		for _, l := range strings.Split(o, "\n") {
			if id, ok := strings.CutPrefix(l, "CLAIMED "); ok {
				if seen[id] {
					t.Errorf("%s claimed twice", id)
				}
				seen[id] = true
			}
		}
	}
}

func claimChild() {
	ctx := context.Background()
	s, err := store.Open(ctx, os.Getenv("STORE_CLAIM_CHILD"), store.Options{})
	if err != nil {
		panic(err)
	}
	defer s.Close()
	items, err := s.List(ctx, store.Approved)
	if err != nil {
		panic(err)
	}
	for _, it := range items {
		ok, err := s.Claim(ctx, t0, it.Change.ID, "child")
		if err != nil {
			panic(err)
		}
		if ok {
			os.Stdout.WriteString("CLAIMED " + it.Change.ID + "\n")
		}
	}
}
