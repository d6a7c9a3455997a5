package settings

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// exampleDeviations are the keys whose value in settings.ini.example is
// deliberately not the default.
var exampleDeviations = map[string]string{
	"READONLY":      "true", // the example ships read-only
	"MOX_LOG_LEVEL": "20",   // info: a new user's terminal is not flooded with debug lines
}

// TestExampleFile keeps settings.ini.example from going stale: it must load
// without problems, set every known key exactly once with a comment above
// it, and hold the defaults (except exampleDeviations).
func TestExampleFile(t *testing.T) {
	path, err := filepath.Abs(filepath.Join("..", "settings.ini.example"))
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s, err := Load(LoadOptions{ConfigFlag: path, Cwd: t.TempDir()})
	if err != nil {
		t.Fatalf("settings.ini.example does not load:\n%v", err)
	}
	if !s.ReadOnly {
		t.Error("settings.ini.example must ship READONLY = true")
	}
	lines := strings.Split(string(data), "\n")
	keyLine := regexp.MustCompile(`^([A-Z0-9_]+) =`)
	seen := map[string]int{}
	for i, l := range lines {
		m := keyLine.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		seen[m[1]]++
		// The key's block (it and the keys right above it) must start with a comment.
		j := i - 1
		for j >= 0 && keyLine.MatchString(lines[j]) {
			j--
		}
		if j < 0 || !strings.HasPrefix(lines[j], ";") {
			t.Errorf("line %d: %s has no comment above it", i+1, m[1])
		}
	}
	for _, k := range Keys() {
		if seen[k] != 1 {
			t.Errorf("%s is set %d times in settings.ini.example, want 1", k, seen[k])
		}
		v, _ := s.Lookup(k)
		want, _ := Default(k)
		if dev, ok := exampleDeviations[k]; ok {
			want = dev
		}
		if v.Raw != want {
			t.Errorf("%s = %q in settings.ini.example, want %q", k, v.Raw, want)
		}
	}
	if len(seen) != len(Keys()) {
		t.Errorf("settings.ini.example sets %d keys, there are %d", len(seen), len(Keys()))
	}
}
