package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"moxsync/ad/adtest"
	"moxsync/engine"
	"moxsync/mo/motest"
)

// runUsernameCmd runs `moxsync username args…` in-process in an empty
// directory (so no settings.ini is found) with only env set.
func runUsernameCmd(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	dir := t.TempDir()
	var out, errb bytes.Buffer
	a := &app{stdin: strings.NewReader(""), stdout: &out, stderr: &errb,
		getenv: func(k string) string { return env[k] }, cwd: dir, executable: filepath.Join(dir, "bin", "moxsync")}
	code := run(context.Background(), append([]string{"username"}, args...), a)
	return code, out.String(), errb.String()
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestUsernameCommandText(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		wantCode int
		want     []string // substrings of stdout
		wantErr  []string // substrings of stderr
	}{
		{"found", []string{"Jens", "Hansen"}, exitOK, []string{
			"Username for Jens Hansen: jhans  (pattern FLLLL)",
			"Generator:  the built-in example of seed 004",
			"Taken:      nothing checked: no --taken names, and AD not configured (AD_URL is not set)",
			`first "jens", surname "hansen"`,
			"F123L   -            ✗ missing middle name: F123L uses middle name 1; the name has no middle name",
			"FLLLL   jhans        ✓ chosen",
			"FLLLLX               · not tried",
			"Common name: Jens Hansen",
		}, nil},
		{"taken, flags after the names", []string{"Jens", "Hansen", "--taken", "jhans, JHANS2"}, exitOK, []string{
			"Username for Jens Hansen: jhans3  (pattern FLLLLX)",
			"2 from --taken",
			"FLLLL   jhans        ✗ taken in AD",
			"FLLLLX  jhans2       ✗ taken in AD",
			"        jhans3       ✓ chosen",
		}, nil},
		{"forbidden", []string{"Hans Åberg", "Terp"}, exitOK, []string{
			"Username for Hans Åberg Terp: hterp",
			`F1LLL   hater        ✗ forbidden: "hater" is on the forbidden list`,
			`middle 1 "aaberg"`,
		}, nil},
		{"Danish letters", []string{"Søren Åge", "Ølholm"}, exitOK, []string{
			"Username for Søren Åge Ølholm: saoel  (pattern F1LLL)",
			`first "soeren", middle 1 "aage", surname "oelholm"`,
			"F12LL   -            ✗ missing middle name: F12LL uses middle name 2; the name has only 1 middle name",
		}, nil},
		{"too short", []string{"Nick", "Ja"}, exitError, []string{
			"No username fits Nick Ja: every pattern was passed over.",
			`FLLLL   -            ✗ part too short: surname "Ja" gives "ja" (2 letters); LLLL needs 4`,
			"Add shorter patterns",
		}, nil},
		{"all numbers taken", []string{"--taken=ab,ab2,ab3,ab4,ab5,ab6,ab7,ab8,ab9", "--generator", "GEN", "Anna", "Berg"}, exitError, []string{
			"No username fits Anna Berg",
			"ab9          ✗ taken in AD",
			"Add more patterns ending in X",
		}, nil},
		{"one argument", []string{"Jens Hansen"}, exitError, nil, []string{
			`expected GIVEN_NAMES and SURNAME, got 1 argument(s): "Jens Hansen"`, "Quote names with spaces"}},
		{"three arguments", []string{"Jens", "Peter", "Hansen"}, exitError, nil, []string{"got 3 argument(s)"}},
		{"double dash", []string{"--", "-Jens", "Hansen"}, exitOK, []string{"Username for -Jens Hansen: jhans"}, nil},
		{"missing generator file", []string{"--generator", "/nonexistent/gen.json", "Jens", "Hansen"}, exitError, nil, []string{
			"read --generator file", "no such file"}},
		{"bad generator", []string{"--generator", "BAD", "Jens", "Hansen"}, exitError, nil, []string{
			"--generator", "Incorrect combination found: 'GAK'"}},
		{"unknown flag", []string{"--tkaen", "x", "Jens", "Hansen"}, exitError, nil, []string{"flag provided but not defined: -tkaen"}},
	}
	gen := writeFile(t, "gen.json", `{"username_generator": {"combinations_to_try": ["FLX"]}}`)
	bad := writeFile(t, "bad.json", `{"combinations_to_try": ["FL", "GAK"]}`)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for i, a := range tt.args {
				tt.args[i] = strings.NewReplacer("GEN", gen, "BAD", bad).Replace(a)
			}
			code, out, errOut := runUsernameCmd(t, nil, tt.args...)
			if code != tt.wantCode {
				t.Errorf("exit code %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.wantCode, out, errOut)
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("stdout lacks %q:\n%s", w, out)
				}
			}
			for _, w := range tt.wantErr {
				if !strings.Contains(errOut, w) {
					t.Errorf("stderr lacks %q:\n%s", w, errOut)
				}
			}
		})
	}
}

