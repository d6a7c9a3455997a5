package motest

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
	graphql "github.com/graph-gophers/graphql-go"
)

// Options tunes a Server. The zero value serves without auth, latency or
// faults, with the clock frozen at the data set's Today 10:00.
type Options struct {
	// Now is the server's clock ("now" for current/present and default
	// filters). Default: Dataset.Today + 10h, fixed.
	Now func() time.Time
	// Latency is added before every request is handled.
	Latency time.Duration
	// FailEvery makes every Nth request (counting all requests) fail with
	// HTTP 500. 0 disables it.
	FailEvery int
	// DieAfter makes every request after the first DieAfter ones lose its
	// connection without a response, like a server that died. 0 disables it.
	DieAfter int
	// PageCap caps GraphQL pages below the requested limit, so pages come
	// back short. 0 disables it.
	PageCap int
	// RequireAuth makes REST answer 401 and GraphQL "User is not
	// authenticated" without a valid credential.
	RequireAuth bool
	// Tokens are Bearer tokens always accepted (besides issued ones).
	Tokens []string
	// SessionTokens are accepted in the SESSION header (SAML-era API tokens).
	SessionTokens []string
	// ClientID and ClientSecret are the client credentials the token
	// endpoint accepts. Empty ClientID disables the endpoint (404).
	ClientID     string
	ClientSecret string
	// TokenTTL is the lifetime of issued tokens (default 300 s).
	TokenTTL time.Duration
	// MOVersion is reported by /version/ and the version query
	// (default "29.3.0").
	MOVersion string
	// EventRetryDelay is the shortest wait before an event fetched but not
	// acknowledged is handed out again (default 3 minutes, MO's; the wait
	// grows as MO's exponential backoff). See events.go.
	EventRetryDelay time.Duration
	// EventNow is the clock retry delays are measured on (default
	// time.Now, so redelivery also works while Now stands still).
	EventNow func() time.Time
}

// Server is a fake OS2MO: GraphQL at /graphql/vN (N 20..30), REST at
// /service, GET /version/, and a Keycloak-style token endpoint at
// /auth/realms/{realm}/protocol/openid-connect/token.
type Server struct {
	opts Options

	// rw guards idx, d and pos: a read request holds it shared for its
	// whole handling; a write request (REST POST, GraphQL mutation) and
	// Reload hold it exclusively, and writes change the index in place.
	rw  sync.RWMutex
	d   *Dataset
	idx atomic.Pointer[index]
	pos positions // where d holds each IT user and address

	countMu sync.Mutex
	counts  map[string]int
	ops     map[string]int // GraphQL requests by operation name
	reqNo   atomic.Int64

	tokMu  sync.Mutex
	issued map[string]time.Time // token -> expiry

	schemaMu sync.Mutex
	schemas  map[int]*graphql.Schema

	ev *eventBus // listeners and pending events (events.go)
}

// NewServer serves d. The Server reads d through an index built now; its
// own writes update d and the index together (incrementally); after
// changing d directly, call Reload.
func NewServer(d *Dataset, opts Options) *Server {
	if opts.Now == nil {
		now := d.Today.Add(10 * time.Hour)
		opts.Now = func() time.Time { return now }
	}
	if opts.TokenTTL == 0 {
		opts.TokenTTL = 300 * time.Second
	}
	s := &Server{opts: opts, d: d, counts: map[string]int{}, issued: map[string]time.Time{}, schemas: map[int]*graphql.Schema{}, ev: newEventBus(opts)}
	s.idx.Store(buildIndex(d))
	s.pos = newPositions(d)
	return s
}

// Reload re-reads the Dataset after it was changed directly: the whole
// index is rebuilt. (The server's own writes need no Reload.)
func (s *Server) Reload() {
	s.rw.Lock()
	defer s.rw.Unlock()
	s.idx.Store(buildIndex(s.d))
	s.pos = newPositions(s.d)
	s.reschedule()
}

// Dataset returns the served data set. Do not change it while the server
// runs without holding off requests, and call Reload afterwards.
func (s *Server) Dataset() *Dataset { return s.d }

// Handler returns the server as an http.Handler.
func (s *Server) Handler() http.Handler { return s }

// Start serves on a loopback port for a test; close the returned server.
func (s *Server) Start() *httptest.Server { return httptest.NewServer(s) }

