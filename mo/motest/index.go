package motest

import (
	"slices"
	"strings"
)

// index is an immutable, fully indexed copy of a Dataset. The server swaps in
// a new one after every write, so readers never see a half-done change.
type index struct {
	d *Dataset // the copy; its slices back every pointer below

	facetBy  map[string]*Facet
	classBy  map[string]*Class
	classes  []*Class // by uuid
	facets   []*Facet // by uuid
	itsysBy  map[string]*ITSystem
	itsys    []*ITSystem
	unitBy   map[string]*Unit
	units    []*Unit
	children map[string][]*Unit
	personBy map[string]*Person
	people   []*Person
	cprIndex map[string][]*Person
	engBy    map[string]*Engagement
	engs     []*Engagement
	addrBy   map[string]*Address
	addrs    []*Address
	ituBy    map[string]*ITUser
	itus     []*ITUser
	mgrBy    map[string]*Manager
	mgrs     []*Manager

	engsByPerson  map[string][]*Engagement
	engsByUnit    map[string][]*Engagement
	addrsByPerson map[string][]*Address
	addrsByUnit   map[string][]*Address
	itusByPerson  map[string][]*ITUser
	itusByUnit    map[string][]*ITUser
	mgrsByUnit    map[string][]*Manager
	mgrsByPerson  map[string][]*Manager
}

func copyOf[T any](s []T) []T { return append([]T(nil), s...) }

// byUUID makes a uuid-sorted slice of pointers into s and a map to them.
func byUUID[T any](s []T, id func(*T) string) ([]*T, map[string]*T) {
	ptrs := make([]*T, len(s))
	m := make(map[string]*T, len(s))
	for i := range s {
		ptrs[i] = &s[i]
		m[id(&s[i])] = &s[i]
	}
	slices.SortFunc(ptrs, func(a, b *T) int { return strings.Compare(id(a), id(b)) })
	return ptrs, m
}

func group[T any](ptrs []*T, key func(*T) string) map[string][]*T {
	m := map[string][]*T{}
	for _, p := range ptrs {
		if k := key(p); k != "" {
			m[k] = append(m[k], p)
		}
	}
	return m
}

func buildIndex(src *Dataset) *index {
	d := *src
	d.Facets, d.Classes, d.ITSystems = copyOf(src.Facets), copyOf(src.Classes), copyOf(src.ITSystems)
	d.Units, d.People, d.Engagements = copyOf(src.Units), copyOf(src.People), copyOf(src.Engagements)
	d.Addresses, d.ITUsers, d.Managers = copyOf(src.Addresses), copyOf(src.ITUsers), copyOf(src.Managers)
	for i := range d.Managers {
		d.Managers[i].ResponsibilityUUIDs = copyOf(d.Managers[i].ResponsibilityUUIDs)
	}
	x := &index{d: &d}
	x.facets, x.facetBy = byUUID(d.Facets, func(v *Facet) string { return v.UUID })
	x.classes, x.classBy = byUUID(d.Classes, func(v *Class) string { return v.UUID })
	x.itsys, x.itsysBy = byUUID(d.ITSystems, func(v *ITSystem) string { return v.UUID })
	x.units, x.unitBy = byUUID(d.Units, func(v *Unit) string { return v.UUID })
	x.people, x.personBy = byUUID(d.People, func(v *Person) string { return v.UUID })
	x.engs, x.engBy = byUUID(d.Engagements, func(v *Engagement) string { return v.UUID })
	x.addrs, x.addrBy = byUUID(d.Addresses, func(v *Address) string { return v.UUID })
	x.itus, x.ituBy = byUUID(d.ITUsers, func(v *ITUser) string { return v.UUID })
	x.mgrs, x.mgrBy = byUUID(d.Managers, func(v *Manager) string { return v.UUID })
	x.children = group(x.units, func(v *Unit) string { return v.ParentUUID })
	x.cprIndex = group(x.people, func(v *Person) string { return v.CPR })
	x.engsByPerson = group(x.engs, func(v *Engagement) string { return v.PersonUUID })
	x.engsByUnit = group(x.engs, func(v *Engagement) string { return v.UnitUUID })
	x.addrsByPerson = group(x.addrs, func(v *Address) string { return v.PersonUUID })
	x.addrsByUnit = group(x.addrs, func(v *Address) string { return v.UnitUUID })
	x.itusByPerson = group(x.itus, func(v *ITUser) string { return v.PersonUUID })
	x.itusByUnit = group(x.itus, func(v *ITUser) string { return v.UnitUUID })
	x.mgrsByUnit = group(x.mgrs, func(v *Manager) string { return v.UnitUUID })
	x.mgrsByPerson = group(x.mgrs, func(v *Manager) string { return v.PersonUUID })
	return x
}

// facetKey returns the user key of a class's facet.
func (x *index) facetKey(c *Class) string {
	if f := x.facetBy[c.FacetUUID]; f != nil {
		return f.UserKey
	}
	return ""
}

func (x *index) className(uuid string) string {
	if c := x.classBy[uuid]; c != nil {
		return c.Name
	}
	return ""
}

// isPrimary reports whether an engagement's primary class is "primary".
func (x *index) isPrimary(e *Engagement) bool {
	c := x.classBy[e.PrimaryUUID]
	return c != nil && c.UserKey == "primary"
}

// inSubtree reports whether unit lies under (or is) top.
func (x *index) inSubtree(unit, top string) bool {
	for seen := 0; unit != "" && seen < 1000; seen++ {
		if unit == top {
			return true
		}
		u := x.unitBy[unit]
		if u == nil {
			return false
		}
		unit = u.ParentUUID
	}
	return false
}

// ancestors returns the chain of parents of unit, nearest first.
func (x *index) ancestors(u *Unit) []*Unit {
	var out []*Unit
	for p := x.unitBy[u.ParentUUID]; p != nil && len(out) < 1000; p = x.unitBy[p.ParentUUID] {
		out = append(out, p)
	}
	return out
}

// seek returns the position of the first element whose uuid is > after.
func seek[T any](s []*T, id func(*T) string, after string) int {
	if after == "" {
		return 0
	}
	i, found := slices.BinarySearchFunc(s, after, func(v *T, t string) int { return strings.Compare(id(v), t) })
	if found {
		i++
	}
	return i
}
