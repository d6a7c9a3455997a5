package ad_test

import (
	"net"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/go-ldap/ldap/v3"

	"moxsync/settings"
)

// TestRootDSE proves the wiring to the real domain controller that .ci/run
// starts (.ci/ad-dc.sh): LDAPS and StartTLS verified with the CA file through
// settings.TLSConfig, a simple bind, and a rootDSE read.
func TestRootDSE(t *testing.T) {
	if os.Getenv("AD_LDAP_URL") == "" {
		t.Skip("AD_LDAP_URL not set; run .ci/ad-dc.sh and source /tmp/ci-samba-ad/env")
	}
	tests := []struct {
		name     string
		url      string
		startTLS bool
		caBundle string
		wantErr  string // "" = bind and rootDSE read succeed
	}{
		{"LDAPS with the CA file", os.Getenv("AD_LDAPS_URL"), false, os.Getenv("AD_CA_FILE"), ""},
		{"StartTLS with the CA file", os.Getenv("AD_LDAP_URL"), true, os.Getenv("AD_CA_FILE"), ""},
		{"LDAPS with the system pool does not trust the test CA", os.Getenv("AD_LDAPS_URL"), false, "true", "certificate signed by unknown authority"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tc, warn, err := settings.TLSConfig(tt.caBundle)
			if err != nil || warn != "" {
				t.Fatalf("TLSConfig(%q): warning %q, err %v", tt.caBundle, warn, err)
			}
			u, err := url.Parse(tt.url)
			if err != nil {
				t.Fatal(err)
			}
			tc.ServerName = u.Hostname()
			conn, err := ldap.DialURL(tt.url, ldap.DialWithDialer(&net.Dialer{Timeout: 60 * time.Second}), ldap.DialWithTLSConfig(tc))
			if err == nil && tt.startTLS {
				err = conn.StartTLS(tc)
			}
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("connect %s: %v", tt.url, err)
			}
			defer conn.Close()
			conn.SetTimeout(60 * time.Second) // the DC is shared with every other package's tests
			if err := conn.Bind(os.Getenv("AD_BIND"), os.Getenv("AD_PASS")); err != nil {
				t.Fatalf("bind as %s: %v", os.Getenv("AD_BIND"), err)
			}
			res, err := conn.Search(ldap.NewSearchRequest("", ldap.ScopeBaseObject, ldap.NeverDerefAliases, 0, 0, false,
				"(objectClass=*)", []string{"defaultNamingContext", "supportedLDAPVersion", "supportedControl"}, nil))
			if err != nil {
				t.Fatalf("read rootDSE: %v", err)
			}
			if len(res.Entries) != 1 {
				t.Fatalf("rootDSE: %d entries, want 1", len(res.Entries))
			}
			e := res.Entries[0]
			if got, want := e.GetAttributeValue("defaultNamingContext"), os.Getenv("AD_BASE_DN"); !strings.EqualFold(got, want) {
				t.Errorf("defaultNamingContext = %q, want %q", got, want)
			}
			if !contains(e.GetAttributeValues("supportedLDAPVersion"), "3") {
				t.Errorf("supportedLDAPVersion = %q, want 3 among them", e.GetAttributeValues("supportedLDAPVersion"))
			}
			if !contains(e.GetAttributeValues("supportedControl"), ldap.ControlTypePaging) {
				t.Errorf("paged results control (%s) not supported", ldap.ControlTypePaging)
			}
		})
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
