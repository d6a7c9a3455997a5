package motest

import (
	"fmt"
	"net/http"
	"slices"
	"testing"
	"time"
)

// eventWorld is a fake with controllable clocks and a GraphQL URL.
type eventWorld struct {
	t      *testing.T
	d      *Dataset
	s      *Server
	url    string
	base   string
	data   *Clock // Options.Now
	events *Clock // Options.EventNow
}

func newEventWorld(t *testing.T, delay time.Duration) *eventWorld {
	t.Helper()
	d := Generate(SizeDemo, 1)
	w := &eventWorld{t: t, d: d, data: NewClock(d.Today.Add(10 * time.Hour)), events: NewClock(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC))}
	w.s = NewServer(d, Options{Now: w.data.Now, EventNow: w.events.Now, EventRetryDelay: delay})
	hs := w.s.Start()
	t.Cleanup(hs.Close)
	w.base, w.url = hs.URL, hs.URL+"/graphql/v29"
	return w
}

// gql runs a document and fails the test on GraphQL errors.
func (w *eventWorld) gql(query string, vars map[string]any, header ...string) gqlResult {
	w.t.Helper()
	r := postGQL(w.t, w.url, query, vars, header...)
	if len(r.Errors) > 0 {
		w.t.Fatalf("%s: %s", query, r.raw)
	}
	return r
}

func (w *eventWorld) declare(userKey, routingKey string, header ...string) (id, owner string) {
	w.t.Helper()
	r := w.gql(`mutation($in: ListenerCreateInput!) { event_listener_declare(input: $in) { uuid owner user_key routing_key } }`,
		map[string]any{"in": map[string]any{"user_key": userKey, "routing_key": routingKey}}, header...)
	l := dig(r.Data, "event_listener_declare")
	if dig(l, "user_key") != userKey || dig(l, "routing_key") != routingKey {
		w.t.Fatalf("declare: %s", r.raw)
	}
	return dig(l, "uuid").(string), dig(l, "owner").(string)
}

// fetch returns the subject and token of one event, or "", "".
func (w *eventWorld) fetch(listener string, header ...string) (subject, token string) {
	w.t.Helper()
	r := w.gql(`query($l: UUID!) { event_fetch(filter: {listener: $l}) { subject priority token } }`, map[string]any{"l": listener}, header...)
	e := dig(r.Data, "event_fetch")
	if e == nil {
		return "", ""
	}
	if dig(e, "priority") != float64(DefaultEventPriority) {
		w.t.Errorf("priority %v, want %d", dig(e, "priority"), DefaultEventPriority)
	}
	return dig(e, "subject").(string), dig(e, "token").(string)
}

func (w *eventWorld) ack(token string) {
	w.t.Helper()
	r := w.gql(`mutation($t: EventToken!) { event_acknowledge(input: {token: $t}) }`, map[string]any{"t": token})
	if dig(r.Data, "event_acknowledge") != true {
		w.t.Fatalf("ack: %s", r.raw)
	}
}

// drain fetches and acknowledges every ready event and returns the
// subjects.
func (w *eventWorld) drain(listener string) []string {
	w.t.Helper()
	var out []string
	for i := 0; i < 100000; i++ {
		s, tok := w.fetch(listener)
		if s == "" {
			slices.Sort(out)
			return out
		}
		out = append(out, s)
		w.ack(tok)
	}
	w.t.Fatal("drain: no end")
	return nil
}

func (w *eventWorld) updateITUser(id, userKey string) {
	w.t.Helper()
	w.gql(`mutation($in: ITUserUpdateInput!) { ituser_update(input: $in) { uuid } }`,
		map[string]any{"in": map[string]any{"uuid": id, "user_key": userKey, "validity": map[string]any{"from": w.d.Today.Format("2006-01-02")}}})
}

