package mo

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"moxsync/mo/motest"
)

// The protocol tests serve MO's answers (the fake's, or the fixtures) with
// one field removed, or set to null, and check that the read fails as a
// protocol error naming the endpoint and the field, and never returns a
// snapshot.

// dropRule says which answers to change: those of the GraphQL operation op,
// or of REST GETs whose path matches path; in each, for every field, the
// key named by its last element, in every object reached by the elements
// before it (arrays are entered element by element), is removed, or set
// to null.
type dropRule struct {
	op     string
	path   *regexp.Regexp
	fields [][]string
	null   bool
}

// dropper passes requests to next and rewrites the answers its rule
// matches. It records the query text of every GraphQL operation it sees.
type dropper struct {
	next http.Handler

	mu      sync.Mutex
	rule    *dropRule
	queries map[string]string
	changed atomic.Int64 // fields removed or nulled under the current rule
}

func newDropper(next http.Handler) *dropper {
	return &dropper{next: next, queries: map[string]string{}}
}

func (d *dropper) set(r *dropRule) {
	d.mu.Lock()
	d.rule = r
	d.mu.Unlock()
	d.changed.Store(0)
}

func (d *dropper) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	op := ""
	if strings.HasPrefix(r.URL.Path, "/graphql/") && r.Method == http.MethodPost {
		b, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(b))
		var req gqlRequest
		if json.Unmarshal(b, &req) == nil {
			op = req.OperationName
			d.mu.Lock()
			d.queries[op] = req.Query
			d.mu.Unlock()
		}
	}
	d.mu.Lock()
	rule := d.rule
	d.mu.Unlock()
	match := rule != nil && ((rule.op != "" && rule.op == op) ||
		(rule.path != nil && r.Method == http.MethodGet && rule.path.MatchString(r.URL.Path)))
	if !match {
		d.next.ServeHTTP(w, r)
		return
	}
	rec := httptest.NewRecorder()
	d.next.ServeHTTP(rec, r)
	body := rec.Body.Bytes()
	if rec.Code == http.StatusOK {
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.UseNumber()
		var v any
		if dec.Decode(&v) == nil {
			n := 0
			for _, f := range rule.fields {
				n += dropIn(v, f, rule.null)
			}
			if n > 0 {
				d.changed.Add(int64(n))
				body, _ = json.Marshal(v)
			}
		}
	}
	for k, vs := range rec.Header() {
		if k != "Content-Length" {
			w.Header()[k] = vs
		}
	}
	w.WriteHeader(rec.Code)
	_, _ = w.Write(body)
}

// dropIn removes (or nulls) field's last key in v, and returns how many
// objects it changed.
func dropIn(v any, field []string, null bool) int {
	if arr, ok := v.([]any); ok {
		n := 0
		for _, e := range arr {
			n += dropIn(e, field, null)
		}
		return n
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return 0
	}
	key := field[0]
	if len(field) > 1 {
		return dropIn(obj[key], field[1:], null)
	}
	if _, ok := obj[key]; !ok {
		return 0
	}
	if null {
		obj[key] = nil
	} else {
		delete(obj, key)
	}
	return 1
}

// protocolWorld is the fake MO behind a dropper, and clients for it.
type protocolWorld struct {
	ds *motest.Dataset
	d  *dropper
	hs *httptest.Server
}

const (
	pwClientID = "moxsync"
	pwSecret   = "protocol-test-secret"
	pwSession  = "7b0c3f0e-1d5e-4a8a-9c41-5d2f0a6b9e11"
)

// newProtocolWorld serves the demo data set. One IT system that IT users
// refer to has ended, so the GraphQL reader also resolves IT systems by
// uuid (ITSystemsByUUID).
func newProtocolWorld(t *testing.T) *protocolWorld {
	t.Helper()
	ds := motest.Generate(motest.SizeDemo, 1)
	ended := ds.ITUsers[0].ITSystemUUID
	for i := range ds.ITSystems {
		if s := &ds.ITSystems[i]; s.UUID == ended {
			s.Validity.To = ds.Today.AddDate(0, 0, -1).UTC()
		}
	}
	now := ds.Today.Add(10 * time.Hour)
	srv := motest.NewServer(ds, motest.Options{Now: func() time.Time { return now }, RequireAuth: true,
		ClientID: pwClientID, ClientSecret: pwSecret, SessionTokens: []string{pwSession}})
	d := newDropper(srv)
	hs := httptest.NewServer(d)
	t.Cleanup(hs.Close)
	return &protocolWorld{ds: ds, d: d, hs: hs}
}

// client is a new client (so nothing is cached from an earlier read).
func (w *protocolWorld) client(t *testing.T, api string) *Client {
	t.Helper()
	now := w.ds.Today.Add(10 * time.Hour)
	cfg := Config{ServiceURL: w.hs.URL + "/service", API: api, GraphQLVersion: 29, TopUnitUUID: w.ds.TopUnitUUID,
		Now: func() time.Time { return now }, Timeout: 10 * time.Second, RetryBackoff: time.Millisecond}
	if api == APIGraphQL {
		cfg.ClientID, cfg.ClientSecret = pwClientID, pwSecret
	} else {
		cfg.SAMLToken = pwSession
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

// personWithITUsers is a person of the data set who has IT users.
func (w *protocolWorld) personWithITUsers() string {
	for _, it := range w.ds.ITUsers {
		if it.PersonUUID != "" {
			return it.PersonUUID
		}
	}
	return ""
}

// noCPR fails when msg shows a CPR number of the data set.
func (w *protocolWorld) noCPR(t *testing.T, msg string) {
	t.Helper()
	for _, p := range w.ds.People {
		if p.CPR != "" && (strings.Contains(msg, p.CPR) || strings.Contains(msg, p.CPR[:6]+"-"+p.CPR[6:])) {
			t.Errorf("error shows a CPR number: %s", msg)
			return
		}
	}
}
