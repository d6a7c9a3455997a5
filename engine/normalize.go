package engine

import (
	"slices"
	"strconv"
	"strings"
)

// NormalizeValue is the form of an attribute value used for comparing:
// whitespace trimmed and runs of it collapsed to one space, the numeric
// value for integer attributes, and lower case for attributes compared
// case-insensitively (see MappingHelp).
func NormalizeValue(attr, v string) string {
	v = collapseSpace(v)
	syn := syntaxOf(attr)
	switch {
	case syn.integer:
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			return strconv.FormatInt(n, 10)
		}
		return v
	case syn.caseFold:
		return strings.ToLower(v)
	}
	return v
}

// NormalizeValues normalises every value, drops empty ones and sorts the
// rest, so that multi-value order never makes a difference.
func NormalizeValues(attr string, vs []string) []string {
	out := make([]string, 0, len(vs))
	for _, v := range vs {
		if n := NormalizeValue(attr, v); n != "" {
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return out
}

// SameValues reports whether a and b hold the same values of attr after
// normalising.
func SameValues(attr string, a, b []string) bool {
	return slices.Equal(NormalizeValues(attr, a), NormalizeValues(attr, b))
}

// collapseSpace trims s and collapses each run of Unicode white space into
// one ASCII space.
func collapseSpace(s string) string {
	if !needsCollapse(s) {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

func needsCollapse(s string) bool {
	prevSpace := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x80 {
			return true // let strings.Fields decide for non-ASCII
		}
		sp := c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
		if sp && (prevSpace || c != ' ') {
			return true
		}
		prevSpace = sp
	}
	return prevSpace && len(s) > 0
}

// normalizeRule normalises v for comparing under rule r: CPR values compare
// by their digits only, everything else as NormalizeValue.
func normalizeRule(r MappingRule, v string) string {
	if r.Source == "cpr" {
		return DigitsOnly(v)
	}
	if r.Source == "engagement.end_date" {
		if v = strings.TrimSpace(v); v == FileTimeNever || v == "0" {
			return "" // never expires, as no value does
		}
		return v
	}
	return NormalizeValue(r.Attr, v)
}
