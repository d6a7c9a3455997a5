package motest

import (
	"fmt"
	"reflect"
	"time"

	"github.com/google/uuid"

	"moxsync/engine"
)

// Change is one object an Edit added, changed or removed: the routing key
// and subject of the event MO emits for it.
type Change struct {
	RoutingKey string
	Subject    string
}

// Edit changes the served data as a user of MO would (in MO's UI, or
// another integration), and emits the events MO would: fn changes the
// Dataset in place; every unit, person, engagement, address, IT user,
// manager, class, facet and IT system fn added, changed or removed gets
// one event (routing key and uuid), and its new validity boundaries are
// scheduled (a future start emits again when the clock reaches it). The
// index is rebuilt, as by Reload. Requests wait meanwhile. Edit returns
// the changes, in Dataset order.
func (s *Server) Edit(fn func(d *Dataset)) []Change {
	s.rw.Lock()
	defer s.rw.Unlock()
	before := cloneDataset(s.d)
	fn(s.d)
	s.idx.Store(buildIndex(s.d))
	s.pos = newPositions(s.d)
	var changes []Change
	var vals []engine.Validity
	add := func(rk, id string, v engine.Validity) {
		changes = append(changes, Change{rk, id})
		vals = append(vals, v)
	}
	diffObjects(before.Units, s.d.Units, "org_unit", unitID, unitVal, same[Unit], add)
	diffObjects(before.People, s.d.People, "person", personID, personVal, same[Person], add)
	diffObjects(before.Engagements, s.d.Engagements, "engagement", engID, engVal, same[Engagement], add)
	diffObjects(before.Addresses, s.d.Addresses, "address", addrID, addrVal, same[Address], add)
	diffObjects(before.ITUsers, s.d.ITUsers, "ituser", ituID, ituVal, same[ITUser], add)
	diffObjects(before.Managers, s.d.Managers, "manager", mgrID, mgrVal, func(a, b *Manager) bool { return reflect.DeepEqual(a, b) }, add)
	diffObjects(before.Classes, s.d.Classes, "class", classID, openVal[Class], same[Class], add)
	diffObjects(before.Facets, s.d.Facets, "facet", facetID, openVal[Facet], same[Facet], add)
	diffObjects(before.ITSystems, s.d.ITSystems, "itsystem", itsysID, itsysVal, same[ITSystem], add)
	b := s.ev
	b.mu.Lock()
	defer b.mu.Unlock()
	for i, c := range changes {
		b.emitLocked(c.RoutingKey, c.Subject, DefaultEventPriority, target{})
		if b.sched != nil {
			b.sched.add(c.RoutingKey, c.Subject, vals[i])
		}
	}
	return changes
}

// cloneDataset copies the object lists of d (deeply enough that fn's
// changes in place do not reach the copy).
func cloneDataset(d *Dataset) *Dataset {
	c := *d
	c.Facets, c.Classes, c.ITSystems = copyOf(d.Facets), copyOf(d.Classes), copyOf(d.ITSystems)
	c.Units, c.People, c.Engagements = copyOf(d.Units), copyOf(d.People), copyOf(d.Engagements)
	c.Addresses, c.ITUsers, c.Managers = copyOf(d.Addresses), copyOf(d.ITUsers), copyOf(d.Managers)
	for i := range c.Managers {
		c.Managers[i].ResponsibilityUUIDs = copyOf(d.Managers[i].ResponsibilityUUIDs)
	}
	return &c
}

// diffObjects reports every object of after that is new or differs from
// its namesake in before, then every object of before that is gone. The
// validity reported for a removed object is its old one. When both lists
// hold the same uuids in the same places (an edit in place, the usual
// case) they are compared pairwise, without a map.
func diffObjects[T any](before, after []T, rk string, id func(*T) string, val func(*T) engine.Validity, eq func(a, b *T) bool, add func(rk, id string, v engine.Validity)) {
	if len(before) == len(after) {
		inPlace := true
		for i := range after {
			if id(&before[i]) != id(&after[i]) {
				inPlace = false
				break
			}
		}
		if inPlace {
			for i := range after {
				if !eq(&before[i], &after[i]) {
					add(rk, id(&after[i]), val(&after[i]))
				}
			}
			return
		}
	}
	old := make(map[string]*T, len(before))
	for i := range before {
		old[id(&before[i])] = &before[i]
	}
	for i := range after {
		a := &after[i]
		o, ok := old[id(a)]
		if !ok || !eq(o, a) {
			add(rk, id(a), val(a))
		}
		delete(old, id(a))
	}
	for i := range before {
		if _, gone := old[id(&before[i])]; gone {
			add(rk, id(&before[i]), val(&before[i]))
		}
	}
}

