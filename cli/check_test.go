package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fakeMO answers like OS2MO (mo-api.md §1, §2.2) for the calls check makes:
// Keycloak's client-credentials token endpoint, GraphQL `org`, and REST /o/.
func fakeMO(t *testing.T, clientSecret, session string) *httptest.Server {
	t.Helper()
	const jwt = "eyJ-fake-access-token"
	mux := http.NewServeMux()
	mux.HandleFunc("POST /auth/realms/mo/protocol/openid-connect/token", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.PostFormValue("grant_type") != "client_credentials" || r.PostFormValue("client_id") != "moxsync" || r.PostFormValue("client_secret") != clientSecret {
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprint(w, `{"error":"unauthorized_client","error_description":"Invalid client or Invalid client credentials"}`)
			return
		}
		fmt.Fprintf(w, `{"access_token":%q,"expires_in":300,"token_type":"Bearer","scope":"profile email"}`, jwt)
	})
	mux.HandleFunc("POST /graphql/v29", func(w http.ResponseWriter, r *http.Request) {
		var q struct{ Query string }
		if err := json.NewDecoder(r.Body).Decode(&q); err != nil || !strings.Contains(q.Query, "org") {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		if r.Header.Get("Authorization") != "Bearer "+jwt {
			fmt.Fprint(w, `{"data":null,"errors":[{"message":"User is not authenticated","locations":[{"line":1,"column":3}],"path":["org"]}]}`)
			return
		}
		fmt.Fprint(w, `{"data":{"org":{"uuid":"3b866d97-0b1f-48e0-8078-686d96f430b3","name":"Kolding Kommune"}}}`)
	})
	mux.HandleFunc("GET /service/o/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.Header.Get("Session") != session {
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprint(w, `"Not authenticated"`)
			return
		}
		fmt.Fprint(w, `[{"name":"Kolding Kommune","user_key":"Kolding Kommune","uuid":"3b866d97-0b1f-48e0-8078-686d96f430b3"}]`)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// fakeSTS answers like the middleware's base URL: no route there (404), or
// 500 when broken.
func fakeSTS(t *testing.T, status int) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(status)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// refusedAddr is a loopback address where nothing listens.
func refusedAddr(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

type runResult struct {
	code           int
	stdout, stderr string
}

// runIn runs moxsync in-process with dir as the current directory.
func runIn(t *testing.T, dir string, env map[string]string, args ...string) runResult {
	t.Helper()
	var out, errb bytes.Buffer
	a := &app{stdin: strings.NewReader(""), stdout: &out, stderr: &errb,
		getenv: func(k string) string { return env[k] }, cwd: dir, executable: filepath.Join(dir, "bin", "moxsync")}
	code := run(context.Background(), args, a)
	return runResult{code, out.String(), errb.String()}
}

func TestCheck(t *testing.T) {
	const (
		clientSecret = "kc-S3cret-value"
		session      = "saml-Session-token-42"
		apiKey       = "sts-ApiKey-99"
		adPassword   = "ad-Passw0rd-unused"
	)
	mo := fakeMO(t, clientSecret, session)
	sts404 := fakeSTS(t, http.StatusNotFound)
	sts500 := fakeSTS(t, http.StatusInternalServerError)
	dead := refusedAddr(t)
	tests := []struct {
		name     string
		ini      string
		env      map[string]string
		wantCode int
		want     []string // lines (substrings) in stdout
	}{
		{"nothing configured", "", nil, exitOK, []string{
			"MO          not configured  set OS2MO_SERVICE_URL",
			"AD          not configured  set AD_URL",
			"STSOrgSync  not configured  set STSORGSYNC_API_URL",
			"No system is configured yet",
		}},
		{"GraphQL with Keycloak, STS answers 404", "OS2MO_SERVICE_URL = " + mo.URL + "/service\nOS2MO_AUTH_SERVER = " + mo.URL + "/auth\n" +
			"OS2MO_CLIENT_ID = moxsync\nSTSORGSYNC_API_URL = " + sts404.URL + "/api/v1_1\nSTSORGSYNC_API_KEY = " + apiKey + "\n",
			map[string]string{"OS2MO_CLIENT_SECRET": clientSecret}, exitOK, []string{
				"OS2MO_CLIENT_SECRET             environment  ********",
				"STSORGSYNC_API_KEY              line 7       ********",
				"MO          ok              GraphQL " + mo.URL + "/graphql/v29 answered, Keycloak client moxsync, organisation \"Kolding Kommune\"",
				"STSOrgSync  ok              " + sts404.URL + "/api/v1_1 answered HTTP 404",
				"All 2 configured systems answered.",
			}},
		{"Keycloak refuses the secret", "OS2MO_SERVICE_URL = " + mo.URL + "/service\nOS2MO_AUTH_SERVER = " + mo.URL + "/auth\n" +
			"OS2MO_CLIENT_ID = moxsync\nOS2MO_CLIENT_SECRET = wrong-" + clientSecret + "\n", nil, exitError, []string{
			"MO          FAILED          Keycloak token from " + mo.URL + "/auth/realms/mo/protocol/openid-connect/token: HTTP 401: unauthorized_client Invalid client or Invalid client credentials",
		}},
		{"GraphQL without credentials", "OS2MO_SERVICE_URL = " + mo.URL + "/service\n", nil, exitError, []string{
			"MO          FAILED          POST " + mo.URL + "/graphql/v29: GraphQL error: User is not authenticated",
			"1 of 1 configured system did not answer.",
		}},
		{"REST with SESSION token", "OS2MO_API = rest\nOS2MO_SERVICE_URL = " + mo.URL + "/service\nOS2MO_SAML_TOKEN = " + session + "\n", nil, exitOK, []string{
			"OS2MO_SAML_TOKEN                line 5       ********",
			"MO          ok              REST " + mo.URL + "/service/o/ answered, SESSION token, organisation Kolding Kommune",
		}},
		{"REST with a wrong token", "OS2MO_API = rest\nOS2MO_SERVICE_URL = " + mo.URL + "/service\nOS2MO_SAML_TOKEN = nope\n", nil, exitError, []string{
			"MO          FAILED          GET " + mo.URL + "/service/o/: HTTP 401: \"Not authenticated\"",
		}},
		{"MO where nothing listens", "OS2MO_SERVICE_URL = http://" + dead + "/service\n", nil, exitError, []string{
			"MO          FAILED          POST http://" + dead + "/graphql/v29: nothing listens at " + dead + " (connection refused)",
		}},
		{"STS answers 500", "STSORGSYNC_API_URL = " + sts500.URL + "/api/v1_1\n", nil, exitError, []string{
			"STSOrgSync  FAILED          GET " + sts500.URL + "/api/v1_1: HTTP 500: (empty body)",
		}},
		{"AD where nothing listens", "AD_URL = ldap://" + dead + "\nAD_START_TLS = true\nAD_BIND_DN = svc@k.local\nAD_BIND_PASSWORD = " + adPassword + "\nAD_SEARCH_BASE = DC=k,DC=local\n", nil, exitError, []string{
			"AD          FAILED          connect to ldap://" + dead + ": nothing listens at " + dead + " (connection refused)",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			logFile := filepath.Join(dir, "moxsync.log")
			if err := os.WriteFile(filepath.Join(dir, "settings.ini"), []byte("[settings]\nMOX_LOG_FILE = "+logFile+"\n"+tt.ini), 0o600); err != nil {
				t.Fatal(err)
			}
			r := runIn(t, dir, tt.env, "check", "--timeout", "3s", "--quick")
			if r.code != tt.wantCode {
				t.Errorf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, tt.wantCode, r.stdout, r.stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(r.stdout, w) {
					t.Errorf("stdout lacks %q:\n%s", w, r.stdout)
				}
			}
			logData, _ := os.ReadFile(logFile)
			for _, secret := range []string{clientSecret, session, apiKey, adPassword} {
				for where, text := range map[string]string{"stdout": r.stdout, "stderr": r.stderr, "log": string(logData)} {
					if strings.Contains(text, secret) {
						t.Errorf("secret %q in %s:\n%s", secret, where, text)
					}
				}
			}
		})
	}
}

func TestCheckSettingsErrors(t *testing.T) {
	tests := []struct {
		name       string
		ini        string // "" = no settings.ini
		env        map[string]string
		wantStderr string // exact
	}{
		{"mistyped key", "[settings]\nMOX_LOG_LEVLE = 20\n", nil,
			"moxsync: invalid settings in DIR/settings.ini (1 problem):\n" +
				"  - DIR/settings.ini:2: MOX_LOG_LEVLE: unknown key; did you mean MOX_LOG_LEVEL?\n" +
				"Every key is documented in settings.ini.example.\n"},
		{"MOX_MO_CONFIG names a missing file", "[settings]\n", map[string]string{"MOX_MO_CONFIG": "/nonexistent/moxsync.ini"},
			"moxsync: settings file /nonexistent/moxsync.ini (named by MOX_MO_CONFIG) does not exist\n"},
		{"secret never echoed", "[settings]\nAD_BIND_PASWORD = Hunter2-secret\n", nil,
			"moxsync: invalid settings in DIR/settings.ini (1 problem):\n" +
				"  - DIR/settings.ini:2: AD_BIND_PASWORD: unknown key; did you mean AD_BIND_PASSWORD?\n" +
				"Every key is documented in settings.ini.example.\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if tt.ini != "" {
				os.WriteFile(filepath.Join(dir, "settings.ini"), []byte(tt.ini), 0o600)
			}
			r := runIn(t, dir, tt.env, "check")
			if r.code != exitError {
				t.Errorf("exit %d, want %d", r.code, exitError)
			}
			if want := strings.ReplaceAll(tt.wantStderr, "DIR", dir); r.stderr != want {
				t.Errorf("stderr:\n%s\nwant:\n%s", r.stderr, want)
			}
			if r.stdout != "" {
				t.Errorf("stdout not empty:\n%s", r.stdout)
			}
		})
	}
}

