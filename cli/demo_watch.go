package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"moxsync/demo"
	"moxsync/engine"
	"moxsync/logging"
	"moxsync/mo/motest"
	"moxsync/store"
	"moxsync/watch"
)

// demoWatchOptions are the flags of demo --watch.
type demoWatchOptions struct {
	size     motest.Size
	seed     int64
	headless bool
	runFor   time.Duration // 0 = until stopped
	every    time.Duration // between two scripted edits
	settings map[string]string
}

// runDemoWatch is `moxsync demo --watch`: the in-process systems with
// moxsync watch running on them (store, listeners, AD poll, policy) while
// demo.Script makes a realistic edit every few seconds. With the TUI the
// operator sees updates apply on their own and creates and disables
// arrive in the review queue; headless, each edit is printed with what
// watch made of it and how long that took, and a summary ends the run.
func runDemoWatch(ctx context.Context, a *app, o demoWatchOptions) int {
	logPath := filepath.Join(os.TempDir(), "moxsync-demo-watch.log")
	log, closeLog, err := logging.New(logging.Options{Level: 20, File: logPath})
	if err != nil {
		fmt.Fprintf(a.stderr, "moxsync demo: %v\n", err)
		return exitError
	}
	defer closeLog()
	w, err := demo.New(ctx, demo.Options{Size: o.size, Seed: o.seed, RealClock: true, MOEventRetryDelay: 10 * time.Second, Log: log, Settings: o.settings})
	if err != nil {
		fmt.Fprintf(a.stderr, "moxsync demo: %v\n", err)
		return exitError
	}
	defer w.Close()
	s := w.Settings
	st, err := store.Open(ctx, s.Watch.Store, store.Options{Exclusive: true})
	if err != nil {
		fmt.Fprintf(a.stderr, "moxsync demo: %v\n", err)
		return exitError
	}
	defer st.Close()
	// Yesterday's batch run: the demo's systems start in step, so what the
	// queue shows is what the scripted edits bring.
	batch, err := demoBatch(ctx, w)
	if err != nil {
		fmt.Fprintf(a.stderr, "moxsync demo: the first full sync: %s\n", engine.MaskCPRs(err.Error()))
		return exitError
	}
	script, err := demo.NewScript(ctx, w.Servers, queuedIn(st), w.Env.PlanOptions.Mapping)
	if err != nil {
		fmt.Fprintf(a.stderr, "moxsync demo: %v\n", err)
		return exitError
	}
	defer script.Close()

	cfg, err := watchConfig(s, w.Env, st)
	if err != nil {
		fmt.Fprintf(a.stderr, "moxsync demo: %v\n", err)
		return exitError
	}
	cfg.Log = log
	reconciled := make(chan watch.BatchReport, 1)
	var once sync.Once
	cfg.OnBatch = func(b watch.BatchReport) {
		if b.Trigger == "reconcile" {
			once.Do(func() { reconciled <- b })
		}
	}
	wt := watch.New(cfg)
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	if o.runFor > 0 {
		var cancel context.CancelFunc
		runCtx, cancel = context.WithTimeout(runCtx, o.runFor)
		defer cancel()
	}
	watchDone := make(chan error, 1)
	go func() { watchDone <- wt.Run(runCtx) }()
	started := time.Now()

	if !o.headless && demoWatchTUI != nil {
		go func() {
			select {
			case <-reconciled:
			case <-runCtx.Done():
				return
			}
			runScript(runCtx, script, o.every, func(r stepReport) {
				log.Info("demo: scripted edit", "what", r.step.What, "expect", r.step.Expect, "took", r.took, "ok", r.ok, "err", r.err)
			})
		}()
		code := demoWatchTUI(runCtx, a, w, st.Path())
		stop()
		if err := <-watchDone; err != nil {
			fmt.Fprintf(a.stderr, "moxsync demo: watch: %s\n", engine.MaskCPRs(err.Error()))
		}
		fmt.Fprintf(a.stderr, "moxsync demo: the log of this session is in %s\n", logPath)
		return code
	}

	out := a.stdout
	ds := w.Dataset
	fmt.Fprintf(out, "moxsync demo --watch: %s — %d units, %d people, generated in-process\n", ds.OrgName, len(ds.Units), len(ds.People))
	fmt.Fprintf(out, "watch: MO events (poll %s, coalesce %s), AD uSNChanged poll every %s; applies at once: %v; review queue %s\n",
		s.Watch.PollInterval, s.Watch.Coalesce, s.Watch.PollInterval, s.Watch.ApplyAtOnce, st.Path())
	if o.runFor > 0 {
		fmt.Fprintf(out, "running for %s, a scripted edit every %s\n\n", o.runFor, o.every)
	} else {
		fmt.Fprintf(out, "a scripted edit every %s; Ctrl-C ends the run with a summary\n\n", o.every)
	}
	fmt.Fprintf(out, "%6s  first a full sync, as a nightly batch run would have made it: %s\n", since(started), batch)
	for _, sk := range script.Skipped() {
		fmt.Fprintf(out, "        (the settings leave out %s)\n", sk)
	}
	var rec watch.BatchReport
	select {
	case rec = <-reconciled:
	case err := <-watchDone:
		return demoWatchEnded(a, err)
	}
	fmt.Fprintf(out, "%6s  start-up reconciliation: applied %d, queued %d (%s)\n", since(started), rec.Applied, rec.Queued, rec.Took.Round(time.Millisecond))
	if rec.Err != nil {
		fmt.Fprintf(out, "        … with errors: %s\n", engine.MaskCPRs(rec.Err.Error()))
	}
	moBefore, fetchBefore := w.Servers.MO().TotalRequests(), w.Servers.MO().Operations()["FetchEvent"]
	evBefore := wt.Totals().Events

	var reports []stepReport
	runScript(runCtx, script, o.every, func(r stepReport) {
		reports = append(reports, r)
		status := fmt.Sprintf("%s in %d ms", r.step.Expect, r.took.Milliseconds())
		switch {
		case r.err != nil:
			status = "failed: " + engine.MaskCPRs(r.err.Error())
		case !r.ok:
			status = fmt.Sprintf("NOT SEEN within %s: %s", stepTimeout, r.step.Expect)
		}
		fmt.Fprintf(out, "%6s  %s\n        → %s\n", since(started), engine.MaskCPRs(r.step.What), status)
	})
	stop()
	if err := <-watchDone; err != nil {
		return demoWatchEnded(a, err)
	}
	tot := wt.Totals()
	mo := w.Servers.MO()
	events := tot.Events - evBefore
	// MO requests per event: every request after the start-up
	// reconciliation, less the fetches that found no event (idle polling,
	// one per listener per poll interval), per event processed.
	emptyFetches := (mo.Operations()["FetchEvent"] - fetchBefore) - events
	perEvent := 0.0
	if events > 0 {
		perEvent = float64(mo.TotalRequests()-moBefore-max(emptyFetches, 0)) / float64(events)
	}
	var lat []time.Duration
	failed := 0
	for _, r := range reports {
		if r.ok {
			lat = append(lat, r.took)
		} else {
			failed++
		}
	}
	fmt.Fprintf(out, "\n%d scripted edits, %d seen through; %d MO events processed; the queue holds %s.\n", len(reports), len(reports)-failed, events, queueSummary(ctx, st))
	fmt.Fprintf(out, "latency = from the edit until watch has written it (or queued it), as seen from outside.\n")
	fmt.Fprintf(out, "watch: applied %d, queued %d, latency p50 %d ms, p95 %d ms, MO requests per event %.1f\n",
		tot.Applied, tot.Queued, watch.Percentile(lat, 50).Milliseconds(), watch.Percentile(lat, 95).Milliseconds(), perEvent)
	fmt.Fprintf(out, "The log of this run is in %s.\n", logPath)
	if failed > 0 {
		return exitPartial
	}
	return exitOK
}

