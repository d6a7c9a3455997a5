package mo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// errAuthServer marks a failure to get a token from Keycloak.
var errAuthServer = errors.New("token request failed")

// renewBefore is how long before its expiry a token is replaced.
const renewBefore = 30 * time.Second

// tokenSource gets and caches a Keycloak access token by the client
// credentials grant, renewing it before it expires.
type tokenSource struct {
	endpoint     string // .../realms/{realm}/protocol/openid-connect/token
	clientID     string
	clientSecret string
	hc           *http.Client
	timeout      time.Duration
	now          func() time.Time

	mu      sync.Mutex
	token   string
	expires time.Time
	fetches int // tokens fetched, for tests
}

func newTokenSource(cfg Config, hc *http.Client) *tokenSource {
	return &tokenSource{
		endpoint:     cfg.AuthServer + "/realms/" + url.PathEscape(cfg.Realm) + "/protocol/openid-connect/token",
		clientID:     cfg.ClientID,
		clientSecret: cfg.ClientSecret,
		hc:           hc,
		timeout:      cfg.Timeout,
		now:          time.Now, // token lifetimes are wall-clock, not Config.Now
	}
}

// Token returns a valid access token, fetching a new one when there is none,
// when it expires within renewBefore, or when it equals stale (the token a
// request was just refused with).
func (s *tokenSource) Token(ctx context.Context, stale string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.token != "" && s.token != stale && s.now().Before(s.expires.Add(-renewBefore)) {
		return s.token, nil
	}
	tok, life, err := s.fetch(ctx)
	if err != nil {
		return "", err
	}
	s.token, s.expires = tok, s.now().Add(life)
	s.fetches++
	return tok, nil
}

func (s *tokenSource) fetch(ctx context.Context) (string, time.Duration, error) {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {s.clientID}, "client_secret": {s.clientSecret}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.endpoint, strings.NewReader(form.Encode()))
	if err != nil {
		return "", 0, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	resp, err := s.hc.Do(req)
	if err != nil {
		return "", 0, fmt.Errorf("token request: %w", err) // network: unavailable
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return "", 0, fmt.Errorf("token request: %w", err)
	}
	var tr struct {
		AccessToken string `json:"access_token"`
		ExpiresIn   int    `json:"expires_in"`
		Error       string `json:"error"`
		Description string `json:"error_description"`
	}
	jerr := json.Unmarshal(body, &tr)
	if resp.StatusCode >= 500 {
		return "", 0, fmt.Errorf("token request: %w", &APIError{Status: resp.StatusCode, Message: snippet(body)})
	}
	if resp.StatusCode != http.StatusOK {
		if jerr == nil && tr.Error != "" {
			// Keycloak: {"error":"unauthorized_client","error_description":"Invalid client secret"}
			return "", 0, fmt.Errorf("%w: HTTP %d: %s: %s", errAuthServer, resp.StatusCode, tr.Error, tr.Description)
		}
		return "", 0, fmt.Errorf("%w: HTTP %d: %s", errAuthServer, resp.StatusCode, snippet(body))
	}
	if jerr != nil || tr.AccessToken == "" {
		return "", 0, fmt.Errorf("%w: %w: no access_token in answer", errAuthServer, errMalformed)
	}
	life := time.Duration(tr.ExpiresIn) * time.Second
	if life <= 0 {
		life = 60 * time.Second
	}
	return tr.AccessToken, life, nil
}
