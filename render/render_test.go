package render_test

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"moxsync/engine"
	"moxsync/render"
)

func samplePlan() *engine.Plan {
	at := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	p := &engine.Plan{
		FormatVersion: engine.PlanFormatVersion, ToolVersion: "test", ID: "3452da3e210b25ec", CreatedAt: at, SettingsHash: "9f1c0aa1",
		ReadAt: engine.ReadTimes{MO: at, AD: at.Add(2 * time.Second), STS: at.Add(3 * time.Second)},
		Changes: []engine.Change{
			{ID: "a8d8498dca6ec74f", System: engine.SystemAD, Op: engine.OpCreate, MOUUID: "p1", Subject: "Jens Hansen",
				Target: engine.Target{DN: "CN=Jens Hansen,OU=Nye brugere,DC=test,DC=local"},
				Fields: []engine.Field{
					{Attr: "sAMAccountName", After: "jhans2", Source: "username generator, pattern FLLLLX"},
					{Attr: "cn", After: "Jens Hansen", Source: "mo common_name"},
					{Attr: "employeeID", After: "0101801234", Source: "mo cpr"},
					{Attr: "title", After: "Sagsbehandler", Source: "mo engagement.job_function"},
				},
				Username: &engine.UsernameResult{Username: "jhans2", Pattern: "FLLLLX", Trace: []engine.PatternTrace{
					{Pattern: "F123L", Skipped: engine.SkipMissingMiddle, Detail: "1 needs a 1st middle name"},
					{Pattern: "FLLLL", Result: "jhans", Candidates: []engine.CandidateTrace{{Username: "jhans", Reason: engine.SkipTakenAD}}},
					{Pattern: "FLLLLX", Result: "jhansX", Candidates: []engine.CandidateTrace{{Username: "jhans2"}}},
				}}},
			{ID: "202e26e065f19414", System: engine.SystemAD, Op: engine.OpUpdate, MOUUID: "p2", Subject: "Anne Berg",
				Target: engine.Target{DN: "CN=Anne Berg,OU=Brugere,DC=test,DC=local", GUID: "6a0d1e00-0000-4000-8000-000000000001"},
				Fields: []engine.Field{
					{Attr: "title", Before: "Sagsbehandler", After: "Teamleder", Source: "mo engagement.job_function"},
					{Attr: "employeeID", Before: "020280-5678", After: "0202805679", Source: "mo cpr"},
					{Attr: "mail", Before: "", After: "anne@kommune.dk", Source: "mo address.EMAIL"},
					{Attr: "otherTelephone", Before: "1\n2", After: "3", Source: "mo address.PHONE"},
				}},
			{ID: "9c1d", System: engine.SystemAD, Op: engine.OpRename, MOUUID: "p2", Subject: "Anne Berg",
				Target: engine.Target{DN: "CN=Anne Berg,OU=Brugere,DC=test,DC=local", GUID: "6a0d1e00-0000-4000-8000-000000000001"},
				Fields: []engine.Field{{Attr: "cn", Before: "Anne Berg", After: "Anne Berg-Nielsen", Source: "mo common_name"}}},
			{ID: "4a31e305a8bcdb04", System: engine.SystemAD, Op: engine.OpEnable, Subject: "Mette Dahl",
				Target: engine.Target{DN: "CN=Mette Dahl,OU=Brugere,DC=test,DC=local", GUID: "6a0d1e00-0000-4000-8000-000000000003"},
				Fields: []engine.Field{{Attr: "userAccountControl", Before: "514", After: "512", Source: "current engagement in MO again"}}},
			{ID: "5287b732f0d6cbea", System: engine.SystemAD, Op: engine.OpDisable, Subject: "Ole Lund",
				Target: engine.Target{DN: "CN=Ole Lund,OU=Brugere,DC=test,DC=local", GUID: "6a0d1e00-0000-4000-8000-000000000002"},
				Fields: []engine.Field{{Attr: "userAccountControl", Before: "512", After: "514", Source: "no current or future engagement in MO"}}},
			{ID: "11aa", System: engine.SystemSTS, Op: engine.OpUpdate, Subject: "Borgerservice", Target: engine.Target{UUID: "00000000-0000-4000-8000-000000000002"},
				Fields: []engine.Field{{Attr: "Name", Before: "Borgerservice", After: "Borgerservice og Sundhed", Source: "MO unit name"}}},
			{ID: "22bb", System: engine.SystemSTS, Op: engine.OpDelete, Subject: "Gammel Enhed", Target: engine.Target{UUID: "00000000-0000-4000-8000-000000000009"},
				Fields: []engine.Field{{Attr: "Name", Before: "Gammel Enhed"}}},
			{ID: "98ae875fedc8933b", System: engine.SystemMO, Op: engine.OpCreate, MOUUID: "p1", Subject: "Jens Hansen", DependsOn: "a8d8498dca6ec74f",
				ITUser: &engine.ITUserWrite{PersonUUID: "p1", ITSystemUUID: "ad"},
				Fields: []engine.Field{
					{Attr: "external_id", After: engine.KnownAfterApply, Source: "ad objectGUID"},
					{Attr: "user_key", After: "jhans2", Source: "ad sAMAccountName"},
				}},
		},
		Warnings: []engine.Warning{
			{Code: engine.WarnDuplicateCPR, System: "ad", Subject: "050580-xxxx", Message: "2 AD accounts have CPR 0505803333: none of them is changed"},
			{Code: engine.WarnMissingCPR, System: "mo", Subject: "Uden Cpr", Key: "p5", Message: "no valid CPR number in MO"},
		},
	}
	return p
}

