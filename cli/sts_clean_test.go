package cli

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"moxsync/engine"
	"moxsync/sts/ststest"
)

// TestSTSCleanCommands: on an STS that holds objects MO does not know,
// plan --refresh-sts --out plan.json names each removal with its reason,
// apply plan.json removes them, and STS then holds only units under the
// top unit and users with a position there.
func TestSTSCleanCommands(t *testing.T) {
	w := newCLIWorld(t)
	fake := w.srv.STS()
	top := w.srv.Dataset.TopUnitUUID
	gone, erased := "0ff00000-0000-4000-8000-000000000001", "0ff00000-0000-4000-8000-000000000002"
	fake.SeedUnit("v1_1", gone, "Nedlagt afdeling", top)
	fake.SeedUser("v1_1", erased, "gammel", "Gammel Medarbejder", ststest.SeedPosition{Name: "Pedel", OrgUnitUUID: gone})
	if r := w.run(t, "apply", "--auto-approve", "--only", "ad,mo"); r.code != exitOK {
		t.Fatalf("apply ad,mo: exit %d: %.2000s", r.code, r.stderr)
	}

	r := w.run(t, "plan", "--only", "sts", "--refresh-sts", "--out", "plan.json")
	if r.code != exitOK {
		t.Fatalf("plan: exit %d: %s", r.code, r.stderr)
	}
	for _, want := range []string{
		`- delete  STS Nedlagt afdeling  ` + gone,
		`Name:               "Nedlagt afdeling"   (` + engine.STSReasonNotInMO + `)`,
		`- delete  STS Gammel Medarbejder  ` + erased,
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("plan output lacks %q:\n%.3000s", want, r.stdout)
		}
	}
	if strings.Contains(r.stdout, "no STS state file") {
		t.Error("the plan that rebuilt the record says there is none")
	}
	p := readPlanFile(t, filepath.Join(w.dir, "plan.json"))
	deletes := 0
	for _, c := range p.Changes {
		if c.Op == engine.OpDelete {
			deletes++
			if len(c.Fields) == 0 || c.Fields[0].Source != engine.STSReasonNotInMO {
				t.Errorf("JSON plan: delete of %s has fields %+v", c.Subject, c.Fields)
			}
		}
	}
	if deletes != 2 {
		t.Fatalf("%d deletes in the plan, want 2", deletes)
	}
	if r := w.run(t, "apply", "plan.json", "--allow-deletes", fmt.Sprint(deletes)); r.code != exitOK {
		t.Fatalf("apply plan.json: exit %d: %.2000s", r.code, r.stderr)
	}
	if o, _ := fake.Unit(gone); o.Active {
		t.Error("the unit MO does not know is still in STS")
	}
	if o, _ := fake.User(erased); o.Active {
		t.Error("the user MO does not know is still in STS")
	}
	if r := w.run(t, "plan", "--only", "sts", "--refresh-sts", "--detailed-exitcode"); r.code != exitOK {
		t.Errorf("plan after apply: exit %d\n%.2000s", r.code, r.stdout)
	}
}
