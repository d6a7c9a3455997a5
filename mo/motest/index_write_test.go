package motest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"testing"
)

// TestIncrementalIndex: after writes of every kind (create, edit, an owner
// moved from one person to another and from a person to a unit, over both
// APIs), the index the writes patched equals the one a full rebuild makes
// from the changed Dataset, and every answer is byte for byte what it is
// after Reload.
func TestIncrementalIndex(t *testing.T) {
	d := Generate(SizeDemo, 2)
	s := NewServer(d, Options{})
	hs := s.Start()
	defer hs.Close()
	gql, rest := hs.URL+"/graphql/v29", hs.URL+"/service"
	ad := d.ITSystemByUserKey(ADSystemName).UUID
	email := d.ClassByUserKey(FacetEmployeeAddressType, "BrugerEmail").UUID
	unitEmail := d.ClassByUserKey(FacetOrgUnitAddressType, "EmailUnit")
	p1, p2, unit := d.People[5].UUID, d.People[6].UUID, d.Units[3].UUID
	existingIT, existingAddr := d.ITUsers[10].UUID, d.Addresses[10].UUID

	mutate := func(doc string, in map[string]any) string {
		t.Helper()
		res := postGQL(t, gql, doc, map[string]any{"in": in})
		if len(res.Errors) > 0 {
			t.Fatalf("%s: %s", doc, res.raw)
		}
		for _, v := range res.Data {
			if id, _ := dig(v, "uuid").(string); id != "" {
				return id
			}
		}
		t.Fatalf("%s: no uuid in %s", doc, res.raw)
		return ""
	}
	restWrite := func(path string, body any) string {
		t.Helper()
		status, v := postJSON(t, rest+path, body)
		id, _ := v.(string)
		if status/100 != 2 || id == "" {
			t.Fatalf("POST %s: %d %v", path, status, v)
		}
		return id
	}
	const (
		itCreate   = `mutation($in: ITUserCreateInput!) { ituser_create(input: $in) { uuid } }`
		itUpdate   = `mutation($in: ITUserUpdateInput!) { ituser_update(input: $in) { uuid } }`
		addrCreate = `mutation($in: AddressCreateInput!) { address_create(input: $in) { uuid } }`
		addrUpdate = `mutation($in: AddressUpdateInput!) { address_update(input: $in) { uuid } }`
	)
	from := map[string]any{"from": "2026-03-01"}
	it1 := mutate(itCreate, map[string]any{"person": p1, "itsystem": ad, "user_key": "inc1", "validity": from})
	mutate(itUpdate, map[string]any{"uuid": it1, "user_key": "inc1b", "person": p2, "validity": from})
	mutate(itUpdate, map[string]any{"uuid": existingIT, "user_key": "renamed", "external_id": "3f2504e0-4f89-11d3-9a0c-0305e82c3301", "validity": from})
	it2 := restWrite("/details/create", map[string]any{"type": "it", "user_key": "inc2", "itsystem": map[string]any{"uuid": ad},
		"person": map[string]any{"uuid": p1}, "validity": map[string]any{"from": "2026-03-01", "to": nil}})
	restWrite("/details/edit", map[string]any{"type": "it", "uuid": it2, "data": map[string]any{"user_key": "inc2b",
		"org_unit": map[string]any{"uuid": unit}, "validity": map[string]any{"from": "2026-03-02", "to": "2026-12-31"}}})
	a1 := mutate(addrCreate, map[string]any{"person": p1, "address_type": email, "value": "inc@hjoerring.dk", "validity": from})
	mutate(addrUpdate, map[string]any{"uuid": a1, "address_type": email, "value": "inc2@hjoerring.dk", "person": p2, "validity": from})
	mutate(addrUpdate, map[string]any{"uuid": existingAddr, "user_key": "moved", "validity": from})
	if unitEmail != nil {
		a2 := restWrite("/details/create", map[string]any{"type": "address", "value": "unit@hjoerring.dk",
			"address_type": map[string]any{"uuid": unitEmail.UUID}, "org_unit": map[string]any{"uuid": unit}, "validity": map[string]any{"from": "2026-03-01"}})
		restWrite("/details/edit?force=1", map[string]any{"type": "address", "uuid": a2, "data": map[string]any{"value": "x",
			"address_type": map[string]any{"uuid": unitEmail.UUID}, "validity": map[string]any{"from": "2026-03-01"}}})
	}

	// The writes of AD-owned fields (#14).
	facet := ""
	for _, f := range d.Facets {
		if f.UserKey == FacetJobFunction {
			facet = f.UUID
		}
	}
	cls := mutate(`mutation($in: ClassCreateInput!) { class_create(input: $in) { uuid } }`,
		map[string]any{"name": "Indekseret", "user_key": "Indekseret", "facet_uuid": facet, "validity": from})
	mutate(`mutation($in: EngagementUpdateInput!) { engagement_update(input: $in) { uuid } }`,
		map[string]any{"uuid": d.Engagements[4].UUID, "job_function": cls, "user_key": "inc-e", "person": p2, "validity": from})
	mutate(`mutation($in: AddressTerminateInput!) { address_terminate(input: $in) { uuid } }`,
		map[string]any{"uuid": a1, "to": "2026-06-01"})
	mutate(`mutation($in: EmployeeCreateInput!) { employee_create(input: $in) { uuid } }`,
		map[string]any{"given_name": "Indeks", "surname": "Person", "cpr_number": "0101901111"})

	got, want := s.idx.Load(), buildIndex(s.d)
	for _, f := range []struct {
		name      string
		got, want any
	}{
		{"itus", got.itus, want.itus}, {"ituBy", got.ituBy, want.ituBy},
		{"itusByPerson", got.itusByPerson, want.itusByPerson}, {"itusByUnit", got.itusByUnit, want.itusByUnit},
		{"addrs", got.addrs, want.addrs}, {"addrBy", got.addrBy, want.addrBy},
		{"addrsByPerson", got.addrsByPerson, want.addrsByPerson}, {"addrsByUnit", got.addrsByUnit, want.addrsByUnit},
		{"engs", got.engs, want.engs}, {"engBy", got.engBy, want.engBy},
		{"engsByPerson", got.engsByPerson, want.engsByPerson}, {"engsByUnit", got.engsByUnit, want.engsByUnit},
		{"classes", got.classes, want.classes}, {"classBy", got.classBy, want.classBy},
		{"people", got.people, want.people}, {"personBy", got.personBy, want.personBy}, {"cprIndex", got.cprIndex, want.cprIndex},
	} {
		if !reflect.DeepEqual(f.got, f.want) {
			t.Errorf("index.%s differs from a rebuilt index", f.name)
		}
	}
	if !reflect.DeepEqual(s.pos, newPositions(s.d)) {
		t.Errorf("positions differ from the Dataset's")
	}

	reads := func() [][]byte {
		var out [][]byte
		for _, q := range []string{benchEmployeesQuery,
			`{ itusers(limit: 1000, filter: {from_date: null, to_date: null}) { objects { uuid validities { uuid user_key external_id employee_uuid org_unit_uuid validity { from to } } } } }`,
			`{ addresses(limit: 1000, filter: {from_date: null, to_date: null}) { objects { uuid validities { uuid user_key value employee_uuid org_unit_uuid } } } }`,
			`{ org_units(limit: 1000) { objects { uuid current { addresses { uuid value } itusers { uuid user_key } } } } }`,
		} {
			out = append(out, postGQL(t, gql, q, map[string]any{"limit": 1000, "now": "2026-03-02T10:00:00+01:00"}).raw)
		}
		for _, path := range []string{"/e/" + p1 + "/details/it", "/e/" + p2 + "/details/it", "/ou/" + unit + "/details/it",
			"/e/" + p1 + "/details/address", "/e/" + p2 + "/details/address", "/ou/" + unit + "/details/address",
			"/e/" + p1 + "/details/", "/ou/" + unit + "/details/"} {
			for _, v := range []string{"present", "future", "past"} {
				out = append(out, getRaw(t, fmt.Sprintf("%s%s?validity=%s", rest, path, v)))
			}
		}
		return out
	}
	before := reads()
	s.Reload()
	after := reads()
	for i := range before {
		if !bytes.Equal(before[i], after[i]) {
			t.Errorf("answer %d changed by Reload:\nwrites: %.300s\nreload: %.300s", i, before[i], after[i])
		}
	}
}

func getRaw(t testing.TB, url string) []byte {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if !json.Valid(b) {
		t.Fatalf("GET %s: %s", url, b)
	}
	return b
}
