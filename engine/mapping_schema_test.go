package engine_test

import (
	"errors"
	"fmt"
	"maps"
	"strings"
	"testing"

	"moxsync/engine"
)

// dcSchema is a domain controller's schema for tests: the built-in table's
// facts, changed by mod, marked as read from a DC.
func dcSchema(mod func(map[string]engine.ADAttribute)) *engine.ADSchema {
	attrs := maps.Clone(engine.BuiltinADSchema().Attributes)
	if mod != nil {
		mod(attrs)
	}
	return &engine.ADSchema{Attributes: attrs}
}

func TestValidateSchema(t *testing.T) {
	dc := dcSchema(nil)
	builtin := engine.BuiltinADSchema()
	tests := []struct {
		name    string
		mapping string // on top of the default mapping
		schema  *engine.ADSchema
		want    []string // the *SettingError messages, in mapping order; none = ok
	}{
		{"default mapping, DC", "", dc, nil},
		{"default mapping, built-in", "", builtin, nil},
		{"writable string attributes", "department = mo engagement.unit\ninfo = mo name\nextensionAttribute3 = mo user_key", dc, nil},
		{"unknown attribute, DC", "fooBarAttr = mo given_name", dc,
			[]string{"AD_MAPPING: fooBarAttr = mo given_name: AD's schema has no attribute fooBarAttr"}},
		{"unknown attribute, built-in", "fooBarAttr = mo given_name", builtin,
			[]string{fmt.Sprintf("AD_MAPPING: fooBarAttr = mo given_name: moxsync's built-in table of %d AD user attributes has no attribute fooBarAttr (AD is not configured, so its schema was not read)", builtin.Len())}},
		{"an attribute of another DC's schema", "kmdFagsystem = mo user_key", dcSchema(func(m map[string]engine.ADAttribute) {
			m["kmdfagsystem"] = engine.ADAttribute{Name: "kmdFagsystem", Syntax: engine.SyntaxUnicode, SingleValued: true}
		}), nil},
		{"constructed", "canonicalName = mo name", dc,
			[]string{"AD_MAPPING: canonicalName = mo name: AD's schema makes canonicalName constructed: AD computes it when read and stores nothing, so it cannot be written"}},
		{"system-only", "msDS-LastKnownRDN = mo name", dc,
			[]string{"AD_MAPPING: msDS-LastKnownRDN = mo name: AD's schema makes msDS-LastKnownRDN system-only: only AD itself writes it"}},
		{"back link", "directReports = mo name", dc,
			[]string{"AD_MAPPING: directReports = mo name: AD's schema makes directReports a back link: AD maintains it from the forward link, so it cannot be written"}},
		{"DN syntax from MO text", "manager = mo name", dc,
			[]string{"AD_MAPPING: manager = mo name: AD's schema gives manager the syntax 2.5.5.1 (DN), which an MO value (text) cannot be written as"}},
		{"multi-valued onto a single MO field", "objectGUID = off\nproxyAddresses = ad ituser.external_id", dc,
			[]string{"AD_MAPPING: proxyAddresses = ad ituser.external_id: AD's schema makes proxyAddresses multi-valued, and MO's ituser.external_id holds one value"}},
		{"multi-valued written from MO is fine", "otherTelephone = mo address.PHONE", dc, nil},
		{"the schema's spelling, any case in the mapping", "TITLE = mo engagement.job_function", dc, nil},
		{"every problem at once, in mapping order", "fooBarAttr = mo given_name\nmanager = mo name", dc, []string{
			"AD_MAPPING: fooBarAttr = mo given_name: AD's schema has no attribute fooBarAttr",
			"AD_MAPPING: manager = mo name: AD's schema gives manager the syntax 2.5.5.1 (DN), which an MO value (text) cannot be written as"}},
		{"a default attribute missing from the DC", "", dcSchema(func(m map[string]engine.ADAttribute) { delete(m, "employeeid") }),
			[]string{"AD_MAPPING: employeeID = mo cpr: AD's schema has no attribute employeeID"}},
		{"a rule switched off is not checked", "countryCode = off", dcSchema(func(m map[string]engine.ADAttribute) { delete(m, "countrycode") }), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := engine.ParseMapping(tt.mapping)
			if err != nil {
				t.Fatal(err)
			}
			err = m.ValidateSchema(tt.schema)
			var got []string
			for _, se := range engine.SettingErrors(err) {
				if se.Key != "AD_MAPPING" {
					t.Errorf("key %q, want AD_MAPPING", se.Key)
				}
				got = append(got, se.Error())
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
			if (err == nil) != (len(tt.want) == 0) {
				t.Errorf("err = %v", err)
			}
		})
	}
}

