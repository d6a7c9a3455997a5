package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"moxsync/demo"
	"moxsync/engine"
	"moxsync/wiring"
)

// applyKillDirEnv makes TestApplyKillChild run `moxsync apply` in the
// directory it names, as the child process TestApplyKilledMidway kills.
const applyKillDirEnv = "MOXSYNC_APPLY_KILL_DIR"

// TestApplyKillChild is the child process of TestApplyKilledMidway: it
// applies plan.json in $MOXSYNC_APPLY_KILL_DIR with that directory's
// settings.ini, through Main as the binary does, and exits with its code.
// Without the variable it does nothing.
func TestApplyKillChild(t *testing.T) {
	dir := os.Getenv(applyKillDirEnv)
	if dir == "" {
		t.Skip("the child process of TestApplyKilledMidway")
	}
	args := []string{"moxsync", "apply", filepath.Join(dir, "plan.json"), "--config", filepath.Join(dir, "settings.ini")}
	if n := os.Getenv("MOXSYNC_APPLY_KILL_ALLOW"); n != "" && n != "0" {
		args = append(args, "--allow-deletes", n)
	}
	os.Exit(Main(args, strings.NewReader(""), os.Stdout, os.Stderr, func(string) string { return "" }))
}

// TestApplyKilledMidway kills a real `moxsync apply` process with SIGKILL
// at several points (after k of its changes have reported a result) and
// checks the write-ahead audit log: every change that is visible in AD,
// MO or STS afterwards has an intent line; `check` lists the intents left
// without a result, and the next apply reports each as written or not
// written — as the targets show — records them, and converges.
func TestApplyKilledMidway(t *testing.T) {
	if testing.Short() {
		t.Skip("starts child processes")
	}
	if os.Getenv(applyKillDirEnv) != "" {
		t.Skip("in the child")
	}
	for _, frac := range []float64{0, 0.1, 0.35, 0.6, 0.85} {
		t.Run(fmt.Sprintf("after %.0f%% of results", 100*frac), func(t *testing.T) {
			killMidApply(t, frac)
		})
	}
}

