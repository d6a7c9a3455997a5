package motest

import (
	"net/http/httptest"
	"reflect"
	"strconv"
	"testing"
	"time"

	"moxsync/engine"
)

// readSnapshot is a minimal GraphQL reader written from the rules in doc.go.
// It checks that the server and Dataset.Snapshot agree, and shows a client
// how to read; it is not the production client.
func readSnapshot(t testing.TB, url string, ver int, now time.Time, top string, limit int) (*engine.Snapshot, int) {
	requests := 0
	post := func(q string, vars map[string]any) map[string]any {
		res := postGQL(t, url, q, vars)
		requests++
		if len(res.Errors) > 0 {
			t.Fatalf("errors: %s", res.raw)
		}
		return res.Data
	}
	nowS := now.Format(time.RFC3339)
	pages := func(q, field string, vars map[string]any, each func(any)) {
		var cursor any
		for {
			v := map[string]any{"limit": limit, "cursor": cursor, "now": nowS, "top": top}
			for k, x := range vars {
				v[k] = x
			}
			data := post(q, v)
			for _, o := range dig(data, field, "objects").([]any) {
				each(o)
			}
			if cursor = dig(data, field, "page_info", "next_cursor"); cursor == nil {
				return
			}
		}
	}
	tm := func(v any, end bool) time.Time {
		s, _ := v.(string)
		if s == "" {
			return time.Time{}
		}
		t0, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatalf("time %q: %v", s, err)
		}
		if end && ver < 29 {
			t0 = t0.In(copenhagen).AddDate(0, 0, 1)
		}
		return t0.UTC()
	}
	val := func(o any) engine.Validity {
		return engine.Validity{From: tm(dig(o, "validity", "from"), false), To: tm(dig(o, "validity", "to"), true)}
	}
	str := func(v any) string { s, _ := v.(string); return s }
	addr := func(a any) engine.Address {
		return engine.Address{UUID: str(dig(a, "uuid")), Value: str(dig(a, "value")), Name: str(dig(a, "name")),
			TypeUUID: str(dig(a, "address_type", "uuid")), TypeUserKey: str(dig(a, "address_type", "user_key")), Scope: str(dig(a, "address_type", "scope")),
			VisibilityUUID: str(dig(a, "visibility", "uuid")), Visibility: str(dig(a, "visibility", "scope")),
			EngagementUUID: str(dig(a, "engagement_uuid")), Validity: val(a)}
	}
	const addrFields = `uuid value name engagement_uuid address_type { uuid user_key scope } visibility { uuid scope } validity { from to }`
	s := &engine.Snapshot{ReadAt: now.UTC(), TopUnit: top}
	s.OrgUUID = str(dig(post(`{ org { uuid } }`, nil), "org", "uuid"))
	systems := map[string][2]string{}
	pages(`query($limit: int, $cursor: Cursor) { itsystems(limit: $limit, cursor: $cursor) { page_info { next_cursor } objects { current { uuid user_key name } } } }`, "itsystems", nil, func(o any) {
		c := dig(o, "current")
		s.ITSystems = append(s.ITSystems, engine.ITSystem{UUID: str(dig(c, "uuid")), UserKey: str(dig(c, "user_key")), Name: str(dig(c, "name"))})
		systems[str(dig(c, "uuid"))] = [2]string{str(dig(c, "user_key")), str(dig(c, "name"))}
	})
	pages(`query($limit: int, $cursor: Cursor) { classes(limit: $limit, cursor: $cursor) { page_info { next_cursor } objects { current { uuid user_key name scope facet { user_key } } } } }`, "classes", nil, func(o any) {
		c := dig(o, "current")
		s.Classes = append(s.Classes, engine.Class{UUID: str(dig(c, "uuid")), UserKey: str(dig(c, "user_key")), Name: str(dig(c, "name")), Scope: str(dig(c, "scope")), FacetUserKey: str(dig(c, "facet", "user_key"))})
	})
	pages(`query($limit: int, $cursor: Cursor, $now: DateTime, $top: UUID!) { org_units(limit: $limit, cursor: $cursor, filter: {ancestor: {uuids: [$top]}}) { page_info { next_cursor } objects { current {
		uuid user_key name parent_uuid unit_type { name } org_unit_level { name } validity { from to }
		addresses(filter: {from_date: $now, to_date: null}) { `+addrFields+` }
		itusers(filter: {from_date: $now, to_date: null}) { itsystem_uuid }
		managers(filter: {from_date: $now, to_date: null}) { uuid employee_uuid manager_type { name } manager_level { name } validity { from to } } } } } }`, "org_units", nil, func(o any) {
		c := dig(o, "current")
		if c == nil {
			return
		}
		u := engine.Unit{UUID: str(dig(c, "uuid")), UserKey: str(dig(c, "user_key")), Name: str(dig(c, "name")), ParentUUID: str(dig(c, "parent_uuid")),
			UnitType: str(dig(c, "unit_type", "name")), UnitLevel: str(dig(c, "org_unit_level", "name")), Validity: val(c)}
		if u.ParentUUID == s.OrgUUID {
			u.ParentUUID = ""
		}
		for _, a := range dig(c, "addresses").([]any) {
			u.Addresses = append(u.Addresses, addr(a))
		}
		seen := map[string]bool{}
		for _, it := range dig(c, "itusers").([]any) {
			if id := str(dig(it, "itsystem_uuid")); !seen[id] {
				seen[id] = true
				u.ITSystemUUIDs = append(u.ITSystemUUIDs, id)
			}
		}
		for _, m := range dig(c, "managers").([]any) {
			u.Managers = append(u.Managers, engine.Manager{UUID: str(dig(m, "uuid")), UnitUUID: u.UUID, PersonUUID: str(dig(m, "employee_uuid")),
				ManagerType: str(dig(m, "manager_type", "name")), ManagerLevel: str(dig(m, "manager_level", "name")), Validity: val(m)})
		}
		s.Units = append(s.Units, u)
	})
	pages(`query($limit: int, $cursor: Cursor, $now: DateTime) { employees(limit: $limit, cursor: $cursor) { page_info { next_cursor } objects { current {
		uuid user_key cpr_number given_name surname nickname_given_name nickname_surname
		engagements(filter: {from_date: $now, to_date: null}) { uuid user_key org_unit_uuid is_primary job_function { uuid name } engagement_type { name } validity { from to } }
		addresses(filter: {from_date: $now, to_date: null}) { `+addrFields+` }
		itusers(filter: {from_date: $now, to_date: null}) { uuid user_key external_id itsystem_uuid validity { from to } } } } } }`, "employees", nil, func(o any) {
		c := dig(o, "current")
		p := engine.Person{UUID: str(dig(c, "uuid")), UserKey: str(dig(c, "user_key")), GivenName: str(dig(c, "given_name")), Surname: str(dig(c, "surname")),
			NicknameGivenName: str(dig(c, "nickname_given_name")), NicknameSurname: str(dig(c, "nickname_surname"))}
		if cpr := str(dig(c, "cpr_number")); cpr != "" {
			if ValidCPR(cpr) {
				p.CPR = cpr
			} else {
				s.Warnings = append(s.Warnings, InvalidCPRWarning(p.UUID, p.Name(), cpr))
			}
		}
		for _, e := range dig(c, "engagements").([]any) {
			p.Engagements = append(p.Engagements, engine.Engagement{UUID: str(dig(e, "uuid")), UserKey: str(dig(e, "user_key")), UnitUUID: str(dig(e, "org_unit_uuid")),
				JobFunction: str(dig(e, "job_function", "name")), JobFunctionUUID: str(dig(e, "job_function", "uuid")), EngagementType: str(dig(e, "engagement_type", "name")), IsPrimary: dig(e, "is_primary") == true, Validity: val(e)})
		}
		for _, a := range dig(c, "addresses").([]any) {
			p.Addresses = append(p.Addresses, addr(a))
		}
		for _, it := range dig(c, "itusers").([]any) {
			sys := systems[str(dig(it, "itsystem_uuid"))]
			p.ITUsers = append(p.ITUsers, engine.ITUser{UUID: str(dig(it, "uuid")), UserKey: str(dig(it, "user_key")), ExternalID: str(dig(it, "external_id")),
				ITSystemUUID: str(dig(it, "itsystem_uuid")), ITSystemUserKey: sys[0], ITSystemName: sys[1], Validity: val(it)})
		}
		s.People = append(s.People, p)
	})
	s.Normalize()
	return s, requests
}

