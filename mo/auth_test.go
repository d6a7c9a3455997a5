package mo

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"moxsync/engine"
)

// keycloak is a token endpoint for the client credentials grant that also
// guards a GraphQL handler: only the newest issued, unrevoked token passes.
type keycloak struct {
	mu      sync.Mutex
	issued  int
	valid   map[string]bool
	ttl     int // expires_in
	secret  string
	lastErr string
}

func (k *keycloak) token(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil || r.PostForm.Get("grant_type") != "client_credentials" {
		writeJSON(w, 400, `{"error": "unsupported_grant_type"}`)
		return
	}
	if r.PostForm.Get("client_id") != "moxsync" || r.PostForm.Get("client_secret") != k.secret {
		writeJSON(w, 401, `{"error": "unauthorized_client", "error_description": "Invalid client or Invalid client credentials"}`)
		return
	}
	k.mu.Lock()
	k.issued++
	tok := fmt.Sprintf("token-%d", k.issued)
	k.valid[tok] = true
	k.mu.Unlock()
	writeJSON(w, 200, fmt.Sprintf(`{"access_token": %q, "expires_in": %d, "token_type": "Bearer", "scope": "profile email"}`, tok, k.ttl))
}

func (k *keycloak) guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tok, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		k.mu.Lock()
		ok := k.valid[tok]
		k.mu.Unlock()
		if !ok {
			writeJSON(w, 200, `{"data": null, "errors": [{"message": "User is not authenticated", "path": ["org"]}]}`)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (k *keycloak) revokeAll() {
	k.mu.Lock()
	defer k.mu.Unlock()
	for t := range k.valid {
		k.valid[t] = false
	}
}

func newKeycloakClient(t *testing.T, k *keycloak, secret string) (*Client, *fixtureGraphQL) {
	t.Helper()
	fx := newFixtureGraphQL(t)
	mux := http.NewServeMux()
	mux.HandleFunc("POST /auth/realms/mo/protocol/openid-connect/token", k.token)
	mux.Handle("/graphql/v22", k.guard(fx))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	c, err := New(Config{ServiceURL: srv.URL + "/service", GraphQLVersion: 22, ClientID: "moxsync", ClientSecret: secret,
		Now: func() time.Time { return fixtureNow }, RetryBackoff: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	return c, fx
}

// TestTokenRenewedWhenRefused: a token MO no longer accepts is replaced once,
// and the request goes through.
func TestTokenRenewedWhenRefused(t *testing.T) {
	k := &keycloak{valid: map[string]bool{}, ttl: 300, secret: "right"}
	c, _ := newKeycloakClient(t, k, "right")
	ctx := context.Background()
	if err := c.Probe(ctx); err != nil {
		t.Fatal(err)
	}
	if err := c.Probe(ctx); err != nil || k.issued != 1 {
		t.Fatalf("second probe: err %v, tokens %d; want the cached token", err, k.issued)
	}
	k.revokeAll() // e.g. Keycloak restarted
	if err := c.Probe(ctx); err != nil {
		t.Fatalf("after revocation: %v", err)
	}
	if k.issued != 2 {
		t.Errorf("tokens issued = %d, want 2", k.issued)
	}
	if s, err := c.Snapshot(ctx); err != nil || len(s.People) != 3 {
		t.Fatalf("snapshot with renewed token: %v", err)
	}
}

// TestTokenRenewedBeforeExpiry: a token is replaced before it expires,
// without waiting for MO to refuse it.
func TestTokenRenewedBeforeExpiry(t *testing.T) {
	k := &keycloak{valid: map[string]bool{}, ttl: 300, secret: "right"}
	c, _ := newKeycloakClient(t, k, "right")
	clock := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	c.tokens.now = func() time.Time { return clock }
	ctx := context.Background()
	for _, step := range []struct {
		advance time.Duration
		want    int
	}{
		{0, 1},
		{4 * time.Minute, 1},               // 60 s left: still good
		{31 * time.Second, 2},              // 29 s left: renewed
		{300*time.Second - renewBefore, 3}, // renewed again exactly at the margin
	} {
		clock = clock.Add(step.advance)
		if err := c.Probe(ctx); err != nil {
			t.Fatal(err)
		}
		if k.issued != step.want {
			t.Fatalf("after +%v: tokens issued = %d, want %d", step.advance, k.issued, step.want)
		}
	}
}

// TestTokenRefused: wrong client credentials are an auth error that says
// what Keycloak said and never shows the secret.
func TestTokenRefused(t *testing.T) {
	k := &keycloak{valid: map[string]bool{}, ttl: 300, secret: "right"}
	c, _ := newKeycloakClient(t, k, "wrong-secret-value")
	err := c.Probe(context.Background())
	if engine.KindOf(err) != engine.KindAuth {
		t.Fatalf("err = %v, want an auth error", err)
	}
	for _, want := range []string{"unauthorized_client", "Invalid client", "HTTP 401"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%q does not say %q", err, want)
		}
	}
	if strings.Contains(err.Error(), "wrong-secret-value") {
		t.Errorf("error shows the secret: %v", err)
	}
}
