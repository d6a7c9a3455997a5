package ststest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

const (
	ou1  = "0000000a-0000-4000-8000-000000000001"
	ou2  = "0000000a-0000-4000-8000-000000000002"
	usr1 = "0000000b-0000-4000-8000-000000000001"
)

type answer struct {
	status int
	body   string
}

func call(t *testing.T, srv *httptest.Server, method, path, body string, hdr map[string]string) answer {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, srv.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("CVR", "29189846")
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return answer{resp.StatusCode, string(b)}
}

func start(t *testing.T, opts Options) (*Server, *httptest.Server) {
	t.Helper()
	s := New(opts)
	hs := httptest.NewServer(s)
	t.Cleanup(hs.Close)
	return s, hs
}

const validUser = `{"Uuid":"` + usr1 + `","UserId":"bsg","Email":{"Value":"bsg@kommune.dk"},"Positions":[{"OrgUnitUuid":"` + ou1 + `","Name":"Udvikler"}],"Person":{"Name":"Bo Søgaard"}}`

func TestValidationMessages(t *testing.T) {
	tests := []struct {
		name, path, body string
		want             answer
	}{
		{"unit without name", "/api/orgUnit", `{"Uuid":"` + ou1 + `"}`, answer{400, "name is null"}},
		{"unit with empty name", "/api/v1_1/orgunit/", `{"Uuid":"` + ou1 + `","Name":""}`, answer{400, "name is null"}},
		{"unit without uuid", "/api/orgUnit", `{"Name":"Borgerservice"}`, answer{400, "uuid is null"}},
		{"user without person name", "/api/user", `{"Uuid":"` + usr1 + `","UserId":"bsg","Positions":[{"OrgUnitUuid":"x","Name":"y"}],"Person":{}}`, answer{400, "Person.Name is null or empty"}},
		{"user without UserId", "/api/user", `{"Uuid":"` + usr1 + `","Positions":[{"OrgUnitUuid":"x","Name":"y"}],"Person":{"Name":"Bo"}}`, answer{400, "UserId is null or empty"}},
		{"user without uuid", "/api/v1_1/user", `{"UserId":"bsg","Positions":[{"OrgUnitUuid":"x","Name":"y"}],"Person":{"Name":"Bo"}}`, answer{400, "Uuid is null empty"}},
		{"user without positions", "/api/user", `{"Uuid":"` + usr1 + `","UserId":"bsg","Positions":[],"Person":{"Name":"Bo"}}`, answer{400, "Positions is null or empty"}},
		{"position without unit", "/api/user", `{"Uuid":"` + usr1 + `","UserId":"bsg","Positions":[{"Name":"y"}],"Person":{"Name":"Bo"}}`, answer{400, "Position Name or OrgUnitUUID is null"}},
		{"position with null name", "/api/user", `{"Uuid":"` + usr1 + `","UserId":"bsg","Positions":[{"Name":null,"OrgUnitUuid":"x"}],"Person":{"Name":"Bo"}}`, answer{400, "Position Name or OrgUnitUUID is null"}},
		{"not JSON", "/api/user", `nonsense`, answer{400, "A non-empty request body is required."}},
		{"minimal valid user (API doc example), camelCase binder", "/api/v1_1/user", strings.ReplaceAll(validUser, `"UserId"`, `"userId"`), answer{200, ""}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, hs := start(t, Options{CVR: "29189846"})
			got := call(t, hs, http.MethodPost, tc.path, tc.body, nil)
			if got.status != tc.want.status || (tc.want.status == 400 && got.body != tc.want.body) {
				t.Fatalf("got %d %q, want %d %q", got.status, got.body, tc.want.status, tc.want.body)
			}
		})
	}
}

func TestClassicErrorsHaveNoBody(t *testing.T) {
	_, hs := start(t, Options{ClassicErrors: true})
	if got := call(t, hs, http.MethodPost, "/api/v1_1/orgunit", `{"Uuid":"`+ou1+`"}`, nil); got != (answer{400, ""}) {
		t.Fatalf("v1_1: %+v", got)
	}
	if got := call(t, hs, http.MethodPost, "/api/orgUnit", `{"Uuid":"`+ou1+`"}`, nil); got != (answer{400, "name is null"}) {
		t.Fatalf("os2sync keeps its messages: %+v", got)
	}
}

