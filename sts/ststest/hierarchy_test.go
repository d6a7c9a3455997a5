package ststest

import (
	"encoding/json"
	"net/http"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

const (
	hRoot     = "0000000a-0000-4000-8000-0000000000a0"
	hChild    = "0000000a-0000-4000-8000-0000000000a1"
	hDetached = "0000000a-0000-4000-8000-0000000000a2"
	hUser     = "0000000b-0000-4000-8000-0000000000b1"
	hLoose    = "0000000b-0000-4000-8000-0000000000b2"
	hGone     = "0000000b-0000-4000-8000-0000000000b3"
)

var uuidRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func TestHierarchyRead(t *testing.T) {
	s, hs := start(t, Options{HierarchyPolls: 2})
	s.SeedUnit(dialectOS2sync, hRoot, "Kommune", "")
	s.SeedUnit(dialectOS2sync, hChild, "Skole", strings.ToUpper(hRoot))
	s.SeedUnit(dialectOS2sync, hDetached, "Løs", "0000000a-0000-4000-8000-0000000000ff")
	s.SeedUser(dialectOS2sync, hUser, "bsg", "Bo Søgaard", SeedPosition{"Lærer", hChild}, SeedPosition{"Vagt", hDetached})
	s.SeedUser(dialectOS2sync, hLoose, "løs", "Løs Person", SeedPosition{"Pedel", hDetached})
	s.SeedUser(dialectOS2sync, hGone, "gone", "Fratrådt", SeedPosition{"Lærer", hChild})
	if a := call(t, hs, http.MethodDelete, "/api/user/"+hGone, "", nil); a.status != 200 {
		t.Fatal(a)
	}

	if a := call(t, hs, http.MethodGet, "/api/v1_1/hierarchy", "", nil); a.status != 404 {
		t.Errorf("v1_1 hierarchy: %v, want 404", a)
	}
	a := call(t, hs, http.MethodGet, "/api/hierarchy", "", nil)
	if a.status != 200 || !uuidRE.MatchString(a.body) {
		t.Fatalf("start: %v, want 200 and a bare uuid", a)
	}
	id := a.body
	for i := range 2 {
		if a := call(t, hs, http.MethodGet, "/api/hierarchy/"+id, "", nil); a.status != 404 {
			t.Fatalf("poll %d: %v, want 404 (not ready)", i, a)
		}
	}
	a = call(t, hs, http.MethodGet, "/api/hierarchy/"+id, "", nil)
	if a.status != 200 {
		t.Fatalf("ready: %v", a)
	}
	var got struct {
		Created string
		Status  json.RawMessage
		Result  struct {
			OUs   []map[string]any
			Users []map[string]any
		}
	}
	if err := json.Unmarshal([]byte(a.body), &got); err != nil {
		t.Fatal(err)
	}
	wantOUs := []map[string]any{
		{"Uuid": hRoot, "Name": "Kommune", "ParentOU": nil},
		{"Uuid": hChild, "Name": "Skole", "ParentOU": hRoot},
	}
	if string(got.Status) != "0" || got.Created == "" || !reflect.DeepEqual(got.Result.OUs, wantOUs) {
		t.Errorf("status %s created %q OUs %v", got.Status, got.Created, got.Result.OUs)
	}
	wantUsers := []map[string]any{{
		"Uuid": hUser, "UserId": "bsg", "Name": "Bo Søgaard", "Email": nil, "Telephone": nil, "Status": 1.0,
		"Positions": []any{map[string]any{"Uuid": hChild, "Name": "Lærer"}},
	}}
	if !reflect.DeepEqual(got.Result.Users, wantUsers) {
		t.Errorf("users %v\nwant %v", got.Result.Users, wantUsers)
	}
	if a := call(t, hs, http.MethodGet, "/api/hierarchy/"+id, "", nil); a.status != 404 {
		t.Errorf("second read: %v, want 404 (the entry is gone after the first read)", a)
	}
	if n := s.HierarchyReads(); n != 0 {
		t.Errorf("%d reads left", n)
	}
}

func TestHierarchyFailureAndExpiry(t *testing.T) {
	var mu sync.Mutex
	now := time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	_, hs := start(t, Options{HierarchyFailure: true, Now: clock})
	id := call(t, hs, http.MethodGet, "/api/hierarchy", "", nil).body
	if a := call(t, hs, http.MethodGet, "/api/hierarchy/"+id, "", nil); a.status != 200 || !strings.Contains(a.body, `"Result":null`) || !strings.Contains(a.body, `"Status":1`) {
		t.Errorf("failed read: %v, want Status 1 and Result null", a)
	}
	id = call(t, hs, http.MethodGet, "/api/hierarchy", "", nil).body
	mu.Lock()
	now = now.Add(61 * time.Minute)
	mu.Unlock()
	if a := call(t, hs, http.MethodGet, "/api/hierarchy/"+id, "", nil); a.status != 404 {
		t.Errorf("after an hour: %v, want 404 (expired)", a)
	}
	if a := call(t, hs, http.MethodPost, "/api/hierarchy", "{}", nil); a.status != http.StatusMethodNotAllowed {
		t.Errorf("POST: %v", a)
	}
}

func TestListsCapAndAllRoutes(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts Options
		path string
		want answer
	}{
		{"v1_1 list capped", Options{ListCap: 2}, "/api/v1_1/orgunit", answer{200, `["` + hRoot + `","` + hChild + `"]`}},
		{"os2sync 4.x all, not capped", Options{ListCap: 2}, "/api/orgUnit/all", answer{200, `["` + hRoot + `","` + hChild + `","` + hDetached + `"]`}},
		{"os2sync before 4.x: no all route", Options{NoAllLists: true}, "/api/orgUnit/all", answer{404, ""}},
		{"os2sync user/all", Options{}, "/api/user/all", answer{200, `["` + hUser + `"]`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, hs := start(t, tc.opts)
			s.SeedUnit(dialectV11, hRoot, "Kommune", "")
			s.SeedUnit(dialectV11, hChild, "Skole", hRoot)
			s.SeedUnit(dialectV11, hDetached, "Løs", "")
			s.SeedUser(dialectV11, hUser, "bsg", "Bo", SeedPosition{"Lærer", hChild})
			a := call(t, hs, http.MethodGet, tc.path, "", nil)
			a.body = strings.TrimSpace(a.body)
			if a != tc.want {
				t.Errorf("got %v, want %v", a, tc.want)
			}
		})
	}
}

func TestSeedValidates(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("a user without positions was seeded")
		}
	}()
	New(Options{}).SeedUser(dialectV11, hUser, "bsg", "Bo")
}
