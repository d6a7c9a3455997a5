package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"moxsync/ad"
	"moxsync/demo"
	"moxsync/engine"
	"moxsync/mo/motest"
	"moxsync/wiring"
)

// watchKillDirEnv makes TestWatchKillChild run `moxsync watch` with the
// settings.ini of the directory it names.
const watchKillDirEnv = "MOXSYNC_WATCH_KILL_DIR"

// TestWatchKillChild is the child process of TestWatchKilledBetweenWriteAndAck.
func TestWatchKillChild(t *testing.T) {
	dir := os.Getenv(watchKillDirEnv)
	if dir == "" {
		t.Skip("the child process of TestWatchKilledBetweenWriteAndAck")
	}
	os.Exit(Main([]string{"moxsync", "watch", "--config", filepath.Join(dir, "settings.ini")}, strings.NewReader(""), os.Stdout, os.Stderr, func(string) string { return "" }))
}

// TestWatchKilledBetweenWriteAndAck kills a real `moxsync watch` with
// SIGKILL after it has written some of a batch of title changes to AD but
// before it acknowledged their MO events. A second watch resumes: MO hands
// the events out again, the titles already written plan as no change, the
// rest are written — each exactly once, every write with its intent and
// result in the audit log — and SIGTERM stops it with exit 0.
func TestWatchKilledBetweenWriteAndAck(t *testing.T) {
	if testing.Short() {
		t.Skip("starts child processes")
	}
	if os.Getenv(watchKillDirEnv) != "" {
		t.Skip("in the child")
	}
	// MO hands out a fetched, unacknowledged event again after 3 minutes;
	// here after 1 s.
	w := newCLIWorldWith(t, demo.Options{Seed: 3, MOEventRetryDelay: time.Second})
	f, err := os.OpenFile(filepath.Join(w.dir, "settings.ini"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprint(f, "WATCH_STORE = watch.db\nWATCH_POLL_INTERVAL = 100ms\nWATCH_COALESCE = 300ms\nMOX_LOG_LEVEL = 20\n")
	f.Close()
	logPath := filepath.Join(w.dir, "moxsync.log")
	audit := filepath.Join(w.dir, "audit.jsonl")

	start := func() *exec.Cmd {
		cmd := exec.Command(os.Args[0], "-test.run=^TestWatchKillChild$")
		cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"), "TMPDIR=" + os.TempDir(), watchKillDirEnv + "=" + w.dir}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
		return cmd
	}
	waitFor := func(what string, d time.Duration, cond func() bool) {
		t.Helper()
		for end := time.Now().Add(d); !cond(); time.Sleep(20 * time.Millisecond) {
			if time.Now().After(end) {
				log, _ := os.ReadFile(logPath)
				t.Fatalf("timed out waiting for %s; log:\n%.3000s", what, log)
			}
		}
	}
	logCount := func(msg string) int {
		data, _ := os.ReadFile(logPath)
		return strings.Count(string(data), msg)
	}
	results := func() int {
		data, _ := os.ReadFile(audit)
		return strings.Count(string(data), `"phase":"result"`)
	}

	child := start()
	waitFor("the start-up reconciliation", 30*time.Second, func() bool { return logCount("watch: reconciled") == 1 })

	// Twenty title changes in MO, one batch.
	d, err := ad.Dial(context.Background(), w.srv.AD)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	edits := titleEdits(t, w.srv.Dataset, d, 20)
	base := results()
	w.srv.MO().Edit(func(ds *motest.Dataset) { // one edit: the events come together
		for _, e := range edits {
			for i := range ds.Engagements {
				if ds.Engagements[i].UUID == e.engagement {
					ds.Engagements[i].JobFunctionUUID = e.jobUUID
				}
			}
		}
	})
	for end := time.Now().Add(20 * time.Second); results() < base+3; time.Sleep(time.Millisecond) {
		if time.Now().After(end) {
			t.Fatal("timed out waiting for 3 of the 20 writes")
		}
	}
	if err := child.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	child.Wait()
	written := results() - base
	if written == 0 || logCount("watch: MO event processed") > 0 {
		t.Fatalf("killed too late: %d of %d written, %d events acknowledged", written, len(edits), logCount("watch: MO event processed"))
	}

	child = start()
	waitFor("every title in AD", 30*time.Second, func() bool {
		accts, err := d.Accounts(context.Background(), []string{"title"})
		if err != nil {
			return false
		}
		right := 0
		for _, a := range accts {
			for _, e := range edits {
				if a.GUID == e.guid && a.Attr("title") == e.job {
					right++
				}
			}
		}
		return right == len(edits)
	})
	waitFor("the events acknowledged", 30*time.Second, func() bool { return logCount("watch: MO event processed") >= len(edits) })
	if err := child.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := child.Wait(); err != nil {
		t.Errorf("watch after SIGTERM: %v, want exit 0", err)
	}

	// Each account written once; every intent has its result.
	recs := readAuditFile(t, audit)
	for _, e := range edits {
		n := 0
		for _, r := range recs {
			if r.Phase != engine.AuditIntent && r.System == engine.SystemAD && strings.Contains(r.Key, e.guid) && r.Result == string(engine.ResultOK) && r.After["title"] == e.job {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%s: %d writes of its new title, want 1", e.guid, n)
		}
	}
	if open, err := wiring.UnfinishedIntents(audit); err != nil || len(open) != 0 {
		t.Errorf("%d intents without a result after the restart (%v)", len(open), err)
	}
	t.Logf("killed after %d of %d writes; the restart wrote the other %d", written, len(edits), len(edits)-written)
}

type titleEdit struct{ engagement, job, jobUUID, guid string }

// titleEdits picks n people with exactly one AD account and a current
// primary engagement, and a new job function for each.
func titleEdits(t *testing.T, ds *motest.Dataset, d *ad.Directory, n int) []titleEdit {
	t.Helper()
	accts, err := d.Accounts(context.Background(), []string{"title"})
	if err != nil {
		t.Fatal(err)
	}
	byCPR := map[string][]engine.Account{}
	for _, a := range accts {
		byCPR[a.CPR] = append(byCPR[a.CPR], a)
	}
	var jobs []motest.Class
	for _, f := range ds.Facets {
		if f.UserKey == motest.FacetJobFunction {
			for _, c := range ds.Classes {
				if c.FacetUUID == f.UUID {
					jobs = append(jobs, c)
				}
			}
		}
	}
	primary := ds.ClassByUserKey(motest.FacetPrimaryType, "primary").UUID
	cpr := map[string]string{}
	for _, p := range ds.People {
		cpr[p.UUID] = engine.DigitsOnly(p.CPR)
	}
	var out []titleEdit
	for _, e := range ds.Engagements {
		as := byCPR[cpr[e.PersonUUID]]
		if len(as) != 1 || e.PrimaryUUID != primary || !e.Validity.ActiveAt(time.Now()) {
			continue
		}
		for _, j := range jobs {
			if j.UUID != e.JobFunctionUUID && j.Name != as[0].Attr("title") {
				out = append(out, titleEdit{engagement: e.UUID, job: j.Name, jobUUID: j.UUID, guid: as[0].GUID})
				break
			}
		}
		if len(out) == n {
			return out
		}
	}
	t.Fatalf("only %d people to edit", len(out))
	return nil
}

func readAuditFile(t *testing.T, path string) []engine.AuditRecord {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []engine.AuditRecord
	for _, l := range bytes.Split(bytes.TrimSpace(b), []byte("\n")) {
		var rec engine.AuditRecord
		if err := json.Unmarshal(l, &rec); err != nil {
			t.Fatalf("audit line %q: %v", l, err)
		}
		out = append(out, rec)
	}
	return out
}