func TestEventListenerDeclareIsIdempotent(t *testing.T) {
	w := newEventWorld(t, 0)
	a, owner := w.declare("moxsync-person", "person")
	if owner != DefaultActor {
		t.Errorf("owner %s, want the default actor %s", owner, DefaultActor)
	}
	for _, tc := range []struct {
		name, userKey, routingKey string
		header                    []string
		same                      bool
	}{
		{"again", "moxsync-person", "person", nil, true},
		{"other user key", "moxsync-person-2", "person", nil, false},
		{"other owner", "moxsync-person", "person", []string{"Authorization", "Bearer other-integration"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, _ := w.declare(tc.userKey, tc.routingKey, tc.header...)
			if (a == b) != tc.same {
				t.Errorf("uuid %s after %s; same = %v, want %v", b, a, a == b, tc.same)
			}
		})
	}
	r := postGQL(t, w.url, `mutation { event_listener_declare(input: {user_key: "moxsync-person", routing_key: "engagement"}) { uuid } }`, nil)
	if len(r.Errors) == 0 {
		t.Errorf("same user key, other routing key: want an error, got %s", r.raw)
	}
	r = postGQL(t, w.url, `mutation { event_listener_declare(input: {namespace: "nope", user_key: "x", routing_key: "person"}) { uuid } }`, nil)
	if len(r.Errors) == 0 {
		t.Errorf("unknown namespace: want an error, got %s", r.raw)
	}
}

func TestEventFetchOneOrNull(t *testing.T) {
	w := newEventWorld(t, 0)
	it, _ := w.declare("it", "ituser")
	addr, _ := w.declare("addr", "address")
	if s, _ := w.fetch(it); s != "" {
		t.Fatalf("fetch before any write: %s, want null", s)
	}
	// A GraphQL write emits for the IT user; a REST write for the address.
	ituser := w.d.ITUsers[0].UUID
	w.updateITUser(ituser, "renamed")
	a := w.d.Addresses[0]
	code, _ := postJSON(t, w.base+"/service/details/edit", map[string]any{"type": "address", "uuid": a.UUID,
		"data": map[string]any{"value": "ny@example.org", "address_type": map[string]any{"uuid": a.AddressTypeUUID},
			"validity": map[string]any{"from": w.d.Today.Format("2006-01-02")}}}, "")
	if code != http.StatusOK {
		t.Fatalf("REST edit: %d", code)
	}
	for _, tc := range []struct {
		listener, want string
	}{{it, ituser}, {addr, a.UUID}} {
		s, tok := w.fetch(tc.listener)
		if s != tc.want {
			t.Errorf("fetch: subject %q, want %q", s, tc.want)
		}
		if again, _ := w.fetch(tc.listener); again != "" {
			t.Errorf("second fetch: %q, want null (one event per write)", again)
		}
		w.ack(tok)
	}
	// Nobody else's listener is served.
	if s, _ := w.fetch(it, "Authorization", "Bearer someone-else"); s != "" {
		t.Errorf("another owner fetched %q", s)
	}
}

func TestEventRedelivery(t *testing.T) {
	const delay = 30 * time.Second
	w := newEventWorld(t, delay)
	l, _ := w.declare("it", "ituser")
	id := w.d.ITUsers[1].UUID
	w.updateITUser(id, "x1")
	s, tok := w.fetch(l)
	if s != id {
		t.Fatalf("first fetch %q, want %q", s, id)
	}
	for _, tc := range []struct {
		advance time.Duration
		want    string
	}{
		{0, ""},
		{delay - time.Second, ""},
		{2 * time.Second, id}, // delay+1 s after the fetch
	} {
		w.events.Advance(tc.advance)
		got, newTok := w.fetch(l)
		if got != tc.want {
			t.Fatalf("after +%v: fetched %q, want %q", tc.advance, got, tc.want)
		}
		if got != "" {
			if newTok != tok {
				t.Errorf("redelivered token differs; an unchanged event keeps its token")
			}
			tok = newTok
		}
	}
	w.ack(tok)
	w.events.Advance(time.Hour)
	if got, _ := w.fetch(l); got != "" {
		t.Errorf("acknowledged event came back: %q", got)
	}
	// Backoff grows as MO's: after 8 tries the wait is 2^8 s > 30 s.
	if got := w.s.ev.backoff(8); got != 256*time.Second {
		t.Errorf("backoff(8) = %v, want 256s", got)
	}
	if got := w.s.ev.backoff(40); got != maxEventBackoff {
		t.Errorf("backoff(40) = %v, want %v", got, maxEventBackoff)
	}
}

