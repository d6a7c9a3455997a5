package motest

import (
	"testing"
)

func TestGraphQLMutations(t *testing.T) {
	d := Generate(SizeDemo, 1)
	s := NewServer(d, Options{})
	hs := s.Start()
	defer hs.Close()
	url := hs.URL + "/graphql/v29"
	person := d.People[3].UUID
	ad := d.ITSystemByUserKey(ADSystemName).UUID
	email := d.ClassByUserKey(FacetEmployeeAddressType, "BrugerEmail").UUID
	phone := d.ClassByUserKey(FacetEmployeeAddressType, "BrugerTelefon").UUID

	// Create an IT user and read it back.
	res := postGQL(t, url, `mutation($in: ITUserCreateInput!) { ituser_create(input: $in) { uuid current { user_key external_id } } }`,
		map[string]any{"in": map[string]any{"person": person, "itsystem": ad, "user_key": "nyuser", "external_id": "3f2504e0-4f89-11d3-9a0c-0305e82c3301", "validity": map[string]any{"from": "2026-03-01"}}})
	id, _ := dig(res.Data, "ituser_create", "uuid").(string)
	if id == "" || dig(res.Data, "ituser_create", "current", "user_key") != "nyuser" {
		t.Fatalf("create: %s", res.raw)
	}
	read := func() any {
		r := postGQL(t, url, `query($u: [UUID!]) { itusers(filter: {uuids: $u}) { objects { current { user_key external_id employee_uuid validity { from to } } } } }`, map[string]any{"u": []string{id}})
		return dig(r.Data, "itusers", "objects", 0, "current")
	}
	if got := read(); dig(got, "employee_uuid") != person || dig(got, "external_id") != "3f2504e0-4f89-11d3-9a0c-0305e82c3301" {
		t.Errorf("read back: %v", got)
	}
	// Update the user key; the rest stays.
	res = postGQL(t, url, `mutation($in: ITUserUpdateInput!) { ituser_update(input: $in) { uuid } }`,
		map[string]any{"in": map[string]any{"uuid": id, "user_key": "nyuser2", "validity": map[string]any{"from": "2026-03-02", "to": "2027-01-01"}}})
	if len(res.Errors) > 0 {
		t.Fatalf("update: %s", res.raw)
	}
	got := read()
	if dig(got, "user_key") != "nyuser2" || dig(got, "external_id") != "3f2504e0-4f89-11d3-9a0c-0305e82c3301" ||
		dig(got, "validity", "to") != "2027-01-01T00:00:00+01:00" {
		t.Errorf("after update: %v", got)
	}
	// The same account twice is refused.
	res = postGQL(t, url, `mutation($in: ITUserCreateInput!) { ituser_create(input: $in) { uuid } }`,
		map[string]any{"in": map[string]any{"person": person, "itsystem": ad, "user_key": "nyuser2", "validity": map[string]any{"from": "2026-06-01"}}})
	checkGQLError(t, res, "ituser_create", "V_DUPLICATED_IT_USER", 400)

	// Addresses: create, validation per scope, the address_type rule.
	res = postGQL(t, url, `mutation($in: AddressCreateInput!) { address_create(input: $in) { uuid } }`,
		map[string]any{"in": map[string]any{"person": person, "address_type": email, "value": "ny@hjoerring.dk", "validity": map[string]any{"from": "2026-03-01"}}})
	addr, _ := dig(res.Data, "address_create", "uuid").(string)
	if addr == "" {
		t.Fatalf("address create: %s", res.raw)
	}
	cases := []struct {
		name  string
		query string
		in    map[string]any
		key   string
		field string
	}{
		{"bad email", `mutation($in: AddressCreateInput!) { address_create(input: $in) { uuid } }`,
			map[string]any{"person": person, "address_type": email, "value": "not an email", "validity": map[string]any{"from": "2026-03-01"}}, "V_INVALID_ADDRESS_EMAIL", "address_create"},
		{"phone with spaces", `mutation($in: AddressCreateInput!) { address_create(input: $in) { uuid } }`,
			map[string]any{"person": person, "address_type": phone, "value": "+45 12 34 56 78", "validity": map[string]any{"from": "2026-03-01"}}, "V_INVALID_ADDRESS_PHONE", "address_create"},
		{"no owner", `mutation($in: AddressCreateInput!) { address_create(input: $in) { uuid } }`,
			map[string]any{"address_type": phone, "value": "12345678", "validity": map[string]any{"from": "2026-03-01"}}, "E_INVALID_INPUT", "address_create"},
		{"value without address_type", `mutation($in: AddressUpdateInput!) { address_update(input: $in) { uuid } }`,
			map[string]any{"uuid": addr, "value": "x@hjoerring.dk", "validity": map[string]any{"from": "2026-03-02"}}, "V_MISSING_REQUIRED_VALUE", "address_update"},
		{"unknown person", `mutation($in: ITUserCreateInput!) { ituser_create(input: $in) { uuid } }`,
			map[string]any{"person": "00000000-0000-4000-8000-000000000000", "itsystem": ad, "user_key": "x", "validity": map[string]any{"from": "2026-03-01"}}, "E_USER_NOT_FOUND", "ituser_create"},
		{"end before start", `mutation($in: ITUserUpdateInput!) { ituser_update(input: $in) { uuid } }`,
			map[string]any{"uuid": id, "validity": map[string]any{"from": "2026-03-02", "to": "2026-01-01"}}, "V_END_BEFORE_START", "ituser_update"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := postGQL(t, url, tc.query, map[string]any{"in": tc.in})
			status := 400
			if tc.key == "E_USER_NOT_FOUND" {
				status = 404
			}
			checkGQLError(t, res, tc.field, tc.key, status)
		})
	}
	// An accepted update is visible to a later read.
	res = postGQL(t, url, `mutation($in: AddressUpdateInput!) { address_update(input: $in) { uuid current { value } } }`,
		map[string]any{"in": map[string]any{"uuid": addr, "address_type": email, "value": "nyere@hjoerring.dk", "validity": map[string]any{"from": "2026-03-02"}}})
	if dig(res.Data, "address_update", "current", "value") != "nyere@hjoerring.dk" {
		t.Errorf("address update: %s", res.raw)
	}
	snap := d.Snapshot(d.Today.Add(10*3600e9), d.TopUnitUUID)
	found := false
	for _, p := range snap.People {
		for _, a := range p.Addresses {
			found = found || a.Value == "nyere@hjoerring.dk"
		}
	}
	if !found {
		t.Error("the write did not reach the Dataset")
	}
}

func checkGQLError(t *testing.T, res gqlResult, field, key string, status int) {
	t.Helper()
	if res.Data != nil || len(res.Errors) != 1 {
		t.Fatalf("want one error and data null: %s", res.raw)
	}
	e := res.Errors[0]
	ctx := dig(e, "extensions", "error_context")
	if e["message"] != "ErrorCodes."+key || dig(e, "path", 0) != field || dig(e, "locations", 0, "line") == nil ||
		dig(ctx, "error") != true || dig(ctx, "error_key") != key || dig(ctx, "status") != float64(status) || dig(ctx, "description") == nil {
		t.Errorf("error not shaped like MO's (want %s): %s", key, res.raw)
	}
}