func TestUsernameCommandJSON(t *testing.T) {
	type report struct {
		FormatVersion int     `json:"format_version"`
		Username      *string `json:"username"`
		Pattern       string  `json:"pattern"`
		Error         *string `json:"error"`
		Source        struct {
			Kind, Detail, Path string
		} `json:"source"`
		Trace []struct {
			Pattern, Result, Skipped, Detail string
			Candidates                       []struct{ Username, Reason string }
		} `json:"trace"`
		NotTried   []string `json:"not_tried"`
		CommonName string   `json:"common_name"`
	}
	decode := func(t *testing.T, out string) report {
		t.Helper()
		var r report
		var raw map[string]json.RawMessage
		if err := json.Unmarshal([]byte(out), &raw); err != nil {
			t.Fatalf("not JSON: %v\n%s", err, out)
		}
		for _, k := range []string{"username", "trace", "error", "source"} {
			if _, ok := raw[k]; !ok {
				t.Errorf("key %q missing", k)
			}
		}
		if err := json.Unmarshal([]byte(out), &r); err != nil {
			t.Fatal(err)
		}
		return r
	}

	code, out, _ := runUsernameCmd(t, nil, "--json", "Jens", "Hansen", "--taken", "jhans")
	r := decode(t, out)
	if code != exitOK || r.Username == nil || *r.Username != "jhans2" || r.Error != nil || r.Pattern != "FLLLLX" || r.FormatVersion != 1 {
		t.Fatalf("code %d, %s", code, out)
	}
	if r.Source.Kind != "builtin" || len(r.Trace) != 5 || r.Trace[3].Candidates[0].Reason != "taken in AD" || r.CommonName != "Jens Hansen" {
		t.Errorf("report %+v", r)
	}

	code, out, _ = runUsernameCmd(t, nil, "--json", "Nick", "Ja")
	r = decode(t, out)
	if code != exitError || r.Username != nil || r.Error == nil || !strings.Contains(*r.Error, "failed to create user name") {
		t.Fatalf("code %d, %s", code, out)
	}
	if len(r.Trace) != 5 || r.Trace[4].Skipped != "part too short" || r.Trace[4].Detail == "" {
		t.Errorf("trace %+v", r.Trace)
	}
	if !strings.Contains(out, `"username": null`) || len(r.NotTried) != 0 {
		t.Errorf("username not null:\n%s", out)
	}

	bad := writeFile(t, "bad.json", `{"combinations_to_try": ["GAK"]}`)
	code, out, errOut := runUsernameCmd(t, nil, "--json", "--generator", bad, "Nick", "Ja")
	r = decode(t, out)
	if code != exitError || r.Username != nil || r.Error == nil || !strings.Contains(*r.Error, "Incorrect combination found: 'GAK'") ||
		r.Source.Kind != "flag" || !strings.Contains(errOut, "Incorrect combination") {
		t.Fatalf("code %d, %s\nstderr %s", code, out, errOut)
	}
}

func TestUsernameCommandSettingsGenerator(t *testing.T) {
	env := map[string]string{"USERNAME_GENERATOR": `{"combinations_to_try": ["FFLL"], "forbidden_usernames": ["JEHA"], "remove_vowels": false}`}
	code, out, errOut := runUsernameCmd(t, env, "Jens", "Hansen")
	if code != exitError || !strings.Contains(out, "Generator:  USERNAME_GENERATOR setting (inline JSON)") ||
		!strings.Contains(out, `"jeha" is on the forbidden list`) {
		t.Fatalf("code %d\n%s\n%s", code, out, errOut)
	}
	gen := writeFile(t, "gen.json", `{"username_generator": {"combinations_to_try": ["FFLL"]}}`)
	code, out, errOut = runUsernameCmd(t, map[string]string{"USERNAME_GENERATOR": gen}, "Jens", "Hansen")
	if code != exitOK || !strings.Contains(out, "Username for Jens Hansen: jeha") || !strings.Contains(out, "(file "+gen+")") {
		t.Fatalf("code %d\n%s\n%s", code, out, errOut)
	}
	// --generator wins over the setting.
	flagGen := writeFile(t, "flag.json", `{"combinations_to_try": ["FLL"]}`)
	code, out, _ = runUsernameCmd(t, map[string]string{"USERNAME_GENERATOR": gen}, "--generator", flagGen, "Jens", "Hansen")
	if code != exitOK || !strings.Contains(out, ": jha ") || !strings.Contains(out, "Generator:  --generator "+flagGen) {
		t.Fatalf("code %d\n%s", code, out)
	}
}

