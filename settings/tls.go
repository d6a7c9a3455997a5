package settings

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net/http"
	"os"
	"strings"
	"time"
)

// InsecureWarning is the warning TLSConfig returns for "false" or blank.
const InsecureWarning = "TLS certificate verification is OFF (CA bundle is false or blank): anyone on the network path can impersonate the server"

// TLSConfig turns a *_CA_BUNDLE value into a TLS configuration: "true" uses
// the system's CA pool; "false" or blank skips verification and returns a
// warning that must be shown on every run; anything else is a PEM file of CA
// certificates (missing, unreadable or certificate-free is an error). Every
// HTTP and LDAP client builds its TLS configuration here.
func TLSConfig(value string) (*tls.Config, string, error) {
	v := strings.TrimSpace(value)
	switch strings.ToLower(v) {
	case "true":
		return &tls.Config{MinVersion: tls.VersionTLS12}, "", nil
	case "", "false":
		return &tls.Config{MinVersion: tls.VersionTLS12, InsecureSkipVerify: true}, InsecureWarning, nil //nolint:gosec // the operator asked for it; warned on every run
	}
	if err := checkPEM(v); err != nil {
		return nil, "", fmt.Errorf("CA bundle: %w", err)
	}
	data, err := os.ReadFile(v)
	if err != nil {
		return nil, "", fmt.Errorf("CA bundle: read %s: %w", v, err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(data) {
		return nil, "", fmt.Errorf("CA bundle: %s holds no PEM certificate", v)
	}
	return &tls.Config{MinVersion: tls.VersionTLS12, RootCAs: pool}, "", nil
}

// HTTPClient returns an HTTP client whose TLS follows caBundle (see
// TLSConfig) and whose requests time out after timeout (0 = none).
func HTTPClient(caBundle string, timeout time.Duration) (*http.Client, string, error) {
	tc, warn, err := TLSConfig(caBundle)
	if err != nil {
		return nil, "", err
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = tc
	return &http.Client{Transport: tr, Timeout: timeout}, warn, nil
}

// Warnings lists what the operator must be told on every run: certificate
// verification switched off for a configured system that uses TLS, and an
// AD bind password that would travel unencrypted.
func (s *Settings) Warnings() []string {
	var out []string
	insecure := func(key, bundle, rawURL string, tlsUsed bool) {
		if tlsUsed && (bundle == "" || bundle == "false") {
			out = append(out, fmt.Sprintf("%s is false or blank: TLS certificates of %s are NOT verified", key, rawURL))
		}
	}
	if s.MO.Configured() {
		insecure("OS2MO_CA_BUNDLE", s.MO.CABundle, s.MO.ServiceURL, strings.HasPrefix(s.MO.ServiceURL, "https:") || strings.HasPrefix(s.MO.GraphQLURL, "https:") || strings.HasPrefix(s.MO.AuthServer, "https:"))
	}
	if s.STS.Configured() {
		insecure("STSORGSYNC_CA_BUNDLE", s.STS.CABundle, s.STS.APIURL, strings.HasPrefix(s.STS.APIURL, "https:"))
	}
	if s.AD.Configured() {
		ldaps := strings.HasPrefix(s.AD.URL, "ldaps:")
		insecure("AD_CA_BUNDLE", s.AD.CABundle, s.AD.URL, ldaps || s.AD.StartTLS)
		if !ldaps && !s.AD.StartTLS {
			out = append(out, "AD_URL is ldap:// and AD_START_TLS is false: the AD bind password travels UNENCRYPTED")
		}
	}
	return out
}
