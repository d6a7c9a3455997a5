package engine_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"moxsync/engine"
	"moxsync/engine/enginetest"
)

// appliedIntents applies f's plan one change at a time (so the new
// accounts' GUIDs come out the same in every fresh fixture) to the
// systems in only (all when empty) and returns the intents recorded and
// the ids of the changes written.
func appliedIntents(t *testing.T, f *fixture, p *engine.Plan, only ...string) ([]engine.AuditRecord, map[string]bool) {
	t.Helper()
	audit := &enginetest.Audit{}
	o := f.applyOptions(audit)
	o.Concurrency = map[engine.System]int{engine.SystemAD: 1, engine.SystemSTS: 1, engine.SystemMO: 1}
	o.Only = only
	for i := range p.Changes {
		if c := &p.Changes[i]; engine.Destructive(c) && (len(only) == 0 || strings.Contains(strings.Join(only, ","), string(c.System))) {
			o.AllowDeletes++
		}
	}
	if _, err := engine.Apply(context.Background(), p, o); err != nil {
		t.Fatal(err)
	}
	ok := map[string]bool{}
	for _, r := range audit.Records() {
		if r.Result == string(engine.ResultOK) {
			ok[r.ChangeID] = true
		}
	}
	return audit.Intents(), ok
}

// TestCheckIntents: the intents of a full apply are checked against a
// fresh copy of the world to which only some systems were applied: a
// change is "written" exactly when that apply wrote it; an unconfigured port
// is a final unknown, a failed read one to retry.
func TestCheckIntents(t *testing.T) {
	ref := newFixture(t)
	p := ref.plan(t, ref.options())
	intents, _ := appliedIntents(t, ref, p)
	ops := map[engine.System]map[engine.Op]bool{}
	for _, in := range intents {
		if ops[in.System] == nil {
			ops[in.System] = map[engine.Op]bool{}
		}
		ops[in.System][in.Op] = true
	}
	if !ops[engine.SystemAD][engine.OpCreate] || !ops[engine.SystemAD][engine.OpUpdate] || !ops[engine.SystemAD][engine.OpDisable] ||
		!ops[engine.SystemMO][engine.OpCreate] || !ops[engine.SystemSTS][engine.OpCreate] {
		t.Fatalf("the fixture's intents cover only %v", ops)
	}
	for _, tc := range []struct {
		name    string
		applied []string // systems applied to the world checked; nil = none
	}{
		{"nothing written", nil},
		{"AD written", []string{"ad"}},
		{"AD and MO written", []string{"ad", "mo"}},
		{"STS written", []string{"sts"}},
		{"everything written", []string{"ad", "mo", "sts"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			written := map[string]bool{}
			if tc.applied != nil {
				_, written = appliedIntents(t, f, p, tc.applied...)
			}
			checks := engine.CheckIntents(context.Background(), intents, f.applyOptions(nil))
			if len(checks) != len(intents) {
				t.Fatalf("%d checks of %d intents", len(checks), len(intents))
			}
			got := map[engine.System]int{}
			for _, chk := range checks {
				if chk.State == engine.IntentWritten {
					got[chk.Intent.System]++
				}
			}
			for _, sys := range tc.applied {
				if got[engine.System(sys)] == 0 {
					t.Errorf("no %s change checked as written after %s was applied", sys, sys)
				}
			}
			for _, chk := range checks {
				want := engine.IntentNotWritten
				if written[chk.Intent.ChangeID] {
					want = engine.IntentWritten
				}
				if chk.State != want || chk.Err != nil {
					t.Errorf("%s %s %s: %s (%s, %v), want %s", chk.Intent.System, chk.Intent.Op, chk.Intent.Subject,
						chk.State, chk.Detail, chk.Err, want)
				}
				if chk.State == engine.IntentNotWritten && chk.Detail == "" {
					t.Errorf("%s %s %s: not written, without saying what the target holds", chk.Intent.System, chk.Intent.Op, chk.Intent.Subject)
				}
			}
		})
	}

	t.Run("unreadable", func(t *testing.T) {
		f := newFixture(t)
		o := f.applyOptions(nil)
		o.STS = nil
		ctx, cancel := context.WithCancel(context.Background())
		cancel() // the fakes' AD and MO reads fail as unavailable
		for _, chk := range engine.CheckIntents(ctx, intents, o) {
			retry := chk.Intent.System != engine.SystemSTS
			if chk.State != engine.IntentUnknown || chk.Err == nil || chk.Retry != retry {
				t.Errorf("%s %s: %s, err %v, retry %v; want unknown, retry %v", chk.Intent.System, chk.Intent.Op, chk.State, chk.Err, chk.Retry, retry)
			}
		}
	})
}

// TestRecordIntentChecks: the result lines a later run records answer the
// intents they checked, except those to retry, which stay open; a written
// change is recorded ok, one not written failed, both marked recovered.
func TestRecordIntentChecks(t *testing.T) {
	ref := newFixture(t)
	p := ref.plan(t, ref.options())
	intents, _ := appliedIntents(t, ref, p)
	f := newFixture(t)
	appliedIntents(t, f, p, "ad")
	o := f.applyOptions(nil)
	o.MO = nil // a final unknown
	checks := engine.CheckIntents(context.Background(), intents, o)
	checks[len(checks)-1].Retry = true // as if its system had not answered

	var log bytes.Buffer
	w := engine.NewAuditWriter(&log)
	for _, in := range intents {
		if err := w.Record(context.Background(), in); err != nil {
			t.Fatal(err)
		}
	}
	before := log.Len()
	if err := engine.RecordIntentChecks(context.Background(), w, checks, testNow, "tester", "host2"); err != nil {
		t.Fatal(err)
	}
	open, err := engine.UnfinishedIntents(bytes.NewReader(log.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if len(open) != 1 || open[0].ChangeID != checks[len(checks)-1].Intent.ChangeID {
		t.Errorf("open after recording: %d intents, want only the one to retry", len(open))
	}
	want := map[engine.IntentState]string{engine.IntentWritten: "ok", engine.IntentNotWritten: "failed", engine.IntentUnknown: "unknown"}
	seen := map[engine.IntentState]bool{}
	for _, chk := range checks[:len(checks)-1] {
		r := engine.IntentResult(chk, testNow, "tester", "host2")
		seen[chk.State] = true
		if r.Phase != engine.AuditResult || r.Result != want[chk.State] || r.Recovered != chk.State || r.Target != nil ||
			r.PlanID != p.ID || r.Host != "host2" || !strings.Contains(r.Note, "did not finish") {
			t.Errorf("result of %s %s (%s): %+v", chk.Intent.System, chk.Intent.Op, chk.State, r)
		}
	}
	if len(seen) != 3 {
		t.Errorf("states seen %v: the test should cover written, not written and unknown", seen)
	}
	if !strings.Contains(log.String()[before:], `"recovered":"written"`) {
		t.Errorf("recorded lines: %s", log.String()[before:])
	}
}
