package tui_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"moxsync/engine"
	"moxsync/tui"
	"moxsync/tui/tuitest"
)

// queueWorld is a tuitest.World with a review queue in memory, as a
// store beside a running watch would hold it: changes are queued with
// add, decisions and applies are recorded.
type queueWorld struct {
	*tuitest.World
	base *engine.Plan // the world's plan when the queue was made

	mu        sync.Mutex
	state     tui.QueueState
	decisions []string   // "approve id" / "reject id"
	applies   [][]string // the ids of each ApplyQueued call
	applied   []string   // the ids written
	failQueue error      // the next Queue call fails with it
	// loadGate, when set, holds every Load until it is closed (a refresh
	// that is slow to come).
	loadGate chan struct{}
}

// Load is the world's Load, held while loadGate is open.
func (q *queueWorld) Load(ctx context.Context, report func(tui.LoadEvent)) (*engine.Plan, error) {
	q.mu.Lock()
	gate := q.loadGate
	q.mu.Unlock()
	if gate != nil {
		select {
		case <-gate:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return q.World.Load(ctx, report)
}

// holdLoads makes every Load wait until the returned func is called.
func (q *queueWorld) holdLoads() (release func()) {
	gate := make(chan struct{})
	q.mu.Lock()
	q.loadGate = gate
	q.mu.Unlock()
	return func() { close(gate) }
}

var _ tui.QueueBackend = (*queueWorld)(nil)

// newQueueWorld returns a world with an empty queue and a running watch.
func newQueueWorld(t *testing.T, sc tuitest.Scenario) *queueWorld {
	t.Helper()
	w, err := tuitest.New(context.Background(), sc)
	if err != nil {
		t.Fatal(err)
	}
	p, err := w.Load(context.Background(), func(tui.LoadEvent) {})
	if err != nil {
		t.Fatal(err)
	}
	return &queueWorld{World: w, base: p, state: tui.QueueState{
		Store: "/var/lib/moxsync/watch.db",
		Watch: tui.WatchStatus{Known: true, Running: true, PID: 4242, Host: "sync01", LastEvent: now.Add(-15 * time.Second), Beat: now},
	}}
}

// change returns the base plan's change of system and op.
func (q *queueWorld) change(t *testing.T, system engine.System, op engine.Op) engine.Change {
	t.Helper()
	for _, c := range q.base.Changes {
		if c.System == system && c.Op == op {
			return c
		}
	}
	t.Fatalf("the plan has no %s %s", system, op)
	return engine.Change{}
}

// add queues c as the watch would, with status st.
func (q *queueWorld) add(c engine.Change, st tui.QueueStatus, rule, event string, at time.Time) {
	q.mu.Lock()
	defer q.mu.Unlock()
	it := tui.QueueItem{Change: c, Status: st, Rule: rule, Event: event, QueuedAt: at}
	if st == tui.QueueApproved || st == tui.QueueRejected {
		it.DecidedBy, it.DecidedAt = "jdoe@admin01", at.Add(time.Minute)
	}
	q.state.Items = append(q.state.Items, it)
}

func (q *queueWorld) Queue(context.Context) (tui.QueueState, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if err := q.failQueue; err != nil {
		q.failQueue = nil
		return tui.QueueState{}, err
	}
	s := q.state
	s.Items = slices.Clone(s.Items)
	return s, nil
}

func (q *queueWorld) Decide(_ context.Context, id string, approve bool) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	for i := range q.state.Items {
		it := &q.state.Items[i]
		if it.Change.ID != id {
			continue
		}
		if it.Status == tui.QueueApplying {
			return errors.New("claimed by another process")
		}
		it.Status, it.DecidedBy = tui.QueueRejected, "test@host"
		word := "reject "
		if approve {
			it.Status, word = tui.QueueApproved, "approve "
		}
		q.decisions = append(q.decisions, word+id)
		return nil
	}
	return errors.New("no such change " + id)
}

// ApplyQueued applies the approved ones of req.IDs over the world's fakes
// and takes them out of the queue, as the store does once they are
// applied; an id that is not approved (any more) is skipped.
func (q *queueWorld) ApplyQueued(ctx context.Context, req tui.ApplyRequest, progress func(engine.Result)) (engine.Summary, error) {
	q.mu.Lock()
	q.applies = append(q.applies, slices.Clone(req.IDs))
	var ids []string
	for _, it := range q.state.Items {
		if it.Status == tui.QueueApproved && slices.Contains(req.IDs, it.Change.ID) {
			ids = append(ids, it.Change.ID)
		}
	}
	q.mu.Unlock()
	if len(ids) == 0 {
		return engine.Summary{}, errors.New("apply: the running watch applied them first")
	}
	sum, err := q.World.Apply(ctx, q.base, tui.ApplyRequest{IDs: ids, AllowDeletes: req.AllowDeletes}, progress)
	q.mu.Lock()
	defer q.mu.Unlock()
	for _, r := range sum.Results {
		if r.Status == engine.ResultOK {
			q.applied = append(q.applied, r.ChangeID)
			q.state.Items = slices.DeleteFunc(q.state.Items, func(it tui.QueueItem) bool { return it.Change.ID == r.ChangeID })
		}
	}
	return sum, err
}

func (q *queueWorld) record() (decisions []string, applies [][]string, applied []string) {
	q.mu.Lock()
	defer q.mu.Unlock()
	return slices.Clone(q.decisions), slices.Clone(q.applies), slices.Clone(q.applied)
}

// The rules and events of the queue's items, as the watch writes them.
const (
	ruleCreate = "creates wait for approval (WATCH_APPLY_AT_ONCE = update)"
	ruleDelete = "deletes wait for approval (WATCH_APPLY_AT_ONCE = update)"
	eventHired = "engagement 5a1f0c2e-… of Anna Maria Jensen (MO event)"
	eventAD    = "AD change of CN=Jens Hansen,OU=Brugere,DC=kommune,DC=dk"
)
