package motest

import (
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
)

// graphql-go does not apply the defaults of input object fields to
// variables: a variable {user_key, routing_key} of ListenerCreateInput is
// refused for the missing `namespace: String! = "mo"`, where MO
// (strawberry) uses the default. withInputDefaults fills those defaults
// into the variables before graphql-go sees them.
func withInputDefaults(query, opName string, vars map[string]any) map[string]any {
	if len(vars) == 0 {
		return vars
	}
	schema := loadFastSchema()
	doc, errs := gqlparser.LoadQuery(schema, query)
	if len(errs) > 0 {
		return vars // graphql-go reports the errors
	}
	op := doc.Operations.ForName(opName)
	if opName == "" && len(doc.Operations) == 1 {
		op = doc.Operations[0]
	}
	if op == nil {
		return vars
	}
	for _, vd := range op.VariableDefinitions {
		if v, ok := vars[vd.Variable]; ok {
			fillDefaults(schema, vd.Type, v)
		}
	}
	return vars
}

// fillDefaults adds the missing fields with defaults to the input objects
// in v, a decoded JSON value of type t.
func fillDefaults(schema *ast.Schema, t *ast.Type, v any) {
	if t.Elem != nil {
		if l, ok := v.([]any); ok {
			for _, e := range l {
				fillDefaults(schema, t.Elem, e)
			}
		}
		return
	}
	def := schema.Types[t.NamedType]
	m, ok := v.(map[string]any)
	if def == nil || def.Kind != ast.InputObject || !ok {
		return
	}
	for _, f := range def.Fields {
		fv, present := m[f.Name]
		if !present && f.DefaultValue != nil {
			if dv, err := f.DefaultValue.Value(nil); err == nil {
				m[f.Name] = dv
			}
			continue
		}
		if present {
			fillDefaults(schema, f.Type, fv)
		}
	}
}
