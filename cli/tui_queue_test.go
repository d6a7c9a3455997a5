package cli

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

	"moxsync/engine"
	"moxsync/settings"
	"moxsync/store"
	"moxsync/tui"
	"moxsync/wiring"
)

// queueRig is the TUI's queue backend over the review queue of a store in
// a cliWorld, with a plan's AD create (and the MO write-back that waits
// with it) queued as watch queues them.
type queueRig struct {
	w      *cliWorld
	env    *wiring.Env
	path   string
	create engine.Change
	back   engine.Change // the MO write-back that depends on create
}

func newQueueRig(t *testing.T) *queueRig {
	t.Helper()
	ctx := context.Background()
	w := newCLIWorld(t)
	s, err := settings.Load(settings.LoadOptions{ConfigFlag: filepath.Join(w.dir, "settings.ini"), Cwd: w.dir})
	if err != nil {
		t.Fatal(err)
	}
	env, err := wiring.Open(ctx, s, wiring.Options{Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { env.Close() })
	p, err := env.MakePlan(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	r := &queueRig{w: w, env: env, path: s.Watch.Store}
	for _, c := range p.Changes {
		if c.System == engine.SystemAD && c.Op == engine.OpCreate && r.create.ID == "" {
			r.create = c
		}
	}
	for _, c := range p.Changes {
		if c.DependsOn == r.create.ID && c.System == engine.SystemMO {
			r.back = c
		}
	}
	if r.create.ID == "" || r.back.ID == "" {
		t.Fatal("the demo plan has no AD create with an MO write-back")
	}
	return r
}

// enqueue queues the create and its write-back in the store, as watch does.
func (r *queueRig) enqueue(t *testing.T) {
	t.Helper()
	st, err := store.Open(context.Background(), r.path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	subj := engine.SubjectOf(&r.create)
	items := []store.Item{
		{Change: r.create, Subject: subj, Rule: "a create waits for approval (WATCH_APPLY_AT_ONCE = update)", Event: "MO event person " + r.create.MOUUID},
		{Change: r.back, Subject: engine.SubjectOf(&r.back), Rule: "waits with change " + r.create.ID, Event: "MO event person " + r.create.MOUUID},
	}
	if _, err := st.Enqueue(context.Background(), time.Now(), []string{subj}, items); err != nil {
		t.Fatal(err)
	}
}

func (r *queueRig) backend() *queueBackend {
	return newQueueBackend(newEnvBackend(r.env, "mo", "ad", "sts"), r.path)
}

// auditOK counts the audit log's ok results of change id.
func (r *queueRig) auditOK(t *testing.T, id string) int {
	t.Helper()
	data, err := os.ReadFile(r.env.AuditPath)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		var rec engine.AuditRecord
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("audit line %q: %v", line, err)
		}
		if rec.ChangeID == id && rec.Phase != "intent" && rec.Result == string(engine.ResultOK) {
			n++
		}
	}
	return n
}

// Without a store there is no queue, and looking does not make one.
func TestQueueBackendNoStore(t *testing.T) {
	r := newQueueRig(t)
	b := r.backend()
	defer b.Close()
	q, err := b.Queue(context.Background())
	if err != nil || q.Store != "" {
		t.Fatalf("Queue = %+v, %v; want no queue", q, err)
	}
	if _, err := os.Stat(r.path); !os.IsNotExist(err) {
		t.Errorf("the store %s was created by looking at it (%v)", r.path, err)
	}
	if err := b.Decide(context.Background(), r.create.ID, true); err == nil || !strings.Contains(err.Error(), "no review queue") {
		t.Errorf("Decide without a store = %v", err)
	}
}

// A queued create shows in the TUI's queue with its rule and event; once
// approved, two appliers at once (two TUIs, or a TUI and watch) write it
// exactly once, with the write-back that waited with it, and the queue
// records the outcome.
func TestQueueBackendAppliesApprovedOnce(t *testing.T) {
	ctx := context.Background()
	r := newQueueRig(t)
	r.enqueue(t)
	b1, b2 := r.backend(), r.backend()
	defer b1.Close()
	defer b2.Close()

	q, err := b1.Queue(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if q.Store != r.path || len(q.Items) != 2 {
		t.Fatalf("queue %q with %d items, want %q with 2", q.Store, len(q.Items), r.path)
	}
	for _, it := range q.Items {
		if it.Status != tui.QueuePending || it.Rule == "" || !strings.HasPrefix(it.Event, "MO event") || it.QueuedAt.IsZero() {
			t.Errorf("item %s: status %s, rule %q, event %q, queued %v", it.Change.ID, it.Status, it.Rule, it.Event, it.QueuedAt)
		}
	}
	if q.Watch.Known {
		t.Errorf("no watch ever ran, but the queue says %+v", q.Watch)
	}

	if err := b1.Decide(ctx, r.create.ID, true); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	sums := make([]engine.Summary, 2)
	errs := make([]error, 2)
	for i, b := range []*queueBackend{b1, b2} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sums[i], errs[i] = b.ApplyQueued(ctx, tui.ApplyRequest{IDs: []string{r.create.ID}}, func(engine.Result) {})
		}()
	}
	wg.Wait()
	oks := 0
	for i := range sums {
		for _, res := range sums[i].Results {
			if res.ChangeID == r.create.ID && res.Status == engine.ResultOK {
				oks++
			}
		}
		if errs[i] != nil && !strings.Contains(errs[i].Error(), "not waiting any more") && !strings.Contains(errs[i].Error(), "none of the approved") {
			t.Errorf("applier %d: %v", i, errs[i])
		}
	}
	if oks != 1 {
		t.Fatalf("the create was applied %d times by the two appliers, want 1 (%v / %v)", oks, errs[0], errs[1])
	}
	if n := r.auditOK(t, r.create.ID); n != 1 {
		t.Errorf("audit: %d ok results of the create, want 1", n)
	}
	if n := r.auditOK(t, r.back.ID); n != 1 {
		t.Errorf("audit: %d ok results of the MO write-back that waited with it, want 1", n)
	}
	q, err = b2.Queue(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(q.Items) != 0 {
		t.Errorf("the queue still shows %d items after the apply: %+v", len(q.Items), q.Items)
	}
	st, err := store.Open(ctx, r.path, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, id := range []string{r.create.ID, r.back.ID} {
		it, ok, err := st.Get(ctx, id)
		if err != nil || !ok || it.Status != store.Applied {
			t.Errorf("item %s: %+v, %v, %v; want applied", id, it.Status, ok, err)
		}
	}
	// Applied once is applied: asking again writes nothing.
	if _, err := b1.ApplyQueued(ctx, tui.ApplyRequest{IDs: []string{r.create.ID}}, func(engine.Result) {}); err == nil {
		t.Error("a second apply of the applied change did not say it is no longer waiting")
	}
	if n := r.auditOK(t, r.create.ID); n != 1 {
		t.Errorf("audit after the second try: %d ok results, want 1", n)
	}
}

// A rejected change stays rejected in the queue (until its subject
// changes) and is never applied.
func TestQueueBackendRejected(t *testing.T) {
	ctx := context.Background()
	r := newQueueRig(t)
	r.enqueue(t)
	b := r.backend()
	defer b.Close()
	if err := b.Decide(ctx, r.create.ID, false); err != nil {
		t.Fatal(err)
	}
	q, err := b.Queue(ctx)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, it := range q.Items {
		if it.Change.ID == r.create.ID {
			found = it.Status == tui.QueueRejected && it.DecidedBy != ""
		}
	}
	if !found {
		t.Errorf("the rejected create is not shown as rejected with who decided: %+v", q.Items)
	}
	if _, err := b.ApplyQueued(ctx, tui.ApplyRequest{IDs: []string{r.create.ID}}, func(engine.Result) {}); err == nil {
		t.Error("a rejected change was applied")
	}
	if _, err := os.Stat(r.env.AuditPath); err == nil && r.auditOK(t, r.create.ID) != 0 {
		t.Error("the rejected create reached the audit log as written")
	}
}
