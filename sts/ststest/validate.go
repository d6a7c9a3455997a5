package ststest

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// obj is a decoded JSON object. The middleware's binder matches property
// names case-insensitively, so lookups do too.
type obj map[string]any

func (o obj) get(name string) (any, bool) {
	if v, ok := o[name]; ok {
		return v, true
	}
	for k, v := range o {
		if strings.EqualFold(k, name) {
			return v, true
		}
	}
	return nil, false
}

// str returns a string property; null and missing give "" and false.
func (o obj) str(name string) (string, bool) {
	v, _ := o.get(name)
	s, ok := v.(string)
	return s, ok
}

func (o obj) object(name string) obj {
	v, _ := o.get(name)
	m, _ := v.(map[string]any)
	return m
}

func (o obj) list(name string) []any {
	v, _ := o.get(name)
	l, _ := v.([]any)
	return l
}

// addrValue is the value of an address property: a string in the flat
// dialect, an object's Value in v1_1.
func (o obj) addrValue(name string) string {
	v, _ := o.get(name)
	switch t := v.(type) {
	case string:
		return t
	case map[string]any:
		s, _ := obj(t).str("Value")
		return s
	}
	return ""
}

// validateUnit checks a unit as the middleware's controller does before it
// queues it. The messages are OS2sync's (sts-api.md §1.6).
func validateUnit(o obj) string {
	if s, _ := o.str("Name"); s == "" {
		return "name is null"
	}
	if s, _ := o.str("Uuid"); s == "" {
		return "uuid is null"
	}
	return ""
}

// validateUser checks a user as the middleware's controller does.
func validateUser(o obj) string {
	if s, _ := o.object("Person").str("Name"); s == "" {
		return "Person.Name is null or empty"
	}
	if s, _ := o.str("UserId"); s == "" {
		return "UserId is null or empty"
	}
	if s, _ := o.str("Uuid"); s == "" {
		return "Uuid is null empty" // sic
	}
	ps := o.list("Positions")
	if len(ps) == 0 {
		return "Positions is null or empty"
	}
	for _, p := range ps {
		m, _ := p.(map[string]any)
		_, okName := obj(m).str("Name")
		_, okOU := obj(m).str("OrgUnitUuid")
		if !okName || !okOU {
			return "Position Name or OrgUnitUUID is null"
		}
	}
	return ""
}

// twoPositions returns the first unit a user has more than one position
// in, as the middleware's UserService finds when it processes the row.
func twoPositions(o obj) string {
	seen := map[string]bool{}
	for _, p := range o.list("Positions") {
		m, _ := p.(map[string]any)
		ou, _ := obj(m).str("OrgUnitUuid")
		ou = strings.ToLower(ou)
		if seen[ou] {
			return ou
		}
		seen[ou] = true
	}
	return ""
}

// tooLong returns a message for the first value longer than its limit.
func tooLong(kind string, o obj, l Limits) string {
	check := func(field, v string, max int) string {
		if max > 0 && utf8.RuneCountInString(v) > max {
			return fmt.Sprintf("%s is longer than %d characters", field, max)
		}
		return ""
	}
	var msgs []string
	add := func(m string) {
		if m != "" {
			msgs = append(msgs, m)
		}
	}
	sk, _ := o.str("ShortKey")
	add(check("ShortKey", sk, l.ShortKey))
	if kind == kindUnit {
		n, _ := o.str("Name")
		add(check("Name", n, l.Name))
		for _, f := range []string{"Phone", "PhoneNumber", "Email", "Location", "LOSShortName", "Ean", "Post", "Url", "Landline"} {
			add(check(f, o.addrValue(f), l.Address))
		}
		for _, f := range []string{"ContactOpenHours", "EmailRemarks", "Contact", "PostReturn", "PhoneOpenHours"} {
			add(check(f, o.addrValue(f), l.OpenHours))
		}
	} else {
		u, _ := o.str("UserId")
		add(check("UserId", u, l.UserID))
		for _, f := range []string{"Phone", "PhoneNumber", "Email", "Location"} {
			add(check(f, o.addrValue(f), l.Address))
		}
		p := o.object("Person")
		n, _ := p.str("Name")
		add(check("Person.Name", n, l.PersonName))
		c, _ := p.str("Cpr")
		add(check("Person.Cpr", c, l.CPR))
		for _, pos := range o.list("Positions") {
			m, _ := pos.(map[string]any)
			n, _ := obj(m).str("Name")
			add(check("Position Name", n, l.PositionName))
		}
	}
	if len(msgs) == 0 {
		return ""
	}
	return msgs[0]
}