// cprRE finds a CPR number; a "+" before it makes it a phone number.
var cprRE = regexp.MustCompile(`(?:^|[^+\d])(\d{6}-?\d{4})\b`)

func checkNoCPR(t *testing.T, out string) {
	t.Helper()
	for _, m := range cprRE.FindAllStringSubmatch(out, -1) {
		t.Errorf("unmasked CPR %q in output", m[1])
	}
}

func TestPlan(t *testing.T) {
	var b bytes.Buffer
	if err := render.Plan(&b, samplePlan(), render.Options{Header: true}); err != nil {
		t.Fatal(err)
	}
	checkNoCPR(t, b.String())
	requireGolden(t, b.Bytes())
}

func TestPlanTrace(t *testing.T) {
	p := samplePlan()
	p.Changes = p.Changes[:1]
	p.Warnings = nil
	var b bytes.Buffer
	if err := render.Plan(&b, p, render.Options{Trace: true}); err != nil {
		t.Fatal(err)
	}
	requireGolden(t, b.Bytes())
}

func TestPlanEmpty(t *testing.T) {
	p := samplePlan()
	p.Changes = nil
	var b bytes.Buffer
	if err := render.Plan(&b, p, render.Options{NoWarnings: true}); err != nil {
		t.Fatal(err)
	}
	if b.String() != "No changes. MO, AD and STS are in step.\n" {
		t.Errorf("got %q", b.String())
	}
}

func TestSummary(t *testing.T) {
	got := render.Summary(samplePlan())
	want := "Plan: 1 to create, 1 to update, 1 to rename, 1 to enable, 1 to disable (AD) · 1 to update, 1 to delete (STS) · 1 to create (MO)."
	if got != want {
		t.Errorf("Summary =\n%s\nwant\n%s", got, want)
	}
}

func TestApplyLines(t *testing.T) {
	results := []engine.Result{
		{ChangeID: "a8d8498dca6ec74f", System: engine.SystemAD, Op: engine.OpCreate, Subject: "Jens Hansen", Status: engine.ResultOK, NewKey: "6a0d1e00-0000-4000-8000-000000000009"},
		{ChangeID: "202e26e065f19414", System: engine.SystemAD, Op: engine.OpUpdate, Subject: "Anne Berg", Status: engine.ResultStale, Error: "employeeID is \"0202805678\" in AD"},
		{ChangeID: "98ae875fedc8933b", System: engine.SystemMO, Op: engine.OpCreate, Subject: "Jens Hansen", Status: engine.ResultSkipped, Error: "depends on change a8d8498dca6ec74f, which failed"},
		{ChangeID: "22bb", System: engine.SystemSTS, Op: engine.OpDelete, Subject: "Gammel Enhed", Status: engine.ResultFailed, Error: "sts: delete orgunit: 500"},
	}
	var lines []string
	sum := engine.Summary{}
	for _, r := range results {
		lines = append(lines, render.ResultLine(r))
		switch r.Status {
		case engine.ResultOK:
			sum.OK++
		case engine.ResultStale:
			sum.Stale++
		case engine.ResultSkipped:
			sum.Skipped++
		case engine.ResultFailed:
			sum.Failed++
		}
	}
	lines = append(lines, render.ApplySummary(sum), render.ApplySummary(engine.Summary{}))
	out := strings.Join(lines, "\n") + "\n"
	checkNoCPR(t, out)
	requireGolden(t, []byte(out))
}

