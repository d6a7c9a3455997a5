package settings

import (
	"errors"
	"moxsync/engine"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLookupOrder(t *testing.T) {
	type layout struct {
		flagFile, envFile, cwdFile, exeFile bool
	}
	tests := []struct {
		name string
		l    layout
		want string // which file wins: flag, env, cwd, exe, or "" for none
	}{
		{"all present: --config wins", layout{true, true, true, true}, "flag"},
		{"no flag: MOX_MO_CONFIG wins", layout{false, true, true, true}, "env"},
		{"no flag or env: ./settings.ini wins", layout{false, false, true, true}, "cwd"},
		{"only next to the executable", layout{false, false, false, true}, "exe"},
		{"no file: defaults", layout{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			cwd := filepath.Join(root, "cwd")
			paths := map[string]string{
				"flag": write(t, root, "flag/flag.ini", "[settings]\nMOX_LOG_LEVEL = 11\n"),
				"env":  write(t, root, "env/env.ini", "[settings]\nMOX_LOG_LEVEL = 12\n"),
				"cwd":  write(t, cwd, "settings.ini", "[settings]\nMOX_LOG_LEVEL = 13\n"),
				"exe":  write(t, root, "bin/settings.ini", "[settings]\nMOX_LOG_LEVEL = 14\n"),
			}
			levels := map[string]int{"flag": 11, "env": 12, "cwd": 13, "exe": 14, "": 10}
			exe := write(t, root, "bin/moxsync", "binary")
			// The executable is reached through a symlink in another directory:
			// "next to the executable" means next to the real file.
			link := filepath.Join(root, "links", "moxsync")
			if err := os.MkdirAll(filepath.Dir(link), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(exe, link); err != nil {
				t.Fatal(err)
			}
			opts := LoadOptions{Executable: link, Cwd: cwd}
			env := map[string]string{}
			if tt.l.flagFile {
				opts.ConfigFlag = paths["flag"]
			}
			if tt.l.envFile {
				env[EnvConfig] = paths["env"]
			}
			if !tt.l.cwdFile {
				os.Remove(paths["cwd"])
			}
			if !tt.l.exeFile {
				os.Remove(paths["exe"])
			}
			opts.Getenv = envOf(env)
			s, err := Load(opts)
			if err != nil {
				t.Fatal(err)
			}
			if want := paths[tt.want]; s.Path != want {
				t.Errorf("Path = %q, want %q", s.Path, want)
			}
			if s.LogLevel != levels[tt.want] {
				t.Errorf("LogLevel = %d, want %d", s.LogLevel, levels[tt.want])
			}
		})
	}
}

func TestNamedFileMissing(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "settings.ini", "[settings]\n") // must NOT be used as a fallback
	tests := []struct {
		name string
		opts LoadOptions
		want string
	}{
		{"--config", LoadOptions{ConfigFlag: "nope.ini", Cwd: dir},
			"settings file " + filepath.Join(dir, "nope.ini") + " (named by --config) does not exist"},
		{"MOX_MO_CONFIG", LoadOptions{Getenv: envOf(map[string]string{EnvConfig: "/etc/moxsync/missing.ini"}), Cwd: dir},
			"settings file /etc/moxsync/missing.ini (named by MOX_MO_CONFIG) does not exist"},
		{"--config is a directory", LoadOptions{ConfigFlag: dir, Cwd: dir},
			"settings file " + dir + " (named by --config) is a directory, not a file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(tt.opts)
			if err == nil || err.Error() != tt.want {
				t.Fatalf("err = %v\nwant  %s", err, tt.want)
			}
		})
	}
}