// TestBuiltinADSchema: the built-in table holds AD's facts for the user
// attributes (as a Samba 4.17 DC states them).
func TestBuiltinADSchema(t *testing.T) {
	s := engine.BuiltinADSchema()
	if !s.Builtin || s.Len() < 400 {
		t.Fatalf("builtin = %v, %d attributes", s.Builtin, s.Len())
	}
	for _, tt := range []struct {
		name         string
		syntax       string
		single       bool
		upper        int64
		hasUpper     bool
		writable     bool
		constructed  bool
		systemOnlyBL bool
	}{
		{"title", engine.SyntaxUnicode, true, 128, true, true, false, false},
		{"sAMAccountName", engine.SyntaxUnicode, true, 256, true, true, false, false},
		{"countryCode", engine.SyntaxInteger, true, 65535, true, true, false, false},
		{"postalAddress", engine.SyntaxUnicode, false, 4096, true, true, false, false},
		{"objectGUID", engine.SyntaxOctet, true, 16, true, false, false, false},
		{"memberOf", engine.SyntaxDN, false, 0, false, false, false, true},
		{"tokenGroups", "2.5.5.17", false, 0, false, false, true, false},
		{"extensionAttribute15", engine.SyntaxUnicode, true, 1024, true, true, false, false},
	} {
		a, ok := s.Lookup(strings.ToUpper(tt.name))
		if !ok {
			t.Errorf("%s missing", tt.name)
			continue
		}
		if a.Name != tt.name || a.Syntax != tt.syntax || a.SingleValued != tt.single || a.HasRangeUpper != tt.hasUpper ||
			a.RangeUpper != tt.upper || a.Writable() != tt.writable || a.Constructed != tt.constructed || (tt.systemOnlyBL && !(a.SystemOnly && a.BackLink)) {
			t.Errorf("%s = %+v (writable %v)", tt.name, a, a.Writable())
		}
	}
}

// TestPlanLengthsFromSchema: the planner takes a value's most characters
// from the schema it is given (rangeUpper) instead of the built-in table,
// and BuildPlan refuses a mapping the schema does not fit, as a settings
// error.
func TestPlanLengthsFromSchema(t *testing.T) {
	f := newFixture(t)
	titleUpdate := func(p *engine.Plan) bool {
		for _, c := range p.Changes {
			if c.System == engine.SystemAD && c.MOUUID == "p2" {
				for _, fl := range c.Fields {
					if fl.Attr == "title" && fl.After == "Teamleder" {
						return true
					}
				}
			}
		}
		return false
	}
	short := dcSchema(func(m map[string]engine.ADAttribute) {
		a := m["title"]
		a.RangeUpper = 8 // "Teamleder" has 9
		m["title"] = a
	})
	for _, tt := range []struct {
		name   string
		schema *engine.ADSchema
		update bool
	}{
		{"no schema: the built-in 128", nil, true},
		{"the DC's 128", dcSchema(nil), true},
		{"the DC's 8", short, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			o := f.options()
			o.ADSchema = tt.schema
			p := f.plan(t, o)
			if got := titleUpdate(p); got != tt.update {
				t.Errorf("title update planned = %v, want %v", got, tt.update)
			}
			found := false
			for _, w := range p.Warnings {
				if w.Code == engine.WarnInvalidValue && strings.Contains(w.Message, "title holds at most 8 characters, got 9") {
					found = true
				}
			}
			if found == tt.update {
				t.Errorf("warning for the 8-character title: %v; warnings %+v", found, p.Warnings)
			}
		})
	}

	o := f.options()
	m, err := engine.ParseMapping("fooBarAttr = mo given_name")
	if err != nil {
		t.Fatal(err)
	}
	o.Mapping, o.ADSchema = m, dcSchema(nil)
	snap, _ := f.mo.Snapshot(t.Context())
	_, err = engine.BuildPlan(t.Context(), engine.PlanInput{MO: snap, ADRead: true, Options: o})
	var se *engine.SettingError
	if !errors.As(err, &se) || se.Error() != "AD_MAPPING: fooBarAttr = mo given_name: AD's schema has no attribute fooBarAttr" {
		t.Errorf("BuildPlan with fooBarAttr: %v", err)
	}
}
