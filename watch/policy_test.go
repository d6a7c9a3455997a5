package watch_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"moxsync/engine"
	"moxsync/mo/motest"
	"moxsync/store"
)

// leavers are people with an AD account and exactly one engagement, a
// current one: ending it makes the account a disable.
func (r *rig) leavers(n int) []motest.Engagement {
	r.t.Helper()
	ds := r.srv.Dataset
	d := r.dir()
	count := map[string]int{}
	for _, e := range ds.Engagements {
		count[e.PersonUUID]++
	}
	var out []motest.Engagement
	for _, e := range ds.Engagements {
		if count[e.PersonUUID] != 1 || !e.Validity.ActiveAt(time.Now()) || !e.Validity.To.IsZero() {
			continue
		}
		for _, p := range ds.People {
			if p.UUID != e.PersonUUID {
				continue
			}
			if a, ok := r.account(d, p.CPR); ok && !a.Disabled() {
				out = append(out, e)
			}
		}
		if len(out) == n {
			return out
		}
	}
	r.t.Fatalf("only %d leavers", len(out))
	return nil
}

// The delete thresholds hold for the automatic part per rolling window:
// with disables applied at once and SAFETY_MAX_DELETES = 2, leavers are
// disabled at once until the window holds 2 automatic disables; the next
// waits, saying why.
func TestThresholdsHoldInWatch(t *testing.T) {
	r := newRig(t, map[string]string{"WATCH_APPLY_AT_ONCE": "update, disable", "SAFETY_MAX_DELETES": "2", "SAFETY_MAX_DELETE_PERCENT": "100"})
	r.start(nil)
	r.waitFor("start-up reconciliation", r.reconciled)
	ctx := context.Background()
	inWindow := func() int {
		n, err := r.st.DestructiveSince(ctx, time.Now().Add(-time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := inWindow(); n > 2 {
		t.Fatalf("the start-up reconciliation applied %d disables at once; SAFETY_MAX_DELETES = 2", n)
	}
	for _, e := range r.leavers(4) {
		before := r.w.Totals().Events
		if err := r.srv.MO().EndEngagement(e.UUID, time.Now().Add(-time.Minute)); err != nil {
			t.Fatal(err)
		}
		r.waitFor("the leaver processed", func() bool { return r.pending() == 0 && r.w.Totals().Events > before })
	}
	if n := inWindow(); n != 2 {
		t.Errorf("automatic disables in the window = %d, want 2", n)
	}
	held := 0
	for _, it := range r.queue(store.Pending) {
		if it.Change.Op == engine.OpDisable && strings.Contains(it.Rule, "SAFETY_MAX_DELETES = 2") {
			held++
		}
	}
	if held < 2 {
		t.Errorf("%d disables wait with the threshold rule, want at least 2", held)
	}
}
