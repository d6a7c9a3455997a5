package cli

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"moxsync/engine"
)

// The README's Mapping section is a working AD_MAPPING: it parses, it
// holds each direction, and the demo plans, applies and converges with it.
func TestREADMEMapping(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "README.md"))
	if err != nil {
		t.Skip("README.md not found")
	}
	m := regexp.MustCompile("(?s)## Mapping.*?```ini\n(AD_MAPPING =\n.*?)```").FindSubmatch(b)
	if m == nil {
		t.Fatal("no ```ini AD_MAPPING block in the README's Mapping section")
	}
	block := string(m[1])
	text := strings.TrimPrefix(block, "AD_MAPPING =\n")
	mapping, err := engine.ParseMapping(text)
	if err != nil {
		t.Fatalf("the README's AD_MAPPING does not parse: %v", err)
	}
	if len(mapping.MOToAD()) == 0 || len(mapping.ITUserRules()) == 0 || len(mapping.FieldRules()) == 0 {
		t.Errorf("the README's mapping lacks a direction: %s", mapping)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "settings.ini"), []byte("[settings]\n"+block), 0o600); err != nil {
		t.Fatal(err)
	}
	r := demoRun(t, dir, "--headless", "--seed", "3", "--config", filepath.Join(dir, "settings.ini"))
	if r.code != exitOK || !strings.Contains(r.stdout, "(ad title)") || !strings.Contains(r.stdout, "No changes.") {
		t.Errorf("demo with the README's mapping: exit %d\n%.3000s\n%.2000s", r.code, r.stdout, r.stderr)
	}
}