func TestUsernameCommandHelp(t *testing.T) {
	code, _, errOut := runUsernameCmd(t, nil, "--help")
	if code != exitOK {
		t.Fatalf("code %d", code)
	}
	for _, w := range []string{"Usage: moxsync username", "moxsync username [flags] --employee UUID", "-employee UUID",
		"moxsync username --employee ", "-taken NAMES", "-generator FILE", "-json", "-config FILE", "Examples:", "Exit codes:", "USERNAME_GENERATOR"} {
		if !strings.Contains(errOut, w) {
			t.Errorf("help lacks %q:\n%s", w, errOut)
		}
	}
}

// TestUsernameCommandAD reads taken names and CNs from an in-process AD.
func TestUsernameCommandAD(t *testing.T) {
	srv, err := adtest.New(adtest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	base := srv.BaseDN()
	for dn, attrs := range map[string]map[string][]string{
		"CN=Jens Hansen,CN=Users," + base: {"objectClass": {"user"}, "sAMAccountName": {"JHans"}},
		"CN=Other,CN=Users," + base:       {"objectClass": {"user"}, "sAMAccountName": {"x1"}, "userPrincipalName": {"jhans2@test.local"}},
	} {
		if err := srv.AddEntry(dn, attrs); err != nil {
			t.Fatal(err)
		}
	}
	env := map[string]string{
		"AD_URL": srv.URL(), "AD_BIND_DN": srv.BindDN(), "AD_BIND_PASSWORD": srv.Password(),
		"AD_SEARCH_BASE": base, "AD_NEW_USER_OU": "OU=Nye",
	}
	code, out, errOut := runUsernameCmd(t, env, "Jens", "Hansen")
	if code != exitOK {
		t.Fatalf("code %d\n%s\n%s", code, out, errOut)
	}
	for _, w := range []string{
		"Username for Jens Hansen: jhans3",
		"FLLLL   jhans        ✗ taken in AD",
		"FLLLLX  jhans2       ✗ taken in AD",
		"read from " + srv.URL(),
		"Common name: Jens Hansen_2",
		"DN:          CN=Jens Hansen_2,OU=Nye," + base,
	} {
		if !strings.Contains(out, w) {
			t.Errorf("stdout lacks %q:\n%s", w, out)
		}
	}
	if strings.Contains(out+errOut, srv.Password()) {
		t.Errorf("the bind password appears in the output")
	}

	// AD configured but down: refuse, unless --no-ad.
	srv.Close()
	code, out, errOut = runUsernameCmd(t, env, "Jens", "Hansen")
	if code != exitError || !strings.Contains(errOut, "read taken names from AD") || !strings.Contains(errOut, "--no-ad") {
		t.Fatalf("AD down: code %d\n%s\n%s", code, out, errOut)
	}
	code, out, _ = runUsernameCmd(t, env, "--no-ad", "Jens", "Hansen")
	if code != exitOK || !strings.Contains(out, "jhans  (pattern FLLLL)") || !strings.Contains(out, "not read (--no-ad)") {
		t.Fatalf("--no-ad: code %d\n%s", code, out)
	}
}

// employeeWorld is an in-process MO with a settings file pointing at it,
// for `username --employee`.
type employeeWorld struct {
	ds     *motest.Dataset
	srv    *motest.Server
	ini    string // the settings file
	person *motest.Person
	other  *motest.Person
}

// newEmployeeWorld serves the demo data set with person renamed to
// given/surname and none of its IT users, and writes a settings file whose
// USERNAME_GENERATOR is generator (JSON; "" for the built-in one).
func newEmployeeWorld(t *testing.T, given, surname, generator string) *employeeWorld {
	t.Helper()
	ds := motest.Generate(motest.SizeDemo, 5)
	ds.Rebase(time.Now())
	w := &employeeWorld{ds: ds, person: &ds.People[7], other: &ds.People[8]}
	w.person.GivenName, w.person.Surname = given, surname
	its := ds.ITUsers[:0]
	for _, it := range ds.ITUsers {
		if it.PersonUUID != w.person.UUID {
			its = append(its, it)
		}
	}
	ds.ITUsers = its
	w.srv = motest.NewServer(ds, motest.Options{Now: time.Now})
	hs := w.srv.Start()
	t.Cleanup(hs.Close)
	ini := fmt.Sprintf("[settings]\nOS2MO_SERVICE_URL = %s/service\nOS2MO_API = graphql\nOS2MO_GRAPHQL_VERSION = 29\n"+
		"OS2MO_TOP_UNIT_UUID = %s\nOS2MO_AD_ITSYSTEM = %s\n", hs.URL, ds.TopUnitUUID, motest.ADSystemName)
	if generator != "" {
		ini += "USERNAME_GENERATOR = " + writeFile(t, "gen.json", generator) + "\n"
	}
	w.ini = writeFile(t, "settings.ini", ini)
	return w
}

// addADUser gives p an IT user in MO's Active Directory IT system.
func (w *employeeWorld) addADUser(p *motest.Person, userKey string) {
	w.ds.ITUsers = append(w.ds.ITUsers, motest.ITUser{
		UUID: uuid.NewString(), UserKey: userKey, PersonUUID: p.UUID,
		ITSystemUUID: w.ds.ITSystemByUserKey(motest.ADSystemName).UUID,
		Validity:     engine.Validity{From: w.ds.Today.AddDate(-1, 0, 0)},
	})
	w.srv.Reload()
}

func TestUsernameCommandEmployee(t *testing.T) {
	w := newEmployeeWorld(t, "Søren Åge", "Ølholm", "")
	code, out, errOut := runUsernameCmd(t, nil, "--config", w.ini, "--employee", w.person.UUID)
	if code != exitOK {
		t.Fatalf("code %d\n%s\n%s", code, out, errOut)
	}
	for _, want := range []string{
		"Username for Søren Åge Ølholm: saoel  (pattern F1LLL)",
		fmt.Sprintf(`Person:     MO employee %s; name from MO: given name "Søren Åge", surname "Ølholm"`, w.person.UUID),
		`first "soeren", middle 1 "aage", surname "oelholm"`,
		"Common name: Søren Åge Ølholm",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "already has AD account") {
		t.Errorf("the person has no AD IT user, yet:\n%s", out)
	}

	// The same answer as naming the person, for a person of the data set
	// as generated, in the JSON output.
	p := w.other
	_, byName, _ := runUsernameCmd(t, nil, "--json", "--config", w.ini, p.GivenName, p.Surname)
	code, byUUID, errOut := runUsernameCmd(t, nil, "--json", "--config", w.ini, "--employee", strings.ToUpper(p.UUID))
	if code != exitOK {
		t.Fatalf("code %d\n%s\n%s", code, byUUID, errOut)
	}
	var a, b map[string]any
	if err := json.Unmarshal([]byte(byName), &a); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(byUUID), &b); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"given_name", "surname", "username", "pattern", "parts", "trace", "not_tried", "common_name", "error"} {
		if ja, jb := fmt.Sprint(a[k]), fmt.Sprint(b[k]); ja != jb {
			t.Errorf("%s: by name %s, by --employee %s", k, ja, jb)
		}
	}
	if b["username"] == nil || b["given_name"] != p.GivenName {
		t.Errorf("by --employee:\n%s", byUUID)
	}
	emp, _ := b["employee"].(map[string]any)
	if emp == nil || emp["uuid"] != p.UUID || emp["name_source"] != "MO" || emp["ad_itsystem"] != motest.ADSystemName {
		t.Errorf("employee: %v", b["employee"])
	}
	if taken, _ := b["taken"].(map[string]any); taken["mo_checked"] != true {
		t.Errorf("taken: %v", b["taken"])
	}
	if _, ok := a["employee"]; ok {
		t.Errorf("employee in the output of a run by name:\n%s", byName)
	}
}