func killMidApply(t *testing.T, frac float64) {
	w := newCLIWorld(t)
	if r := w.run(t, "plan", "--out", "plan.json"); r.code != exitOK {
		t.Fatalf("plan: exit %d\n%s", r.code, r.stderr)
	}
	p := readPlanFile(t, filepath.Join(w.dir, "plan.json"))
	k := 1 + int(frac*float64(len(p.Changes)))
	obs := newObserver(t, w, p)
	before := obs.observe(t)

	// The child applies; it is killed once k result lines have shown.
	cmd := exec.Command(os.Args[0], "-test.run=^TestApplyKillChild$")
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"), "TMPDIR=" + os.TempDir(),
		applyKillDirEnv + "=" + w.dir, "MOXSYNC_APPLY_KILL_ALLOW=" + strconv.Itoa(destructive(p))}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	idOf := map[string]bool{}
	for _, c := range p.Changes {
		idOf[c.ID] = true
	}
	seen, killed := 0, false
	sc := bufio.NewScanner(stderr)
	for sc.Scan() {
		line := sc.Text()
		if i, j := strings.LastIndex(line, "["), strings.LastIndex(line, "]"); i >= 0 && j > i && idOf[line[i+1:j]] {
			seen++
		}
		if seen >= k && !killed {
			killed = cmd.Process.Signal(syscall.SIGKILL) == nil
		}
	}
	werr := cmd.Wait()
	var exit *exec.ExitError
	if !errors.As(werr, &exit) || !exit.Sys().(syscall.WaitStatus).Signaled() {
		t.Fatalf("the child was not killed mid-apply (%d of %d results shown): %v", seen, len(p.Changes), werr)
	}
	time.Sleep(200 * time.Millisecond) // requests the child sent before it died are served

	after := obs.observe(t)
	intents, results := auditPhases(t, filepath.Join(w.dir, "audit.jsonl"), p.ID)
	visible, lost := 0, 0
	isVisible := map[string]bool{}
	for i := range p.Changes {
		c := &p.Changes[i]
		if !obs.touched(before, after, c) {
			continue
		}
		visible++
		isVisible[c.ID] = true
		if !intents[c.ID] {
			t.Errorf("%s %s %s [%s] is visible in %s but has no intent line", c.System, c.Op, c.Subject, c.ID, c.System)
		}
		if !results[c.ID] {
			lost++ // what the audit log lost before it was write-ahead
		}
	}
	if visible == 0 || len(results) >= len(p.Changes) || len(results) < k {
		t.Fatalf("killed after %d results shown: %d of %d changes visible, %d result lines", seen, visible, len(p.Changes), len(results))
	}
	open, err := wiring.UnfinishedIntents(filepath.Join(w.dir, "audit.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("killed after %d of %d results shown: %d result lines, %d changes visible, %d of them without a result line; %d intents open",
		seen, len(p.Changes), len(results), visible, lost, len(open))
	if len(open) == 0 {
		t.Fatal("no intent left open by the kill")
	}

	// check lists them (and records nothing).
	r := w.run(t, "check", "--quick")
	header := fmt.Sprintf("%d %s by an apply that did not finish (plan %s,", len(open),
		pluralS(len(open), "change may have been written", "changes may have been written"), p.ID)
	if r.code != exitOK || !strings.Contains(r.stdout, header) {
		t.Errorf("check: exit %d, want %q in:\n%s", r.code, header, r.stdout)
	}
	if again, _ := wiring.UnfinishedIntents(filepath.Join(w.dir, "audit.jsonl")); len(again) != len(open) {
		t.Errorf("check recorded: %d intents open after it, %d before", len(again), len(open))
	}

	// The next apply reports each as the targets show it, records it, and
	// the world converges.
	r = w.run(t, "plan", "--out", "plan2.json")
	if r.code != exitOK {
		t.Fatalf("plan after the kill: exit %d\n%s", r.code, r.stderr)
	}
	if hint := fmt.Sprintf("by an apply that did not finish (plan %s); the next apply checks", p.ID); !strings.Contains(r.stderr, hint) {
		t.Errorf("plan after the kill does not say %q:\n%.2000s", hint, r.stderr)
	}
	p2 := readPlanFile(t, filepath.Join(w.dir, "plan2.json"))
	args := []string{"apply", "plan2.json"}
	if n := destructive(p2); n > 0 {
		args = append(args, "--allow-deletes", strconv.Itoa(n))
	}
	r = w.run(t, args...)
	if r.code != exitOK || !strings.Contains(r.stderr, header) {
		t.Fatalf("apply after the kill: exit %d, want %q in stderr:\n%.4000s", r.code, header, r.stderr)
	}
	for _, in := range open {
		want := "not written"
		if isVisible[in.ChangeID] {
			want = "written"
		}
		got, line := "", ""
		for _, l := range strings.Split(r.stderr, "\n") {
			for _, state := range []string{"written", "not written", "unknown"} {
				if strings.HasPrefix(l, "  "+state+" ") && strings.Contains(l, "["+in.ChangeID+"]") {
					got, line = state, l
				}
			}
		}
		if got != want {
			t.Errorf("reported %q, want %q (%s %s %s)", line, want, in.System, in.Op, in.Subject)
		}
	}
	if left, _ := wiring.UnfinishedIntents(filepath.Join(w.dir, "audit.jsonl")); len(left) != 0 {
		t.Errorf("%d intents still open after the next apply", len(left))
	}
	if r := w.run(t, "plan", "--detailed-exitcode"); r.code != exitOK || !strings.Contains(r.stdout, "No changes.") {
		t.Errorf("plan after the recovery: exit %d\n%.3000s", r.code, r.stdout)
	}
	if r := w.run(t, "apply", "--auto-approve"); strings.Contains(r.stderr, "did not finish") {
		t.Errorf("the unfinished intents were reported again:\n%.2000s", r.stderr)
	}
}

func destructive(p *engine.Plan) int {
	n := 0
	for i := range p.Changes {
		if engine.Destructive(&p.Changes[i]) {
			n++
		}
	}
	return n
}

// auditPhases reads the audit log: the change ids of plan with an intent
// line, and with a result line.
func auditPhases(t *testing.T, path, plan string) (intents, results map[string]bool) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	intents, results = map[string]bool{}, map[string]bool{}
	for _, l := range bytes.Split(bytes.TrimSpace(b), []byte("\n")) {
		var rec engine.AuditRecord
		if err := json.Unmarshal(l, &rec); err != nil {
			t.Fatalf("audit line %q: %v", l, err)
		}
		if rec.PlanID != plan {
			continue
		}
		if rec.Phase == engine.AuditIntent {
			intents[rec.ChangeID] = true
		} else {
			results[rec.ChangeID] = true
		}
	}
	return intents, results
}

// observer reads what AD, MO and STS hold, through the adapters (AD, MO)
// and the fake (STS), independently of moxsync's audit log and checks.
type observer struct {
	w     *cliWorld
	env   *wiring.Env
	attrs []string
	sts   [][2]string // kind, uuid of the plan's STS changes
}

// world is one observation.
type world struct {
	byGUID, byDN, bySAM map[string]engine.Account
	itUsers             map[string][]engine.ITUser // by person
	sts                 map[string]string          // uuid → JSON as stored ("" = inactive)
}

