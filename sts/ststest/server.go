package ststest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

const (
	kindUnit = "orgunit"
	kindUser = "user"

	dialectV11     = "v1_1"
	dialectOS2sync = "os2sync"
)

// Request is one recorded request.
type Request struct {
	Time    time.Time
	Method  string
	Path    string
	Query   string
	Header  http.Header
	Body    []byte
	Dialect string // "v1_1" or "os2sync" by path; "" for other paths
}

// Object is one stored unit or user.
type Object struct {
	UUID    string
	Kind    string // "orgunit" or "user"
	Dialect string // the dialect it was posted in
	JSON    []byte // as posted, uuid lower-cased, Timestamp added
	Active  bool
}

// Failure is a queued write the middleware failed to process; the client
// was told 200 and never learns of it (it only shows in the middleware's
// log and failure tables).
type Failure struct {
	Kind    string
	UUID    string
	Message string
}

type queued struct {
	kind, uuid, dialect string
	body                []byte // nil for a delete
	o                   obj
}

// Server is the fake middleware. It is safe for concurrent use.
type Server struct {
	opts Options

	mu       sync.Mutex
	requests []Request
	objects  map[string]map[string]*Object // kind → uuid → object
	queue    []queued
	failures []Failure
	hier     map[string]*hierarchyEntry // started hierarchy reads by request uuid
	n        int                        // requests served
	failNext int
}

// New returns a fake middleware with an empty store.
func New(opts Options) *Server {
	if opts.ListCap == 0 {
		opts.ListCap = 500
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Server{opts: opts, objects: map[string]map[string]*Object{kindUnit: {}, kindUser: {}}, hier: map[string]*hierarchyEntry{}}
}

// SetFailEvery changes Options.FailEvery.
func (s *Server) SetFailEvery(n int) { s.mu.Lock(); s.opts.FailEvery = n; s.mu.Unlock() }

// SetHierarchyFailure changes Options.HierarchyFailure.
func (s *Server) SetHierarchyFailure(fail bool) {
	s.mu.Lock()
	s.opts.HierarchyFailure = fail
	s.mu.Unlock()
}

// SetLatency changes Options.Latency.
func (s *Server) SetLatency(d time.Duration) { s.mu.Lock(); s.opts.Latency = d; s.mu.Unlock() }

// FailNext makes the next n requests answer 500.
func (s *Server) FailNext(n int) { s.mu.Lock(); s.failNext = n; s.mu.Unlock() }

// Requests returns a copy of the recorded requests, oldest first.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.requests)
}

// RequestCount returns the number of recorded requests.
func (s *Server) RequestCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.requests)
}

// ResetRequests forgets the recorded requests.
func (s *Server) ResetRequests() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = nil
}

// Failures returns the writes that failed at processing time.
func (s *Server) Failures() []Failure {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.failures)
}

// Unit returns a stored unit (active or not).
func (s *Server) Unit(uuid string) (Object, bool) { return s.object(kindUnit, uuid) }

// User returns a stored user (active or not).
func (s *Server) User(uuid string) (Object, bool) { return s.object(kindUser, uuid) }

func (s *Server) object(kind, uuid string) (Object, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.objects[kind][strings.ToLower(uuid)]
	if !ok {
		return Object{}, false
	}
	return *o, true
}

// Active returns the number of active units and users.
func (s *Server) Active() (units, users int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, o := range s.objects[kindUnit] {
		if o.Active {
			units++
		}
	}
	for _, o := range s.objects[kindUser] {
		if o.Active {
			users++
		}
	}
	return units, users
}

