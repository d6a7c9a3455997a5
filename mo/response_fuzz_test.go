package mo_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"moxsync/engine"
	"moxsync/mo"
	"moxsync/mo/motest"
)

// The MO response fuzz targets replay a recording of a small fake MO (a
// top unit, two units below it, three people) to a real client, with one
// answer replaced by the fuzzed status and body: every decoder of MO's
// answers (GraphQL and REST, reads and a write) meets arbitrary bytes in
// the place of an answer it knows, with consistent answers around it.

// fuzzMaxInsert bounds the fuzzed bytes. The fuzzer minimizes every new
// input by removing bytes, which costs a number of runs quadratic in the
// input's length; a run here is a round of HTTP calls (one to several
// milliseconds), so the fuzzed bytes are a short splice into the recorded
// answer (see spliceAnswer), not a whole answer of kilobytes. Even so a
// run spends much of its time minimizing; fuzz these targets with a short
// -fuzzminimizetime (CI uses 0), e.g.
//
//	go test -run '^$' -fuzz '^FuzzRESTResponse$' -fuzztime 1m -fuzzminimizetime 2s ./mo
const fuzzMaxInsert = 256

// fuzzStatuses are the HTTP statuses the fuzzed answer comes with.
var fuzzStatuses = []int{200, 200, 200, 200, 201, 204, 400, 401, 403, 404, 409, 422, 429, 500, 503}

// spliceWhole as cut replaces the whole recorded answer by the insert.
const spliceWhole = 0xffff

// FuzzGraphQLResponse: see fuzzResponse.
func FuzzGraphQLResponse(f *testing.F) { fuzzResponse(f, mo.APIGraphQL) }

// FuzzRESTResponse: see fuzzResponse.
func FuzzRESTResponse(f *testing.F) { fuzzResponse(f, mo.APIREST) }

// fuzzResponse fuzzes the answer to one of the requests the client makes
// (which, modulo their number): its status is fuzzStatuses[status mod
// len], its body the recorded one with cut bytes at at replaced by insert
// (or insert alone, when cut is spliceWhole). The client must never panic
// or hang; every call returns data or an *engine.Error; an answer of 200
// that is not JSON is a KindProtocol error; and the recorded answer itself
// gives exactly the recorded results.
func fuzzResponse(f *testing.F, api string) {
	rec := recordFuzzWorld(f, api)
	// Every recorded answer as it is (the round trip), and one way of
	// spoiling it, in turn (few seeds: they run in every go test -race).
	for i, k := range rec.keys {
		n := uint16(len(rec.answers[k].body))
		f.Add(uint8(i), uint8(0), uint16(0), uint16(0), []byte{})
		switch i % 4 {
		case 0:
			f.Add(uint8(i), uint8(0), uint16(0), uint16(spliceWhole), []byte(`{}`))
		case 1:
			at, cut := firstMember(rec.answers[k].body)
			f.Add(uint8(i), uint8(0), at, cut, []byte{}) // a field missing
		case 2:
			f.Add(uint8(i), uint8(0), n/2, n, []byte{}) // cut short
		case 3:
			f.Add(uint8(i), uint8(7), uint16(0), uint16(spliceWhole), []byte(`{"error": true, "status": 401, "error_key": "E_UNAUTHORIZED", "description": "No"}`))
		}
	}
	f.Add(uint8(0), uint8(0), uint16(0), uint16(spliceWhole), []byte(`{"data": null, "errors": [{"message": "User is not authenticated", "path": ["org", 1]}]}`))
	f.Add(uint8(1), uint8(0), uint16(0), uint16(spliceWhole), []byte(`{"total": 1, "offset": 0, "items": [null]}`))
	f.Add(uint8(2), uint8(13), uint16(0), uint16(spliceWhole), []byte(`"LoRa timed out"`))
	f.Fuzz(func(t *testing.T, which, status uint8, at, cut uint16, insert []byte) {
		insert = insert[:min(len(insert), fuzzMaxInsert)]
		key := rec.keys[int(which)%len(rec.keys)]
		code := fuzzStatuses[int(status)%len(fuzzStatuses)]
		body := spliceAnswer(rec.answers[key].body, at, cut, insert)
		rec.setFault(key, code, body)
		defer rec.setFault("", 0, nil)
		got, err := rec.run(t)
		if !rec.asked.Load() {
			return // an earlier answer kept the client from asking this one
		}
		if code == 200 && bytes.Equal(body, rec.answers[key].body) {
			if err != nil || !reflect.DeepEqual(got, rec.want) {
				t.Fatalf("the recorded answer to %s gives other results: %v", key, err)
			}
		}
		if code == 200 && !json.Valid(body) && engine.KindOf(err) != engine.KindProtocol {
			t.Fatalf("a 200 answer to %s that is not JSON gives %v, want a protocol error", key, err)
		}
	})
}

