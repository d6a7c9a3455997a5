package watch_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"moxsync/engine"
	"moxsync/store"
)

// An approved create is applied by the watcher, once, with the MO
// write-back that waited with it; the items end as applied.
func TestApprovedCreateIsAppliedOnce(t *testing.T) {
	r := newRig(t, nil)
	r.start(nil)
	r.waitFor("start-up reconciliation", r.reconciled)
	ctx := context.Background()
	var create store.Item
	for _, it := range r.queue(store.Pending) {
		if it.Change.System == engine.SystemAD && it.Change.Op == engine.OpCreate {
			create = it
			break
		}
	}
	if create.Change.ID == "" {
		t.Fatal("no AD create in the queue")
	}
	var writeBack string
	for _, it := range r.queue(store.Pending) {
		if it.Change.DependsOn == create.Change.ID {
			writeBack = it.Change.ID
		}
	}
	if err := r.st.Decide(ctx, time.Now(), create.Change.ID, true, "anne@kommune"); err != nil {
		t.Fatal(err)
	}
	r.waitFor("the create applied", func() bool {
		it, _, _ := r.st.Get(ctx, create.Change.ID)
		return it.Status == store.Applied
	})
	if writeBack != "" {
		r.waitFor("the write-back applied", func() bool {
			it, _, _ := r.st.Get(ctx, writeBack)
			return it.Status == store.Applied
		})
	}
	time.Sleep(5 * r.cfg.PollInterval)
	n := 0
	for _, rec := range r.audit() {
		if rec.ChangeID == create.Change.ID && rec.Result == string(engine.ResultOK) {
			n++
		}
	}
	if n != 1 {
		t.Errorf("the create was applied %d times, want 1", n)
	}
	it, _, _ := r.st.Get(ctx, create.Change.ID)
	if !strings.HasPrefix(it.Result, "applied") || it.ClaimedBy == "" {
		t.Errorf("item after apply: %+v", it)
	}
}