func TestTwoPositionsInOneUnit(t *testing.T) {
	two := `{"Uuid":"` + usr1 + `","UserId":"bsg","Positions":[{"OrgUnitUuid":"` + ou1 + `","Name":"A"},{"OrgUnitUuid":"` + strings.ToUpper(ou1) + `","Name":"B"}],"Person":{"Name":"Bo"}}`
	t.Run("lenient: 200 now, fails at processing, nothing stored", func(t *testing.T) {
		s, hs := start(t, Options{})
		if got := call(t, hs, http.MethodPost, "/api/v1_1/user", two, nil); got.status != 200 {
			t.Fatalf("%+v", got)
		}
		if _, ok := s.User(usr1); ok {
			t.Error("stored despite two positions in one unit")
		}
		if f := s.Failures(); len(f) != 1 || f[0].Message != "two positions in "+ou1 {
			t.Errorf("failures %+v", f)
		}
	})
	t.Run("strict: 400", func(t *testing.T) {
		_, hs := start(t, Options{Strict: true})
		if got := call(t, hs, http.MethodPost, "/api/user", two, nil); got != (answer{400, "two positions in " + ou1}) {
			t.Fatalf("%+v", got)
		}
	})
}

func TestStrictLengthLimits(t *testing.T) {
	name := func(n int) string { return `{"Uuid":"` + ou1 + `","Name":"` + strings.Repeat("ø", n) + `"}` }
	tests := []struct {
		path string
		n    int
		want int
	}{
		{"/api/v1_1/orgunit", 64, 200}, {"/api/v1_1/orgunit", 65, 400},
		{"/api/orgUnit", 200, 200}, {"/api/orgUnit", 201, 400},
	}
	for _, tc := range tests {
		_, hs := start(t, Options{Strict: true})
		if got := call(t, hs, http.MethodPost, tc.path, name(tc.n), nil); got.status != tc.want {
			t.Errorf("%s name of %d: %+v, want %d", tc.path, tc.n, got, tc.want)
		}
	}
	_, hs := start(t, Options{Strict: true})
	long := strings.Replace(validUser, `"Bo Søgaard"`, `"`+strings.Repeat("x", 101)+`"`, 1)
	if got := call(t, hs, http.MethodPost, "/api/user", long, nil); got != (answer{400, "Person.Name is longer than 100 characters"}) {
		t.Errorf("person name: %+v", got)
	}
	_, lax := start(t, Options{})
	if got := call(t, lax, http.MethodPost, "/api/user", long, nil); got.status != 200 {
		t.Errorf("lenient mode must accept: %+v", got)
	}
}

func TestUpsertDeleteGet(t *testing.T) {
	s, hs := start(t, Options{Now: func() time.Time { return time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC) }})
	post := call(t, hs, http.MethodPost, "/api/v1_1/orgunit/", `{"Uuid":"`+strings.ToUpper(ou1)+`","Name":"Borgerservice","Email":{"Value":"a@b.dk"}}`, nil)
	var echo map[string]any
	if err := json.Unmarshal([]byte(post.body), &echo); err != nil || post.status != 200 {
		t.Fatalf("post: %+v", post)
	}
	if echo["Uuid"] != ou1 || echo["Timestamp"] != "2026-01-01T11:55:00Z" || echo["Name"] != "Borgerservice" {
		t.Errorf("echo: %v", echo)
	}
	// Upsert replaces the whole object: Email is gone.
	call(t, hs, http.MethodPost, "/api/v1_1/orgunit", `{"Uuid":"`+ou1+`","Name":"Borgerservice 2"}`, nil)
	got := call(t, hs, http.MethodGet, "/api/v1_1/orgunit?uuid="+ou1, "", nil)
	if got.status != 200 || strings.Contains(got.body, "Email") || !strings.Contains(got.body, `"Borgerservice 2"`) {
		t.Errorf("get after replace: %+v", got)
	}
	if got2 := call(t, hs, http.MethodGet, "/api/v1_1/orgunit/"+ou1, "", nil); got2 != got {
		t.Errorf("path-style get differs: %+v", got2)
	}
	// Soft delete, 200 even for unknown uuids; GET then 404.
	if d := call(t, hs, http.MethodDelete, "/api/v1_1/orgunit?uuid="+ou1, "", nil); d != (answer{200, ""}) {
		t.Errorf("delete: %+v", d)
	}
	if d := call(t, hs, http.MethodDelete, "/api/v1_1/user/"+usr1, "", nil); d != (answer{200, `"` + usr1 + `"`}) {
		t.Errorf("classic user delete answers the uuid as a JSON string: %+v", d)
	}
	if d := call(t, hs, http.MethodDelete, "/api/orgUnit/"+ou2, "", nil); d != (answer{200, ""}) {
		t.Errorf("unknown delete: %+v", d)
	}
	if d := call(t, hs, http.MethodDelete, "/api/v1_1/orgunit", "", nil); d.status != 400 {
		t.Errorf("delete without uuid: %+v", d)
	}
	if g := call(t, hs, http.MethodGet, "/api/v1_1/orgunit?uuid="+ou1, "", nil); g.status != 404 {
		t.Errorf("get deleted: %+v", g)
	}
	if o, ok := s.Unit(ou1); !ok || o.Active {
		t.Errorf("soft delete: %+v %v", o, ok)
	}
	// Upsert re-activates.
	call(t, hs, http.MethodPost, "/API/ORGUNIT", `{"Uuid":"`+ou1+`","Name":"Igen"}`, nil)
	if o, _ := s.Unit(ou1); !o.Active || o.Dialect != "os2sync" {
		t.Errorf("re-activate: %+v", o)
	}
	if g := call(t, hs, http.MethodGet, "/api/orgunit/"+ou1, "", nil); g.status != 200 {
		t.Errorf("os2sync get, any case: %+v", g)
	}
	if g := call(t, hs, http.MethodGet, "/manage/health", "", nil); g.status != 200 {
		t.Errorf("health: %+v", g)
	}
}