func TestCheckWarnsWhenVerificationIsOff(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "settings.ini"), []byte("[settings]\nSTSORGSYNC_API_URL = https://"+refusedAddr(t)+"/api\nSTSORGSYNC_CA_BUNDLE = false\n"), 0o600)
	r := runIn(t, dir, nil, "check", "--timeout", "1s")
	if !strings.Contains(r.stderr, "moxsync: WARNING: STSORGSYNC_CA_BUNDLE is false or blank: TLS certificates of https://") {
		t.Errorf("no warning on stderr:\n%s", r.stderr)
	}
}

func TestCheckHelp(t *testing.T) {
	r := runIn(t, t.TempDir(), nil, "check", "--help")
	if r.code != exitOK || !strings.Contains(r.stderr, "-config FILE") || !strings.Contains(r.stderr, "-timeout DURATION") ||
		!strings.Contains(r.stderr, "Exit codes:") {
		t.Errorf("exit %d, help:\n%s", r.code, r.stderr)
	}
}

func TestCheckAgainstSamba(t *testing.T) {
	if os.Getenv("AD_LDAP_URL") == "" {
		t.Skip("AD_LDAP_URL not set (see .ci/ad-dc.sh)")
	}
	base := "AD_BIND_DN = " + os.Getenv("AD_BIND") + "\nAD_SEARCH_BASE = " + os.Getenv("AD_BASE_DN") + "\n"
	tests := []struct {
		name, ini string
		env       map[string]string
		wantCode  int
		want      string
	}{
		{"LDAPS with the CA file", "AD_URL = " + os.Getenv("AD_LDAPS_URL") + "\nAD_CA_BUNDLE = " + os.Getenv("AD_CA_FILE") + "\n" + base,
			map[string]string{"AD_BIND_PASSWORD": os.Getenv("AD_PASS")}, exitOK, "AD          ok              " + os.Getenv("AD_LDAPS_URL") + " bound as " + os.Getenv("AD_BIND") + "; domain " + os.Getenv("AD_BASE_DN")},
		{"StartTLS with the CA file", "AD_URL = " + os.Getenv("AD_LDAP_URL") + "\nAD_START_TLS = true\nAD_CA_BUNDLE = " + os.Getenv("AD_CA_FILE") + "\n" + base,
			map[string]string{"AD_BIND_PASSWORD": os.Getenv("AD_PASS")}, exitOK, "AD          ok              "},
		{"StartTLS with the system pool", "AD_URL = " + os.Getenv("AD_LDAP_URL") + "\nAD_START_TLS = true\n" + base,
			map[string]string{"AD_BIND_PASSWORD": os.Getenv("AD_PASS")}, exitError, "certificate signed by unknown authority"},
		// A wrong password for an account that does not exist: AD answers as for
		// any bad password, without counting a bad-password attempt on a real
		// account (that is a write, slow while other tests write, and could lock
		// the account out under a lockout policy).
		{"wrong credentials", "AD_URL = " + os.Getenv("AD_LDAPS_URL") + "\nAD_CA_BUNDLE = " + os.Getenv("AD_CA_FILE") + "\n" +
			"AD_BIND_DN = moxsync-no-such-user@" + strings.TrimPrefix(strings.ToUpper(os.Getenv("AD_BIND")), "ADMINISTRATOR@") + "\nAD_SEARCH_BASE = " + os.Getenv("AD_BASE_DN") + "\n",
			map[string]string{"AD_BIND_PASSWORD": "wrong-Passw0rd"}, exitError, `: LDAP Result Code 49 "Invalid Credentials": 80090308`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			// Generous timeouts: the DC is shared with every other package's tests.
			os.WriteFile(filepath.Join(dir, "settings.ini"), []byte("[settings]\nMOX_LOG_LEVEL = 40\nAD_TIMEOUT = 60s\n"+tt.ini), 0o600)
			r := runIn(t, dir, tt.env, "check", "--timeout", "60s", "--quick")
			if r.code != tt.wantCode || !strings.Contains(r.stdout, tt.want) {
				t.Errorf("exit %d (want %d), stdout lacks %q:\n%s\n%s", r.code, tt.wantCode, tt.want, r.stdout, r.stderr)
			}
			if p := tt.env["AD_BIND_PASSWORD"]; strings.Contains(r.stdout+r.stderr, p) {
				t.Errorf("password in output")
			}
		})
	}
}
