package motest

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
)

// realSchemaPath finds ../shared/data/mo-graphql-v29.graphql relative to the
// repository root (the directory holding go.mod).
func realSchemaPath(t *testing.T) string {
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
			t.Skip("repository root not found")
		}
		dir = parent
	}
	p := filepath.Join(dir, "..", "shared", "data", "mo-graphql-v29.graphql")
	if _, err := os.Stat(p); err != nil {
		t.Skipf("real MO schema not available: %v", err)
	}
	return p
}

func TestSchemaIsSubsetOfMO(t *testing.T) {
	b, err := os.ReadFile(realSchemaPath(t))
	if err != nil {
		t.Fatal(err)
	}
	real, err := gqlparser.LoadSchema(&ast.Source{Name: "mo-graphql-v29.graphql", Input: string(b)})
	if err != nil {
		t.Fatalf("load real schema: %v", err)
	}
	ours, err := gqlparser.LoadSchema(&ast.Source{Name: "fake", Input: schemaSDL})
	if err != nil {
		t.Fatalf("load fake schema: %v", err)
	}
	checked := 0
	for name, def := range ours.Types {
		if def.BuiltIn {
			continue
		}
		rdef := real.Types[name]
		if rdef == nil {
			t.Errorf("type %s does not exist in MO's schema", name)
			continue
		}
		if rdef.Kind != def.Kind {
			t.Errorf("type %s is %s here, %s in MO", name, def.Kind, rdef.Kind)
		}
		for _, f := range def.Fields {
			if len(f.Name) > 1 && f.Name[:2] == "__" {
				continue
			}
			rf := rdef.Fields.ForName(f.Name)
			if rf == nil {
				t.Errorf("%s.%s does not exist in MO's schema", name, f.Name)
				continue
			}
			checked++
			if got, want := f.Type.String(), rf.Type.String(); got != want {
				t.Errorf("%s.%s has type %s here, %s in MO", name, f.Name, got, want)
			}
			for _, a := range f.Arguments {
				ra := rf.Arguments.ForName(a.Name)
				if ra == nil {
					t.Errorf("argument %s.%s(%s) does not exist in MO's schema", name, f.Name, a.Name)
					continue
				}
				if got, want := a.Type.String(), ra.Type.String(); got != want {
					t.Errorf("argument %s.%s(%s) has type %s here, %s in MO", name, f.Name, a.Name, got, want)
				}
			}
		}
	}
	if ours.Query.Name != real.Query.Name || ours.Mutation.Name != real.Mutation.Name {
		t.Errorf("root types differ")
	}
	if checked < 150 {
		t.Errorf("only %d fields checked; schema not loaded?", checked)
	}
}

// TestFieldWriteMutationsServed: the fake serves the mutations of
// AD-owned MO fields (#14) with MO's input types, every input field the
// client sends among them (TestSchemaIsSubsetOfMO checks the types).
func TestFieldWriteMutationsServed(t *testing.T) {
	b, err := os.ReadFile(realSchemaPath(t))
	if err != nil {
		t.Fatal(err)
	}
	real, err := gqlparser.LoadSchema(&ast.Source{Name: "mo-graphql-v29.graphql", Input: string(b)})
	if err != nil {
		t.Fatal(err)
	}
	ours, err := gqlparser.LoadSchema(&ast.Source{Name: "fake", Input: schemaSDL})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []struct {
		name   string
		input  string
		fields []string
	}{
		{"engagement_update", "EngagementUpdateInput", []string{"uuid", "user_key", "job_function", "validity"}},
		{"address_create", "AddressCreateInput", []string{"value", "address_type", "person", "visibility", "validity", "uuid"}},
		{"address_update", "AddressUpdateInput", []string{"uuid", "value", "address_type", "person", "visibility", "validity"}},
		{"address_terminate", "AddressTerminateInput", []string{"uuid", "to"}},
		{"engagement_terminate", "EngagementTerminateInput", []string{"uuid", "to"}},
		{"class_create", "ClassCreateInput", []string{"name", "user_key", "facet_uuid", "validity"}},
		{"employee_create", "EmployeeCreateInput", []string{"given_name", "surname", "cpr_number"}},
	} {
		f, rf := ours.Mutation.Fields.ForName(m.name), real.Mutation.Fields.ForName(m.name)
		if f == nil || rf == nil {
			t.Errorf("%s: served %v, in MO %v", m.name, f != nil, rf != nil)
			continue
		}
		if got, want := f.Arguments.ForName("input").Type.String(), rf.Arguments.ForName("input").Type.String(); got != want || got != m.input+"!" {
			t.Errorf("%s(input: %s), MO has %s", m.name, got, want)
		}
		for _, name := range m.fields {
			if ours.Types[m.input].Fields.ForName(name) == nil {
				t.Errorf("%s has no field %s", m.input, name)
			}
		}
	}
}
