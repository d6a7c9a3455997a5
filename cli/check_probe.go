package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"moxsync/engine"
	"moxsync/settings"
	"moxsync/wiring"
)

// probe is one system `check` tries. Later issues extend a probe's run with
// full reads and counts; run returns a one-line summary of what answered.
type probe struct {
	system     string
	configured func(s *settings.Settings) bool
	run        func(ctx context.Context, s *settings.Settings) (string, error)
}

func probes() []probe {
	return []probe{
		{"MO", func(s *settings.Settings) bool { return s.MO.Configured() }, probeMO},
		{"AD", func(s *settings.Settings) bool { return s.AD.Configured() }, probeAD},
		{"STSOrgSync", func(s *settings.Settings) bool { return s.STS.Configured() }, probeSTS},
	}
}

// probeMO asks OS2MO for its organisation with the configured credentials
// (Keycloak client credentials, else the SAML/session token): over GraphQL
// `{ org { uuid name } }`, over REST GET <service>/o/.
func probeMO(ctx context.Context, s *settings.Settings) (string, error) {
	client, _, err := settings.HTTPClient(s.MO.CABundle, 0)
	if err != nil {
		return "", fmt.Errorf("OS2MO_CA_BUNDLE: %w", err)
	}
	header := http.Header{}
	auth := "no authentication"
	switch {
	case s.MO.AuthServer != "":
		tok, err := keycloakToken(ctx, client, s.MO)
		if err != nil {
			return "", err
		}
		header.Set("Authorization", "Bearer "+tok)
		auth = "Keycloak client " + s.MO.ClientID
	case s.MO.SAMLToken != "":
		header.Set("SESSION", s.MO.SAMLToken)
		auth = "SESSION token"
	}
	if s.MO.API == "rest" {
		u := s.MO.ServiceURL + "/o/"
		status, body, err := httpDo(ctx, client, http.MethodGet, u, header, nil)
		if err != nil {
			return "", err
		}
		if status != http.StatusOK {
			return "", fmt.Errorf("GET %s: HTTP %d: %s", u, status, snippet(body))
		}
		var orgs []struct {
			UUID string `json:"uuid"`
			Name string `json:"name"`
		}
		if err := json.Unmarshal(body, &orgs); err != nil {
			return "", fmt.Errorf("GET %s: not the JSON list of organisations OS2MO sends: %w", u, err)
		}
		names := make([]string, len(orgs))
		for i, o := range orgs {
			names[i] = o.Name
		}
		return fmt.Sprintf("REST %s answered, %s, organisation %s", u, auth, strings.Join(names, ", ")), nil
	}
	u := s.MO.GraphQLURL
	header.Set("Content-Type", "application/json")
	status, body, err := httpDo(ctx, client, http.MethodPost, u, header, []byte(`{"query":"{ org { uuid name } }"}`))
	if err != nil {
		return "", err
	}
	var resp struct {
		Data *struct {
			Org *struct {
				UUID string `json:"uuid"`
				Name string `json:"name"`
			} `json:"org"`
		} `json:"data"`
		Errors []struct {
			Message string `json:"message"`
		} `json:"errors"`
	}
	if status != http.StatusOK {
		return "", fmt.Errorf("POST %s: HTTP %d: %s", u, status, snippet(body))
	}
	if err := json.Unmarshal(body, &resp); err != nil {
		return "", fmt.Errorf("POST %s: not a GraphQL answer: %w", u, err)
	}
	if len(resp.Errors) > 0 {
		return "", fmt.Errorf("POST %s: GraphQL error: %s", u, resp.Errors[0].Message)
	}
	if resp.Data == nil || resp.Data.Org == nil {
		return "", fmt.Errorf("POST %s: GraphQL answer without org", u)
	}
	return fmt.Sprintf("GraphQL %s answered, %s, organisation %q", u, auth, resp.Data.Org.Name), nil
}

// keycloakToken gets an access token with the client-credentials grant.
func keycloakToken(ctx context.Context, client *http.Client, mo settings.MO) (string, error) {
	u := mo.TokenURL()
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {mo.ClientID}, "client_secret": {mo.ClientSecret}}
	h := http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}
	status, body, err := httpDo(ctx, client, http.MethodPost, u, h, []byte(form.Encode()))
	if err != nil {
		return "", fmt.Errorf("Keycloak token: %w", err)
	}
	var tok struct {
		AccessToken string `json:"access_token"`
		Error       string `json:"error"`
		Description string `json:"error_description"`
	}
	_ = json.Unmarshal(body, &tok)
	switch {
	case status == http.StatusOK && tok.AccessToken != "":
		return tok.AccessToken, nil
	case tok.Error != "":
		return "", fmt.Errorf("Keycloak token from %s: HTTP %d: %s %s", u, status, tok.Error, tok.Description)
	}
	return "", fmt.Errorf("Keycloak token from %s: HTTP %d: %s", u, status, snippet(body))
}

