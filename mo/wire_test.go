package mo

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"moxsync/engine"
)

// TestWireStrings: a wstr tells an absent key from null and from "", and
// decodes escapes and non-ASCII text as encoding/json does.
func TestWireStrings(t *testing.T) {
	tests := []struct {
		in        string
		want      wstr
		wantError bool
	}{
		{`{}`, wstr{}, false},
		{`{"s": null}`, wstr{set: true, null: true}, false},
		{`{"s": ""}`, wstr{set: true}, false},
		{`{"s": "Søren Ærø"}`, wstr{v: "Søren Ærø", set: true}, false},
		{`{"s": "a\"b\\c\u00e6"}`, wstr{v: "a\"b\\cæ", set: true}, false},
		{"{\"s\": \"bad \xff byte\"}", wstr{v: "bad \ufffd byte", set: true}, false},
		{`{"s": 12}`, wstr{}, true},
		{`{"s": {"uuid": "x"}}`, wstr{}, true},
	}
	for _, tt := range tests {
		var got struct {
			S wstr `json:"s"`
		}
		err := json.Unmarshal([]byte(tt.in), &got)
		if (err != nil) != tt.wantError || (!tt.wantError && got.S != tt.want) {
			t.Errorf("%s: got %+v, %v; want %+v (error %v)", tt.in, got.S, err, tt.want, tt.wantError)
		}
	}
	var b struct {
		B wbool `json:"b"`
	}
	for in, want := range map[string]wbool{`{}`: {}, `{"b": null}`: {set: true, null: true}, `{"b": true}`: {v: true, set: true}, `{"b": false}`: {set: true}} {
		b.B = wbool{}
		if err := json.Unmarshal([]byte(in), &b); err != nil || b.B != want {
			t.Errorf("%s: got %+v, %v; want %+v", in, b.B, err, want)
		}
	}
	if err := json.Unmarshal([]byte(`{"b": "yes"}`), &b); err == nil {
		t.Error(`"yes" taken as a boolean`)
	}
}

// TestPeekNextCursorNeedsTheKey: a page whose page_info lacks next_cursor
// is not peeked as the last page; the full decode then refuses it.
func TestPeekNextCursorNeedsTheKey(t *testing.T) {
	tests := []struct {
		body   string
		next   string // "" for null
		peeked bool
	}{
		{`{"data": {"employees": {"page_info": {"next_cursor": "abc"}, "objects": []}}}`, "abc", true},
		{`{"data": {"employees": {"page_info": {"next_cursor": null}, "objects": []}}}`, "", true},
		{`{"data": {"employees": {"page_info": {}, "objects": []}}}`, "", false},
		{`{"data": {"employees": {"page_info": {"next_cursor": 7}, "objects": []}}}`, "", false},
		{`{"data": {"employees": {"objects": [], "page_info": {"next_cursor": null}}}}`, "", false},
	}
	for _, tt := range tests {
		next, ok := peekNextCursor([]byte(tt.body), "employees")
		got := ""
		if next != nil {
			got = *next
		}
		if ok != tt.peeked || got != tt.next || (ok && (next == nil) != (tt.next == "")) {
			t.Errorf("%s: got %q %v, want %q %v", tt.body, got, ok, tt.next, tt.peeked)
		}
	}
	var p paged[gqlTemporal[gqlPerson]]
	if err := json.Unmarshal([]byte(`{"page_info": {}, "objects": []}`), &p); err != nil {
		t.Fatal(err)
	}
	if g := checkPage("employees", &p, func(*gqlTemporal[gqlPerson]) gap { return gap{} }); g.key != "next_cursor" || g.at != "employees.page_info" {
		t.Errorf("gap = %+v, want next_cursor at employees.page_info", g)
	}
}

// TestMissingFieldError: the message names the key and where it is, and
// the error is a protocol error once classified.
func TestMissingFieldError(t *testing.T) {
	g := gap{key: "validity"}.of(str("0b33c2e8-6f0e-4d3c-9a7b-1c2d3e4f5002")).item("items", 3)
	err := classify("mo: read org unit", "GET /service/ou/0b33c2e8-6f0e-4d3c-9a7b-1c2d3e4f5002/", g.err())
	want := `mo: read org unit GET /service/ou/0b33c2e8-6f0e-4d3c-9a7b-1c2d3e4f5002/: MO protocol error: response lacks "validity" at items[3] (object 0b33c2e8-6f0e-4d3c-9a7b-1c2d3e4f5002)`
	if err.Error() != want {
		t.Errorf("got  %s\nwant %s", err, want)
	}
	if engine.KindOf(err) != engine.KindProtocol || !errors.Is(err, errProtocol) {
		t.Errorf("kind %v", engine.KindOf(err))
	}
	null := gap{key: "uuid", null: true}.of(wstr{set: true, null: true}).under("parent")
	if msg := null.err().Error(); msg != `MO protocol error: response has null for "uuid" at parent` {
		t.Errorf("got %s", msg)
	}
	if !strings.Contains(errMalformed.Error(), "MO protocol error") {
		t.Errorf("malformed: %v", errMalformed)
	}
}
