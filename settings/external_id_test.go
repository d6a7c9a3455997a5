package settings

import (
	"strings"
	"testing"
)

// TestExternalIDNeedsGraphQLV29: the effective AD mapping may write to
// ituser.external_id only over GraphQL v29 or later; anything else is one
// problem naming the key, the value and the two ways out.
func TestExternalIDNeedsGraphQLV29(t *testing.T) {
	const base = "[settings]\nOS2MO_SERVICE_URL = https://mo.kommune.dk/service\nAD_URL = ldaps://dc.kommune.local\nAD_BIND_DN = svc@kommune.local\nAD_SEARCH_BASE = DC=kommune,DC=local\n"
	tests := []struct {
		name string
		ini  string
		env  map[string]string
		want string // "" = loads
	}{
		{"default: v29 with the default mapping", base, nil, ""},
		{"v22 with the default mapping", base + "OS2MO_GRAPHQL_VERSION = 22\n", nil,
			"FILE:6: OS2MO_GRAPHQL_VERSION = \"22\": the AD mapping writes objectGUID to MO's ituser.external_id (objectGUID = ad ituser.external_id, the default), " +
				"but IT user external_id needs GraphQL v29 and v22 has none; set OS2MO_GRAPHQL_VERSION = 29 or map objectGUID = off in AD_MAPPING"},
		{"v22 from the environment", base, map[string]string{"OS2MO_GRAPHQL_VERSION": "25"},
			"environment variable OS2MO_GRAPHQL_VERSION = \"25\": the AD mapping writes objectGUID"},
		{"v22 with objectGUID off", base + "OS2MO_GRAPHQL_VERSION = 22\nAD_MAPPING = objectGUID = off\n", nil, ""},
		{"v22 with another attribute onto external_id", base + "OS2MO_GRAPHQL_VERSION = 22\nAD_MAPPING = objectGUID = off; objectSid = ad ituser.external_id\n", nil,
			"OS2MO_GRAPHQL_VERSION = \"22\": the AD mapping writes objectSid to MO's ituser.external_id (objectSid = ad ituser.external_id), but"},
		{"REST with the default mapping", base + "OS2MO_API = rest\n", nil,
			"FILE:6: OS2MO_API = \"rest\": the AD mapping writes objectGUID to MO's ituser.external_id (objectGUID = ad ituser.external_id, the default), " +
				"but IT user external_id needs GraphQL v29 and the REST API has none; set OS2MO_API = graphql with OS2MO_GRAPHQL_VERSION = 29, or map objectGUID = off in AD_MAPPING"},
		{"REST with objectGUID off", base + "OS2MO_API = rest\nAD_MAPPING = objectGUID = off\n", nil, ""},
		{"v22 without AD: nothing is written back", "[settings]\nOS2MO_SERVICE_URL = https://mo.kommune.dk/service\nOS2MO_GRAPHQL_VERSION = 22\n", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			f := write(t, dir, "settings.ini", tt.ini)
			_, err := Load(LoadOptions{Cwd: dir, Getenv: envOf(tt.env)})
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("unexpected problem: %v", err)
			case tt.want != "" && err == nil:
				t.Errorf("loaded, want a problem %q", tt.want)
			case tt.want != "":
				want := strings.ReplaceAll(tt.want, "FILE", f)
				if !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "(1 problem)") {
					t.Errorf("got\n%v\nwant one problem containing\n%s", err, want)
				}
			}
		})
	}
}