func TestGraphQLReadEqualsSnapshot(t *testing.T) {
	d := Generate(SizeDemo, 5)
	d.People = append(d.People, Person{UUID: "ffffffff-0000-4000-8000-000000000001", UserKey: "bad", CPR: "3113001234", GivenName: "Ugyldig", Surname: "Cpr"})
	for _, tc := range []struct {
		ver     int
		pageCap int
	}{{29, 0}, {22, 0}, {29, 13}} {
		s := NewServer(d, Options{PageCap: tc.pageCap})
		hs := httptest.NewServer(s)
		now := s.opts.Now()
		got, _ := readSnapshot(t, hs.URL+"/graphql/v"+strconv.Itoa(tc.ver), tc.ver, now, d.TopUnitUUID, 100)
		hs.Close()
		want := d.Snapshot(now, d.TopUnitUUID)
		if !reflect.DeepEqual(got, want) {
			diffSnapshots(t, got, want)
		}
	}
}

func diffSnapshots(t *testing.T, got, want *engine.Snapshot) {
	t.Helper()
	if len(got.Units) != len(want.Units) || len(got.People) != len(want.People) {
		t.Fatalf("units %d/%d, people %d/%d", len(got.Units), len(want.Units), len(got.People), len(want.People))
	}
	for i := range got.Units {
		if !reflect.DeepEqual(got.Units[i], want.Units[i]) {
			t.Fatalf("unit differs:\n got %+v\nwant %+v", got.Units[i], want.Units[i])
		}
	}
	for i := range got.People {
		if !reflect.DeepEqual(got.People[i], want.People[i]) {
			t.Fatalf("person differs:\n got %+v\nwant %+v", got.People[i], want.People[i])
		}
	}
	t.Fatalf("snapshots differ elsewhere:\n got %+v %+v %+v\nwant %+v %+v %+v", got.Warnings, got.OrgUUID, got.ReadAt, want.Warnings, want.OrgUUID, want.ReadAt)
}