func TestEventDeduplication(t *testing.T) {
	w := newEventWorld(t, time.Minute)
	l, _ := w.declare("it", "ituser")
	id := w.d.ITUsers[2].UUID
	for i := 0; i < 3; i++ {
		w.updateITUser(id, fmt.Sprint("dup", i))
	}
	if got := w.s.Listeners()[0].Pending; !slices.Equal(got, []string{id}) {
		t.Fatalf("pending after three writes: %v, want one event", got)
	}
	s, oldTok := w.fetch(l)
	if s != id {
		t.Fatalf("fetch %q", s)
	}
	// A write while the event is being handled merges into it: the old
	// token no longer acknowledges it, and it is ready again at once.
	w.updateITUser(id, "dup-late")
	w.ack(oldTok)
	s, newTok := w.fetch(l)
	if s != id || newTok == oldTok {
		t.Fatalf("after a merge: fetched %q (token changed: %v), want the event again with a new token", s, newTok != oldTok)
	}
	w.ack(newTok)
	if p := w.s.Listeners()[0].Pending; len(p) != 0 {
		t.Errorf("pending after ack: %v", p)
	}
	r := postGQL(t, w.url, `mutation { event_acknowledge(input: {token: "not-a-token"}) }`, nil)
	if len(r.Errors) == 0 {
		t.Errorf("bad token: want an error, got %s", r.raw)
	}
}

func TestEventCollections(t *testing.T) {
	w := newEventWorld(t, 0)
	it, _ := w.declare("moxsync-ituser", "ituser")
	w.declare("moxsync-person", "person")
	w.declare("theirs", "ituser", "Authorization", "Bearer other")
	for i := 0; i < 3; i++ {
		w.updateITUser(w.d.ITUsers[i].UUID, fmt.Sprint("c", i))
	}
	r := w.gql(`query { event_listeners(filter: {namespaces: {names: ["mo"]}}) { page_info { next_cursor } objects { uuid user_key routing_key owner namespace { name public } events { subject priority silenced } } } }`, nil)
	objs, _ := dig(r.Data, "event_listeners", "objects").([]any)
	counts := map[string]int{}
	for _, o := range objs {
		evs, _ := dig(o, "events").([]any)
		counts[dig(o, "user_key").(string)] = len(evs)
		if dig(o, "namespace", "name") != "mo" {
			t.Errorf("namespace: %v", dig(o, "namespace"))
		}
	}
	// Our events are ours: the other owner's listener got them too, but we
	// do not see them.
	if want := map[string]int{"moxsync-ituser": 3, "moxsync-person": 0, "theirs": 0}; fmt.Sprint(counts) != fmt.Sprint(want) {
		t.Errorf("pending per listener %v, want %v", counts, want)
	}
	// Paged by offset, MO's shape.
	var seen []string
	var cursor any
	for pages := 0; ; pages++ {
		r := w.gql(`query($c: Cursor, $l0: UUID!) { events(filter: {listeners: {uuids: [$l0]}}, limit: 2, cursor: $c) { page_info { next_cursor } objects { subject listener { uuid } } } }`,
			map[string]any{"c": cursor, "l0": it})
		for _, o := range dig(r.Data, "events", "objects").([]any) {
			seen = append(seen, dig(o, "subject").(string))
			if dig(o, "listener", "uuid") != it {
				t.Errorf("listener %v", dig(o, "listener"))
			}
		}
		cursor = dig(r.Data, "events", "page_info", "next_cursor")
		if cursor == nil || pages > 5 {
			break
		}
	}
	if len(seen) != 3 {
		t.Errorf("events pages gave %v, want 3 subjects", seen)
	}
	r = w.gql(`query { event_namespaces { objects { name owner public listeners(filter: {routing_keys: ["person"]}) { user_key } } } }`, nil)
	if ls := dig(r.Data, "event_namespaces", "objects", 0, "listeners").([]any); len(ls) != 1 {
		t.Errorf("namespace listeners: %s", r.raw)
	}
}

