package engine_test

import (
	"context"
	"encoding/json"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"moxsync/engine"
	"moxsync/engine/enginetest"
)

// destructiveCount is what --allow-deletes must name for p.
func destructiveCount(p *engine.Plan) int {
	n := 0
	for i := range p.Changes {
		if engine.Destructive(&p.Changes[i]) {
			n++
		}
	}
	return n
}

func resultsByID(s engine.Summary) map[string]engine.Result {
	m := map[string]engine.Result{}
	for _, r := range s.Results {
		m[r.ChangeID] = r
	}
	return m
}

func TestPlanApplyPlanIsEmpty(t *testing.T) {
	f := newFixture(t)
	p := f.plan(t, f.options())
	audit := &enginetest.Audit{}
	o := f.applyOptions(audit)
	o.AllowDeletes = destructiveCount(p) // 1 disable of 6 accounts is over 10 %
	var progress int
	o.Progress = func(engine.Result) { progress++ }
	sum, err := engine.Apply(context.Background(), p, o)
	if err != nil {
		t.Fatal(err)
	}
	if sum.OK != len(p.Changes) || len(sum.Results) != len(p.Changes) || progress != len(p.Changes) {
		for _, r := range sum.Results {
			if r.Status != engine.ResultOK {
				t.Logf("%s %s %s: %s %s", r.System, r.Op, r.Subject, r.Status, r.Error)
			}
		}
		t.Fatalf("ok %d of %d changes (%d results, %d progress calls)", sum.OK, len(p.Changes), len(sum.Results), progress)
	}
	if len(audit.Records()) != len(p.Changes) {
		t.Errorf("%d audit records for %d changes", len(audit.Records()), len(p.Changes))
	}
	// The write-back carries the GUID AD assigned.
	for _, c := range p.Changes {
		if c.System != engine.SystemAD || c.Op != engine.OpCreate {
			continue
		}
		guid := resultsByID(sum)[c.ID].NewKey
		snap, _ := f.mo.Snapshot(context.Background())
		found := false
		for _, person := range snap.People {
			for _, it := range person.ITUsers {
				if person.UUID == c.MOUUID && it.ExternalID == guid && it.ITSystemUUID == adSys {
					found = true
				}
			}
		}
		if !found {
			t.Errorf("no MO IT user with the new GUID %s of %s", guid, c.Subject)
		}
	}

	again := f.plan(t, f.options())
	if len(again.Changes) != 0 {
		for _, c := range again.Changes {
			t.Errorf("left after apply: %s %s %s %+v", c.System, c.Op, c.Subject, c.Fields)
		}
	}
}

func TestApplyFailureIsolatedAndDependentsSkipped(t *testing.T) {
	f := newFixture(t)
	p := f.plan(t, f.options())
	f.dir.FailWrite = func(op, dn string) error {
		if op == "create" && strings.Contains(dn, "CN=Jens Hansen,") {
			return engine.E(engine.KindUnavailable, "ad: create", dn, errors.New("connection reset"))
		}
		return nil
	}
	audit := &enginetest.Audit{}
	o := f.applyOptions(audit)
	o.AllowDeletes = destructiveCount(p)
	sum, err := engine.Apply(context.Background(), p, o)
	if err != nil {
		t.Fatal(err)
	}
	res := resultsByID(sum)
	cs := bySubjectOp(p)
	if r := res[cs["ad create p1"].ID]; r.Status != engine.ResultFailed || !strings.Contains(r.Error, "connection reset") || r.Kind != engine.KindUnavailable {
		t.Errorf("failed create: %+v", r)
	}
	if r := res[cs["mo create p1"].ID]; r.Status != engine.ResultSkipped || !strings.Contains(r.Error, cs["ad create p1"].ID) {
		t.Errorf("dependent write-back: %+v", r)
	}
	// Skipped too: the STS user whose UserId is the username of the account.
	if sum.Failed != 1 || sum.Skipped != 2 || sum.OK != len(p.Changes)-3 {
		t.Errorf("summary ok %d failed %d skipped %d of %d", sum.OK, sum.Failed, sum.Skipped, len(p.Changes))
	}
	// The re-run converges: only Jens Hansen's create, write-back and STS
	// user remain.
	f.dir.FailWrite = nil
	again := f.plan(t, f.options())
	if len(again.Changes) != 3 {
		t.Fatalf("after a partial apply %d changes remain, want 3", len(again.Changes))
	}
	if _, err := engine.Apply(context.Background(), again, f.applyOptions(audit)); err != nil {
		t.Fatal(err)
	}
	if n := len(f.plan(t, f.options()).Changes); n != 0 {
		t.Errorf("%d changes after the re-run", n)
	}
}

