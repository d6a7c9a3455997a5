package watch

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"moxsync/engine"
	"moxsync/store"
)

// Watcher is one running continuous sync.
type Watcher struct {
	cfg    Config
	world  *world
	health health

	listeners []engine.MOListener
	events    chan fetched
	redeclare chan struct{}

	host    string
	started time.Time
	totals  totals
}

// totals are counted since start, for the status line and the demo.
type totals struct {
	mu                              sync.Mutex
	events, applied, queued, failed int
	latencies                       []time.Duration
	lastEvent                       time.Time
}

// fetched is an event and when it was fetched.
type fetched struct {
	ev engine.MOEvent
	at time.Time
}

// New makes a watcher; Run starts it.
func New(cfg Config) *Watcher {
	cfg = cfg.withDefaults()
	// Every series exists from the start (a counter at 0, not absent).
	for _, rk := range cfg.RoutingKeys {
		cfg.Metrics.Events.WithLabelValues(rk, "acked")
		cfg.Metrics.Events.WithLabelValues(rk, "failed")
	}
	for _, sys := range []string{"mo", "ad", "store"} {
		cfg.Metrics.Errors.WithLabelValues(sys)
	}
	host, _ := os.Hostname()
	// The fetch loops go on while a batch is processed, up to a batch
	// ahead: a burst goes in a few large batches, not many small ones.
	return &Watcher{cfg: cfg, events: make(chan fetched, cfg.MaxBatch), redeclare: make(chan struct{}, 1), host: host}
}

// Run syncs until ctx is done, then finishes the batch in flight and
// returns nil. It returns an error only when it cannot start (the store,
// the first read).
func (w *Watcher) Run(ctx context.Context) error {
	c := w.cfg
	w.started = c.Now()
	work := context.WithoutCancel(ctx) // what is started is finished
	if n, err := c.Store.Unclaim(work, w.started); err != nil {
		return err
	} else if n > 0 {
		c.Log.Warn("watch: approved changes a stopped process had claimed are applied again (after their staleness check)", "changes", n)
	}
	w.beat(work, false)
	w.health.beat(c.Now()) // starting counts as turning
	if err := w.start(ctx, work); err != nil {
		if ctx.Err() != nil {
			w.beat(work, true)
			return nil
		}
		return err
	}
	fetchCtx, stopFetch := context.WithCancel(ctx)
	w.startFetchers(fetchCtx)

	adTick := time.NewTicker(c.PollInterval)
	defer adTick.Stop()
	approvedTick := time.NewTicker(c.PollInterval)
	defer approvedTick.Stop()
	beatTick := time.NewTicker(5 * time.Second)
	defer beatTick.Stop()
	statusTick := time.NewTicker(c.StatusEvery)
	defer statusTick.Stop()
	var reconcileC <-chan time.Time
	if c.ReconcileEvery > 0 {
		t := time.NewTicker(c.ReconcileEvery)
		defer t.Stop()
		reconcileC = t.C
	}
	for {
		w.health.beat(c.Now())
		select {
		case <-ctx.Done():
			stopFetch()
			w.beat(work, true)
			c.Log.Info("watch: stopped", "events", w.totals.events, "applied", w.totals.applied, "queued", w.totals.queued)
			return nil
		case f := <-w.events:
			w.report(w.processEvents(work, w.collect(ctx, f)))
		case <-adTick.C:
			if c.ADPoll != nil {
				w.report(w.pollAD(work))
			}
		case <-approvedTick.C:
			w.report(w.applyApproved(work))
		case <-reconcileC:
			w.report(w.reconcile(work, "scheduled reconciliation"))
		case <-w.redeclare:
			stopFetch()
			if err := w.declare(ctx); err != nil {
				c.Log.Error("watch: declaring the MO listeners again failed; retrying", "err", err)
				w.requestRedeclare()
			}
			fetchCtx, stopFetch = context.WithCancel(ctx)
			w.startFetchers(fetchCtx)
			w.report(w.reconcile(work, "a listener was gone from MO"))
		case <-beatTick.C:
			w.beat(work, false)
		case <-statusTick.C:
			w.status(work)
		}
	}
}