func TestDefaultsWithoutFile(t *testing.T) {
	s, err := Load(LoadOptions{Cwd: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range s.Values() {
		def, _ := Default(v.Key)
		if v.Raw != def || v.Source.String() != "default" {
			t.Errorf("%s = %q from %s, want default %q", v.Key, v.Raw, v.Source, def)
		}
	}
	if len(s.Values()) != len(Keys()) {
		t.Errorf("%d values for %d keys", len(s.Values()), len(Keys()))
	}
	if s.LogLevel != 10 || s.MO.API != "graphql" || s.MO.GraphQLVersion != 29 || s.AD.MatchBy != "cpr" ||
		s.STS.Dialect != "v1_1" || s.STS.TruncateLength() != 200 || s.Safety.MaxDeletes != 50 || s.Safety.MaxDeletePercent != 10 || s.ReadOnly {
		t.Errorf("unexpected defaults: %+v", s)
	}
	if s.MO.Configured() || s.AD.Configured() || s.STS.Configured() {
		t.Errorf("placeholder defaults count as configured: MO %v AD %v STS %v", s.MO.Configured(), s.AD.Configured(), s.STS.Configured())
	}
	if s.MO.GraphQLURL != "http://some-os2mo-url/graphql/v29" {
		t.Errorf("GraphQLURL = %q", s.MO.GraphQLURL)
	}
}

func TestEnvOverridesFileAndSources(t *testing.T) {
	dir := t.TempDir()
	p := write(t, dir, "settings.ini", "; comment\n[settings]\nmox_log_level = 20\n\nOS2MO_SERVICE_URL = https://mo.kommune.dk/service\nOS2MO_SAML_TOKEN = from-file\n")
	s, err := Load(LoadOptions{Cwd: dir, Getenv: envOf(map[string]string{
		"MOX_LOG_LEVEL":    "30",
		"OS2MO_SAML_TOKEN": "s3cr3t-token",
		"UNRELATED":        "x",
	})})
	if err != nil {
		t.Fatal(err)
	}
	if s.LogLevel != 30 || s.MO.SAMLToken != "s3cr3t-token" || s.MO.ServiceURL != "https://mo.kommune.dk/service" {
		t.Fatalf("got level %d token %q url %q", s.LogLevel, s.MO.SAMLToken, s.MO.ServiceURL)
	}
	for key, want := range map[string]string{
		"MOX_LOG_LEVEL":     "environment",
		"OS2MO_SAML_TOKEN":  "environment",
		"OS2MO_SERVICE_URL": p + ":5",
		"AD_URL":            "default",
	} {
		v, ok := s.Lookup(key)
		if !ok || v.Source.String() != want {
			t.Errorf("%s source = %s, want %s", key, v.Source, want)
		}
	}
	tok, _ := s.Lookup("OS2MO_SAML_TOKEN")
	if tok.Display != Mask {
		t.Errorf("secret displayed as %q", tok.Display)
	}
	if got := s.Secrets(); len(got) != 1 || got[0] != "s3cr3t-token" {
		t.Errorf("Secrets() = %q", got)
	}
	if s.MO.GraphQLURL != "https://mo.kommune.dk/graphql/v29" || !s.MO.Configured() {
		t.Errorf("GraphQLURL %q configured %v", s.MO.GraphQLURL, s.MO.Configured())
	}
}

func TestRelativePaths(t *testing.T) {
	dir := t.TempDir()
	cwd := t.TempDir()
	write(t, dir, "ca/mo.pem", string(testCAPEM(t)))
	write(t, dir, "settings.ini", "[settings]\nOS2MO_CA_BUNDLE = ca/mo.pem\nAUDIT_LOG = audit.jsonl\n")
	s, err := Load(LoadOptions{ConfigFlag: filepath.Join(dir, "settings.ini"), Cwd: cwd})
	if err != nil {
		t.Fatal(err)
	}
	if s.MO.CABundle != filepath.Join(dir, "ca/mo.pem") || s.AuditLog != filepath.Join(dir, "audit.jsonl") {
		t.Errorf("file paths not relative to the settings file: %q %q", s.MO.CABundle, s.AuditLog)
	}
	if s.STS.HashCache != filepath.Join(cwd, "stsorgsync_hash_cache") {
		t.Errorf("default path not relative to cwd: %q", s.STS.HashCache)
	}
}

func TestValidationErrors(t *testing.T) {
	dir := t.TempDir()
	caMissing := filepath.Join(dir, "missing.pem")
	noCert := write(t, dir, "nocert.pem", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")
	f := filepath.Join(dir, "settings.ini")
	tests := []struct {
		name string
		body string            // lines after [settings]; the first is on line 2
		want []string          // every problem, in order
		env  map[string]string // environment
	}{
		{"unknown key with suggestion", "MOX_LOG_LEVLE = 20",
			[]string{f + ":2: MOX_LOG_LEVLE: unknown key; did you mean MOX_LOG_LEVEL?"}, nil},
		{"unknown secret-looking key: value never shown", "AD_BIND_PASWORD = hunter2",
			[]string{f + ":2: AD_BIND_PASWORD: unknown key; did you mean AD_BIND_PASSWORD?"}, nil},
		{"unknown key far from any", "FAVOURITE_COLOUR = blue",
			[]string{f + ":2: FAVOURITE_COLOUR: unknown key; see settings.ini.example for the known keys"}, nil},
		{"malformed URL", "STSORGSYNC_API_URL = sts.kommune.dk/api",
			[]string{f + `:2: STSORGSYNC_API_URL = "sts.kommune.dk/api": expected a URL starting with http:// or https://`}, nil},
		{"service URL not ending in /service", "OS2MO_SERVICE_URL = https://mo.kommune.dk/api",
			[]string{f + `:2: OS2MO_SERVICE_URL = "https://mo.kommune.dk/api": expected the full URL of OS2MO's service API, ending in /service (e.g. https://os2mo.kommune.dk/service)`}, nil},
		{"URL password masked", "OS2MO_SERVICE_URL = https://admin:pa55word@mo.kommune.dk/api",
			[]string{f + `:2: OS2MO_SERVICE_URL = "https://admin:********@mo.kommune.dk/api": expected the full URL of OS2MO's service API, ending in /service (e.g. https://os2mo.kommune.dk/service)`}, nil},
		{"non-numeric log level", "MOX_LOG_LEVEL = DEBUG",
			[]string{f + `:2: MOX_LOG_LEVEL = "DEBUG": expected a number: 10 debug, 20 info, 30 warning, 40 error, 50 critical`}, nil},
		{"malformed UUID", "OS2MO_TOP_UNIT_UUID = 1234-abcd",
			[]string{f + `:2: OS2MO_TOP_UNIT_UUID = "1234-abcd": expected a UUID like 9f5f4a62-1ac1-4d1c-8c3e-9e3c3f1b6d2a`}, nil},
		{"CVR not 8 digits", "STSORGSYNC_MUNICIPALITY = 2918873",
			[]string{f + `:2: STSORGSYNC_MUNICIPALITY = "2918873": expected the municipality's CVR number: exactly 8 digits`}, nil},
		{"CA bundle missing", "AD_CA_BUNDLE = missing.pem",
			[]string{f + `:2: AD_CA_BUNDLE = "missing.pem": expected true, false, or a PEM file of CA certificates: file ` + caMissing + ` does not exist`}, nil},
		{"CA bundle without certificate", "OS2MO_CA_BUNDLE = nocert.pem",
			[]string{f + `:2: OS2MO_CA_BUNDLE = "nocert.pem": expected true, false, or a PEM file of CA certificates: ` + noCert + ` holds no PEM certificate`}, nil},
		{"bad enums", "OS2MO_API = soap\nAD_MATCH_BY = email\nSTSORGSYNC_DIALECT = v2\nSTSORGSYNC_DELETE_STYLE = body",
			[]string{
				f + `:2: OS2MO_API = "soap": expected one of: graphql, rest`,
				f + `:3: AD_MATCH_BY = "email": expected one of: cpr, objectguid`,
				f + `:4: STSORGSYNC_DIALECT = "v2": expected one of: v1_1, os2sync`,
				f + `:5: STSORGSYNC_DELETE_STYLE = "body": expected one of: path, query`,
			}, nil},
		{"bad int, duration, bool", "OS2MO_PAGE_SIZE = many\nAD_TIMEOUT = soon\nREADONLY = maybe\nSAFETY_MAX_DELETE_PERCENT = 150",
			[]string{
				f + `:2: OS2MO_PAGE_SIZE = "many": expected a whole number from 1 to 100000`,
				f + `:3: AD_TIMEOUT = "soon": expected a positive duration such as 30s, 2m or 1m30s`,
				f + `:4: READONLY = "maybe": expected true or false`,
				f + `:5: SAFETY_MAX_DELETE_PERCENT = "150": expected a whole number from 0 to 100`,
			}, nil},
		{"bad watch keys", "WATCH_APPLY_AT_ONCE = update, renames\nWATCH_RECONCILE_INTERVAL = daily\nWATCH_HTTP_ADDR = localhost\nWATCH_LISTENER_PREFIX = mox sync\nWATCH_COALESCE = 0",
			[]string{
				f + `:2: WATCH_APPLY_AT_ONCE = "update, renames": "renames" is not an operation; expected none, or a comma-separated list of: create, update, disable, enable, rename, delete`,
				f + `:3: WATCH_RECONCILE_INTERVAL = "daily": expected a positive duration such as 30s, 2m or 1m30s`,
				f + `:4: WATCH_HTTP_ADDR = "localhost": expected host:port such as 127.0.0.1:9464 or :9464 (blank = off)`,
				f + `:5: WATCH_LISTENER_PREFIX = "mox sync": expected letters, digits, '-', '_' or '.' (it prefixes the user_key of each MO event listener)`,
				f + `:6: WATCH_COALESCE = "0": expected a positive duration such as 30s, 2m or 1m30s`,
			}, nil},
		{"AD URL scheme", "AD_URL = https://dc.kommune.local\nAD_BIND_DN = x@y\nAD_SEARCH_BASE = DC=k,DC=l",
			[]string{f + `:2: AD_URL = "https://dc.kommune.local": expected a URL starting with ldap:// or ldaps://`}, nil},
		{"AD needs base and bind", "AD_URL = ldaps://dc.kommune.local",
			[]string{
				f + `: AD_SEARCH_BASE = "": expected the DN to search under (e.g. DC=kommune,DC=local), because AD_URL is set`,
				f + `: AD_BIND_DN = "": expected the DN or UPN to bind as, because AD_URL is set`,
			}, nil},
		{"Keycloak needs client", "OS2MO_AUTH_SERVER = https://kc.kommune.dk/auth\nOS2MO_CLIENT_ID = moxsync",
			[]string{f + `: OS2MO_CLIENT_SECRET = "": expected the Keycloak client secret, because OS2MO_AUTH_SERVER is set`}, nil},
		{"scope classes", "STSORGSYNC_PHONE_SCOPE_CLASSES = 9f5f4a62-1ac1-4d1c-8c3e-9e3c3f1b6d2a nope",
			[]string{f + `:2: STSORGSYNC_PHONE_SCOPE_CLASSES = "9f5f4a62-1ac1-4d1c-8c3e-9e3c3f1b6d2a nope": expected UUIDs separated by spaces; "nope" is not a UUID`}, nil},
		{"username generator JSON", `USERNAME_GENERATOR = {"username_generator": {"combinations_to_try": 7}}`,
			[]string{f + `:2: USERNAME_GENERATOR = "{\"username_generator\": {\"combinations_to_try\": 7}}": expected a username generator configuration (JSON as in settings.ini.example): inline JSON: ` +
				engineErr(engine.ParseUsernameConfig([]byte(`{"username_generator": {"combinations_to_try": 7}}`)))}, nil},
		{"bad mapping over several lines", "AD_MAPPING =\n    givenName = mo given_name\n    sn = sideways surname\nREADONLY = maybe",
			[]string{
				f + `:2: AD_MAPPING = "givenName = mo given_name\n    sn = sideways surname": expected an attribute mapping as described in settings.ini.example: ` +
					engineErr(engine.ParseMapping("givenName = mo given_name\n    sn = sideways surname")),
				f + `:5: READONLY = "maybe": expected true or false`,
			}, nil},
		{"duplicate key", "READONLY = true\nreadonly = false",
			[]string{f + ":3: READONLY: set more than once (first on line 2); keep one"}, nil},
		{"key outside [settings]", "[other]\nMOX_LOG_LEVEL = 20",
			[]string{f + ":3: MOX_LOG_LEVEL: found in section [other]; moxsync reads only keys in [settings]"}, nil},
		{"bad value from the environment", "",
			[]string{`environment variable STSORGSYNC_MUNICIPALITY = "12-34": expected the municipality's CVR number: exactly 8 digits`},
			map[string]string{"STSORGSYNC_MUNICIPALITY": "12-34"}},
		{"everything at once", "MOX_LOG_LEVEL = loud\nOS2MO_SERVICE_URL = https://mo/api\nOS2MO_ORG_UUID = x\nSTSORGSYNC_MUNICIPALITY = 1\nAD_CA_BUNDLE = missing.pem\nMOX_LOG_LEVLE = 1",
			[]string{
				f + `:2: MOX_LOG_LEVEL = "loud": expected a number: 10 debug, 20 info, 30 warning, 40 error, 50 critical`,
				f + `:3: OS2MO_SERVICE_URL = "https://mo/api": expected the full URL of OS2MO's service API, ending in /service (e.g. https://os2mo.kommune.dk/service)`,
				f + `:4: OS2MO_ORG_UUID = "x": expected a UUID like 9f5f4a62-1ac1-4d1c-8c3e-9e3c3f1b6d2a`,
				f + `:5: STSORGSYNC_MUNICIPALITY = "1": expected the municipality's CVR number: exactly 8 digits`,
				f + `:6: AD_CA_BUNDLE = "missing.pem": expected true, false, or a PEM file of CA certificates: file ` + caMissing + ` does not exist`,
				f + ":7: MOX_LOG_LEVLE: unknown key; did you mean MOX_LOG_LEVEL?",
			}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			write(t, dir, "settings.ini", "[settings]\n"+tt.body+"\n")
			_, err := Load(LoadOptions{Cwd: dir, Getenv: envOf(tt.env)})
			var ve *ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("err = %v, want *ValidationError", err)
			}
			var got []string
			for _, p := range ve.Problems {
				got = append(got, p.Error())
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
			if msg := err.Error(); strings.Contains(msg, "hunter2") || strings.Contains(msg, "pa55word") {
				t.Errorf("secret in message: %s", msg)
			}
		})
	}
}

func TestValidationErrorMessage(t *testing.T) {
	const path = "/etc/moxsync/settings.ini"
	fileProblem := Problem{File: path, Line: 3, Key: "A", Expected: "unknown key"}
	envProblem := Problem{Env: true, Key: "B", Value: "x", Shown: true, Expected: "expected true or false"}
	for _, c := range []struct {
		name     string
		path     string
		problems []Problem
		want     string
	}{
		{"file and environment", path, []Problem{fileProblem, envProblem},
			"invalid settings in /etc/moxsync/settings.ini and the environment (2 problems):\n" +
				"  - /etc/moxsync/settings.ini:3: A: unknown key\n" +
				"  - environment variable B = \"x\": expected true or false"},
		{"file only", path, []Problem{fileProblem},
			"invalid settings in /etc/moxsync/settings.ini (1 problem):\n  - /etc/moxsync/settings.ini:3: A: unknown key"},
		{"environment only, though a file was read", path, []Problem{envProblem},
			"invalid settings in the environment (1 problem):\n  - environment variable B = \"x\": expected true or false"},
		{"no file", "", []Problem{envProblem},
			"invalid settings in the environment (1 problem):\n  - environment variable B = \"x\": expected true or false"},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := &ValidationError{Path: c.path, Problems: c.problems}
			if e.Error() != c.want {
				t.Errorf("got\n%s\nwant\n%s", e.Error(), c.want)
			}
		})
	}
}