// ListenAndServe serves on addr until ctx ends.
func (s *Server) ListenAndServe(ctx context.Context, addr string) error {
	srv := &http.Server{Addr: addr, Handler: s, ReadHeaderTimeout: 10 * time.Second}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	go func() {
		<-ctx.Done()
		srv.Close()
	}()
	err = srv.Serve(ln)
	if ctx.Err() != nil {
		return nil
	}
	return err
}

// Requests returns how many requests each endpoint got, keyed by method and
// path with uuids replaced by {id}, e.g. "GET /service/e/{id}/details/it" or
// "POST /graphql/v29".
func (s *Server) Requests() map[string]int {
	s.countMu.Lock()
	defer s.countMu.Unlock()
	out := make(map[string]int, len(s.counts))
	for k, v := range s.counts {
		out[k] = v
	}
	return out
}

// TotalRequests is the sum of Requests.
func (s *Server) TotalRequests() int {
	n := 0
	for _, v := range s.Requests() {
		n += v
	}
	return n
}

// Operations returns how many GraphQL requests named each operation
// (operationName, "" when none was named), e.g. "FetchEvent", "People"
// (a full snapshot's people) or "PeopleByUUID" (a partial read).
func (s *Server) Operations() map[string]int {
	s.countMu.Lock()
	defer s.countMu.Unlock()
	out := make(map[string]int, len(s.ops))
	for k, v := range s.ops {
		out[k] = v
	}
	return out
}

// countOperation counts one GraphQL request of the named operation.
func (s *Server) countOperation(name string) {
	s.countMu.Lock()
	if s.ops == nil {
		s.ops = map[string]int{}
	}
	s.ops[name]++
	s.countMu.Unlock()
}

// Reset zeroes the request and operation counts and the FailEvery/DieAfter
// counter.
func (s *Server) Reset() {
	s.countMu.Lock()
	s.counts = map[string]int{}
	s.ops = map[string]int{}
	s.countMu.Unlock()
	s.reqNo.Store(0)
}

func (s *Server) moVersion() string {
	if s.opts.MOVersion != "" {
		return s.opts.MOVersion
	}
	return "29.3.0"
}

func endpointLabel(r *http.Request) string {
	parts := strings.Split(r.URL.Path, "/")
	for i, p := range parts {
		if len(p) == 36 {
			if _, err := uuid.Parse(p); err == nil {
				parts[i] = "{id}"
			}
		}
	}
	return r.Method + " " + strings.Join(parts, "/")
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.countMu.Lock()
	s.counts[endpointLabel(r)]++
	s.countMu.Unlock()
	n := s.reqNo.Add(1)
	if s.opts.Latency > 0 {
		select {
		case <-time.After(s.opts.Latency):
		case <-r.Context().Done():
			return
		}
	}
	if s.opts.DieAfter > 0 && n > int64(s.opts.DieAfter) {
		if hj, ok := w.(http.Hijacker); ok {
			if c, _, err := hj.Hijack(); err == nil {
				c.Close()
				return
			}
		}
		panic(http.ErrAbortHandler)
	}
	if s.opts.FailEvery > 0 && n%int64(s.opts.FailEvery) == 0 {
		if strings.HasPrefix(r.URL.Path, "/service/") {
			writeMOError(w, errUnknown("Injected failure"))
			return
		}
		http.Error(w, "Internal Server Error", http.StatusInternalServerError)
		return
	}
	p := r.URL.Path
	switch {
	case p == "/version/" && r.Method == http.MethodGet:
		writeJSON(w, http.StatusOK, map[string]any{"mo_hash": "880bd2009baccbdf795a8cef3b5b32b42c91c51b", "mo_version": s.moVersion(), "lora_version": s.moVersion()})
	case strings.HasPrefix(p, "/auth/realms/"):
		s.serveToken(w, r)
	case strings.HasPrefix(p, "/graphql/v"):
		s.serveGraphQL(w, r)
	case strings.HasPrefix(p, "/service/"):
		s.serveREST(w, r)
	default:
		writeJSON(w, http.StatusNotFound, map[string]any{"detail": "Not Found"})
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	w.Write(b)
}

// reqState builds the state a GraphQL request reads.
func (s *Server) reqState(ver int) *reqState {
	return &reqState{x: s.idx.Load(), now: s.opts.Now(), ver: ver, pageCap: s.opts.PageCap, moVersion: s.moVersion()}
}
