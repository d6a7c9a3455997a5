package mo

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"moxsync/engine"
)

// restField is a field of a REST answer: the endpoint (a path pattern) and
// the key's path in the answer ("[]" is the answer's array, "items" the
// page's items; arrays are entered element by element).
type restField struct {
	endpoint string // as the error names it, with {id} for a uuid
	field    string
}

var (
	uuidRE    = `[0-9a-f-]{36}`
	restPaths = map[string]*regexp.Regexp{}
)

// restPattern is the path pattern of an endpoint like
// "/service/ou/{id}/details/manager".
func restPattern(endpoint string) *regexp.Regexp {
	if re, ok := restPaths[endpoint]; ok {
		return re
	}
	re := regexp.MustCompile("^" + strings.ReplaceAll(regexp.QuoteMeta(endpoint), `\{id\}`, uuidRE) + "$")
	restPaths[endpoint] = re
	return re
}

// The fields MO's REST API always sends, that the reader uses (mo-api.md
// §1.3), per endpoint: this table is the test's own, not check_rest.go's.
var restRequired = map[string][]string{
	"/service/o/":         {"uuid"},
	"/service/o/{id}/it/": {"uuid", "name", "user_key"},
	"/service/o/{id}/f/":  {"uuid", "user_key"},
	"/service/f/{id}/":    {"data", "data.total", "data.items", "data.items.uuid", "data.items.name", "data.items.user_key", "data.items.scope"},
	"/service/o/{id}/ou/": {"total", "offset", "items", "items.uuid"},
	"/service/ou/{id}/":   {"uuid", "user_key", "name", "validity", "validity.from", "validity.to", "parent", "parent.uuid", "org_unit_type", "org_unit_type.uuid"},
	"/service/o/{id}/e/":  {"total", "offset", "items", "items.uuid", "items.user_key", "items.givenname", "items.surname"},
	"/service/e/{id}/details/engagement": {"uuid", "user_key", "validity", "validity.from", "validity.to",
		"org_unit", "org_unit.uuid", "job_function", "job_function.uuid", "engagement_type", "engagement_type.uuid"},
	"/service/e/{id}/details/address":  {"uuid", "value", "name", "validity", "validity.from", "validity.to", "address_type", "address_type.uuid", "visibility"},
	"/service/ou/{id}/details/address": {"uuid", "value", "name", "validity", "address_type", "visibility"},
	"/service/e/{id}/details/it":       {"uuid", "user_key", "validity", "validity.from", "validity.to", "itsystem", "itsystem.uuid"},
	"/service/ou/{id}/details/it":      {"uuid", "user_key", "validity", "itsystem", "itsystem.uuid"},
	"/service/ou/{id}/details/manager": {"uuid", "validity", "validity.from", "validity.to", "person", "manager_type", "manager_level"},
}

// restNonNull are required fields that MO never sends as null (the others
// in restRequired may be null: a root unit's parent, a vacant manager's
// person, a class-less reference, an address without a name).
var restNonNull = map[string][]string{
	"/service/o/":                        {"uuid"},
	"/service/o/{id}/ou/":                {"items.uuid"},
	"/service/ou/{id}/":                  {"uuid", "name", "user_key", "validity.from", "parent.uuid"},
	"/service/o/{id}/e/":                 {"items.uuid", "items.givenname", "items.surname"},
	"/service/e/{id}/details/engagement": {"org_unit", "job_function", "engagement_type", "validity.from"},
	"/service/e/{id}/details/address":    {"value", "address_type"},
	"/service/e/{id}/details/it":         {"itsystem", "user_key"},
}

// restTolerated are fields the reader uses that not every MO version sends
// (or that MO sends only on request): an answer without them still reads.
var restTolerated = map[string][]string{
	"/service/ou/{id}/":                  {"org_unit_level", "org", "location"},
	"/service/o/{id}/e/":                 {"items.nickname_givenname", "items.nickname_surname", "items.cpr_no"},
	"/service/e/{id}/details/engagement": {"is_primary", "primary"},
	"/service/e/{id}/details/address":    {"engagement_uuid", "href"},
	"/service/e/{id}/details/it":         {"external_id"},
}

