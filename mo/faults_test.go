package mo

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"moxsync/engine"
)

// TestSnapshotFaults: every failure gives a clear, classified error and no
// snapshot at all.
func TestSnapshotFaults(t *testing.T) {
	const e500 = `{"error": true, "status": 500, "error_key": "E_UNKNOWN", "description": "database connection lost"}`
	tests := []struct {
		name     string
		fault    func(w http.ResponseWriter, r *http.Request, op string, page int) bool
		timeout  time.Duration
		wantKind engine.Kind
		wantIn   []string // substrings of the error
		// calls of "op-page" the fault must have seen (retries included)
		callsKey  string
		wantCalls int
	}{
		{
			name: "500 on a later page is retried, then fails",
			fault: func(w http.ResponseWriter, _ *http.Request, op string, page int) bool {
				if op == "People" && page == 3 {
					writeJSON(w, 500, e500)
					return true
				}
				return false
			},
			wantKind: engine.KindUnavailable,
			wantIn:   []string{"mo: read employees", "/graphql/v22 (People)", "after 3 attempts", "HTTP 500", "E_UNKNOWN", "database connection lost"},
			callsKey: "People-3", wantCalls: 3,
		},
		{
			name: "a timeout is retried, then fails",
			fault: func(w http.ResponseWriter, r *http.Request, op string, page int) bool {
				if op == "Units" {
					select {
					case <-time.After(2 * time.Second):
					case <-r.Context().Done():
					}
					return true
				}
				return false
			},
			timeout:  50 * time.Millisecond,
			wantKind: engine.KindUnavailable,
			wantIn:   []string{"mo: read org units", "timeout"},
			callsKey: "Units-1", wantCalls: 3,
		},
		{
			name: "malformed JSON is not retried",
			fault: func(w http.ResponseWriter, _ *http.Request, op string, page int) bool {
				if op == "People" && page == 2 {
					writeJSON(w, 200, `{"data": {"employees": {"page_info": {"next_cursor": `)
					return true
				}
				return false
			},
			wantKind: engine.KindProtocol,
			wantIn:   []string{"mo: read employees", "malformed response"},
			callsKey: "People-2", wantCalls: 1,
		},
		{
			name: "an HTML error page with status 200",
			fault: func(w http.ResponseWriter, _ *http.Request, op string, page int) bool {
				if op == "Classes" {
					w.Header().Set("Content-Type", "text/html")
					_, _ = w.Write([]byte("<html><body>Service Unavailable</body></html>"))
					return true
				}
				return false
			},
			wantKind: engine.KindProtocol,
			wantIn:   []string{"mo: read classes", "malformed response"},
		},
		{
			name: "not authenticated",
			fault: func(w http.ResponseWriter, _ *http.Request, op string, page int) bool {
				writeJSON(w, 200, `{"data": null, "errors": [{"message": "User is not authenticated", "locations": [{"line": 1, "column": 13}], "path": ["org"]}]}`)
				return true
			},
			wantKind: engine.KindAuth,
			wantIn:   []string{"User is not authenticated"},
		},
		{
			name: "HTTP 401",
			fault: func(w http.ResponseWriter, _ *http.Request, op string, page int) bool {
				writeJSON(w, 401, `{"status": "Unauthorized", "msg": "Signature has expired"}`)
				return true
			},
			wantKind: engine.KindAuth,
			wantIn:   []string{"HTTP 401", "Signature has expired"},
		},
		{
			name: "no read permission",
			fault: func(w http.ResponseWriter, _ *http.Request, op string, page int) bool {
				if op == "People" {
					writeJSON(w, 200, `{"data": null, "errors": [{"message": "No policy approved the access", "path": ["employees"]}]}`)
					return true
				}
				return false
			},
			wantKind: engine.KindPermission,
			wantIn:   []string{"No policy approved the access"},
		},
		{
			name: "a GraphQL error with MO's error context",
			fault: func(w http.ResponseWriter, _ *http.Request, op string, page int) bool {
				if op == "Units" {
					writeJSON(w, 200, `{"data": null, "errors": [{"message": "ErrorCodes.E_INVALID_INPUT", "path": ["org_units"],
						"extensions": {"error_context": {"error": true, "status": 400, "error_key": "E_INVALID_INPUT", "description": "Invalid input."}}}]}`)
					return true
				}
				return false
			},
			wantKind: engine.KindInvalid,
			wantIn:   []string{"E_INVALID_INPUT", "Invalid input."},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fx := newFixtureGraphQL(t)
			fx.fault = tt.fault
			c, _ := newFixtureClient(t, fx, 22, func(c *Config) {
				c.PageSize = 2
				if tt.timeout > 0 {
					c.Timeout = tt.timeout
				}
			})
			s, err := c.Snapshot(context.Background())
			if s != nil {
				t.Errorf("got a snapshot with the error: %d units, %d people", len(s.Units), len(s.People))
			}
			if err == nil {
				t.Fatal("no error")
			}
			if k := engine.KindOf(err); k != tt.wantKind {
				t.Errorf("kind = %v, want %v (%v)", k, tt.wantKind, err)
			}
			for _, w := range tt.wantIn {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
			if tt.callsKey != "" {
				if got := fx.callCount(tt.callsKey); got != tt.wantCalls {
					t.Errorf("%s called %d times, want %d", tt.callsKey, got, tt.wantCalls)
				}
			}
		})
	}
}

