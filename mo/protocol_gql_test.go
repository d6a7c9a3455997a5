package mo

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"

	"moxsync/engine"
)

// selPath is one field a GraphQL query selects, as its path in the answer
// ("data", "org_units", "objects", "current", "uuid"); nonNull says the v29
// schema declares it non-null, known that the schema was there to say.
type selPath struct {
	field          []string
	nonNull, known bool
}

func (p selPath) String() string { return strings.Join(p.field, ".") }

// v29Schema is MO's v29 SDL from ../shared/data, or nil when absent.
func v29Schema(t *testing.T) *ast.Schema {
	t.Helper()
	dir, _ := os.Getwd()
	for dir != filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		dir = filepath.Dir(dir)
	}
	path := filepath.Join(dir, "..", "shared", "data", "mo-graphql-v29.graphql")
	b, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	s, gerr := gqlparser.LoadSchema(&ast.Source{Name: path, Input: string(b)})
	if gerr != nil {
		t.Fatalf("loading %s: %v", path, gerr)
	}
	return s
}

// selectionPaths lists every field query selects, fragments expanded.
func selectionPaths(t *testing.T, schema *ast.Schema, query string) []selPath {
	t.Helper()
	var doc *ast.QueryDocument
	if schema != nil {
		d, errs := gqlparser.LoadQuery(schema, query)
		if len(errs) > 0 {
			t.Fatalf("query does not validate: %v", errs)
		}
		doc = d
	} else {
		d, err := parser.ParseQuery(&ast.Source{Input: query})
		if err != nil {
			t.Fatal(err)
		}
		doc = d
	}
	var out []selPath
	var walk func(set ast.SelectionSet, prefix []string)
	walk = func(set ast.SelectionSet, prefix []string) {
		for _, sel := range set {
			switch s := sel.(type) {
			case *ast.Field:
				name := s.Alias
				if name == "" {
					name = s.Name
				}
				p := append(append([]string(nil), prefix...), name)
				sp := selPath{field: p, known: s.Definition != nil}
				if sp.known {
					sp.nonNull = s.Definition.Type.NonNull
				}
				out = append(out, sp)
				walk(s.SelectionSet, p)
			case *ast.FragmentSpread:
				walk(doc.Fragments.ForName(s.Name).SelectionSet, prefix)
			case *ast.InlineFragment:
				walk(s.SelectionSet, prefix)
			}
		}
	}
	walk(doc.Operations[0].SelectionSet, []string{"data"})
	return out
}

// gqlWorld is a place to read one GraphQL operation from: a client and the
// dropper in front of its server.
type gqlWorld struct {
	d      *dropper
	client func(t *testing.T) *Client
	noCPR  func(t *testing.T, msg string)
	person string
}

// TestGraphQLDropsEachField: for every operation the client sends and
// every field it selects, an answer without that field fails the read as
// a protocol error naming the operation and the field, and returns
// nothing; an answer with null for the field fails the same way where the
// v29 schema says the field is never null, and reads where null is allowed.
func TestGraphQLDropsEachField(t *testing.T) {
	pw := newProtocolWorld(t)
	fake := &gqlWorld{d: pw.d, client: func(t *testing.T) *Client { return pw.client(t, APIGraphQL) },
		noCPR: pw.noCPR, person: pw.personWithITUsers()}
	// The fake keeps no retired classes; the fixtures have one (v22).
	fd := newDropper(newFixtureGraphQL(t))
	fixtures := &gqlWorld{d: fd, noCPR: func(*testing.T, string) {}, client: func(t *testing.T) *Client {
		c, _ := newFixtureClient(t, fd, 22, func(c *Config) { c.TopUnitUUID = fxTop; c.PageSize = 2 })
		return c
	}}
	worldOf := func(op string) *gqlWorld {
		if op == "ClassesByUUID" {
			return fixtures
		}
		return fake
	}
	ctx := context.Background()
	run := func(t *testing.T, w *gqlWorld, op string) (bool, error) {
		c := w.client(t)
		switch op {
		case "Probe":
			err := c.Probe(ctx)
			return err == nil, err
		case "PersonITUsers":
			its, err := c.ITUsers(ctx, w.person)
			return its != nil, err
		case "PeopleByCPR":
			ids, err := c.PeopleByCPR(ctx, pw.ds.People[0].CPR)
			return len(ids) == 1, err
		case "FacetByUserKey":
			id, err := c.CreateClass(ctx, engine.ClassWrite{FacetUserKey: "engagement_job_function", UserKey: "Protokol", Name: "Protokol"})
			return id != "", err
		}
		s, err := c.Snapshot(ctx)
		return s != nil, err
	}

	// Every query the client has, read once as MO sends it.
	var ops []string
	for _, o := range allOperations() {
		if !o.mutation {
			ops = append(ops, o.name)
		}
	}
	ops = append(ops, itUsersQuery(29).name)
	sort.Strings(ops)
	ops = dedupe(ops)
	for _, op := range ops {
		if _, err := run(t, worldOf(op), op); err != nil {
			t.Fatalf("%s: the complete answers do not read: %v", op, err)
		}
	}

	schema := v29Schema(t)
	if schema == nil {
		t.Log("MO's v29 schema is not available: null answers are not tried")
	}
	for _, op := range ops {
		w := worldOf(op)
		w.d.mu.Lock()
		query := w.d.queries[op]
		w.d.mu.Unlock()
		if query == "" {
			t.Errorf("%s was never sent", op)
			continue
		}
		for _, p := range selectionPaths(t, schema, query) {
			key := p.field[len(p.field)-1]
			for _, null := range []bool{false, true} {
				if null && !p.known {
					continue
				}
				name := op + "/" + p.String()
				if null {
					name += "=null"
				}
				t.Run(name, func(t *testing.T) {
					w.d.set(&dropRule{op: op, fields: [][]string{p.field}, null: null})
					defer w.d.set(nil)
					got, err := run(t, w, op)
					if w.d.changed.Load() == 0 {
						t.Fatalf("the answers never held %s", p)
					}
					if null && !p.nonNull {
						if engine.KindOf(err) == engine.KindProtocol {
							t.Errorf("null is allowed for %s, but: %v", p, err)
						}
						return
					}
					if err == nil || got {
						t.Fatalf("read %v, err %v; want a protocol error and nothing read", got, err)
					}
					msg := err.Error()
					if engine.KindOf(err) != engine.KindProtocol {
						t.Errorf("kind %v, want protocol error: %s", engine.KindOf(err), msg)
					}
					for _, want := range []string{"MO protocol error", "(" + op + ")", `"` + key + `"`} {
						if !strings.Contains(msg, want) {
							t.Errorf("%q does not say %s", msg, want)
						}
					}
					if !null && !strings.Contains(msg, `lacks "`+key+`"`) {
						t.Errorf("%q does not say it lacks %q", msg, key)
					}
					w.noCPR(t, msg)
				})
			}
		}
	}
}

func dedupe(s []string) []string {
	out := s[:0]
	for i, x := range s {
		if i == 0 || x != s[i-1] {
			out = append(out, x)
		}
	}
	return out
}
