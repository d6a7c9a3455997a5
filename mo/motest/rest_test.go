package motest

import (
	"fmt"
	"sort"
	"testing"
	"time"
)

func TestRESTRoutesAndSlashes(t *testing.T) {
	d := Generate(SizeDemo, 1)
	s := NewServer(d, Options{})
	hs := s.Start()
	defer hs.Close()
	p := d.People[0].UUID
	u := d.TopUnitUUID
	o := d.OrgUUID
	base := hs.URL + "/service"
	tests := []struct {
		path   string
		status int
		key    string // error_key for errors
	}{
		{"/o/", 200, ""},
		{"/o", 404, "E_NO_SUCH_ENDPOINT"},
		{"/o/" + o + "/", 200, ""},
		{"/o/" + o + "/ou/", 200, ""},
		{"/o/" + o + "/ou", 404, "E_NO_SUCH_ENDPOINT"},
		{"/o/" + o + "/e/", 200, ""},
		{"/o/" + o + "/e", 404, "E_NO_SUCH_ENDPOINT"},
		{"/o/not-a-uuid/e/", 400, "E_INVALID_INPUT"},
		{"/e/" + p + "/", 200, ""},
		{"/e/" + p, 404, "E_NO_SUCH_ENDPOINT"},
		{"/e/" + u + "/", 404, "E_USER_NOT_FOUND"},
		{"/ou/" + u + "/", 200, ""},
		{"/ou/" + p + "/", 404, "E_ORG_UNIT_NOT_FOUND"},
		{"/ou/xyz/", 400, "E_INVALID_INPUT"},
		{"/e/" + p + "/details/", 200, ""},
		{"/e/" + p + "/details", 404, "E_NO_SUCH_ENDPOINT"},
		{"/e/" + p + "/details/it", 200, ""},
		{"/e/" + p + "/details/it/", 404, "E_NO_SUCH_ENDPOINT"},
		{"/e/" + p + "/details/address", 200, ""},
		{"/e/" + p + "/details/engagement", 200, ""},
		{"/ou/" + u + "/details/manager", 200, ""},
		{"/e/" + p + "/details/nonsense", 404, "E_NO_SUCH_ENDPOINT"},
		{"/o/" + o + "/it/", 200, ""},
		{"/o/" + o + "/f/", 200, ""},
		{"/f/employee_address_type/", 200, ""},
		{"/ou/" + u + "/children", 200, ""},
		{"/nothing/here", 404, "E_NO_SUCH_ENDPOINT"},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			status, body := getJSON(t, base+tc.path)
			if status != tc.status {
				t.Fatalf("status %d, want %d: %v", status, tc.status, body)
			}
			if tc.key != "" {
				if dig(body, "error_key") != tc.key || dig(body, "error") != true || dig(body, "status") != float64(tc.status) || dig(body, "description") == nil {
					t.Errorf("error body %v, want key %s", body, tc.key)
				}
			}
		})
	}
	status, body := getJSON(t, hs.URL+"/version/")
	if status != 200 || dig(body, "mo_version") == nil {
		t.Errorf("/version/: %d %v", status, body)
	}
	status, body = postJSON(t, base+"/e/"+p+"/details/it", map[string]any{})
	if status != 405 {
		t.Errorf("POST to a read endpoint: %d %v", status, body)
	}
}

