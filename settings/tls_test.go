package settings

import (
	"encoding/pem"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestTLSConfigModes(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // rejected handshakes are the point
	srv.StartTLS()
	defer srv.Close()
	dir := t.TempDir()
	srvPEM := write(t, dir, "server.pem", string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})))
	otherCA := write(t, dir, "other.pem", string(testCAPEM(t)))
	empty := write(t, dir, "empty.pem", "")
	tests := []struct {
		name     string
		value    string
		wantErr  string // substring of the TLSConfig error
		wantWarn bool
		wantGet  string // "" = the GET succeeds, else a substring of its error
	}{
		{"true: system pool rejects a private CA", "true", "", false, "certificate signed by unknown authority"},
		{"TRUE is true", "TRUE", "", false, "certificate signed by unknown authority"},
		{"false: no verification, warned", "false", "", true, ""},
		{"blank: no verification, warned", "", "", true, ""},
		{"PEM file of the server's CA", srvPEM, "", false, ""},
		{"PEM file of another CA", otherCA, "", false, "certificate signed by unknown authority"},
		{"missing file", filepath.Join(dir, "nope.pem"), "does not exist", false, ""},
		{"file without certificate", empty, "holds no PEM certificate", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, warn, err := HTTPClient(tt.value, 5*time.Second)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if (warn != "") != tt.wantWarn {
				t.Errorf("warning = %q, want warning %v", warn, tt.wantWarn)
			}
			resp, err := c.Get(srv.URL)
			if err == nil {
				resp.Body.Close()
			}
			switch {
			case tt.wantGet == "" && err != nil:
				t.Errorf("GET failed: %v", err)
			case tt.wantGet != "" && (err == nil || !strings.Contains(err.Error(), tt.wantGet)):
				t.Errorf("GET err = %v, want %q", err, tt.wantGet)
			}
		})
	}
}

func TestWarnings(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name string
		body string
		want []string
	}{
		{"defaults: nothing configured, nothing to warn", "", nil},
		{"insecure https MO", "OS2MO_SERVICE_URL = https://mo.k.dk/service\nOS2MO_CA_BUNDLE = false",
			[]string{"OS2MO_CA_BUNDLE is false or blank: TLS certificates of https://mo.k.dk/service are NOT verified"}},
		{"blank bundle on plain http: no TLS, no warning", "OS2MO_SERVICE_URL = http://mo.k.dk/service\nOS2MO_CA_BUNDLE =", nil},
		{"insecure STS", "STSORGSYNC_API_URL = https://sts.k.dk/api/v1_1\nSTSORGSYNC_CA_BUNDLE =",
			[]string{"STSORGSYNC_CA_BUNDLE is false or blank: TLS certificates of https://sts.k.dk/api/v1_1 are NOT verified"}},
		{"plain LDAP", "AD_URL = ldap://dc\nAD_BIND_DN = a@b\nAD_SEARCH_BASE = DC=b",
			[]string{"AD_URL is ldap:// and AD_START_TLS is false: the AD bind password travels UNENCRYPTED"}},
		{"LDAPS unverified", "AD_URL = ldaps://dc\nAD_BIND_DN = a@b\nAD_SEARCH_BASE = DC=b\nAD_CA_BUNDLE = false",
			[]string{"AD_CA_BUNDLE is false or blank: TLS certificates of ldaps://dc are NOT verified"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			write(t, dir, "settings.ini", "[settings]\n"+tt.body+"\n")
			s, err := Load(LoadOptions{Cwd: dir})
			if err != nil {
				t.Fatal(err)
			}
			if got := s.Warnings(); strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("Warnings() = %q, want %q", got, tt.want)
			}
		})
	}
}
