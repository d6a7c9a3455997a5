package watch_test

import (
	"context"
	"encoding/json"
	"testing"

	"moxsync/engine"
	"moxsync/watch"
)

// A re-plan of a few subjects plans only the part of the world they
// concern; its changes of those subjects are the changes of a plan of the
// whole world, for every person, every unit and a mixed batch of the demo
// before its first apply (updates, creates, STS creates and moves to
// plan).
func TestPartPlanEqualsWhole(t *testing.T) {
	t.Run("default mapping", func(t *testing.T) { testPartPlanEqualsWhole(t, nil) })
	// AD the authority for titles, phones and e-mail, missing job
	// functions created: MO writes, class creates.
	t.Run("AD owns fields", func(t *testing.T) {
		testPartPlanEqualsWhole(t, map[string]string{
			"AD_MAPPING": "title = ad engagement.job_function\ntelephoneNumber = ad address.BrugerTelefon\n" +
				"mail = ad address.EMAIL\naccountExpires = mo engagement.end_date",
			"AD_CREATE_JOB_FUNCTIONS": "true",
		})
	})
}

func testPartPlanEqualsWhole(t *testing.T, extra map[string]string) {
	r := newRig(t, extra)
	ctx := context.Background()
	w := watch.New(r.cfg)
	if err := w.LoadWorld(ctx); err != nil {
		t.Fatal(err)
	}
	ds := r.srv.Dataset
	check := func(what string, keys []string) bool {
		t.Helper()
		ofPart, ofWhole, _, err := w.PlanKeys(ctx, keys)
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if a, b := changesJSON(t, ofPart), changesJSON(t, ofWhole); a != b {
			t.Errorf("%s: the plan of the part differs from the whole's:\npart:  %s\nwhole: %s", what, a, b)
			return false
		}
		return true
	}
	parts, changes := 0, 0
	for _, p := range ds.People {
		keys := w.KeysOf([]string{p.UUID}, nil)
		_, ofWhole, part, _ := w.PlanKeys(ctx, keys)
		if part {
			parts++
			changes += len(ofWhole)
		}
		if !check("person "+p.UUID, keys) {
			break
		}
	}
	for _, u := range ds.Units {
		if !check("unit "+u.UUID, w.KeysOf(nil, []string{u.UUID})) {
			break
		}
	}
	var batch []string
	for i, p := range ds.People {
		if i%7 == 0 {
			batch = append(batch, p.UUID)
		}
	}
	check("a batch of people and units", w.KeysOf(batch, []string{ds.Units[3].UUID, ds.Units[9].UUID}))
	t.Logf("%d of %d people planned as a part, with %d changes of theirs", parts, len(ds.People), changes)
	if parts < len(ds.People)/2 || changes == 0 {
		t.Errorf("%d of %d people planned as a part, with %d changes: the test compares too little", parts, len(ds.People), changes)
	}
}

func changesJSON(t *testing.T, cs []engine.Change) string {
	t.Helper()
	b, err := json.Marshal(cs)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
