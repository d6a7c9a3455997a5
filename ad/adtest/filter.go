package adtest

import (
	"bytes"
	"strings"

	ber "github.com/go-asn1-ber/asn1-ber"
	"github.com/go-ldap/ldap/v3"
)

// AD's bitwise matching rules for extensible matches.
const (
	ruleBitAnd = "1.2.840.113556.1.4.803"
	ruleBitOr  = "1.2.840.113556.1.4.804"
)

// matcher is a compiled search filter.
type matcher func(e *entry) bool

// compileFilter turns a BER filter (RFC 4511 §4.5.1) into a matcher. As in
// Samba, an attribute missing from the schema or a value its syntax cannot
// hold makes the item false (and its negation true).
func (d *directory) compileFilter(p *ber.Packet) (matcher, *ldapError) {
	if p.ClassType != ber.ClassContext {
		return nil, errf(resultProtocolError, "filter: unexpected class %d", p.ClassType)
	}
	switch p.Tag {
	case ldap.FilterAnd, ldap.FilterOr:
		subs := make([]matcher, 0, len(p.Children))
		for _, c := range p.Children {
			m, err := d.compileFilter(c)
			if err != nil {
				return nil, err
			}
			subs = append(subs, m)
		}
		if p.Tag == ldap.FilterAnd {
			return func(e *entry) bool {
				for _, m := range subs {
					if !m(e) {
						return false
					}
				}
				return true
			}, nil
		}
		return func(e *entry) bool {
			for _, m := range subs {
				if m(e) {
					return true
				}
			}
			return false
		}, nil
	case ldap.FilterNot:
		if len(p.Children) != 1 {
			return nil, errf(resultProtocolError, "filter: not needs one child")
		}
		m, err := d.compileFilter(p.Children[0])
		if err != nil {
			return nil, err
		}
		return func(e *entry) bool { return !m(e) }, nil
	case ldap.FilterPresent:
		t := adSchema.attr(string(p.Data.Bytes()))
		if t == nil {
			return never, nil
		}
		if t == atObjectClass {
			return always, nil
		}
		return func(e *entry) bool { return len(e.get(t)) > 0 }, nil
	case ldap.FilterEqualityMatch, ldap.FilterApproxMatch, ldap.FilterGreaterOrEqual, ldap.FilterLessOrEqual:
		if len(p.Children) != 2 {
			return nil, errf(resultProtocolError, "filter: attribute value assertion needs two children")
		}
		t := adSchema.attr(string(p.Children[0].Data.Bytes()))
		v := string(p.Children[1].Data.Bytes())
		if t == nil {
			return never, nil
		}
		switch p.Tag {
		case ldap.FilterGreaterOrEqual:
			return d.ordering(t, v, true), nil
		case ldap.FilterLessOrEqual:
			return d.ordering(t, v, false), nil
		}
		return d.equality(t, v), nil
	case ldap.FilterSubstrings:
		return d.substrings(p)
	case ldap.FilterExtensibleMatch:
		return d.extensible(p)
	}
	return nil, errf(resultProtocolError, "filter: unknown choice %d", p.Tag)
}

func always(*entry) bool { return true }
func never(*entry) bool  { return false }

// equality matches (attr=value) with the attribute's matching rule.
func (d *directory) equality(t *attrType, v string) matcher {
	switch {
	case t == atObjectCategory && !strings.Contains(v, "="):
		// AD lets (objectCategory=person) name the class; it means the
		// class's defaultObjectCategory DN.
		if c := adSchema.class(v); c != nil {
			v = "CN=" + c.category + "," + d.schemaDN()
		}
		key := normDNKey(v)
		return func(e *entry) bool {
			for _, x := range e.get(t) {
				if normDNKey(x) == key {
					return true
				}
			}
			return false
		}
	case t.syntax == syntaxDN:
		key := normDNKey(v)
		if key == "" {
			return never
		}
		return func(e *entry) bool {
			for _, x := range e.get(t) {
				if strings.EqualFold(x, v) || normDNKey(x) == key {
					return true
				}
			}
			return false
		}
	case t.numeric():
		n, ok := parseInt(v)
		if !ok {
			return never
		}
		return func(e *entry) bool {
			for _, x := range e.get(t) {
				if m, ok := parseInt(x); ok && m == n {
					return true
				}
			}
			return false
		}
	case t.caseFold():
		return func(e *entry) bool {
			for _, x := range e.get(t) {
				if strings.EqualFold(x, v) {
					return true
				}
			}
			return false
		}
	}
	return func(e *entry) bool {
		for _, x := range e.get(t) {
			if x == v {
				return true
			}
		}
		return false
	}
}

