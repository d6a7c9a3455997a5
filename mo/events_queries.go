package mo

import (
	"fmt"
	"strings"
)

// The GraphQL documents of the continuous mode (events.md §1): MO's event
// system, the resolution of event subjects, and the partial reads.

// eventNamespace is the namespace MO's own objects emit events in.
const eventNamespace = "mo"

var (
	// opFetchEvent fetches one event and, in the same request, asks
	// whether the listener still exists: MO answers null for a listener it
	// does not know, as for one without events.
	opFetchEvent = operation{name: "FetchEvent", text: `
query FetchEvent($listener: UUID!) {
  event_fetch(filter: {listener: $listener}) { subject priority token }
  event_listeners(filter: {uuids: [$listener]}) { objects { uuid routing_key } }
}`}

	opAckEvent = operation{name: "AckEvent", mutation: true, text: `
mutation AckEvent($token: EventToken!) { event_acknowledge(input: {token: $token}) }`}

	// opListeners lists the listeners in namespace "mo", with their
	// pending events (only the caller's own events are shown).
	opListeners = operation{name: "Listeners", text: `
query Listeners($limit: int, $cursor: Cursor) {
  event_listeners(limit: $limit, cursor: $cursor, filter: {namespaces: {names: ["` + eventNamespace + `"]}}) {
    page_info { next_cursor }
    objects { uuid owner user_key routing_key events { priority } }
  }
}`}

	opRefreshPeople = operation{name: "RefreshPeople", mutation: true, text: `
mutation RefreshPeople($limit: int, $cursor: Cursor, $owner: UUID, $uuids: [UUID!]) {
  employee_refresh(limit: $limit, cursor: $cursor, owner: $owner, filter: {uuids: $uuids}) {
    page_info { next_cursor }
    objects
  }
}`}

	opRefreshUnits = operation{name: "RefreshUnits", mutation: true, text: `
mutation RefreshUnits($limit: int, $cursor: Cursor, $owner: UUID, $uuids: [UUID!]) {
  org_unit_refresh(limit: $limit, cursor: $cursor, owner: $owner, filter: {uuids: $uuids}) {
    page_info { next_cursor }
    objects
  }
}`}
)

// declareListenersQuery declares n listeners in one request, as fields
// l0..l(n-1), with variables $l0..: ListenerCreateInput.
func declareListenersQuery(n int) operation {
	var params, fields strings.Builder
	for i := 0; i < n; i++ {
		if i > 0 {
			params.WriteString(", ")
		}
		fmt.Fprintf(&params, "$l%d: ListenerCreateInput!", i)
		fmt.Fprintf(&fields, "\n  l%d: event_listener_declare(input: $l%d) { uuid owner user_key routing_key }", i, i)
	}
	return operation{name: "DeclareListeners", mutation: true,
		text: "mutation DeclareListeners(" + params.String() + ") {" + fields.String() + "\n}"}
}

// resolveQuery reads, for the objects of one kind with the given uuids, in
// every validity (a terminated one too), whom they belong to.
func resolveQuery(name, collection string, unit bool) operation {
	owners := "employee_uuid"
	if unit {
		owners += " org_unit_uuid"
	}
	return operation{name: name, text: `
query ` + name + `($limit: int, $cursor: Cursor, $uuids: [UUID!]) {
  ` + collection + `(limit: $limit, cursor: $cursor, filter: {uuids: $uuids, from_date: null, to_date: null}) {
    page_info { next_cursor }
    objects { uuid validities { ` + owners + ` } }
  }
}`}
}

// The resolution documents per routing key (events.md §1's table).
var resolveOps = map[string]struct {
	op         operation
	collection string
	unit       bool // the object may belong to a unit
}{
	"engagement": {resolveQuery("ResolveEngagements", "engagements", false), "engagements", false},
	"address":    {resolveQuery("ResolveAddresses", "addresses", true), "addresses", true},
	"ituser":     {resolveQuery("ResolveITUsers", "itusers", true), "itusers", true},
	"manager":    {resolveQuery("ResolveManagers", "managers", true), "managers", true},
	"leave":      {resolveQuery("ResolveLeaves", "leaves", false), "leaves", false},
}

// The partial reads use the snapshot's own documents with a uuid filter
// added, so that they select exactly the same fields.
const (
	peopleHead   = "query People($limit: int, $cursor: Cursor, $now: DateTime)"
	peopleFilter = "employees(limit: $limit, cursor: $cursor, " + relFilter + ")"
	unitsHead    = "query Units($limit: int, $cursor: Cursor, $now: DateTime)"
	unitsFilter  = "org_units(limit: $limit, cursor: $cursor, filter: {from_date: $now})"
)

// peopleByUUIDQuery is peopleQuery(version) for the people with $uuids.
func peopleByUUIDQuery(version int, extensions ...int) (operation, error) {
	op := peopleQuery(version, extensions...)
	text, err := replaceOnce(op.text, peopleHead, "query PeopleByUUID($limit: int, $cursor: Cursor, $now: DateTime, $uuids: [UUID!])")
	if err == nil {
		text, err = replaceOnce(text, peopleFilter, "employees(limit: $limit, cursor: $cursor, filter: {uuids: $uuids, from_date: $now, to_date: null})")
	}
	if err != nil {
		return operation{}, fmt.Errorf("deriving the partial people query: %w", err)
	}
	return operation{name: "PeopleByUUID", text: text}, nil
}

// unitsByUUIDQuery is opUnits for the units with $uuids; with top, only
// those that are top or lie under it (MO's ancestor filter counts a unit
// as its own ancestor).
func unitsByUUIDQuery(top bool) (operation, error) {
	head, filter := "query UnitsByUUID($limit: int, $cursor: Cursor, $now: DateTime, $uuids: [UUID!])", "{uuids: $uuids, from_date: $now}"
	name := "UnitsByUUID"
	if top {
		name = "UnitsByUUIDUnderTop"
		head = "query UnitsByUUIDUnderTop($limit: int, $cursor: Cursor, $now: DateTime, $uuids: [UUID!], $top: UUID!)"
		filter = "{uuids: $uuids, from_date: $now, ancestor: {uuids: [$top]}}"
	}
	text, err := replaceOnce(opUnits.text, unitsHead, head)
	if err == nil {
		text, err = replaceOnce(text, unitsFilter, "org_units(limit: $limit, cursor: $cursor, filter: "+filter+")")
	}
	if err != nil {
		return operation{}, fmt.Errorf("deriving the partial units query: %w", err)
	}
	return operation{name: name, text: text}, nil
}

// replaceOnce replaces the one occurrence of old in s.
func replaceOnce(s, old, repl string) (string, error) {
	if n := strings.Count(s, old); n != 1 {
		return "", fmt.Errorf("%q occurs %d times, want once", old, n)
	}
	return strings.Replace(s, old, repl, 1), nil
}

// eventOperations is every document of this file, for the schema test.
func eventOperations() ([]operation, error) {
	ops := []operation{opFetchEvent, opAckEvent, opListeners, opRefreshPeople, opRefreshUnits, declareListenersQuery(1), declareListenersQuery(5)}
	for _, r := range resolveOps {
		ops = append(ops, r.op)
	}
	for _, v := range []int{22, 29} {
		op, err := peopleByUUIDQuery(v)
		if err != nil {
			return nil, err
		}
		ops = append(ops, op)
	}
	for _, top := range []bool{false, true} {
		op, err := unitsByUUIDQuery(top)
		if err != nil {
			return nil, err
		}
		ops = append(ops, op)
	}
	for i := range ops {
		ops[i].text = strings.TrimSpace(ops[i].text)
	}
	return ops, nil
}
