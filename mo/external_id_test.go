package mo

import (
	"context"
	"strings"
	"testing"

	"moxsync/engine"
)

// TestExternalIDNeedsV29: an IT user write with external_id is refused,
// before anything is sent, by every API that cannot take it; without
// external_id, or over GraphQL v29, it is sent.
func TestExternalIDNeedsV29(t *testing.T) {
	withExt := engine.ITUserWrite{UUID: wIT, PersonUUID: wPerson, ITSystemUUID: wSystem, UserKey: "andand", ExternalID: "3f2504e0-4f89-11d3-9a0c-0305e82c3301"}
	noExt := withExt
	noExt.ExternalID = ""
	tests := []struct {
		api      string
		version  int
		w        engine.ITUserWrite
		wantSent bool
		wantErr  string
	}{
		{APIGraphQL, 22, withExt, false, "IT user external_id needs GraphQL v29 or later, and GraphQL v22 has none; set OS2MO_GRAPHQL_VERSION = 29 or map objectGUID = off"},
		{APIGraphQL, 28, withExt, false, "GraphQL v28 has none"},
		{APIREST, 0, withExt, false, "and the REST API has none"},
		{APIGraphQL, 22, noExt, true, ""},
		{APIREST, 0, noExt, true, ""},
		{APIGraphQL, 29, withExt, true, ""},
		{APIGraphQL, 30, withExt, true, ""},
	}
	for _, tt := range tests {
		for _, create := range []bool{true, false} {
			cp := &capture{status: 200, body: `{"data": {"ituser_create": {"uuid": "` + wIT + `"}, "ituser_update": {"uuid": "` + wIT + `"}}}`}
			if tt.api == APIREST {
				cp.body = `"` + wIT + `"`
			}
			c := newWriteClient(t, tt.api, tt.version, cp)
			if got := c.SupportsExternalID(); got != (tt.api == APIGraphQL && tt.version >= 29) {
				t.Errorf("%s v%d: SupportsExternalID = %v", tt.api, tt.version, got)
			}
			var err error
			if create {
				_, err = c.CreateITUser(context.Background(), tt.w)
			} else {
				err = c.UpdateITUser(context.Background(), tt.w)
			}
			name := tt.api + " v" + string(rune('0'+tt.version/10)) + string(rune('0'+tt.version%10))
			if sent := cp.calls.Load() > 0; sent != tt.wantSent {
				t.Errorf("%s create=%v: sent %v, want %v (err %v)", name, create, sent, tt.wantSent, err)
			}
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("%s create=%v: %v", name, create, err)
			case tt.wantErr != "" && (engine.KindOf(err) != engine.KindInvalid || !strings.Contains(err.Error(), tt.wantErr)):
				t.Errorf("%s create=%v: err = %v, want KindInvalid with %q", name, create, err, tt.wantErr)
			}
			if tt.wantSent && tt.w.ExternalID != "" && !strings.Contains(js(cp.sent), tt.w.ExternalID) {
				t.Errorf("%s: external_id not sent: %s", name, js(cp.sent))
			}
		}
	}
}
