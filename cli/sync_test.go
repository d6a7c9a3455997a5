package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"moxsync/demo"
	"moxsync/engine"
	"moxsync/mo/motest"
)

// cliWorld is an in-process MO, AD and STSOrgSync with a settings.ini
// pointing at them, for running the commands as an operator would.
type cliWorld struct {
	dir string
	srv *demo.Servers
}

func newCLIWorld(t *testing.T) *cliWorld {
	t.Helper()
	return newCLIWorldSized(t, motest.SizeDemo)
}

func newCLIWorldSized(t *testing.T, size motest.Size) *cliWorld {
	t.Helper()
	return newCLIWorldWith(t, demo.Options{Seed: 3, Size: size})
}

func newCLIWorldWith(t *testing.T, o demo.Options) *cliWorld {
	t.Helper()
	srv, err := demo.Start(o, true)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	dir := t.TempDir()
	ini := fmt.Sprintf(`[settings]
OS2MO_SERVICE_URL = %s/service
OS2MO_API = graphql
OS2MO_GRAPHQL_VERSION = 29
OS2MO_TOP_UNIT_UUID = %s
OS2MO_AD_ITSYSTEM = Active Directory
AD_URL = %s
AD_BIND_DN = %s
AD_BIND_PASSWORD = %s
AD_SEARCH_BASE = %s
AD_NEW_USER_OU = %s
AD_UPN_SUFFIX = %s
STSORGSYNC_API_URL = %s
STSORGSYNC_MUNICIPALITY = %s
STSORGSYNC_HASH_CACHE = sts_state.json
STSORGSYNC_USERID_FROM_AD = true
AUDIT_LOG = audit.jsonl
MOX_LOG_FILE = moxsync.log
READONLY = false
`, srv.MOURL, srv.Dataset.TopUnitUUID, srv.AD.URL, srv.AD.BindDN, srv.AD.Password, srv.AD.SearchBase, srv.AD.NewUserOU,
		srv.Dataset.Domain, srv.STSURL, demo.CVR)
	if err := os.WriteFile(filepath.Join(dir, "settings.ini"), []byte(ini), 0o600); err != nil {
		t.Fatal(err)
	}
	return &cliWorld{dir: dir, srv: srv}
}

func (w *cliWorld) run(t *testing.T, args ...string) runResult {
	t.Helper()
	return runIn(t, w.dir, nil, args...)
}

// rawCPR finds a CPR number that is not masked: DDMMYY then 4 digits.
var rawCPR = regexp.MustCompile(`\b(0[1-9]|[12]\d|3[01])(0[1-9]|1[0-2])\d\d-?\d{4}\b`)

func checkMasked(t *testing.T, what, text string) {
	t.Helper()
	for _, m := range rawCPR.FindAllString(text, -1) {
		t.Errorf("unmasked CPR %q in %s", m, what)
	}
}

