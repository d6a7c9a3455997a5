package watch_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"moxsync/ad"
	"moxsync/demo"
	"moxsync/engine"
	"moxsync/mo/motest"
	"moxsync/settings"
	"moxsync/store"
	"moxsync/watch"
	"moxsync/wiring"
)

// rig is a watcher over the demo's in-process MO, AD and STSOrgSync, with
// its store in a temporary directory.
type rig struct {
	t   testing.TB
	srv *demo.Servers
	s   *settings.Settings
	// vals are the settings' values, tmp their directory (the store's).
	vals map[string]string
	tmp  string
	env  *wiring.Env
	st   *store.Store
	cfg  watch.Config
	w    *watch.Watcher

	mu      sync.Mutex
	reports []watch.BatchReport
	batch   chan watch.BatchReport

	cancel context.CancelFunc
	done   chan error
}

// newRig starts the fakes and prepares a watcher; extra settings keys
// override the demo's. start runs it.
func newRig(t *testing.T, extra map[string]string) *rig {
	t.Helper()
	return newRigWith(t, demo.Options{Seed: 3, MOEventRetryDelay: 300 * time.Millisecond}, extra)
}

func newRigWith(t testing.TB, o demo.Options, extra map[string]string) *rig {
	t.Helper()
	srv, err := demo.Start(o, true)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	dir := t.TempDir()
	ep := srv.Endpoints()
	ep.Dir = dir
	vals := ep.Values()
	vals["READONLY"] = "false"
	vals["WATCH_STORE"] = filepath.Join(dir, "watch.db")
	vals["WATCH_POLL_INTERVAL"] = "100ms"
	vals["WATCH_COALESCE"] = "50ms"
	for k, v := range extra {
		vals[k] = v
	}
	s, err := settings.Load(settings.LoadOptions{NoFile: true, Getenv: func(k string) string { return vals[k] }, Cwd: dir})
	if err != nil {
		t.Fatal(err)
	}
	r := &rig{t: t, srv: srv, s: s, vals: vals, tmp: dir, batch: make(chan watch.BatchReport, 1000)}
	r.open()
	return r
}

// open connects the adapters and opens the store (again, after stop).
func (r *rig) open() {
	t := r.t
	ctx := context.Background()
	env, err := wiring.Open(ctx, r.s, wiring.Options{Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(ctx, r.s.Watch.Store, store.Options{Exclusive: true})
	if err != nil {
		env.Close()
		t.Fatal(err)
	}
	r.env, r.st = env, st
	r.cfg = watchConfig(r.s, env, st, testLog(t))
	r.cfg.OnBatch = func(b watch.BatchReport) {
		r.mu.Lock()
		r.reports = append(r.reports, b)
		r.mu.Unlock()
		select {
		case r.batch <- b:
		default:
		}
	}
}

// watchConfig is the watcher's configuration from the settings, as
// cli/watch.go makes it.
func watchConfig(s *settings.Settings, env *wiring.Env, st *store.Store, log *slog.Logger) watch.Config {
	ops := make([]engine.Op, 0, len(s.Watch.ApplyAtOnce))
	for _, o := range s.Watch.ApplyAtOnce {
		ops = append(ops, engine.Op(o))
	}
	return watch.Config{
		Env: env, Events: env.MO.(engine.MOEvents), Partial: env.MO.(engine.MOPartialReader), ADPoll: env.Dir.(engine.ADChangeSource), Store: st,
		Policy:           engine.WatchPolicy{AtOnce: ops, ReadOnly: env.ReadOnly, Thresholds: env.Thresholds},
		Window:           s.Watch.SafetyWindow,
		PollInterval:     s.Watch.PollInterval,
		Coalesce:         s.Watch.Coalesce,
		ReconcileAtStart: s.Watch.ReconcileAtStart,
		ReconcileEvery:   s.Watch.ReconcileInterval,
		ListenerPrefix:   s.Watch.ListenerPrefix,
		Log:              log,
	}
}

func testLog(t testing.TB) *slog.Logger {
	if os.Getenv("WATCH_TEST_LOG") != "" {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return slog.New(slog.DiscardHandler)
}

// start runs the watcher until stop (or the test's end).
func (r *rig) start(mutate func(*watch.Config)) {
	if mutate != nil {
		mutate(&r.cfg)
	}
	r.w = watch.New(r.cfg)
	ctx, cancel := context.WithCancel(context.Background())
	r.cancel, r.done = cancel, make(chan error, 1)
	go func() { r.done <- r.w.Run(ctx) }()
	r.t.Cleanup(func() { r.stop() })
}

// stop cancels the watcher, waits for it and closes the store and Env.
func (r *rig) stop() {
	if r.cancel == nil {
		return
	}
	r.cancel()
	select {
	case err := <-r.done:
		if err != nil {
			r.t.Errorf("Run: %v", err)
		}
	case <-time.After(30 * time.Second):
		r.t.Fatal("watcher did not stop within 30 s")
	}
	r.cancel = nil
	r.st.Close()
	r.env.Close()
}

// waitFor waits (up to 20 s) until cond holds, checking after each batch
// and every 50 ms.
func (r *rig) waitFor(what string, cond func() bool) {
	r.t.Helper()
	deadline := time.After(20 * time.Second)
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		select {
		case <-deadline:
			r.t.Fatalf("timed out waiting for %s", what)
		case <-r.batch:
		case <-tick.C:
		}
	}
}

// reconciled reports whether the start-up reconciliation has run.
func (r *rig) reconciled() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, b := range r.reports {
		if b.Trigger == "reconcile" && b.Err == nil {
			return true
		}
	}
	return false
}

func (r *rig) queue(st ...store.Status) []store.Item {
	r.t.Helper()
	items, err := r.st.List(context.Background(), st...)
	if err != nil {
		r.t.Fatal(err)
	}
	return items
}

// audit reads the audit log's result lines.
func (r *rig) audit() []engine.AuditRecord {
	r.t.Helper()
	data, err := os.ReadFile(r.env.AuditPath)
	if err != nil && !os.IsNotExist(err) {
		r.t.Fatal(err)
	}
	var out []engine.AuditRecord
	for _, line := range strings.Split(string(data), "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		var rec engine.AuditRecord
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			r.t.Fatalf("audit line %q: %v", line, err)
		}
		if rec.Phase != "intent" {
			out = append(out, rec)
		}
	}
	return out
}

