package sts

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"moxsync/engine"
	"moxsync/sts/ststest"
)

const (
	hRoot  = "0000000a-0000-4000-8000-0000000000a0"
	hChild = "0000000a-0000-4000-8000-0000000000a1"
	hLoose = "0000000a-0000-4000-8000-0000000000a2" // its parent is not in STS
	hUser  = "0000000b-0000-4000-8000-0000000000b1"
)

func seedSmall(fake *ststest.Server, dialect string) {
	fake.SeedUnit(dialect, hRoot, "Kommune", "")
	fake.SeedUnit(dialect, hChild, "Skole", hRoot)
	fake.SeedUnit(dialect, hLoose, "Løs", "0000000a-0000-4000-8000-0000000000ff")
	fake.SeedUser(dialect, hUser, "bsg", "Bo", ststest.SeedPosition{Name: "Lærer", OrgUnitUUID: hChild})
}

func TestHoldings(t *testing.T) {
	tests := []struct {
		name    string
		dialect string
		opts    ststest.Options
		want    Holdings
		reads   []string // the paths read, in order of first use
	}{
		{"v1_1 lists", DialectV11, ststest.Options{},
			Holdings{Units: []string{hRoot, hChild, hLoose}, Users: []string{hUser}, Via: "list"},
			[]string{"/api/v1_1/orgunit", "/api/v1_1/user"}},
		{"os2sync 4.x: hierarchy and all", DialectOS2sync, ststest.Options{HierarchyPolls: 2},
			Holdings{Units: []string{hRoot, hChild, hLoose}, Users: []string{hUser}, Via: "hierarchy+all"},
			[]string{"/api/hierarchy", "/api/hierarchy/*", "/api/orgUnit/all", "/api/user/all"}},
		{"os2sync 2.x: hierarchy alone misses a detached unit", DialectOS2sync, ststest.Options{NoAllLists: true},
			Holdings{Units: []string{hRoot, hChild}, Users: []string{hUser}, Via: "hierarchy"},
			[]string{"/api/hierarchy", "/api/hierarchy/*", "/api/orgUnit/all", "/api/user/all"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, fake := fakeClient(t, tc.opts, Config{Dialect: tc.dialect, HierarchyPoll: time.Millisecond})
			seedSmall(fake, tc.dialect)
			got, err := c.Holdings(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("holdings %+v\nwant %+v", got, tc.want)
			}
			seen := map[string]bool{}
			for _, r := range fake.Requests() {
				p := r.Path
				if strings.HasPrefix(p, "/api/hierarchy/") {
					p = "/api/hierarchy/*"
				}
				if r.Method != http.MethodGet {
					t.Errorf("holdings wrote: %s %s", r.Method, r.Path)
				}
				seen[p] = true
			}
			for _, p := range tc.reads {
				if !seen[p] {
					t.Errorf("no read of %s (requests %v)", p, seen)
				}
			}
			if fake.HierarchyReads() != 0 {
				t.Error("a hierarchy read was left unfetched")
			}
		})
	}
}

func TestHoldingsCapped(t *testing.T) {
	c, fake := fakeClient(t, ststest.Options{}, Config{})
	for i := range ListCap + 20 {
		fake.SeedUnit(DialectV11, fmt.Sprintf("0000000a-0000-4000-8000-%012x", i), fmt.Sprintf("Enhed %d", i), "")
	}
	fake.SeedUser(DialectV11, hUser, "bsg", "Bo", ststest.SeedPosition{Name: "Lærer", OrgUnitUUID: hChild})
	got, err := c.Holdings(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Units) != ListCap || !got.UnitsCapped || got.UsersCapped || len(got.Users) != 1 {
		t.Errorf("%d units (capped %v), %d users (capped %v); want %d capped and 1", len(got.Units), got.UnitsCapped, len(got.Users), got.UsersCapped, ListCap)
	}
}

func TestHoldingsFailures(t *testing.T) {
	tests := []struct {
		name    string
		dialect string
		opts    ststest.Options
		fail    string // path prefix answered 500
		cfg     Config
		want    string
	}{
		{"v1_1 user list fails", DialectV11, ststest.Options{}, "/api/v1_1/user", Config{}, "HTTP 500"},
		{"hierarchy fails in the middleware", DialectOS2sync, ststest.Options{HierarchyFailure: true}, "", Config{}, "Status FAILURE"},
		{"hierarchy never ready", DialectOS2sync, ststest.Options{HierarchyPolls: 1 << 20}, "", Config{HierarchyWait: 20 * time.Millisecond}, "not ready after"},
		{"hierarchy start fails", DialectOS2sync, ststest.Options{}, "/api/hierarchy", Config{}, "HTTP 500"},
		{"all list fails with 500", DialectOS2sync, ststest.Options{}, "/api/user/all", Config{}, "HTTP 500"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fake := ststest.New(tc.opts)
			seedSmall(fake, tc.dialect)
			hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if tc.fail != "" && r.URL.Path == tc.fail {
					http.Error(w, "Internal Server Error", http.StatusInternalServerError)
					return
				}
				fake.ServeHTTP(w, r)
			}))
			t.Cleanup(hs.Close)
			cfg := tc.cfg
			cfg.BaseURL, cfg.Dialect, cfg.Retries, cfg.HierarchyPoll = hs.URL+"/api/v1_1", tc.dialect, -1, time.Millisecond
			if tc.dialect == DialectOS2sync {
				cfg.BaseURL = hs.URL + "/api"
			}
			c, err := New(cfg)
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.Holdings(t.Context())
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one with %q", err, tc.want)
			}
			if k := engine.KindOf(err); k != engine.KindUnavailable {
				t.Errorf("kind %v, want unavailable", k)
			}
		})
	}
}
