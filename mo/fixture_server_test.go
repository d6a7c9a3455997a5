package mo

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// fixtureGraphQL serves the GraphQL answers in testdata/gql: <op>.json for
// an unpaged operation, <op>-<page>.json for the pages of a paged one (the
// cursor of page N's next_cursor leads to page N+1). fault, when set, may
// answer a request itself (return true) to inject a failure.
type fixtureGraphQL struct {
	t     *testing.T
	fault func(w http.ResponseWriter, r *http.Request, op string, page int) bool

	mu      sync.Mutex
	next    map[string]int // cursor -> page
	calls   map[string]int // "op-page" -> requests
	queries []gqlRequest
}

func newFixtureGraphQL(t *testing.T) *fixtureGraphQL {
	return &fixtureGraphQL{t: t, next: map[string]int{}, calls: map[string]int{}}
}

func (f *fixtureGraphQL) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var req gqlRequest
	if r.Method != http.MethodPost || json.NewDecoder(r.Body).Decode(&req) != nil {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	page := 1
	if c, ok := req.Variables["cursor"].(string); ok {
		f.mu.Lock()
		page = f.next[c]
		f.mu.Unlock()
		if page == 0 {
			writeJSON(w, 200, `{"data": null, "errors": [{"message": "Invalid cursor"}]}`)
			return
		}
	}
	f.mu.Lock()
	f.calls[fmt.Sprintf("%s-%d", req.OperationName, page)]++
	f.queries = append(f.queries, req)
	f.mu.Unlock()
	if f.fault != nil && f.fault(w, r, req.OperationName, page) {
		return
	}
	name := filepath.Join("testdata", "gql", req.OperationName+".json")
	if _, paged := req.Variables["limit"]; paged {
		name = filepath.Join("testdata", "gql", fmt.Sprintf("%s-%d.json", req.OperationName, page))
	}
	body, err := os.ReadFile(name)
	if err != nil {
		f.t.Errorf("fixture server: %v", err)
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	var probe struct {
		Data map[string]struct {
			PageInfo struct {
				NextCursor *string `json:"next_cursor"`
			} `json:"page_info"`
		} `json:"data"`
	}
	if json.Unmarshal(body, &probe) == nil {
		for _, v := range probe.Data {
			if v.PageInfo.NextCursor != nil {
				f.mu.Lock()
				f.next[*v.PageInfo.NextCursor] = page + 1
				f.mu.Unlock()
			}
		}
	}
	writeJSON(w, 200, string(body))
}

func (f *fixtureGraphQL) callCount(key string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[key]
}

func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body))
}

// fixtureNow is the instant the fixtures are read at.
var fixtureNow = time.Date(2026, 3, 2, 10, 0, 0, 0, copenhagen)

// newFixtureClient starts an httptest server for h at /graphql/v<version> and
// returns a client for it with fast retries.
func newFixtureClient(t *testing.T, h http.Handler, version int, edit func(*Config)) (*Client, *httptest.Server) {
	t.Helper()
	mux := http.NewServeMux()
	mux.Handle(fmt.Sprintf("/graphql/v%d", version), h)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	cfg := Config{
		ServiceURL: srv.URL + "/service", GraphQLVersion: version, SAMLToken: "5f2c1a7e-0000-4000-8000-000000000001",
		Retries: 2, RetryBackoff: time.Millisecond, Timeout: 2 * time.Second,
		Now: func() time.Time { return fixtureNow },
	}
	if edit != nil {
		edit(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c, srv
}
