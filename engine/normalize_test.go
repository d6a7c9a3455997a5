package engine

import "testing"

func TestIntegerValuesAreWrittenCanonical(t *testing.T) {
	ap := &adPlanner{vc: valueContext{}}
	r := MappingRule{Attr: "countryCode", Direction: DirMOToAD, Source: "engagement.user_key"}
	for in, want := range map[string]string{"01310": "1310", "+208": "208", " 45 ": "45"} {
		got, use := ap.wantedValue(r, &Person{}, &Engagement{UserKey: in})
		if !use || got != want {
			t.Errorf("%q → %q, %v; want %q", in, got, use, want)
		}
	}
}