// TestRetryRecovers: a read that fails with 500 twice succeeds on the third
// attempt, and the snapshot is whole.
func TestRetryRecovers(t *testing.T) {
	fx := newFixtureGraphQL(t)
	var fails atomic.Int32
	fx.fault = func(w http.ResponseWriter, _ *http.Request, op string, page int) bool {
		if op == "People" && page == 2 && fails.Add(1) <= 2 {
			writeJSON(w, 502, `<html>Bad Gateway</html>`)
			return true
		}
		return false
	}
	c, _ := newFixtureClient(t, fx, 22, func(c *Config) { c.PageSize = 2 })
	s, err := c.Snapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(s.People) != 3 || fx.callCount("People-2") != 3 {
		t.Errorf("people %d, page 2 calls %d; want 3 and 3", len(s.People), fx.callCount("People-2"))
	}
}

// TestServerDiesMidPaging: after the first page of people the server stops
// answering (connections closed); the read fails, with no partial snapshot.
func TestServerDiesMidPaging(t *testing.T) {
	fx := newFixtureGraphQL(t)
	var dead atomic.Bool
	fx.fault = func(w http.ResponseWriter, _ *http.Request, op string, page int) bool {
		if op == "People" && page == 2 {
			dead.Store(true)
		}
		if !dead.Load() {
			return false
		}
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close()
		}
		return true
	}
	c, srv := newFixtureClient(t, fx, 22, func(c *Config) { c.PageSize = 2 })
	s, err := c.Snapshot(context.Background())
	if s != nil || err == nil {
		t.Fatalf("snapshot %v, err %v; want an error only", s != nil, err)
	}
	if engine.KindOf(err) != engine.KindUnavailable || !strings.Contains(err.Error(), "after 3 attempts") {
		t.Errorf("err = %v", err)
	}
	// And with the server gone entirely.
	srv.Close()
	if _, err := c.Snapshot(context.Background()); engine.KindOf(err) != engine.KindUnavailable {
		t.Errorf("server gone: err = %v, want unavailable", err)
	}
}

// TestSnapshotCancelled: cancelling the context stops the read at once.
func TestSnapshotCancelled(t *testing.T) {
	fx := newFixtureGraphQL(t)
	ctx, cancel := context.WithCancel(context.Background())
	fx.fault = func(w http.ResponseWriter, r *http.Request, op string, page int) bool {
		if op == "People" && page == 2 {
			cancel()
			<-r.Context().Done()
			return true
		}
		return false
	}
	c, _ := newFixtureClient(t, fx, 22, func(c *Config) { c.PageSize = 2 })
	start := time.Now()
	s, err := c.Snapshot(ctx)
	if s != nil || !errors.Is(err, context.Canceled) {
		t.Fatalf("snapshot %v, err %v; want context.Canceled", s != nil, err)
	}
	if fx.callCount("People-2") != 1 || time.Since(start) > time.Second {
		t.Errorf("retried after cancel: %d calls in %v", fx.callCount("People-2"), time.Since(start))
	}
}
