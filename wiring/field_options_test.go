package wiring

import (
	"slices"
	"testing"
)

// TestFieldOptionsFromSettings: the settings of AD-owned MO fields reach
// the plan options; the OUs of people created from AD are made absolute
// under AD_SEARCH_BASE when given relative.
func TestFieldOptionsFromSettings(t *testing.T) {
	tests := []struct {
		name   string
		values map[string]string
		ous    []string
	}{
		{"off by default", map[string]string{}, []string{}},
		{"relative and absolute OUs", map[string]string{"AD_SEARCH_BASE": "DC=kommune,DC=local", "AD_CREATE_MO_PEOPLE": "true",
			"AD_CREATE_MO_PEOPLE_OUS": "OU=Eksterne; OU=Vikarer, DC=Kommune, DC=Local; OU=Andre,DC=kommune,DC=local"},
			[]string{"OU=Eksterne,DC=kommune,DC=local", "OU=Vikarer, DC=Kommune, DC=Local", "OU=Andre,DC=kommune,DC=local"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.values["AD_CREATE_JOB_FUNCTIONS"] = tt.values["AD_CREATE_MO_PEOPLE"]
			tt.values["OS2MO_ADDRESS_VISIBILITY"] = "Public"
			po, err := PlanOptions(load(t, tt.values))
			if err != nil {
				t.Fatal(err)
			}
			on := tt.values["AD_CREATE_MO_PEOPLE"] == "true"
			if po.CreateMOPeople != on || po.CreateJobFunctions != on || po.AddressVisibility != "Public" || !slices.Equal(po.CreateMOPeopleOUs, tt.ous) {
				t.Errorf("got people %v, job functions %v, visibility %q, OUs %q", po.CreateMOPeople, po.CreateJobFunctions, po.AddressVisibility, po.CreateMOPeopleOUs)
			}
		})
	}
}

// TestMOReadsMappedExtensions: the MO client reads the engagement
// extension fields AD_MAPPING uses, and no others.
func TestMOReadsMappedExtensions(t *testing.T) {
	for _, tt := range []struct {
		mapping string
		want    []int
	}{
		{"", nil},
		{"employeeType = ad engagement.extension_3\ndepartmentNumber = mo engagement.extension_1", []int{1, 3}},
		{"employeeType = off engagement.extension_3", nil},
	} {
		cfg, err := MOConfig(load(t, map[string]string{"AD_MAPPING": tt.mapping}), nil)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(cfg.EngagementExtensions, tt.want) {
			t.Errorf("%q: extensions %v, want %v", tt.mapping, cfg.EngagementExtensions, tt.want)
		}
	}
}