// spliceAnswer is base with cut bytes from at (modulo its length) replaced
// by insert, or insert alone when cut is spliceWhole.
func spliceAnswer(base []byte, at, cut uint16, insert []byte) []byte {
	if cut == spliceWhole {
		return insert
	}
	off := int(at) % (len(base) + 1)
	end := min(len(base), off+int(cut))
	return slices.Concat(base[:off], insert, base[end:])
}

// fuzzResults is what one run of the client gives.
type fuzzResults struct {
	Snapshot *engine.Snapshot
	ITUsers  []engine.ITUser
	System   string
	Created  string
}

// fuzzWorld is a recording of the client's requests and the fake's
// answers, served again by its own server.
type fuzzWorld struct {
	api     string
	srv     *httptest.Server
	person  string
	answers map[string]fuzzAnswer
	keys    []string // sorted
	want    fuzzResults

	mu        sync.Mutex
	faultKey  string
	faultCode int
	faultBody []byte
	asked     atomic.Bool
}

type fuzzAnswer struct {
	status int
	body   []byte
}

// recordFuzzWorld runs the client once against a small motest server,
// recording every answer, and starts the replaying server.
func recordFuzzWorld(f *testing.F, api string) *fuzzWorld {
	ds := smallDataset(motest.Generate(motest.SizeDemo, 1))
	fake := motest.NewServer(ds, motest.Options{})
	w := &fuzzWorld{api: api, person: ds.People[0].UUID, answers: map[string]fuzzAnswer{}}
	var recMu sync.Mutex
	recorder := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		key := fuzzRequestKey(r)
		cw := &capture{ResponseWriter: rw, status: 200}
		fake.ServeHTTP(cw, r)
		recMu.Lock()
		w.answers[key] = fuzzAnswer{status: cw.status, body: cw.body.Bytes()}
		recMu.Unlock()
	}))
	defer recorder.Close()
	want, err := w.call(f, recorder.URL)
	if err != nil {
		f.Fatalf("recording the fake MO: %v", err)
	}
	if len(want.Snapshot.People) == 0 || len(want.Snapshot.Units) < 2 {
		f.Fatalf("the recorded snapshot is too small to fuzz with: %d units, %d people", len(want.Snapshot.Units), len(want.Snapshot.People))
	}
	w.want = want
	for k := range w.answers {
		w.keys = append(w.keys, k)
	}
	sort.Strings(w.keys)
	w.srv = httptest.NewServer(http.HandlerFunc(w.serve))
	f.Cleanup(w.srv.Close)
	return w
}

// smallDataset keeps the top unit, two current units right below it, up to
// three people engaged there and what belongs to them.
func smallDataset(d *motest.Dataset) *motest.Dataset {
	units := map[string]bool{d.TopUnitUUID: true}
	var keptUnits []motest.Unit
	for _, u := range d.Units {
		if u.UUID == d.TopUnitUUID || u.ParentUUID == d.TopUnitUUID && len(units) < 3 && u.Validity.To.IsZero() {
			units[u.UUID] = true
			keptUnits = append(keptUnits, u)
		}
	}
	people := map[string]bool{}
	for _, e := range d.Engagements {
		if units[e.UnitUUID] && len(people) < 3 {
			people[e.PersonUUID] = true
		}
	}
	out := *d
	out.Units = keptUnits
	out.People = slices.DeleteFunc(slices.Clone(d.People), func(p motest.Person) bool { return !people[p.UUID] })
	out.Engagements = slices.DeleteFunc(slices.Clone(d.Engagements), func(e motest.Engagement) bool {
		return !units[e.UnitUUID] || !people[e.PersonUUID]
	})
	owned := func(person, unit string) bool { return people[person] || person == "" && units[unit] }
	out.Addresses = slices.DeleteFunc(slices.Clone(d.Addresses), func(a motest.Address) bool { return !owned(a.PersonUUID, a.UnitUUID) })
	out.ITUsers = slices.DeleteFunc(slices.Clone(d.ITUsers), func(i motest.ITUser) bool { return !owned(i.PersonUUID, i.UnitUUID) })
	out.Managers = slices.DeleteFunc(slices.Clone(d.Managers), func(m motest.Manager) bool {
		return !units[m.UnitUUID] || m.PersonUUID != "" && !people[m.PersonUUID]
	})
	return &out
}

