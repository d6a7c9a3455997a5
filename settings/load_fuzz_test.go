package settings

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The settings targets fuzz a splice into a base file (see spliceFile)
// rather than whole files: the fuzzer minimizes every new input by
// removing bytes, in a number of runs quadratic in its length, and a whole
// example file (1.2 kB) kept the workers minimizing for most of a run.
const (
	fuzzMaxInsert = 512    // bytes spliced in
	spliceWhole   = 0xffff // as cut: the insert is the whole file
)

// spliceFile is base file bases[base mod len] with cut bytes at at (modulo
// its length) replaced by insert, or insert alone when cut is spliceWhole.
func spliceFile(bases []string, base uint8, at, cut uint16, insert []byte) []byte {
	if cut == spliceWhole {
		return insert
	}
	b := bases[int(base)%len(bases)]
	off := int(at) % (len(b) + 1)
	end := min(len(b), off+int(cut))
	return slices.Concat([]byte(b[:off]), insert, []byte(b[end:]))
}

// fuzzBases are the files the settings targets splice into: the example
// without comments, and an empty [settings].
func fuzzBases(f *testing.F) []string {
	return []string{exampleWithoutComments(f), "[settings]\n"}
}

// FuzzLoad writes arbitrary bytes (spliced into a base file) as
// settings.ini and loads it as moxsync does (--config, no environment).
// Load must never panic. An error is a settings error: a *ValidationError
// whose every problem names the file (with a line, or as a whole) and never
// shows a secret's value, or the file's ini syntax error naming the file.
// Settings that load hold every key once, secrets masked in Display.
func FuzzLoad(f *testing.F) {
	for _, s := range []string{
		"[settings]\n",
		"",
		"MOX_LOG_LEVEL = 20\n",
		"[settings]\nOS2MO_SAML_TOKEN = T\nAD_BIND_PASSWORD = hemmelig-kode\nMOX_LOG_LEVEL = x\n",
		"[settings]\nAD_MAPPING = givenName = mo given_name\n  sn = mo surname\n  fooBarAttr = mo nonsense\n",
		"[Settings]\nad_url = ldaps://dc.kommune.local\nAD_URL = ldap://again\n[other]\nX = 1\n",
		"[settings]\nUSERNAME_GENERATOR = {\"combinations_to_try\": [\"FLLL\"]}\nOS2MO_ORG_UUID = not-a-uuid\n",
		"[settings]\nOS2MO_SERVICE_URL = https://user:pw@mo.kommune.dk/service\nAD_CA_BUNDLE = missing.pem\n",
		"\ufeff[settings]\r\nREADONLY = yes\r\nAD_TIMEOUT = 0\r\nSTSORGSYNC_TRUNCATE = 99999999999999999999\r\n",
		"[settings\nMOX_LOG_LEVEL\n= 10\n[]\n",
		"[settings]\nAD_SEARCH_BASE = OU=Brugere,DC=kommune,DC=dk\nAD_UPN_NAMING_CONTEXTS = DC=a;;nope\n",
		"[settings]\nMOX_LOG_LEVEL = 10 \\\n20\n\"\"\"quoted\n",
	} {
		f.Add(uint8(0), uint16(0), uint16(spliceWhole), []byte(s))
	}
	bases := fuzzBases(f)
	f.Add(uint8(0), uint16(0), uint16(0), []byte{})
	f.Add(uint8(0), uint16(len(bases[0])/2), uint16(40), []byte("AD_URL = ldap://\n"))
	dir := f.TempDir()
	path := filepath.Join(dir, FileName)
	f.Fuzz(func(t *testing.T, base uint8, at, cut uint16, insert []byte) {
		insert = insert[:min(len(insert), fuzzMaxInsert)]
		data := spliceFile(bases, base, at, cut, insert)
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		opts := LoadOptions{ConfigFlag: path, Cwd: dir}
		s, err := Load(opts)
		if err != nil {
			checkLoadError(t, path, err)
			return
		}
		if s.Path != path {
			t.Fatalf("Path = %q, want %q", s.Path, path)
		}
		vals := s.Values()
		if len(vals) != len(Keys()) {
			t.Fatalf("%d values for %d keys", len(vals), len(Keys()))
		}
		for i, v := range vals {
			if v.Key != Keys()[i] {
				t.Fatalf("value %d is %s, want %s", i, v.Key, Keys()[i])
			}
			if v.Secret && v.Raw != "" && v.Display != Mask {
				t.Fatalf("secret %s displayed as %q", v.Key, v.Display)
			}
		}
	})
}

