package mo

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
)

// realSchema loads OS2MO's v29 SDL from ../shared/data (relative to the repo
// root), skipping the test when it is absent.
func realSchema(t *testing.T) *ast.Schema {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("repo root not found")
		}
		dir = parent
	}
	path := filepath.Join(dir, "..", "shared", "data", "mo-graphql-v29.graphql")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Skipf("real MO schema not available: %v", err)
	}
	s, gerr := gqlparser.LoadSchema(&ast.Source{Name: path, Input: string(b)})
	if gerr != nil {
		t.Fatalf("loading %s: %v", path, gerr)
	}
	return s
}

// TestQueriesValidateAgainstRealSchema checks every document the client can
// send against the real v29 schema.
func TestQueriesValidateAgainstRealSchema(t *testing.T) {
	schema := realSchema(t)
	ops := allOperations()
	// The people documents with every engagement extension field, as a
	// mapping onto all ten reads them.
	all := []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	byUUID, err := peopleByUUIDQuery(29, all...)
	if err != nil {
		t.Fatal(err)
	}
	ops = append(ops, peopleQuery(29, all...), peopleQuery(22, all...), byUUID)
	for _, op := range ops {
		t.Run(op.name+"/"+strings.Fields(op.text)[0], func(t *testing.T) {
			doc, errs := gqlparser.LoadQuery(schema, op.text)
			if errs != nil {
				t.Fatalf("%s does not validate:\n%v\n%s", op.name, errs, op.text)
			}
			if len(doc.Operations) != 1 || doc.Operations[0].Name != op.name {
				t.Fatalf("want one operation named %s", op.name)
			}
			for _, v := range doc.Operations[0].VariableDefinitions {
				if v.Variable == "limit" && v.Type.Name() != "int" {
					t.Errorf("$limit declared as %s, want MO's lower-case int", v.Type)
				}
			}
		})
	}
}

// TestSchemaValidationCatchesMistakes proves the test above can fail.
func TestSchemaValidationCatchesMistakes(t *testing.T) {
	schema := realSchema(t)
	for _, bad := range []string{
		`query Q($limit: Int) { employees(limit: $limit) { objects { uuid } } }`,
		`query Q { employees { objects { current { givenname_x } } } }`,
	} {
		if _, errs := gqlparser.LoadQuery(schema, bad); errs == nil {
			t.Errorf("validated, want an error: %s", bad)
		}
	}
}
