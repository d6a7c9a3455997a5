package engine

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

// fuzzMaxMapping bounds FuzzParseMapping's input: a real AD_MAPPING is a
// few hundred bytes, and longer inputs only make the fuzzer minimize slowly
// (see fuzzMaxName). The default mapping is no seed: every text is applied
// on top of it.
const fuzzMaxMapping = 512

// FuzzParseMapping feeds arbitrary AD_MAPPING text to ParseMapping. It must
// never panic. Every error names AD_MAPPING. A mapping that parses prints
// (String) a text that parses back to the very same mapping and hash, with
// only MO→AD and AD→MO rules, no attribute twice, at most one AD attribute
// per IT-user field, and ituser.user_key mapped whenever anything flows
// AD→MO.
func FuzzParseMapping(f *testing.F) {
	for _, s := range []string{
		"",
		"* = off, givenName = MO given_name; sn=mo surname, Title = mo Engagement.Job_Function",
		"mail = mo! address.EMAIL # clear when MO has none\nl = off",
		"* = off\nsAMAccountName = ad ituser.user_key\nextensionAttribute1 = ad ituser.external_id",
		"cn = mo common_name\nphysicalDeliveryOfficeName = mo unit_address.PNUMBER",
		"streetAddress = mo address.Dar.Street\npostalCode = mo ADDRESS.DAR.postal_code",
		"givenName = mo given_name\ngivenname = mo surname",
		"objectGUID = ad ituser.user_key",
		"sn = sideways surname",
		"title = mo",
		"* = off, * = off",
		"sAMAccountName = mo given_name",
		"= mo given_name",
		"gïvenName = mo given_name",
		"mail = mo address.EMAIL extra",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		text = text[:min(len(text), fuzzMaxMapping)]
		m, err := ParseMapping(text)
		if err != nil {
			if !strings.Contains(err.Error(), "AD_MAPPING") {
				t.Fatalf("error does not name AD_MAPPING: %v", err)
			}
			var me *MappingError
			if errors.As(err, &me) && me.Line < 1 {
				t.Fatalf("error without a line: %#v", me)
			}
			if len(m.Rules) != 0 {
				t.Fatalf("rules %v returned with error %v", m.Rules, err)
			}
			return
		}
		checkMapping(t, m)
		printed := m.String()
		again, err := ParseMapping(printed)
		if err != nil {
			t.Fatalf("the printed mapping does not parse: %v\ntext: %q\nprinted:\n%s", err, text, printed)
		}
		if !reflect.DeepEqual(again.Rules, m.Rules) || again.Hash() != m.Hash() {
			t.Fatalf("round trip changed the mapping\ntext: %q\nfirst:  %#v\nsecond: %#v", text, m.Rules, again.Rules)
		}
	})
}

// checkMapping holds the invariants of a parsed mapping.
func checkMapping(t *testing.T, m Mapping) {
	t.Helper()
	attrs := map[string]bool{}
	fields := map[string]string{}
	for _, r := range m.Rules {
		key := strings.ToLower(r.Attr)
		if attrs[key] {
			t.Fatalf("attribute %s mapped twice: %v", r.Attr, m.Rules)
		}
		attrs[key] = true
		if !attrNameRE.MatchString(r.Attr) {
			t.Fatalf("rule for a non-attribute %q", r.Attr)
		}
		switch r.Direction {
		case DirMOToAD:
			if notWritable[key] {
				t.Fatalf("MO writes %s", r.Attr)
			}
		case DirADToMO:
			if prev, dup := fields[strings.ToLower(r.Source)]; dup {
				t.Fatalf("%s and %s both map onto %s", prev, r.Attr, r.Source)
			}
			fields[strings.ToLower(r.Source)] = r.Attr
		default:
			t.Fatalf("rule of direction %q in a parsed mapping: %v", r.Direction, r)
		}
		if r.Clear && r.Direction != DirMOToAD {
			t.Fatalf("clear on a rule of direction %q", r.Direction)
		}
	}
	if len(fields) > 0 && m.ITUserField("user_key") == "" {
		t.Fatalf("AD→MO rules without ituser.user_key: %v", m.Rules)
	}
}
