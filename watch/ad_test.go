package watch_test

import (
	"context"
	"testing"
	"time"

	"moxsync/engine"
)

// An admin's edit in AD of an MO-owned attribute is seen by the uSNChanged
// poll and corrected back within a poll interval or so.
func TestADEditIsCorrected(t *testing.T) {
	r := newRig(t, nil)
	r.start(nil)
	r.waitFor("start-up reconciliation", r.reconciled)
	p, _ := r.employee(4)
	d := r.dir()
	acct, _ := r.account(d, p.CPR)
	want := acct.Attr("title")
	if want == "" {
		t.Fatalf("%s has no title", acct.DN)
	}
	before := r.writes(engine.SystemAD, acct.GUID)
	start := time.Now()
	err := d.Modify(context.Background(), acct.DN, []engine.AttrChange{{Attr: "title", Before: []string{want}, After: []string{"Manuelt rettet"}}})
	if err != nil {
		t.Fatal(err)
	}
	r.waitFor("the title corrected", func() bool {
		a, _ := r.account(d, p.CPR)
		return a.Attr("title") == want
	})
	took := time.Since(start)
	t.Logf("corrected after %v (poll interval %v)", took.Round(time.Millisecond), r.cfg.PollInterval)
	pos, ok, err := r.st.ADPosition(context.Background())
	if err != nil || !ok || pos.USN == 0 {
		t.Errorf("AD position = %+v, %v, %v; want a stored USN", pos, ok, err)
	}
	// The correction's own USN change comes back to the poll with an empty
	// plan: one write, no loop.
	time.Sleep(5 * r.cfg.PollInterval)
	if got := r.writes(engine.SystemAD, acct.GUID) - before; got != 1 {
		t.Errorf("AD writes of the account = %d, want 1 (the correction)", got)
	}
}
