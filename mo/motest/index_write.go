package motest

import (
	"slices"
	"strings"
)

// Incremental index updates for the server's writes. A write changes only
// the IT user or address it concerns: the uuid-sorted list, the by-uuid map
// and the per-person and per-unit lists are patched in place (O(log n) to
// find, a slice insert to place), never rebuilt. The result is exactly what
// buildIndex would make from the changed Dataset (TestIncrementalIndex
// checks it), so every answer is the same as after a Reload.
//
// The index is changed in place, so the caller holds the server's write
// lock (Server.rw), which no reader holds then. An object already in the
// index is never modified: an edit puts a new object in its place, so a
// pointer a reader took earlier keeps its values.

// putSorted places p in the uuid-sorted list s: it replaces the element with
// p's uuid, else it is inserted in order.
func putSorted[T any](s []*T, id func(*T) string, p *T) []*T {
	i, found := slices.BinarySearchFunc(s, id(p), func(v *T, t string) int { return strings.Compare(id(v), t) })
	if found {
		s[i] = p
		return s
	}
	return slices.Insert(s, i, p)
}

// dropSorted removes the element with uuid key from the uuid-sorted list s.
func dropSorted[T any](s []*T, id func(*T) string, key string) []*T {
	i, found := slices.BinarySearchFunc(s, key, func(v *T, t string) int { return strings.Compare(id(v), t) })
	if !found {
		return s
	}
	return slices.Delete(s, i, i+1)
}

// regroup moves p in a map of uuid-sorted lists from oldKey (the key of the
// object it replaces; "" for a new object) to newKey, as group would have
// placed it: empty keys are not grouped, and a list that becomes empty is
// removed.
func regroup[T any](m map[string][]*T, id func(*T) string, oldKey, newKey string, p *T) {
	if oldKey != "" && oldKey != newKey {
		if l := dropSorted(m[oldKey], id, id(p)); len(l) > 0 {
			m[oldKey] = l
		} else {
			delete(m, oldKey)
		}
	}
	if newKey != "" {
		m[newKey] = putSorted(m[newKey], id, p)
	}
}

// putITUser puts it (a new object, or the new state of the IT user with its
// uuid) into the index.
func (x *index) putITUser(it ITUser) {
	p := &it
	var oldPerson, oldUnit string
	if old := x.ituBy[p.UUID]; old != nil {
		oldPerson, oldUnit = old.PersonUUID, old.UnitUUID
	}
	x.itus = putSorted(x.itus, ituID, p)
	x.ituBy[p.UUID] = p
	regroup(x.itusByPerson, ituID, oldPerson, p.PersonUUID, p)
	regroup(x.itusByUnit, ituID, oldUnit, p.UnitUUID, p)
}

// putAddress puts a (a new object, or the new state of the address with its
// uuid) into the index.
func (x *index) putAddress(a Address) {
	p := &a
	var oldPerson, oldUnit string
	if old := x.addrBy[p.UUID]; old != nil {
		oldPerson, oldUnit = old.PersonUUID, old.UnitUUID
	}
	x.addrs = putSorted(x.addrs, addrID, p)
	x.addrBy[p.UUID] = p
	regroup(x.addrsByPerson, addrID, oldPerson, p.PersonUUID, p)
	regroup(x.addrsByUnit, addrID, oldUnit, p.UnitUUID, p)
}

// putClass puts a new class into the index.
func (x *index) putClass(c Class) {
	p := &c
	x.classes = putSorted(x.classes, func(v *Class) string { return v.UUID }, p)
	x.classBy[p.UUID] = p
}

// positions finds IT users and addresses in the served Dataset by uuid (the
// first one with a uuid, as a linear search would), so an edit can update
// the Dataset without scanning it.
type positions struct {
	itu  map[string]int
	addr map[string]int
	eng  map[string]int
}

func newPositions(d *Dataset) positions {
	p := positions{itu: make(map[string]int, len(d.ITUsers)), addr: make(map[string]int, len(d.Addresses)),
		eng: make(map[string]int, len(d.Engagements))}
	for i := range d.Engagements {
		if _, dup := p.eng[d.Engagements[i].UUID]; !dup {
			p.eng[d.Engagements[i].UUID] = i
		}
	}
	for i := range d.ITUsers {
		if _, dup := p.itu[d.ITUsers[i].UUID]; !dup {
			p.itu[d.ITUsers[i].UUID] = i
		}
	}
	for i := range d.Addresses {
		if _, dup := p.addr[d.Addresses[i].UUID]; !dup {
			p.addr[d.Addresses[i].UUID] = i
		}
	}
	return p
}
