package watch_test

import (
	"context"
	"testing"
	"time"

	"moxsync/engine"
	"moxsync/store"
)

// STS follows events through the STS record: once the STS side of the
// municipality is approved and in place, a title change sends the user's
// new position name to STSOrgSync at once, and an event with nothing to
// change (a no-op) sends nothing.
func TestSTSFollowsEventsAndNoOpSendsNothing(t *testing.T) {
	r := newRig(t, map[string]string{"SAFETY_MAX_DELETES": "1000", "SAFETY_MAX_DELETE_PERCENT": "100"})
	r.start(nil)
	r.waitFor("start-up reconciliation", r.reconciled)
	ctx := context.Background()
	// Approve every STS change the start-up queued (a first run: STS is
	// empty but for a few stale objects).
	for _, it := range r.queue(store.Pending) {
		if it.Change.System == engine.SystemSTS {
			if err := r.st.Decide(ctx, time.Now(), it.Change.ID, true, "anne@kommune"); err != nil {
				t.Fatal(err)
			}
		}
	}
	r.waitFor("the STS changes applied", func() bool {
		for _, it := range r.queue(store.Approved, store.Applying) {
			if it.Change.System == engine.SystemSTS {
				return false
			}
		}
		return true
	})
	// An employee the STS record holds (people of units outside the export
	// are not in STS).
	p, e := r.employee(6)
	for i := 7; i < 40; i++ {
		if _, ok := r.env.STSState.User(p.UUID); ok {
			break
		}
		p, e = r.employee(i)
	}
	if _, ok := r.env.STSState.User(p.UUID); !ok {
		t.Fatal("no employee with an account is in the STS record")
	}

	// A no-op: MO says the person changed, but nothing did.
	time.Sleep(3 * r.cfg.PollInterval)
	before, events := r.srv.STSRequests(), r.w.Totals().Events
	r.srv.MO().Emit("person", p.UUID)
	r.srv.MO().Emit("engagement", e.UUID)
	r.waitFor("the no-op events processed", func() bool { return r.pending() == 0 && r.w.Totals().Events >= events+2 })
	if got := r.srv.STSRequests() - before; got != 0 {
		t.Errorf("a no-op event sent %d requests to STSOrgSync, want 0", got)
	}

	// A title change: the user's position name goes to STS at once.
	job := r.jobOtherThan(e)
	if err := r.srv.MO().SetJobFunction(e.UUID, job); err != nil {
		t.Fatal(err)
	}
	r.waitFor("the new position name in the STS record", func() bool {
		u, ok := r.env.STSState.User(p.UUID)
		if !ok {
			return false
		}
		for _, pos := range u.Positions {
			if pos.Name == job {
				return true
			}
		}
		return false
	})
}