func TestApplyStaleChangeIsRefused(t *testing.T) {
	f := newFixture(t)
	p := f.plan(t, f.options())
	// Someone edits Anne's title and enables Ole between plan and apply.
	f.dir.Set(f.guid["anne"], "title", "Direktør")
	f.dir.SetUAC(f.guid["ole"], 66048)
	writes := f.dir.Writes()
	o := f.applyOptions(&enginetest.Audit{})
	o.Only = []string{bySubjectOp(p)["ad update p2"].ID, bySubjectOp(p)["ad disable p3"].ID}
	o.AllowDeletes = 1
	sum, err := engine.Apply(context.Background(), p, o)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Stale != 2 || len(sum.Results) != 2 {
		t.Fatalf("results: %+v", sum.Results)
	}
	for _, r := range sum.Results {
		if r.Kind != engine.KindStale || !strings.Contains(r.Error, "plan expected") {
			t.Errorf("stale result: %+v", r)
		}
	}
	if f.dir.Writes() != writes {
		t.Error("a stale change wrote")
	}
	if a, _ := f.dir.AccountByGUID(context.Background(), f.guid["anne"], []string{"title"}); a.Attr("title") != "Direktør" {
		t.Errorf("title overwritten: %q", a.Attr("title"))
	}
}

func TestApplySafetyRules(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name   string
		mutate func(p *engine.Plan, o *engine.ApplyOptions)
		want   string // "" = allowed
	}{
		{"percent threshold", func(p *engine.Plan, o *engine.ApplyOptions) {}, "over the maximum of 10 %"},
		{"exact allow-deletes passes", func(p *engine.Plan, o *engine.ApplyOptions) { o.AllowDeletes = 1 }, ""},
		{"wrong allow-deletes", func(p *engine.Plan, o *engine.ApplyOptions) { o.AllowDeletes = 2 }, "does not match the 1"},
		{"count threshold", func(p *engine.Plan, o *engine.ApplyOptions) {
			p.Inventory.ADAccounts = 1000
			o.Thresholds = engine.Thresholds{MaxDeletes: 0, MaxPercent: 50}
			for i := 0; i < 50; i++ {
				p.Changes = append(p.Changes, engine.Change{ID: "x" + string(rune('a'+i%26)) + string(rune('a'+i/26)), System: engine.SystemAD, Op: engine.OpDisable,
					Target: engine.Target{GUID: "nope"}, Subject: "extra"})
			}
		}, "51 deletes/disables exceed the maximum of 50"},
		{"read-only", func(p *engine.Plan, o *engine.ApplyOptions) { o.ReadOnly = true; o.AllowDeletes = 1 }, "read-only"},
		{"zero MO people", func(p *engine.Plan, o *engine.ApplyOptions) { p.Inventory.MOPeople = 0; o.AllowDeletes = 1 }, "zero-MO guard"},
		{"zero MO units", func(p *engine.Plan, o *engine.ApplyOptions) { p.Inventory.MOUnits = 0; o.AllowDeletes = 1 }, "zero-MO guard"},
		{"top unit", func(p *engine.Plan, o *engine.ApplyOptions) {
			p.Changes = append(p.Changes, engine.Change{ID: "deltop", System: engine.SystemSTS, Op: engine.OpDelete,
				Target: engine.Target{UUID: topUnit}, STSUnit: &engine.STSUnit{UUID: topUnit}})
			p.Inventory.STSUnits = 1000
			o.AllowDeletes = 2
		}, "never deleted"},
		{"allow-deletes without deletes", func(p *engine.Plan, o *engine.ApplyOptions) { o.Only = []string{"mo"}; o.AllowDeletes = 3 }, "no deletes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			p := f.plan(t, f.options())
			audit := &enginetest.Audit{}
			o := f.applyOptions(audit)
			tt.mutate(p, &o)
			sum, err := engine.Apply(ctx, p, o)
			if tt.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || engine.KindOf(err) != engine.KindRefused || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want KindRefused containing %q", err, tt.want)
			}
			if f.dir.Writes() != 0 || f.mo.Writes() != 0 || f.sts.Requests() != 0 || len(audit.Records()) != 0 {
				t.Errorf("a refused apply wrote: AD %d, MO %d, STS %d, audit %d", f.dir.Writes(), f.mo.Writes(), f.sts.Requests(), len(audit.Records()))
			}
			if sum.Refused != len(sum.Results) || sum.Refused == 0 {
				t.Errorf("summary: %d refused of %d results", sum.Refused, len(sum.Results))
			}
		})
	}
}

