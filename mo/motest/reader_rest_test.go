package motest

import (
	"net/http/httptest"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"moxsync/engine"
)

// readSnapshotREST is a minimal REST reader written from the rules in
// doc.go: paged lists, then per-object detail calls (present and future)
// with only_primary_uuid, classes from the facets.
func readSnapshotREST(t testing.TB, base string, now time.Time, top string) *engine.Snapshot {
	get := func(path string) any {
		status, body := getJSON(t, base+path)
		if status != 200 {
			t.Fatalf("GET %s: %d %v", path, status, body)
		}
		return body
	}
	str := func(v any) string { s, _ := v.(string); return s }
	day := func(v any, end bool) time.Time {
		s := str(v)
		if s == "" {
			return time.Time{}
		}
		d, err := time.ParseInLocation("2006-01-02", s, copenhagen)
		if err != nil {
			t.Fatalf("date %q: %v", s, err)
		}
		if end {
			d = d.AddDate(0, 0, 1)
		}
		return d.UTC()
	}
	val := func(o any) engine.Validity {
		return engine.Validity{From: day(dig(o, "validity", "from"), false), To: day(dig(o, "validity", "to"), true)}
	}
	at := "at=" + now.Format(time.RFC3339)
	at = strings.ReplaceAll(at, "+", "%2B")
	both := func(path string, each func(any)) {
		for _, v := range []string{"present", "future"} {
			for _, o := range get(path + "?only_primary_uuid=1&calculate_primary=1&validity=" + v + "&" + at).([]any) {
				each(o)
			}
		}
	}
	s := &engine.Snapshot{ReadAt: now.UTC(), TopUnit: top}
	org := str(dig(get("/o/"), 0, "uuid"))
	s.OrgUUID = org
	classes := map[string]engine.Class{}
	for _, f := range get("/o/" + org + "/f/").([]any) {
		fk := str(dig(f, "user_key"))
		for _, c := range dig(get("/f/"+fk+"/"), "data", "items").([]any) {
			cl := engine.Class{UUID: str(dig(c, "uuid")), UserKey: str(dig(c, "user_key")), Name: str(dig(c, "name")), Scope: str(dig(c, "scope")), FacetUserKey: fk}
			classes[cl.UUID] = cl
			s.Classes = append(s.Classes, cl)
		}
	}
	systems := map[string]engine.ITSystem{}
	for _, it := range get("/o/" + org + "/it/").([]any) {
		sys := engine.ITSystem{UUID: str(dig(it, "uuid")), UserKey: str(dig(it, "user_key")), Name: str(dig(it, "name"))}
		systems[sys.UUID] = sys
		s.ITSystems = append(s.ITSystems, sys)
	}
	addr := func(a any) engine.Address {
		typ := classes[str(dig(a, "address_type", "uuid"))]
		vis := classes[str(dig(a, "visibility", "uuid"))]
		return engine.Address{UUID: str(dig(a, "uuid")), Value: str(dig(a, "value")), Name: str(dig(a, "name")),
			TypeUUID: typ.UUID, TypeUserKey: typ.UserKey, Scope: typ.Scope, VisibilityUUID: vis.UUID, Visibility: vis.Scope,
			EngagementUUID: str(dig(a, "engagement_uuid")), Validity: val(a)}
	}
	for _, it := range dig(get("/o/"+org+"/ou/?limit=0&root="+top+"&"+at), "items").([]any) {
		id := str(dig(it, "uuid"))
		full := get("/ou/" + id + "/?only_primary_uuid=1&" + at)
		u := engine.Unit{UUID: id, UserKey: str(dig(full, "user_key")), Name: str(dig(full, "name")), ParentUUID: str(dig(full, "parent", "uuid")),
			UnitType: classes[str(dig(full, "org_unit_type", "uuid"))].Name, UnitLevel: classes[str(dig(full, "org_unit_level", "uuid"))].Name, Validity: val(full)}
		both("/ou/"+id+"/details/address", func(a any) { u.Addresses = append(u.Addresses, addr(a)) })
		seen := map[string]bool{}
		both("/ou/"+id+"/details/it", func(a any) {
			if sys := str(dig(a, "itsystem", "uuid")); !seen[sys] {
				seen[sys] = true
				u.ITSystemUUIDs = append(u.ITSystemUUIDs, sys)
			}
		})
		both("/ou/"+id+"/details/manager", func(m any) {
			u.Managers = append(u.Managers, engine.Manager{UUID: str(dig(m, "uuid")), UnitUUID: id, PersonUUID: str(dig(m, "person", "uuid")),
				ManagerType: classes[str(dig(m, "manager_type", "uuid"))].Name, ManagerLevel: classes[str(dig(m, "manager_level", "uuid"))].Name, Validity: val(m)})
		})
		s.Units = append(s.Units, u)
	}
	for start := 0; ; start += 100 {
		page := get("/o/" + org + "/e/?limit=100&start=" + strconv.Itoa(start) + "&" + at)
		for _, e := range dig(page, "items").([]any) {
			p := engine.Person{UUID: str(dig(e, "uuid")), UserKey: str(dig(e, "user_key")), GivenName: str(dig(e, "givenname")), Surname: str(dig(e, "surname")),
				NicknameGivenName: str(dig(e, "nickname_givenname")), NicknameSurname: str(dig(e, "nickname_surname"))}
			if cpr := str(dig(e, "cpr_no")); cpr != "" {
				if ValidCPR(cpr) {
					p.CPR = cpr
				} else {
					s.Warnings = append(s.Warnings, InvalidCPRWarning(p.UUID, p.Name(), cpr))
				}
			}
			both("/e/"+p.UUID+"/details/engagement", func(g any) {
				p.Engagements = append(p.Engagements, engine.Engagement{UUID: str(dig(g, "uuid")), UserKey: str(dig(g, "user_key")), UnitUUID: str(dig(g, "org_unit", "uuid")),
					JobFunction: classes[str(dig(g, "job_function", "uuid"))].Name, JobFunctionUUID: str(dig(g, "job_function", "uuid")), EngagementType: classes[str(dig(g, "engagement_type", "uuid"))].Name,
					IsPrimary: dig(g, "is_primary") == true, Validity: val(g)})
			})
			both("/e/"+p.UUID+"/details/address", func(a any) { p.Addresses = append(p.Addresses, addr(a)) })
			both("/e/"+p.UUID+"/details/it", func(a any) {
				sys := systems[str(dig(a, "itsystem", "uuid"))]
				p.ITUsers = append(p.ITUsers, engine.ITUser{UUID: str(dig(a, "uuid")), UserKey: str(dig(a, "user_key")), ExternalID: str(dig(a, "external_id")),
					ITSystemUUID: sys.UUID, ITSystemUserKey: sys.UserKey, ITSystemName: sys.Name, Validity: val(a)})
			})
			s.People = append(s.People, p)
		}
		if start+100 >= int(dig(page, "total").(float64)) {
			break
		}
	}
	s.Normalize()
	return s
}

func TestRESTReadEqualsSnapshot(t *testing.T) {
	d := Generate(SizeDemo, 5)
	d.People = append(d.People, Person{UUID: "ffffffff-0000-4000-8000-000000000001", UserKey: "bad", CPR: "3113001234", GivenName: "Ugyldig", Surname: "Cpr"})
	s := NewServer(d, Options{})
	hs := httptest.NewServer(s)
	defer hs.Close()
	now := s.opts.Now()
	got := readSnapshotREST(t, hs.URL+"/service", now, d.TopUnitUUID)
	want := d.Snapshot(now, d.TopUnitUUID)
	if !reflect.DeepEqual(got, want) {
		diffSnapshots(t, got, want)
	}
	t.Logf("%d REST requests for %d people", s.TotalRequests(), len(d.People))
}
