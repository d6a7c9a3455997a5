package engine

import (
	"regexp"
	"strings"
	"sync"
	"time"
)

// PrimaryEngagement picks the engagement whose job function, user_key and
// unit feed the mapping: among the engagements current at now (or, when
// there are none, the future ones), the one marked is_primary; when none or
// several are marked, the earliest-starting of the candidates, ties broken
// by uuid. It returns nil when the person has no current or future
// engagement.
func PrimaryEngagement(p *Person, now time.Time) *Engagement {
	var current, future []*Engagement
	for i := range p.Engagements {
		e := &p.Engagements[i]
		switch {
		case e.Validity.ActiveAt(now):
			current = append(current, e)
		case e.Validity.CurrentOrFuture(now):
			future = append(future, e)
		}
	}
	cands := current
	if len(cands) == 0 {
		cands = future
	}
	if len(cands) == 0 {
		return nil
	}
	var primary []*Engagement
	for _, e := range cands {
		if e.IsPrimary {
			primary = append(primary, e)
		}
	}
	if len(primary) == 1 {
		return primary[0]
	}
	if len(primary) > 1 {
		cands = primary
	}
	return earliest(cands)
}

func earliest(es []*Engagement) *Engagement {
	best := es[0]
	for _, e := range es[1:] {
		bf, ef := best.Validity.From, e.Validity.From
		switch {
		case ef.Before(bf):
			best = e
		case ef.Equal(bf) && e.UUID < best.UUID:
			best = e
		}
	}
	return best
}

// HasCurrentOrFutureEngagement reports whether p has an engagement that has
// not ended at now.
func HasCurrentOrFutureEngagement(p *Person, now time.Time) bool {
	for i := range p.Engagements {
		if p.Engagements[i].Validity.CurrentOrFuture(now) {
			return true
		}
	}
	return false
}

// HasCurrentEngagement reports whether p has an engagement active at now.
func HasCurrentEngagement(p *Person, now time.Time) bool {
	for i := range p.Engagements {
		if p.Engagements[i].Validity.ActiveAt(now) {
			return true
		}
	}
	return false
}

// pickAddress returns the address of scope or type user_key kind
// (case-insensitive) that is current at now and not SECRET; several match →
// the earliest-starting, then the lowest uuid. nil when none.
func pickAddress(addrs []Address, kind string, now time.Time) *Address {
	var best *Address
	for i := range addrs {
		a := &addrs[i]
		if !a.ofKind(kind) || a.secret() || !a.Validity.ActiveAt(now) {
			continue
		}
		if best == nil || a.Validity.From.Before(best.Validity.From) ||
			(a.Validity.From.Equal(best.Validity.From) && a.UUID < best.UUID) {
			best = a
		}
	}
	return best
}

// ofKind reports whether the address is of scope or type user_key kind
// (case-insensitive), as AD_MAPPING's address.<kind> names it.
func (a *Address) ofKind(kind string) bool {
	return strings.EqualFold(a.Scope, kind) || strings.EqualFold(a.TypeUserKey, kind)
}

// secret reports whether the address's visibility is SECRET.
func (a *Address) secret() bool { return strings.EqualFold(a.Visibility, "SECRET") }

// addressText is what MO shows for an address: its Name, else its Value.
func addressText(a *Address) string {
	if a.Name != "" {
		return a.Name
	}
	return a.Value
}

// darRE splits a Danish address at the LAST ", NNNN City": the greedy
// street part swallows any earlier commas and a 4-digit house number.
var darRE = regexp.MustCompile(`^\s*(.*\S)\s*,\s*([0-9]{4})\s+(\S.*?)\s*$`)

