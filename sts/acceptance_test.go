package sts

import (
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"moxsync/engine"
	"moxsync/sts/ststest"
)

var now = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

func since2020() engine.Validity {
	return engine.Validity{From: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)}
}

// muni is a small municipality: a top unit, two departments, a team under
// one of them, a unit outside the exported tree, and people.
func muni() *engine.Snapshot {
	id := func(k, i int) string { return fmt.Sprintf("%08x-0000-4000-8000-%012x", k, i) }
	s := &engine.Snapshot{ReadAt: now, TopUnit: id(1, 0)}
	s.Units = []engine.Unit{
		{UUID: id(1, 3), Name: "Team Nord", ParentUUID: id(1, 2), Validity: since2020()},
		{UUID: id(1, 0), Name: "Kommune", Validity: since2020()},
		{UUID: id(1, 2), Name: "Borgerservice", ParentUUID: id(1, 0), Validity: since2020(),
			Addresses: []engine.Address{{UUID: id(3, 1), Scope: "EMAIL", Name: "bs@kommune.dk", Validity: since2020()}}},
		{UUID: id(1, 1), Name: "Administration", ParentUUID: id(1, 0), Validity: since2020()},
		{UUID: id(1, 9), Name: "Udenfor", Validity: since2020()},
	}
	for i := range 6 {
		p := engine.Person{UUID: id(2, i), GivenName: fmt.Sprintf("Person%d", i), Surname: "Hansen",
			Engagements: []engine.Engagement{{UUID: id(4, i), UnitUUID: id(1, 1+i%3), JobFunction: "Sagsbehandler", IsPrimary: true, Validity: since2020()}},
			Addresses:   []engine.Address{{UUID: id(5, i), Scope: "PHONE", Name: fmt.Sprintf("4000000%d", i), Visibility: "PUBLIC", Validity: since2020()}},
			ITUsers:     []engine.ITUser{{UUID: id(6, i), UserKey: fmt.Sprintf("ph%d", i), ITSystemName: "Active Directory", Validity: since2020()}},
		}
		if i == 5 {
			p.Engagements[0].UnitUUID = id(1, 9) // only outside the tree: not a user
		}
		s.People = append(s.People, p)
	}
	return s
}

// run is one plan + apply of the STS part, as the planner and the apply
// loop do it: load the state, map, diff, apply through a Recorder, close.
func run(t *testing.T, snap *engine.Snapshot, statePath string, target engine.STSTarget, opts engine.STSMapOptions) []engine.Change {
	t.Helper()
	state, _, err := LoadState(statePath)
	if err != nil {
		t.Fatal(err)
	}
	d, _ := engine.MapSTS(snap, opts)
	changes, _ := engine.DiffSTS(&d, state.Record())
	rec := NewRecorder(target, state)
	if failed := ApplyChanges(t.Context(), rec, changes, 4, nil); failed != 0 {
		t.Fatalf("%d changes failed", failed)
	}
	if err := rec.Close(); err != nil {
		t.Fatal(err)
	}
	return changes
}

