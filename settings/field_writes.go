package settings

import (
	"moxsync/engine"
)

// fieldWriteProblems reports the settings of AD-owned MO fields (#14)
// that cannot work: MO's REST API has no class create, so creating the
// job functions AD names (AD_CREATE_JOB_FUNCTIONS with an ad rule onto
// engagement.job_function) needs graphql; AD_CREATE_MO_PEOPLE needs the
// OUs whose accounts become people.
func (s *Settings) fieldWriteProblems() []keyProblem {
	var out []keyProblem
	if s.AD.CreateMOPeople && len(s.AD.CreateMOPeopleOUs) == 0 {
		out = append(out, keyProblem{"AD_CREATE_MO_PEOPLE_OUS", "expected the OUs (DNs separated by semicolons) whose accounts become MO people, because AD_CREATE_MO_PEOPLE = true"})
	}
	if s.MO.API != "rest" || !s.AD.Configured() || !s.MO.Configured() || !s.AD.CreateJobFunctions {
		return out
	}
	m, err := engine.ParseMapping(s.AD.Mapping)
	if err != nil {
		return out // AD_MAPPING reported it already
	}
	for _, r := range m.FieldRules() {
		if r.Source == "engagement.job_function" {
			out = append(out, keyProblem{"OS2MO_API", "AD_CREATE_JOB_FUNCTIONS = true creates MO job functions for " + r.String() +
				", which needs graphql: MO's REST API has no class create; set OS2MO_API = graphql, or AD_CREATE_JOB_FUNCTIONS = false"})
		}
	}
	return out
}