// TestPlanSummary: showing one change per group, the summary shows the
// first change of each group, a "… and N more" line for the groups cut short and
// the counts per attribute.
func TestPlanSummary(t *testing.T) {
	var b bytes.Buffer
	p := samplePlan()
	second := p.Changes[0]
	second.ID, second.Subject, second.Target.DN = "b1", "Karen Holm", "CN=Karen Holm,OU=Nye brugere,DC=test,DC=local"
	third := second
	third.ID, third.Subject = "b2", "Lis Holm"
	p.Changes = append(p.Changes[:1], append([]engine.Change{second, third}, p.Changes[1:]...)...)
	p.Warnings = append(p.Warnings, engine.Warning{Code: engine.WarnMissingCPR, System: "mo", Subject: "Også Uden", Message: "no valid CPR number in MO"})
	if err := render.Plan(&b, p, render.Options{Summary: true, MaxPerGroup: 1}); err != nil {
		t.Fatal(err)
	}
	checkNoCPR(t, b.String())
	requireGolden(t, b.Bytes())
}

// TestPlanSummaryUncut: a summary of a plan whose groups all fit is the
// full text, byte for byte.
func TestPlanSummaryUncut(t *testing.T) {
	for _, o := range []render.Options{{}, {Header: true}, {Trace: true}} {
		var full, sum bytes.Buffer
		if err := render.Plan(&full, samplePlan(), o); err != nil {
			t.Fatal(err)
		}
		o.Summary = true
		if err := render.Plan(&sum, samplePlan(), o); err != nil {
			t.Fatal(err)
		}
		if full.String() != sum.String() {
			t.Errorf("options %+v: summary differs from the full text:\n%s", o, sum.String())
		}
	}
}

// TestPlanSummaryLarge: the 40k-people plan's summary is short, names every
// group, and its counts add up to the plan's changes.
func TestPlanSummaryLarge(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 40k-people plan")
	}
	p, err := largePlan()
	if err != nil {
		t.Fatal(err)
	}
	if !render.AutoSummary(p) {
		t.Fatalf("AutoSummary = false for %d changes", len(p.Changes))
	}
	var b bytes.Buffer
	if err := render.Plan(&b, p, render.Options{Header: true, Summary: true}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if n := strings.Count(out, "\n"); n > 600 {
		t.Errorf("summary has %d lines, want at most 600", n)
	}
	total := 0
	for _, g := range render.GroupCounts(p) {
		total += g.N
		if g.N > render.DefaultMaxPerGroup {
			more := fmt.Sprintf("more %s %s", render.SystemName(g.System), g.Op)
			if !strings.Contains(out, more) {
				t.Errorf("no %q line in the summary", more)
			}
		}
	}
	if total != len(p.Changes) {
		t.Errorf("group counts add up to %d, plan has %d changes", total, len(p.Changes))
	}
	if !strings.Contains(out, "moxsync plan --full shows all") {
		t.Error("summary does not say how to see every change")
	}
	for _, c := range p.Changes {
		for _, f := range c.Fields {
			if engine.IsCPRField(f) && f.After != "" && strings.Contains(out, f.After) {
				t.Fatalf("CPR of %s unmasked in the summary", c.Subject)
			}
		}
	}
}

// TestSummaryNoChanges: the no-change line names the systems the plan
// covered, not all three when plan --only read fewer.
func TestSummaryNoChanges(t *testing.T) {
	ad, sts, mo := engine.SystemAD, engine.SystemSTS, engine.SystemMO
	for _, tc := range []struct {
		systems []engine.System
		want    string
	}{
		{nil, "No changes. MO, AD and STS are in step."},
		{[]engine.System{ad, sts, mo}, "No changes. MO, AD and STS are in step."},
		{[]engine.System{ad}, "No changes. AD is in step with MO."},
		{[]engine.System{sts}, "No changes. STS is in step with MO."},
		{[]engine.System{mo}, "No changes. MO's IT users are in step with AD."},
		{[]engine.System{ad, sts}, "No changes. AD and STS are in step with MO."},
		{[]engine.System{ad, mo}, "No changes. MO and AD are in step."},
	} {
		if got := render.Summary(&engine.Plan{Systems: tc.systems}); got != tc.want {
			t.Errorf("systems %v: %q, want %q", tc.systems, got, tc.want)
		}
	}
}
