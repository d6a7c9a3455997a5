package demo

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"testing"

	"moxsync/engine"
	"moxsync/sts/ststest"
)

// TestStaleSTSRemoved: the demo's STS starts with objects MO does not
// want there; the first plan removes each with its reason, the deletes
// count against the thresholds, and plan → apply → plan leaves STS holding
// exactly MO's units under the top unit and the users with positions — in
// both dialects (v1_1 through its lists, OS2sync through its hierarchy).
func TestStaleSTSRemoved(t *testing.T) {
	for _, dialect := range []string{"v1_1", "os2sync"} {
		t.Run(dialect, func(t *testing.T) {
			ctx := context.Background()
			w, err := New(ctx, Options{Seed: 4, STSDialect: dialect})
			if err != nil {
				t.Fatal(err)
			}
			defer w.Close()
			preUnits, preUsers := w.Servers.STS().Active()
			only := []engine.System{engine.SystemSTS}
			p, err := w.MakePlan(ctx, only)
			if err != nil {
				t.Fatal(err)
			}
			for _, wn := range p.Warnings {
				if wn.System == string(engine.SystemSTS) && (wn.Code == "sts_state_missing" || wn.Code == "sts_list_capped") {
					t.Errorf("warning %s: %s", wn.Code, wn.Message)
				}
			}
			want := map[string]string{}
			for i, r := range w.StaleSTS.Units {
				want[r.UUID] = []string{engine.STSReasonNotInMO, engine.STSReasonNotInMO, engine.STSReasonOutsideTop}[i]
			}
			for i, r := range w.StaleSTS.Users {
				want[r.UUID] = []string{engine.STSReasonNotInMO, engine.STSReasonNoEngagement}[i]
			}
			if len(want) != 5 {
				t.Fatalf("stale objects %+v, want 3 units and 2 users", w.StaleSTS)
			}
			deletes := 0
			for _, c := range p.Changes {
				if c.Op != engine.OpDelete {
					continue
				}
				deletes++
				reason, ok := want[c.Target.UUID]
				if !ok {
					t.Errorf("unexpected delete of %s %s", c.Subject, c.Target.UUID)
					continue
				}
				for _, f := range c.Fields {
					if f.Source != reason {
						t.Errorf("delete of %s: field %s has source %q, want %q", c.Subject, f.Attr, f.Source, reason)
					}
				}
				delete(want, c.Target.UUID)
			}
			if len(want) != 0 {
				t.Errorf("no delete of %v", want)
			}

			// The deletes count against the thresholds: 5 of the 5 objects
			// STS held is over 10 %.
			o, closeAudit, err := w.ApplyOptions(false)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := engine.Apply(ctx, p, o); engine.KindOf(err) != engine.KindRefused {
				t.Fatalf("apply without --allow-deletes: %v, want refused", err)
			}
			if u, us := w.Servers.STS().Active(); u != preUnits || us != preUsers {
				t.Fatalf("a refused apply wrote to STS: %d/%d, was %d/%d", u, us, preUnits, preUsers)
			}
			o.AllowDeletes = deletes
			sum, err := engine.Apply(ctx, p, o)
			closeAudit()
			if err != nil || sum.Failed+sum.Stale > 0 {
				t.Fatalf("apply: %+v, %v", sum, err)
			}

			d, _ := engine.MapSTS(w.Dataset.Snapshot(w.Servers.Now, w.Dataset.TopUnitUUID), w.STSOptions)
			units, users := w.Servers.STS().Active()
			if units != len(d.Units) || users != len(d.Users) {
				t.Errorf("STS holds %d units and %d users, want %d and %d", units, users, len(d.Units), len(d.Users))
			}
			for _, u := range d.Units {
				if o, ok := w.Servers.STS().Unit(u.UUID); !ok || !o.Active {
					t.Errorf("unit %s %s is not in STS", u.Name, u.UUID)
				}
			}
			for _, u := range d.Users {
				if o, ok := w.Servers.STS().User(u.UUID); !ok || !o.Active {
					t.Errorf("user %s %s is not in STS", u.Person.Name, u.UUID)
				}
			}
			w.RefreshSTS = true // and STS itself agrees
			again, err := w.MakePlan(ctx, only)
			if err != nil {
				t.Fatal(err)
			}
			if len(again.Changes) != 0 {
				t.Errorf("second plan (--refresh-sts): %d changes, want 0", len(again.Changes))
			}
			t.Logf("%s: STS held %d units and %d users (%d stale); %d STS changes, %d deletes; after: %d units, %d users; second plan %d changes",
				dialect, preUnits, preUsers, 5, len(p.Changes), deletes, units, users, len(again.Changes))
		})
	}
}

