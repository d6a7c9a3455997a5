package ad

import (
	"testing"

	"github.com/go-ldap/ldap/v3"

	"moxsync/engine"
)

func TestModifyRequest(t *testing.T) {
	req, names, err := modifyRequest("CN=a,DC=b", []engine.AttrChange{
		{Attr: "title", Before: []string{"A"}, After: []string{"B"}},
		{Attr: "mail", After: []string{"x@y", "x@y", ""}},
		{Attr: "department", Before: []string{"IT"}},
		{Attr: "description", Before: []string{"p", "q"}, After: []string{"q", "p"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	type op struct {
		op   uint
		attr string
		vals []string
	}
	want := []op{
		{ldap.DeleteAttribute, "title", []string{"A"}},
		{ldap.AddAttribute, "title", []string{"B"}},
		{ldap.AddAttribute, "mail", []string{"x@y"}},
		{ldap.DeleteAttribute, "department", []string{"IT"}},
	}
	if len(req.Changes) != len(want) {
		t.Fatalf("%d changes, want %d: %+v", len(req.Changes), len(want), req.Changes)
	}
	for i, w := range want {
		c := req.Changes[i]
		if c.Operation != w.op || c.Modification.Type != w.attr || !sameValues(c.Modification.Vals, w.vals) {
			t.Errorf("change %d = %d %s %v, want %+v", i, c.Operation, c.Modification.Type, c.Modification.Vals, w)
		}
	}
	if len(names) != 3 {
		t.Errorf("names = %v", names)
	}
	for _, bad := range []string{"", "cn", "objectGUID", "distinguishedName"} {
		if _, _, err := modifyRequest("CN=a", []engine.AttrChange{{Attr: bad, After: []string{"x"}}}); engine.KindOf(err) != engine.KindInvalid {
			t.Errorf("attribute %q: err %v, want invalid", bad, err)
		}
	}
}

func TestNewUAC(t *testing.T) {
	tests := []struct {
		uac      int
		disabled bool
		want     int
	}{
		{512, true, 514}, {514, false, 512}, {546, false, 544}, {544, true, 546}, {514, true, 514}, {66048, true, 66050},
	}
	for _, tt := range tests {
		if got := newUAC(tt.uac, tt.disabled); got != tt.want {
			t.Errorf("newUAC(%d, %v) = %d, want %d", tt.uac, tt.disabled, got, tt.want)
		}
	}
}