func TestApplyLimitConverges(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	audit := &enginetest.Audit{}
	for run := 0; run < 20; run++ {
		p := f.plan(t, f.options())
		if len(p.Changes) == 0 {
			if run < 3 {
				t.Errorf("converged after only %d runs of 5 changes", run)
			}
			return
		}
		o := f.applyOptions(audit)
		o.Limit = 5
		o.Concurrency = map[engine.System]int{engine.SystemAD: 2, engine.SystemSTS: 2, engine.SystemMO: 2}
		var sel int
		for i := range p.Changes {
			if engine.Destructive(&p.Changes[i]) {
				sel++
			}
		}
		o.AllowDeletes = sel
		sum, err := engine.Apply(ctx, p, o)
		if err != nil && engine.KindOf(err) == engine.KindRefused {
			// The disable was not among the first 5: --allow-deletes does
			// not match; apply without it.
			o.AllowDeletes = 0
			sum, err = engine.Apply(ctx, p, o)
		}
		if err != nil {
			t.Fatal(err)
		}
		if len(sum.Results) > 5 {
			t.Fatalf("limit 5 applied %d", len(sum.Results))
		}
		if f.dir.MaxInFlight() > 2 {
			t.Fatalf("AD concurrency %d over the bound 2", f.dir.MaxInFlight())
		}
	}
	t.Fatal("did not converge in 20 runs")
}

var rawCPR = regexp.MustCompile(`\b\d{6}-?\d{4}\b`)

func TestAuditRecordsCompleteAndMasked(t *testing.T) {
	f := newFixture(t)
	p := f.plan(t, f.options())
	audit := &enginetest.Audit{}
	o := f.applyOptions(audit)
	o.AllowDeletes = destructiveCount(p)
	if _, err := engine.Apply(context.Background(), p, o); err != nil {
		t.Fatal(err)
	}
	recs := audit.Records()
	if len(recs) != len(p.Changes) {
		t.Fatalf("%d records for %d changes", len(recs), len(p.Changes))
	}
	for _, r := range recs {
		if r.Time.IsZero() || r.OSUser != "tester" || r.Host != "host1" || r.PlanID != p.ID || r.ChangeID == "" ||
			r.System == "" || r.Op == "" || r.Key == "" || r.Result == "" || r.Before == nil || r.After == nil {
			t.Errorf("incomplete audit record: %+v", r)
		}
		b, _ := json.Marshal(r)
		for _, m := range rawCPR.FindAllString(string(b), -1) {
			if !strings.HasSuffix(m, "xxxx") {
				t.Errorf("CPR-like %q unmasked in audit: %s", m, b)
			}
		}
	}
	var sawCPR bool
	for _, r := range recs {
		for k, v := range r.After {
			if v == engine.KnownAfterApply {
				t.Errorf("audit of %s %s: %s = %q, not the value written", r.System, r.Op, k, v)
			}
		}
		if v, ok := r.After["employeeID"]; ok {
			sawCPR = true
			if !strings.HasSuffix(v, "-xxxx") {
				t.Errorf("employeeID in audit = %q", v)
			}
		}
	}
	if !sawCPR {
		t.Error("no employeeID field was audited")
	}
}

func TestApplyAuditFailureStopsWrites(t *testing.T) {
	f := newFixture(t)
	p := f.plan(t, f.options())
	o := f.applyOptions(&enginetest.Audit{Fail: errors.New("disk full")})
	o.AllowDeletes = destructiveCount(p)
	o.Concurrency = map[engine.System]int{engine.SystemAD: 1, engine.SystemSTS: 1, engine.SystemMO: 1}
	sum, err := engine.Apply(context.Background(), p, o)
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("err = %v", err)
	}
	if sum.Skipped == 0 || sum.OK > 2 {
		t.Errorf("after the audit log failed: ok %d, skipped %d", sum.OK, sum.Skipped)
	}
}

func TestApplySavedPlanTwiceIsStale(t *testing.T) {
	f := newFixture(t)
	p := f.plan(t, f.options())
	b, _ := engine.MarshalPlan(p)
	o := f.applyOptions(&enginetest.Audit{})
	o.AllowDeletes = destructiveCount(p)
	if _, err := engine.Apply(context.Background(), p, o); err != nil {
		t.Fatal(err)
	}
	saved, err := engine.UnmarshalPlan(b)
	if err != nil {
		t.Fatal(err)
	}
	writes := f.dir.Writes() + f.mo.Writes()
	sum, err := engine.Apply(context.Background(), saved, o)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range sum.Results {
		if r.Status != engine.ResultStale && r.Status != engine.ResultSkipped {
			t.Errorf("re-applied %s %s %s: %s %s", r.System, r.Op, r.Subject, r.Status, r.Error)
		}
	}
	if f.dir.Writes()+f.mo.Writes() != writes {
		t.Error("re-applying a used plan wrote to AD or MO")
	}
	if sum.OK != 0 {
		t.Errorf("re-applying a used plan: %d changes ok", sum.OK)
	}
}

