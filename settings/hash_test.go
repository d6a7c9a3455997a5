package settings

import "testing"

func TestHash(t *testing.T) {
	dir := t.TempDir()
	load := func(body string) string {
		t.Helper()
		write(t, dir, "settings.ini", "[settings]\n"+body+"\n")
		s, err := Load(LoadOptions{Cwd: dir})
		if err != nil {
			t.Fatal(err)
		}
		return s.Hash()
	}
	base := load("")
	tests := []struct {
		name, body string
		same       bool
	}{
		{"same settings", "", true},
		{"log level does not shape a plan", "MOX_LOG_LEVEL = 40", true},
		{"secret left out", "AD_BIND_PASSWORD = x", true},
		{"mapping shapes a plan", "AD_MAPPING = givenName = mo given_name", false},
		{"threshold shapes a plan", "SAFETY_MAX_DELETES = 5", false},
	}
	for _, tt := range tests {
		if got := load(tt.body); (got == base) != tt.same {
			t.Errorf("%s: hash equal = %v, want %v", tt.name, got == base, tt.same)
		}
	}
}
