package engine

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// DefaultMapping returns the mapping of seed 004 (DefaultMappingText).
func DefaultMapping() Mapping {
	m, err := ParseMapping(DefaultMappingText)
	if err != nil {
		panic("engine: default mapping does not parse: " + err.Error())
	}
	return m
}

var attrNameRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9-]*$`)

// notWritable are AD attributes the MO→AD direction may never write.
var notWritable = map[string]bool{
	"objectguid": true, "objectsid": true, "samaccountname": true,
	"userprincipalname": true, "useraccountcontrol": true,
	"distinguishedname": true, "dn": true, "objectclass": true,
	"memberof": true, "whencreated": true, "whenchanged": true,
	"unicodepwd": true, "primarygroupid": true,
}

// moSources are the fixed MO→AD sources; address ones are checked apart.
var moSources = map[string]bool{
	"given_name": true, "surname": true, "name": true, "nickname": true,
	"cpr": true, "user_key": true, "uuid": true,
	"engagement.job_function": true, "engagement.user_key": true,
	"engagement.type": true, "engagement.unit": true,
	"engagement.unit_user_key": true, "common_name": true,
	"engagement.end_date": true,
}

// extensionRE matches an engagement extension field source.
var extensionRE = regexp.MustCompile(`^engagement\.extension_([1-9]|10)$`)

// adTargets are the fixed AD→MO targets; "address.<T>" is checked apart.
var adTargets = map[string]bool{
	"ituser.user_key": true, "ituser.external_id": true,
	"engagement.job_function": true, "engagement.user_key": true,
	"engagement.end_date": true,
}

var addressPartRE = regexp.MustCompile(`^(address|unit_address)\.([A-Za-z0-9_-]+)(\.(street|postal_code|city))?$`)

// ParseMapping parses the AD_MAPPING text (format: MappingHelp). The rules
// apply on top of the default mapping (seed 004): a rule for an attribute
// replaces the default's rule for it, "<attr> = off" removes it, and a
// first rule "* = off" starts from nothing instead. Blank text is the
// default mapping. It reports every problem at once.
func ParseMapping(text string) (Mapping, error) {
	user, errs := parseRules(text)
	var rules []MappingRule
	if len(user) > 0 && user[0].Attr == "*" {
		user = user[1:]
	} else if text != DefaultMappingText {
		def, derr := parseRules(DefaultMappingText)
		if len(derr) > 0 {
			return Mapping{}, errors.Join(derr...)
		}
		rules = def
	}
	for _, r := range user {
		i := slices.IndexFunc(rules, func(d MappingRule) bool { return strings.EqualFold(d.Attr, r.Attr) })
		switch {
		case i >= 0 && r.Direction == DirOff:
			rules = slices.Delete(rules, i, i+1)
		case i >= 0:
			rules[i] = r
		case r.Direction != DirOff:
			rules = append(rules, r)
		}
	}
	target := map[string]MappingRule{}
	itRules := false
	for _, r := range rules {
		if r.Direction != DirADToMO {
			continue
		}
		key := strings.ToLower(r.Source)
		if prev, dup := target[key]; dup {
			errs = append(errs, fmt.Errorf("AD_MAPPING: %q and %q both write MO's %s; switch one off (e.g. %s = off)", prev.String(), r.String(), r.Source, prev.Attr))
			continue
		}
		target[key] = r
		itRules = itRules || strings.HasPrefix(key, "ituser.")
	}
	if itRules && target["ituser.user_key"].Attr == "" {
		errs = append(errs, errors.New("AD_MAPPING: an \"ad\" rule needs a rule for ituser.user_key (e.g. sAMAccountName = ad ituser.user_key), MO requires a user_key on every IT user"))
	}
	if len(errs) > 0 {
		return Mapping{}, errors.Join(errs...)
	}
	return Mapping{Rules: rules}, nil
}

// parseRules parses the rules of text in order, checking each entry and
// that no attribute appears twice.
func parseRules(text string) ([]MappingRule, []error) {
	var (
		rules []MappingRule
		errs  []error
		seen  = map[string]int{}
		n     int
	)
	for lineNo, line := range strings.Split(text, "\n") {
		line = stripComments(line)
		for _, entry := range strings.FieldsFunc(line, func(r rune) bool { return r == ',' || r == ';' }) {
			entry = strings.TrimSpace(entry)
			if entry == "" {
				continue
			}
			n++
			r, err := parseRule(entry)
			if err == nil && r.Attr == "*" && n != 1 {
				err = errors.New(`"* = off" must be the first rule`)
			}
			if err != nil {
				errs = append(errs, &MappingError{Line: lineNo + 1, Entry: entry, Msg: err.Error()})
				continue
			}
			key := strings.ToLower(r.Attr)
			if prev, dup := seen[key]; dup {
				errs = append(errs, &MappingError{Line: lineNo + 1, Entry: entry, Msg: "attribute " + r.Attr + " is already mapped on line " + itoa(prev)})
				continue
			}
			seen[key] = lineNo + 1
			rules = append(rules, r)
		}
	}
	return rules, errs
}

func parseRule(entry string) (MappingRule, error) {
	attr, rhs, ok := strings.Cut(entry, "=")
	if !ok {
		return MappingRule{}, errors.New(`expected "<AD attribute> = <direction> <source>"`)
	}
	attr = strings.TrimSpace(attr)
	if attr == "*" {
		if f := strings.Fields(rhs); len(f) != 1 || !strings.EqualFold(f[0], "off") {
			return MappingRule{}, errors.New(`"*" can only be switched off ("* = off")`)
		}
		return MappingRule{Attr: "*", Direction: DirOff}, nil
	}
	if !attrNameRE.MatchString(attr) {
		return MappingRule{}, errors.New("not an AD attribute name: " + quote(attr))
	}
	f := strings.Fields(rhs)
	if len(f) == 0 {
		return MappingRule{}, errors.New("missing direction (mo, mo!, ad or off)")
	}
	r := MappingRule{Attr: attr}
	switch strings.ToLower(f[0]) {
	case "off":
		if len(f) > 2 {
			return MappingRule{}, errors.New("unexpected text after off")
		}
		r.Direction = DirOff
		if len(f) == 2 {
			r.Source = f[1]
		}
		return r, nil
	case "mo":
		r.Direction = DirMOToAD
	case "mo!":
		r.Direction, r.Clear = DirMOToAD, true
	case "ad":
		r.Direction = DirADToMO
	default:
		return MappingRule{}, errors.New("unknown direction " + quote(f[0]) + " (expected mo, mo!, ad or off)")
	}
	if len(f) != 2 {
		return MappingRule{}, errors.New("expected exactly one source after the direction")
	}
	r.Source = canonicalSource(f[1])
	lower := strings.ToLower(attr)
	switch r.Direction {
	case DirMOToAD:
		if notWritable[lower] {
			return MappingRule{}, errors.New(attr + " cannot be written from MO")
		}
		if !moSources[r.Source] && !addressPartRE.MatchString(r.Source) && !extensionRE.MatchString(r.Source) {
			return MappingRule{}, errors.New("unknown MO source " + quote(f[1]) + " (see MappingHelp)")
		}
		if (lower == "cn") != (r.Source == "common_name") {
			return MappingRule{}, errors.New("cn can only be mapped from common_name, and common_name only to cn")
		}
	case DirADToMO:
		m := addressPartRE.FindStringSubmatch(r.Source)
		switch {
		case adTargets[r.Source], extensionRE.MatchString(r.Source):
		case m != nil && m[1] == "address" && m[4] == "" && !strings.EqualFold(m[2], "DAR"):
		case m != nil:
			return MappingRule{}, errors.New("AD → MO writes a person's whole address of a type (address.<T>), not a unit's address, a DAR address or a part of one, got " + quote(f[1]))
		default:
			return MappingRule{}, errors.New("AD → MO supports ituser.user_key, ituser.external_id, engagement.job_function, engagement.user_key, engagement.extension_1..10, engagement.end_date and address.<T>, got " + quote(f[1]))
		}
	}
	return r, nil
}

// canonicalSource lower-cases the fixed part of a source and keeps the
// address type as written (it is matched case-insensitively).
func canonicalSource(s string) string {
	if m := addressPartRE.FindStringSubmatch(s); m != nil {
		out := strings.ToLower(m[1]) + "." + m[2]
		if m[4] != "" {
			out += "." + strings.ToLower(m[4])
		}
		return out
	}
	return strings.ToLower(s)
}

func stripComments(s string) string {
	if i := strings.IndexByte(s, '#'); i >= 0 {
		return s[:i]
	}
	return s
}

func quote(s string) string { return `"` + s + `"` }

func itoa(n int) string { return strconv.Itoa(n) }
