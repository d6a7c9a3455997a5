package watch_test

// The continuous mode's performance targets (#13), as benchmarks over the
// in-process fakes. Each benchmark starts its own world (by default
// motest.SizeLarge: 40,000 people, 3,000 units), brings it in step (an
// apply of the first plan: the demo's STS starts empty), starts a watcher
// with the production timing (WATCH_POLL_INTERVAL 1 s, WATCH_COALESCE
// 250 ms, MO's 3-minute redelivery delay), waits until it has settled, and
// then measures one thing, reported with b.ReportMetric:
//
//	go test -run '^$' -bench . -benchtime 1x -timeout 60m ./watch
//
// WATCH_BENCH_SIZE=demo (or typical) picks a smaller world for a quick
// smoke run; WATCH_BENCH_EDITS, WATCH_BENCH_IDLE and WATCH_BENCH_BURST
// change the number of samples, the idle time and the burst's size;
// WATCH_BENCH_VERBOSE=1 logs every batch. Under -short they skip.
// BenchmarkMOEditToAD and BenchmarkADEditCorrected run the watcher in the
// benchmark's process; BenchmarkIdle and BenchmarkBurst10k run it as a
// process of its own (TestBenchWatcher), so that its CPU and memory are
// not mixed with the fakes'.

import (
	"bufio"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime/metrics"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
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

// benchRig is a rig for a benchmark: the world of WATCH_BENCH_SIZE,
// production timing, the empty event fetches counted, started and settled.
type benchRig struct {
	*rig
	ev    *countingEvents
	d     *ad.Directory
	attrs []string
}

func newBenchRig(b *testing.B) *benchRig {
	b.Helper()
	br, start, converged := newBenchWorld(b)
	r := br.rig
	r.start(func(c *watch.Config) { c.Events = br.ev })
	br.settle(15 * time.Minute)
	ds := r.srv.Dataset
	counts, err := r.st.Count(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("world %s: %d people, %d units, %d engagements; %s; started and reconciled in %v, queue %v (%s)",
		benchSize(), len(ds.People), len(ds.Units), len(ds.Engagements), converged, time.Since(start).Round(time.Millisecond), counts, loadavg())
	return br
}

func benchSize() motest.Size {
	return motest.Size(cmp.Or(os.Getenv("WATCH_BENCH_SIZE"), string(motest.SizeLarge)))
}

// newBenchWorld starts the fakes of WATCH_BENCH_SIZE and converges them;
// the watcher is not started.
func newBenchWorld(b *testing.B) (br *benchRig, start time.Time, converged string) {
	b.Helper()
	if testing.Short() {
		b.Skip("the watch benchmarks start a large world; not under -short")
	}
	start = time.Now()
	r := newRigWith(b, demo.Options{Size: benchSize(), Seed: 3}, map[string]string{
		"WATCH_POLL_INTERVAL": "1s",
		"WATCH_COALESCE":      "250ms",
	})
	br = &benchRig{rig: r, ev: &countingEvents{MOEvents: r.cfg.Events}}
	br.attrs = r.env.PlanOptions.Mapping.ReadAttributes()
	converged = br.converge()
	br.d = r.dir()
	return br, start, converged
}

// converge brings the generated world in step before the watcher starts,
// as `moxsync apply --auto-approve` would (the demo's STS starts empty and
// some people lack an account), so that the benchmarks measure a watcher
// over systems in step, with an empty review queue, as in steady running.
func (r *benchRig) converge() string {
	ctx := context.Background()
	start := time.Now()
	p, err := r.env.MakePlan(ctx, nil)
	if err != nil {
		r.t.Fatal(err)
	}
	o, closeAudit, err := r.env.ApplyOptions(false)
	if err != nil {
		r.t.Fatal(err)
	}
	defer closeAudit()
	for i := range p.Changes {
		if engine.Destructive(&p.Changes[i]) {
			o.AllowDeletes++
		}
	}
	o.UsernameClash = engine.ClashNextCandidate
	sum, err := engine.Apply(ctx, p, o)
	if err != nil {
		r.t.Fatalf("converging the world: %v", err)
	}
	if r.env.STSState != nil {
		if err := r.env.STSState.SaveIfDirty(1, 0); err != nil {
			r.t.Fatal(err)
		}
	}
	return fmt.Sprintf("converged first: %d changes applied, %d failed, %d stale in %v", sum.OK, sum.Failed, sum.Stale, time.Since(start).Round(time.Millisecond))
}

// settle waits for the start-up reconciliation, then until no event is
// pending in MO, the AD poll has seen every change in AD and no batch ran
// for two poll intervals.
func (r *benchRig) settle(limit time.Duration) {
	r.t.Helper()
	deadline := time.Now().Add(limit)
	quiet := time.Now()
	for {
		select {
		case <-r.batch:
			quiet = time.Now()
		case <-time.After(100 * time.Millisecond):
		}
		if r.reconciled() && r.pendingInMO() == 0 && r.adCaughtUp() && time.Since(quiet) > 2*r.cfg.PollInterval {
			return
		}
		if time.Now().After(deadline) {
			r.t.Fatalf("the watcher did not settle within %v (reconciled %v, pending %d)", limit, r.reconciled(), r.pendingInMO())
		}
	}
}

// adCaughtUp reports whether the watcher's stored AD position is where
// AD stands.
func (r *benchRig) adCaughtUp() bool {
	ctx := context.Background()
	now, err := r.d.ChangePosition(ctx)
	if err != nil {
		r.t.Fatal(err)
	}
	pos, ok, err := r.st.ADPosition(ctx)
	if err != nil {
		r.t.Fatal(err)
	}
	return ok && pos.USN >= now.USN
}

// pendingInMO is how many events wait in MO, asked of the fake directly
// (not over HTTP, so the MO request counts stay the watcher's).
func (r *rig) pendingInMO() int {
	n := 0
	for _, l := range r.srv.MO().Listeners() {
		n += len(l.Pending)
	}
	return n
}

// countingEvents counts the event fetches that found nothing: the idle
// polling, told apart from the requests an event costs.
type countingEvents struct {
	engine.MOEvents
	empty atomic.Int64
}

func (c *countingEvents) FetchEvent(ctx context.Context, listener string) (*engine.MOEvent, error) {
	ev, err := c.MOEvents.FetchEvent(ctx, listener)
	if err == nil && ev == nil {
		c.empty.Add(1)
	}
	return ev, err
}

// subject is an employee with an AD account and a current primary
// engagement.
type subject struct {
	person motest.Person
	eng    motest.Engagement
	acct   engine.Account
}

// subjects are up to n employees with exactly one account each, read
// from AD once.
func (r *benchRig) subjects(n int) []subject {
	r.t.Helper()
	accts, err := r.d.Accounts(context.Background(), r.attrs)
	if err != nil {
		r.t.Fatal(err)
	}
	byCPR := map[string][]engine.Account{}
	for _, a := range accts {
		if a.CPR != "" {
			byCPR[a.CPR] = append(byCPR[a.CPR], a)
		}
	}
	ds := r.srv.Dataset
	primary := ds.ClassByUserKey(motest.FacetPrimaryType, "primary").UUID
	engOf := map[string]motest.Engagement{}
	for _, e := range ds.Engagements {
		if e.PrimaryUUID == primary && e.Validity.ActiveAt(time.Now()) {
			engOf[e.PersonUUID] = e
		}
	}
	var out []subject
	for _, p := range ds.People {
		as := byCPR[engine.DigitsOnly(p.CPR)]
		e, ok := engOf[p.UUID]
		if len(as) != 1 || !ok || as[0].Attr("title") == "" {
			continue
		}
		out = append(out, subject{p, e, as[0]})
		if len(out) == n {
			break
		}
	}
	if len(out) == 0 {
		r.t.Fatal("no employee with an account")
	}
	return out
}

// title is the account's title in AD now.
func (r *benchRig) title(guid string) string {
	a, err := r.d.AccountByGUID(context.Background(), guid, []string{"title"})
	if err != nil {
		r.t.Fatal(err)
	}
	return a.Attr("title")
}

// waitTitle waits (up to limit) until the account's title is want,
// looking every 5 ms, and returns when it saw it.
func (r *benchRig) waitTitle(guid, want string, limit time.Duration) (time.Time, bool) {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		if r.title(guid) == want {
			return time.Now(), true
		}
		time.Sleep(5 * time.Millisecond)
	}
	return time.Time{}, false
}

// waitAcked waits until MO holds no pending event.
func (r *benchRig) waitAcked(limit time.Duration) bool {
	deadline := time.Now().Add(limit)
	for r.pendingInMO() > 0 {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(20 * time.Millisecond)
	}
	return true
}

// jitter sleeps a random part of a poll interval, so that samples do not
// all start at the same point of the fetch loops' wait.
func (r *benchRig) jitter() {
	time.Sleep(rand.N(r.cfg.PollInterval))
}

func envInt(b *testing.B, key string, def int) int {
	v := os.Getenv(key)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 {
		b.Fatalf("%s=%q: want a positive number", key, v)
	}
	return n
}

func roundAll(ds []time.Duration) []time.Duration {
	out := make([]time.Duration, len(ds))
	for i, d := range ds {
		out[i] = d.Round(time.Millisecond)
	}
	return out
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// loadavg is the machine's load (the first three fields of
// /proc/loadavg), to note beside a figure.
func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "load unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "load unknown"
	}
	return "load " + strings.Join(f[:3], " ")
}

