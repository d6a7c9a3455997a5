package engine

import (
	_ "embed"
	"fmt"
	"strconv"
	"strings"
	"sync"
)

// ADAttribute is what AD's schema says of one attribute: the facts of its
// attributeSchema object under the schema naming context.
type ADAttribute struct {
	// Name is the lDAPDisplayName as the schema spells it, e.g. "givenName".
	Name string
	// Syntax is the attributeSyntax OID, e.g. "2.5.5.12" (Unicode string);
	// OMSyntax the oMSyntax that refines it (64 for Unicode).
	Syntax   string
	OMSyntax int
	// SingleValued is isSingleValued.
	SingleValued bool
	// RangeLower and RangeUpper bound an integer's value or a string's
	// length in characters (bytes for octet strings), when HasRangeLower
	// and HasRangeUpper say the schema states them.
	RangeLower, RangeUpper       int64
	HasRangeLower, HasRangeUpper bool
	// SystemOnly: only AD itself may write it (systemOnly TRUE).
	SystemOnly bool
	// Constructed: AD computes it on read and stores nothing (systemFlags
	// bit FLAG_ATTR_IS_CONSTRUCTED, 0x4).
	Constructed bool
	// BackLink: AD maintains it from the forward link (an odd linkID, e.g.
	// memberOf from member).
	BackLink bool
}

// FlagAttrIsConstructed is the systemFlags bit of a constructed attribute.
const FlagAttrIsConstructed = 0x4

// Writable reports whether a client may write the attribute.
func (a ADAttribute) Writable() bool { return !a.SystemOnly && !a.Constructed && !a.BackLink }

// Attribute syntaxes (attributeSyntax) the engine tells apart.
const (
	SyntaxDN           = "2.5.5.1"
	SyntaxCaseExact    = "2.5.5.3"
	SyntaxTeletex      = "2.5.5.4" // case-insensitive string
	SyntaxPrintable    = "2.5.5.5" // IA5 or printable string
	SyntaxNumeric      = "2.5.5.6" // numeric string
	SyntaxInteger      = "2.5.5.9" // integer or enumeration
	SyntaxOctet        = "2.5.5.10"
	SyntaxUnicode      = "2.5.5.12"
	SyntaxLargeInteger = "2.5.5.16"
)

// syntaxNames name the syntaxes in messages.
var syntaxNames = map[string]string{
	"2.5.5.1": "DN", "2.5.5.2": "object identifier", "2.5.5.3": "case-sensitive string",
	"2.5.5.4": "case-insensitive string", "2.5.5.5": "printable string", "2.5.5.6": "numeric string",
	"2.5.5.7": "DN-binary", "2.5.5.8": "boolean", "2.5.5.9": "integer", "2.5.5.10": "octet string",
	"2.5.5.11": "time", "2.5.5.12": "Unicode string", "2.5.5.13": "presentation address",
	"2.5.5.14": "DN-string", "2.5.5.15": "security descriptor", "2.5.5.16": "large integer",
	"2.5.5.17": "SID",
}

// SyntaxName is a syntax OID with its name, e.g. "2.5.5.1 (DN)".
func SyntaxName(oid string) string {
	if n, ok := syntaxNames[oid]; ok {
		return oid + " (" + n + ")"
	}
	return oid
}

// textSyntax reports whether a value of the syntax is text an MO field can
// give: strings and integers (checked as such per value).
func textSyntax(oid string) bool {
	switch oid {
	case SyntaxCaseExact, SyntaxTeletex, SyntaxPrintable, SyntaxNumeric, SyntaxInteger, SyntaxUnicode:
		return true
	}
	return false
}

// ADSchema is AD's schema as far as the engine needs it: the attributes by
// lower-case lDAPDisplayName. Read it from the domain controller
// (ad.Directory.ReadSchema) or take BuiltinADSchema.
type ADSchema struct {
	Attributes map[string]ADAttribute
	// Builtin marks BuiltinADSchema: moxsync's table of AD user
	// attributes, not a domain controller's schema.
	Builtin bool
}

// NewADSchema indexes attrs by lower-case name.
func NewADSchema(attrs []ADAttribute) *ADSchema {
	s := &ADSchema{Attributes: make(map[string]ADAttribute, len(attrs))}
	for _, a := range attrs {
		s.Attributes[strings.ToLower(a.Name)] = a
	}
	return s
}

// Len is the number of attributes the schema holds.
func (s *ADSchema) Len() int { return len(s.Attributes) }

// Lookup returns the attribute named name (any case).
func (s *ADSchema) Lookup(name string) (ADAttribute, bool) {
	a, ok := s.Attributes[strings.ToLower(name)]
	return a, ok
}

// describe names the schema in messages.
func (s *ADSchema) describe() string {
	if s.Builtin {
		return "moxsync's built-in table of AD user attributes"
	}
	return "AD's schema"
}

//go:embed schema_builtin.txt
var builtinSchemaText string

// BuiltinADSchema is the table of AD user attributes moxsync carries
// (schema_builtin.txt): what it knows of AD's schema without a domain
// controller to ask. Do not modify the result.
var BuiltinADSchema = sync.OnceValue(func() *ADSchema {
	s, err := parseSchemaTable(builtinSchemaText)
	if err != nil {
		panic("engine: schema_builtin.txt: " + err.Error())
	}
	s.Builtin = true
	return s
})

// parseSchemaTable reads the format of schema_builtin.txt.
func parseSchemaTable(text string) (*ADSchema, error) {
	var attrs []ADAttribute
	for i, line := range strings.Split(text, "\n") {
		if line = strings.TrimSpace(line); line == "" || line[0] == '#' {
			continue
		}
		f := strings.Fields(line)
		if len(f) != 7 {
			return nil, fmt.Errorf("line %d %q: want 7 fields", i+1, line)
		}
		om, err := strconv.Atoi(f[2])
		if err != nil {
			return nil, fmt.Errorf("line %d %q: oMSyntax: %w", i+1, line, err)
		}
		a := ADAttribute{Name: f[0], Syntax: "2.5.5." + f[1], OMSyntax: om, SingleValued: f[3] == "s"}
		a.RangeLower, a.HasRangeLower = parseBound(f[4])
		a.RangeUpper, a.HasRangeUpper = parseBound(f[5])
		for _, fl := range strings.Split(f[6], ",") {
			switch fl {
			case "systemOnly":
				a.SystemOnly = true
			case "constructed":
				a.Constructed = true
			case "backLink":
				a.BackLink = true
			}
		}
		attrs = append(attrs, a)
	}
	return NewADSchema(attrs), nil
}

func parseBound(s string) (int64, bool) {
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}