// TestRESTDropsEachField: a REST answer without a field MO always sends,
// or with null where MO never sends null, fails the read as a protocol
// error naming the endpoint and the field, and returns no snapshot (and no
// IT users); without a field that only some MO versions send it reads.
func TestRESTDropsEachField(t *testing.T) {
	pw := newProtocolWorld(t)
	ctx := context.Background()
	person := pw.personWithITUsers()
	if _, err := pw.client(t, APIREST).Snapshot(ctx); err != nil {
		t.Fatalf("the complete answers do not read: %v", err)
	}
	type tcase struct {
		endpoint, field string
		null, tolerated bool
	}
	var cases []tcase
	for ep, fs := range restRequired {
		for _, f := range fs {
			cases = append(cases, tcase{endpoint: ep, field: f})
		}
	}
	for ep, fs := range restNonNull {
		for _, f := range fs {
			cases = append(cases, tcase{endpoint: ep, field: f, null: true})
		}
	}
	for ep, fs := range restTolerated {
		for _, f := range fs {
			cases = append(cases, tcase{endpoint: ep, field: f, tolerated: true})
		}
	}
	for _, tc := range cases {
		name := tc.endpoint + "/" + tc.field
		if tc.null {
			name += "=null"
		}
		t.Run(name, func(t *testing.T) {
			field := strings.Split(tc.field, ".")
			pw.d.set(&dropRule{path: restPattern(tc.endpoint), fields: [][]string{field}, null: tc.null})
			defer pw.d.set(nil)
			s, err := pw.client(t, APIREST).Snapshot(ctx)
			if pw.d.changed.Load() == 0 {
				t.Fatalf("the answers never held %s", tc.field)
			}
			if tc.tolerated {
				if err != nil {
					t.Fatalf("an answer without %s does not read: %v", tc.field, err)
				}
				return
			}
			checkProtocolError(t, pw, s != nil, err, tc.endpoint, field[len(field)-1], tc.null)
		})
	}

	// The stale check's read of one person's IT users is as strict.
	t.Run("ITUsers", func(t *testing.T) {
		pw.d.set(&dropRule{path: restPattern("/service/e/{id}/details/it"), fields: [][]string{{"validity"}}})
		defer pw.d.set(nil)
		its, err := pw.client(t, APIREST).ITUsers(ctx, person)
		checkProtocolError(t, pw, its != nil, err, "/service/e/{id}/details/it", "validity", false)
	})

	// The field report: a unit without its name, parent and validity.
	t.Run("unit without name, parent and validity", func(t *testing.T) {
		pw.d.set(&dropRule{path: restPattern("/service/ou/{id}/"), fields: [][]string{{"name"}, {"parent"}, {"validity"}}})
		defer pw.d.set(nil)
		s, err := pw.client(t, APIREST).Snapshot(ctx)
		checkProtocolError(t, pw, s != nil, err, "/service/ou/{id}/", "name", false)
	})
}

// checkProtocolError: err is a protocol error naming the endpoint (its
// path, uuids aside) and the key, and nothing was read.
func checkProtocolError(t *testing.T, pw *protocolWorld, read bool, err error, endpoint, key string, null bool) {
	t.Helper()
	if err == nil || read {
		t.Fatalf("read %v, err %v; want a protocol error and nothing read", read, err)
	}
	msg := err.Error()
	if engine.KindOf(err) != engine.KindProtocol {
		t.Errorf("kind %v, want protocol error: %s", engine.KindOf(err), msg)
	}
	verb := "lacks"
	if null {
		verb = "has null for"
	}
	for _, want := range []string{"MO protocol error", `response ` + verb + ` "` + key + `"`} {
		if !strings.Contains(msg, want) {
			t.Errorf("%q does not say %s", msg, want)
		}
	}
	if !regexp.MustCompile(`GET ` + strings.ReplaceAll(regexp.QuoteMeta(endpoint), `\{id\}`, uuidRE) + `(\?|:)`).MatchString(msg) {
		t.Errorf("%q does not name GET %s", msg, endpoint)
	}
	pw.noCPR(t, msg)
}
