package motest

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
)

type authResult int

const (
	authOK authResult = iota
	authMissing
	authBad
)

// authenticate checks the SESSION header and the Bearer token. Without
// RequireAuth every request passes.
func (s *Server) authenticate(r *http.Request) (authResult, string) {
	if !s.opts.RequireAuth {
		return authOK, ""
	}
	if sess := r.Header.Get("Session"); sess != "" {
		if slices.Contains(s.opts.SessionTokens, sess) {
			return authOK, ""
		}
		return authBad, "Invalid session"
	}
	h := r.Header.Get("Authorization")
	if h == "" {
		return authMissing, ""
	}
	scheme, tok, _ := strings.Cut(h, " ")
	if !strings.EqualFold(scheme, "Bearer") || tok == "" {
		return authMissing, ""
	}
	if slices.Contains(s.opts.Tokens, tok) {
		return authOK, ""
	}
	s.tokMu.Lock()
	exp, ok := s.issued[tok]
	s.tokMu.Unlock()
	switch {
	case !ok:
		return authBad, "Invalid token"
	case !time.Now().Before(exp):
		return authBad, "Signature has expired."
	}
	return authOK, ""
}

// serveToken is Keycloak's token endpoint for the client_credentials grant:
// POST /auth/realms/{realm}/protocol/openid-connect/token. Tokens are
// JWT-shaped (header.payload.signature, base64url) with exp, iat, azp, uuid
// and realm_access.roles claims, but the signature is random: the server
// recognises the tokens it issued, it does not verify signatures.
func (s *Server) serveToken(w http.ResponseWriter, r *http.Request) {
	rest := strings.TrimPrefix(r.URL.Path, "/auth/realms/")
	realm, tail, _ := strings.Cut(rest, "/")
	if s.opts.ClientID == "" || realm == "" || tail != "protocol/openid-connect/token" {
		writeJSON(w, http.StatusNotFound, map[string]any{"error": "Realm does not exist"})
		return
	}
	if r.Method != http.MethodPost {
		writeJSON(w, http.StatusMethodNotAllowed, map[string]any{"error": "HTTP 405 Method Not Allowed"})
		return
	}
	if err := r.ParseForm(); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": "invalid_request", "error_description": "Invalid form"})
		return
	}
	id, secret := r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	if u, p, ok := r.BasicAuth(); ok {
		id, secret = u, p
	}
	if gt := r.PostForm.Get("grant_type"); gt != "client_credentials" {
		if gt == "" {
			writeJSON(w, http.StatusBadRequest, map[string]any{"error": "invalid_request", "error_description": "Missing form parameter: grant_type"})
			return
		}
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": "unsupported_grant_type", "error_description": "Unsupported grant_type"})
		return
	}
	if id != s.opts.ClientID {
		writeJSON(w, http.StatusUnauthorized, map[string]any{"error": "invalid_client", "error_description": "Invalid client or Invalid client credentials"})
		return
	}
	if secret != s.opts.ClientSecret {
		writeJSON(w, http.StatusUnauthorized, map[string]any{"error": "unauthorized_client", "error_description": "Invalid client or Invalid client credentials"})
		return
	}
	now := time.Now()
	ttl := s.opts.TokenTTL
	claims := map[string]any{
		"exp": now.Add(ttl).Unix(), "iat": now.Unix(), "jti": uuid.NewString(),
		"iss": "http://" + r.Host + "/auth/realms/" + realm, "azp": id, "typ": "Bearer",
		"uuid":         uuid.NewSHA1(uuid.NameSpaceURL, []byte(id)).String(),
		"realm_access": map[string]any{"roles": []string{"service_api", "admin", "reader"}},
	}
	tok := jwtShaped(claims)
	s.tokMu.Lock()
	s.issued[tok] = now.Add(ttl)
	s.tokMu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{
		"access_token": tok, "expires_in": int(ttl / time.Second), "refresh_expires_in": 0,
		"token_type": "Bearer", "not-before-policy": 0, "scope": "email profile",
	})
}

func jwtShaped(claims map[string]any) string {
	enc := base64.RawURLEncoding
	h, _ := json.Marshal(map[string]string{"alg": "RS256", "typ": "JWT"})
	p, _ := json.Marshal(claims)
	sig := make([]byte, 32)
	rand.Read(sig)
	return enc.EncodeToString(h) + "." + enc.EncodeToString(p) + "." + enc.EncodeToString(sig)
}
