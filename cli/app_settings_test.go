package cli

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLoadSettingsLogsWithoutSecrets checks the wiring every command uses:
// the logger from loadSettings writes to MOX_LOG_FILE at MOX_LOG_LEVEL and
// never writes a secret, whatever a command passes it.
func TestLoadSettingsLogsWithoutSecrets(t *testing.T) {
	dir := t.TempDir()
	logFile := filepath.Join(dir, "logs", "moxsync.log")
	os.Mkdir(filepath.Join(dir, "logs"), 0o700)
	os.WriteFile(filepath.Join(dir, "settings.ini"), []byte("[settings]\nMOX_LOG_LEVEL = 20\nMOX_LOG_FILE = logs/moxsync.log\n"+
		"AD_BIND_PASSWORD = Pw-from-file-1\nOS2MO_SERVICE_URL = https://moxsync:Url-pw-2@mo.kommune.dk/service\n"), 0o600)
	env := map[string]string{"OS2MO_CLIENT_SECRET": "Env-secret-3", "OS2MO_AUTH_SERVER": "https://kc.kommune.dk/auth", "OS2MO_CLIENT_ID": "moxsync"}
	var stderr bytes.Buffer
	a := &app{stdout: &bytes.Buffer{}, stderr: &stderr, getenv: func(k string) string { return env[k] }, cwd: dir, executable: filepath.Join(dir, "moxsync")}
	s, err := a.loadSettings("")
	if err != nil {
		t.Fatal(err)
	}
	log := a.logger()
	log.Debug("below the level", "x", 1)
	log.Info("bind", "dn", "svc", "password", s.AD.BindPassword)
	log.Warn("token request failed: client_secret=" + s.MO.ClientSecret)
	log.Error("GET failed", "err", errors.New("GET "+s.MO.ServiceURL+": refused"))
	a.closeAppLog()
	data, err := os.ReadFile(logFile)
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	for _, secret := range []string{"Pw-from-file-1", "Url-pw-2", "Env-secret-3"} {
		if strings.Contains(text, secret) || strings.Contains(stderr.String(), secret) {
			t.Errorf("secret %q reached the log:\n%s\nstderr: %s", secret, text, stderr.String())
		}
	}
	if strings.Count(text, "\n") != 3 || strings.Contains(text, "below the level") {
		t.Errorf("want exactly the 3 lines at INFO and above:\n%s", text)
	}
	if st, _ := os.Stat(logFile); st.Mode().Perm() != 0o600 {
		t.Errorf("log file mode %v, want 0600", st.Mode().Perm())
	}
	if stderr.Len() != 0 {
		t.Errorf("stderr while logging to a file: %s", stderr.String())
	}
}
