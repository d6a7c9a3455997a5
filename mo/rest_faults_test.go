package mo

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"moxsync/engine"
)

// TestRESTFaults: the REST reader fails as clearly as the GraphQL one, and
// never returns a partial snapshot. The organisation, IT systems and facets
// answer; the unit list fails.
func TestRESTFaults(t *testing.T) {
	const org = "f06ee470-9f17-566f-acbe-e938112d46d9"
	tests := []struct {
		name      string
		fault     func(w http.ResponseWriter, r *http.Request)
		timeout   time.Duration
		wantKind  engine.Kind
		wantIn    []string
		wantCalls int32
	}{
		{"500 is retried, then fails", func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, 500, `{"error": true, "status": 500, "error_key": "E_UNKNOWN", "description": "LoRa timed out"}`)
		}, 0, engine.KindUnavailable, []string{"mo: read org units", "GET /service/o/" + org + "/ou/?", "after 3 attempts", "E_UNKNOWN", "LoRa timed out"}, 3},
		{"timeout is retried, then fails", func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-time.After(2 * time.Second):
			case <-r.Context().Done():
			}
		}, 50 * time.Millisecond, engine.KindUnavailable, []string{"timeout"}, 3},
		{"malformed JSON", func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, 200, `{"total": 812, "offset": 0, "items": [{"uuid": `)
		}, 0, engine.KindProtocol, []string{"malformed response"}, 1},
		{"a page that does not say its total", func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, 200, `{"offset": 0, "items": []}`)
		}, 0, engine.KindProtocol, []string{"MO protocol error", `response lacks "total"`}, 1},
		{"an empty page before the total", func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, 200, `{"total": 812, "offset": 0, "items": []}`)
		}, 0, engine.KindProtocol, []string{"empty page at 0 of 812"}, 1},
		{"401 without a token", func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, 401, `"Not authenticated"`)
		}, 0, engine.KindAuth, []string{"HTTP 401", "Not authenticated"}, 1},
		{"403 service API gone", func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, 403, `{"status": "Forbidden", "msg": "The Service API is gone"}`)
		}, 0, engine.KindPermission, []string{"The Service API is gone"}, 1},
		{"404 no such endpoint", func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, 404, `{"error": true, "status": 404, "error_key": "E_NO_SUCH_ENDPOINT", "description": "No such endpoint."}`)
		}, 0, engine.KindNotFound, []string{"E_NO_SUCH_ENDPOINT", "No such endpoint."}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var calls atomic.Int32
			var session atomic.Value
			mux := http.NewServeMux()
			mux.HandleFunc("GET /service/o/{$}", func(w http.ResponseWriter, r *http.Request) {
				session.Store(r.Header.Get("Session"))
				writeJSON(w, 200, `[{"name": "Hjørring Kommune", "user_key": "Hjørring Kommune", "uuid": "`+org+`"}]`)
			})
			mux.HandleFunc("GET /service/o/{org}/it/{$}", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, `[]`) })
			mux.HandleFunc("GET /service/o/{org}/f/{$}", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, `[]`) })
			mux.HandleFunc("GET /service/o/{org}/ou/{$}", func(w http.ResponseWriter, r *http.Request) {
				calls.Add(1)
				tt.fault(w, r)
			})
			srv := httptest.NewServer(mux)
			defer srv.Close()
			timeout := 2 * time.Second
			if tt.timeout > 0 {
				timeout = tt.timeout
			}
			c, err := New(Config{ServiceURL: srv.URL + "/service", API: APIREST, SAMLToken: "the-saml-token",
				Retries: 2, RetryBackoff: time.Millisecond, Timeout: timeout, Now: func() time.Time { return fixtureNow }})
			if err != nil {
				t.Fatal(err)
			}
			s, err := c.Snapshot(context.Background())
			if s != nil || err == nil {
				t.Fatalf("snapshot %v, err %v; want an error only", s != nil, err)
			}
			if engine.KindOf(err) != tt.wantKind {
				t.Errorf("kind %v, want %v: %v", engine.KindOf(err), tt.wantKind, err)
			}
			for _, w := range tt.wantIn {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("%q does not say %q", err, w)
				}
			}
			if strings.Contains(err.Error(), "the-saml-token") {
				t.Errorf("error shows the token: %v", err)
			}
			if n := calls.Load(); n != tt.wantCalls {
				t.Errorf("unit list called %d times, want %d", n, tt.wantCalls)
			}
			if session.Load() != "the-saml-token" {
				t.Errorf("SESSION header = %v", session.Load())
			}
		})
	}
}
