package mo

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"moxsync/engine"
)

// capture answers every request with status/body and remembers the last
// request's method, path and JSON body.
type capture struct {
	status int
	body   string
	calls  atomic.Int32
	method string
	path   string
	sent   map[string]any
}

func (c *capture) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c.calls.Add(1)
	c.method, c.path = r.Method, r.URL.Path
	b, _ := io.ReadAll(r.Body)
	c.sent = nil
	_ = json.Unmarshal(b, &c.sent)
	writeJSON(w, c.status, c.body)
}

func newWriteClient(t *testing.T, api string, version int, h http.Handler) *Client {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	c, err := New(Config{ServiceURL: srv.URL + "/service", API: api, GraphQLVersion: version, SAMLToken: "tok",
		Now: func() time.Time { return fixtureNow }, RetryBackoff: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func js(v any) string { b, _ := json.Marshal(v); return string(b) }

const (
	wPerson = "53181ed2-f1de-4c4a-a8fd-ab358c2c454a"
	wSystem = "59c135c9-2b15-41cc-97c8-b5dff7180beb"
	wIT     = "aaa8c495-1111-4c8e-9d4e-3b2a1c0d9e01"
	wType   = "c78eb6f7-8a9e-40b3-ac80-36b9f371c3e0"
)

func TestWrites(t *testing.T) {
	from := time.Date(2026, 6, 1, 15, 30, 0, 0, copenhagen) // not midnight: sent as the day
	until := time.Date(2027, 1, 1, 0, 0, 0, 0, copenhagen)  // half-open end
	itw := engine.ITUserWrite{PersonUUID: wPerson, ITSystemUUID: wSystem, UserKey: "andand", ExternalID: "3f2504e0-4f89-11d3-9a0c-0305e82c3301",
		Validity: engine.Validity{From: from.UTC(), To: until.UTC()}}
	// external_id only over GraphQL v29 and later (see TestExternalIDNeedsV29).
	itwNoExt := itw
	itwNoExt.ExternalID = ""
	addr := engine.AddressWrite{UUID: wIT, PersonUUID: wPerson, TypeUUID: wType, Value: "andand@hjorring.dk", Validity: engine.Validity{From: from}}
	tests := []struct {
		name     string
		api      string
		version  int
		do       func(context.Context, *Client) (string, error)
		answer   string
		status   int
		wantPath string
		wantSent string // JSON of the body (GraphQL: the variables)
		wantUUID string
	}{
		{
			name: "REST create IT user", api: APIREST, status: 201, answer: `"` + wIT + `"`,
			do:       func(ctx context.Context, c *Client) (string, error) { return c.CreateITUser(ctx, itwNoExt) },
			wantPath: "/service/details/create",
			wantSent: `{"itsystem":{"uuid":"` + wSystem + `"},"person":{"uuid":"` + wPerson + `"},"type":"it","user_key":"andand","validity":{"from":"2026-06-01","to":"2026-12-31"}}`,
			wantUUID: wIT,
		},
		{
			name: "REST edit IT user", api: APIREST, status: 200, answer: `"` + wIT + `"`,
			do: func(ctx context.Context, c *Client) (string, error) {
				return "", c.UpdateITUser(ctx, engine.ITUserWrite{UUID: wIT, UserKey: "newsam", Validity: engine.Validity{From: from}})
			},
			wantPath: "/service/details/edit",
			wantSent: `{"data":{"user_key":"newsam","validity":{"from":"2026-06-01","to":null}},"type":"it","uuid":"` + wIT + `"}`,
		},
		{
			name: "REST edit address sends the type with the value", api: APIREST, status: 200, answer: `"` + wIT + `"`,
			do:       func(ctx context.Context, c *Client) (string, error) { return "", c.UpdateAddress(ctx, addr) },
			wantPath: "/service/details/edit",
			wantSent: `{"data":{"address_type":{"uuid":"` + wType + `"},"person":{"uuid":"` + wPerson + `"},"validity":{"from":"2026-06-01","to":null},"value":"andand@hjorring.dk"},"type":"address","uuid":"` + wIT + `"}`,
		},
		{
			name: "GraphQL v22 create IT user: inclusive end", api: APIGraphQL, version: 22, status: 200,
			answer:   `{"data": {"ituser_create": {"uuid": "` + wIT + `"}}}`,
			do:       func(ctx context.Context, c *Client) (string, error) { return c.CreateITUser(ctx, itwNoExt) },
			wantPath: "/graphql/v22",
			wantSent: `{"input":{"itsystem":"` + wSystem + `","person":"` + wPerson + `","user_key":"andand","validity":{"from":"2026-06-01T00:00:00+02:00","to":"2026-12-31T00:00:00+01:00"}}}`,
			wantUUID: wIT,
		},
		{
			name: "GraphQL v29 create IT user: exact end", api: APIGraphQL, version: 29, status: 200,
			answer:   `{"data": {"ituser_create": {"uuid": "` + wIT + `"}}}`,
			do:       func(ctx context.Context, c *Client) (string, error) { return c.CreateITUser(ctx, itw) },
			wantPath: "/graphql/v29",
			wantSent: `{"input":{"external_id":"3f2504e0-4f89-11d3-9a0c-0305e82c3301","itsystem":"` + wSystem + `","person":"` + wPerson + `","user_key":"andand","validity":{"from":"2026-06-01T00:00:00+02:00","to":"2027-01-01T00:00:00+01:00"}}}`,
			wantUUID: wIT,
		},
		{
			name: "GraphQL create address", api: APIGraphQL, version: 29, status: 200,
			answer: `{"data": {"address_create": {"uuid": "` + wIT + `"}}}`,
			do: func(ctx context.Context, c *Client) (string, error) {
				a := addr
				a.UUID, a.VisibilityUUID = "", wSystem
				return c.CreateAddress(ctx, a)
			},
			wantPath: "/graphql/v29",
			wantSent: `{"input":{"address_type":"` + wType + `","person":"` + wPerson + `","validity":{"from":"2026-06-01T00:00:00+02:00","to":null},"value":"andand@hjorring.dk","visibility":"` + wSystem + `"}}`,
			wantUUID: wIT,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := &capture{status: tt.status, body: tt.answer}
			c := newWriteClient(t, tt.api, tt.version, h)
			uuid, err := tt.do(context.Background(), c)
			if err != nil {
				t.Fatal(err)
			}
			if uuid != tt.wantUUID {
				t.Errorf("uuid = %q, want %q", uuid, tt.wantUUID)
			}
			if h.method != http.MethodPost || h.path != tt.wantPath {
				t.Errorf("sent %s %s, want POST %s", h.method, h.path, tt.wantPath)
			}
			sent := h.sent
			if tt.api == APIGraphQL {
				sent, _ = h.sent["variables"].(map[string]any)
			}
			if got := js(sent); got != tt.wantSent {
				t.Errorf("sent\n  %s\nwant\n  %s", got, tt.wantSent)
			}
		})
	}
}

// TestWriteErrors: MO's refusals name the endpoint, error_key and
// description, are classified, and a write is never retried.
func TestWriteErrors(t *testing.T) {
	tests := []struct {
		name     string
		api      string
		status   int
		answer   string
		wantKind engine.Kind
		wantIn   []string
	}{
		{"REST validation", APIREST, 400,
			`{"error": true, "status": 400, "error_key": "V_MISSING_REQUIRED_VALUE", "description": "Missing address_type", "key": "address_type", "obj": {}}`,
			engine.KindInvalid, []string{"mo: update address", "POST /service/details/edit", "HTTP 400", "V_MISSING_REQUIRED_VALUE", "Missing address_type"}},
		{"REST 500 is not retried", APIREST, 500,
			`{"error": true, "status": 500, "error_key": "E_UNKNOWN", "description": "boom"}`,
			engine.KindUnavailable, []string{"E_UNKNOWN", "boom"}},
		{"REST forbidden", APIREST, 403, `{"status": "Forbidden", "msg": "The Service API is gone"}`,
			engine.KindPermission, []string{"HTTP 403", "The Service API is gone"}},
		{"REST not authenticated", APIREST, 401, `"Not authenticated"`,
			engine.KindAuth, []string{"HTTP 401", "Not authenticated"}},
		{"GraphQL error context", APIGraphQL, 200,
			`{"data": null, "errors": [{"message": "ErrorCodes.V_MISSING_REQUIRED_VALUE", "locations": [{"line": 3, "column": 13}], "path": ["address_update"],
			  "extensions": {"error_context": {"error": true, "status": 400, "error_key": "V_MISSING_REQUIRED_VALUE", "description": "Missing address_type", "key": "address_type"}}}]}`,
			engine.KindInvalid, []string{"mo: update address", "/graphql/v22 (AddressUpdate)", "V_MISSING_REQUIRED_VALUE", "Missing address_type"}},
		{"GraphQL 500 is not retried", APIGraphQL, 500, `Internal Server Error`,
			engine.KindUnavailable, []string{"HTTP 500", "Internal Server Error"}},
		{"REST answer null", APIREST, 200, `null`,
			engine.KindProtocol, []string{"mo: update address", "POST /service/details/edit", `MO protocol error: response has null for "uuid"`}},
		{"REST answer empty", APIREST, 200, `""`,
			engine.KindProtocol, []string{"POST /service/details/edit", `response lacks "uuid"`}},
		{"GraphQL answer without the uuid", APIGraphQL, 200, `{"data": {"address_update": {}}}`,
			engine.KindProtocol, []string{"(AddressUpdate)", `response lacks "uuid" at address_update`}},
		{"GraphQL answer without the mutation", APIGraphQL, 200, `{"data": {}}`,
			engine.KindProtocol, []string{"(AddressUpdate)", `response lacks "address_update"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := &capture{status: tt.status, body: tt.answer}
			c := newWriteClient(t, tt.api, 22, h)
			err := c.UpdateAddress(context.Background(), engine.AddressWrite{UUID: wIT, TypeUUID: wType, PersonUUID: wPerson, Value: "x@y.dk"})
			if engine.KindOf(err) != tt.wantKind {
				t.Fatalf("err = %v (kind %v), want kind %v", err, engine.KindOf(err), tt.wantKind)
			}
			for _, w := range tt.wantIn {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("%q does not say %q", err, w)
				}
			}
			if n := h.calls.Load(); n != 1 {
				t.Errorf("sent %d times, want once", n)
			}
		})
	}
}

func TestWriteChecksInput(t *testing.T) {
	c := newWriteClient(t, APIREST, 0, &capture{status: 201, body: `"x"`})
	ctx := context.Background()
	if _, err := c.CreateAddress(ctx, engine.AddressWrite{TypeUUID: wType, Value: "v"}); engine.KindOf(err) != engine.KindInvalid {
		t.Errorf("address without owner: %v", err)
	}
	if _, err := c.CreateAddress(ctx, engine.AddressWrite{TypeUUID: wType, Value: "v", PersonUUID: wPerson, UnitUUID: wPerson}); engine.KindOf(err) != engine.KindInvalid {
		t.Errorf("address with two owners: %v", err)
	}
	if err := c.UpdateITUser(ctx, engine.ITUserWrite{}); engine.KindOf(err) != engine.KindInvalid {
		t.Errorf("IT user update without uuid: %v", err)
	}
}
