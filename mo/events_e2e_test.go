package mo_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"moxsync/engine"
	"moxsync/mo"
	"moxsync/mo/motest"
)

// The continuous mode's client against the fake over HTTP: listeners,
// fetch, redelivery, deduplication, resolution per routing key, refresh,
// partial reads equal to the snapshot's, requests per event.

var watchKeys = []string{"person", "engagement", "address", "ituser", "org_unit", "manager"}

const prefix = "moxsync-"

// eventFake is a fake MO with a settable data clock (Options.Now, the
// client's Now too) and event clock (Options.EventNow).
type eventFake struct {
	ds     *motest.Dataset
	srv    *motest.Server
	hs     *httptest.Server
	data   *motest.Clock
	events *motest.Clock
}

func startEventFake(t testing.TB, size motest.Size, delay time.Duration) *eventFake {
	t.Helper()
	ds := motest.Generate(size, 1)
	f := &eventFake{ds: ds, data: motest.NewClock(ds.Today.Add(10 * time.Hour)), events: motest.NewClock(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC))}
	f.srv = motest.NewServer(ds, motest.Options{Now: f.data.Now, EventNow: f.events.Now, EventRetryDelay: delay,
		RequireAuth: true, ClientID: clientID, ClientSecret: clientSecret, SessionTokens: []string{samlToken}})
	f.hs = httptest.NewServer(f.srv)
	t.Cleanup(f.hs.Close)
	return f
}

func (f *eventFake) client(t testing.TB, edit func(*mo.Config)) *mo.Client {
	t.Helper()
	cfg := mo.Config{ServiceURL: f.hs.URL + "/service", ClientID: clientID, ClientSecret: clientSecret,
		TopUnitUUID: f.ds.TopUnitUUID, Now: f.data.Now, Timeout: 20 * time.Second, RetryBackoff: 5 * time.Millisecond}
	if edit != nil {
		edit(&cfg)
	}
	c, err := mo.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

// declare declares the watch listeners and returns them by routing key.
func declare(t testing.TB, c *mo.Client) map[string]engine.MOListener {
	t.Helper()
	ls, err := c.DeclareListeners(context.Background(), prefix, watchKeys)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]engine.MOListener{}
	for _, l := range ls {
		out[l.RoutingKey] = l
	}
	return out
}

// drain fetches and acknowledges every ready event of a listener.
func drain(t testing.TB, c *mo.Client, listener string) []string {
	t.Helper()
	ctx := context.Background()
	var out []string
	for {
		e, err := c.FetchEvent(ctx, listener)
		if err != nil {
			t.Fatal(err)
		}
		if e == nil {
			slices.Sort(out)
			return out
		}
		out = append(out, e.Subject)
		if err := c.AckEvent(ctx, e.Token); err != nil {
			t.Fatal(err)
		}
	}
}

func pending(t testing.TB, c *mo.Client) map[string]int {
	t.Helper()
	ls, err := c.Listeners(context.Background(), prefix)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	for _, l := range ls {
		out[l.RoutingKey] = l.Pending
	}
	return out
}

func TestDeclareListenersIsIdempotent(t *testing.T) {
	f := startEventFake(t, motest.SizeDemo, 0)
	c := f.client(t, nil)
	first, err := c.DeclareListeners(context.Background(), prefix, watchKeys)
	if err != nil {
		t.Fatal(err)
	}
	again, err := f.client(t, nil).DeclareListeners(context.Background(), prefix, watchKeys)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(first, again) {
		t.Errorf("second declaration differs:\n%v\n%v", first, again)
	}
	for i, l := range first {
		if l.RoutingKey != watchKeys[i] || l.UserKey != prefix+watchKeys[i] || l.Pending != -1 {
			t.Errorf("listener %d: %+v", i, l)
		}
	}
	if _, err := c.DeclareListeners(context.Background(), "other-", []string{"person"}); err != nil {
		t.Fatal(err)
	}
	ls, err := c.Listeners(context.Background(), prefix)
	if err != nil {
		t.Fatal(err)
	}
	if len(ls) != len(watchKeys) {
		t.Errorf("Listeners(%q): %d, want %d (not the other prefix's)", prefix, len(ls), len(watchKeys))
	}
	for _, l := range ls {
		if l.Pending != 0 {
			t.Errorf("%s: pending %d, want 0", l.UserKey, l.Pending)
		}
	}
	if owners := f.srv.Listeners(); owners[0].Owner != motest.ActorOf(clientID) {
		t.Errorf("owner %s, want the client's actor %s", owners[0].Owner, motest.ActorOf(clientID))
	}
}

