package cli

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// demoRun runs `moxsync demo args…` in-process in dir.
func demoRun(t *testing.T, dir string, args ...string) runResult {
	t.Helper()
	var out, errb strings.Builder
	a := &app{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: func(string) string { return "" }, cwd: dir}
	code := run(context.Background(), append([]string{"demo"}, args...), a)
	return runResult{code, out.String(), errb.String()}
}

var tempDirName = regexp.MustCompile(`moxsync-demo-\d+`)

var watchSummary = regexp.MustCompile(`(?m)^watch: applied (\d+), queued (\d+), latency p50 (\d+) ms, p95 (\d+) ms, MO requests per event (\d+\.\d)$`)

// demo --watch --headless runs watch on the demo while every scripted
// edit happens, sees each through (an update written at once, a create
// or disable queued, an AD edit corrected) and ends with the summary line.
func TestDemoWatchHeadless(t *testing.T) {
	if testing.Short() {
		t.Skip("runs for 16 s")
	}
	r := demoRun(t, t.TempDir(), "--watch", "--headless", "--for", "16s", "--every", "1500ms", "--seed", "4")
	if r.code != exitOK {
		t.Fatalf("exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	for _, want := range []string{
		"first a full sync", "start-up reconciliation",
		"new hire", "→ AD create waits in the queue in",
		"title change", "→ AD title written at once in",
		"new phone number", "→ AD telephoneNumber written at once in",
		"leaves", "→ AD disable waits in the queue in",
		"moves to another parent", "→ the unit's new parent written to STS at once in",
		"an admin sets", "corrected back to MO's title",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("the output lacks %q:\n%s", want, r.stdout)
		}
	}
	m := watchSummary.FindStringSubmatch(r.stdout)
	if m == nil {
		t.Fatalf("no summary line of the form %q:\n%s", watchSummary, r.stdout)
	}
	if m[1] == "0" || m[2] == "0" {
		t.Errorf("summary %q: want something applied and something queued", m[0])
	}
	if strings.Contains(r.stdout, "NOT SEEN") {
		t.Errorf("an edit was not seen through:\n%s", r.stdout)
	}
	// Temporary directory names are random digits that can look like a
	// CPR number; they are paths, not personal data.
	checkMasked(t, "demo --watch output", tempDirName.ReplaceAllString(r.stdout+r.stderr, "moxsync-demo-N"))
}

// demo --config takes the sync-shaping keys of a settings file (here an
// AD_MAPPING that turns the title off) and never the places: the file's
// MO, AD and audit log are not used.
func TestDemoConfig(t *testing.T) {
	dir := t.TempDir()
	ini := `[settings]
OS2MO_SERVICE_URL = http://127.0.0.1:1/service
AD_URL = ldap://127.0.0.1:1
AD_BIND_DN = CN=sync,DC=prod,DC=local
AD_BIND_PASSWORD = not-used-by-the-demo
AD_SEARCH_BASE = DC=prod,DC=local
AUDIT_LOG = ` + filepath.Join(dir, "prod-audit.jsonl") + `
AD_MAPPING = title = off
`
	if err := os.WriteFile(filepath.Join(dir, "settings.ini"), []byte(ini), 0o600); err != nil {
		t.Fatal(err)
	}
	plain := demoRun(t, dir, "--headless", "--seed", "2")
	withTitleOff := demoRun(t, dir, "--headless", "--seed", "2", "--config", filepath.Join(dir, "settings.ini"))
	if plain.code != exitOK || withTitleOff.code != exitOK {
		t.Fatalf("exits %d and %d\n%s\n%s", plain.code, withTitleOff.code, withTitleOff.stdout, withTitleOff.stderr)
	}
	if !strings.Contains(plain.stdout, "title") {
		t.Fatal("the plain demo plans no title")
	}
	first := func(out string) string { // the first plan
		i := strings.Index(out, "=== 2. apply")
		if i < 0 {
			return out
		}
		return out[:i]
	}
	if strings.Contains(first(withTitleOff.stdout), "title:") || strings.Contains(first(withTitleOff.stdout), " title ") {
		t.Errorf("with title = off the demo still plans titles:\n%.2000s", first(withTitleOff.stdout))
	}
	if _, err := os.Stat(filepath.Join(dir, "prod-audit.jsonl")); !os.IsNotExist(err) {
		t.Errorf("the demo wrote the settings file's AUDIT_LOG (%v)", err)
	}
	if strings.Contains(withTitleOff.stdout+withTitleOff.stderr, "not-used-by-the-demo") {
		t.Error("a secret of the settings file reached the output")
	}

	bad := demoRun(t, dir, "--headless", "--config", filepath.Join(dir, "missing.ini"))
	if bad.code != exitError || !strings.Contains(bad.stderr, "missing.ini") {
		t.Errorf("a missing --config file: exit %d, %q", bad.code, bad.stderr)
	}
}

// The flags of --watch are refused without it, with a clear word.
func TestDemoWatchFlags(t *testing.T) {
	for _, args := range [][]string{{"--for", "5s"}, {"--every", "2s"}, {"--watch", "--every", "0s"}, {"extra"}} {
		r := demoRun(t, t.TempDir(), append([]string{"--headless"}, args...)...)
		if r.code != exitError || r.stderr == "" {
			t.Errorf("demo %v: exit %d, stderr %q", args, r.code, r.stderr)
		}
	}
}