func readPlanFile(t *testing.T, path string) *engine.Plan {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	p, err := engine.UnmarshalPlan(b)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func ids(p *engine.Plan) []string {
	var out []string
	for _, c := range p.Changes {
		out = append(out, c.ID)
	}
	return out
}

func TestPlanApplyPlanCommands(t *testing.T) {
	w := newCLIWorld(t)

	r := w.run(t, "plan", "--detailed-exitcode", "--out", "plan.json")
	if r.code != exitPending {
		t.Fatalf("plan: exit %d, stderr:\n%s", r.code, r.stderr)
	}
	if !strings.Contains(r.stdout, "+ create  AD") || !strings.Contains(r.stdout, "Plan: ") {
		t.Errorf("plan output:\n%.2000s", r.stdout)
	}
	checkMasked(t, "plan output", r.stdout+r.stderr)
	st, err := os.Stat(filepath.Join(w.dir, "plan.json"))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("plan.json: %v, mode %v", err, st.Mode().Perm())
	}
	saved := readPlanFile(t, filepath.Join(w.dir, "plan.json"))

	// A second read gives the same change ids.
	r = w.run(t, "plan", "--json")
	if r.code != exitOK {
		t.Fatalf("plan --json: exit %d: %s", r.code, r.stderr)
	}
	again, err := engine.UnmarshalPlan([]byte(r.stdout))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(ids(saved), ids(again)) {
		t.Error("change ids differ between two reads")
	}

	r = w.run(t, "apply", "plan.json")
	if r.code != exitOK {
		t.Fatalf("apply: exit %d\nstdout:\n%s\nstderr:\n%.3000s", r.code, r.stdout, r.stderr)
	}
	if !strings.Contains(r.stdout, fmt.Sprintf("Apply: %d ok.", len(saved.Changes))) {
		t.Errorf("apply summary: %q", r.stdout)
	}
	checkMasked(t, "apply output", r.stdout+r.stderr)
	audit, err := os.ReadFile(filepath.Join(w.dir, "audit.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	// Each change written: an intent line before its write, a result after.
	lines := strings.Split(strings.TrimSpace(string(audit)), "\n")
	if len(lines) != 2*len(saved.Changes) {
		t.Errorf("%d audit lines for %d changes", len(lines), len(saved.Changes))
	}
	checkMasked(t, "audit log", string(audit))
	phases := map[any]int{}
	for _, l := range lines {
		var rec map[string]any
		if err := json.Unmarshal([]byte(l), &rec); err != nil {
			t.Fatalf("audit line %q: %v", l, err)
		}
		phases[rec["phase"]]++
		keys := []string{"time", "os_user", "plan_id", "change_id", "system", "op", "key", "before", "after", "result"}
		if rec["phase"] == "intent" {
			keys = keys[:len(keys)-1]
		}
		for _, k := range keys {
			if _, ok := rec[k]; !ok {
				t.Errorf("audit line without %s: %s", k, l)
			}
		}
	}
	if phases["intent"] != len(saved.Changes) || phases["result"] != len(saved.Changes) {
		t.Errorf("audit lines by phase: %v, for %d changes", phases, len(saved.Changes))
	}

	// The same saved plan again: its AD and MO changes are stale now.
	r = w.run(t, "apply", "plan.json")
	if r.code != exitRefused || !strings.Contains(r.stdout, "stale") {
		t.Errorf("re-applying a used plan: exit %d, stdout %q", r.code, r.stdout)
	}

	r = w.run(t, "plan", "--detailed-exitcode")
	if r.code != exitOK || !strings.Contains(r.stdout, "No changes.") {
		t.Errorf("plan after apply: exit %d\n%.3000s", r.code, r.stdout)
	}
	log, _ := os.ReadFile(filepath.Join(w.dir, "moxsync.log"))
	checkMasked(t, "log file", string(log))
}

func TestApplyThresholdRefusalWritesNothing(t *testing.T) {
	w := newCLIWorld(t)
	if r := w.run(t, "apply", "--auto-approve"); r.code != exitOK {
		t.Fatalf("first apply: exit %d: %.2000s", r.code, r.stderr)
	}
	// 40 people leave: their accounts are to be disabled — over 10 %.
	yesterday := time.Now().AddDate(0, 0, -1)
	left := map[string]bool{}
	w.srv.UpdateMO(func(ds *motest.Dataset) {
		for i := range ds.Engagements {
			e := &ds.Engagements[i]
			if len(left) < 40 || left[e.PersonUUID] {
				left[e.PersonUUID] = true
				e.Validity.To = yesterday
			}
		}
	})
	r := w.run(t, "plan", "--out", "leave.json")
	if r.code != exitOK {
		t.Fatalf("plan: %d %s", r.code, r.stderr)
	}
	p := readPlanFile(t, filepath.Join(w.dir, "leave.json"))
	n := 0
	for i := range p.Changes {
		if engine.Destructive(&p.Changes[i]) {
			n++
		}
	}
	if n < 10 {
		t.Fatalf("only %d disables planned", n)
	}
	before, _ := os.ReadFile(filepath.Join(w.dir, "audit.jsonl"))

	r = w.run(t, "apply", "leave.json")
	if r.code != exitRefused || !strings.Contains(r.stderr, "nothing was written") || !strings.Contains(r.stderr, fmt.Sprintf("--allow-deletes %d", n)) {
		t.Errorf("over the threshold: exit %d, stderr %q", r.code, r.stderr)
	}
	after, _ := os.ReadFile(filepath.Join(w.dir, "audit.jsonl"))
	if len(after) != len(before) {
		t.Error("a refused apply wrote to the audit log")
	}
	if r := w.run(t, "plan", "--json"); !slices.Equal(ids(p), ids(mustPlan(t, r.stdout))) {
		t.Error("a refused apply changed something")
	}
	if r := w.run(t, "apply", "leave.json", "--allow-deletes", fmt.Sprint(n+1)); r.code != exitRefused {
		t.Errorf("--allow-deletes with the wrong count: exit %d", r.code)
	}
	if r := w.run(t, "apply", "leave.json", "--readonly", "--allow-deletes", fmt.Sprint(n)); r.code != exitRefused || !strings.Contains(r.stderr, "read-only") {
		t.Errorf("--readonly: exit %d %q", r.code, r.stderr)
	}
	if r := w.run(t, "apply", "leave.json", "--allow-deletes", fmt.Sprint(n)); r.code != exitOK {
		t.Errorf("--allow-deletes %d: exit %d: %.2000s", n, r.code, r.stderr)
	}
	if r := w.run(t, "plan", "--detailed-exitcode"); r.code != exitOK {
		t.Errorf("plan after the disables: exit %d:\n%.2000s", r.code, r.stdout)
	}
}

func mustPlan(t *testing.T, s string) *engine.Plan {
	t.Helper()
	p, err := engine.UnmarshalPlan([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestApplyFlagsAndLimit(t *testing.T) {
	w := newCLIWorld(t)
	if r := w.run(t, "apply"); r.code != exitError || !strings.Contains(r.stderr, "--auto-approve") {
		t.Errorf("apply without FILE: exit %d %q", r.code, r.stderr)
	}
	if r := w.run(t, "plan", "--only", "ldap"); r.code != exitError {
		t.Errorf("plan --only ldap: exit %d", r.code)
	}
	if r := w.run(t, "apply", "missing.json"); r.code != exitError {
		t.Errorf("apply of a missing file: exit %d", r.code)
	}
	// Canary runs of 100 changes converge.
	for i := 0; ; i++ {
		r := w.run(t, "apply", "--auto-approve", "--limit", "100", "--json")
		if r.code != exitOK {
			t.Fatalf("run %d: exit %d: %.2000s", i, r.code, r.stderr)
		}
		var out struct {
			FormatVersion int             `json:"format_version"`
			Results       []engine.Result `json:"results"`
		}
		if err := json.Unmarshal([]byte(r.stdout), &out); err != nil || out.FormatVersion != engine.PlanFormatVersion {
			t.Fatalf("apply --json: %v %q", err, r.stdout)
		}
		if len(out.Results) > 100 {
			t.Fatalf("--limit 100 applied %d", len(out.Results))
		}
		if len(out.Results) == 0 {
			if i < 3 {
				t.Errorf("converged after %d runs", i)
			}
			break
		}
		if i > 20 {
			t.Fatal("no convergence")
		}
	}
}

func TestDemoHeadless(t *testing.T) {
	var out, errb strings.Builder
	a := &app{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: func(string) string { return "" }}
	code := run(context.Background(), []string{"demo", "--headless", "--seed", "5"}, a)
	if code != exitOK {
		t.Fatalf("demo: exit %d\n%.3000s\n%.3000s", code, out.String(), errb.String())
	}
	for _, want := range []string{"=== 1. plan ===", "=== 2. apply", "=== 3. plan again ===", "No changes. MO, AD and STS are in step."} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("demo output lacks %q", want)
		}
	}
	checkMasked(t, "demo output", out.String()+errb.String())
}

// TestDemoAgainstSamba runs plan → apply → plan with the real AD of
// .ci/ad-dc.sh (in an OU of its own) instead of adtest.
func TestDemoAgainstSamba(t *testing.T) {
	url := os.Getenv("AD_LDAP_URL")
	if url == "" {
		t.Skip("AD_LDAP_URL not set (run .ci/ad-dc.sh and source /tmp/ci-samba-ad/env)")
	}
	ctx := context.Background()
	env, err := demo.New(ctx, demo.Options{Seed: 9, ADURL: url, ADBind: os.Getenv("AD_BIND"), ADPassword: os.Getenv("AD_PASS"),
		ADBase: os.Getenv("AD_BASE_DN"), ADCAFile: os.Getenv("AD_CA_FILE")})
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := env.Close(); err != nil {
			t.Error(err)
		}
	}()
	var out, errb strings.Builder
	a := &app{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: func(string) string { return "" }}
	if code := runDemoHeadless(ctx, a, env); code != exitOK {
		t.Fatalf("exit %d\n%.3000s\n%.3000s", code, out.String(), errb.String())
	}
	checkMasked(t, "output", out.String()+errb.String())
}

func TestApplyExitCode(t *testing.T) {
	refused := engine.E(engine.KindRefused, "apply: safety", "", fmt.Errorf("over"))
	tests := []struct {
		name string
		sum  engine.Summary
		err  error
		want int
	}{
		{"all ok", engine.Summary{OK: 3}, nil, exitOK},
		{"nothing", engine.Summary{}, nil, exitOK},
		{"refused before any write", engine.Summary{Refused: 3}, refused, exitRefused},
		{"a stale change", engine.Summary{OK: 2, Stale: 1}, nil, exitRefused},
		{"a failed change", engine.Summary{OK: 2, Failed: 1, Stale: 1}, nil, exitPartial},
		{"skipped outside the run", engine.Summary{OK: 2, Skipped: 1}, nil, exitOK},
		{"audit log failed after writes", engine.Summary{OK: 1, Skipped: 5}, fmt.Errorf("audit"), exitPartial},
		{"malformed plan", engine.Summary{}, fmt.Errorf("bad"), exitError},
	}
	for _, tt := range tests {
		if got := applyExitCode(tt.sum, tt.err); got != tt.want {
			t.Errorf("%s: exit %d, want %d", tt.name, got, tt.want)
		}
	}
}

func TestPlanRefreshSTS(t *testing.T) {
	w := newCLIWorld(t)
	if r := w.run(t, "apply", "--auto-approve"); r.code != exitOK {
		t.Fatalf("apply: exit %d: %.2000s", r.code, r.stderr)
	}
	// The record is lost: the first plan without it rebuilds it from STS
	// itself, and does not tell to run with --refresh-sts.
	if err := os.Remove(filepath.Join(w.dir, "sts_state.json")); err != nil {
		t.Fatal(err)
	}
	r := w.run(t, "plan", "--only", "sts", "--detailed-exitcode")
	if r.code != exitOK || !strings.Contains(r.stderr, "STS record repaired") || strings.Contains(r.stdout, "--refresh-sts") {
		t.Errorf("plan without the record: exit %d\n%s\n%.2000s", r.code, r.stderr, r.stdout)
	}
	if _, err := os.Stat(filepath.Join(w.dir, "sts_state.json")); err != nil {
		t.Errorf("the rebuilt record was not saved: %v", err)
	}
	// Lost again, and rebuilt on request: the plan does not say that
	// there is no state file, the run that was just made.
	if err := os.Remove(filepath.Join(w.dir, "sts_state.json")); err != nil {
		t.Fatal(err)
	}
	r = w.run(t, "plan", "--only", "sts", "--detailed-exitcode", "--refresh-sts")
	if r.code != exitOK || !strings.Contains(r.stderr, "STS record repaired") || strings.Contains(r.stdout, "no STS state file") {
		t.Errorf("plan --refresh-sts: exit %d\n%s\n%.2000s", r.code, r.stderr, r.stdout)
	}
}
