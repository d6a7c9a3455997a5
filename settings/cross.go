package settings

import (
	"net/url"
	"strconv"
	"strings"
)

// crossCheck validates rules that involve more than one key and fills in
// derived values. It runs after every key parsed.
func (s *Settings) crossCheck() []Problem {
	var out []Problem
	bad := func(key, msg string) {
		v, _ := s.Lookup(key)
		p := Problem{Key: key, Value: v.Display, Shown: true, Expected: msg}
		switch v.Source.Kind {
		case FromEnv:
			p.Env = true
		case FromFile:
			p.File, p.Line = v.Source.File, v.Source.Line
		default:
			p.File = s.Path
		}
		out = append(out, p)
	}
	if s.MO.GraphQLURL == "" && s.MO.ServiceURL != "" && s.MO.GraphQLVersion > 0 {
		base := strings.TrimSuffix(s.MO.ServiceURL, "/service")
		s.MO.GraphQLURL = base + "/graphql/v" + strconv.Itoa(s.MO.GraphQLVersion)
	}
	if s.MO.AuthServer != "" {
		if s.MO.ClientID == "" {
			bad("OS2MO_CLIENT_ID", "expected a Keycloak client id, because OS2MO_AUTH_SERVER is set")
		}
		if s.MO.ClientSecret == "" {
			bad("OS2MO_CLIENT_SECRET", "expected the Keycloak client secret, because OS2MO_AUTH_SERVER is set")
		}
		if s.MO.AuthRealm == "" {
			bad("OS2MO_AUTH_REALM", "expected a Keycloak realm (usually mo), because OS2MO_AUTH_SERVER is set")
		}
	}
	if p, ok := s.externalIDProblem(); ok {
		bad(p.key, p.msg)
	}
	for _, p := range s.fieldWriteProblems() {
		bad(p.key, p.msg)
	}
	if s.AD.URL != "" {
		if u, err := url.Parse(s.AD.URL); err == nil && u.Scheme == "ldaps" && s.AD.StartTLS {
			bad("AD_START_TLS", "expected false with an ldaps:// AD_URL (StartTLS is only for ldap://)")
		}
		if s.AD.SearchBase == "" {
			bad("AD_SEARCH_BASE", "expected the DN to search under (e.g. DC=kommune,DC=local), because AD_URL is set")
		}
		if s.AD.BindDN == "" {
			bad("AD_BIND_DN", "expected the DN or UPN to bind as, because AD_URL is set")
		}
	}
	return out
}

// Lookup returns the effective value of one key (for `check` and tests).
func (s *Settings) Lookup(key string) (Value, bool) {
	for _, v := range s.values {
		if v.Key == key {
			return v, true
		}
	}
	return Value{}, false
}
