package motest

import (
	"encoding/json"
	"reflect"
	"testing"
)

// TestOwnerFilterMatchesScan: itusers and addresses filtered by person
// uuids (read from the per-person index) are exactly the objects a scan of
// all of them finds for those people, in the same order.
func TestOwnerFilterMatchesScan(t *testing.T) {
	d := Generate(SizeDemo, 4)
	s := NewServer(d, Options{})
	people := []string{d.People[1].UUID, d.People[7].UUID, d.People[7].UUID, d.People[20].UUID, "00000000-0000-4000-8000-000000000000"}
	want := map[string]bool{}
	for _, p := range people {
		want[p] = true
	}
	type obj struct {
		UUID       string `json:"uuid"`
		Validities []struct {
			UUID     string `json:"uuid"`
			UserKey  string `json:"user_key"`
			Employee string `json:"employee_uuid"`
		} `json:"validities"`
	}
	read := func(query string, vars map[string]any) []obj {
		t.Helper()
		b, err := execFast(s.reqState(29), query, "", vars)
		if err != nil {
			t.Fatal(err)
		}
		var out struct {
			Data map[string]struct {
				Objects []obj `json:"objects"`
			} `json:"data"`
		}
		if err := json.Unmarshal(b, &out); err != nil {
			t.Fatal(err)
		}
		for _, v := range out.Data {
			return v.Objects
		}
		return nil
	}
	for _, coll := range []string{"itusers", "addresses"} {
		var scanned []obj
		for _, o := range read(`{ `+coll+`(filter: {from_date: null, to_date: null}) { objects { uuid validities { uuid user_key employee_uuid } } } }`, nil) {
			if len(o.Validities) > 0 && want[o.Validities[0].Employee] {
				scanned = append(scanned, o)
			}
		}
		for _, filter := range []string{`employee: {uuids: $p}`, `employees: $p`} {
			got := read(`query($p: [UUID!]) { `+coll+`(filter: {`+filter+`, from_date: null, to_date: null}) { objects { uuid validities { uuid user_key employee_uuid } } } }`,
				map[string]any{"p": anyList(people)})
			if len(scanned) == 0 || !reflect.DeepEqual(got, scanned) {
				t.Errorf("%s(%s): %d objects, a scan finds %d", coll, filter, len(got), len(scanned))
			}
		}
	}
}

// anyList is a list variable as decoded JSON holds it.
func anyList(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
