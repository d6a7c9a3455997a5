package motest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func tokenRequest(t *testing.T, endpoint string, form url.Values) (int, map[string]any) {
	t.Helper()
	resp, err := http.Post(endpoint, "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("decode %q: %v", b, err)
	}
	return resp.StatusCode, m
}

func TestTokenEndpoint(t *testing.T) {
	s := NewServer(Generate(SizeDemo, 1), Options{RequireAuth: true, ClientID: "moxsync", ClientSecret: "hemmelig", TokenTTL: 300 * time.Millisecond})
	hs := s.Start()
	defer hs.Close()
	endpoint := hs.URL + "/auth/realms/mo/protocol/openid-connect/token"
	good := url.Values{"grant_type": {"client_credentials"}, "client_id": {"moxsync"}, "client_secret": {"hemmelig"}}
	for _, tc := range []struct {
		name   string
		form   url.Values
		status int
		err    string
	}{
		{"wrong secret", url.Values{"grant_type": {"client_credentials"}, "client_id": {"moxsync"}, "client_secret": {"nej"}}, 401, "unauthorized_client"},
		{"unknown client", url.Values{"grant_type": {"client_credentials"}, "client_id": {"andre"}, "client_secret": {"hemmelig"}}, 401, "invalid_client"},
		{"wrong grant", url.Values{"grant_type": {"password"}, "client_id": {"moxsync"}, "client_secret": {"hemmelig"}}, 400, "unsupported_grant_type"},
	} {
		status, body := tokenRequest(t, endpoint, tc.form)
		if status != tc.status || body["error"] != tc.err || body["error_description"] == nil {
			t.Errorf("%s: %d %v", tc.name, status, body)
		}
	}
	status, body := tokenRequest(t, endpoint, good)
	tok, _ := body["access_token"].(string)
	if status != 200 || tok == "" || body["token_type"] != "Bearer" || body["expires_in"] != 0.0 {
		// TTL 300 ms rounds down to 0 s; real Keycloak gives whole seconds.
		t.Fatalf("token: %d %v", status, body)
	}
	if parts := strings.Split(tok, "."); len(parts) != 3 {
		t.Errorf("token is not JWT-shaped: %s", tok)
	}
	ok := func() int {
		st, _ := getJSON(t, hs.URL+"/service/o/", "Authorization", "Bearer "+tok)
		return st
	}
	if st := ok(); st != 200 {
		t.Fatalf("fresh token refused: %d", st)
	}
	res := postGQL(t, hs.URL+"/graphql/v29", `{ org { uuid } }`, nil, "Authorization", "Bearer "+tok)
	if len(res.Errors) > 0 {
		t.Fatalf("fresh token refused by GraphQL: %s", res.raw)
	}
	time.Sleep(400 * time.Millisecond)
	st, body2 := getJSON(t, hs.URL+"/service/o/", "Authorization", "Bearer "+tok)
	if st != 401 || dig(body2, "status") != "Unauthorized" {
		t.Errorf("expired token: %d %v", st, body2)
	}
	res = postGQL(t, hs.URL+"/graphql/v29", `{ org { uuid } }`, nil, "Authorization", "Bearer "+tok)
	if len(res.Errors) != 1 || res.Errors[0]["message"] != "User is not authenticated" {
		t.Errorf("expired token accepted by GraphQL: %s", res.raw)
	}
	// Basic client authentication works too.
	req, _ := http.NewRequest(http.MethodPost, endpoint, strings.NewReader("grant_type=client_credentials"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth("moxsync", "hemmelig")
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Errorf("basic auth: %v %v", err, resp)
	}
	resp.Body.Close()
}

func TestKnobs(t *testing.T) {
	d := Generate(SizeDemo, 1)
	t.Run("fail every third", func(t *testing.T) {
		s := NewServer(d, Options{FailEvery: 3})
		hs := s.Start()
		defer hs.Close()
		var got []int
		for i := 0; i < 6; i++ {
			st, _ := getJSON(t, hs.URL+"/service/o/")
			got = append(got, st)
		}
		if want := []int{200, 200, 500, 200, 200, 500}; !equalInts(got, want) {
			t.Errorf("statuses %v, want %v", got, want)
		}
		getJSON(t, hs.URL+"/service/o/")
		if s.Requests()["GET /service/o/"] != 7 {
			t.Errorf("counts %v", s.Requests())
		}
		s.Reset()
		if s.TotalRequests() != 0 {
			t.Errorf("reset: %v", s.Requests())
		}
	})
	t.Run("latency", func(t *testing.T) {
		s := NewServer(d, Options{Latency: 60 * time.Millisecond})
		hs := s.Start()
		defer hs.Close()
		start := time.Now()
		getJSON(t, hs.URL+"/service/o/")
		if el := time.Since(start); el < 60*time.Millisecond {
			t.Errorf("answered in %v", el)
		}
	})
	t.Run("dies", func(t *testing.T) {
		s := NewServer(d, Options{DieAfter: 2})
		hs := s.Start()
		defer hs.Close()
		for i := 0; i < 3; i++ {
			resp, err := http.Get(hs.URL + "/service/o/")
			if i < 2 && err != nil {
				t.Fatalf("request %d: %v", i, err)
			}
			if i == 2 && err == nil {
				resp.Body.Close()
				t.Fatalf("request after DieAfter answered %d", resp.StatusCode)
			}
			if err == nil {
				resp.Body.Close()
			}
		}
	})
	t.Run("counts by endpoint", func(t *testing.T) {
		s := NewServer(d, Options{})
		hs := s.Start()
		defer hs.Close()
		getJSON(t, hs.URL+"/service/e/"+d.People[0].UUID+"/details/it")
		getJSON(t, hs.URL+"/service/e/"+d.People[1].UUID+"/details/it")
		postGQL(t, hs.URL+"/graphql/v22", `{ org { uuid } }`, nil)
		got := s.Requests()
		if got["GET /service/e/{id}/details/it"] != 2 || got["POST /graphql/v22"] != 1 {
			t.Errorf("counts %v", got)
		}
	})
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