// TestCABundleFromEnvironmentIsHeadedSo: a bad AD_CA_BUNDLE set in the
// environment is not reported as a problem "in settings.ini".
func TestCABundleFromEnvironmentIsHeadedSo(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "settings.ini", "[settings]\nAD_URL = ldaps://dc.kommune.local\nAD_SEARCH_BASE = DC=kommune,DC=local\nAD_BIND_DN = svc@kommune.local\n")
	_, err := Load(LoadOptions{Cwd: dir, Getenv: envOf(map[string]string{"AD_CA_BUNDLE": filepath.Join(dir, "missing.pem")})})
	if err == nil || !strings.HasPrefix(err.Error(), "invalid settings in the environment (") ||
		!strings.Contains(err.Error(), "environment variable AD_CA_BUNDLE") {
		t.Errorf("got %v", err)
	}
}

func TestNoSettingsSection(t *testing.T) {
	dir := t.TempDir()
	f := write(t, dir, "settings.ini", "MOX_LOG_LEVEL = 20\n")
	_, err := Load(LoadOptions{Cwd: dir})
	want := "invalid settings in " + f + " (2 problems):\n" +
		"  - " + f + ":1: MOX_LOG_LEVEL: found before any section; moxsync reads only keys in [settings]\n" +
		"  - " + f + ": no [settings] section; every key belongs under a line [settings]"
	if err == nil || err.Error() != want {
		t.Errorf("got\n%v\nwant\n%s", err, want)
	}
}

