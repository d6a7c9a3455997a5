package engine

import (
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// attrSyntax is what the engine knows of an AD attribute's syntax: enough
// to refuse at plan time a value AD would reject, and to compare values the
// way AD does.
type attrSyntax struct {
	integer  bool // Integer syntax (2.5.5.9)
	min, max int64
	maxLen   int  // rangeUpper in characters; 0 = unknown
	caseFold bool // compared case-insensitively by the engine
	large    bool // Large integer syntax (2.5.5.16), such as accountExpires
}

// caseFoldAttrs are the attributes the engine compares case-insensitively
// (see MappingHelp); every other string is compared exactly, so that a
// change of case in MO is written to AD.
var caseFoldAttrs = map[string]bool{
	"mail": true, "employeeid": true, "cn": true, "samaccountname": true, "userprincipalname": true,
}

// samMaxLen are limits AD's security accounts manager sets beyond the
// schema: a user's sAMAccountName holds at most 20 characters, though the
// schema's rangeUpper is 256.
var samMaxLen = map[string]int{"samaccountname": 20}

// adSyntax is the value rules of the built-in table of AD user attributes
// (BuiltinADSchema), by lower-case name.
var adSyntax = func() map[string]attrSyntax {
	s := BuiltinADSchema()
	out := make(map[string]attrSyntax, s.Len())
	for k, a := range s.Attributes {
		out[k] = syntaxFromSchema(a)
	}
	return out
}()

// syntaxFromSchema is the value rules the schema's facts give a: the
// bounds of an integer (AD's integers are 32-bit where the schema states
// none), the most characters of a string (rangeUpper), and the engine's own
// comparison rule.
func syntaxFromSchema(a ADAttribute) attrSyntax {
	k := strings.ToLower(a.Name)
	syn := attrSyntax{caseFold: caseFoldAttrs[k]}
	switch {
	case a.Syntax == SyntaxInteger:
		syn.integer, syn.min, syn.max = true, math.MinInt32, math.MaxInt32
		if a.HasRangeLower {
			syn.min = a.RangeLower
		}
		if a.HasRangeUpper {
			syn.max = a.RangeUpper
		}
	case a.Syntax == SyntaxLargeInteger:
		syn.large = true
	case textSyntax(a.Syntax) && a.HasRangeUpper && a.RangeUpper > 0 && a.RangeUpper <= math.MaxInt32:
		syn.maxLen = int(a.RangeUpper)
	}
	if n := samMaxLen[k]; n > 0 && (syn.maxLen == 0 || n < syn.maxLen) {
		syn.maxLen = n
	}
	return syn
}

// syntaxOf is the built-in value rules of attr (any case); an attribute
// the table lacks has none but the engine's comparison rule.
func syntaxOf(attr string) attrSyntax {
	// Lower-case ASCII names on the stack: this runs for every value of
	// every account.
	var buf [64]byte
	if len(attr) <= len(buf) {
		n := 0
		for ; n < len(attr) && attr[n] < utf8.RuneSelf; n++ {
			c := attr[n]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			buf[n] = c
		}
		if n == len(attr) {
			if syn, ok := adSyntax[string(buf[:n])]; ok {
				return syn
			}
			return attrSyntax{caseFold: caseFoldAttrs[string(buf[:n])]}
		}
	}
	k := strings.ToLower(attr)
	if syn, ok := adSyntax[k]; ok {
		return syn
	}
	return attrSyntax{caseFold: caseFoldAttrs[k]}
}

// syntaxIn is the value rules of attr by the facts of schema s (AD's, as
// read from the domain controller), or the built-in ones when s is nil or
// lacks attr.
func syntaxIn(s *ADSchema, attr string) attrSyntax {
	if s != nil && !s.Builtin {
		if a, ok := s.Lookup(attr); ok {
			return syntaxFromSchema(a)
		}
	}
	return syntaxOf(attr)
}

// CheckADValue returns why AD would reject v for attr, or "" when the
// engine knows no reason (by the built-in table of AD user attributes).
func CheckADValue(attr, v string) string { return syntaxOf(attr).check(attr, v) }

// check returns why AD would reject v for attr under these rules, or "".
func (syn attrSyntax) check(attr, v string) string {
	if syn.integer {
		n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		if err != nil {
			return attr + " has integer syntax; " + quote(v) + " is not an integer"
		}
		if n < syn.min || n > syn.max {
			return attr + " must be between " + strconv.FormatInt(syn.min, 10) + " and " + strconv.FormatInt(syn.max, 10) + ", got " + strconv.FormatInt(n, 10)
		}
	}
	if syn.maxLen > 0 && utf8.RuneCountInString(v) > syn.maxLen {
		return attr + " holds at most " + strconv.Itoa(syn.maxLen) + " characters, got " + strconv.Itoa(utf8.RuneCountInString(v))
	}
	return ""
}
