package sts

import (
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"moxsync/engine"
	"moxsync/sts/ststest"
)

// staleSTS preloads the fake with what a municipality's STS holds before
// moxsync: mox's administrative root outside the top unit, the top unit
// under it (as mox sent it), the MO unit outside the tree, a closed unit
// and a unit whose parent STS lost (only the 4.x all lists show it), an
// erased person, and the person whose only engagement is outside the
// tree. It returns the expected deletes, "kind uuid reason".
func staleSTS(fake *ststest.Server, dialect string, snap *engine.Snapshot) []string {
	id := func(k, i int) string { return fmt.Sprintf("%08x-0000-4000-8000-%012x", k, i) }
	root, closed, lost, erased := id(9, 1), id(9, 2), id(9, 3), id(9, 4)
	top, outside, outsider := snap.TopUnit, id(1, 9), id(2, 5)
	fake.SeedUnit(dialect, root, "Forvaltningen", "")
	fake.SeedUnit(dialect, top, "Kommune", root)
	fake.SeedUnit(dialect, outside, "Udenfor", root)
	fake.SeedUnit(dialect, closed, "Nedlagt", top)
	fake.SeedUnit(dialect, lost, "Forældreløs", id(9, 99))
	fake.SeedUser(dialect, erased, "slettet", "Slettet Person", ststest.SeedPosition{Name: "Pedel", OrgUnitUUID: top})
	fake.SeedUser(dialect, outsider, "ph5", "Person5 Hansen", ststest.SeedPosition{Name: "Sagsbehandler", OrgUnitUUID: outside})
	return []string{
		"user " + erased + " " + engine.STSReasonNotInMO,
		"user " + outsider + " " + engine.STSReasonNoEngagement,
		"orgunit " + closed + " " + engine.STSReasonNotInMO,
		"orgunit " + lost + " " + engine.STSReasonNotInMO,
		"orgunit " + outside + " " + engine.STSReasonOutsideTop,
		"orgunit " + root + " " + engine.STSReasonNotInMO,
	}
}

