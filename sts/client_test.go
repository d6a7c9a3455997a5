package sts

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
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
	top  = "0000000a-0000-4000-8000-000000000000"
	ou1  = "0000000a-0000-4000-8000-000000000001"
	usr1 = "0000000b-0000-4000-8000-000000000001"
	mgr  = "0000000b-0000-4000-8000-000000000009"
	it1  = "0000000c-0000-4000-8000-000000000001"
)

func fakeClient(t *testing.T, opts ststest.Options, cfg Config) (*Client, *ststest.Server) {
	t.Helper()
	fake := ststest.New(opts)
	hs := httptest.NewServer(fake)
	t.Cleanup(hs.Close)
	if cfg.BaseURL == "" {
		cfg.BaseURL = hs.URL + "/api/v1_1"
		if cfg.Dialect == DialectOS2sync {
			cfg.BaseURL = hs.URL + "/api"
		}
	} else {
		cfg.BaseURL = hs.URL + cfg.BaseURL
	}
	if cfg.Backoff == 0 {
		cfg.Backoff = time.Millisecond
	}
	if cfg.CVR == "" {
		cfg.CVR = "29189846"
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c, fake
}

func testUnit() engine.STSUnit {
	return engine.STSUnit{
		UUID: ou1, Name: "Borgerservice", ParentUUID: top, ManagerUUID: mgr,
		Phone:            &engine.STSAddress{UUID: "a1", Value: "44 44 44 44"},
		Email:            &engine.STSAddress{UUID: "a2", Value: "bs@kommune.dk"},
		Location:         &engine.STSAddress{UUID: "a3", Value: "1003456789"},
		Ean:              &engine.STSAddress{UUID: "a4", Value: "5798000000001"},
		Post:             &engine.STSAddress{UUID: "a5", Value: "Rådhusvej 1, 2920 Charlottenlund"},
		ContactOpenHours: &engine.STSAddress{UUID: "a6", Value: "Man-fre 9-15"},
		URL:              &engine.STSAddress{Value: "https://kommune.dk/bs"},
		ITSystemUUIDs:    []string{it1},
	}
}

func testUser(dialect string) engine.STSUser {
	u := engine.STSUser{
		UUID: usr1, UserID: "bsg",
		Phone:     &engine.STSAddress{UUID: "p1", Value: "40 40 40 40"},
		Email:     &engine.STSAddress{UUID: "p2", Value: "bsg@kommune.dk"},
		Positions: []engine.STSPosition{{UUID: "e1", Name: "Udvikler", OrgUnitUUID: ou1}},
		Person:    engine.STSPerson{UUID: usr1, Name: "Bo Søgaard", CPR: "0101801234"},
	}
	if dialect == DialectOS2sync {
		u.Phone.UUID, u.Email.UUID, u.Positions[0].UUID, u.Person.UUID = "", "", "", ""
	}
	return u
}

func TestClientPayloadsAndRoundTrip(t *testing.T) {
	tests := []struct {
		dialect, deleteStyle      string
		unitPath, userPath        string
		unitBody, userBody        string
		delUnitPath, delUnitQuery string
		wantUnitBack              func(engine.STSUnit) engine.STSUnit
	}{
		{
			dialect: DialectV11, unitPath: "/api/v1_1/orgunit/", userPath: "/api/v1_1/user",
			unitBody: `{"Uuid":"` + ou1 + `","Name":"Borgerservice","ParentOrgUnitUuid":"` + top + `",` +
				`"Phone":{"Uuid":"a1","Value":"44 44 44 44"},"Email":{"Uuid":"a2","Value":"bs@kommune.dk"},` +
				`"Location":{"Uuid":"a3","Value":"1003456789"},"ContactOpenHours":{"Uuid":"a6","Value":"Man-fre 9-15"},` +
				`"Ean":{"Uuid":"a4","Value":"5798000000001"},"Post":{"Uuid":"a5","Value":"Rådhusvej 1, 2920 Charlottenlund"},` +
				`"ItSystemUuids":["` + it1 + `"]}`,
			userBody: `{"Uuid":"` + usr1 + `","UserId":"bsg","Phone":{"Uuid":"p1","Value":"40 40 40 40"},"Email":{"Uuid":"p2","Value":"bsg@kommune.dk"},` +
				`"Positions":[{"Uuid":"e1","Name":"Udvikler","OrgUnitUuid":"` + ou1 + `"}],"Person":{"Uuid":"` + usr1 + `","Name":"Bo Søgaard","Cpr":"0101801234"}}`,
			delUnitPath: "/api/v1_1/orgunit/" + ou1,
			// v1_1 has neither Url nor ManagerUuid.
			wantUnitBack: func(u engine.STSUnit) engine.STSUnit { u.URL, u.ManagerUUID = nil, ""; return u },
		},
		{
			dialect: DialectV11, deleteStyle: DeleteQuery, unitPath: "/api/v1_1/orgunit/", userPath: "/api/v1_1/user",
			delUnitPath: "/api/v1_1/orgunit", delUnitQuery: "uuid=" + ou1,
			wantUnitBack: func(u engine.STSUnit) engine.STSUnit { u.URL, u.ManagerUUID = nil, ""; return u },
		},
		{
			dialect: DialectOS2sync, unitPath: "/api/orgUnit", userPath: "/api/user",
			unitBody: `{"Uuid":"` + ou1 + `","Name":"Borgerservice","ParentOrgUnitUuid":"` + top + `","ManagerUuid":"` + mgr + `",` +
				`"PhoneNumber":"44 44 44 44","Email":"bs@kommune.dk","Location":"1003456789","ContactOpenHours":"Man-fre 9-15",` +
				`"Ean":"5798000000001","Post":"Rådhusvej 1, 2920 Charlottenlund","Url":"https://kommune.dk/bs",` +
				`"ItSystemUuids":["` + it1 + `"],"ItSystems":["` + it1 + `"]}`,
			userBody: `{"Uuid":"` + usr1 + `","UserId":"bsg","PhoneNumber":"40 40 40 40","Email":"bsg@kommune.dk",` +
				`"Positions":[{"Name":"Udvikler","OrgUnitUuid":"` + ou1 + `"}],"Person":{"Name":"Bo Søgaard","Cpr":"0101801234"}}`,
			delUnitPath: "/api/orgUnit/" + ou1,
			// The flat dialect has no address uuids.
			wantUnitBack: func(u engine.STSUnit) engine.STSUnit {
				for _, a := range []**engine.STSAddress{&u.Phone, &u.Email, &u.Location, &u.Ean, &u.Post, &u.ContactOpenHours, &u.URL} {
					*a = &engine.STSAddress{Value: (*a).Value}
				}
				return u
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.dialect+"/"+tc.deleteStyle, func(t *testing.T) {
			c, fake := fakeClient(t, ststest.Options{CVR: "29189846", APIKey: "secret-key", Strict: true, Limits: ststest.LimitsOS2sync},
				Config{Dialect: tc.dialect, DeleteStyle: tc.deleteStyle, APIKey: "secret-key", UserAgent: "moxsync/test"})
			ctx := t.Context()
			unit, user := testUnit(), testUser(tc.dialect)
			if err := c.UpsertUnit(ctx, unit); err != nil {
				t.Fatal(err)
			}
			if err := c.UpsertUser(ctx, user); err != nil {
				t.Fatal(err)
			}
			reqs := fake.Requests()
			if len(reqs) != 2 {
				t.Fatalf("%d requests", len(reqs))
			}
			for i, want := range []struct{ path, body string }{{tc.unitPath, tc.unitBody}, {tc.userPath, tc.userBody}} {
				r := reqs[i]
				if r.Method != http.MethodPost || r.Path != want.path {
					t.Errorf("request %d: %s %s, want POST %s", i, r.Method, r.Path, want.path)
				}
				if want.body != "" && string(r.Body) != want.body {
					t.Errorf("request %d body:\n got %s\nwant %s", i, r.Body, want.body)
				}
				for h, v := range map[string]string{"CVR": "29189846", "apiKey": "secret-key", "Content-Type": "application/json", "User-Agent": "moxsync/test"} {
					if got := r.Header.Get(h); got != v {
						t.Errorf("request %d header %s = %q, want %q", i, h, got, v)
					}
				}
			}
			gotUnit, err := c.GetUnit(ctx, ou1)
			if err != nil {
				t.Fatal(err)
			}
			if want := tc.wantUnitBack(testUnit()); !reflect.DeepEqual(gotUnit, want) {
				t.Errorf("unit read back:\n got %+v\nwant %+v", gotUnit, want)
			}
			gotUser, err := c.GetUser(ctx, usr1)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(gotUser, user) {
				t.Errorf("user read back:\n got %+v\nwant %+v", gotUser, user)
			}
			fake.ResetRequests()
			if err := c.DeleteUnit(ctx, strings.ToUpper(ou1)); err != nil {
				t.Fatal(err)
			}
			if r := fake.Requests()[0]; r.Method != http.MethodDelete || r.Path != tc.delUnitPath || r.Query != tc.delUnitQuery {
				t.Errorf("delete: %s %s ? %s", r.Method, r.Path, r.Query)
			}
			if _, err := c.GetUnit(ctx, ou1); engine.KindOf(err) != engine.KindNotFound {
				t.Errorf("get after delete: %v", err)
			}
			if err := c.DeleteUser(ctx, usr1); err != nil {
				t.Fatal(err)
			}
			if _, err := c.GetUser(ctx, usr1); engine.KindOf(err) != engine.KindNotFound {
				t.Errorf("get user after delete: %v", err)
			}
		})
	}
}

func TestClientRetriesAndErrors(t *testing.T) {
	ctx := t.Context()
	t.Run("5xx is retried, then succeeds", func(t *testing.T) {
		c, fake := fakeClient(t, ststest.Options{}, Config{Retries: 2})
		fake.FailNext(2)
		if err := c.UpsertUnit(ctx, testUnit()); err != nil {
			t.Fatal(err)
		}
		if n := fake.RequestCount(); n != 3 {
			t.Errorf("%d requests, want 3", n)
		}
	})
	t.Run("5xx beyond the retries is unavailable", func(t *testing.T) {
		c, fake := fakeClient(t, ststest.Options{}, Config{Retries: 2})
		fake.FailNext(10)
		err := c.UpsertUser(ctx, testUser(DialectV11))
		if engine.KindOf(err) != engine.KindUnavailable || !strings.Contains(err.Error(), "HTTP 500") {
			t.Fatalf("err = %v", err)
		}
		if n := fake.RequestCount(); n != 3 {
			t.Errorf("%d requests, want 3", n)
		}
	})
	t.Run("400 is permanent and carries the middleware's message", func(t *testing.T) {
		c, fake := fakeClient(t, ststest.Options{}, Config{Dialect: DialectOS2sync})
		u := testUser(DialectOS2sync)
		u.Positions = nil
		err := c.UpsertUser(ctx, u)
		if engine.KindOf(err) != engine.KindInvalid || !strings.HasSuffix(err.Error(), "HTTP 400: Positions is null or empty") {
			t.Fatalf("err = %v", err)
		}
		if n := fake.RequestCount(); n != 1 {
			t.Errorf("%d requests, want 1 (no retry)", n)
		}
	})
	t.Run("classic 400 without a body", func(t *testing.T) {
		c, _ := fakeClient(t, ststest.Options{ClassicErrors: true}, Config{})
		u := testUnit()
		u.Name = ""
		if err := c.UpsertUnit(ctx, u); engine.KindOf(err) != engine.KindInvalid || !strings.Contains(err.Error(), "without a message") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("network error is unavailable after retries", func(t *testing.T) {
		hs := httptest.NewServer(http.NotFoundHandler())
		hs.Close()
		c, err := New(Config{BaseURL: hs.URL + "/api/v1_1", Retries: 1, Backoff: time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		if err := c.UpsertUnit(ctx, testUnit()); engine.KindOf(err) != engine.KindUnavailable {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("context cancel stops the retries", func(t *testing.T) {
		c, fake := fakeClient(t, ststest.Options{}, Config{Retries: 5, Backoff: time.Hour})
		fake.FailNext(10)
		cctx, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
		defer cancel()
		if err := c.UpsertUnit(cctx, testUnit()); engine.KindOf(err) != engine.KindUnavailable {
			t.Fatalf("err = %v", err)
		}
	})
}

func TestClientDeleteAnswers(t *testing.T) {
	tests := []struct {
		status  int
		body    string
		want    engine.Kind // KindOther with wantNil
		wantNil bool
		warned  bool
	}{
		{status: 404, wantNil: true, warned: true},
		{status: 200, wantNil: true},
		{status: 400, body: "bad 010180-1234 row", want: engine.KindInvalid},
		{status: 403, want: engine.KindPermission},
		{status: 401, want: engine.KindAuth},
		{status: 503, want: engine.KindUnavailable},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprint(tc.status), func(t *testing.T) {
			n := 0
			hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				n++
				w.WriteHeader(tc.status)
				w.Write([]byte(tc.body))
			}))
			defer hs.Close()
			var logs bytes.Buffer
			c, _ := New(Config{BaseURL: hs.URL + "/api/v1_1", Retries: -1, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
			err := c.DeleteUser(t.Context(), usr1)
			if tc.wantNil != (err == nil) || (err != nil && engine.KindOf(err) != tc.want) {
				t.Fatalf("err = %v", err)
			}
			if err != nil && strings.Contains(err.Error(), "1234") {
				t.Errorf("CPR not masked: %v", err)
			}
			if got := strings.Contains(logs.String(), "404"); got != tc.warned {
				t.Errorf("warning logged = %v: %s", got, logs.String())
			}
		})
	}
}

func TestClientListIsMaybeTruncated(t *testing.T) {
	c, fake := fakeClient(t, ststest.Options{ListCap: 500}, Config{})
	for i := range 501 {
		fake.Seed("orgunit", "v1_1", fmt.Appendf(nil, `{"Uuid":"0000000a-0000-4000-8000-%012d","Name":"U"}`, i))
	}
	l, err := c.ListUnits(t.Context())
	if err != nil || len(l.UUIDs) != 500 || !l.MaybeTruncated {
		t.Fatalf("list: %d %v %v", len(l.UUIDs), l.MaybeTruncated, err)
	}
	l, err = c.ListUsers(t.Context())
	if err != nil || len(l.UUIDs) != 0 || l.MaybeTruncated {
		t.Fatalf("users: %+v %v", l, err)
	}
}

func TestConfigChecks(t *testing.T) {
	for _, cfg := range []Config{
		{BaseURL: "ftp://x/api"},
		{BaseURL: "http://x/api", Dialect: "v2"},
		{BaseURL: "http://x/api", DeleteStyle: "body"},
		{BaseURL: "http://x/api", Dialect: DialectOS2sync, DeleteStyle: DeleteQuery},
	} {
		if _, err := New(cfg); err == nil {
			t.Errorf("%+v accepted", cfg)
		}
	}
	c, err := New(Config{BaseURL: "https://x/api/v1_1/"})
	if err != nil || c.postURL("orgunit") != "https://x/api/v1_1/orgunit/" || c.postURL("user") != "https://x/api/v1_1/user" {
		t.Fatalf("%v %s", err, c.postURL("orgunit"))
	}
}

func TestClientCheck(t *testing.T) {
	c, _ := fakeClient(t, ststest.Options{CVR: "29189846"}, Config{})
	if err := c.Check(t.Context()); err != nil {
		t.Fatal(err)
	}
	bad, _ := fakeClient(t, ststest.Options{CVR: "11111111"}, Config{})
	if err := bad.Check(t.Context()); engine.KindOf(err) != engine.KindAuth {
		t.Fatalf("wrong CVR: %v", err)
	}
}