// fuzzRequestKey names a request by what decides its answer: method, path
// and query, and for GraphQL the operation and its variables.
func fuzzRequestKey(r *http.Request) string {
	key := r.Method + " " + r.URL.Path + "?" + r.URL.Query().Encode()
	if r.Method != http.MethodPost || r.Body == nil {
		return key
	}
	b, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(b))
	var req struct {
		OperationName string         `json:"operationName"`
		Variables     map[string]any `json:"variables"`
	}
	if json.Unmarshal(b, &req) != nil || req.OperationName == "" {
		return key + " " + string(b)
	}
	vars, _ := json.Marshal(req.Variables) // map keys sorted
	return key + " " + req.OperationName + " " + string(vars)
}

// capture keeps a copy of what a handler writes.
type capture struct {
	http.ResponseWriter
	status int
	body   bytes.Buffer
}

func (c *capture) WriteHeader(s int) { c.status = s; c.ResponseWriter.WriteHeader(s) }
func (c *capture) Write(b []byte) (int, error) {
	c.body.Write(b)
	return c.ResponseWriter.Write(b)
}

func (w *fuzzWorld) setFault(key string, code int, body []byte) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.faultKey, w.faultCode, w.faultBody = key, code, body
	w.asked.Store(false)
}

// serve replays the recording, with the fault in place of its answer.
func (w *fuzzWorld) serve(rw http.ResponseWriter, r *http.Request) {
	key := fuzzRequestKey(r)
	w.mu.Lock()
	a, ok := w.answers[key]
	if key == w.faultKey {
		a, ok = fuzzAnswer{status: w.faultCode, body: w.faultBody}, true
		w.asked.Store(true)
	}
	w.mu.Unlock()
	rw.Header().Set("Content-Type", "application/json")
	if !ok {
		rw.WriteHeader(http.StatusNotFound)
		_, _ = rw.Write([]byte(`{"error": true, "status": 404, "error_key": "E_NOT_FOUND", "description": "not in the recording"}`))
		return
	}
	rw.WriteHeader(a.status)
	_, _ = rw.Write(a.body)
}

// run calls the client against the replaying server and checks that every
// error is an *engine.Error.
func (w *fuzzWorld) run(t *testing.T) (fuzzResults, error) {
	return w.call(t, w.srv.URL)
}

// call makes the client's calls at base: a snapshot, one person's IT users,
// the AD IT system, an IT user created, a probe. It stops at the first
// error, which must be an *engine.Error, and fails on a hang.
func (w *fuzzWorld) call(tb testing.TB, base string) (fuzzResults, error) {
	tb.Helper()
	c, err := mo.New(mo.Config{
		ServiceURL: base + "/service", API: w.api, SAMLToken: "fuzz",
		Retries: -1, Concurrency: 1, Timeout: 5 * time.Second,
		Now:    func() time.Time { return motest.ReferenceToday.Add(10 * time.Hour) },
		Logger: slog.New(slog.DiscardHandler),
	})
	if err != nil {
		tb.Fatal(err)
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var res fuzzResults
	steps := []func() error{
		func() (err error) { res.Snapshot, err = c.Snapshot(ctx); return err },
		func() (err error) { res.ITUsers, err = c.ITUsers(ctx, w.person); return err },
		func() (err error) { res.System, err = c.ADITSystemUUID(ctx); return err },
		func() (err error) {
			res.Created, err = c.CreateITUser(ctx, engine.ITUserWrite{
				UUID: "5c5c0000-0000-4000-8000-000000000001", PersonUUID: w.person, UserKey: "fuzz1",
				Validity: engine.Validity{From: motest.ReferenceToday},
			})
			return err
		},
		func() error { return c.Probe(ctx) },
	}
	for _, step := range steps {
		err := step()
		if ctx.Err() != nil {
			tb.Fatalf("the client hung: %v", err)
		}
		if err != nil {
			var ee *engine.Error
			if !errors.As(err, &ee) || err.Error() == "" {
				tb.Fatalf("error is not an *engine.Error: %#v", err)
			}
			return res, err
		}
	}
	if res.Snapshot == nil {
		tb.Fatalf("no snapshot and no error")
	}
	return res, nil
}

// firstMember is where the first member ("key": value,) of the innermost
// object that starts the body is, and its length: cutting it drops a field
// MO always sends.
func firstMember(body []byte) (at, cut uint16) {
	i := bytes.LastIndexByte(body[:min(len(body), 200)], '{')
	j := bytes.IndexByte(body[max(i, 0):], ',')
	if i < 0 || j < 0 {
		return 0, 0
	}
	return uint16(i + 1), uint16(j)
}
