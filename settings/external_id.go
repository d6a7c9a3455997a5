package settings

import (
	"fmt"
	"strings"

	"moxsync/engine"
)

// externalIDMinGraphQLVersion is the first OS2MO GraphQL version whose IT
// users have external_id (mo-api.md §2.3; mo.ExternalIDMinGraphQLVersion).
const externalIDMinGraphQLVersion = 29

type keyProblem struct{ key, msg string }

// externalIDProblem reports an effective AD mapping that writes an AD
// attribute to ituser.external_id while OS2MO cannot hold it: GraphQL
// before v29 has no such field (a write fails, and as it is never read
// back the plan would propose the write again on every run), and the REST
// API does not return it either. It applies only when AD is configured, as
// only then is anything written back to MO.
func (s *Settings) externalIDProblem() (keyProblem, bool) {
	if s.AD.URL == "" || !s.MO.Configured() {
		return keyProblem{}, false
	}
	m, err := engine.ParseMapping(s.AD.Mapping)
	if err != nil {
		return keyProblem{}, false // AD_MAPPING reported it already
	}
	attr := m.ITUserField("external_id")
	if attr == "" {
		return keyProblem{}, false
	}
	rule := fmt.Sprintf("the AD mapping writes %s to MO's ituser.external_id (%s = ad ituser.external_id", attr, attr)
	if strings.TrimSpace(s.AD.Mapping) == "" {
		rule += ", the default"
	}
	rule += ")"
	switch {
	case s.MO.API == "rest":
		return keyProblem{"OS2MO_API", fmt.Sprintf("%s, but IT user external_id needs GraphQL v%d and the REST API has none; set OS2MO_API = graphql with OS2MO_GRAPHQL_VERSION = %d, or map %s = off in AD_MAPPING",
			rule, externalIDMinGraphQLVersion, externalIDMinGraphQLVersion, attr)}, true
	case s.MO.GraphQLVersion < externalIDMinGraphQLVersion:
		return keyProblem{"OS2MO_GRAPHQL_VERSION", fmt.Sprintf("%s, but IT user external_id needs GraphQL v%d and v%d has none; set OS2MO_GRAPHQL_VERSION = %d or map %s = off in AD_MAPPING",
			rule, externalIDMinGraphQLVersion, s.MO.GraphQLVersion, externalIDMinGraphQLVersion, attr)}, true
	}
	return keyProblem{}, false
}
