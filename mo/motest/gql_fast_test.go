package motest

import (
	"context"
	"encoding/json"
	"reflect"
	"testing"
)

// queries exercising every field of the fake schema, with fragments,
// aliases, variables and __typename.
var equivalenceQueries = []struct {
	name  string
	query string
	vars  map[string]any
}{
	{"employees", benchEmployeesQuery, map[string]any{"limit": 40.0, "now": "2026-03-02T10:00:00+01:00"}},
	{"employee all fields", `query { employees(limit: 30) { page_info { next_cursor } objects { uuid __typename
		current { uuid user_key cpr_number cpr_no name given_name givenname surname nickname nickname_given_name nickname_givenname nickname_surname seniority validity { from to }
		  manager_roles { uuid org_unit_uuid }
		  engagements_response(filter: {from_date: null, to_date: null}) { page_info { next_cursor } objects { uuid current { uuid } validities { uuid validity { from to } } } }
		  addresses_response { objects { uuid } } itusers_response { objects { uuid objects { user_key } } } }
		validities { uuid } objects { uuid } } } }`, nil},
	{"org units", `query U($c: Cursor) { org_units(limit: 25, cursor: $c) { page_info { next_cursor } objects { uuid current {
		uuid user_key name validity { from to } parent_uuid parent { uuid name } parent_response { uuid current { name } }
		ancestors { uuid } children { uuid } child_count has_children unit_type { name user_key } unit_type_uuid org_unit_level { name } org_unit_level_uuid
		engagements { uuid } managers(inherit: true) { uuid employee_uuid manager_type { name } manager_level { name } responsibilities { name } manager_type_uuid manager_level_uuid responsibility_uuids user_key validity { from to } }
		addresses { uuid name value value2 href address_type { scope } visibility { scope } address_type_uuid visibility_uuid employee_uuid org_unit_uuid engagement_uuid ituser_uuid user_key }
		itusers { uuid itsystem { name } } } } } }`, nil},
	{"subtree", `query($top: UUID!) { org_units(filter: {ancestor: {uuids: [$top]}}) { objects { uuid } } }`, nil},
	{"addresses", `query { addresses(limit: 50, filter: {address_type: {scope: ["DAR", "EMAIL"]}, from_date: null, to_date: null}) { objects { uuid current { value name href } validities { validity { from to } } } } }`, nil},
	{"itusers", `fragment I on ITUser { uuid user_key external_id binding_type itsystem_uuid employee_uuid org_unit_uuid engagement_uuid engagement_uuids primary_uuid validity { from to } itsystem { uuid user_key name system_type validity { from to } } }
		query { itusers(limit: 60, filter: {itsystem: {user_keys: ["Active Directory"]}}) { objects { uuid current { ...I } } } }`, nil},
	{"engagements", `query { engagements(limit: 40) { objects { current { uuid user_key fraction is_primary extension_1 extension_2 job_function { name } job_function_uuid engagement_type { name } engagement_type_uuid primary { user_key } primary_uuid employee_uuid org_unit_uuid validity { from to } } } } }`, nil},
	{"managers", `query { managers(limit: 30) { objects { uuid current { uuid employee_uuid } } } }`, nil},
	{"managers inherited", `query($top: UUID!, $last: UUID!) { managers(inherit: true, filter: {org_unit: {uuids: [$top, $last]}}) { objects { uuid current { org_unit_uuid } } } }`, nil},
	{"classes", `query { classes(filter: {facet: {user_keys: ["employee_address_type", "visibility"]}}) { objects { uuid current { uuid user_key name scope published example owner full_name facet_uuid facet { uuid user_key published description validity { from to } } top_level_facet { user_key } validity { from to } } } } }`, nil},
	{"facets itsystems org version", `{ facets { objects { uuid current { user_key } } } itsystems { objects { current { uuid user_key name system_type } } } org { uuid user_key name } version { mo_version mo_hash } }`, nil},
	{"aliases and skip", `query($s: Boolean!) { a: employees(limit: 3) { objects { id: uuid current { n: name cpr_number @skip(if: $s) ... on Employee { surname } } } } }`, map[string]any{"s": true}},
	{"cpr filter", `{ employees(filter: {cpr_numbers: ["0101010101"]}) { objects { uuid } } }`, nil},
}

func TestFastPathMatchesGraphQLGo(t *testing.T) {
	d := Generate(SizeDemo, 3)
	s := NewServer(d, Options{})
	for _, ver := range []int{22, 29} {
		for _, tc := range equivalenceQueries {
			vars := map[string]any{"top": d.TopUnitUUID, "last": d.Units[len(d.Units)-1].UUID}
			for k, v := range tc.vars {
				vars[k] = v
			}
			q := s.reqState(ver)
			fast, err := execFast(q, tc.query, "", vars)
			if err != nil {
				t.Errorf("v%d %s: fast path: %v", ver, tc.name, err)
				continue
			}
			ctx := context.WithValue(context.WithValue(context.Background(), ctxAuthed, true), ctxReq, q)
			ref := s.schema(ver).Exec(ctx, tc.query, "", vars)
			if len(ref.Errors) > 0 {
				t.Errorf("v%d %s: graphql-go: %v", ver, tc.name, ref.Errors)
				continue
			}
			var a, b any
			if err := json.Unmarshal(fast, &a); err != nil {
				t.Fatalf("v%d %s: fast path wrote invalid JSON: %v", ver, tc.name, err)
			}
			json.Unmarshal([]byte(`{"data":`+string(ref.Data)+`}`), &b)
			if !reflect.DeepEqual(a, b) {
				t.Errorf("v%d %s: fast path differs from graphql-go\nfast: %.1500s\nref:  %.1500s", ver, tc.name, fast, ref.Data)
			}
		}
	}
}

func TestManagersInherit(t *testing.T) {
	d := Generate(SizeDemo, 3)
	x := buildIndex(d)
	// Remove the managers of one leaf unit; inherit must find its parent's.
	var leaf *Unit
	for _, u := range x.units {
		if len(x.children[u.UUID]) == 0 && len(x.ancestors(u)) > 2 && len(x.mgrsByUnit[u.ParentUUID]) > 0 {
			leaf = u
			break
		}
	}
	var keep []Manager
	for _, m := range d.Managers {
		if m.UnitUUID != leaf.UUID {
			keep = append(keep, m)
		}
	}
	d.Managers = keep
	s := NewServer(d, Options{})
	hs := s.Start()
	defer hs.Close()
	q := `query($u: [UUID!], $i: Boolean!) { managers(inherit: $i, filter: {org_unit: {uuids: $u}}) { objects { current { org_unit_uuid } } } }`
	for inherit, want := range map[bool]any{false: nil, true: leaf.ParentUUID} {
		res := postGQL(t, hs.URL+"/graphql/v29", q, map[string]any{"u": []string{leaf.UUID}, "i": inherit})
		if got := dig(res.Data, "managers", "objects", 0, "current", "org_unit_uuid"); got != want {
			t.Errorf("inherit %v: %v, want %v (%s)", inherit, got, want, res.raw)
		}
	}
}
