package mo

import (
	"strings"
	"testing"
)

func TestConfig(t *testing.T) {
	tests := []struct {
		name    string
		cfg     Config
		wantErr string
		check   func(Config) bool
	}{
		{"GraphQL URL derived", Config{ServiceURL: "https://mo.example.dk/service/"},
			"", func(c Config) bool {
				return c.GraphQLURL == "https://mo.example.dk/graphql/v29" && c.API == APIGraphQL && c.PageSize == DefaultPageSize
			}},
		{"version picks the URL", Config{ServiceURL: "https://mo.example.dk/service", GraphQLVersion: 29},
			"", func(c Config) bool { return c.GraphQLURL == "https://mo.example.dk/graphql/v29" }},
		{"auth server derived", Config{ServiceURL: "https://mo.example.dk/service", ClientID: "x", ClientSecret: "y"},
			"", func(c Config) bool { return c.AuthServer == "https://mo.example.dk/auth" && c.Realm == "mo" }},
		{"service URL must end in /service", Config{ServiceURL: "https://mo.example.dk/api"}, "must end in /service", nil},
		{"REST needs the service URL", Config{API: "rest", GraphQLURL: "https://mo.example.dk/graphql/v22"}, "service URL is empty", nil},
		{"unknown API", Config{ServiceURL: "https://mo.example.dk/service", API: "soap"}, `API "soap"`, nil},
		{"old GraphQL", Config{ServiceURL: "https://mo.example.dk/service", GraphQLVersion: 13}, "not supported", nil},
		{"secret missing", Config{ServiceURL: "https://mo.example.dk/service", ClientID: "x"}, "client secret is empty", nil},
		{"bad top unit", Config{ServiceURL: "https://mo.example.dk/service", TopUnitUUID: "Borgerservice"}, "not a UUID", nil},
		{"negative retries mean none", Config{ServiceURL: "https://mo.example.dk/service", Retries: -1},
			"", func(c Config) bool { return c.Retries == 0 }},
	}
	for _, tt := range tests {
		got, err := tt.cfg.withDefaults()
		switch {
		case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
			t.Errorf("%s: err = %v, want %q", tt.name, err, tt.wantErr)
		case tt.wantErr == "" && err != nil:
			t.Errorf("%s: %v", tt.name, err)
		case tt.check != nil && !tt.check(got):
			t.Errorf("%s: got %+v", tt.name, got)
		}
	}
}