// start declares the listeners and makes the first read (a reconciliation,
// or only the read when that is turned off), retrying with backoff while
// MO or AD do not answer.
func (w *Watcher) start(ctx, work context.Context) error {
	wait := w.cfg.PollInterval
	for {
		err := w.declare(ctx)
		if err == nil {
			if w.cfg.ReconcileAtStart {
				rep := w.reconcile(work, "start-up reconciliation")
				if rep.Err == nil {
					w.report(rep)
				}
				err = rep.Err
			} else {
				err = w.load(work)
			}
		}
		if err == nil {
			return nil
		}
		if engine.KindOf(err) == engine.KindInvalid || engine.KindOf(err) == engine.KindAuth || engine.KindOf(err) == engine.KindPermission {
			return err // settings: retrying does not help
		}
		w.cfg.Log.Error("watch: start failed; retrying", "err", engine.MaskCPRs(err.Error()), "retry_in", wait)
		w.health.beat(w.cfg.Now())
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(wait):
		}
		wait = min(2*wait, time.Minute)
	}
}

// declare declares the listeners (idempotent).
func (w *Watcher) declare(ctx context.Context) error {
	ls, err := w.cfg.Events.DeclareListeners(ctx, w.cfg.ListenerPrefix, w.cfg.RoutingKeys)
	if err != nil {
		w.cfg.Metrics.Errors.WithLabelValues("mo").Inc()
		return fmt.Errorf("watch: declare MO listeners: %w", err)
	}
	w.listeners = ls
	w.cfg.Log.Info("watch: MO listeners declared", "listeners", len(ls), "prefix", w.cfg.ListenerPrefix)
	return nil
}

func (w *Watcher) requestRedeclare() {
	select {
	case w.redeclare <- struct{}{}:
	default:
	}
}

// startFetchers starts one fetch loop per listener.
func (w *Watcher) startFetchers(ctx context.Context) {
	for _, l := range w.listeners {
		go w.fetch(ctx, l, new(atomic.Int32), false)
	}
}

// fetchHelpers is how many fetch loops beside its own a listener with
// events waiting gets.
const fetchHelpers = 3

// fetch fetches the listener's events one by one and hands them over;
// after an empty fetch it waits a poll interval, after an error longer and
// longer (up to a minute). A listener MO no longer knows asks for a new
// declaration. While events come, up to fetchHelpers helpers fetch beside
// it (MO hands each fetch another event); a helper stops at its first
// empty fetch or error, so an idle listener costs one request a poll
// interval.
func (w *Watcher) fetch(ctx context.Context, l engine.MOListener, helpers *atomic.Int32, helper bool) {
	c := w.cfg
	wait := c.PollInterval
	sleep := func(d time.Duration) bool {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-ctx.Done():
			return false
		case <-t.C:
			return true
		}
	}
	for ctx.Err() == nil {
		ev, err := c.Events.FetchEvent(ctx, l.UUID)
		switch {
		case ctx.Err() != nil:
			return
		case helper && (err != nil || ev == nil):
			return
		case err != nil && engine.KindOf(err) == engine.KindNotFound:
			c.Log.Warn("watch: MO no longer knows the listener; declaring it again and reconciling", "listener", l.UserKey)
			w.requestRedeclare()
			return
		case err != nil:
			c.Metrics.Errors.WithLabelValues("mo").Inc()
			c.Log.Warn("watch: fetching an MO event failed; events stay in MO", "listener", l.UserKey, "err", err, "retry_in", wait)
			if !sleep(wait) {
				return
			}
			wait = min(2*wait, time.Minute)
			continue
		}
		wait = c.PollInterval
		if ev == nil {
			if !sleep(c.PollInterval) {
				return
			}
			continue
		}
		if ev.Listener == "" {
			ev.Listener = l.UUID
		}
		if ev.RoutingKey == "" {
			ev.RoutingKey = l.RoutingKey
		}
		if !helper && helpers.Load() < fetchHelpers {
			helpers.Add(1)
			go func() {
				defer helpers.Add(-1)
				w.fetch(ctx, l, helpers, true)
			}()
		}
		select {
		case w.events <- fetched{ev: *ev, at: c.Now()}:
		case <-ctx.Done():
			return
		}
	}
}

