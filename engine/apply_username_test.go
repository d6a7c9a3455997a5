package engine_test

import (
	"context"
	"strings"
	"testing"

	"moxsync/engine"
	"moxsync/engine/enginetest"
)

// jensCreate is the plan's AD create of Jens Hansen (p1).
func jensCreate(t *testing.T, p *engine.Plan) *engine.Change {
	t.Helper()
	for i := range p.Changes {
		c := &p.Changes[i]
		if c.System == engine.SystemAD && c.Op == engine.OpCreate && c.MOUUID == "p1" {
			return c
		}
	}
	t.Fatal("no AD create for Jens Hansen in the plan")
	return nil
}

func fieldAfter(c *engine.Change, attr string) string {
	for _, f := range c.Fields {
		if strings.EqualFold(f.Attr, attr) {
			return f.After
		}
	}
	return ""
}

// TestApplyUsernameTakenSincePlan: a name taken in AD between plan and
// apply. A plan made in this run takes the generator's next candidate, says
// so in the result and the audit, writes it back to MO, and the rerun is a
// no-op; a saved plan is stale and names the candidate, writing nothing.
func TestApplyUsernameTakenSincePlan(t *testing.T) {
	gen, err := engine.NewUsernameGenerator(engine.DefaultUsernameConfig())
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		clash engine.UsernameClash
	}{{"fresh plan", engine.ClashNextCandidate}, {"saved plan", engine.ClashReport}} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			o := f.options()
			o.Usernames = gen
			p := f.plan(t, o)
			c := jensCreate(t, p)
			planned := fieldAfter(c, "sAMAccountName")
			if planned != "jhans2" || c.Username == nil || c.Username.GivenName != "Jens" || c.Username.Surname != "Hansen" {
				t.Fatalf("planned %q, username %+v", planned, c.Username)
			}
			// Someone in another OU takes jhans2 after the plan was made;
			// jhans3 is the other Jens Hansen's in the same plan, so the
			// next candidate is jhans4.
			f.dir.ReserveName("jhans2")
			audit := &enginetest.Audit{}
			ao := f.applyOptions(audit)
			ao.AllowDeletes = destructiveCount(p)
			ao.Usernames, ao.UsernameClash = gen, tc.clash
			sum, err := engine.Apply(context.Background(), p, ao)
			if err != nil {
				t.Fatal(err)
			}
			r := resultsByID(sum)[c.ID]
			if tc.clash == engine.ClashReport {
				if r.Status != engine.ResultStale || r.Replacement != "jhans4" || !strings.Contains(r.Error, "next candidate is jhans4") {
					t.Fatalf("saved plan: result %+v", r)
				}
				for _, a := range f.dir.All() {
					if strings.EqualFold(a.SAMAccountName, "jhans4") {
						t.Fatal("a saved plan's username was replaced without consent")
					}
				}
				return
			}
			if r.Status != engine.ResultOK || !strings.Contains(r.Note, "jhans2 was taken") || !strings.Contains(r.Note, "created as jhans4") {
				t.Fatalf("fresh plan: result %+v", r)
			}
			var rec *engine.AuditRecord
			for _, a := range audit.Records() {
				if a.ChangeID == c.ID && a.Result == string(engine.ResultOK) {
					rec = &a
				}
			}
			if rec == nil || rec.After["sAMAccountName"] != "jhans4" || rec.After["userPrincipalName"] != "jhans4@kommune.dk" || rec.Note == "" {
				t.Fatalf("audit of the create: %+v", rec)
			}
			again := f.plan(t, o)
			for _, c := range again.Changes {
				if c.MOUUID == "p1" && (c.System == engine.SystemAD || c.System == engine.SystemMO) {
					t.Errorf("rerun still plans %s %s for Jens: %+v", c.System, c.Op, c.Fields)
				}
			}
		})
	}
}
