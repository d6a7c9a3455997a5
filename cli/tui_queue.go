package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"

	"moxsync/engine"
	"moxsync/store"
	"moxsync/tui"
	"moxsync/watch"
	"moxsync/wiring"
)

// queueBackend is the TUI's backend with the review queue of moxsync
// watch (tui.QueueBackend) over the store in WATCH_STORE. The store is
// opened when its file exists (watch creates it; the TUI never does), and
// shared with a running watch: SQLite's locking and the queue's claim-once
// keep every approved change applied exactly once.
type queueBackend struct {
	*envBackend
	path string
	now  func() time.Time
	by   string // who decides and applies, for the queue and the audit

	mu sync.Mutex
	st *store.Store
}

var _ tui.QueueBackend = (*queueBackend)(nil)

// newQueueBackend returns b with the review queue of the store at path.
func newQueueBackend(b *envBackend, path string) *queueBackend {
	now := b.env.Now
	if now == nil {
		now = time.Now
	}
	user, host := wiring.Operator()
	return &queueBackend{envBackend: b, path: path, now: now, by: fmt.Sprintf("%s@%s (TUI pid %d)", user, host, os.Getpid())}
}

// Close closes the store, if it was opened.
func (q *queueBackend) Close() error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.st == nil {
		return nil
	}
	err := q.st.Close()
	q.st = nil
	return err
}

// open returns the open store; nil (and no error) while its file does not
// exist.
func (q *queueBackend) open(ctx context.Context) (*store.Store, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.st != nil {
		return q.st, nil
	}
	if q.path == "" {
		return nil, nil
	}
	if _, err := os.Stat(q.path); errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	st, err := store.Open(ctx, q.path, store.Options{})
	if err != nil {
		return nil, err
	}
	q.st = st
	return st, nil
}

// Queue implements tui.QueueBackend.
func (q *queueBackend) Queue(ctx context.Context) (tui.QueueState, error) {
	st, err := q.open(ctx)
	if err != nil || st == nil {
		return tui.QueueState{}, err
	}
	items, err := st.List(ctx)
	if err != nil {
		return tui.QueueState{}, err
	}
	out := tui.QueueState{Store: st.Path(), Items: make([]tui.QueueItem, 0, len(items))}
	for _, it := range items {
		out.Items = append(out.Items, tui.QueueItem{
			Change: it.Change, Status: tui.QueueStatus(it.Status), Rule: it.Rule, Event: it.Event,
			QueuedAt: it.QueuedAt, DecidedBy: it.DecidedBy, DecidedAt: it.DecidedAt,
			ClaimedBy: it.ClaimedBy, Result: it.Result,
		})
	}
	hb, ok, err := st.Watch(ctx)
	if err != nil {
		return tui.QueueState{}, err
	}
	if ok {
		out.Watch = tui.WatchStatus{Known: true, Running: hb.Alive(q.now()), PID: hb.PID, Host: hb.Host, LastEvent: hb.LastEvent, Beat: hb.Beat}
	}
	return out, nil
}

// Decide implements tui.QueueBackend.
func (q *queueBackend) Decide(ctx context.Context, id string, approve bool) error {
	st, err := q.open(ctx)
	if err != nil {
		return err
	}
	if st == nil {
		return fmt.Errorf("decide %s: there is no review queue (%s does not exist)", id, q.path)
	}
	return st.Decide(ctx, q.now(), id, approve, q.by)
}

// ApplyQueued implements tui.QueueBackend: each approved change is claimed
// first (one left to a watch that claimed it before us is skipped), with
// the pending changes that only waited for it (an MO write-back on an AD
// create); then they are applied as one plan with the apply command's
// options, each target re-read for staleness before it is written, and
// each item finished with its result.
func (q *queueBackend) ApplyQueued(ctx context.Context, req tui.ApplyRequest, progress func(engine.Result)) (engine.Summary, error) {
	st, err := q.open(ctx)
	if err != nil {
		return engine.Summary{}, err
	}
	if st == nil {
		return engine.Summary{}, fmt.Errorf("apply: there is no review queue (%s does not exist)", q.path)
	}
	if len(req.IDs) == 0 {
		return engine.Summary{}, errors.New("apply: no queued changes approved")
	}
	var approved []store.Item
	for _, id := range req.IDs {
		it, found, err := st.Get(ctx, id)
		if err != nil {
			return engine.Summary{}, err
		}
		if found {
			approved = append(approved, it)
		}
	}
	claimed, err := watch.ClaimApproved(ctx, st, q.now(), q.by, approved)
	if err != nil {
		return engine.Summary{}, err
	}
	if len(claimed) == 0 {
		return engine.Summary{}, errors.New("apply: none of the approved changes is waiting any more (a running watch applied them, or they were superseded)")
	}
	q.envBackend.mu.Lock()
	inv := q.envBackend.inventory
	q.envBackend.mu.Unlock()
	return watch.ApplyItems(ctx, q.env, inv, claimed, st, q.now, func(p *engine.Plan, ids []string) (engine.Summary, error) {
		o, closeAudit, err := q.env.ApplyOptions(true)
		if err != nil {
			return engine.Summary{PlanID: p.ID}, fmt.Errorf("apply: %w", err)
		}
		defer closeAudit()
		o.Only, o.AllowDeletes, o.Progress = ids, req.AllowDeletes, progress
		return engine.Apply(ctx, p, o)
	})
}