// TestUsernameCommandEmployeeMOReserved: with disallow_mo_usernames the
// names MO holds in existing_usernames_itsystem are passed over, except,
// with reuse_old_usernames, those only this person holds.
func TestUsernameCommandEmployeeMOReserved(t *testing.T) {
	tests := []struct {
		reuse bool
		want  []string
	}{
		{true, []string{
			"Username for Xerxes Qvortrup: xqvor  (pattern FLLLL)",
			"FLLLL   xqvor        ✓ chosen",
			"; reuse_old_usernames: the person's own are allowed",
		}},
		{false, []string{
			"Username for Xerxes Qvortrup: xqvor3  (pattern FLLLLX)",
			"FLLLL   xqvor        ✗ reserved in MO",
			"FLLLLX  xqvor2       ✗ reserved in MO",
			"        xqvor3       ✓ chosen",
		}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("reuse=%v", tt.reuse), func(t *testing.T) {
			gen := fmt.Sprintf(`{"combinations_to_try": ["FLLLL", "FLLLLX"], "disallow_mo_usernames": true,
				"existing_usernames_itsystem": %q, "reuse_old_usernames": %v}`, motest.ADSystemName, tt.reuse)
			w := newEmployeeWorld(t, "Xerxes", "Qvortrup", gen)
			w.addADUser(w.person, "xqvor")
			w.addADUser(w.other, "xqvor2")
			code, out, errOut := runUsernameCmd(t, nil, "--config", w.ini, "--employee", w.person.UUID)
			if code != exitOK {
				t.Fatalf("code %d\n%s\n%s", code, out, errOut)
			}
			want := append(tt.want,
				`already has AD account xqvor (IT system "Active Directory" in MO)`,
				`disallow_mo_usernames: `, ` names reserved in MO (IT system "Active Directory")`)
			for _, s := range want {
				if !strings.Contains(out, s) {
					t.Errorf("stdout lacks %q:\n%s", s, out)
				}
			}
			if strings.Contains(out, "does not read MO") {
				t.Errorf("says MO was not read:\n%s", out)
			}
			// By name, MO is not read: the reserved names are not checked.
			_, out, _ = runUsernameCmd(t, nil, "--config", w.ini, "Xerxes", "Qvortrup")
			if !strings.Contains(out, "Username for Xerxes Qvortrup: xqvor  (pattern FLLLL)") || !strings.Contains(out, "does not read MO") {
				t.Errorf("by name:\n%s", out)
			}
		})
	}
}

