package ad

import (
	"os"
	"testing"
)

// The Samba AD DC of .ci/ad-dc.sh, when AD_LDAP_URL is set.
func init() { serverMakers = append(serverMakers, sambaServer) }

func sambaServer(tb testing.TB) *testServer {
	url := os.Getenv("AD_LDAP_URL")
	if url == "" {
		return nil
	}
	s := &testServer{
		name:     "samba",
		url:      url,
		ldapsURL: os.Getenv("AD_LDAPS_URL"),
		bindDN:   os.Getenv("AD_BIND"),
		password: os.Getenv("AD_PASS"),
		base:     os.Getenv("AD_BASE_DN"),
		upnRealm: "test.local",
	}
	s.bindDN2 = "CN=Administrator,CN=Users," + s.base
	if f := os.Getenv("AD_CA_FILE"); f != "" {
		pem, err := os.ReadFile(f)
		if err != nil {
			tb.Fatalf("AD_CA_FILE: %v", err)
		}
		s.caPEM = pem
	}
	return s
}
