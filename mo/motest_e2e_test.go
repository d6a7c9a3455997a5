package mo_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"moxsync/engine"
	"moxsync/mo"
	"moxsync/mo/motest"
)

// recorder remembers every GraphQL document a client sent through it.
type recorder struct {
	next http.Handler
	mu   sync.Mutex
	docs map[string]string // operation name -> query
}

func (rc *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/graphql/") && r.Method == http.MethodPost {
		b, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(b))
		var req struct {
			Query         string `json:"query"`
			OperationName string `json:"operationName"`
		}
		if json.Unmarshal(b, &req) == nil {
			rc.mu.Lock()
			rc.docs[req.OperationName+" "+r.URL.Path] = req.Query
			rc.mu.Unlock()
		}
	}
	rc.next.ServeHTTP(w, r)
}

const (
	clientID     = "moxsync"
	clientSecret = "s3cret-for-tests"
	samlToken    = "2d5ef0c2-5bbd-4f59-9d7e-6e0b7c1f2a11"
)

type fakeMO struct {
	ds  *motest.Dataset
	srv *motest.Server
	hs  *httptest.Server
	rec *recorder
	now time.Time
}

func startFake(t testing.TB, size motest.Size, opts motest.Options) *fakeMO {
	t.Helper()
	ds := motest.Generate(size, 1)
	now := ds.Today.Add(10 * time.Hour)
	opts.Now = func() time.Time { return now }
	opts.RequireAuth = true
	opts.ClientID, opts.ClientSecret = clientID, clientSecret
	opts.SessionTokens = []string{samlToken}
	srv := motest.NewServer(ds, opts)
	rec := &recorder{next: srv, docs: map[string]string{}}
	hs := httptest.NewServer(rec)
	t.Cleanup(hs.Close)
	return &fakeMO{ds: ds, srv: srv, hs: hs, rec: rec, now: now}
}

func (f *fakeMO) client(t testing.TB, api string, version int, edit func(*mo.Config)) *mo.Client {
	t.Helper()
	cfg := mo.Config{
		ServiceURL: f.hs.URL + "/service", API: api, GraphQLVersion: version,
		TopUnitUUID: f.ds.TopUnitUUID, Now: func() time.Time { return f.now },
		Timeout: 20 * time.Second, RetryBackoff: 5 * time.Millisecond,
	}
	if api == mo.APIGraphQL {
		cfg.ClientID, cfg.ClientSecret = clientID, clientSecret
	} else {
		cfg.SAMLToken = samlToken
	}
	if edit != nil {
		edit(&cfg)
	}
	c, err := mo.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

// withoutExternalIDs is want as a client that cannot read external_id
// (GraphQL before v29) must see it.
func withoutExternalIDs(s *engine.Snapshot) *engine.Snapshot {
	c := *s
	c.People = make([]engine.Person, len(s.People))
	for i, p := range s.People {
		p.ITUsers = append([]engine.ITUser(nil), p.ITUsers...)
		for j := range p.ITUsers {
			p.ITUsers[j].ExternalID = ""
		}
		c.People[i] = p
	}
	return &c
}

// diffSnapshots describes the first differences between two snapshots.
func diffSnapshots(got, want *engine.Snapshot) string {
	if reflect.DeepEqual(got, want) {
		return ""
	}
	var b strings.Builder
	j := func(v any) string { x, _ := json.Marshal(v); return string(x) }
	if !got.ReadAt.Equal(want.ReadAt) || got.OrgUUID != want.OrgUUID || got.TopUnit != want.TopUnit {
		fmt.Fprintf(&b, "header: got %v %s %s, want %v %s %s\n", got.ReadAt, got.OrgUUID, got.TopUnit, want.ReadAt, want.OrgUUID, want.TopUnit)
	}
	fmt.Fprintf(&b, "counts: units %d/%d people %d/%d classes %d/%d itsystems %d/%d warnings %d/%d\n",
		len(got.Units), len(want.Units), len(got.People), len(want.People), len(got.Classes), len(want.Classes),
		len(got.ITSystems), len(want.ITSystems), len(got.Warnings), len(want.Warnings))
	n := 0
	report := func(kind string, g, w any) {
		if n < 5 && j(g) != j(w) {
			fmt.Fprintf(&b, "%s:\n  got  %s\n  want %s\n", kind, j(g), j(w))
			n++
		}
	}
	for i := 0; i < len(got.Units) && i < len(want.Units); i++ {
		report("unit", got.Units[i], want.Units[i])
	}
	for i := 0; i < len(got.People) && i < len(want.People); i++ {
		report("person", got.People[i], want.People[i])
	}
	report("classes", got.Classes, want.Classes)
	report("itsystems", got.ITSystems, want.ITSystems)
	report("warnings", got.Warnings, want.Warnings)
	if n == 0 {
		b.WriteString("(differences only in time zones or nil vs empty slices)\n")
		if j(got) != j(want) {
			b.WriteString("JSON differs too\n")
		}
	}
	return b.String()
}

// TestSnapshotMatchesFake reads the demo data set by GraphQL (v22 and v29)
// and by REST, and compares each with the snapshot the fake says a correct
// client must produce; the GraphQL and REST reads are then identical.
func TestSnapshotMatchesFake(t *testing.T) {
	f := startFake(t, motest.SizeDemo, motest.Options{PageCap: 37})
	want := f.ds.Snapshot(f.now, f.ds.TopUnitUUID)
	if len(want.Units) == 0 || len(want.People) == 0 {
		t.Fatalf("fake's expected snapshot is empty: %d units, %d people", len(want.Units), len(want.People))
	}
	reads := map[string]*engine.Snapshot{}
	for _, tc := range []struct {
		name    string
		api     string
		version int
		want    *engine.Snapshot
	}{
		{"graphql-v29", mo.APIGraphQL, 29, want},
		{"graphql-v22", mo.APIGraphQL, 22, withoutExternalIDs(want)},
		{"rest", mo.APIREST, 0, want}, // the fake's REST shows external_id; MO's may not (then it is "")
		{"rest-bearer", mo.APIREST, 0, want},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := f.client(t, tc.api, tc.version, func(c *mo.Config) {
				c.PageSize = 100
				if tc.name == "rest-bearer" {
					c.SAMLToken, c.ClientID, c.ClientSecret = "", clientID, clientSecret
				}
			})
			got, err := c.Snapshot(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if d := diffSnapshots(got, tc.want); d != "" {
				t.Errorf("snapshot differs from the fake's:\n%s", d)
			}
			reads[tc.name] = got
		})
	}
	if g, r := reads["graphql-v29"], reads["rest"]; g != nil && r != nil {
		if d := diffSnapshots(g, r); d != "" {
			t.Errorf("GraphQL and REST snapshots differ:\n%s", d)
		}
	}
	validateRecorded(t, f.rec)
}

