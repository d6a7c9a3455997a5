package motest

import (
	"strings"
	"time"

	"github.com/google/uuid"

	"moxsync/engine"
)

// The writes of AD-owned MO fields (issue #14): engagement_update,
// address_terminate, class_create and employee_create, with MO's rules and
// errors. Like the other writes they change s.d and the index together
// (the index incrementally) and emit MO's event; the caller holds s.rw
// exclusively.

// engWrite is an engagement edit. Nil pointers are fields left out.
type engWrite struct {
	UUID           string
	UserKey        *string
	Extensions     [10]*string // extension_1 .. extension_10
	JobFunction    string
	EngagementType string
	Primary        string
	Person         string
	Unit           string
	Validity       engine.Validity
	obj            any
}

// classOfFacet checks that id is a class of the facet with user key facet,
// as MO does when it resolves a class reference: a uuid that is no class
// is E_NOT_FOUND naming the field.
func (x *index) classOfFacet(key, id, facet string) *moError {
	c := x.classBy[id]
	if c == nil {
		return errNotFound(key, id)
	}
	if facet != "" && x.facetKey(c) != facet {
		return errInvalidInput("Class "+id+" is not in facet "+facet, "key", key, "uuid", id)
	}
	return nil
}

func (s *Server) updateEngagement(w engWrite) *moError {
	x := s.idx.Load()
	i, ok := s.pos.eng[w.UUID]
	if !ok {
		return errNotFound("uuid", w.UUID)
	}
	if e := checkValidity(w.Validity, w.obj); e != nil {
		return e
	}
	e := s.d.Engagements[i]
	if w.JobFunction != "" {
		if err := x.classOfFacet("job_function_uuid", w.JobFunction, FacetJobFunction); err != nil {
			return err
		}
		e.JobFunctionUUID = w.JobFunction
	}
	if w.EngagementType != "" {
		if err := x.classOfFacet("engagement_type_uuid", w.EngagementType, FacetEngagementType); err != nil {
			return err
		}
		e.EngagementTypeUUID = w.EngagementType
	}
	if w.Primary != "" {
		if err := x.classOfFacet("primary_uuid", w.Primary, FacetPrimaryType); err != nil {
			return err
		}
		e.PrimaryUUID = w.Primary
	}
	if w.Person != "" {
		if x.personBy[w.Person] == nil {
			return errUserNotFound(w.Person)
		}
		e.PersonUUID = w.Person
	}
	if w.Unit != "" {
		if x.unitBy[w.Unit] == nil {
			return errOrgUnitNotFound(w.Unit)
		}
		e.UnitUUID = w.Unit
	}
	if w.UserKey != nil {
		e.UserKey = *w.UserKey
	}
	for i, v := range w.Extensions {
		if v != nil {
			e.Extensions[i] = *v
		}
	}
	e.Validity = w.Validity
	s.d.Engagements[i] = e
	x.putEngagement(e)
	s.emitWrite("engagement", e.UUID, e.Validity)
	return nil
}

// terminateEngagement ends an engagement: it no longer holds from to.
func (s *Server) terminateEngagement(id string, to time.Time, obj any) *moError {
	x := s.idx.Load()
	i, ok := s.pos.eng[id]
	if !ok {
		return errNotFound("uuid", id)
	}
	if to.IsZero() {
		return errMissing("to", obj)
	}
	e := s.d.Engagements[i]
	if !e.Validity.From.IsZero() && !to.After(e.Validity.From) {
		return errEndBeforeStart(obj)
	}
	e.Validity.To = to
	s.d.Engagements[i] = e
	x.putEngagement(e)
	s.emitWrite("engagement", e.UUID, e.Validity)
	return nil
}

// terminateAddress ends an address: it no longer holds from to (the
// stored, half-open end).
func (s *Server) terminateAddress(id string, to engine.Validity, obj any) *moError {
	x := s.idx.Load()
	i, ok := s.pos.addr[id]
	if !ok {
		return errNotFound("uuid", id)
	}
	if to.To.IsZero() {
		return errMissing("to", obj)
	}
	a := s.d.Addresses[i]
	if !a.Validity.From.IsZero() && !to.To.After(a.Validity.From) {
		return errEndBeforeStart(obj)
	}
	a.Validity.To = to.To
	s.d.Addresses[i] = a
	x.putAddress(a)
	s.emitWrite("address", a.UUID, a.Validity)
	return nil
}

// classWrite is a class_create.
type classWrite struct {
	UUID, Name, UserKey, Facet, Scope string
}

func (s *Server) createClass(w classWrite) (string, *moError) {
	x := s.idx.Load()
	if strings.TrimSpace(w.Name) == "" {
		return "", errMissing("name", map[string]any{"name": w.Name})
	}
	if strings.TrimSpace(w.UserKey) == "" {
		return "", errMissing("user_key", map[string]any{"user_key": w.UserKey})
	}
	if x.facetBy[w.Facet] == nil {
		return "", errNotFound("facet_uuid", w.Facet)
	}
	id := w.UUID
	if id == "" {
		id = uuid.NewString()
	} else if x.classBy[id] != nil {
		return "", errInvalidInput("Object with uuid already exists", "uuid", id)
	}
	c := Class{UUID: id, UserKey: w.UserKey, Name: w.Name, Scope: w.Scope, FacetUUID: w.Facet, Published: "Publiceret"}
	s.d.Classes = append(s.d.Classes, c)
	x.putClass(c)
	s.emitWrite("class", id, engine.Validity{From: s.d.Today})
	return id, nil
}

// personWrite is an employee_create (GraphQL) or /service/e/create.
type personWrite struct {
	UUID, UserKey, CPR, GivenName, Surname string
	NicknameGivenName, NicknameSurname     string
}

func (s *Server) createPerson(w personWrite) (string, *moError) {
	x := s.idx.Load()
	if strings.TrimSpace(w.GivenName) == "" && strings.TrimSpace(w.Surname) == "" {
		return "", errMissing("name", map[string]any{"given_name": w.GivenName, "surname": w.Surname})
	}
	var from engine.Validity
	if w.CPR != "" {
		born, ok := CPRBirthDate(w.CPR)
		if !ok {
			return "", newMOError(400, "V_CPR_NOT_VALID", "Not a valid CPR number.", "cpr", engine.MaskCPR(w.CPR))
		}
		if len(x.cprIndex[w.CPR]) > 0 {
			return "", newMOError(409, "V_EXISTING_CPR", "Person with CPR number already exists.", "cpr", engine.MaskCPR(w.CPR))
		}
		from.From = born
	} else {
		from.From = s.d.Today
	}
	id := w.UUID
	if id == "" {
		id = uuid.NewString()
	} else if x.personBy[id] != nil {
		return "", errInvalidInput("Object with uuid already exists", "uuid", id)
	}
	p := Person{UUID: id, UserKey: w.UserKey, CPR: w.CPR, GivenName: w.GivenName, Surname: w.Surname,
		NicknameGivenName: w.NicknameGivenName, NicknameSurname: w.NicknameSurname, Validity: from}
	if p.UserKey == "" {
		p.UserKey = id
	}
	s.d.People = append(s.d.People, p)
	x.putPerson(p)
	s.emitWrite("person", id, p.Validity)
	return id, nil
}