// fullReads is how many requests of a full snapshot read MO got (the
// operations only Snapshot sends; partial reads send PeopleByUUID and
// UnitsByUUID*).
func fullReads(ops map[string]int) int {
	return ops["People"] + ops["Units"] + ops["Classes"] + ops["ITSystems"]
}

// moRequestsPerEvent is the MO requests of the events processed since the
// counts were reset, idle fetches (empty) left out.
func (r *benchRig) moRequestsPerEvent(emptyBefore int64, events int) float64 {
	total := r.srv.MO().TotalRequests()
	empty := int(r.ev.empty.Load() - emptyBefore)
	if events == 0 {
		return 0
	}
	return float64(total-empty) / float64(events)
}

// BenchmarkMOEditToAD: an MO title change (an engagement's job function)
// until AD holds the new title, one edit at a time; p50/p95 of that, the
// watcher's own fetch→ack latency, and the MO requests per event (the
// empty fetches of idle listeners left out). Target: p95 ≤ 2 s, ≤ 4 MO
// requests per event.
func BenchmarkMOEditToAD(b *testing.B) {
	r := newBenchRig(b)
	n := envInt(b, "WATCH_BENCH_EDITS", 30)
	subs := r.subjects(n * b.N)
	var lat []time.Duration
	eventsBefore := r.w.Totals().Events
	latBefore := len(r.w.Totals().Latencies)
	batchesBefore := len(r.batches())
	r.srv.MO().Reset()
	emptyBefore := r.ev.empty.Load()
	b.ResetTimer()
	for i := range n * b.N {
		s := subs[i%len(subs)]
		job := r.otherJob(s.eng.JobFunctionUUID, r.title(s.acct.GUID))
		r.jitter()
		t0 := time.Now()
		if err := r.srv.MO().SetJobFunction(s.eng.UUID, job); err != nil {
			b.Fatal(err)
		}
		seen, ok := r.waitTitle(s.acct.GUID, job, 30*time.Second)
		if !ok {
			b.Fatalf("edit %d: the title %q did not reach AD within 30 s", i, job)
		}
		lat = append(lat, seen.Sub(t0))
		if !r.waitAcked(30 * time.Second) {
			b.Fatalf("edit %d: its event was not acknowledged within 30 s", i)
		}
		s.eng.JobFunctionUUID = classUUID(r.srv.Dataset, job)
		subs[i%len(subs)] = s
	}
	b.StopTimer()
	logBatches(b, r.batches()[batchesBefore:])
	tot := r.w.Totals()
	events := tot.Events - eventsBefore
	perEvent := r.moRequestsPerEvent(emptyBefore, events)
	b.ReportMetric(ms(watch.Percentile(lat, 50)), "p50-ms")
	b.ReportMetric(ms(watch.Percentile(lat, 95)), "p95-ms")
	b.ReportMetric(ms(watch.Percentile(tot.Latencies[latBefore:], 95)), "fetch-ack-p95-ms")
	b.ReportMetric(perEvent, "MO-req/event")
	b.ReportMetric(0, "ns/op")
	b.Logf("%d edits, %d events: edit→AD %v; p50 %v p95 %v max %v; MO requests %v, of them %d empty fetches; %s",
		len(lat), events, roundAll(lat), watch.Percentile(lat, 50).Round(time.Millisecond), watch.Percentile(lat, 95).Round(time.Millisecond),
		slices.Max(lat).Round(time.Millisecond), r.srv.MO().Operations(), r.ev.empty.Load()-emptyBefore, loadavg())
	if fr := fullReads(r.srv.MO().Operations()); fr > 0 {
		b.Errorf("%d requests of a full MO read while handling single edits", fr)
	}
}