// FuzzParseFile feeds arbitrary bytes (spliced into a base file) to the
// ini parse of Load alone (faster than FuzzLoad, so it explores
// gopkg.in/ini.v1 and the line scan further). It must never panic; an error names the file; every entry is a
// known key with the line it is set on (1 to the number of lines), and
// every problem names the file, with a line in range when it has one.
func FuzzParseFile(f *testing.F) {
	bases := fuzzBases(f)
	f.Add(uint8(0), uint16(0), uint16(0), []byte{})
	f.Add(uint8(1), uint16(11), uint16(0), []byte("AD_MAPPING = a = mo b\n  c = off\n"))
	for _, s := range []string{
		"[settings]\nAD_MAPPING = givenName = mo given_name\n  sn = mo surname\n\n  l = off\n",
		"[settings]\nad_url = a\nAD_URL = b\nAD_URLL = c\n[Other]\nX=1\n",
		"X = 1\n[settings]\n; comment\n# comment\nMOX_LOG_LEVEL: 10\n",
		"\ufeff[settings]\r\nREADONLY = yes\\\r\nno\r\n",
		"[settings\n",
		"[settings]\n\"\"\"\nMOX_LOG_LEVEL = \"\"\"10\n",
		"[settings]\n=10\n:x\n[ settings ]\nREADONLY = 1\n",
	} {
		f.Add(uint8(0), uint16(0), uint16(spliceWhole), []byte(s))
	}
	const path = "/etc/moxsync/settings.ini"
	f.Fuzz(func(t *testing.T, base uint8, at, cut uint16, insert []byte) {
		insert = insert[:min(len(insert), fuzzMaxInsert)]
		data := spliceFile(bases, base, at, cut, insert)
		pf, problems, err := parseFile(path, data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "settings: "+path+" is not a valid ini file") {
				t.Fatalf("not a settings error: %v", err)
			}
			return
		}
		lines := strings.Count(string(data), "\n") + 1
		for key, e := range pf.entries {
			if _, known := Default(key); !known {
				t.Fatalf("entry for the unknown key %q", key)
			}
			if e.line < 0 || e.line > lines {
				t.Fatalf("%s on line %d of %d", key, e.line, lines)
			}
		}
		for _, p := range problems {
			if p.File != path || p.Line < 0 || p.Line > lines || p.Expected == "" {
				t.Fatalf("problem %#v (file of %d lines)", p, lines)
			}
		}
	})
}

// checkLoadError holds what an error of Load must be.
func checkLoadError(t *testing.T, path string, err error) {
	t.Helper()
	var ve *ValidationError
	if !errors.As(err, &ve) {
		if !strings.HasPrefix(err.Error(), "settings: "+path+" is not a valid ini file") {
			t.Fatalf("not a settings error: %v", err)
		}
		return
	}
	if ve.Path != path || len(ve.Problems) == 0 || !strings.HasPrefix(ve.Error(), "invalid settings in "+path) {
		t.Fatalf("validation error without path or problems: %v", err)
	}
	for _, p := range ve.Problems {
		switch {
		case p.Env:
			t.Fatalf("problem blamed on the environment, which is empty: %v", p)
		case p.File != path && !(p.File == "" && p.Key != ""):
			t.Fatalf("problem names neither the file nor a key: %#v", p)
		case p.Expected == "":
			t.Fatalf("problem without a text: %#v", p)
		case IsSecret(p.Key) && p.Value != "" && p.Value != Mask:
			t.Fatalf("problem shows the secret %s: %#v", p.Key, p)
		}
	}
}

// exampleWithoutComments is settings.ini.example without comment and blank
// lines.
func exampleWithoutComments(f *testing.F) string {
	data, err := os.ReadFile(filepath.Join("..", "settings.ini.example"))
	if err != nil {
		f.Fatal(err)
	}
	var b strings.Builder
	for _, line := range strings.Split(string(data), "\n") {
		if l := strings.TrimSpace(line); l != "" && l[0] != ';' && l[0] != '#' {
			b.WriteString(line + "\n")
		}
	}
	return b.String()
}
