package motest

import (
	"strings"
	"testing"
	"time"
)

const pagingQuery = `query P($limit: int, $cursor: Cursor) { employees(limit: $limit, cursor: $cursor) { page_info { next_cursor } objects { uuid } } }`

// readAllEmployees pages through employees until next_cursor is null.
func readAllEmployees(t *testing.T, url string, limit int) (uuids []string, requests int, shortPages int) {
	t.Helper()
	var cursor any
	for requests < 10000 {
		res := postGQL(t, url, pagingQuery, map[string]any{"limit": limit, "cursor": cursor})
		requests++
		if len(res.Errors) > 0 {
			t.Fatalf("errors: %s", res.raw)
		}
		objs, _ := dig(res.Data, "employees", "objects").([]any)
		for _, o := range objs {
			uuids = append(uuids, dig(o, "uuid").(string))
		}
		next := dig(res.Data, "employees", "page_info", "next_cursor")
		if next == nil {
			return uuids, requests, shortPages
		}
		if len(objs) < limit {
			shortPages++
		}
		cursor = next
	}
	t.Fatal("paging did not end")
	return
}

func TestGraphQLPaging(t *testing.T) {
	d := Generate(SizeDemo, 1)
	tests := []struct {
		name      string
		limit     int
		pageCap   int
		wantShort bool
	}{
		{"full pages", 100, 0, false},
		{"exact multiple", 50, 0, false},
		{"short pages", 100, 37, true},
		{"one per page", 7, 1, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := NewServer(d, Options{PageCap: tc.pageCap})
			hs := s.Start()
			defer hs.Close()
			got, reqs, short := readAllEmployees(t, hs.URL+"/graphql/v29", tc.limit)
			if len(got) != len(d.People) {
				t.Fatalf("read %d people, want %d", len(got), len(d.People))
			}
			seen := map[string]bool{}
			for i, u := range got {
				if seen[u] {
					t.Fatalf("person %s read twice", u)
				}
				seen[u] = true
				if i > 0 && got[i-1] >= u {
					t.Fatalf("not in uuid order at %d", i)
				}
			}
			per := tc.limit
			if tc.pageCap > 0 {
				per = tc.pageCap
			}
			if want := (len(d.People) + per - 1) / per; reqs < want || reqs > want+1 {
				t.Errorf("%d requests, want about %d", reqs, want)
			}
			if (short > 0) != tc.wantShort {
				t.Errorf("short pages before the end: %d", short)
			}
			if n := s.Requests()["POST /graphql/v29"]; n != reqs {
				t.Errorf("server counted %d requests, client made %d", n, reqs)
			}
		})
	}
}

func TestGraphQLBadCursorAndLimit(t *testing.T) {
	s := NewServer(Generate(SizeDemo, 1), Options{})
	hs := s.Start()
	defer hs.Close()
	res := postGQL(t, hs.URL+"/graphql/v29", pagingQuery, map[string]any{"limit": 10, "cursor": "garbage"})
	if res.Data != nil || len(res.Errors) != 1 || res.Errors[0]["message"] != "Invalid cursor" {
		t.Errorf("bad cursor: %s", res.raw)
	}
	res = postGQL(t, hs.URL+"/graphql/v29", `query($l: Int) { employees(limit: $l) { objects { uuid } } }`, map[string]any{"l": 10})
	if len(res.Errors) == 0 || !strings.Contains(res.raw2(), "int") {
		t.Errorf("Int instead of int was accepted: %s", res.raw)
	}
}

func (r gqlResult) raw2() string { return string(r.raw) }

func TestGraphQLDatesPerVersion(t *testing.T) {
	d := Generate(SizeDemo, 1)
	// Find an engagement with an end date.
	var eng *Engagement
	for i := range d.Engagements {
		if !d.Engagements[i].Validity.To.IsZero() && d.Engagements[i].Validity.CurrentOrFuture(d.Today) {
			eng = &d.Engagements[i]
			break
		}
	}
	if eng == nil {
		t.Fatal("no ending engagement generated")
	}
	s := NewServer(d, Options{})
	hs := s.Start()
	defer hs.Close()
	q := `query($u: [UUID!]) { engagements(filter: {uuids: $u, from_date: null, to_date: null}) { objects { current { validity { from to } } } } }`
	to := eng.Validity.To
	for _, tc := range []struct {
		ver  string
		want string
	}{
		{"v29", to.In(copenhagen).Format("2006-01-02T15:04:05-07:00")},
		{"v22", to.AddDate(0, 0, -1).In(copenhagen).Format("2006-01-02T15:04:05-07:00")},
	} {
		res := postGQL(t, hs.URL+"/graphql/"+tc.ver, q, map[string]any{"u": []string{eng.UUID}})
		got := dig(res.Data, "engagements", "objects", 0, "current", "validity", "to")
		if got != tc.want {
			t.Errorf("%s: to = %v, want %s (%s)", tc.ver, got, tc.want, res.raw)
		}
	}
}

