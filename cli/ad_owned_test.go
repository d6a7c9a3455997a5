package cli

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// demo --headless --config FILE with an AD_MAPPING that makes AD the
// authority for titles, phones and e-mail (the README's example): the
// first plan shows the MO changes before → after with the AD attribute
// they come from, the apply writes them, and the plan after it is empty.
func TestDemoADOwnedMapping(t *testing.T) {
	dir := t.TempDir()
	ini := "[settings]\nAD_MAPPING =\n    title           = ad engagement.job_function\n    telephoneNumber = ad address.BrugerTelefon\n" +
		"    mail            = ad address.EMAIL\n    accountExpires  = mo engagement.end_date\n"
	if err := os.WriteFile(filepath.Join(dir, "settings.ini"), []byte(ini), 0o600); err != nil {
		t.Fatal(err)
	}
	r := demoRun(t, dir, "--headless", "--seed", "4", "--config", filepath.Join(dir, "settings.ini"))
	if r.code != exitOK {
		t.Fatalf("exit %d\n%.3000s\n%.3000s", r.code, r.stdout, r.stderr)
	}
	i, j := strings.Index(r.stdout, "=== 2. apply"), strings.Index(r.stdout, "=== 3. plan again ===")
	if i < 0 || j < 0 {
		t.Fatalf("no apply or second plan:\n%.3000s", r.stdout)
	}
	first, again := r.stdout[:i], r.stdout[j:]
	for _, re := range []string{
		`(?m)^\s+job_function:\s+"[^"]+" → "[^"]+"\s+\(ad title\)$`,
		`(?m)^\s+address\.BrugerTelefon:\s+"[^"]*" → "\+4521\d{6}"\s+\(ad telephoneNumber\)$`,
		`(?m)^\s+address\.EMAIL:\s+"[^"]+" → "[^"]+"\s+\(ad mail\)$`,
		`(?m)^\s+~ update\s+MO\s+`,
	} {
		if !regexp.MustCompile(re).MatchString(first) {
			t.Errorf("the first plan has no line matching %s:\n%.4000s", re, first)
		}
	}
	if !strings.Contains(again, "No changes.") {
		t.Errorf("the plan after the apply is not empty:\n%.3000s", again)
	}
	checkMasked(t, "demo output", r.stdout+r.stderr)
}