func TestFetchAckAndWritesEmit(t *testing.T) {
	f := startEventFake(t, motest.SizeDemo, 0)
	c := f.client(t, nil)
	ls := declare(t, c)
	ctx := context.Background()
	if e, err := c.FetchEvent(ctx, ls["ituser"].UUID); err != nil || e != nil {
		t.Fatalf("fetch before any change: %v, %v; want nil, nil", e, err)
	}
	// A write through the client emits, as a write in MO does.
	it := f.ds.ITUsers[0]
	if err := c.UpdateITUser(ctx, engine.ITUserWrite{UUID: it.UUID, UserKey: "fornyet", Validity: engine.Validity{From: f.ds.Today}}); err != nil {
		t.Fatal(err)
	}
	phone := f.ds.ClassByUserKey(motest.FacetEmployeeAddressType, "BrugerTelefon").UUID
	addr, err := c.CreateAddress(ctx, engine.AddressWrite{PersonUUID: it.PersonUUID, TypeUUID: phone, Value: "+4587654321", Validity: engine.Validity{From: f.ds.Today}})
	if err != nil {
		t.Fatal(err)
	}
	if got := pending(t, c); got["ituser"] != 1 || got["address"] != 1 || got["person"] != 0 {
		t.Errorf("pending %v, want one ituser and one address event", got)
	}
	for _, tc := range []struct{ key, subject string }{{"ituser", it.UUID}, {"address", addr}} {
		e, err := c.FetchEvent(ctx, ls[tc.key].UUID)
		if err != nil {
			t.Fatal(err)
		}
		if e == nil || e.Subject != tc.subject || e.RoutingKey != tc.key || e.Listener != ls[tc.key].UUID || e.Priority != motest.DefaultEventPriority || e.Token == "" {
			t.Fatalf("%s: fetched %+v, want subject %s", tc.key, e, tc.subject)
		}
		if again, err := c.FetchEvent(ctx, ls[tc.key].UUID); err != nil || again != nil {
			t.Errorf("%s: second fetch %+v, %v; want nil (one event)", tc.key, again, err)
		}
		if err := c.AckEvent(ctx, e.Token); err != nil {
			t.Fatal(err)
		}
		if err := c.AckEvent(ctx, e.Token); err != nil {
			t.Errorf("a second ack of the same token: %v, want nil (MO accepts it)", err)
		}
	}
	if got := pending(t, c); got["ituser"] != 0 || got["address"] != 0 {
		t.Errorf("pending after acks: %v", got)
	}
}

func TestUnacknowledgedEventIsRedelivered(t *testing.T) {
	const delay = 30 * time.Second
	f := startEventFake(t, motest.SizeDemo, delay)
	c := f.client(t, nil)
	l := declare(t, c)["person"].UUID
	ctx := context.Background()
	p := f.ds.People[0].UUID
	if err := f.srv.RenamePerson(p, "Gen", "Levering"); err != nil {
		t.Fatal(err)
	}
	first, err := c.FetchEvent(ctx, l)
	if err != nil || first == nil || first.Subject != p {
		t.Fatalf("first fetch: %+v, %v", first, err)
	}
	for _, tc := range []struct {
		advance time.Duration
		want    bool
	}{{0, false}, {delay - time.Second, false}, {2 * time.Second, true}} {
		f.events.Advance(tc.advance)
		e, err := c.FetchEvent(ctx, l)
		if err != nil {
			t.Fatal(err)
		}
		if (e != nil) != tc.want || (e != nil && e.Subject != p) {
			t.Fatalf("+%v after the fetch: %+v, want redelivered = %v", tc.advance, e, tc.want)
		}
		if e != nil {
			if err := c.AckEvent(ctx, e.Token); err != nil {
				t.Fatal(err)
			}
		}
	}
	f.events.Advance(time.Hour)
	if e, _ := c.FetchEvent(ctx, l); e != nil {
		t.Errorf("acknowledged event came back: %+v", e)
	}
}