func TestGraphQLParentUUIDOfRootPerVersion(t *testing.T) {
	d := Generate(SizeDemo, 1)
	s := NewServer(d, Options{})
	hs := s.Start()
	defer hs.Close()
	q := `query($u: [UUID!]) { org_units(filter: {uuids: $u}) { objects { current { parent_uuid } } } }`
	for ver, want := range map[string]any{"v27": d.OrgUUID, "v29": nil} {
		res := postGQL(t, hs.URL+"/graphql/"+ver, q, map[string]any{"u": []string{d.TopUnitUUID}})
		if got := dig(res.Data, "org_units", "objects", 0, "current", "parent_uuid"); got != want {
			t.Errorf("%s: parent_uuid of the root = %v, want %v", ver, got, want)
		}
	}
}

func TestGraphQLRelationDateFilters(t *testing.T) {
	d := Generate(SizeDemo, 1)
	s := NewServer(d, Options{})
	hs := s.Start()
	defer hs.Close()
	x := buildIndex(d)
	now := d.Today.Add(10 * time.Hour)
	// A person with a current and a future engagement, or only a future one.
	var p *Person
	for _, pp := range x.people {
		for _, e := range x.engsByPerson[pp.UUID] {
			if e.Validity.From.After(now) {
				p = pp
			}
		}
	}
	if p == nil {
		t.Fatal("no person with a future engagement")
	}
	current, currentOrFuture := 0, 0
	for _, e := range x.engsByPerson[p.UUID] {
		if e.Validity.ActiveAt(now) {
			current++
		}
		if e.Validity.CurrentOrFuture(now) {
			currentOrFuture++
		}
	}
	q := `query($u: [UUID!], $now: DateTime) { employees(filter: {uuids: $u}) { objects { current {
		cur: engagements { uuid } all: engagements(filter: {from_date: $now, to_date: null}) { uuid } } } } }`
	res := postGQL(t, hs.URL+"/graphql/v29", q, map[string]any{"u": []string{p.UUID}, "now": now.Format(time.RFC3339)})
	cur, _ := dig(res.Data, "employees", "objects", 0, "current", "cur").([]any)
	all, _ := dig(res.Data, "employees", "objects", 0, "current", "all").([]any)
	if len(cur) != current || len(all) != currentOrFuture {
		t.Errorf("current %d (want %d), current or future %d (want %d): %s", len(cur), current, len(all), currentOrFuture, res.raw)
	}
	res = postGQL(t, hs.URL+"/graphql/v29", `{ employees(filter: {from_date: null}) { objects { uuid } } }`, nil)
	if res.Data != nil || len(res.Errors) == 0 {
		t.Errorf("from_date null without to_date accepted: %s", res.raw)
	}
}

func TestGraphQLAuth(t *testing.T) {
	d := Generate(SizeDemo, 1)
	s := NewServer(d, Options{RequireAuth: true, Tokens: []string{"good"}, SessionTokens: []string{"saml-token"}})
	hs := s.Start()
	defer hs.Close()
	url := hs.URL + "/graphql/v29"
	for _, tc := range []struct {
		name   string
		header []string
		ok     bool
	}{
		{"no token", nil, false},
		{"bad token", []string{"Authorization", "Bearer bad"}, false},
		{"good token", []string{"Authorization", "Bearer good"}, true},
		{"session", []string{"Session", "saml-token"}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, q := range []string{pagingQuery, `mutation { ituser_update(input: {uuid: "` + d.ITUsers[0].UUID + `", validity: {from: "2026-01-01"}}) { uuid } }`} {
				res := postGQL(t, url, q, map[string]any{"limit": 2}, tc.header...)
				if tc.ok {
					if len(res.Errors) > 0 || res.Data == nil {
						t.Errorf("rejected: %s", res.raw)
					}
					continue
				}
				if res.Data != nil || len(res.Errors) != 1 || res.Errors[0]["message"] != "User is not authenticated" || res.Errors[0]["path"] == nil {
					t.Errorf("not rejected like MO: %s", res.raw)
				}
				if !strings.Contains(string(res.raw), `"data":null`) {
					t.Errorf("data is not null: %s", res.raw)
				}
			}
		})
	}
}