func TestListCap(t *testing.T) {
	s, hs := start(t, Options{ListCap: 3})
	for i := range 5 {
		call(t, hs, http.MethodPost, "/api/v1_1/orgunit", fmt.Sprintf(`{"Uuid":"0000000a-0000-4000-8000-00000000000%d","Name":"U%d"}`, i, i), nil)
	}
	call(t, hs, http.MethodDelete, "/api/v1_1/orgunit/0000000a-0000-4000-8000-000000000000", "", nil)
	var ids []string
	got := call(t, hs, http.MethodGet, "/api/v1_1/orgunit", "", nil)
	if err := json.Unmarshal([]byte(got.body), &ids); err != nil || len(ids) != 3 || ids[0] != "0000000a-0000-4000-8000-000000000001" {
		t.Fatalf("list: %+v", got)
	}
	// OS2sync 4.x's all list feeds its cleanup, which needs every uuid:
	// not capped (inferred; sts-api.md names no cap for it).
	got = call(t, hs, http.MethodGet, "/api/orgUnit/all", "", nil)
	if json.Unmarshal([]byte(got.body), &ids); len(ids) != 4 {
		t.Fatalf("os2sync list: %+v", got)
	}
	if u, _ := s.Active(); u != 4 {
		t.Errorf("active units %d", u)
	}
}

func TestAuthFaultsAndRecording(t *testing.T) {
	s, hs := start(t, Options{CVR: "29189846", APIKey: "k", FailEvery: 3})
	if got := call(t, hs, http.MethodGet, "/api/user/all", "", map[string]string{"CVR": "12345678", "apiKey": "k"}); got.status != 401 {
		t.Errorf("wrong cvr: %+v", got)
	}
	if got := call(t, hs, http.MethodGet, "/api/user/all", "", nil); got.status != 401 {
		t.Errorf("missing api key: %+v", got)
	}
	if got := call(t, hs, http.MethodGet, "/api/user/all", "", map[string]string{"apiKey": "k"}); got.status != 500 {
		t.Errorf("third request should fail: %+v", got)
	}
	if got := call(t, hs, http.MethodPost, "/api/user", validUser, map[string]string{"apiKey": "k"}); got.status != 200 {
		t.Errorf("fourth: %+v", got)
	}
	reqs := s.Requests()
	if len(reqs) != 4 || reqs[3].Method != "POST" || reqs[3].Path != "/api/user" || string(reqs[3].Body) != validUser ||
		reqs[3].Header.Get("Cvr") != "29189846" || reqs[3].Dialect != "os2sync" {
		t.Errorf("recorded: %+v", reqs[len(reqs)-1])
	}
	s.SetFailEvery(0)
	s.FailNext(1)
	if got := call(t, hs, http.MethodGet, "/api/user/"+usr1, "", map[string]string{"apiKey": "k"}); got.status != 500 {
		t.Errorf("FailNext: %+v", got)
	}
	if got := call(t, hs, http.MethodGet, "/api/user/"+usr1, "", map[string]string{"apiKey": "k"}); got.status != 200 {
		t.Errorf("after FailNext: %+v", got)
	}
	s.ResetRequests()
	if s.RequestCount() != 0 {
		t.Error("reset")
	}
}

func TestQueuedUntilFlush(t *testing.T) {
	s, hs := start(t, Options{Queued: true})
	call(t, hs, http.MethodPost, "/api/v1_1/user", validUser, nil)
	call(t, hs, http.MethodPost, "/api/v1_1/orgunit", `{"Uuid":"`+ou1+`","Name":"A"}`, nil)
	if g := call(t, hs, http.MethodGet, "/api/v1_1/user/"+usr1, "", nil); g.status != 404 {
		t.Errorf("visible before flush: %+v", g)
	}
	s.Flush()
	if g := call(t, hs, http.MethodGet, "/api/v1_1/user/"+usr1, "", nil); g.status != 200 {
		t.Errorf("not visible after flush: %+v", g)
	}
}

func TestAcceptAll(t *testing.T) {
	s, hs := start(t, Options{AcceptAll: true})
	if got := call(t, hs, http.MethodPost, "/anything", "x", nil); got != (answer{200, "{}"}) || s.RequestCount() != 1 {
		t.Errorf("%+v", got)
	}
}