func TestRESTPaging(t *testing.T) {
	d := Generate(SizeDemo, 1)
	s := NewServer(d, Options{})
	hs := s.Start()
	defer hs.Close()
	base := hs.URL + "/service/o/" + d.OrgUUID
	for _, tc := range []struct {
		list  string
		total int
	}{
		{"/e/", len(d.People)},
		{"/ou/", len(d.Units) - 1}, // the ended unit is not present
	} {
		for _, limit := range []int{0, 1, 7, 100, 1000} {
			t.Run(fmt.Sprintf("%s limit %d", tc.list, limit), func(t *testing.T) {
				var got []string
				for start := 0; ; start += limit {
					status, body := getJSON(t, fmt.Sprintf("%s%s?start=%d&limit=%d", base, tc.list, start, limit))
					if status != 200 {
						t.Fatalf("status %d: %v", status, body)
					}
					if int(dig(body, "total").(float64)) != tc.total || int(dig(body, "offset").(float64)) != start {
						t.Fatalf("total/offset: %v %v", dig(body, "total"), dig(body, "offset"))
					}
					items := dig(body, "items").([]any)
					for _, it := range items {
						got = append(got, dig(it, "uuid").(string))
					}
					if limit == 0 || start+limit >= tc.total {
						break
					}
					if len(items) != limit {
						t.Fatalf("page of %d, want %d", len(items), limit)
					}
				}
				if len(got) != tc.total || !sort.StringsAreSorted(got) {
					t.Errorf("read %d items (want %d), sorted %v", len(got), tc.total, sort.StringsAreSorted(got))
				}
			})
		}
	}
	// An employee item is a full employee; cpr_no is left out when missing.
	var noCPR *Person
	for i := range d.People {
		if d.People[i].CPR == "" {
			noCPR = &d.People[i]
		}
	}
	_, body := getJSON(t, hs.URL+"/service/e/"+noCPR.UUID+"/")
	if m := body.(map[string]any); m["cpr_no"] != nil || m["givenname"] != noCPR.GivenName || dig(m, "org", "uuid") != d.OrgUUID {
		t.Errorf("employee without CPR: %v", body)
	}
	_, body = getJSON(t, base+"/e/?query="+d.People[0].CPR)
	if dig(body, "total") != 1.0 || dig(body, "items", 0, "cpr_no") != d.People[0].CPR {
		t.Errorf("CPR query: %v", body)
	}
	_, body = getJSON(t, base+"/e/?query="+d.People[0].CPR[:6])
	if dig(body, "total") != 0.0 {
		t.Errorf("partial CPR matched: %v", body)
	}
	_, body = getJSON(t, base+"/ou/?root="+d.TopUnitUUID+"&limit=0")
	if int(dig(body, "total").(float64)) != len(d.Units)-3 {
		t.Errorf("root filter: %v units, want %d", dig(body, "total"), len(d.Units)-3)
	}
}

func TestRESTDetailsTemporal(t *testing.T) {
	d := Generate(SizeDemo, 1)
	s := NewServer(d, Options{})
	hs := s.Start()
	defer hs.Close()
	x := buildIndex(d)
	now := d.Today.Add(10 * time.Hour)
	checked := 0
	for _, p := range x.people {
		var present, past, future int
		for _, e := range x.engsByPerson[p.UUID] {
			switch {
			case e.Validity.ActiveAt(now):
				present++
			case !e.Validity.To.IsZero() && !e.Validity.To.After(now):
				past++
			default:
				future++
			}
		}
		if past == 0 && future == 0 {
			continue
		}
		checked++
		for v, want := range map[string]int{"present": present, "past": past, "future": future} {
			_, body := getJSON(t, hs.URL+"/service/e/"+p.UUID+"/details/engagement?validity="+v)
			if n := len(body.([]any)); n != want {
				t.Errorf("%s: %d %s engagements, want %d", p.UUID, n, v, want)
			}
		}
		if checked > 10 {
			break
		}
	}
	if checked == 0 {
		t.Fatal("no person with past or future engagements")
	}
	// Inclusive end dates, only_primary_uuid, unknown owner gives [].
	var ending *Engagement
	for _, e := range x.engs {
		if !e.Validity.To.IsZero() && e.Validity.ActiveAt(now) {
			ending = e
			break
		}
	}
	_, body := getJSON(t, hs.URL+"/service/e/"+ending.PersonUUID+"/details/engagement?only_primary_uuid=1&calculate_primary=1")
	var eng any
	for _, it := range body.([]any) {
		if dig(it, "uuid") == ending.UUID {
			eng = it
		}
	}
	wantTo := ending.Validity.To.AddDate(0, 0, -1).Format("2006-01-02")
	if dig(eng, "validity", "to") != wantTo || dig(eng, "person", "name") != nil || dig(eng, "person", "uuid") != ending.PersonUUID ||
		dig(eng, "job_function", "uuid") != ending.JobFunctionUUID || dig(eng, "is_primary") == nil {
		t.Errorf("engagement: %v (want to %s)", eng, wantTo)
	}
	status, body := getJSON(t, hs.URL+"/service/e/00000000-0000-4000-8000-000000000000/details/it")
	if status != 200 || len(body.([]any)) != 0 {
		t.Errorf("unknown person details: %d %v", status, body)
	}
	// A unit's recursive parent.
	var leaf *Unit
	for _, u := range x.units {
		if len(x.ancestors(u)) >= 3 {
			leaf = u
		}
	}
	_, body = getJSON(t, hs.URL+"/service/ou/"+leaf.UUID+"/")
	top, depth := body, 0
	for dig(top, "parent") != nil {
		top, depth = dig(top, "parent"), depth+1
	}
	if dig(top, "uuid") != d.TopUnitUUID || depth != len(x.ancestors(leaf)) {
		t.Errorf("parent chain of %d ends at %v, want the top unit after %d", depth, dig(top, "uuid"), len(x.ancestors(leaf)))
	}
	if dig(body, "org_unit_type", "facet", "user_key") != FacetOrgUnitType {
		t.Errorf("unit type: %v", dig(body, "org_unit_type"))
	}
}