// Seed stores an object directly, as if another system had written it to
// STS. kind is "orgunit" or "user"; body is the JSON of the dialect.
func (s *Server) Seed(kind, dialect string, body []byte) {
	var o obj
	if json.Unmarshal(body, &o) != nil {
		panic("ststest: Seed: body is not a JSON object")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.applyLocked(queued{kind: kind, dialect: dialect, body: body, o: o, uuid: uuidOf(o)})
}

// Flush processes the queued writes (Options.Queued): all units first, then
// all users, each in arrival order, as the middleware's scheduler does.
func (s *Server) Flush() {
	s.mu.Lock()
	defer s.mu.Unlock()
	q := s.queue
	s.queue = nil
	for _, kind := range []string{kindUnit, kindUser} {
		for _, w := range q {
			if w.kind == kind {
				s.applyLocked(w)
			}
		}
	}
}

// applyLocked performs one write: an upsert replaces the whole object and
// re-activates it, a delete deactivates it (a no-op for an unknown uuid).
func (s *Server) applyLocked(w queued) {
	store := s.objects[w.kind]
	if w.body == nil {
		if o, ok := store[w.uuid]; ok {
			o.Active = false
		}
		return
	}
	if w.kind == kindUser {
		if ou := twoPositions(w.o); ou != "" {
			s.failures = append(s.failures, Failure{Kind: w.kind, UUID: w.uuid, Message: "two positions in " + ou})
			return
		}
	}
	store[w.uuid] = &Object{UUID: w.uuid, Kind: w.kind, Dialect: w.dialect, JSON: w.body, Active: true}
}

func uuidOf(o obj) string {
	u, _ := o.str("Uuid")
	return strings.ToLower(strings.TrimSpace(u))
}

// ServeHTTP answers one request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 32<<20))
	route := parseRoute(r.URL.Path)

	s.mu.Lock()
	s.requests = append(s.requests, Request{Time: s.opts.Now(), Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery,
		Header: r.Header.Clone(), Body: body, Dialect: route.dialect})
	s.n++
	fail := s.failNext > 0 || (s.opts.FailEvery > 0 && s.n%s.opts.FailEvery == 0)
	if s.failNext > 0 {
		s.failNext--
	}
	latency := s.opts.Latency
	s.mu.Unlock()

	if latency > 0 {
		t := time.NewTimer(latency)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return
		}
	}
	if fail {
		text(w, http.StatusInternalServerError, "Internal Server Error")
		return
	}
	if s.opts.AcceptAll {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, "{}")
		return
	}
	if s.opts.CVR != "" && r.Header.Get("CVR") != s.opts.CVR {
		text(w, http.StatusUnauthorized, "Missing or unknown cvr header")
		return
	}
	if s.opts.APIKey != "" && r.Header.Get("apiKey") != s.opts.APIKey {
		text(w, http.StatusUnauthorized, "Invalid apiKey")
		return
	}
	switch {
	case route.health:
		if r.Method != http.MethodGet {
			w.WriteHeader(http.StatusMethodNotAllowed)
			return
		}
		w.WriteHeader(http.StatusOK)
	case route.hierarchy:
		s.hierarchy(w, r, route)
	case route.kind == "":
		http.NotFound(w, r)
	case r.Method == http.MethodPost && route.id == "":
		s.post(w, route, body)
	case r.Method == http.MethodDelete:
		s.delete(w, r, route)
	case r.Method == http.MethodGet:
		s.get(w, r, route)
	default:
		w.WriteHeader(http.StatusMethodNotAllowed)
	}
}

type route struct {
	dialect string
	kind    string // orgunit | user | "" (unknown)
	id      string // path segment after the kind ("" when none)
	health  bool
	// hierarchy is OS2sync's /api/hierarchy[/{id}] (id in id).
	hierarchy bool
}

// parseRoute maps a path to a dialect, kind and id. Paths are matched
// case-insensitively (ASP.NET and OWIN routing ignore case).
func parseRoute(path string) route {
	p := strings.ToLower(strings.TrimSuffix(path, "/"))
	var rt route
	switch {
	case p == "" || p == "/manage/health":
		return route{health: true, dialect: dialectOS2sync}
	case strings.HasPrefix(p, "/api/v1_1/"):
		rt.dialect, p = dialectV11, p[len("/api/v1_1/"):]
	case strings.HasPrefix(p, "/api/"):
		rt.dialect, p = dialectOS2sync, p[len("/api/"):]
	default:
		return rt
	}
	kind, id, _ := strings.Cut(p, "/")
	if kind == "hierarchy" && rt.dialect == dialectOS2sync && !strings.Contains(id, "/") {
		rt.hierarchy, rt.id = true, id
		return rt
	}
	if kind != kindUnit && kind != kindUser || strings.Contains(id, "/") {
		return route{dialect: rt.dialect}
	}
	rt.kind, rt.id = kind, id
	return rt
}