func TestAcceptanceRerunSendsNothing(t *testing.T) {
	for _, dialect := range []string{DialectV11, DialectOS2sync} {
		t.Run(dialect, func(t *testing.T) {
			c, fake := fakeClient(t, ststest.Options{CVR: "29189846", Strict: true}, Config{Dialect: dialect})
			statePath := filepath.Join(t.TempDir(), "sts-state.json")
			opts := engine.STSMapOptions{UserIDFromAD: true, Dialect: dialect}

			first := run(t, muni(), statePath, c, opts)
			if len(first) != 4+5 {
				t.Fatalf("first run: %d changes, want 9 (4 units, 5 users)", len(first))
			}
			reqs := fake.Requests()
			if len(reqs) != 9 {
				t.Fatalf("first run sent %d requests, want 9", len(reqs))
			}
			// Units parent first, users after all units.
			var unitOrder []string
			for i, r := range reqs {
				isUnit := strings.Contains(strings.ToLower(r.Path), "orgunit")
				if isUnit != (i < 4) {
					t.Fatalf("request %d %s: units must all come before users", i, r.Path)
				}
				if isUnit {
					unitOrder = append(unitOrder, string(r.Body))
				}
			}
			if !strings.Contains(unitOrder[0], `"Kommune"`) || !strings.Contains(unitOrder[3], `"Team Nord"`) {
				t.Errorf("unit order: %v", unitOrder)
			}
			if u, p := fake.Active(); u != 4 || p != 5 {
				t.Fatalf("fake holds %d units, %d users", u, p)
			}

			// The acceptance criterion: nothing changed in MO → zero requests.
			fake.ResetRequests()
			if again := run(t, muni(), statePath, c, opts); len(again) != 0 {
				t.Errorf("re-run planned %d changes: %+v", len(again), again[0])
			}
			if n := fake.RequestCount(); n != 0 {
				t.Fatalf("re-run sent %d requests, want 0", n)
			}

			// One change in MO → exactly one request, for that person.
			snap := muni()
			snap.People[2].Surname = "Jensen"
			third := run(t, snap, statePath, c, opts)
			if len(third) != 1 || third[0].Op != engine.OpUpdate || third[0].Subject != "Person2 Jensen" {
				t.Fatalf("third run: %+v", third)
			}
			if reqs := fake.Requests(); len(reqs) != 1 || !strings.Contains(string(reqs[0].Body), "Person2 Jensen") {
				t.Fatalf("third run requests: %+v", reqs)
			}

			// A person leaves, a unit closes: deletes, recorded, then quiet.
			fake.ResetRequests()
			snap.People = snap.People[1:]
			snap.Units = slices.DeleteFunc(snap.Units, func(u engine.Unit) bool { return u.Name == "Team Nord" })
			fourth := run(t, snap, statePath, c, opts)
			var ops []string
			for _, ch := range fourth {
				ops = append(ops, string(ch.Op)+" "+ch.Subject)
			}
			// Person2 worked only in Team Nord: no position left, so deleted.
			if want := []string{"delete Person0 Hansen", "delete Person2 Jensen", "delete Team Nord"}; !reflect.DeepEqual(ops, want) {
				t.Fatalf("fourth run: %v, want %v", ops, want)
			}
			if u, p := fake.Active(); u != 3 || p != 3 {
				t.Errorf("after deletes the fake holds %d units, %d users", u, p)
			}
			fake.ResetRequests()
			if again := run(t, snap, statePath, c, opts); len(again) != 0 || fake.RequestCount() != 0 {
				t.Errorf("re-run after deletes: %d changes, %d requests", len(again), fake.RequestCount())
			}
		})
	}
}

func TestRecorderRecordsOnlySuccess(t *testing.T) {
	c, fake := fakeClient(t, ststest.Options{}, Config{Retries: -1})
	state := NewState(filepath.Join(t.TempDir(), "s.json"))
	rec := NewRecorder(c, state)
	fake.FailNext(1)
	if err := rec.UpsertUnit(t.Context(), testUnit()); err == nil {
		t.Fatal("want an error")
	}
	if _, ok := state.Unit(ou1); ok {
		t.Fatal("a failed upsert was recorded")
	}
	bad := testUser(DialectV11)
	bad.UserID = ""
	if err := rec.UpsertUser(t.Context(), bad); engine.KindOf(err) != engine.KindInvalid {
		t.Fatalf("err = %v", err)
	}
	if _, ok := state.User(usr1); ok {
		t.Fatal("a rejected upsert was recorded")
	}
	if err := rec.UpsertUnit(t.Context(), testUnit()); err != nil {
		t.Fatal(err)
	}
	if got, ok := state.Unit(ou1); !ok || !reflect.DeepEqual(got, testUnit()) {
		t.Fatalf("recorded %+v", got)
	}
	fake.FailNext(1)
	if err := rec.DeleteUnit(t.Context(), ou1); err == nil {
		t.Fatal("want an error")
	}
	if _, ok := state.Unit(ou1); !ok {
		t.Fatal("a failed delete removed the entry")
	}
	if err := rec.DeleteUnit(t.Context(), ou1); err != nil {
		t.Fatal(err)
	}
	if _, ok := state.Unit(ou1); ok {
		t.Fatal("a delete kept the entry")
	}
}