// probeSTS sends GET to the STSOrgSync base URL; any HTTP answer below 500
// means the middleware is there.
func probeSTS(ctx context.Context, s *settings.Settings) (string, error) {
	client, _, err := settings.HTTPClient(s.STS.CABundle, 0)
	if err != nil {
		return "", fmt.Errorf("STSORGSYNC_CA_BUNDLE: %w", err)
	}
	h := http.Header{}
	if s.STS.Municipality != "" {
		h.Set("CVR", s.STS.Municipality)
	}
	if s.STS.APIKey != "" {
		h.Set("apiKey", s.STS.APIKey)
	}
	status, body, err := httpDo(ctx, client, http.MethodGet, s.STS.APIURL, h, nil)
	if err != nil {
		return "", err
	}
	if status >= 500 {
		return "", fmt.Errorf("GET %s: HTTP %d: %s", s.STS.APIURL, status, snippet(body))
	}
	return fmt.Sprintf("%s answered HTTP %d", s.STS.APIURL, status), nil
}

// probeAD connects and binds with the AD adapter (wiring.DialAD: LDAPS or
// StartTLS with the CA helper), then checks the rootDSE, the paged-results
// control, the search base and the OU for new users (ad.Directory.Probe).
func probeAD(ctx context.Context, s *settings.Settings) (string, error) {
	d, err := wiring.DialAD(ctx, s, nil)
	if err != nil {
		return "", explainADErr(s.AD.URL, err)
	}
	defer d.Close()
	info, err := d.Probe(ctx)
	if err != nil {
		return "", explainADErr(s.AD.URL, err)
	}
	line := fmt.Sprintf("%s bound as %s; domain %s on %s", s.AD.URL, s.AD.BindDN,
		info.DefaultNamingContext, info.DNSHostName)
	schema, err := d.ReadSchema(ctx)
	if err != nil {
		return "", explainADErr(s.AD.URL, err)
	}
	schemaLine, err := mappingAgainstSchema(s, schema)
	return line + "; " + schemaLine, err
}

// mappingAgainstSchema checks AD_MAPPING against AD's schema for check's
// AD line; a mapping that does not fit is a *mappingMismatch.
func mappingAgainstSchema(s *settings.Settings, schema *engine.ADSchema) (string, error) {
	m, err := engine.ParseMapping(s.AD.Mapping)
	if err != nil {
		return "", fmt.Errorf("AD_MAPPING: %w", err)
	}
	n := len(m.Rules)
	line := fmt.Sprintf("schema: %d attributes read", schema.Len())
	if err := m.ValidateSchema(schema); err != nil {
		bad := len(engine.SettingErrors(err))
		return line + fmt.Sprintf(", %d of the %d mapped attributes %s not fit it (AD_MAPPING, see below)", bad, n, pluralS(bad, "does", "do")),
			&mappingMismatch{err}
	}
	return line + fmt.Sprintf(", %s mapped %s known", pluralS(n, "the", fmt.Sprintf("all %d", n)), pluralS(n, "attribute", "attributes")), nil
}

// explainADErr puts network failures in the words of the other probes
// ("connect to URL: nothing listens at …"); other errors of the adapter
// already say what failed.
func explainADErr(url string, err error) error {
	if x, ok := explainNetErr(err).(explained); ok {
		return fmt.Errorf("connect to %s: %w", url, x)
	}
	return err
}

// httpDo sends one request and reads at most 1 MiB of the answer.
func httpDo(ctx context.Context, c *http.Client, method, u string, h http.Header, body []byte) (int, []byte, error) {
	var r io.Reader
	if body != nil {
		r = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, r)
	if err != nil {
		return 0, nil, fmt.Errorf("%s %s: %w", method, u, err)
	}
	for k, v := range h {
		req.Header[k] = v
	}
	resp, err := c.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // url.Error repeats method and URL
		}
		return 0, nil, fmt.Errorf("%s %s: %w", method, u, explainNetErr(err))
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return resp.StatusCode, nil, fmt.Errorf("%s %s: read answer: %w", method, u, err)
	}
	return resp.StatusCode, data, nil
}

// snippet is the start of an answer body, on one line, for error messages.
func snippet(b []byte) string {
	s := strings.Join(strings.Fields(string(b)), " ")
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	if s == "" {
		s = "(empty body)"
	}
	return s
}