// writes counts the audit's ok results of system sys whose key holds key
// (a DN, GUID or uuid).
func (r *rig) writes(sys engine.System, key string) int {
	n := 0
	for _, rec := range r.audit() {
		if rec.System == sys && strings.Contains(strings.ToLower(rec.Key), strings.ToLower(key)) && rec.Result == string(engine.ResultOK) {
			n++
		}
	}
	return n
}

// dir is a connection of its own to the in-process AD (an admin's).
func (r *rig) dir() *ad.Directory {
	r.t.Helper()
	d, err := ad.Dial(context.Background(), r.srv.AD)
	if err != nil {
		r.t.Fatal(err)
	}
	r.t.Cleanup(func() { d.Close() })
	return d
}

// account is the AD account of the MO person with this CPR; false when
// there is none or more than one.
func (r *rig) account(d *ad.Directory, cpr string) (engine.Account, bool) {
	r.t.Helper()
	accts, err := d.Accounts(context.Background(), []string{"title", "telephonenumber", "mail", "givenname", "sn"})
	if err != nil {
		r.t.Fatal(err)
	}
	var found []engine.Account
	for _, a := range accts {
		if a.CPR == engine.DigitsOnly(cpr) {
			found = append(found, a)
		}
	}
	if len(found) != 1 {
		return engine.Account{}, false
	}
	return found[0], true
}

// employee is a person of the data set with an AD account and a current
// primary engagement, and that engagement.
func (r *rig) employee(skip int) (motest.Person, motest.Engagement) {
	r.t.Helper()
	ds := r.srv.Dataset
	d := r.dir()
	primary := ds.ClassByUserKey(motest.FacetPrimaryType, "primary").UUID
	for _, p := range ds.People {
		if _, ok := r.account(d, p.CPR); !ok {
			continue
		}
		for _, e := range ds.Engagements {
			if e.PersonUUID == p.UUID && e.PrimaryUUID == primary && e.Validity.ActiveAt(time.Now()) {
				if skip == 0 {
					return p, e
				}
				skip--
				break
			}
		}
	}
	r.t.Fatal("no employee with an account")
	return motest.Person{}, motest.Engagement{}
}

// jobOtherThan is a job function name other than that of e.
func (r *rig) jobOtherThan(e motest.Engagement) string {
	ds := r.srv.Dataset
	facet := ""
	for _, f := range ds.Facets {
		if f.UserKey == motest.FacetJobFunction {
			facet = f.UUID
		}
	}
	for _, c := range ds.Classes {
		if c.FacetUUID == facet && c.UUID != e.JobFunctionUUID {
			return c.Name
		}
	}
	r.t.Fatal("no other job function")
	return ""
}