// SplitDanishAddress splits "Vejnavn 12, 8000 Aarhus C" into street
// "Vejnavn 12", postal code "8000" and city "Aarhus C". The postal code is
// the 4 digits after the last comma, so "Parkvej 1234, 8000 Aarhus C" keeps
// its house number (ad.md §3.9 without DIPEX's bug). ok is false when the
// text has no ", NNNN City" ending.
func SplitDanishAddress(s string) (street, postalCode, city string, ok bool) {
	m := darRE.FindStringSubmatch(s)
	if m == nil {
		return "", "", "", false
	}
	return m[1], m[2], m[3], true
}

// valueContext is what resolving a mapped MO value needs besides the person.
type valueContext struct {
	now   time.Time
	units map[string]*Unit
	// lastDAR memoises the last SplitDanishAddress: the street, postal code
	// and city rules split the same text one after the other.
	lastDAR struct {
		text, street, code, city string
		ok, set                  bool
	}
}

// splitDAR is SplitDanishAddress, memoised for the last text.
func (vc *valueContext) splitDAR(text string) (street, code, city string, ok bool) {
	l := &vc.lastDAR
	if !l.set || l.text != text {
		l.street, l.code, l.city, l.ok = SplitDanishAddress(text)
		l.text, l.set = text, true
	}
	return l.street, l.code, l.city, l.ok
}

// addressParts caches addressPartRE's submatches per rule source (a few
// per mapping, looked up once per person and rule).
var addressParts sync.Map // string → []string (nil: no match)

func addressSourceParts(src string) []string {
	if m, ok := addressParts.Load(src); ok {
		return m.([]string)
	}
	m := addressPartRE.FindStringSubmatch(src)
	addressParts.Store(src, m)
	return m
}

// resolveMO returns the MO value a MO→AD rule gives for p. problem is
// non-empty when MO holds a value that cannot be used (an address that
// does not split); the attribute is then left unchanged. The value "" with
// no problem means MO has no value.
func (vc *valueContext) resolveMO(r MappingRule, p *Person, eng *Engagement) (value, problem string) {
	switch r.Source {
	case "given_name":
		return p.GivenName, ""
	case "surname":
		return p.Surname, ""
	case "name":
		return p.Name(), ""
	case "nickname":
		if p.NicknameGivenName != "" || p.NicknameSurname != "" {
			return strings.TrimSpace(p.NicknameGivenName + " " + p.NicknameSurname), ""
		}
		return p.Name(), ""
	case "cpr":
		return p.CPR, ""
	case "user_key":
		return p.UserKey, ""
	case "uuid":
		return p.UUID, ""
	case "engagement.job_function", "engagement.user_key", "engagement.type",
		"engagement.unit", "engagement.unit_user_key":
		if eng == nil {
			return "", ""
		}
		switch r.Source {
		case "engagement.job_function":
			return eng.JobFunction, ""
		case "engagement.user_key":
			return eng.UserKey, ""
		case "engagement.type":
			return eng.EngagementType, ""
		}
		u := vc.units[eng.UnitUUID]
		if u == nil {
			return "", ""
		}
		if r.Source == "engagement.unit" {
			return u.Name, ""
		}
		return u.UserKey, ""
	}
	if name, ok := strings.CutPrefix(r.Source, "engagement."); ok && strings.HasPrefix(name, "extension_") {
		if eng == nil {
			return "", ""
		}
		return eng.Extensions[name], ""
	}
	m := addressSourceParts(r.Source)
	if m == nil {
		return "", ""
	}
	addrs := p.Addresses
	if m[1] == "unit_address" {
		if eng == nil || vc.units[eng.UnitUUID] == nil {
			return "", ""
		}
		addrs = vc.units[eng.UnitUUID].Addresses
	}
	a := pickAddress(addrs, m[2], vc.now)
	if a == nil {
		return "", ""
	}
	text := addressText(a)
	if m[4] == "" {
		return text, ""
	}
	street, code, city, ok := vc.splitDAR(text)
	if !ok {
		return "", "address " + quote(text) + " does not end in \", NNNN City\""
	}
	switch m[4] {
	case "street":
		return street, ""
	case "postal_code":
		return code, ""
	}
	return city, ""
}