func TestDuplicateEventsMerge(t *testing.T) {
	f := startEventFake(t, motest.SizeDemo, time.Minute)
	c := f.client(t, nil)
	l := declare(t, c)["person"].UUID
	ctx := context.Background()
	p := f.ds.People[1].UUID
	for _, name := range []string{"A", "B", "C"} {
		if err := f.srv.RenamePerson(p, name, "Dublet"); err != nil {
			t.Fatal(err)
		}
	}
	if got := pending(t, c)["person"]; got != 1 {
		t.Fatalf("three edits: %d pending, want 1", got)
	}
	e, err := c.FetchEvent(ctx, l)
	if err != nil || e == nil {
		t.Fatalf("fetch: %+v, %v", e, err)
	}
	// An edit while the event is handled: the old token's ack keeps it.
	if err := f.srv.RenamePerson(p, "D", "Dublet"); err != nil {
		t.Fatal(err)
	}
	if err := c.AckEvent(ctx, e.Token); err != nil {
		t.Fatal(err)
	}
	again, err := c.FetchEvent(ctx, l)
	if err != nil || again == nil || again.Subject != p || again.Token == e.Token {
		t.Fatalf("after an edit during handling: %+v, %v; want the event again with a new token", again, err)
	}
	if err := c.AckEvent(ctx, again.Token); err != nil {
		t.Fatal(err)
	}
	if got := pending(t, c)["person"]; got != 0 {
		t.Errorf("pending %d after the last ack", got)
	}
}

// resolveCases finds, in the data set, one object of every kind Resolve
// knows, with the person or unit it must resolve to.
func TestResolveEachRoutingKey(t *testing.T) {
	f := startEventFake(t, motest.SizeDemo, 0)
	d := f.ds
	now := f.data.Now()
	var personEng, endedEng *motest.Engagement
	for i := range d.Engagements {
		e := &d.Engagements[i]
		switch {
		case personEng == nil && e.Validity.ActiveAt(now):
			personEng = e
		case endedEng == nil && !e.Validity.To.IsZero() && !e.Validity.To.After(now):
			endedEng = e
		}
	}
	var personAddr, unitAddr *motest.Address
	for i := range d.Addresses {
		a := &d.Addresses[i]
		if personAddr == nil && a.PersonUUID != "" {
			personAddr = a
		}
		if unitAddr == nil && a.UnitUUID != "" {
			unitAddr = a
		}
	}
	var personIT, unitIT *motest.ITUser
	for i := range d.ITUsers {
		it := &d.ITUsers[i]
		if personIT == nil && it.PersonUUID != "" {
			personIT = it
		}
		if unitIT == nil && it.UnitUUID != "" {
			unitIT = it
		}
	}
	var mgr *motest.Manager
	for i := range d.Managers {
		if d.Managers[i].PersonUUID != "" {
			mgr = &d.Managers[i]
			break
		}
	}
	if personEng == nil || endedEng == nil || personAddr == nil || unitAddr == nil || personIT == nil || unitIT == nil || mgr == nil {
		t.Fatal("the data set lacks an object the test needs")
	}
	// A terminated engagement: end a current one in the past (MO keeps it).
	terminated := d.Engagements[len(d.Engagements)-1]
	if err := f.srv.EndEngagement(terminated.UUID, d.Today.AddDate(0, 0, -30)); err != nil {
		t.Fatal(err)
	}
	unknown := "0badc0de-0000-4000-8000-000000000000"
	c := f.client(t, nil)
	for _, tc := range []struct {
		name, key string
		subjects  []string
		want      engine.Subjects
	}{
		{"person", "person", []string{personEng.PersonUUID, "not-a-uuid"}, engine.Subjects{People: []string{personEng.PersonUUID}}},
		{"engagement", "engagement", []string{personEng.UUID, unknown}, engine.Subjects{People: []string{personEng.PersonUUID}}},
		{"ended engagement", "engagement", []string{endedEng.UUID}, engine.Subjects{People: []string{endedEng.PersonUUID}}},
		{"terminated engagement", "engagement", []string{terminated.UUID}, engine.Subjects{People: []string{terminated.PersonUUID}}},
		{"address of a person", "address", []string{personAddr.UUID}, engine.Subjects{People: []string{personAddr.PersonUUID}}},
		{"address of a unit", "address", []string{unitAddr.UUID}, engine.Subjects{Units: []string{unitAddr.UnitUUID}}},
		{"ituser of a person", "ituser", []string{personIT.UUID}, engine.Subjects{People: []string{personIT.PersonUUID}}},
		{"ituser of a unit", "ituser", []string{unitIT.UUID}, engine.Subjects{Units: []string{unitIT.UnitUUID}}},
		{"manager", "manager", []string{mgr.UUID}, engine.Subjects{People: []string{mgr.PersonUUID}, Units: []string{mgr.UnitUUID}}},
		{"org_unit", "org_unit", []string{unitAddr.UnitUUID, unitAddr.UnitUUID}, engine.Subjects{Units: []string{unitAddr.UnitUUID}}},
		{"unknown object", "ituser", []string{unknown}, engine.Subjects{}},
		{"class", "class", []string{personEng.JobFunctionUUID}, engine.Subjects{Full: true}},
		{"association", "association", []string{unknown}, engine.Subjects{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := c.Resolve(context.Background(), tc.key, tc.subjects)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Resolve(%s, %v) = %+v, want %+v", tc.key, tc.subjects, got, tc.want)
			}
		})
	}
	// Batched: all engagements of the data set in one call, PageSize 100.
	small := f.client(t, func(c *mo.Config) { c.PageSize = 100 })
	var all []string
	want := map[string]bool{}
	for _, e := range d.Engagements {
		all = append(all, e.UUID)
		want[e.PersonUUID] = true
	}
	before := small.Requests()
	got, err := small.Resolve(context.Background(), "engagement", all)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.People) != len(want) {
		t.Errorf("batched: %d people, want %d", len(got.People), len(want))
	}
	if n, chunks := small.Requests()-before, int64((len(all)+99)/100); n != chunks {
		t.Errorf("batched resolve of %d engagements: %d requests, want %d", len(all), n, chunks)
	}
}

