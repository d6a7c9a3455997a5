package mo

import (
	"sort"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
)

// TestEventQueriesValidateAgainstRealSchema checks every document of the
// continuous mode against the real v29 schema.
func TestEventQueriesValidateAgainstRealSchema(t *testing.T) {
	schema := realSchema(t)
	ops, err := eventOperations()
	if err != nil {
		t.Fatal(err)
	}
	ops = append(ops, opVocabulary)
	for _, op := range ops {
		t.Run(op.name, func(t *testing.T) {
			doc, errs := gqlparser.LoadQuery(schema, strings.TrimSpace(op.text))
			if errs != nil {
				t.Fatalf("%s does not validate:\n%v\n%s", op.name, errs, op.text)
			}
			if len(doc.Operations) != 1 || doc.Operations[0].Name != op.name {
				t.Fatalf("want one operation named %s", op.name)
			}
			if got := doc.Operations[0].Operation == ast.Mutation; got != op.mutation {
				t.Errorf("mutation flag %v, document says %v", op.mutation, got)
			}
		})
	}
}

// selection renders a selection set with fragments expanded, for
// comparing what two documents read.
func selection(ss ast.SelectionSet) string {
	var parts []string
	for _, s := range ss {
		switch f := s.(type) {
		case *ast.Field:
			p := f.Name
			var args []string
			for _, a := range f.Arguments {
				args = append(args, a.Name+": "+a.Value.String())
			}
			if len(args) > 0 {
				p += "(" + strings.Join(args, ", ") + ")"
			}
			if len(f.SelectionSet) > 0 {
				p += " {" + selection(f.SelectionSet) + "}"
			}
			parts = append(parts, p)
		case *ast.FragmentSpread:
			parts = append(parts, selection(f.Definition.SelectionSet))
		case *ast.InlineFragment:
			parts = append(parts, selection(f.SelectionSet))
		}
	}
	sort.Strings(parts)
	return strings.Join(parts, " ")
}

// objectsOf is the selection of field.objects in doc.
func objectsOf(t *testing.T, schema *ast.Schema, op operation, field string) string {
	t.Helper()
	doc, errs := gqlparser.LoadQuery(schema, strings.TrimSpace(op.text))
	if errs != nil {
		t.Fatalf("%s: %v", op.name, errs)
	}
	for _, s := range doc.Operations[0].SelectionSet {
		if f, ok := s.(*ast.Field); ok && f.Name == field {
			for _, o := range f.SelectionSet {
				if of, ok := o.(*ast.Field); ok && of.Name == "objects" {
					return selection(of.SelectionSet)
				}
			}
		}
	}
	t.Fatalf("%s has no %s.objects", op.name, field)
	return ""
}

// TestPartialSelectsAsSnapshot holds the partial reads' documents to the
// snapshot's: the same fields of every object, only the filter differs.
func TestPartialSelectsAsSnapshot(t *testing.T) {
	schema := realSchema(t)
	for _, v := range []int{22, 29} {
		p, err := peopleByUUIDQuery(v)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := objectsOf(t, schema, p, "employees"), objectsOf(t, schema, peopleQuery(v), "employees"); got != want {
			t.Errorf("v%d people:\n got %s\nwant %s", v, got, want)
		}
	}
	for _, top := range []bool{false, true} {
		u, err := unitsByUUIDQuery(top)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := objectsOf(t, schema, u, "org_units"), objectsOf(t, schema, opUnits, "org_units"); got != want {
			t.Errorf("units (top %v):\n got %s\nwant %s", top, got, want)
		}
	}
	if got, want := objectsOf(t, schema, opVocabulary, "classes"), objectsOf(t, schema, opClasses, "classes"); got != want {
		t.Errorf("classes:\n got %s\nwant %s", got, want)
	}
	if got, want := objectsOf(t, schema, opVocabulary, "itsystems"), objectsOf(t, schema, opITSystems, "itsystems"); got != want {
		t.Errorf("itsystems:\n got %s\nwant %s", got, want)
	}
}