// demoWatchTUI, when set (by the TUI), runs the TUI of demo --watch over
// the world and the store at path.
var demoWatchTUI func(ctx context.Context, a *app, w *demo.World, store string) int

// demoWatchEnded reports a watch that stopped on its own.
func demoWatchEnded(a *app, err error) int {
	if err == nil {
		err = errors.New("stopped before the start-up reconciliation")
	}
	fmt.Fprintf(a.stderr, "moxsync demo: watch: %s\n", engine.MaskCPRs(err.Error()))
	return exitError
}

// stepTimeout is how long a scripted edit may take to be seen through.
const stepTimeout = 15 * time.Second

// stepReport is one scripted edit and what became of it.
type stepReport struct {
	step demo.Step
	took time.Duration
	ok   bool
	err  error
}

// runScript makes one scripted edit every interval until ctx ends, waits
// for each to be seen through (checking every 20 ms, up to stepTimeout)
// and reports it.
func runScript(ctx context.Context, sc *demo.Script, every time.Duration, report func(stepReport)) {
	t := time.NewTimer(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		step := sc.Next()
		start := time.Now()
		r := stepReport{step: step}
		if r.err = step.Do(ctx); r.err == nil {
			r.ok, r.err = waitDone(ctx, step)
		}
		r.took = time.Since(start)
		if ctx.Err() != nil && !r.ok {
			return // cut off by the end of the run: not a result
		}
		report(r)
		t.Reset(max(every-r.took, 0))
	}
}

