package motest

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/google/uuid"
)

// In MO the owner of a listener is the caller's actor: the uuid claim of
// its Keycloak token. The fake derives it from the credential the request
// carries: an issued token's uuid claim (uuid v5 of the client id), a
// fixed token's or session token's own uuid v5, else DefaultActor.

// DefaultActor is the actor of requests without a credential (MO's
// "unknown actor" uuid).
const DefaultActor = "42c432e8-9c4a-11e6-9f62-873cf34a735f"

// ctxActor carries the request's actor to the event resolvers.
const ctxActor ctxKey = 100

// ActorOf returns the actor uuid the fake derives for a Keycloak client id:
// the uuid claim of the tokens its token endpoint issues to that client.
func ActorOf(clientID string) string {
	return uuid.NewSHA1(uuid.NameSpaceURL, []byte(clientID)).String()
}

// actor derives the request's actor from its credential.
func actor(r *http.Request) string {
	if sess := r.Header.Get("Session"); sess != "" {
		return uuid.NewSHA1(uuid.NameSpaceURL, []byte("session:"+sess)).String()
	}
	scheme, tok, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	if !strings.EqualFold(scheme, "Bearer") || tok == "" {
		return DefaultActor
	}
	if parts := strings.Split(tok, "."); len(parts) == 3 {
		if b, err := base64.RawURLEncoding.DecodeString(parts[1]); err == nil {
			var claims struct {
				UUID string `json:"uuid"`
			}
			if json.Unmarshal(b, &claims) == nil && claims.UUID != "" {
				return claims.UUID
			}
		}
	}
	return uuid.NewSHA1(uuid.NameSpaceURL, []byte("token:"+tok)).String()
}

// withActor puts the request's actor in ctx.
func withActor(ctx context.Context, r *http.Request) context.Context {
	return context.WithValue(ctx, ctxActor, actor(r))
}

// actorOf reads the actor from a resolver's context.
func actorOf(ctx context.Context) string {
	if a, ok := ctx.Value(ctxActor).(string); ok && a != "" {
		return a
	}
	return DefaultActor
}
