package watch_test

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"moxsync/engine"
	"moxsync/watch"
)

// A listener deleted behind the watcher's back is declared again, and a
// reconciliation catches what happened meanwhile.
func TestDeletedListenerIsRedeclared(t *testing.T) {
	r := newRig(t, nil)
	r.start(nil)
	r.waitFor("start-up reconciliation", r.reconciled)
	mo := r.srv.MO()
	var id string
	for _, l := range mo.Listeners() {
		if strings.HasSuffix(l.UserKey, "engagement") {
			id = l.UUID
		}
	}
	if id == "" || !mo.DeleteListener(id) {
		t.Fatalf("no engagement listener to delete (%+v)", mo.Listeners())
	}
	p, e := r.employee(5)
	job := r.jobOtherThan(e)
	if err := mo.SetJobFunction(e.UUID, job); err != nil { // its event is lost with the listener
		t.Fatal(err)
	}
	d := r.dir()
	r.waitFor("the title in AD (through the reconciliation)", func() bool {
		a, _ := r.account(d, p.CPR)
		return a.Attr("title") == job
	})
	reconciles := 0
	for _, b := range r.batches() {
		if b.Trigger == "reconcile" {
			reconciles++
		}
	}
	if reconciles < 2 {
		t.Errorf("%d reconciliations, want the start-up one and one after the redeclaration", reconciles)
	}
	found := false
	for _, l := range mo.Listeners() {
		found = found || strings.HasSuffix(l.UserKey, "engagement")
	}
	if !found {
		t.Error("the engagement listener was not declared again")
	}
}

// flakyEvents fails DeclareListeners while down is set, counting calls.
type flakyEvents struct {
	engine.MOEvents
	down  atomic.Bool
	calls atomic.Int32
}

func (f *flakyEvents) DeclareListeners(ctx context.Context, prefix string, keys []string) ([]engine.MOListener, error) {
	f.calls.Add(1)
	if f.down.Load() {
		return nil, engine.E(engine.KindUnavailable, "mo: declare listeners", "", errors.New("dial tcp: connection refused"))
	}
	return f.MOEvents.DeclareListeners(ctx, prefix, keys)
}

// MO down at start: the watcher retries with a growing wait (no busy
// loop) and starts when MO answers.
func TestMODownAtStartRetriesWithBackoff(t *testing.T) {
	r := newRig(t, nil)
	fe := &flakyEvents{}
	fe.down.Store(true)
	r.start(func(c *watch.Config) { fe.MOEvents = c.Events; c.Events = fe })
	time.Sleep(1500 * time.Millisecond)
	// Poll interval 100 ms: waits of 100, 200, 400, 800 ms make at most 5
	// attempts in 1.5 s; a busy loop would make thousands.
	if n := fe.calls.Load(); n < 2 || n > 5 {
		t.Errorf("%d attempts in 1.5 s with a 100 ms poll interval; want 2..5 (backoff)", n)
	}
	fe.down.Store(false)
	r.waitFor("start-up reconciliation", r.reconciled)
}
