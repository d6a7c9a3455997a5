package mo

import (
	"strings"
	"testing"
)

func TestNormaliseCPR(t *testing.T) {
	tests := []struct {
		in, want string
		invalid  bool
	}{
		{"", "", false},
		{"0101501234", "0101501234", false},
		{"010150-1234", "0101501234", false},
		{" 010150 1234", "0101501234", false},
		{"2902004000", "2902004000", false}, // 29 Feb 2000 (serial 4xxx, yy ≤ 36)
		{"2902974000", "", true},            // 4xxx, yy > 36 → 1997, not a leap year
		{"2902005000", "2902005000", false}, // 5xxx, yy ≤ 57 → 2000
		{"2902585000", "", true},            // 5xxx, yy > 57 → 1858, not a leap year
		{"2902009999", "2902009999", false}, // 9xxx, yy ≤ 36 → 2000
		{"2902003999", "", true},            // < 4000 → 1900, not a leap year
		{"3102501234", "", true},            // 31 February
		{"0113501234", "", true},            // month 13
		{"010150123", "", true},             // 9 digits
		{"01015012345", "", true},           // 11 digits
		{"010150123x", "", true},
	}
	for _, tt := range tests {
		got, why := normaliseCPR(tt.in)
		if got != tt.want || (why != "") != tt.invalid {
			t.Errorf("normaliseCPR(%q) = %q, %q; want %q, invalid %v", tt.in, got, why, tt.want, tt.invalid)
		}
		if why != "" && strings.ContainsAny(why, "0123456789") && strings.Contains(why, tt.in) {
			t.Errorf("reason %q shows the number", why)
		}
	}
}
