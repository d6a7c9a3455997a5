package mo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"moxsync/engine"
)

// TestReadPagesErrorsInPageOrder is the regression of a FuzzGraphQLResponse
// find: a first page whose cursor can be peeked but whose objects are
// malformed reached the caller after the error of asking for the next page
// (the fetcher sent that straight to the results, overtaking the decoder),
// so the client blamed page 2, at random. A large first page makes the
// decoder slow and the old order fail nearly every time.
func TestReadPagesErrorsInPageOrder(t *testing.T) {
	var page1 strings.Builder
	page1.WriteString(`{"data": {"itsystems": {"page_info": {"next_cursor": "p2"}, "objects": [`)
	for i := range 20000 {
		fmt.Fprintf(&page1, `{"uuid": "59c135c9-2b15-41cc-97c8-%012d", "current": {"uuid": "59c135c9-2b15-41cc-97c8-%012d", "user_key": "s%d", "name": "System %d"}},`, i, i, i, i)
	}
	page1.WriteString(`{"uuid": ]}}}`) // malformed at the very end
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req gqlRequest
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			t.Errorf("request: %v", err)
		}
		if req.Variables["cursor"] == nil {
			writeJSON(w, 200, page1.String())
			return
		}
		writeJSON(w, 404, `{"error": true, "status": 404, "error_key": "E_NOT_FOUND", "description": "no such page"}`)
	})
	c, _ := newFixtureClient(t, h, 29, func(cfg *Config) { cfg.Retries = -1 })
	for range 3 {
		_, err := c.ADITSystemUUID(context.Background())
		var ee *engine.Error
		if !errors.As(err, &ee) || ee.Kind != engine.KindProtocol {
			t.Fatalf("got %v (kind %v), want the protocol error of page 1", err, engine.KindOf(err))
		}
	}
}