// validateRecorded checks every document the clients actually sent against
// the real v29 schema.
func validateRecorded(t *testing.T, rec *recorder) {
	t.Helper()
	dir, _ := os.Getwd()
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		if filepath.Dir(dir) == dir {
			return
		}
		dir = filepath.Dir(dir)
	}
	b, err := os.ReadFile(filepath.Join(dir, "..", "shared", "data", "mo-graphql-v29.graphql"))
	if err != nil {
		t.Log("real MO schema absent; sent documents not validated")
		return
	}
	schema, gerr := gqlparser.LoadSchema(&ast.Source{Name: "mo-graphql-v29.graphql", Input: string(b)})
	if gerr != nil {
		t.Fatal(gerr)
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if len(rec.docs) == 0 {
		t.Error("no GraphQL documents recorded")
	}
	for name, q := range rec.docs {
		if _, errs := gqlparser.LoadQuery(schema, q); errs != nil {
			t.Errorf("%s: sent document does not validate: %v", name, errs)
		}
	}
}

// TestSnapshotThroughFaults: with every 7th request failing with 500, the
// retries still give the exact snapshot; a server that dies part-way gives
// an error and no snapshot, by either API.
func TestSnapshotThroughFaults(t *testing.T) {
	for _, api := range []string{mo.APIGraphQL, mo.APIREST} {
		t.Run(api+"/every 11th request fails", func(t *testing.T) {
			f := startFake(t, motest.SizeDemo, motest.Options{FailEvery: 11, PageCap: 50})
			// Concurrent REST calls share the failing slots, so a request can
			// fail several times in a row: retry generously here.
			c := f.client(t, api, 29, func(c *mo.Config) { c.PageSize = 60; c.Retries = 8; c.RetryBackoff = time.Millisecond })
			got, err := c.Snapshot(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if d := diffSnapshots(got, f.ds.Snapshot(f.now, f.ds.TopUnitUUID)); d != "" {
				t.Errorf("snapshot differs after retries:\n%s", d)
			}
		})
		t.Run(api+"/server dies", func(t *testing.T) {
			die := 8 // GraphQL reads the demo set in ~20 requests
			if api == mo.APIREST {
				die = 400
			}
			f := startFake(t, motest.SizeDemo, motest.Options{DieAfter: die})
			c := f.client(t, api, 29, func(c *mo.Config) { c.PageSize = 20; c.Retries = 2 })
			got, err := c.Snapshot(context.Background())
			if got != nil || err == nil {
				t.Fatalf("got snapshot %v, err %v; want an error only", got != nil, err)
			}
			if engine.KindOf(err) != engine.KindUnavailable {
				t.Errorf("kind %v: %v", engine.KindOf(err), err)
			}
		})
	}
}

// TestWritesAgainstFake: IT user and address writes by both APIs land in the
// fake and show up in the next snapshot.
func TestWritesAgainstFake(t *testing.T) {
	for _, api := range []string{mo.APIGraphQL, mo.APIREST} {
		t.Run(api, func(t *testing.T) {
			f := startFake(t, motest.SizeDemo, motest.Options{})
			c := f.client(t, api, 29, nil)
			ctx := context.Background()
			before, err := c.Snapshot(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var p *engine.Person
			for i := range before.People {
				if len(before.People[i].Engagements) > 0 {
					p = &before.People[i]
					break
				}
			}
			ad, err := c.ADITSystemUUID(ctx)
			if err != nil {
				t.Fatal(err)
			}
			from := f.now.Truncate(24 * time.Hour)
			id, err := c.CreateITUser(ctx, engine.ITUserWrite{PersonUUID: p.UUID, ITSystemUUID: ad, UserKey: "moxtest1",
				Validity: engine.Validity{From: from}})
			if err != nil {
				t.Fatal(err)
			}
			if err := c.UpdateITUser(ctx, engine.ITUserWrite{UUID: id, UserKey: "moxtest2", Validity: engine.Validity{From: from}}); err != nil {
				t.Fatal(err)
			}
			var emailType string
			for _, k := range before.Classes {
				if k.UserKey == "BrugerEmail" {
					emailType = k.UUID
				}
			}
			aid, err := c.CreateAddress(ctx, engine.AddressWrite{PersonUUID: p.UUID, TypeUUID: emailType, Value: "moxtest@example.dk",
				Validity: engine.Validity{From: from}})
			if err != nil {
				t.Fatal(err)
			}
			if err := c.UpdateAddress(ctx, engine.AddressWrite{UUID: aid, TypeUUID: emailType, Value: "moxtest2@example.dk",
				Validity: engine.Validity{From: from}}); err != nil {
				t.Fatal(err)
			}
			// MO's validation comes back as an invalid-kind error naming the key.
			err = c.UpdateAddress(ctx, engine.AddressWrite{UUID: aid, TypeUUID: emailType, Value: "not an email", Validity: engine.Validity{From: from}})
			if engine.KindOf(err) != engine.KindInvalid || !strings.Contains(err.Error(), "V_INVALID_ADDRESS_EMAIL") {
				t.Errorf("invalid e-mail: %v", err)
			}
			after, err := c.Snapshot(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var sawIT, sawAddr bool
			for _, q := range after.People {
				if q.UUID != p.UUID {
					continue
				}
				for _, it := range q.ITUsers {
					sawIT = sawIT || it.UUID == id && it.UserKey == "moxtest2" && it.ITSystemUUID == ad
				}
				for _, a := range q.Addresses {
					sawAddr = sawAddr || a.UUID == aid && a.Value == "moxtest2@example.dk" && a.Scope == "EMAIL"
				}
			}
			if !sawIT || !sawAddr {
				t.Errorf("written IT user seen %v, address seen %v", sawIT, sawAddr)
			}
		})
	}
}

// TestProbe: the cheap check proves MO answers with our credentials, and
// says so clearly when they are wrong.
func TestProbe(t *testing.T) {
	f := startFake(t, motest.SizeDemo, motest.Options{})
	ctx := context.Background()
	for _, api := range []string{mo.APIGraphQL, mo.APIREST} {
		if err := f.client(t, api, 22, nil).Probe(ctx); err != nil {
			t.Errorf("%s: %v", api, err)
		}
	}
	bad := []struct {
		name string
		api  string
		edit func(*mo.Config)
		want string
	}{
		{"REST wrong session token", mo.APIREST, func(c *mo.Config) { c.SAMLToken = "0b1e2c3d-0000-4000-8000-000000000000" }, "HTTP 401"},
		{"REST no credentials", mo.APIREST, func(c *mo.Config) { c.SAMLToken = "" }, "Not authenticated"},
		{"GraphQL wrong client secret", mo.APIGraphQL, func(c *mo.Config) { c.ClientSecret = "nope" }, "token request failed"},
		{"GraphQL no credentials", mo.APIGraphQL, func(c *mo.Config) { c.ClientID, c.ClientSecret = "", "" }, "User is not authenticated"},
	}
	for _, tt := range bad {
		err := f.client(t, tt.api, 22, tt.edit).Probe(ctx)
		if engine.KindOf(err) != engine.KindAuth || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want an auth error saying %q", tt.name, err, tt.want)
		}
	}
}