func TestApplyOnlyUnknownID(t *testing.T) {
	f := newFixture(t)
	p := f.plan(t, f.options())
	o := f.applyOptions(nil)
	o.Only = []string{"deadbeef"}
	if _, err := engine.Apply(context.Background(), p, o); err == nil || engine.KindOf(err) != engine.KindInvalid {
		t.Errorf("err = %v", err)
	}
}

func TestApplySTSParentFirstAndDependentsSkipped(t *testing.T) {
	f := newFixture(t)
	p := f.plan(t, f.options())
	o := f.applyOptions(&enginetest.Audit{})
	o.Only = []string{"sts"}
	var order []string
	o.Progress = func(r engine.Result) { order = append(order, r.Subject) }
	f.sts.FailWrite = func(op, uuid string) error {
		if op == "upsert_unit" && uuid == topUnit {
			return engine.E(engine.KindInvalid, "sts: upsert orgunit", uuid, errors.New("400 Bad Request"))
		}
		return nil
	}
	sum, err := engine.Apply(context.Background(), p, o)
	if err != nil {
		t.Fatal(err)
	}
	if len(order) == 0 || order[0] != "Kommune" {
		t.Errorf("STS order %v: the top unit must go first", order)
	}
	for _, r := range sum.Results {
		switch {
		case r.Subject == "Kommune":
			if r.Status != engine.ResultFailed {
				t.Errorf("top unit: %+v", r)
			}
		case r.Status != engine.ResultSkipped || !strings.Contains(r.Error, "depends on change"):
			t.Errorf("%s after its unit failed: %s %s", r.Subject, r.Status, r.Error)
		}
	}
	f.sts.FailWrite = nil
	sum, err = engine.Apply(context.Background(), f.plan(t, f.options()), o)
	// The users of new accounts wait for their AD create, not in this run.
	if err != nil || sum.Failed != 0 || sum.OK == 0 || sum.Skipped != 2 {
		t.Fatalf("second run: %+v, %v", sum, err)
	}
	o.Only = nil
	o.AllowDeletes = 1
	if _, err := engine.Apply(context.Background(), f.plan(t, f.options()), o); err != nil {
		t.Fatal(err)
	}
	for _, c := range f.plan(t, f.options()).Changes {
		t.Errorf("change left: %s %s %s", c.System, c.Op, c.Subject)
	}
}

func TestApplyKilledMidwayConverges(t *testing.T) {
	f := newFixture(t)
	p := f.plan(t, f.options())
	ctx, cancel := context.WithCancel(context.Background())
	o := f.applyOptions(&enginetest.Audit{})
	o.AllowDeletes = destructiveCount(p)
	o.Concurrency = map[engine.System]int{engine.SystemAD: 1, engine.SystemSTS: 1, engine.SystemMO: 1}
	done := 0
	o.Progress = func(engine.Result) {
		if done++; done == 3 {
			cancel() // the operator pressed ^C
		}
	}
	sum, err := engine.Apply(ctx, p, o)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Skipped == 0 || sum.OK == len(p.Changes) {
		t.Fatalf("cancelled run: ok %d, skipped %d of %d", sum.OK, sum.Skipped, len(p.Changes))
	}
	o.Progress = nil
	again := f.plan(t, f.options())
	o.AllowDeletes = destructiveCount(again)
	if _, err := engine.Apply(context.Background(), again, o); err != nil {
		t.Fatal(err)
	}
	if left := f.plan(t, f.options()).Changes; len(left) != 0 {
		t.Errorf("%d changes left after the re-run", len(left))
	}
}

func TestApplyDependencyOnALaterChangeIsSkippedNotDeadlocked(t *testing.T) {
	f := newFixture(t)
	p := f.plan(t, f.options())
	cs := bySubjectOp(p)
	// A hand-edited plan: the write-back of Anne waits for her AD update,
	// which runs after the MO phase, and her update waits for an STS change.
	cs["mo create p2"].DependsOn = cs["ad update p2"].ID
	var stsID string
	for _, c := range p.Changes {
		if c.System == engine.SystemSTS {
			stsID = c.ID
			break
		}
	}
	cs["ad update p2"].DependsOn = stsID
	o := f.applyOptions(&enginetest.Audit{})
	o.AllowDeletes = destructiveCount(p)
	done := make(chan engine.Summary)
	go func() {
		sum, _ := engine.Apply(context.Background(), p, o)
		done <- sum
	}()
	select {
	case sum := <-done:
		res := resultsByID(sum)
		for _, id := range []string{cs["mo create p2"].ID, cs["ad update p2"].ID} {
			if r := res[id]; r.Status != engine.ResultSkipped || !strings.Contains(r.Error, "applied after it") {
				t.Errorf("%s: %+v", id, r)
			}
		}
	case <-time.After(10 * time.Second):
		t.Fatal("apply deadlocked")
	}
}