// same compares two objects of a comparable type.
func same[T comparable](a, b *T) bool { return *a == *b }

// The edits the demo's scripted stream makes (events.md: a new hire, a
// title change, a leaver, a new phone number, a moved unit), each through
// Edit, so each emits MO's events.

// Hire describes a new person with one primary engagement.
type Hire struct {
	GivenName, Surname string
	CPR                string // 10 digits, or ""
	UnitUUID           string
	// JobFunction is the job function class, by uuid or name ("" = the
	// first job function).
	JobFunction string
	// From is the first day (zero: the data set's Today). A date after the
	// clock makes a future-dated hire, which emits again on its start.
	From time.Time
}

// Hire adds a person with a primary engagement and returns their uuids.
func (s *Server) Hire(h Hire) (personUUID, engagementUUID string, err error) {
	err = s.patch(func(d *Dataset, x *index) ([]edited, error) {
		if x.unitBy[h.UnitUUID] == nil {
			return nil, fmt.Errorf("motest: hire: no unit %s", h.UnitUUID)
		}
		job := classIn(d, FacetJobFunction, h.JobFunction)
		typ := classIn(d, FacetEngagementType, "Ansat")
		primary := d.ClassByUserKey(FacetPrimaryType, "primary")
		if job == nil || typ == nil || primary == nil {
			return nil, fmt.Errorf("motest: hire: job function %q, engagement type or primary class missing", h.JobFunction)
		}
		from := h.From
		if from.IsZero() {
			from = d.Today
		}
		p := Person{UUID: uuid.NewString(), CPR: h.CPR, GivenName: h.GivenName, Surname: h.Surname, Validity: engine.Validity{From: from}}
		p.UserKey = p.UUID
		e := Engagement{UUID: uuid.NewString(), UserKey: fmt.Sprintf("H%05d", len(d.Engagements)), PersonUUID: p.UUID, UnitUUID: h.UnitUUID,
			JobFunctionUUID: job.UUID, EngagementTypeUUID: typ.UUID, PrimaryUUID: primary.UUID, Fraction: 1000000,
			Validity: engine.Validity{From: from}}
		d.People = append(d.People, p)
		s.pos.eng[e.UUID] = len(d.Engagements)
		d.Engagements = append(d.Engagements, e)
		x.putPerson(p)
		x.putEngagement(e)
		personUUID, engagementUUID = p.UUID, e.UUID
		return []edited{{"person", p.UUID, p.Validity}, {"engagement", e.UUID, e.Validity}}, nil
	})
	return personUUID, engagementUUID, err
}

// RenamePerson changes a person's given name and surname.
func (s *Server) RenamePerson(personUUID, givenName, surname string) error {
	return s.patch(func(d *Dataset, x *index) ([]edited, error) {
		i := indexOf(d.People, personID, personUUID)
		if i < 0 {
			return nil, notFound("person", personUUID)
		}
		p := &d.People[i]
		p.GivenName, p.Surname = givenName, surname
		x.putPerson(*p)
		return []edited{{"person", p.UUID, p.Validity}}, nil
	})
}

// SetJobFunction gives an engagement another job function (a title
// change), by class uuid or name.
func (s *Server) SetJobFunction(engagementUUID, jobFunction string) error {
	return s.editEngagement(engagementUUID, func(d *Dataset, e *Engagement) error {
		c := classIn(d, FacetJobFunction, jobFunction)
		if c == nil {
			return notFound("job function", jobFunction)
		}
		e.JobFunctionUUID = c.UUID
		return nil
	})
}

// EndEngagement ends an engagement: it is in effect until (not including)
// end. An end after the clock emits again when the clock reaches it.
func (s *Server) EndEngagement(engagementUUID string, end time.Time) error {
	return s.editEngagement(engagementUUID, func(_ *Dataset, e *Engagement) error {
		e.Validity.To = end
		return nil
	})
}

