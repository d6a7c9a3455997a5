package motest

// Incremental index updates for the scripted edits (events_edit.go): a
// person, an engagement or a unit put in place, as putITUser and
// putAddress do for the server's writes (index_write.go), so that an edit
// at 40,000 people costs microseconds instead of a rebuild.
// TestEditHelpersPatchIndex checks the result equals a rebuilt index.

// putPerson puts p (new, or the new state of the person with its uuid).
func (x *index) putPerson(p Person) {
	ptr := &p
	var oldCPR string
	if old := x.personBy[p.UUID]; old != nil {
		oldCPR = old.CPR
	}
	x.people = putSorted(x.people, personID, ptr)
	x.personBy[p.UUID] = ptr
	regroup(x.cprIndex, personID, oldCPR, p.CPR, ptr)
}

// putEngagement puts e (new, or the new state of the engagement).
func (x *index) putEngagement(e Engagement) {
	ptr := &e
	var oldPerson, oldUnit string
	if old := x.engBy[e.UUID]; old != nil {
		oldPerson, oldUnit = old.PersonUUID, old.UnitUUID
	}
	x.engs = putSorted(x.engs, engID, ptr)
	x.engBy[e.UUID] = ptr
	regroup(x.engsByPerson, engID, oldPerson, e.PersonUUID, ptr)
	regroup(x.engsByUnit, engID, oldUnit, e.UnitUUID, ptr)
}

// putUnit puts u (new, or the new state of the unit).
func (x *index) putUnit(u Unit) {
	ptr := &u
	var oldParent string
	if old := x.unitBy[u.UUID]; old != nil {
		oldParent = old.ParentUUID
	}
	x.units = putSorted(x.units, unitID, ptr)
	x.unitBy[u.UUID] = ptr
	regroup(x.children, unitID, oldParent, u.ParentUUID, ptr)
}