func TestRefreshEmitsForAll(t *testing.T) {
	w := newEventWorld(t, 0)
	person, owner := w.declare("p", "person")
	unit, _ := w.declare("u", "org_unit")
	w.declare("other", "person", "Authorization", "Bearer other")
	now := w.data.Now()
	var people, units []string
	for _, p := range w.d.People {
		if p.Validity.ActiveAt(now) {
			people = append(people, p.UUID)
		}
	}
	for _, u := range w.d.Units {
		if u.Validity.ActiveAt(now) {
			units = append(units, u.UUID)
		}
	}
	slices.Sort(people)
	slices.Sort(units)
	for _, tc := range []struct {
		mutation, listener string
		want               []string
	}{
		{"employee_refresh", person, people},
		{"org_unit_refresh", unit, units},
	} {
		t.Run(tc.mutation, func(t *testing.T) {
			r := w.gql(`mutation($o: UUID) { `+tc.mutation+`(owner: $o) { objects page_info { next_cursor } } }`, map[string]any{"o": owner})
			if n := len(dig(r.Data, tc.mutation, "objects").([]any)); n != len(tc.want) {
				t.Errorf("answered %d uuids, want %d", n, len(tc.want))
			}
			if got := w.drain(tc.listener); !slices.Equal(got, tc.want) {
				t.Errorf("events for %d subjects, want %d", len(got), len(tc.want))
			}
		})
	}
	if p := w.s.Listeners()[2].Pending; len(p) != 0 {
		t.Errorf("another owner's listener got %d refresh events", len(p))
	}
	r := postGQL(t, w.url, `mutation { employee_refresh { objects } }`, nil)
	if len(r.Errors) == 0 {
		t.Errorf("refresh without owner: want MO's error, got %s", r.raw)
	}
	// Paged: limit 5 answers 5 uuids and a cursor, and emits for those 5.
	r = w.gql(`mutation($o: UUID) { employee_refresh(owner: $o, limit: 5) { objects page_info { next_cursor } } }`, map[string]any{"o": owner})
	if dig(r.Data, "employee_refresh", "page_info", "next_cursor") == nil || len(w.drain(person)) != 5 {
		t.Errorf("paged refresh: %s", r.raw)
	}
}

func TestEventsForFutureObjects(t *testing.T) {
	w := newEventWorld(t, 0)
	eng, _ := w.declare("e", "engagement")
	now := w.data.Now()
	var future, ending []string
	var firstStart time.Time
	for _, e := range w.d.Engagements {
		if e.Validity.From.After(now) && (firstStart.IsZero() || e.Validity.From.Before(firstStart)) {
			firstStart = e.Validity.From
		}
	}
	if firstStart.IsZero() {
		t.Fatal("no future engagement in the data")
	}
	for _, e := range w.d.Engagements {
		if e.Validity.From.Equal(firstStart) {
			future = append(future, e.UUID)
		}
		if !e.Validity.To.IsZero() && e.Validity.To.After(now) && !e.Validity.To.After(firstStart) {
			ending = append(ending, e.UUID)
		}
	}
	if got := w.drain(eng); len(got) != 0 {
		t.Fatalf("events before the clock moved: %v", got)
	}
	w.data.Set(firstStart.Add(-time.Millisecond))
	if got := w.drain(eng); !slices.Equal(got, sortedUnique(ending, nil)) {
		t.Errorf("just before the first start: %d events, want the %d that ended meanwhile", len(got), len(ending))
	}
	w.data.Set(firstStart)
	if got := w.drain(eng); !slices.Equal(got, sortedUnique(future, nil)) {
		t.Errorf("at the first start: events %v, want %v", got, future)
	}
	// A write with a future start emits now and again on its start.
	it, _ := w.declare("it", "ituser")
	id := w.d.ITUsers[5].UUID
	start := w.data.Now().AddDate(0, 0, 10)
	w.gql(`mutation($in: ITUserUpdateInput!) { ituser_update(input: $in) { uuid } }`,
		map[string]any{"in": map[string]any{"uuid": id, "user_key": "later", "validity": map[string]any{"from": start.Format(time.RFC3339)}}})
	if got := w.drain(it); !slices.Equal(got, []string{id}) {
		t.Fatalf("write: %v", got)
	}
	w.data.Set(start)
	if n := w.s.Tick(); n == 0 {
		t.Errorf("Tick at the write's start emitted nothing")
	}
	// (other IT users whose validity starts or ends in those ten days
	// come too)
	if got := w.drain(it); !slices.Contains(got, id) {
		t.Errorf("at the write's start: %v, want %s among them", got, id)
	}
}