// activeUUIDs are the uuids of what the fake holds, via its own lists.
func activeUUIDs(t *testing.T, c *Client) (units, users []string) {
	t.Helper()
	h, err := c.Holdings(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return h.Units, h.Users
}

// TestRebuildCleansSTS: a first run without a record learns what STS
// holds, plans a delete with its reason for every object MO does not want
// there, and plan → apply → plan leaves STS holding exactly MO's units
// under the top unit and the users with positions; in both dialects.
func TestRebuildCleansSTS(t *testing.T) {
	for _, dialect := range []string{DialectV11, DialectOS2sync} {
		t.Run(dialect, func(t *testing.T) {
			c, fake := fakeClient(t, ststest.Options{}, Config{Dialect: dialect, HierarchyPoll: time.Millisecond})
			snap := muni()
			wantDel := staleSTS(fake, dialect, snap)
			opts := engine.STSMapOptions{UserIDFromAD: true, Dialect: dialect}
			d, _ := engine.MapSTS(snap, opts)
			path := filepath.Join(t.TempDir(), "state.json")

			var held RefreshStats
			plan := func() ([]engine.Change, []engine.Warning) {
				t.Helper()
				state, _, err := LoadState(path)
				if err != nil {
					t.Fatal(err)
				}
				units, users := d.RefreshUUIDs()
				st, warns, err := state.Rebuild(t.Context(), c, c, units, users, 4)
				if err != nil || len(warns) != 0 {
					t.Fatalf("rebuild: %v %v", err, warns)
				}
				held = st
				if err := state.Save(); err != nil {
					t.Fatal(err)
				}
				return engine.DiffSTS(&d, state.Record())
			}
			changes, _ := plan()
			before := held
			var deletes []string
			for _, ch := range changes {
				if ch.Op != engine.OpDelete {
					continue
				}
				reasons := map[string]bool{}
				for _, f := range ch.Fields {
					reasons[f.Source] = true
				}
				if len(reasons) != 1 {
					t.Errorf("delete %s: reasons %v, want one", ch.Subject, reasons)
				}
				for r := range reasons {
					deletes = append(deletes, engine.STSObjectKind(&ch)+" "+ch.Target.UUID+" "+r)
				}
			}
			slices.Sort(deletes)
			slices.Sort(wantDel)
			if !slices.Equal(deletes, wantDel) {
				t.Errorf("deletes\n%s\nwant\n%s", strings.Join(deletes, "\n"), strings.Join(wantDel, "\n"))
			}

			state, _, _ := LoadState(path)
			rec := NewRecorder(c, state)
			if failed := ApplyChanges(t.Context(), rec, changes, 4, nil); failed != 0 {
				t.Fatalf("%d changes failed", failed)
			}
			if err := rec.Close(); err != nil {
				t.Fatal(err)
			}

			units, users := activeUUIDs(t, c)
			wantUnits, wantUsers := d.RefreshUUIDs()
			wantUsers = wantUsers[:len(d.Users)]
			slices.Sort(wantUnits)
			slices.Sort(wantUsers)
			if !slices.Equal(units, wantUnits) || !slices.Equal(users, wantUsers) {
				t.Errorf("STS holds units %v users %v\nwant units %v users %v", units, users, wantUnits, wantUsers)
			}
			if again, warns := plan(); len(again) != 0 {
				t.Errorf("second plan: %d changes %v (warnings %v)", len(again), again, warns)
			}
			t.Logf("%s: %d units and %d users in STS before, %d deletes, %d changes in all; after: %d units, %d users",
				dialect, before.HeldUnits, before.HeldUsers, len(deletes), len(changes), len(units), len(users))
		})
	}
}

func TestRebuildKeepsRecordOnFailedRead(t *testing.T) {
	snap := muni()
	d, _ := engine.MapSTS(snap, engine.STSMapOptions{})
	units, users := d.RefreshUUIDs()
	for _, fail := range []string{"/api/v1_1/orgunit", "/api/v1_1/user/" + users[0]} { // the list read, a single read
		fake := ststest.New(ststest.Options{})
		staleSTS(fake, DialectV11, snap)
		hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == fail {
				http.Error(w, "Internal Server Error", http.StatusInternalServerError)
				return
			}
			fake.ServeHTTP(w, r)
		}))
		c, err := New(Config{BaseURL: hs.URL + "/api/v1_1", Retries: -1})
		if err != nil {
			t.Fatal(err)
		}
		state := NewState(filepath.Join(t.TempDir(), "s.json"))
		kept := engine.STSUnit{UUID: "0000000f-0000-4000-8000-000000000000", Name: "Optaget"}
		state.PutUnit(kept)
		if _, _, err := state.Rebuild(t.Context(), c, c, units, users, 1); err == nil {
			t.Fatalf("%s fails: no error", fail)
		}
		if rec := state.Record(); len(rec.Units) != 1 || len(rec.Users) != 0 || rec.Units[kept.UUID].Name != kept.Name {
			t.Errorf("%s fails: the record changed: %v", fail, slices.Collect(maps.Keys(rec.Units)))
		}
		hs.Close()
	}
}

func TestRebuildWarnsOfCappedList(t *testing.T) {
	c, fake := fakeClient(t, ststest.Options{}, Config{})
	for i := range ListCap + 1 {
		fake.SeedUser(DialectV11, fmt.Sprintf("0000000b-0000-4000-8000-%012x", i), "u", "U", ststest.SeedPosition{Name: "x", OrgUnitUUID: hRoot})
	}
	state := NewState(filepath.Join(t.TempDir(), "s.json"))
	st, warns, err := state.Rebuild(t.Context(), c, c, nil, nil, 8)
	if err != nil {
		t.Fatal(err)
	}
	if len(warns) != 1 || warns[0].Code != WarnListCapped || warns[0].Key != "users" || !strings.Contains(warns[0].Message, "STSORGSYNC_DIALECT = os2sync") {
		t.Fatalf("warnings %v", warns)
	}
	if _, n := state.Len(); n != ListCap || st.HeldUsers != ListCap || st.Via != "list" {
		t.Errorf("record holds %d users, stats %+v", n, st)
	}
}