// TestFirstRunSTSReadFails: when a first run cannot learn what STS holds,
// the plan says so, removes nothing from STS and saves no record; the next
// plan tries again.
func TestFirstRunSTSReadFails(t *testing.T) {
	ctx := context.Background()
	w, err := New(ctx, Options{Seed: 4, STSDialect: "os2sync"})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	only := []engine.System{engine.SystemSTS}
	w.Servers.STS().SetHierarchyFailure(true)
	p, err := w.MakePlan(ctx, only)
	if err != nil {
		t.Fatal(err)
	}
	codes := map[string]bool{}
	for _, wn := range p.Warnings {
		codes[wn.Code] = true
	}
	if !codes["sts_rebuild_failed"] || !codes["sts_state_missing"] {
		t.Errorf("warnings %v, want sts_rebuild_failed and sts_state_missing", codes)
	}
	for _, c := range p.Changes {
		if c.Op == engine.OpDelete {
			t.Fatalf("a delete on a failed STS read: %s", c.Subject)
		}
	}
	if w.Refreshed != nil {
		t.Errorf("Refreshed = %+v after a failed rebuild", w.Refreshed)
	}
	if _, err := os.Stat(w.Settings.STS.HashCache); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a record was saved after a failed rebuild: %v", err)
	}
	w.Servers.STS().SetHierarchyFailure(false)
	p, err = w.MakePlan(ctx, only)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, c := range p.Changes {
		if c.Op == engine.OpDelete {
			n++
		}
	}
	if n != 5 || w.Refreshed == nil {
		t.Errorf("the next plan: %d deletes (want 5), refreshed %v", n, w.Refreshed)
	}
}

// TestCappedListIsSaid: a v1_1 list at STS's cap (500) gives a plan
// warning that STS may hold more and how to see it all; the OS2sync
// hierarchy read sees everything.
func TestCappedListIsSaid(t *testing.T) {
	const extra = 620
	for _, tc := range []struct {
		dialect     string
		wantDeletes int
		wantCapped  bool
	}{
		// STS lists the first 500 of its 622 users (all extra ones); the
		// MO person without an engagement is read back by uuid anyway, the
		// erased one stays unseen.
		{"v1_1", 501, true},
		{"os2sync", extra + 2, false},
	} {
		t.Run(tc.dialect, func(t *testing.T) {
			ctx := context.Background()
			w, err := New(ctx, Options{Seed: 4, STSDialect: tc.dialect})
			if err != nil {
				t.Fatal(err)
			}
			defer w.Close()
			for i := range extra {
				w.Servers.STS().SeedUser(tc.dialect, fmt.Sprintf("00000000-0000-4000-8000-%012x", i), "x", "Gammel", ststest.SeedPosition{Name: "x", OrgUnitUUID: w.Dataset.TopUnitUUID})
			}
			p, err := w.MakePlan(ctx, []engine.System{engine.SystemSTS})
			if err != nil {
				t.Fatal(err)
			}
			userDeletes, capped := 0, false
			for _, c := range p.Changes {
				if c.Op == engine.OpDelete && c.STSUser != nil {
					userDeletes++
				}
			}
			for _, wn := range p.Warnings {
				if wn.Code == "sts_list_capped" {
					capped = strings.Contains(wn.Message, "STSORGSYNC_DIALECT = os2sync") && wn.Key == "users"
				}
			}
			if userDeletes != tc.wantDeletes || capped != tc.wantCapped {
				t.Errorf("%d user deletes, capped warning %v; want %d, %v", userDeletes, capped, tc.wantDeletes, tc.wantCapped)
			}
			t.Logf("%s: %d stale users in STS, %d user deletes planned, capped warning %v", tc.dialect, extra+2, userDeletes, capped)
		})
	}
}