func TestValuesParsed(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "gen.json", `{"username_generator": {"combinations_to_try": ["FL"]}}`)
	write(t, dir, "settings.ini", `[settings]
OS2MO_SERVICE_URL = https://mo.kommune.dk/service/
OS2MO_GRAPHQL_VERSION = 29
OS2MO_TIMEOUT = 45
AD_URL = ldap://dc.kommune.local
AD_START_TLS = yes
AD_BIND_DN = svc@kommune.local
AD_SEARCH_BASE = DC=kommune,DC=local
AD_MATCH_BY = objectGUID
AD_UPN_SUFFIX = @kommune.dk
USERNAME_GENERATOR = gen.json
STSORGSYNC_TRUNCATE = 20
STSORGSYNC_EMAIL_SCOPE_CLASSES = 9F5F4A62-1AC1-4D1C-8C3E-9E3C3F1B6D2A  0b7b6a0e-6a3f-4d8b-9f8e-1c2d3e4f5a6b
AD_BIND_PASSWORD = pw;with#chars
`)
	s, err := Load(LoadOptions{Cwd: dir})
	if err != nil {
		t.Fatal(err)
	}
	if s.MO.ServiceURL != "https://mo.kommune.dk/service" || s.MO.GraphQLURL != "https://mo.kommune.dk/graphql/v29" {
		t.Errorf("MO URLs %q %q", s.MO.ServiceURL, s.MO.GraphQLURL)
	}
	if s.MO.Timeout.Seconds() != 45 || !s.AD.StartTLS || s.AD.MatchBy != "objectguid" || s.AD.UPNSuffix != "kommune.dk" {
		t.Errorf("parsed %v %v %q %q", s.MO.Timeout, s.AD.StartTLS, s.AD.MatchBy, s.AD.UPNSuffix)
	}
	if s.STS.TruncateLength() != 36 || len(s.STS.EmailScopeClasses) != 2 || s.STS.EmailScopeClasses[0] != "9f5f4a62-1ac1-4d1c-8c3e-9e3c3f1b6d2a" {
		t.Errorf("STS %d %q", s.STS.TruncateLength(), s.STS.EmailScopeClasses)
	}
	if s.AD.BindPassword != "pw;with#chars" {
		t.Errorf("inline ; or # cut the value: %q", s.AD.BindPassword)
	}
	if j, err := s.AD.UsernameGeneratorJSON(); err != nil || !strings.Contains(string(j), `"FL"`) {
		t.Errorf("UsernameGeneratorJSON = %s, %v", j, err)
	}
	if w := s.Warnings(); len(w) != 0 {
		t.Errorf("Warnings() = %q, want none (StartTLS with system CAs)", w)
	}
}