// otherJob is the name of a job function other than the class job and
// the title cur.
func (r *benchRig) otherJob(job, cur string) string {
	ds := r.srv.Dataset
	facet := ""
	for _, f := range ds.Facets {
		if f.UserKey == motest.FacetJobFunction {
			facet = f.UUID
		}
	}
	for _, c := range ds.Classes {
		if c.FacetUUID == facet && c.UUID != job && c.Name != cur {
			return c.Name
		}
	}
	r.t.Fatal("no other job function")
	return ""
}

// logBatches logs what each batch was and took, with WATCH_BENCH_VERBOSE.
func logBatches(b *testing.B, reps []watch.BatchReport) {
	if os.Getenv("WATCH_BENCH_VERBOSE") == "" {
		return
	}
	for _, r := range reps {
		b.Logf("batch %s: %d events, %d subjects, applied %d, queued %d, took %v, err %v", r.Trigger, r.Events, r.Subjects, r.Applied, r.Queued, r.Took.Round(time.Millisecond), r.Err)
	}
}

func classUUID(ds *motest.Dataset, name string) string {
	for _, c := range ds.Classes {
		if c.Name == name {
			return c.UUID
		}
	}
	return ""
}

// BenchmarkADEditCorrected: an admin changes an MO-owned attribute (the
// title) in AD; the time until the watcher wrote it back. Target: ≤ poll
// interval + 1 s.
func BenchmarkADEditCorrected(b *testing.B) {
	r := newBenchRig(b)
	n := envInt(b, "WATCH_BENCH_EDITS", 30) / 2
	subs := r.subjects(n * b.N)
	var lat []time.Duration
	b.ResetTimer()
	for i := range n * b.N {
		s := subs[i%len(subs)]
		want := r.title(s.acct.GUID)
		r.jitter()
		t0 := time.Now()
		err := r.d.Modify(context.Background(), s.acct.DN, []engine.AttrChange{{Attr: "title", Before: []string{want}, After: []string{fmt.Sprintf("Manuelt rettet %d", i)}}})
		if err != nil {
			b.Fatal(err)
		}
		seen, ok := r.waitTitle(s.acct.GUID, want, 30*time.Second)
		if !ok {
			b.Fatalf("edit %d: the title of %s was not corrected within 30 s", i, s.acct.DN)
		}
		lat = append(lat, seen.Sub(t0))
	}
	b.StopTimer()
	b.ReportMetric(ms(watch.Percentile(lat, 50)), "p50-ms")
	b.ReportMetric(ms(watch.Percentile(lat, 95)), "p95-ms")
	b.ReportMetric(ms(slices.Max(lat)), "max-ms")
	b.ReportMetric(0, "ns/op")
	b.Logf("%d AD edits corrected: p50 %v p95 %v max %v (poll interval %v); %s", len(lat),
		watch.Percentile(lat, 50).Round(time.Millisecond), watch.Percentile(lat, 95).Round(time.Millisecond),
		slices.Max(lat).Round(time.Millisecond), r.cfg.PollInterval, loadavg())
}

