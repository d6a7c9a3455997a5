package engine

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Direction says which system owns a mapped attribute.
type Direction string

// The directions of a mapping rule.
const (
	DirMOToAD Direction = "mo"  // MO → AD: MO's value is written to AD
	DirADToMO Direction = "ad"  // AD → MO: AD's value is written back to MO
	DirOff    Direction = "off" // not synchronised (kept so a default can be switched off)
)

// MappingRule is one line of the AD_MAPPING setting: an AD attribute, its
// direction and the MO field or rule the value comes from (or goes to).
type MappingRule struct {
	// Attr is the AD attribute as written (e.g. "givenName").
	Attr      string    `json:"attr"`
	Direction Direction `json:"direction"`
	// Source is the MO side: "given_name", "engagement.job_function",
	// "address.EMAIL", "address.DAR.postal_code", "ituser.user_key", ...
	Source string `json:"source"`
	// Clear makes an empty MO value clear the AD attribute (direction
	// written "mo!"). Without it an empty MO value leaves AD untouched.
	Clear bool `json:"clear,omitempty"`
}

// String renders the rule in the AD_MAPPING syntax.
func (r MappingRule) String() string {
	dir := string(r.Direction)
	if r.Clear {
		dir += "!"
	}
	if r.Direction == DirOff {
		return r.Attr + " = off"
	}
	return r.Attr + " = " + dir + " " + r.Source
}

// Mapping is the parsed AD_MAPPING setting. Build it with ParseMapping or
// DefaultMapping; the zero value maps nothing.
type Mapping struct {
	Rules []MappingRule `json:"rules"`
}

// String renders the mapping in the AD_MAPPING syntax, one rule a line,
// starting with "* = off" so the text stands on its own.
func (m Mapping) String() string {
	var b strings.Builder
	b.WriteString("* = off\n")
	for _, r := range m.Rules {
		b.WriteString(r.String())
		b.WriteByte('\n')
	}
	return b.String()
}

// Hash is a short digest of the mapping's canonical text; it is part of a
// plan's settings hash.
func (m Mapping) Hash() string {
	sum := sha256.Sum256([]byte(m.String()))
	return hex.EncodeToString(sum[:8])
}

// MOToAD returns the active MO→AD rules in mapping order.
func (m Mapping) MOToAD() []MappingRule { return m.rules(DirMOToAD) }

// ADToMO returns the active AD→MO rules in mapping order.
func (m Mapping) ADToMO() []MappingRule { return m.rules(DirADToMO) }

func (m Mapping) rules(d Direction) []MappingRule {
	var out []MappingRule
	for _, r := range m.Rules {
		if r.Direction == d {
			out = append(out, r)
		}
	}
	return out
}

// ITUserRules returns the AD→MO rules onto the person's AD IT user
// (ituser.user_key, ituser.external_id), in mapping order.
func (m Mapping) ITUserRules() []MappingRule {
	var out []MappingRule
	for _, r := range m.Rules {
		if r.Direction == DirADToMO && strings.HasPrefix(r.Source, "ituser.") {
			out = append(out, r)
		}
	}
	return out
}

// FieldRules returns the AD→MO rules onto MO fields other than the IT
// user: engagement.job_function, engagement.user_key and address.<T>.
func (m Mapping) FieldRules() []MappingRule {
	var out []MappingRule
	for _, r := range m.Rules {
		if r.Direction == DirADToMO && !strings.HasPrefix(r.Source, "ituser.") {
			out = append(out, r)
		}
	}
	return out
}

// EngagementExtensions are the numbers (1..10) of the engagement
// extension fields the active rules use, in order: the MO adapter reads
// only those.
func (m Mapping) EngagementExtensions() []int {
	var out []int
	for _, r := range m.Rules {
		if r.Direction == DirOff {
			continue
		}
		if x := extensionRE.FindStringSubmatch(r.Source); x != nil {
			n, _ := strconv.Atoi(x[1])
			if !slices.Contains(out, n) {
				out = append(out, n)
			}
		}
	}
	slices.Sort(out)
	return out
}

// ReadAttributes returns the lower-case AD attributes the directory must
// read for this mapping (Directory.Accounts' attrs argument), without the
// identity attributes every Account carries anyway.
func (m Mapping) ReadAttributes() []string {
	var out []string
	seen := map[string]bool{}
	for _, r := range m.Rules {
		if r.Direction == DirOff {
			continue
		}
		a := strings.ToLower(r.Attr)
		if identityAttr[a] || seen[a] {
			continue
		}
		seen[a] = true
		out = append(out, a)
	}
	return out
}

// identityAttr are attributes every Account carries in its own fields.
var identityAttr = map[string]bool{
	"objectguid": true, "samaccountname": true, "userprincipalname": true,
	"cn": true, "useraccountcontrol": true, "distinguishedname": true,
}

// ITUserField returns the AD attribute mapped AD→MO onto the given MO IT
// user field ("user_key" or "external_id"), or "".
func (m Mapping) ITUserField(field string) string {
	for _, r := range m.Rules {
		if r.Direction == DirADToMO && r.Source == "ituser."+field {
			return r.Attr
		}
	}
	return ""
}

// RenamesCN reports whether the mapping owns the CN (rule "cn = mo
// common_name"), so the planner renames accounts whose CN should change.
func (m Mapping) RenamesCN() bool {
	for _, r := range m.Rules {
		if r.Direction == DirMOToAD && r.Source == "common_name" {
			return true
		}
	}
	return false
}

// MappingError is a problem in the AD_MAPPING text, with its 1-based entry
// line.
type MappingError struct {
	Line  int
	Entry string
	Msg   string
}

func (e *MappingError) Error() string {
	return fmt.Sprintf("AD_MAPPING line %d %q: %s", e.Line, e.Entry, e.Msg)
}
