package adtest

import (
	_ "embed"
	"strconv"
	"strings"
)

// The schema files are dumps of a Samba 4.17 AD DC's schema partition:
// schema_attributes.txt has "lDAPDisplayName syntax s|m [rangeLower
// rangeUpper]" where syntax is the last component of attributeSyntax 2.5.5.N,
// s/m is isSingleValued and the range ("-" = none) bounds integer values or
// string lengths;
// schema_classes.txt has "lDAPDisplayName subClassOf defaultObjectCategory".

//go:embed schema_attributes.txt
var schemaAttributesText string

//go:embed schema_classes.txt
var schemaClassesText string

// syntax is an AD attribute syntax (the N of attributeSyntax 2.5.5.N).
type syntax int

const (
	syntaxDN           syntax = 1  // Object(DS-DN)
	syntaxOID          syntax = 2  // String(Object-Identifier), e.g. objectClass
	syntaxCaseExact    syntax = 3  // String(Case Sensitive)
	syntaxTeletex      syntax = 4  // String(Teletex), case-insensitive
	syntaxIA5          syntax = 5  // String(IA5)/String(Printable)
	syntaxNumeric      syntax = 6  // String(Numeric)
	syntaxDNBinary     syntax = 7  // Object(DN-Binary)
	syntaxBoolean      syntax = 8  // Boolean
	syntaxInteger      syntax = 9  // Integer / Enumeration
	syntaxOctet        syntax = 10 // String(Octet)
	syntaxTime         syntax = 11 // String(Generalized-Time)/String(UTC-Time)
	syntaxUnicode      syntax = 12 // String(Unicode), case-insensitive
	syntaxPresentation syntax = 13 // Object(Presentation-Address)
	syntaxDNString     syntax = 14 // Object(DN-String)
	syntaxSecDesc      syntax = 15 // String(NT-Sec-Desc)
	syntaxLargeInteger syntax = 16 // LargeInteger
	syntaxSID          syntax = 17 // String(Sid)
)

// attrType is one attribute of the schema.
type attrType struct {
	name               string // canonical lDAPDisplayName, e.g. sAMAccountName
	syntax             syntax
	single             bool
	hidden             bool  // never returned (passwords)
	operational        bool  // returned only when asked for by name or "+"
	lower              int64 // rangeLower, when hasLower
	upper              int64 // rangeUpper, when hasUpper
	hasLower, hasUpper bool
}

// inRange checks n against rangeLower/rangeUpper.
func (a *attrType) inRange(n int64) bool {
	return (!a.hasLower || n >= a.lower) && (!a.hasUpper || n <= a.upper)
}

// caseFold reports whether values of the attribute compare case-insensitively.
func (a *attrType) caseFold() bool {
	switch a.syntax {
	case syntaxDN, syntaxOID, syntaxTeletex, syntaxUnicode, syntaxPresentation, syntaxDNString, syntaxBoolean:
		return true
	}
	return false
}

// numeric reports whether values of the attribute are integers.
func (a *attrType) numeric() bool {
	return a.syntax == syntaxInteger || a.syntax == syntaxLargeInteger
}

// binary reports whether values are octet strings that never change case.
func (a *attrType) binary() bool {
	return a.syntax == syntaxOctet || a.syntax == syntaxSID || a.syntax == syntaxSecDesc
}

// classType is one structural/abstract class of the schema.
type classType struct {
	name     string // canonical lDAPDisplayName, e.g. organizationalPerson
	super    string // lower-cased subClassOf
	category string // defaultObjectCategory CN, e.g. Person
}

// schema holds attribute and class definitions keyed by lower-cased name.
type schema struct {
	attrs   map[string]*attrType
	classes map[string]*classType
}

var adSchema = loadSchema()

func loadSchema() *schema {
	s := &schema{attrs: map[string]*attrType{}, classes: map[string]*classType{}}
	for _, line := range strings.Split(schemaAttributesText, "\n") {
		f := strings.Fields(line)
		if len(f) != 3 && len(f) != 5 {
			continue
		}
		n, _ := strconv.Atoi(f[1])
		a := &attrType{name: f[0], syntax: syntax(n), single: f[2] == "s"}
		if len(f) == 5 {
			a.lower, a.hasLower = parseBound(f[3])
			a.upper, a.hasUpper = parseBound(f[4])
		}
		k := strings.ToLower(f[0])
		a.hidden, a.operational = hiddenAttrs[k], operationalAttrs[k]
		s.attrs[k] = a
	}
	for _, line := range strings.Split(schemaClassesText, "\n") {
		f := strings.Fields(line)
		if len(f) != 3 {
			continue
		}
		s.classes[strings.ToLower(f[0])] = &classType{name: f[0], super: strings.ToLower(f[1]), category: f[2]}
	}
	return s
}

func parseBound(s string) (int64, bool) {
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}

// attr returns the attribute type named name (any case), or nil.
func (s *schema) attr(name string) *attrType {
	if a, ok := s.attrs[name]; ok {
		return a
	}
	return s.attrs[strings.ToLower(name)]
}

// class returns the class named name (any case), or nil.
func (s *schema) class(name string) *classType {
	return s.classes[strings.ToLower(name)]
}

// chain returns the class and its superclasses, top first:
// user → top, person, organizationalPerson, user.
func (s *schema) chain(c *classType) []*classType {
	var out []*classType
	for i := 0; c != nil && i < 32; i++ {
		out = append(out, c)
		if c.super == strings.ToLower(c.name) {
			break
		}
		c = s.classes[c.super]
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out
}

// operational attributes are returned only when asked for by name (or "+").
var operationalAttrs = map[string]bool{
	"createtimestamp": true, "modifytimestamp": true, "subschemasubentry": true,
}

// hiddenAttrs are never returned, as in AD.
var hiddenAttrs = map[string]bool{"unicodepwd": true, "userpassword": true, "dbcspwd": true, "ntpwdhistory": true, "lmpwdhistory": true, "supplementalcredentials": true}

// systemAttrs can only be written by the system (AddEntry), never over LDAP.
var systemAttrs = map[string]bool{
	"objectguid": true, "objectsid": true, "whencreated": true, "whenchanged": true,
	"usncreated": true, "usnchanged": true, "createtimestamp": true, "modifytimestamp": true,
	"distinguishedname": true, "instancetype": true, "samaccounttype": true,
	"memberof": true,
}
