package motest

import (
	"slices"
	"strings"
)

// ownerCandidates narrows a top-level itusers or addresses query whose filter
// names people by uuid (employee: {uuids: [...]}, or the flat employees list)
// to those people's objects, from the per-person index, instead of testing
// every object in MO. Only objects of the named people can match such a
// filter, and the full filter is still applied to each, so the answer is
// the same as a scan; apply's one-person staleness read costs O(the
// person's objects), not O(all objects). The result is uuid-sorted like the
// lists it replaces; without such a filter it is list, unchanged.
func ownerCandidates[T any](f *objFilter, list []*T, byPerson map[string][]*T, id func(*T) string) []*T {
	if f == nil || f.UUIDs != nil {
		return list
	}
	var people *[]gqlUUID
	switch {
	case f.Employees != nil:
		people = f.Employees
	case f.Employee != nil && f.Employee.UUIDs != nil:
		people = f.Employee.UUIDs
	default:
		return list
	}
	var out []*T
	for _, p := range *people {
		out = append(out, byPerson[string(p)]...)
	}
	slices.SortFunc(out, func(a, b *T) int { return strings.Compare(id(a), id(b)) })
	return slices.CompactFunc(out, func(a, b *T) bool { return id(a) == id(b) })
}
