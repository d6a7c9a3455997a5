package cli

import (
	"strings"
	"testing"

	"moxsync/mo/motest"
)

// TestPlanLargeIsSummary: a plan of more than 1,000 changes prints as a
// summary that says how to see everything; --full prints every change, and
// --out saves every change whichever was printed.
func TestPlanLargeIsSummary(t *testing.T) {
	if testing.Short() {
		t.Skip("plans 5,000 people")
	}
	w := newCLIWorldSized(t, motest.SizeTypical)
	sum := w.run(t, "plan", "--out", "plan.json")
	if sum.code != exitOK {
		t.Fatalf("plan: exit %d: %s", sum.code, sum.stderr)
	}
	p := readPlanFile(t, w.dir+"/plan.json")
	if len(p.Changes) <= 1000 {
		t.Fatalf("the plan has %d changes; the test needs more than 1,000", len(p.Changes))
	}
	full := w.run(t, "plan", "--full")
	if full.code != exitOK {
		t.Fatalf("plan --full: exit %d: %s", full.code, full.stderr)
	}
	shown := func(out string) int {
		n := 0
		for _, c := range p.Changes {
			if strings.Contains(out, "["+c.ID+"]") {
				n++
			}
		}
		return n
	}
	if n := shown(full.stdout); n != len(p.Changes) {
		t.Errorf("plan --full shows %d of %d changes", n, len(p.Changes))
	}
	if n := shown(sum.stdout); n == 0 || n > 200 {
		t.Errorf("the summary shows %d of %d changes, want 1..200", n, len(p.Changes))
	}
	for _, want := range []string{"moxsync plan --full shows all", "Changes per attribute", "Saved the plan to plan.json"} {
		if !strings.Contains(sum.stdout, want) {
			t.Errorf("summary lacks %q", want)
		}
	}
	if strings.Contains(full.stdout, "--full shows all") {
		t.Error("plan --full still cuts the plan short")
	}
	lastLine := func(s string) string {
		for _, l := range strings.Split(strings.TrimSpace(s), "\n") {
			if strings.HasPrefix(l, "Plan: ") {
				return l
			}
		}
		return ""
	}
	if a, b := lastLine(sum.stdout), lastLine(full.stdout); a == "" || a != b {
		t.Errorf("summary line %q, full %q", a, b)
	}
	checkMasked(t, "summary", sum.stdout)
}