func TestRefreshEmitsForAll(t *testing.T) {
	f := startEventFake(t, motest.SizeDemo, 0)
	c := f.client(t, func(c *mo.Config) { c.PageSize = 50 })
	if _, err := c.Refresh(context.Background(), "person", nil); engine.KindOf(err) != engine.KindInvalid {
		t.Errorf("refresh before declaring: %v, want KindInvalid", err)
	}
	ls := declare(t, c)
	now := f.data.Now()
	for _, tc := range []struct {
		key  string
		want int
	}{
		{"person", count(f.ds.People, func(p motest.Person) bool { return p.Validity.ActiveAt(now) })},
		{"org_unit", count(f.ds.Units, func(u motest.Unit) bool { return u.Validity.ActiveAt(now) })},
	} {
		n, err := c.Refresh(context.Background(), tc.key, nil)
		if err != nil {
			t.Fatal(err)
		}
		if n != tc.want {
			t.Errorf("%s: refresh named %d, want %d", tc.key, n, tc.want)
		}
		if got := drain(t, c, ls[tc.key].UUID); len(got) != tc.want {
			t.Errorf("%s: %d events, want %d", tc.key, len(got), tc.want)
		}
	}
	n, err := c.Refresh(context.Background(), "person", []string{f.ds.People[0].UUID})
	if err != nil || n != 1 || !slices.Equal(drain(t, c, ls["person"].UUID), []string{f.ds.People[0].UUID}) {
		t.Errorf("refresh of one person: %d, %v", n, err)
	}
}

func count[T any](s []T, ok func(T) bool) int {
	n := 0
	for _, v := range s {
		if ok(v) {
			n++
		}
	}
	return n
}