func TestRESTAuth(t *testing.T) {
	d := Generate(SizeDemo, 1)
	s := NewServer(d, Options{RequireAuth: true, Tokens: []string{"good"}, SessionTokens: []string{"saml"}})
	hs := s.Start()
	defer hs.Close()
	url := hs.URL + "/service/o/"
	status, body := getJSON(t, url)
	if status != 401 || body != "Not authenticated" {
		t.Errorf("missing: %d %v", status, body)
	}
	status, body = getJSON(t, url, "Authorization", "Bearer wrong")
	if status != 401 || dig(body, "status") != "Unauthorized" || dig(body, "msg") == nil {
		t.Errorf("bad token: %d %v", status, body)
	}
	for _, h := range [][]string{{"Authorization", "Bearer good"}, {"SESSION", "saml"}} {
		if status, body = getJSON(t, url, h...); status != 200 {
			t.Errorf("%v: %d %v", h, status, body)
		}
	}
}

func TestRESTWrites(t *testing.T) {
	d := Generate(SizeDemo, 1)
	s := NewServer(d, Options{})
	hs := s.Start()
	defer hs.Close()
	create, edit := hs.URL+"/service/details/create", hs.URL+"/service/details/edit"
	person := d.People[5].UUID
	ad := d.ITSystemByUserKey(ADSystemName).UUID
	phone := d.ClassByUserKey(FacetEmployeeAddressType, "BrugerTelefon").UUID
	ref := func(id string) map[string]any { return map[string]any{"uuid": id} }

	status, body := postJSON(t, create, map[string]any{"type": "it", "user_key": "restuser", "itsystem": ref(ad), "person": ref(person),
		"validity": map[string]any{"from": "2026-03-01", "to": nil}})
	id, _ := body.(string)
	if status != 201 || id == "" {
		t.Fatalf("create: %d %v", status, body)
	}
	status, body = postJSON(t, create, []any{
		map[string]any{"type": "address", "value": "12345678", "address_type": ref(phone), "person": ref(person), "validity": map[string]any{"from": "2026-03-01"}},
		map[string]any{"type": "address", "value": "87654321", "address_type": ref(phone), "person": ref(person), "validity": map[string]any{"from": "2026-03-01", "to": "2026-12-31"}},
	})
	ids, _ := body.([]any)
	if status != 201 || len(ids) != 2 {
		t.Fatalf("create list: %d %v", status, body)
	}
	status, body = postJSON(t, edit, map[string]any{"type": "it", "uuid": id, "data": map[string]any{"user_key": "restuser2", "validity": map[string]any{"from": "2026-03-02"}}})
	if status != 200 || body != id {
		t.Fatalf("edit: %d %v", status, body)
	}
	_, got := getJSON(t, hs.URL+"/service/e/"+person+"/details/it")
	found := false
	for _, it := range got.([]any) {
		found = found || (dig(it, "uuid") == id && dig(it, "user_key") == "restuser2")
	}
	if !found {
		t.Errorf("edit not visible: %v", got)
	}
	_, got = getJSON(t, hs.URL+"/service/e/"+person+"/details/address")
	for _, a := range got.([]any) {
		if dig(a, "uuid") == ids[1] && dig(a, "validity", "to") != "2026-12-31" {
			t.Errorf("inclusive end not kept: %v", a)
		}
	}

	for _, tc := range []struct {
		name   string
		url    string
		body   any
		status int
		key    string
	}{
		{"missing start", create, map[string]any{"type": "it", "user_key": "x", "itsystem": ref(ad), "person": ref(person), "validity": map[string]any{}}, 400, "V_MISSING_START_DATE"},
		{"edit missing start", edit, map[string]any{"type": "it", "uuid": id, "data": map[string]any{"user_key": "y"}}, 400, "V_MISSING_START_DATE"},
		{"value without type", edit, map[string]any{"type": "address", "uuid": ids[0], "data": map[string]any{"value": "11223344", "validity": map[string]any{"from": "2026-03-02"}}}, 400, "V_MISSING_REQUIRED_VALUE"},
		{"bad phone", create, map[string]any{"type": "address", "value": "+45 11 22", "address_type": ref(phone), "person": ref(person), "validity": map[string]any{"from": "2026-03-01"}}, 400, "V_INVALID_ADDRESS_PHONE"},
		{"bare string reference", create, map[string]any{"type": "it", "user_key": "x", "itsystem": ad, "person": ref(person), "validity": map[string]any{"from": "2026-03-01"}}, 400, "E_INVALID_INPUT"},
		{"both owners", create, map[string]any{"type": "address", "value": "12345678", "address_type": ref(phone), "person": ref(person), "org_unit": ref(d.TopUnitUUID), "validity": map[string]any{"from": "2026-03-01"}}, 400, "E_INVALID_INPUT"},
		{"end before start", create, map[string]any{"type": "it", "user_key": "z", "itsystem": ref(ad), "person": ref(person), "validity": map[string]any{"from": "2026-03-01", "to": "2026-02-01"}}, 400, "V_END_BEFORE_START"},
		{"not midnight", create, map[string]any{"type": "it", "user_key": "z", "itsystem": ref(ad), "person": ref(person), "validity": map[string]any{"from": "2026-03-01T12:00:00+01:00"}}, 400, "E_INVALID_INPUT"},
		{"unknown person", create, map[string]any{"type": "it", "user_key": "z", "itsystem": ref(ad), "person": ref("00000000-0000-4000-8000-000000000000"), "validity": map[string]any{"from": "2026-03-01"}}, 404, "E_USER_NOT_FOUND"},
		{"duplicate", create, map[string]any{"type": "it", "user_key": "restuser2", "itsystem": ref(ad), "person": ref(person), "validity": map[string]any{"from": "2026-03-05"}}, 400, "V_DUPLICATED_IT_USER"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, body := postJSON(t, tc.url, tc.body)
			if status != tc.status || dig(body, "error_key") != tc.key || dig(body, "status") != float64(tc.status) {
				t.Errorf("got %d %v, want %d %s", status, body, tc.status, tc.key)
			}
		})
	}
	// force=1 skips the value check.
	status, body = postJSON(t, create+"?force=1", map[string]any{"type": "address", "value": "+45 11 22", "address_type": ref(phone), "person": ref(person), "validity": map[string]any{"from": "2026-03-01"}})
	if status != 201 {
		t.Errorf("force: %d %v", status, body)
	}
}
