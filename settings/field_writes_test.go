package settings

import (
	"slices"
	"strings"
	"testing"
)

// TestFieldWriteSettings: the settings of AD-owned MO fields load into
// their typed fields; over REST they work, except creating job functions
// (REST has no class create: one problem naming OS2MO_API and the rule);
// two ad rules onto one MO field are an AD_MAPPING problem naming both;
// AD_CREATE_MO_PEOPLE needs its OUs.
func TestFieldWriteSettings(t *testing.T) {
	const base = "[settings]\nOS2MO_SERVICE_URL = https://mo.kommune.dk/service\nAD_URL = ldaps://dc.kommune.local\nAD_BIND_DN = svc@kommune.local\nAD_SEARCH_BASE = DC=kommune,DC=local\n"
	tests := []struct {
		name  string
		ini   string
		want  string // "" = loads
		check func(t *testing.T, s *Settings)
	}{
		{"defaults", base, "", func(t *testing.T, s *Settings) {
			if s.AD.CreateJobFunctions || s.AD.CreateMOPeople || s.MO.AddressVisibility != "" || len(s.AD.CreateMOPeopleOUs) != 0 {
				t.Errorf("defaults: %+v %+v", s.AD, s.MO)
			}
		}},
		{"all set over GraphQL", base + "AD_MAPPING = title = ad engagement.job_function; mail = ad address.EMAIL\nAD_CREATE_JOB_FUNCTIONS = true\n" +
			"OS2MO_ADDRESS_VISIBILITY = Public\nAD_CREATE_MO_PEOPLE = true\nAD_CREATE_MO_PEOPLE_OUS = OU=Eksterne,DC=kommune,DC=local; OU=Vikarer,DC=kommune,DC=local\n", "",
			func(t *testing.T, s *Settings) {
				if !s.AD.CreateJobFunctions || !s.AD.CreateMOPeople || s.MO.AddressVisibility != "Public" ||
					!slices.Equal(s.AD.CreateMOPeopleOUs, []string{"OU=Eksterne,DC=kommune,DC=local", "OU=Vikarer,DC=kommune,DC=local"}) {
					t.Errorf("got %+v / %q", s.AD, s.MO.AddressVisibility)
				}
			}},
		{"creating job functions over REST needs graphql", base + "OS2MO_API = rest\nAD_MAPPING = objectGUID = off; title = ad engagement.job_function\nAD_CREATE_JOB_FUNCTIONS = true\n",
			`OS2MO_API = "rest": AD_CREATE_JOB_FUNCTIONS = true creates MO job functions for title = ad engagement.job_function, which needs graphql`, nil},
		{"field rules and people from AD over REST load", base + "OS2MO_API = rest\nAD_MAPPING = objectGUID = off; title = ad engagement.job_function; mail = ad address.EMAIL\n" +
			"AD_CREATE_MO_PEOPLE = true\nAD_CREATE_MO_PEOPLE_OUS = OU=X,DC=kommune,DC=local\n", "", nil},
		{"REST with IT-user rules only loads", base + "OS2MO_API = rest\nAD_MAPPING = objectGUID = off\n", "", nil},
		{"people without OUs", base + "AD_CREATE_MO_PEOPLE = true\n", "AD_CREATE_MO_PEOPLE_OUS", nil},
		{"two ad rules onto one field", base + "AD_MAPPING = title = ad engagement.job_function; description = ad engagement.job_function\n",
			`"title = ad engagement.job_function" and "description = ad engagement.job_function" both write MO's engagement.job_function`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			f := write(t, dir, "settings.ini", tt.ini)
			s, err := Load(LoadOptions{Cwd: dir, Getenv: envOf(nil)})
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("unexpected problem: %v", err)
			case tt.want != "" && err == nil:
				t.Fatalf("loaded, want a problem %q", tt.want)
			case tt.want != "":
				if want := strings.ReplaceAll(tt.want, "FILE", f); !strings.Contains(err.Error(), want) {
					t.Errorf("got\n%v\nwant a problem containing\n%s", err, want)
				}
				return
			}
			if tt.check != nil {
				tt.check(t, s)
			}
		})
	}
}
