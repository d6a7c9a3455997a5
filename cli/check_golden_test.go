package cli

import (
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (go test -update rewrites it):\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

// TestCheckOneLetterToken: with OS2MO_SAML_TOKEN = T, check masks the
// token where it prints it by key, and leaves every other "T" of its output
// alone (it once turned "Administrator@TEST.LOCAL" into
// "Administrator@********ES********.LOCAL").
func TestCheckOneLetterToken(t *testing.T) {
	mo := fakeMO(t, "unused-client-secret", "T")
	dir := t.TempDir()
	ini := "[settings]\nOS2MO_SERVICE_URL = " + mo.URL + "/service\nOS2MO_API = rest\nOS2MO_SAML_TOKEN = T\n" +
		"STSORGSYNC_MUNICIPALITY = 29189846\n"
	if err := os.WriteFile(filepath.Join(dir, "settings.ini"), []byte(ini), 0o600); err != nil {
		t.Fatal(err)
	}
	r := runIn(t, dir, nil, "check", "--quick")
	if r.code != exitOK {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	out := strings.ReplaceAll(r.stdout, mo.URL, "http://MO")
	out = strings.ReplaceAll(out, dir, "DIR")
	out = regexp.MustCompile(`\(\d+ ms\)`).ReplaceAllString(out, "(N ms)")
	for _, line := range strings.Split(out, "\n") {
		if strings.Contains(line, "OS2MO_SAML_TOKEN") && !strings.Contains(line, "********") {
			t.Errorf("token not masked by key: %q", line)
		}
	}
	if strings.Count(out, "********") != 1 {
		t.Errorf("want exactly one mask (the token's), got %d:\n%s", strings.Count(out, "********"), out)
	}
	golden(t, "check_one_letter_token.golden", out)
}
