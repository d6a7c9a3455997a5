package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"moxsync/engine"
)

// withMapping adds an AD_MAPPING line to the world's settings.ini and
// returns its line number.
func (w *cliWorld) withMapping(t *testing.T, mapping string) int {
	t.Helper()
	ini := filepath.Join(w.dir, "settings.ini")
	b, err := os.ReadFile(ini)
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	if !strings.HasSuffix(text, "\n") {
		text += "\n"
	}
	line := strings.Count(text, "\n") + 1
	if err := os.WriteFile(ini, []byte(text+"AD_MAPPING = "+mapping+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return line
}

// TestMappingAgainstADSchema: check, plan and apply check every AD_MAPPING
// attribute against the DC's schema (adtest serves Samba's) and report one
// that does not fit as invalid settings naming the key and the rule, exit
// 1, before anything is read in full, planned or written. The mapping once
// passed check and plan and failed at apply with exit 4.
func TestMappingAgainstADSchema(t *testing.T) {
	tests := []struct {
		name, mapping, problem string
	}{
		{"unknown attribute", "fooBarAttr = mo given_name",
			"AD_MAPPING: fooBarAttr = mo given_name: AD's schema has no attribute fooBarAttr"},
		{"constructed attribute", "canonicalName = mo name",
			"AD_MAPPING: canonicalName = mo name: AD's schema makes canonicalName constructed: AD computes it when read and stores nothing, so it cannot be written"},
		{"DN attribute from MO text", "manager = mo name",
			"AD_MAPPING: manager = mo name: AD's schema gives manager the syntax 2.5.5.1 (DN), which an MO value (text) cannot be written as"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newCLIWorld(t)
			line := w.withMapping(t, tt.mapping)
			want := fmt.Sprintf("moxsync: invalid settings in %[1]s (1 problem):\n  - %[1]s:%[2]d: %[3]s\nEvery key is documented in settings.ini.example.\n",
				filepath.Join(w.dir, "settings.ini"), line, tt.problem)

			for _, args := range [][]string{{"plan"}, {"plan", "--only", "sts"}} {
				r := w.run(t, args...)
				if r.code != exitError || !strings.HasSuffix(r.stderr, want) || r.stdout != "" {
					t.Errorf("%v: exit %d (want %d)\nstdout:\n%s\nstderr:\n%s\nwant stderr ending in:\n%s", args, r.code, exitError, r.stdout, r.stderr, want)
				}
			}
			// apply makes its plan as plan does: it stops before writing.
			if r := w.run(t, "apply", "--auto-approve"); r.code != exitError || !strings.HasSuffix(r.stderr, want) {
				t.Errorf("apply: exit %d (want %d)\nstderr:\n%s", r.code, exitError, r.stderr)
			}
			if b, err := os.ReadFile(filepath.Join(w.dir, "audit.jsonl")); err == nil && len(b) > 0 {
				t.Errorf("apply wrote:\n%s", b)
			}

			for _, args := range [][]string{{"check"}, {"check", "--quick"}} {
				r := w.run(t, args...)
				if r.code != exitError || !strings.HasSuffix(r.stderr, want) {
					t.Errorf("%v: exit %d (want %d)\nstderr:\n%s\nwant stderr ending in:\n%s", args, r.code, exitError, r.stderr, want)
				}
				adLine := "; schema: 1473 attributes read, 1 of the 14 mapped attributes does not fit it (AD_MAPPING, see below) ("
				if !strings.Contains(r.stdout, adLine) || strings.Contains(r.stdout, "Full read") {
					t.Errorf("%v: stdout lacks %q or reads in full:\n%s", args, adLine, r.stdout)
				}
			}
		})
	}
}

// TestCheckSchemaLine: with a mapping AD's schema fits, check's AD line
// says how many schema attributes it read and that every mapped attribute
// is known; the plan goes ahead.
func TestCheckSchemaLine(t *testing.T) {
	w := newCLIWorld(t)
	w.withMapping(t, "department = mo engagement.unit")
	r := w.run(t, "check", "--quick")
	n := len(mustMapping(t, "department = mo engagement.unit").Rules)
	if l := fmt.Sprintf("; schema: 1473 attributes read, all %d mapped attributes known (", n); r.code != exitOK || !strings.Contains(r.stdout, l) {
		t.Errorf("check: exit %d, stdout lacks %q:\n%s\nstderr:\n%s", r.code, l, r.stdout, r.stderr)
	}
	if r := w.run(t, "plan"); r.code != exitOK {
		t.Errorf("plan: exit %d\n%s", r.code, r.stderr)
	}
}

func mustMapping(t *testing.T, text string) engine.Mapping {
	t.Helper()
	m, err := engine.ParseMapping(text)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestCheckMappingWithoutAD: with AD not configured, check holds
// AD_MAPPING against moxsync's built-in table of AD user attributes.
func TestCheckMappingWithoutAD(t *testing.T) {
	mo := fakeMO(t, "unused-client-secret", "session-token-123")
	for _, tt := range []struct {
		mapping string
		code    int
		stderr  string
	}{
		{"department = mo engagement.unit", exitOK, ""},
		{"fooBarAttr = mo given_name", exitError, fmt.Sprintf("  - DIR/settings.ini:5: AD_MAPPING: fooBarAttr = mo given_name: moxsync's built-in table of %d AD user attributes has no attribute fooBarAttr (AD is not configured, so its schema was not read)\n",
			engine.BuiltinADSchema().Len())},
	} {
		dir := t.TempDir()
		ini := "[settings]\nOS2MO_SERVICE_URL = " + mo.URL + "/service\nOS2MO_API = rest\nOS2MO_SAML_TOKEN = session-token-123\n" +
			"AD_MAPPING = " + tt.mapping + "\n"
		if err := os.WriteFile(filepath.Join(dir, "settings.ini"), []byte(ini), 0o600); err != nil {
			t.Fatal(err)
		}
		r := runIn(t, dir, nil, "check", "--quick")
		stderr := strings.ReplaceAll(r.stderr, dir, "DIR")
		if r.code != tt.code || !strings.Contains(stderr, tt.stderr) {
			t.Errorf("%s: exit %d (want %d), stderr:\n%s\nwant it to hold:\n%s", tt.mapping, r.code, tt.code, stderr, tt.stderr)
		}
	}
}