func TestUsernameCommandEmployeeErrors(t *testing.T) {
	w := newEmployeeWorld(t, "Jens", "Hansen", "")
	unknown := "0b9d2e5c-7a4f-4c1e-8d3b-5f6a7b8c9d0e"
	tests := []struct {
		name    string
		env     map[string]string
		args    []string
		wantErr []string
	}{
		{"unknown uuid", nil, []string{"--config", w.ini, "--employee", unknown},
			[]string{"MO has no person with uuid " + unknown, " people read from "}},
		{"names and --employee", nil, []string{"--config", w.ini, "--employee", w.person.UUID, "Jens", "Hansen"},
			[]string{`give either --employee UUID or GIVEN_NAMES SURNAME, not both (got 2 name argument(s): "Jens" "Hansen")`}},
		{"one name and --employee", nil, []string{"Jens", "--employee", w.person.UUID},
			[]string{`not both (got 1 name argument(s): "Jens")`}},
		{"not a uuid", nil, []string{"--config", w.ini, "--employee", "jens"}, []string{`--employee "jens" is not a UUID`}},
		{"MO not configured", nil, []string{"--employee", w.person.UUID},
			[]string{"--employee reads the person from MO, but OS2MO is not configured", "OS2MO_SERVICE_URL"}},
		{"MO down", map[string]string{"OS2MO_SERVICE_URL": "http://" + refusedAddr(t) + "/service", "OS2MO_TIMEOUT": "2s"},
			[]string{"--employee", w.person.UUID}, []string{"read MO for employee " + w.person.UUID}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runUsernameCmd(t, tt.env, tt.args...)
			if code != exitError {
				t.Errorf("exit code %d, want %d", code, exitError)
			}
			for _, s := range tt.wantErr {
				if !strings.Contains(errOut, s) {
					t.Errorf("stderr lacks %q:\n%s", s, errOut)
				}
			}
			if strings.Contains(out, "Username for") {
				t.Errorf("a username was shown:\n%s", out)
			}
		})
	}

	// --json: the error, and the uuid asked for, in the object.
	code, out, _ := runUsernameCmd(t, nil, "--json", "--config", w.ini, "--employee", unknown)
	var r struct {
		Username *string
		Error    *string
		Employee struct{ UUID string }
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if code != exitError || r.Username != nil || r.Error == nil || !strings.Contains(*r.Error, "no person with uuid "+unknown) || r.Employee.UUID != unknown {
		t.Errorf("code %d\n%s", code, out)
	}
}
