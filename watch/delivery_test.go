package watch_test

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"

	"moxsync/engine"
	"moxsync/store"
	"moxsync/watch"
)

// failingPartial fails its first n partial reads, as an MO that is down.
type failingPartial struct {
	engine.MOPartialReader
	fail atomic.Int32
}

func (f *failingPartial) Partial(ctx context.Context, people, units []string) (*engine.PartialSnapshot, error) {
	if f.fail.Add(-1) >= 0 {
		return nil, engine.E(engine.KindUnavailable, "mo: partial read", "", errors.New("connection refused"))
	}
	return f.MOPartialReader.Partial(ctx, people, units)
}

// An event whose processing fails is not acknowledged; MO hands it out
// again and it is processed once.
func TestUnacknowledgedEventIsRedelivered(t *testing.T) {
	r := newRig(t, nil)
	fp := &failingPartial{}
	r.start(func(c *watch.Config) { fp.MOPartialReader = c.Partial; c.Partial = fp })
	r.waitFor("start-up reconciliation", r.reconciled)
	p, e := r.employee(2)
	d := r.dir()
	acct, _ := r.account(d, p.CPR)
	before := r.writes(engine.SystemAD, acct.GUID)
	fp.fail.Store(2)
	job := r.jobOtherThan(e)
	if err := r.srv.MO().SetJobFunction(e.UUID, job); err != nil {
		t.Fatal(err)
	}
	r.waitFor("the failed attempts", func() bool { return fp.fail.Load() < 0 })
	r.waitFor("the title in AD", func() bool {
		a, _ := r.account(d, p.CPR)
		return a.Attr("title") == job
	})
	r.waitFor("the event acknowledged", func() bool { return r.pending() == 0 })
	if got := r.writes(engine.SystemAD, acct.GUID) - before; got != 1 {
		t.Errorf("AD writes = %d, want 1", got)
	}
	failed := 0
	for _, b := range r.batches() {
		if b.Err != nil && strings.Contains(b.Err.Error(), "connection refused") {
			failed++
		}
	}
	if failed < 2 {
		t.Errorf("%d failed batches reported, want 2", failed)
	}
}

// The same event twice (MO deduplicates only pending ones; a re-emit after
// processing is a new event) writes nothing the second time: the plan of
// the subject is empty.
func TestDuplicateEventsWriteOnce(t *testing.T) {
	r := newRig(t, nil)
	r.start(nil)
	r.waitFor("start-up reconciliation", r.reconciled)
	p, e := r.employee(3)
	d := r.dir()
	acct, _ := r.account(d, p.CPR)
	before := r.writes(engine.SystemAD, acct.GUID)
	job := r.jobOtherThan(e)
	if err := r.srv.MO().SetJobFunction(e.UUID, job); err != nil {
		t.Fatal(err)
	}
	r.srv.MO().Emit("engagement", e.UUID)
	r.waitFor("acknowledged", func() bool { return r.pending() == 0 && r.w.Totals().Events >= 1 })
	events := r.w.Totals().Events
	r.srv.MO().Emit("engagement", e.UUID)
	r.srv.MO().Emit("person", p.UUID)
	r.waitFor("the repeats acknowledged", func() bool { return r.pending() == 0 && r.w.Totals().Events >= events+2 })
	if got := r.writes(engine.SystemAD, acct.GUID) - before; got != 1 {
		t.Errorf("AD writes = %d, want 1", got)
	}
}

// READONLY queues everything and writes nothing.
func TestReadOnlyWritesNothing(t *testing.T) {
	r := newRig(t, map[string]string{"READONLY": "true"})
	r.start(nil)
	r.waitFor("start-up reconciliation", r.reconciled)
	p, e := r.employee(0)
	job := r.jobOtherThan(e)
	if err := r.srv.MO().SetJobFunction(e.UUID, job); err != nil {
		t.Fatal(err)
	}
	r.waitFor("the title change queued", func() bool {
		for _, it := range r.queue(store.Pending) {
			if it.Change.System == engine.SystemAD && it.Change.MOUUID == p.UUID && it.Change.Op == engine.OpUpdate {
				return strings.Contains(it.Rule, "READONLY")
			}
		}
		return false
	})
	if recs := r.audit(); len(recs) != 0 {
		t.Errorf("READONLY wrote %d audit results, want none: %+v", len(recs), recs[0])
	}
	if tot := r.w.Totals(); tot.Applied != 0 {
		t.Errorf("applied %d, want 0", tot.Applied)
	}
}

func (r *rig) batches() []watch.BatchReport {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]watch.BatchReport(nil), r.reports...)
}
