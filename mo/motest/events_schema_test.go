package motest

import (
	"os"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
)

// TestSchemaHasMOEvents checks that the fake serves MO's event system field
// for field: the root fields exist with all of MO's arguments (and the same
// non-null defaults), and the event types have every field MO's have.
// TestSchemaIsSubsetOfMO checks the other direction (nothing here that MO
// lacks, same types).
func TestSchemaHasMOEvents(t *testing.T) {
	b, err := os.ReadFile(realSchemaPath(t))
	if err != nil {
		t.Fatal(err)
	}
	real := gqlparser.MustLoadSchema(&ast.Source{Name: "mo", Input: string(b)})
	ours := gqlparser.MustLoadSchema(&ast.Source{Name: "fake", Input: schemaSDL})
	roots := map[string][]string{
		"Query":    {"event_fetch", "events", "event_listeners", "event_namespaces"},
		"Mutation": {"event_listener_declare", "event_listener_delete", "event_acknowledge", "employee_refresh", "org_unit_refresh"},
	}
	for root, fields := range roots {
		for _, name := range fields {
			rf, of := real.Types[root].Fields.ForName(name), ours.Types[root].Fields.ForName(name)
			if rf == nil {
				t.Fatalf("%s.%s is not in MO's schema", root, name)
			}
			if of == nil {
				t.Errorf("%s.%s missing", root, name)
				continue
			}
			for _, ra := range rf.Arguments {
				oa := of.Arguments.ForName(ra.Name)
				switch {
				case oa == nil:
					t.Errorf("%s.%s: argument %s missing", root, name, ra.Name)
				case ra.Type.NonNull && ra.DefaultValue != nil && (oa.DefaultValue == nil || oa.DefaultValue.String() != ra.DefaultValue.String()):
					t.Errorf("%s.%s(%s): default %v, want %s", root, name, ra.Name, oa.DefaultValue, ra.DefaultValue)
				}
			}
		}
	}
	for _, typ := range []string{"Event", "FullEvent", "FullEventPaged", "Listener", "ListenerPaged", "Namespace", "NamespacePaged",
		"UUIDPaged", "EventFilter", "FullEventFilter", "ListenersBoundFullEventFilter", "ListenerFilter", "NamespacesBoundListenerFilter",
		"NamespaceFilter", "ListenerCreateInput", "ListenerDeleteInput", "EventAcknowledgeInput"} {
		rt, ot := real.Types[typ], ours.Types[typ]
		if rt == nil {
			t.Fatalf("type %s is not in MO's schema", typ)
		}
		if ot == nil {
			t.Errorf("type %s missing", typ)
			continue
		}
		for _, rf := range rt.Fields {
			of := ot.Fields.ForName(rf.Name)
			switch {
			case of == nil:
				t.Errorf("%s.%s missing", typ, rf.Name)
			case rf.Type.NonNull && rf.DefaultValue != nil && (of.DefaultValue == nil || of.DefaultValue.String() != rf.DefaultValue.String()):
				t.Errorf("%s.%s: default %v, want %s", typ, rf.Name, of.DefaultValue, rf.DefaultValue)
			}
		}
	}
}