// TestPartialEqualsSnapshot reads a sample of people and units by Partial
// and checks each equals the full snapshot's, by GraphQL v29 and v22
// (inclusive dates, the organisation as a root's parent).
func TestPartialEqualsSnapshot(t *testing.T) {
	f := startEventFake(t, motest.SizeDemo, 0)
	ctx := context.Background()
	for _, version := range []int{29, 22} {
		t.Run("v"+string(rune('0'+version/10))+string(rune('0'+version%10)), func(t *testing.T) {
			c := f.client(t, func(c *mo.Config) { c.GraphQLVersion = version; c.PageSize = 40 })
			snap, err := c.Snapshot(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var people, units []string
			for i, p := range snap.People {
				if i%3 == 0 {
					people = append(people, p.UUID)
				}
			}
			for i, u := range snap.Units {
				if i%2 == 0 || u.ParentUUID == "" {
					units = append(units, u.UUID)
				}
			}
			// Not in the snapshot: an unknown person, an ended unit, a
			// unit outside the top unit.
			unknown := "0badc0de-0000-4000-8000-000000000001"
			inSnap := map[string]bool{}
			for _, u := range snap.Units {
				inSnap[u.UUID] = true
			}
			var outside []string
			for _, u := range f.ds.Units {
				if !inSnap[u.UUID] {
					outside = append(outside, u.UUID)
				}
			}
			if len(outside) < 2 {
				t.Fatalf("want units outside the snapshot, have %d", len(outside))
			}
			part, err := c.Partial(ctx, append(people, unknown), append(units, outside...))
			if err != nil {
				t.Fatal(err)
			}
			byUUID := map[string]engine.Person{}
			for _, p := range snap.People {
				byUUID[p.UUID] = p
			}
			if len(part.People) != len(people) {
				t.Errorf("%d people, want %d", len(part.People), len(people))
			}
			for _, p := range part.People {
				if want := byUUID[p.UUID]; !reflect.DeepEqual(p, want) {
					t.Errorf("person %s:\n got %+v\nwant %+v", p.UUID, p, want)
				}
			}
			units2 := map[string]engine.Unit{}
			for _, u := range snap.Units {
				units2[u.UUID] = u
			}
			if len(part.Units) != len(units) {
				t.Errorf("%d units, want %d", len(part.Units), len(units))
			}
			for _, u := range part.Units {
				if want := units2[u.UUID]; !reflect.DeepEqual(u, want) {
					t.Errorf("unit %s:\n got %+v\nwant %+v", u.UUID, u, want)
				}
			}
			if !slices.Equal(part.MissingPeople, []string{unknown}) {
				t.Errorf("missing people %v, want [%s]", part.MissingPeople, unknown)
			}
			slices.Sort(outside)
			if !slices.Equal(part.MissingUnits, outside) {
				t.Errorf("missing units %v, want %v", part.MissingUnits, outside)
			}
			if !part.ReadAt.Equal(snap.ReadAt) {
				t.Errorf("read at %v, want %v", part.ReadAt, snap.ReadAt)
			}
		})
	}
}

// TestPartialSeesChanges: after an edit, Partial shows the new state (the
// kept classes do not hide a change of the objects).
func TestPartialSeesChanges(t *testing.T) {
	f := startEventFake(t, motest.SizeDemo, 0)
	c := f.client(t, nil)
	ctx := context.Background()
	var eng motest.Engagement
	for _, e := range f.ds.Engagements {
		if e.Validity.ActiveAt(f.data.Now()) {
			eng = e
			break
		}
	}
	if _, err := c.Partial(ctx, []string{eng.PersonUUID}, nil); err != nil {
		t.Fatal(err)
	}
	if err := f.srv.SetJobFunction(eng.UUID, "Specialkonsulent"); err != nil {
		t.Fatal(err)
	}
	if err := f.srv.RenamePerson(eng.PersonUUID, "Ny", "Titel"); err != nil {
		t.Fatal(err)
	}
	part, err := c.Partial(ctx, []string{eng.PersonUUID}, nil)
	if err != nil {
		t.Fatal(err)
	}
	p := part.People[0]
	var job string
	for _, e := range p.Engagements {
		if e.UUID == eng.UUID {
			job = e.JobFunction
		}
	}
	if p.GivenName != "Ny" || job != "Specialkonsulent" {
		t.Errorf("after the edit: %s, job %q", p.Name(), job)
	}
}

// TestRequestsPerEvent counts the requests to resolve one engagement event
// and read its person: at most 3, cold (the classes are read too) or warm.
func TestRequestsPerEvent(t *testing.T) {
	f := startEventFake(t, motest.SizeDemo, 0)
	c := f.client(t, nil)
	ctx := context.Background()
	e := f.ds.Engagements[10]
	for _, tc := range []struct {
		name string
		max  int64
	}{{"cold", 3}, {"warm", 2}} {
		before := c.Requests()
		s, err := c.Resolve(ctx, "engagement", []string{e.UUID})
		if err != nil {
			t.Fatal(err)
		}
		part, err := c.Partial(ctx, s.People, s.Units)
		if err != nil {
			t.Fatal(err)
		}
		if len(part.People) != 1 || part.People[0].UUID != e.PersonUUID {
			t.Fatalf("%s: read %+v", tc.name, part.People)
		}
		if n := c.Requests() - before; n > tc.max {
			t.Errorf("%s: %d requests to resolve and read one person, want ≤ %d", tc.name, n, tc.max)
		}
	}
	// A class event drops the kept classes: the next read asks again.
	if s, err := c.Resolve(ctx, "class", []string{e.JobFunctionUUID}); err != nil || !s.Full {
		t.Fatalf("class: %+v, %v", s, err)
	}
	before := c.Requests()
	if _, err := c.Partial(ctx, []string{e.PersonUUID}, nil); err != nil {
		t.Fatal(err)
	}
	if n := c.Requests() - before; n != 2 {
		t.Errorf("after a class event: %d requests, want 2 (classes again, people)", n)
	}
}

func TestFutureDatedObjectEmitsOnItsStart(t *testing.T) {
	f := startEventFake(t, motest.SizeDemo, 0)
	c := f.client(t, nil)
	ls := declare(t, c)
	start := f.ds.Today.AddDate(0, 0, 14)
	person, eng, err := f.srv.Hire(motest.Hire{GivenName: "Fremtidig", Surname: "Ansat", UnitUUID: f.ds.TopUnitUUID, From: start})
	if err != nil {
		t.Fatal(err)
	}
	if got := drain(t, c, ls["engagement"].UUID); !slices.Equal(got, []string{eng}) {
		t.Fatalf("at the hire: %v", got)
	}
	drain(t, c, ls["person"].UUID)
	f.data.Set(start.Add(time.Hour))
	if got := drain(t, c, ls["engagement"].UUID); !slices.Contains(got, eng) {
		t.Errorf("on the start date: %v, want %s among them", got, eng)
	}
	if got := drain(t, c, ls["person"].UUID); !slices.Contains(got, person) {
		t.Errorf("on the start date: people %v, want %s among them", got, person)
	}
	s, err := c.Resolve(context.Background(), "engagement", []string{eng})
	if err != nil || !slices.Equal(s.People, []string{person}) {
		t.Errorf("resolve: %+v, %v", s, err)
	}
}

func TestDeletedListenerIsNotFound(t *testing.T) {
	f := startEventFake(t, motest.SizeDemo, 0)
	c := f.client(t, nil)
	ls := declare(t, c)
	if !f.srv.DeleteListener(ls["person"].UUID) {
		t.Fatal("fake: no such listener")
	}
	_, err := c.FetchEvent(context.Background(), ls["person"].UUID)
	if engine.KindOf(err) != engine.KindNotFound {
		t.Fatalf("fetch on a deleted listener: %v, want KindNotFound", err)
	}
	if e, err := c.FetchEvent(context.Background(), ls["address"].UUID); err != nil || e != nil {
		t.Errorf("another listener: %+v, %v", e, err)
	}
	again := declare(t, c)
	if again["person"].UUID == ls["person"].UUID || again["address"].UUID != ls["address"].UUID {
		t.Errorf("re-declared: person %s (was %s), address %s (was %s)", again["person"].UUID, ls["person"].UUID, again["address"].UUID, ls["address"].UUID)
	}
}

func TestContinuousModeNeedsGraphQL(t *testing.T) {
	f := startEventFake(t, motest.SizeDemo, 0)
	c := f.client(t, func(c *mo.Config) { c.API = mo.APIREST; c.ClientID, c.ClientSecret, c.SAMLToken = "", "", samlToken })
	ctx := context.Background()
	calls := map[string]func() error{
		"DeclareListeners": func() error { _, err := c.DeclareListeners(ctx, prefix, watchKeys); return err },
		"FetchEvent":       func() error { _, err := c.FetchEvent(ctx, "0badc0de-0000-4000-8000-000000000000"); return err },
		"AckEvent":         func() error { return c.AckEvent(ctx, "dG9rZW4=") },
		"Listeners":        func() error { _, err := c.Listeners(ctx, prefix); return err },
		"Resolve":          func() error { _, err := c.Resolve(ctx, "person", []string{f.ds.People[0].UUID}); return err },
		"Partial":          func() error { _, err := c.Partial(ctx, []string{f.ds.People[0].UUID}, nil); return err },
	}
	for name, call := range calls {
		err := call()
		var ee *engine.Error
		if !errors.As(err, &ee) || ee.Kind != engine.KindInvalid || !strings.Contains(err.Error(), "the continuous mode needs OS2MO's GraphQL API") {
			t.Errorf("%s on REST: %v, want KindInvalid naming the GraphQL API", name, err)
		}
	}
	if n := c.Requests(); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}
