package settings

import (
	"strings"

	"moxsync/engine"
)

// fieldWriteProblems reports the settings of AD-owned MO fields (#14)
// that cannot work: they write engagements, addresses, classes and people
// through GraphQL mutations and re-read MO with GraphQL's partial read, so
// the REST API cannot carry them ("needs graphql"); AD_CREATE_MO_PEOPLE
// needs the OUs whose accounts become people.
func (s *Settings) fieldWriteProblems() []keyProblem {
	var out []keyProblem
	m, err := engine.ParseMapping(s.AD.Mapping)
	var rules []string
	if err == nil {
		for _, r := range m.FieldRules() {
			rules = append(rules, r.String())
		}
	}
	if s.AD.CreateMOPeople && len(s.AD.CreateMOPeopleOUs) == 0 {
		out = append(out, keyProblem{"AD_CREATE_MO_PEOPLE_OUS", "expected the OUs (DNs separated by semicolons) whose accounts become MO people, because AD_CREATE_MO_PEOPLE = true"})
	}
	if s.MO.API != "rest" || !s.AD.Configured() || !s.MO.Configured() {
		return out
	}
	var what []string
	if len(rules) > 0 {
		what = append(what, "AD_MAPPING writes MO fields from AD ("+strings.Join(rules, "; ")+")")
	}
	if s.AD.CreateMOPeople {
		what = append(what, "AD_CREATE_MO_PEOPLE = true creates MO people")
	}
	if len(what) > 0 {
		out = append(out, keyProblem{"OS2MO_API", strings.Join(what, " and ") + ", which needs graphql: the REST API cannot write or re-read them; set OS2MO_API = graphql, or switch those rules off"})
	}
	return out
}