// ordering matches (attr>=value) (ge) or (attr<=value).
func (d *directory) ordering(t *attrType, v string, ge bool) matcher {
	cmp := func(c int) bool {
		if ge {
			return c >= 0
		}
		return c <= 0
	}
	switch {
	case t.numeric():
		n, ok := parseInt(v)
		if !ok {
			return never
		}
		return func(e *entry) bool {
			for _, x := range e.get(t) {
				if m, ok := parseInt(x); ok && cmp(compareInt(m, n)) {
					return true
				}
			}
			return false
		}
	case t.syntax == syntaxTime:
		want, ok := parseTime(v)
		if !ok {
			return never
		}
		return func(e *entry) bool {
			for _, x := range e.get(t) {
				if got, ok := parseTime(x); ok && cmp(got.Compare(want)) {
					return true
				}
			}
			return false
		}
	case t.caseFold():
		lv := strings.ToLower(v)
		return func(e *entry) bool {
			for _, x := range e.get(t) {
				if cmp(strings.Compare(strings.ToLower(x), lv)) {
					return true
				}
			}
			return false
		}
	}
	return func(e *entry) bool {
		for _, x := range e.get(t) {
			if cmp(bytes.Compare([]byte(x), []byte(v))) {
				return true
			}
		}
		return false
	}
}

func compareInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// substrings matches (attr=ini*any*fin).
func (d *directory) substrings(p *ber.Packet) (matcher, *ldapError) {
	if len(p.Children) != 2 {
		return nil, errf(resultProtocolError, "filter: substrings needs two children")
	}
	t := adSchema.attr(string(p.Children[0].Data.Bytes()))
	if t == nil {
		return never, nil
	}
	fold := t.caseFold()
	norm := func(s string) string {
		if fold {
			return strings.ToLower(s)
		}
		return s
	}
	var initial, final string
	var anys []string
	for _, c := range p.Children[1].Children {
		v := norm(string(c.Data.Bytes()))
		switch c.Tag {
		case ldap.FilterSubstringsInitial:
			initial = v
		case ldap.FilterSubstringsAny:
			anys = append(anys, v)
		case ldap.FilterSubstringsFinal:
			final = v
		}
	}
	return func(e *entry) bool {
		for _, x := range e.get(t) {
			if substringMatch(norm(x), initial, anys, final) {
				return true
			}
		}
		return false
	}, nil
}

func substringMatch(s, initial string, anys []string, final string) bool {
	if !strings.HasPrefix(s, initial) {
		return false
	}
	s = s[len(initial):]
	for _, a := range anys {
		i := strings.Index(s, a)
		if i < 0 {
			return false
		}
		s = s[i+len(a):]
	}
	return strings.HasSuffix(s, final)
}

// extensible handles (attr:rule:=value): AD's bit-AND (803) and bit-OR (804)
// rules, and a plain (attr:=value) as equality.
func (d *directory) extensible(p *ber.Packet) (matcher, *ldapError) {
	var rule, attr, value string
	for _, c := range p.Children {
		switch c.Tag {
		case ldap.MatchingRuleAssertionMatchingRule:
			rule = string(c.Data.Bytes())
		case ldap.MatchingRuleAssertionType:
			attr = string(c.Data.Bytes())
		case ldap.MatchingRuleAssertionMatchValue:
			value = string(c.Data.Bytes())
		}
	}
	t := adSchema.attr(attr)
	if t == nil {
		return never, nil
	}
	switch rule {
	case "":
		return d.equality(t, value), nil
	case ruleBitAnd, ruleBitOr:
		mask, ok := parseInt(value)
		if !ok || !t.numeric() {
			return never, nil
		}
		and := rule == ruleBitAnd
		return func(e *entry) bool {
			for _, x := range e.get(t) {
				n, ok := parseInt(x)
				if !ok {
					continue
				}
				if and && n&mask == mask || !and && n&mask != 0 {
					return true
				}
			}
			return false
		}, nil
	}
	return never, nil
}