// collect gathers the events that arrive within the coalescing window
// after first, up to MaxBatch.
func (w *Watcher) collect(ctx context.Context, first fetched) []fetched {
	batch := []fetched{first}
	t := time.NewTimer(w.cfg.Coalesce)
	defer t.Stop()
	for len(batch) < w.cfg.MaxBatch {
		select {
		case f := <-w.events:
			batch = append(batch, f)
		case <-t.C:
			return batch
		case <-ctx.Done():
			return batch
		}
	}
	return batch
}

// beat writes the heartbeat.
func (w *Watcher) beat(ctx context.Context, stopped bool) {
	w.totals.mu.Lock()
	last := w.totals.lastEvent
	w.totals.mu.Unlock()
	h := store.Heartbeat{PID: os.Getpid(), Host: w.host, Started: w.started, Beat: w.cfg.Now(), LastEvent: last, Interval: 5 * time.Second, Stopped: stopped}
	if err := w.cfg.Store.Beat(ctx, h); err != nil {
		w.cfg.Metrics.Errors.WithLabelValues("store").Inc()
		w.cfg.Log.Warn("watch: heartbeat", "err", err)
	}
	if counts, err := w.cfg.Store.Count(ctx); err == nil {
		w.cfg.Metrics.QueueLen.Set(float64(counts[store.Pending] + counts[store.Approved]))
	}
}

// status logs the status line.
func (w *Watcher) status(ctx context.Context) {
	counts, _ := w.cfg.Store.Count(ctx)
	pos, _, _ := w.cfg.Store.ADPosition(ctx)
	t := w.Totals()
	args := []any{"events", t.Events, "applied", t.Applied, "queued", t.Queued, "failed", t.Failed,
		"pending", counts[store.Pending], "approved", counts[store.Approved], "ad_usn", pos.USN}
	if !t.LastEvent.IsZero() {
		args = append(args, "last_event", t.LastEvent.UTC().Format(time.RFC3339))
	}
	w.cfg.Log.Info("watch: status", args...)
}

// report counts a batch and hands it to OnBatch.
func (w *Watcher) report(r BatchReport) {
	if r.Trigger == "" {
		return
	}
	w.cfg.Metrics.Batches.WithLabelValues(r.Trigger).Inc()
	w.totals.mu.Lock()
	w.totals.events += r.Events
	w.totals.applied += r.Applied
	w.totals.queued += r.Queued
	w.totals.failed += r.Failed
	w.totals.latencies = append(w.totals.latencies, r.Latencies...)
	if r.Events > 0 || r.Trigger == "ad" {
		w.totals.lastEvent = w.cfg.Now()
		w.health.lastEvent.Store(w.totals.lastEvent.UnixNano())
		w.cfg.Metrics.LastEvent.Set(float64(w.totals.lastEvent.Unix()))
	}
	w.totals.mu.Unlock()
	if r.Err != nil {
		w.cfg.Log.Warn("watch: batch not finished; its events stay unacknowledged and come again", "trigger", r.Trigger, "err", engine.MaskCPRs(r.Err.Error()))
	}
	if w.cfg.OnBatch != nil {
		w.cfg.OnBatch(r)
	}
}

// Totals are what the watcher did since it started.
type Totals struct {
	Events, Applied, Queued, Failed int
	Latencies                       []time.Duration
	LastEvent                       time.Time
}

// Totals returns the counts since start.
func (w *Watcher) Totals() Totals {
	w.totals.mu.Lock()
	defer w.totals.mu.Unlock()
	return Totals{Events: w.totals.events, Applied: w.totals.applied, Queued: w.totals.queued, Failed: w.totals.failed,
		Latencies: append([]time.Duration(nil), w.totals.latencies...), LastEvent: w.totals.lastEvent}
}

var errNoWorld = errors.New("watch: nothing read yet")