func sortedUnique(a, b []string) []string {
	out := append(append([]string(nil), a...), b...)
	slices.Sort(out)
	return slices.Compact(out)
}

func TestEditEmitsAsMO(t *testing.T) {
	w := newEventWorld(t, 0)
	keys := []string{"person", "engagement", "address", "org_unit", "ituser", "manager"}
	ls := map[string]string{}
	for _, k := range keys {
		ls[k], _ = w.declare("l-"+k, k)
	}
	d := w.d
	var eng *Engagement
	for i := range d.Engagements {
		if d.Engagements[i].Validity.ActiveAt(w.data.Now()) {
			eng = &d.Engagements[i]
			break
		}
	}
	engID, personID := eng.UUID, eng.PersonUUID
	unit, parent := d.Units[5].UUID, d.TopUnitUUID
	phone := d.ClassByUserKey(FacetEmployeeAddressType, "BrugerTelefon").UUID
	var hired, hiredEng, addr string
	for _, tc := range []struct {
		name string
		edit func() error
		want map[string][]string // routing key -> subjects (nil: resolved after the edit)
	}{
		{"rename", func() error { return w.s.RenamePerson(personID, "Ny", "Navnesen") }, map[string][]string{"person": {personID}}},
		{"title", func() error { return w.s.SetJobFunction(engID, "Specialkonsulent") }, map[string][]string{"engagement": {engID}}},
		{"leaver", func() error { return w.s.EndEngagement(engID, d.Today.AddDate(0, 1, 0)) }, map[string][]string{"engagement": {engID}}},
		{"hire", func() (err error) {
			hired, hiredEng, err = w.s.Hire(Hire{GivenName: "Nye", Surname: "Ansat", UnitUUID: unit})
			return err
		}, nil},
		{"phone", func() (err error) {
			addr, err = w.s.AddAddress(Address{PersonUUID: personID, Value: "+4512345678", AddressTypeUUID: phone})
			return err
		}, nil},
		{"move", func() error { return w.s.MoveUnit(unit, parent) }, map[string][]string{"org_unit": {unit}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.edit(); err != nil {
				t.Fatal(err)
			}
			want := tc.want
			switch tc.name {
			case "hire":
				want = map[string][]string{"person": {hired}, "engagement": {hiredEng}}
			case "phone":
				want = map[string][]string{"address": {addr}}
			}
			for _, k := range keys {
				if got := w.drain(ls[k]); !slices.Equal(got, sortedUnique(want[k], nil)) {
					t.Errorf("%s: %v, want %v", k, got, want[k])
				}
			}
		})
	}
	if err := w.s.RenamePerson("00000000-0000-0000-0000-000000000001", "x", "y"); err == nil {
		t.Error("rename of an unknown person: no error")
	}
}

func TestDeletedListener(t *testing.T) {
	w := newEventWorld(t, 0)
	l, _ := w.declare("it", "ituser")
	w.updateITUser(w.d.ITUsers[0].UUID, "d1")
	r := postGQL(t, w.url, `mutation($l: UUID!) { event_listener_delete(input: {uuid: $l}) }`, map[string]any{"l": l})
	if len(r.Errors) == 0 {
		t.Fatalf("delete with a pending event: want MO's refusal, got %s", r.raw)
	}
	if !w.s.DeleteListener(l) {
		t.Fatal("DeleteListener: not found")
	}
	if w.s.DeleteListener(l) {
		t.Error("DeleteListener twice: found")
	}
	if s, _ := w.fetch(l); s != "" {
		t.Errorf("fetch on a deleted listener: %q, want null", s)
	}
	r = w.gql(`query($l: UUID!) { event_listeners(filter: {uuids: [$l]}) { objects { uuid } } }`, map[string]any{"l": l})
	if n := len(dig(r.Data, "event_listeners", "objects").([]any)); n != 0 {
		t.Errorf("deleted listener still listed")
	}
	// Declared again, it is a new listener.
	if again, _ := w.declare("it", "ituser"); again == l {
		t.Error("re-declared listener has the deleted one's uuid")
	}
}