// benchChildEnv names the directory of the settings with which
// TestBenchWatcher runs a watcher: the process of BenchmarkIdle and
// BenchmarkBurst10k, so that its CPU and memory are the watcher's alone,
// not those of the in-process fakes it talks to.
const benchChildEnv = "WATCH_BENCH_CHILD"

// TestBenchWatcher runs a watcher until SIGTERM, as `moxsync watch` does,
// with the settings (settings.json) of the directory WATCH_BENCH_CHILD
// names; it writes "reconciled" there after the start-up reconciliation,
// one line per event batch to batches.log, and its peak Go heap (bytes)
// to heap when it stops; with WATCH_BENCH_CHILD_CPUPROFILE, a CPU profile
// of its life to that file.
func TestBenchWatcher(t *testing.T) {
	dir := os.Getenv(benchChildEnv)
	if dir == "" {
		t.Skip("the watcher process of the benchmarks")
	}
	data, err := os.ReadFile(filepath.Join(dir, "settings.json"))
	if err != nil {
		t.Fatal(err)
	}
	var vals map[string]string
	if err := json.Unmarshal(data, &vals); err != nil {
		t.Fatal(err)
	}
	s, err := settings.Load(settings.LoadOptions{NoFile: true, Getenv: func(k string) string { return vals[k] }, Cwd: dir})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	env, err := wiring.Open(ctx, s, wiring.Options{Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer env.Close()
	st, err := store.Open(ctx, s.Watch.Store, store.Options{Exclusive: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	batches, err := os.Create(filepath.Join(dir, "batches.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer batches.Close()
	cfg := watchConfig(s, env, st, testLog(t))
	cfg.OnBatch = func(b watch.BatchReport) {
		if b.Trigger == "reconcile" && b.Err == nil {
			os.WriteFile(filepath.Join(dir, "reconciled"), nil, 0o644)
		}
		if b.Trigger == "events" {
			fmt.Fprintf(batches, "%d %d %d %v\n", b.Events, b.Subjects, b.Took.Milliseconds(), b.Err)
		}
	}
	if path := os.Getenv("WATCH_BENCH_CHILD_CPUPROFILE"); path != "" {
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			t.Fatal(err)
		}
		defer pprof.StopCPUProfile()
	}
	stopHeap := make(chan struct{})
	heap := make(chan uint64, 1)
	go func() { heap <- watchHeap(stopHeap) }()
	runCtx, stop := signal.NotifyContext(ctx, syscall.SIGTERM)
	defer stop()
	if err := watch.New(cfg).Run(runCtx); err != nil {
		t.Fatal(err)
	}
	close(stopHeap)
	os.WriteFile(filepath.Join(dir, "heap"), []byte(strconv.FormatUint(<-heap, 10)), 0o644)
}

// benchChild is a watcher process (TestBenchWatcher) over the benchmark's
// fakes.
type benchChild struct {
	cmd *exec.Cmd
	dir string
}

// startChild hands the store to a watcher process and waits until it has
// settled. The benchmark keeps the store open for reading only.
func (r *benchRig) startChild() *benchChild {
	r.t.Helper()
	ctx := context.Background()
	r.st.Close()
	data, err := json.Marshal(r.vals)
	if err != nil {
		r.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(r.tmp, "settings.json"), data, 0o600); err != nil {
		r.t.Fatal(err)
	}
	c := &benchChild{dir: r.tmp}
	c.cmd = exec.Command(os.Args[0], "-test.run=^TestBenchWatcher$", "-test.v")
	c.cmd.Env = append(os.Environ(), benchChildEnv+"="+r.tmp)
	out, err := os.Create(filepath.Join(r.tmp, "watcher.log")) // not the benchmark's output, which go test parses
	if err != nil {
		r.t.Fatal(err)
	}
	defer out.Close()
	c.cmd.Stdout, c.cmd.Stderr = out, out
	if err := c.cmd.Start(); err != nil {
		r.t.Fatal(err)
	}
	r.t.Cleanup(func() { c.stop() })
	r.t.Cleanup(func() { r.env.Close() })
	deadline := time.Now().Add(15 * time.Minute)
	for {
		if _, err := os.Stat(filepath.Join(r.tmp, "reconciled")); err == nil {
			break
		}
		if time.Now().After(deadline) || c.cmd.ProcessState != nil {
			log, _ := os.ReadFile(filepath.Join(r.tmp, "watcher.log"))
			r.t.Fatalf("the watcher process did not reconcile within 15 minutes:\n%s", log)
		}
		time.Sleep(200 * time.Millisecond)
	}
	if r.st, err = store.Open(ctx, r.s.Watch.Store, store.Options{}); err != nil {
		r.t.Fatal(err)
	}
	for r.pendingInMO() > 0 || !r.adCaughtUp() {
		if time.Now().After(deadline) {
			r.t.Fatal("the watcher process did not settle within 15 minutes")
		}
		time.Sleep(200 * time.Millisecond)
	}
	time.Sleep(3 * r.cfg.PollInterval)
	return c
}

// stop stops the watcher process with SIGTERM and waits for it.
func (c *benchChild) stop() {
	if c.cmd.Process == nil || c.cmd.ProcessState != nil {
		return
	}
	c.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { c.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(time.Minute):
		c.cmd.Process.Kill()
		<-done
	}
}

// cpu is the CPU time (user + system) the process used so far, from
// /proc/PID/stat (Linux, 100 ticks a second).
func (c *benchChild) cpu(b *testing.B) time.Duration {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", c.cmd.Process.Pid))
	if err != nil {
		b.Fatal(err)
	}
	i := strings.LastIndexByte(string(data), ')')
	f := strings.Fields(string(data[i+1:]))
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(utime+stime) * 10 * time.Millisecond
}

// mem is the process's resident set now and at its peak (VmRSS, VmHWM).
func (c *benchChild) mem() (rss, peak uint64) {
	return procStatus(fmt.Sprintf("/proc/%d/status", c.cmd.Process.Pid), "VmRSS:"), procStatus(fmt.Sprintf("/proc/%d/status", c.cmd.Process.Pid), "VmHWM:")
}

// BenchmarkIdle: nothing changes for WATCH_BENCH_IDLE seconds (default
// 30). The watcher runs in a process of its own (TestBenchWatcher): MO
// requests per listener per poll interval, its CPU, and no full read.
// Target: ≤ 1 request per listener per interval, < 2 % of a core, no
// full read.
func BenchmarkIdle(b *testing.B) {
	br, start, converged := newBenchWorld(b)
	r := br
	c := r.startChild()
	b.Logf("world %s; %s; watcher process started and settled in %v (%s)", benchSize(), converged, time.Since(start).Round(time.Millisecond), loadavg())
	idle := time.Duration(envInt(b, "WATCH_BENCH_IDLE", 30)) * time.Second
	listeners := len(watch.DefaultRoutingKeys)
	var reqs, cpu, wall float64
	var ops map[string]int
	b.ResetTimer()
	for range b.N {
		r.srv.MO().Reset()
		c0, t0 := c.cpu(b), time.Now()
		time.Sleep(idle)
		c1, t1 := c.cpu(b), time.Now()
		ops = r.srv.MO().Operations()
		reqs += float64(r.srv.MO().TotalRequests())
		cpu += float64(c1 - c0)
		wall += float64(t1.Sub(t0))
	}
	b.StopTimer()
	rss, _ := c.mem()
	intervals := wall / float64(r.cfg.PollInterval)
	perListener := reqs / float64(listeners) / intervals
	cpuPct := 100 * cpu / wall
	b.ReportMetric(perListener, "MO-req/listener/interval")
	b.ReportMetric(cpuPct, "CPU-%")
	b.ReportMetric(float64(fullReads(ops)), "full-read-requests")
	b.ReportMetric(float64(rss)/(1<<20), "RSS-MB")
	b.ReportMetric(0, "ns/op")
	b.Logf("idle %v: %d listeners, MO requests %v, watcher process CPU %v = %.2f %% of a core, RSS %d MB; %s",
		time.Duration(wall), listeners, ops, time.Duration(cpu), cpuPct, rss>>20, loadavg())
	if fr := fullReads(ops); fr > 0 {
		b.Errorf("idle: %d requests of a full MO read", fr)
	}
}

// BenchmarkBurst10k: a reorganisation's burst of WATCH_BENCH_BURST
// (default 10,000) events arrives at once — engagement events (people
// moved), person events and org_unit events (units changed, each
// re-planning its people), emitted as MO emits them, without a change in
// the data (so the plans are empty and what is measured is the event
// path: fetch, coalesce, resolve, partial read, re-plan, ack). The watcher
// runs in a process of its own (TestBenchWatcher). The time until every
// event is acknowledged, the MO requests per event (idle fetches
// included), the watcher's peak Go heap and peak RSS (VmHWM, its start-up
// reconciliation's full read included). Target: ≤ 60 s, < 1 GB.
func BenchmarkBurst10k(b *testing.B) {
	br, start, converged := newBenchWorld(b)
	r := br
	c := r.startChild()
	b.Logf("world %s; %s; watcher process started and settled in %v (%s)", benchSize(), converged, time.Since(start).Round(time.Millisecond), loadavg())
	_, peakBefore := c.mem()
	b.StopTimer()
	n := envInt(b, "WATCH_BENCH_BURST", 10000)
	ds := r.srv.Dataset
	// 85 % engagements, 10 % people, 5 % units, each subject once.
	var evs [][2]string
	add := func(rk string, ids []string, want int) {
		for _, id := range ids[:min(want, len(ids))] {
			evs = append(evs, [2]string{rk, id})
		}
	}
	var engs, people, units []string
	for _, e := range ds.Engagements {
		engs = append(engs, e.UUID)
	}
	for _, p := range ds.People {
		people = append(people, p.UUID)
	}
	for _, u := range ds.Units {
		units = append(units, u.UUID)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for _, s := range [][]string{engs, people, units} {
		rng.Shuffle(len(s), func(i, j int) { s[i], s[j] = s[j], s[i] })
	}
	add("org_unit", units, n*5/100)
	add("person", people, n*10/100)
	add("engagement", engs, n-len(evs))
	if len(evs) < n {
		b.Logf("the %s world has subjects for %d distinct events only", benchSize(), len(evs))
	}
	var took time.Duration
	var perEvent float64
	var ops map[string]int
	for range b.N {
		r.srv.MO().Reset()
		b.StartTimer()
		t0 := time.Now()
		for _, e := range evs {
			r.srv.MO().Emit(e[0], e[1])
		}
		if !r.waitAcked(10 * time.Minute) {
			b.Fatalf("burst: %d events still pending after 10 minutes", r.pendingInMO())
		}
		took = time.Since(t0)
		b.StopTimer()
		ops = r.srv.MO().Operations()
		perEvent = float64(r.srv.MO().TotalRequests()) / float64(len(evs))
	}
	rss, peak := c.mem()
	c.stop()
	heap, _ := os.ReadFile(filepath.Join(c.dir, "heap"))
	peakHeap, _ := strconv.ParseUint(string(heap), 10, 64)
	log, _ := os.ReadFile(filepath.Join(c.dir, "batches.log"))
	lines := strings.Split(strings.TrimSpace(string(log)), "\n")
	b.ReportMetric(took.Seconds(), "s-to-all-acked")
	b.ReportMetric(perEvent, "MO-req/event")
	b.ReportMetric(float64(peakHeap)/(1<<20), "peak-heap-MB")
	b.ReportMetric(float64(peak)/(1<<20), "peak-RSS-MB")
	b.ReportMetric(0, "ns/op")
	b.Logf("burst of %d events: all acknowledged in %v; %d batches (events subjects ms err: %v); MO requests %v; watcher RSS %d MB after, peak %d MB (%d MB before the burst), peak Go heap %d MB; %s",
		len(evs), took.Round(time.Millisecond), len(lines), lines, ops, rss>>20, peak>>20, peakBefore>>20, peakHeap>>20, loadavg())
}

// watchHeap samples the live Go heap every 50 ms until stop and returns
// its peak.
func watchHeap(stop <-chan struct{}) uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	var peak uint64
	t := time.NewTicker(50 * time.Millisecond)
	defer t.Stop()
	for {
		metrics.Read(s)
		peak = max(peak, s[0].Value.Uint64())
		select {
		case <-stop:
			return peak
		case <-t.C:
		}
	}
}

// procStatus is a size field (kB) of a /proc/PID/status file, in bytes;
// 0 when it cannot be read.
func procStatus(path, field string) uint64 {
	f, err := os.Open(path)
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), field); ok {
			kb, _ := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}