func TestRefreshRepairsDrift(t *testing.T) {
	c, fake := fakeClient(t, ststest.Options{}, Config{})
	snap := muni()
	opts := engine.STSMapOptions{UserIDFromAD: true}
	d, _ := engine.MapSTS(snap, opts)
	// STS already holds everything (sent by an earlier tool), but our
	// state file was lost; STS also holds a user MO no longer has a
	// position for, and our record holds a unit STS lost.
	for _, u := range d.Units {
		if err := c.UpsertUnit(t.Context(), u); err != nil {
			t.Fatal(err)
		}
	}
	for _, u := range d.Users {
		if err := c.UpsertUser(t.Context(), u); err != nil {
			t.Fatal(err)
		}
	}
	ghost := testUser(DialectV11)
	ghost.UUID = d.Unposted[0].UUID
	if err := c.UpsertUser(t.Context(), ghost); err != nil {
		t.Fatal(err)
	}
	state := NewState(filepath.Join(t.TempDir(), "s.json"))
	lost := "0000000f-0000-4000-8000-000000000000"
	state.PutUnit(engine.STSUnit{UUID: lost, Name: "Tabt"})
	fake.ResetRequests()

	units, users := d.RefreshUUIDs()
	st, err := state.Refresh(t.Context(), c, units, users, 3)
	if err != nil {
		t.Fatal(err)
	}
	if st != (RefreshStats{Read: 4 + 6, NotFound: 1}) {
		t.Errorf("stats %+v", st)
	}
	if n := fake.RequestCount(); n != 11 {
		t.Errorf("%d reads, want 11", n)
	}
	for _, r := range fake.Requests() {
		if r.Method != "GET" {
			t.Fatalf("refresh wrote: %s %s", r.Method, r.Path)
		}
	}
	changes, _ := engine.DiffSTS(&d, state.Record())
	if len(changes) != 1 || changes[0].Op != engine.OpDelete || changes[0].Target.UUID != ghost.UUID {
		t.Fatalf("after refresh want only the ghost's delete, got %+v", changes)
	}
}

func TestApplyChangesOrderAndDependencies(t *testing.T) {
	fake := ststest.New(ststest.Options{})
	hs := httptest.NewServer(fake)
	defer hs.Close()
	c, _ := New(Config{BaseURL: hs.URL + "/api/v1_1", Retries: -1})
	d, _ := engine.MapSTS(muni(), engine.STSMapOptions{})
	changes, _ := engine.DiffSTS(&d, engine.STSRecord{})
	// Fail the top unit's create: everything under it depends on it.
	fake.FailNext(1)
	var outcome []string
	failed := ApplyChanges(t.Context(), c, changes, 1, func(ch *engine.Change, err error) {
		outcome = append(outcome, fmt.Sprintf("%s %s %v", ch.Op, ch.Subject, engine.KindOf(err)))
	})
	want := []string{
		"create Kommune unavailable",
		"create Administration refused", "create Borgerservice refused",
		"create Team Nord refused",
	}
	if failed != 4 || !reflect.DeepEqual(outcome[:4], want) {
		t.Fatalf("failed %d, outcome %v", failed, outcome)
	}
	if len(outcome) != 9 || fake.RequestCount() != 1+5 {
		t.Errorf("users are still sent: outcome %v, %d requests", outcome, fake.RequestCount())
	}
}