func waitDone(ctx context.Context, step demo.Step) (bool, error) {
	ctx, cancel := context.WithTimeout(ctx, stepTimeout)
	defer cancel()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		ok, err := step.Done(ctx)
		if ok || (err != nil && ctx.Err() == nil) {
			return ok, err
		}
		select {
		case <-ctx.Done():
			return false, nil
		case <-tick.C:
		}
	}
}

// queuedIn is demo.QueuedFunc over the store's open items.
func queuedIn(st *store.Store) demo.QueuedFunc {
	return func(ctx context.Context, system engine.System, op engine.Op, uuid string) (bool, error) {
		items, err := st.List(ctx, store.Pending, store.Approved, store.Applying)
		if err != nil {
			return false, err
		}
		for _, it := range items {
			if c := it.Change; c.System == system && c.Op == op && (c.MOUUID == uuid || c.Target.UUID == uuid) {
				return true, nil
			}
		}
		return false, nil
	}
}

// queueSummary is "N pending, M approved, K rejected".
func queueSummary(ctx context.Context, st *store.Store) string {
	c, err := st.Count(ctx)
	if err != nil {
		return "(unreadable: " + err.Error() + ")"
	}
	return fmt.Sprintf("%d pending, %d approved, %d rejected", c[store.Pending], c[store.Approved], c[store.Rejected])
}

func since(t time.Time) string { return fmt.Sprintf("+%.1fs", time.Since(t).Seconds()) }

// demoBatch plans and applies everything once (destructive changes
// included, at their exact count), as `apply --auto-approve` would, and
// says what it did.
func demoBatch(ctx context.Context, w *demo.World) (string, error) {
	start := time.Now()
	p, err := w.MakePlan(ctx, nil)
	if err != nil {
		return "", err
	}
	o, closeAudit, err := w.Env.ApplyOptions(true)
	if err != nil {
		return "", err
	}
	defer closeAudit()
	for i := range p.Changes {
		if engine.Destructive(&p.Changes[i]) {
			o.AllowDeletes++
		}
	}
	sum, err := engine.Apply(ctx, p, o)
	if err != nil {
		return "", err
	}
	if st := w.Env.STSState; st != nil {
		if err := st.Save(); err != nil {
			return "", err
		}
	}
	return fmt.Sprintf("%d changes planned, %d applied, %d failed (%s)", len(p.Changes), sum.OK, sum.Failed, time.Since(start).Round(time.Millisecond)), nil
}