func newObserver(t *testing.T, w *cliWorld, p *engine.Plan) *observer {
	ep := w.srv.Endpoints()
	ep.Dir = t.TempDir() // its own STS record and audit log
	ep.Log = slog.New(slog.DiscardHandler)
	env, err := demo.Connect(context.Background(), ep)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { env.Close() })
	seen := map[string]bool{}
	var attrs []string
	var sts [][2]string
	for i := range p.Changes {
		c := &p.Changes[i]
		if c.System == engine.SystemSTS {
			sts = append(sts, [2]string{engine.STSObjectKind(c), c.Target.UUID})
		}
		for _, f := range c.Fields {
			if a := strings.ToLower(f.Attr); c.System == engine.SystemAD && !seen[a] {
				seen[a] = true
				attrs = append(attrs, a)
			}
		}
	}
	return &observer{w: w, env: env, attrs: attrs, sts: sts}
}

func (o *observer) observe(t *testing.T) world {
	t.Helper()
	ctx := context.Background()
	accts, err := o.env.Dir.Accounts(ctx, o.attrs)
	if err != nil {
		t.Fatal(err)
	}
	wd := world{byGUID: map[string]engine.Account{}, byDN: map[string]engine.Account{}, bySAM: map[string]engine.Account{},
		itUsers: map[string][]engine.ITUser{}, sts: map[string]string{}}
	for _, a := range accts {
		wd.byGUID[strings.ToLower(a.GUID)] = a
		wd.byDN[strings.ToLower(a.DN)] = a
		wd.bySAM[strings.ToLower(a.SAMAccountName)] = a
	}
	snap, err := o.env.MO.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, pp := range snap.People {
		wd.itUsers[pp.UUID] = pp.ITUsers
	}
	for _, ku := range o.sts {
		wd.sts[ku[0]+ku[1]] = o.stsObject(ku[0], ku[1])
	}
	return wd
}

// stsObject is what the fake STS holds for uuid ("" = none or inactive).
func (o *observer) stsObject(kind, uuid string) string {
	get := o.w.srv.STS().Unit
	if kind == "user" {
		get = o.w.srv.STS().User
	}
	if obj, ok := get(uuid); ok && obj.Active {
		return string(obj.JSON)
	}
	return ""
}

// touched reports whether c's target differs between before and after in
// what c writes: a new account at its DN or with its username, a changed
// attribute, enabled state or cn, a new or changed IT user, an STS object
// stored or changed.
func (o *observer) touched(before, after world, c *engine.Change) bool {
	field := func(attr string) string {
		for _, f := range c.Fields {
			if strings.EqualFold(f.Attr, attr) {
				return f.After
			}
		}
		return ""
	}
	switch c.System {
	case engine.SystemAD:
		if c.Op == engine.OpCreate {
			dn, sam := strings.ToLower(c.Target.DN), strings.ToLower(field("sAMAccountName"))
			_, hadDN := before.byDN[dn]
			_, hadSAM := before.bySAM[sam]
			_, hasDN := after.byDN[dn]
			_, hasSAM := after.bySAM[sam]
			return (hasDN && !hadDN) || (hasSAM && !hadSAM)
		}
		b, a := before.byGUID[strings.ToLower(c.Target.GUID)], after.byGUID[strings.ToLower(c.Target.GUID)]
		switch c.Op {
		case engine.OpEnable, engine.OpDisable:
			return a.Disabled() != b.Disabled()
		case engine.OpRename:
			return a.CN != b.CN
		}
		for _, f := range c.Fields {
			if attr := strings.ToLower(f.Attr); !engine.SameValues(attr, adVals(a, attr), adVals(b, attr)) {
				return true
			}
		}
		return false
	case engine.SystemMO:
		if c.ITUser == nil {
			return false
		}
		key := func(it engine.ITUser) string {
			return it.UUID + "\x00" + it.UserKey + "\x00" + strings.ToLower(it.ExternalID)
		}
		had := map[string]bool{}
		for _, it := range before.itUsers[c.ITUser.PersonUUID] {
			had[key(it)] = true
		}
		for _, it := range after.itUsers[c.ITUser.PersonUUID] {
			if it.ITSystemUUID == c.ITUser.ITSystemUUID && !had[key(it)] {
				return true
			}
		}
		return false
	case engine.SystemSTS:
		k := engine.STSObjectKind(c) + c.Target.UUID
		return after.sts[k] != before.sts[k]
	}
	return false
}

// adVals are a's values of attr (lower case), identity attributes included.
func adVals(a engine.Account, attr string) []string {
	one := func(v string) []string {
		if v == "" {
			return nil
		}
		return []string{v}
	}
	switch attr {
	case "samaccountname":
		return one(a.SAMAccountName)
	case "userprincipalname":
		return one(a.UPN)
	case "cn":
		return one(a.CN)
	}
	return a.Attrs[attr]
}
