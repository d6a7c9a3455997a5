package cli

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"moxsync/store"
)

// appendSettings adds lines to the world's settings.ini.
func (w *cliWorld) appendSettings(t *testing.T, lines string) {
	t.Helper()
	f, err := os.OpenFile(filepath.Join(w.dir, "settings.ini"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := fmt.Fprint(f, lines); err != nil {
		t.Fatal(err)
	}
}

func TestWatchHelp(t *testing.T) {
	r := runIn(t, t.TempDir(), nil, "watch", "--help")
	for _, want := range []string{"Usage: moxsync watch", "WATCH_APPLY_AT_ONCE", "review queue", "SIGTERM", "/healthz", "--for DURATION", "OS2MO_API = graphql"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("watch --help lacks %q:\n%s", want, r.stderr)
		}
	}
	if r.code != exitOK {
		t.Errorf("exit %d", r.code)
	}
	if r := runIn(t, t.TempDir(), nil, "help"); !strings.Contains(r.stdout, "watch") {
		t.Errorf("help does not list watch:\n%s", r.stdout)
	}
}

// watch refuses to start, saying why, on what it cannot work with.
func TestWatchRefusesToStart(t *testing.T) {
	w := newCLIWorld(t)
	t.Run("REST MO", func(t *testing.T) {
		r := runIn(t, w.dir, map[string]string{"OS2MO_API": "rest", "AD_MAPPING": "objectGUID = off"}, "watch", "--for", "5s")
		if r.code != exitError || !strings.Contains(r.stderr, "OS2MO_API = rest") || !strings.Contains(r.stderr, "GraphQL") {
			t.Errorf("exit %d, stderr:\n%s", r.code, r.stderr)
		}
	})
	t.Run("store held by another watch", func(t *testing.T) {
		path := filepath.Join(w.dir, "held.db")
		st, err := store.Open(context.Background(), path, store.Options{Exclusive: true})
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		r := runIn(t, w.dir, map[string]string{"WATCH_STORE": path}, "watch", "--for", "5s")
		want := fmt.Sprintf("store %s is in use by another moxsync watch (pid %d on host", path, os.Getpid())
		if r.code != exitError || !strings.Contains(r.stderr, want) {
			t.Errorf("exit %d, want %q in stderr:\n%s", r.code, want, r.stderr)
		}
	})
	t.Run("corrupt store", func(t *testing.T) {
		path := filepath.Join(w.dir, "corrupt.db")
		if err := os.WriteFile(path, []byte("this is not a database, it is a shopping list\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		r := runIn(t, w.dir, map[string]string{"WATCH_STORE": path}, "watch", "--for", "5s")
		if r.code != exitError || !strings.Contains(r.stderr, "store "+path) {
			t.Errorf("exit %d, want the file named in stderr:\n%s", r.code, r.stderr)
		}
		if b, _ := os.ReadFile(path); !strings.HasPrefix(string(b), "this is not a database") {
			t.Error("the corrupt file was overwritten")
		}
	})
	t.Run("bad setting", func(t *testing.T) {
		r := runIn(t, w.dir, map[string]string{"WATCH_APPLY_AT_ONCE": "everything"}, "watch", "--for", "5s")
		if r.code != exitError || !strings.Contains(r.stderr, `WATCH_APPLY_AT_ONCE = "everything"`) {
			t.Errorf("exit %d, stderr:\n%s", r.code, r.stderr)
		}
	})
}

// watch --for runs, serves /healthz and /metrics, and stops with exit 0.
func TestWatchRunsAndServesMetrics(t *testing.T) {
	w := newCLIWorld(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	w.appendSettings(t, "WATCH_STORE = watch.db\nWATCH_POLL_INTERVAL = 100ms\n")
	done := make(chan runResult, 1)
	go func() { done <- w.run(t, "watch", "--for", "3s", "--http", addr) }()
	var health, metrics string
	for end := time.Now().Add(3 * time.Second); time.Now().Before(end) && (!strings.Contains(health, `"status":"ok"`) || !strings.Contains(metrics, "moxsync_watch_queue_length")); time.Sleep(100 * time.Millisecond) {
		health, metrics = get(addr, "/healthz"), get(addr, "/metrics")
	}
	r := <-done
	if r.code != exitOK {
		t.Fatalf("watch --for 3s: exit %d\n%s", r.code, r.stderr)
	}
	if !strings.Contains(health, `"status":"ok"`) {
		t.Errorf("/healthz = %q", health)
	}
	for _, m := range []string{"moxsync_watch_events_total", "moxsync_watch_event_latency_seconds", "moxsync_watch_queue_length", "moxsync_watch_ad_usn", "moxsync_watch_errors_total"} {
		if !strings.Contains(metrics, m) {
			t.Errorf("/metrics lacks %s", m)
		}
	}
	st, err := store.Open(context.Background(), filepath.Join(w.dir, "watch.db"), store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	hb, ok, err := st.Watch(context.Background())
	if err != nil || !ok || !hb.Stopped || hb.PID != os.Getpid() {
		t.Errorf("heartbeat after stop = %+v, %v, %v; want stopped, this pid", hb, ok, err)
	}
	counts, _ := st.Count(context.Background())

	// check shows the queue, the stopped watch and the listeners.
	w.srv.MO().Emit("person", w.srv.Dataset.People[0].UUID)
	r = w.run(t, "check", "--quick")
	for _, want := range []string{
		fmt.Sprintf("review queue    %s: %d pending, 0 approved, 0 rejected, 0 applying", filepath.Join(w.dir, "watch.db"), counts[store.Pending]),
		"watch process   not running (stopped ",
		`MO listeners    7 with the prefix "moxsync-", 1 event pending (address 0, engagement 0, ituser 0, leave 0, manager 0, org_unit 0, person 1)`,
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("check --quick lacks %q:\n%s", want, r.stdout)
		}
	}
}

func get(addr, path string) string {
	resp, err := http.Get("http://" + addr + path)
	if err != nil {
		return ""
	}
	defer resp.Body.Close()
	var b strings.Builder
	buf := make([]byte, 64<<10)
	for {
		n, err := resp.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			break
		}
	}
	return b.String()
}