func TestNearestKey(t *testing.T) {
	tests := []struct{ in, want string }{
		{"MOX_LOG_LEVLE", "MOX_LOG_LEVEL"},
		{"OS2MO_SERVICE_URI", "OS2MO_SERVICE_URL"},
		{"AD_BINDDN", "AD_BIND_DN"},
		{"READ_ONLY", "READONLY"},
		{"STSORGSYNC_MUNICIPALITY_CVR", "STSORGSYNC_MUNICIPALITY"},
		{"COLOUR", ""},
	}
	for _, tt := range tests {
		if got := nearestKey(tt.in); got != tt.want {
			t.Errorf("nearestKey(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// engineErr is the text of the error the engine's parser gives, which the
// settings message quotes.
func engineErr[T any](_ T, err error) string {
	if err == nil {
		return "<no error>"
	}
	return err.Error()
}

func TestRelativeConfigResolvesAgainstCwd(t *testing.T) {
	cwd := t.TempDir()
	want := write(t, cwd, "conf/prod.ini", "[settings]\nREADONLY = true\n")
	for _, opts := range []LoadOptions{
		{ConfigFlag: "conf/prod.ini", Cwd: cwd},
		{Getenv: envOf(map[string]string{EnvConfig: "conf/prod.ini"}), Cwd: cwd},
	} {
		s, err := Load(opts)
		if err != nil {
			t.Fatal(err)
		}
		if s.Path != want || !s.ReadOnly {
			t.Errorf("Path %q ReadOnly %v, want %q true", s.Path, s.ReadOnly, want)
		}
	}
}