func (s *Server) editEngagement(id string, fn func(d *Dataset, e *Engagement) error) error {
	return s.patch(func(d *Dataset, x *index) ([]edited, error) {
		i := indexOf(d.Engagements, engID, id)
		if i < 0 {
			return nil, notFound("engagement", id)
		}
		e := d.Engagements[i]
		if err := fn(d, &e); err != nil {
			return nil, err
		}
		d.Engagements[i] = e
		x.putEngagement(e)
		return []edited{{"engagement", e.UUID, e.Validity}}, nil
	})
}

// AddAddress adds an address of a person or a unit and returns its uuid.
// A blank UUID or UserKey is made up; a zero Validity.From is Today.
func (s *Server) AddAddress(a Address) (string, error) {
	if a.UUID == "" {
		a.UUID = uuid.NewString()
	}
	if a.UserKey == "" {
		a.UserKey = a.Value
	}
	return a.UUID, s.patch(func(d *Dataset, x *index) ([]edited, error) {
		if (a.PersonUUID == "") == (a.UnitUUID == "") || (a.PersonUUID != "" && x.personBy[a.PersonUUID] == nil) ||
			(a.UnitUUID != "" && x.unitBy[a.UnitUUID] == nil) {
			return nil, fmt.Errorf("motest: add address: want exactly one known person or unit, got %q / %q", a.PersonUUID, a.UnitUUID)
		}
		if x.addrBy[a.UUID] != nil || x.classBy[a.AddressTypeUUID] == nil {
			return nil, fmt.Errorf("motest: add address %s: uuid taken or address type %s unknown", a.UUID, a.AddressTypeUUID)
		}
		if a.Validity.From.IsZero() {
			a.Validity.From = d.Today
		}
		s.pos.addr[a.UUID] = len(d.Addresses)
		d.Addresses = append(d.Addresses, a)
		x.putAddress(a)
		return []edited{{"address", a.UUID, a.Validity}}, nil
	})
}

// MoveUnit gives a unit another parent.
func (s *Server) MoveUnit(unitUUID, parentUUID string) error {
	return s.patch(func(d *Dataset, x *index) ([]edited, error) {
		i := indexOf(d.Units, unitID, unitUUID)
		if i < 0 || x.unitBy[parentUUID] == nil || x.inSubtree(parentUUID, unitUUID) {
			return nil, fmt.Errorf("motest: move unit %s under %s: unknown, or a unit under itself", unitUUID, parentUUID)
		}
		d.Units[i].ParentUUID = parentUUID
		x.putUnit(d.Units[i])
		return []edited{{"org_unit", unitUUID, d.Units[i].Validity}}, nil
	})
}

// edited is one object a scripted edit changed.
type edited struct {
	routingKey, subject string
	v                   engine.Validity
}

// patch runs one scripted edit under the write lock: fn changes the
// Dataset and patches the index in place, and its changes are emitted.
func (s *Server) patch(fn func(d *Dataset, x *index) ([]edited, error)) error {
	s.rw.Lock()
	defer s.rw.Unlock()
	changes, err := fn(s.d, s.idx.Load())
	if err != nil {
		return err
	}
	for _, c := range changes {
		s.emitWrite(c.routingKey, c.subject, c.v)
	}
	return nil
}

func notFound(kind, id string) error { return fmt.Errorf("motest: edit: no %s %s", kind, id) }

// indexOf is the position of the object with uuid id in s, or -1.
func indexOf[T any](s []T, uuidOf func(*T) string, id string) int {
	for i := range s {
		if uuidOf(&s[i]) == id {
			return i
		}
	}
	return -1
}

// classIn finds a class of a facet by uuid, else by name or user key;
// "" is the facet's first class.
func classIn(d *Dataset, facetUserKey, key string) *Class {
	var facet string
	for _, f := range d.Facets {
		if f.UserKey == facetUserKey {
			facet = f.UUID
		}
	}
	for i := range d.Classes {
		c := &d.Classes[i]
		if c.FacetUUID == facet && (key == "" || c.UUID == key || c.Name == key || c.UserKey == key) {
			return c
		}
	}
	return nil
}