func (s *Server) badRequest(w http.ResponseWriter, rt route, msg string) {
	if s.opts.ClassicErrors && rt.dialect == dialectV11 {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	text(w, http.StatusBadRequest, msg)
}

func (s *Server) limits(rt route) Limits {
	if s.opts.Limits != (Limits{}) {
		return s.opts.Limits
	}
	if rt.dialect == dialectV11 {
		return LimitsClassicMSSQL
	}
	return LimitsOS2sync
}

func (s *Server) post(w http.ResponseWriter, rt route, body []byte) {
	var o obj
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&o); err != nil || o == nil {
		s.badRequest(w, rt, "A non-empty request body is required.")
		return
	}
	var msg string
	if rt.kind == kindUnit {
		msg = validateUnit(o)
	} else {
		msg = validateUser(o)
	}
	if msg == "" && s.opts.Strict {
		msg = tooLong(rt.kind, o, s.limits(rt))
		if msg == "" && rt.kind == kindUser {
			if ou := twoPositions(o); ou != "" {
				msg = "two positions in " + ou
			}
		}
	}
	if msg != "" {
		s.badRequest(w, rt, msg)
		return
	}
	id := uuidOf(o)
	for k := range o {
		if strings.EqualFold(k, "Uuid") {
			o[k] = id
		}
	}
	if ts, _ := o.str("Timestamp"); ts == "" {
		o["Timestamp"] = s.opts.Now().Add(-5 * time.Minute).Format(time.RFC3339)
	}
	stored, _ := json.Marshal(o)
	wr := queued{kind: rt.kind, uuid: id, dialect: rt.dialect, body: stored, o: o}
	s.mu.Lock()
	if s.opts.Queued {
		s.queue = append(s.queue, wr)
	} else {
		s.applyLocked(wr)
	}
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	w.Write(stored)
}

// objectID is the uuid of a DELETE or GET: ?uuid= (classic v1_1) or the
// path segment (docker v1_1 and OS2sync).
func objectID(r *http.Request, rt route) (string, bool) {
	if rt.id != "" {
		return rt.id, true
	}
	if rt.dialect == dialectV11 && r.URL.Query().Has("uuid") {
		return strings.ToLower(strings.TrimSpace(r.URL.Query().Get("uuid"))), true
	}
	return "", false
}

func (s *Server) delete(w http.ResponseWriter, r *http.Request, rt route) {
	id, ok := objectID(r, rt)
	if !ok || id == "" {
		// The classic queue insert fails on a NULL uuid.
		s.badRequest(w, rt, "uuid is null")
		return
	}
	wr := queued{kind: rt.kind, uuid: id, dialect: rt.dialect}
	s.mu.Lock()
	if s.opts.Queued {
		s.queue = append(s.queue, wr)
	} else {
		s.applyLocked(wr)
	}
	s.mu.Unlock()
	if rt.dialect == dialectV11 && rt.kind == kindUser {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		b, _ := json.Marshal(id)
		w.Write(b)
		return
	}
	w.WriteHeader(http.StatusOK)
}

func (s *Server) get(w http.ResponseWriter, r *http.Request, rt route) {
	id, ok := objectID(r, rt)
	switch {
	case rt.dialect == dialectOS2sync && rt.id == "all" && !s.opts.NoAllLists, rt.dialect == dialectV11 && !ok:
		s.list(w, rt)
		return
	case !ok:
		// OS2sync has no list at /api/orgUnit.
		w.WriteHeader(http.StatusMethodNotAllowed)
		return
	case id == "":
		s.badRequest(w, rt, "uuid is null")
		return
	}
	s.mu.Lock()
	o, found := s.objects[rt.kind][id]
	var b []byte
	if found && o.Active {
		b = o.JSON
	}
	s.mu.Unlock()
	if b == nil {
		w.WriteHeader(http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Write(b)
}

func (s *Server) list(w http.ResponseWriter, rt route) {
	s.mu.Lock()
	ids := make([]string, 0, len(s.objects[rt.kind]))
	for id, o := range s.objects[rt.kind] {
		if o.Active {
			ids = append(ids, id)
		}
	}
	s.mu.Unlock()
	slices.Sort(ids)
	if s.opts.ListCap > 0 && len(ids) > s.opts.ListCap && rt.dialect == dialectV11 {
		ids = ids[:s.opts.ListCap]
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	json.NewEncoder(w).Encode(ids)
}

func text(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(status)
	io.WriteString(w, msg)
}
