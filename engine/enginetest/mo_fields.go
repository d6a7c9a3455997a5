package enginetest

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"moxsync/engine"
)

var (
	_ engine.MOFieldWriter  = (*MO)(nil)
	_ engine.MOPersonReader = (*MO)(nil)
)

// PersonNow returns a copy of the person, nil when MO has none.
func (m *MO) PersonNow(ctx context.Context, uuid string) (*engine.Person, error) {
	if err := ctx.Err(); err != nil {
		return nil, engine.E(engine.KindUnavailable, "mo: read person", uuid, err)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	p := m.person(uuid)
	if p == nil {
		return nil, nil
	}
	s := cloneSnapshot(&engine.Snapshot{People: []engine.Person{*p}})
	return &s.People[0], nil
}

// PeopleByCPR returns the uuids of the people with the CPR number.
func (m *MO) PeopleByCPR(ctx context.Context, cpr string) ([]string, error) {
	if err := ctx.Err(); err != nil {
		return nil, engine.E(engine.KindUnavailable, "mo: read people by CPR", engine.MaskCPR(cpr), err)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []string
	for _, p := range m.snap.People {
		if p.CPR == cpr {
			out = append(out, p.UUID)
		}
	}
	return out, nil
}

// UpdateEngagement changes an engagement's user_key and job function
// (which must be a class of the job function facet).
func (m *MO) UpdateEngagement(ctx context.Context, w engine.EngagementWrite) error {
	const op = "mo: update engagement"
	if err := m.begin(ctx, "engagement_update", w.UUID); err != nil {
		return err
	}
	if w.Validity.From.IsZero() {
		return engine.E(engine.KindInvalid, op, w.UUID, errors.New("missing start date"))
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	for i := range m.snap.People {
		for j := range m.snap.People[i].Engagements {
			e := &m.snap.People[i].Engagements[j]
			if e.UUID != w.UUID {
				continue
			}
			if w.JobFunctionUUID != "" {
				c := m.class(w.JobFunctionUUID)
				if c == nil {
					return engine.E(engine.KindInvalid, op, w.UUID, fmt.Errorf("no class %s", w.JobFunctionUUID))
				}
				e.JobFunctionUUID, e.JobFunction = c.UUID, c.Name
			}
			if w.UserKey != "" {
				e.UserKey = w.UserKey
			}
			if w.SetEnd {
				e.Validity.To = w.End
			}
			for k, v := range w.Extensions {
				if e.Extensions == nil {
					e.Extensions = map[string]string{}
				}
				e.Extensions[k] = v
			}
			m.writes.Add(1)
			return nil
		}
	}
	return engine.E(engine.KindNotFound, op, w.UUID, errors.New("no engagement with this uuid"))
}

// TerminateAddress ends an address at a.Validity.To.
func (m *MO) TerminateAddress(ctx context.Context, a engine.AddressWrite) error {
	const op = "mo: terminate address"
	if err := m.begin(ctx, "address_terminate", a.UUID); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	for i := range m.snap.People {
		for j := range m.snap.People[i].Addresses {
			if ad := &m.snap.People[i].Addresses[j]; ad.UUID == a.UUID {
				ad.Validity.To = a.Validity.To
				m.writes.Add(1)
				return nil
			}
		}
	}
	return engine.E(engine.KindNotFound, op, a.UUID, errors.New("no address with this uuid"))
}

// CreateClass adds a class to the snapshot's classes.
func (m *MO) CreateClass(ctx context.Context, c engine.ClassWrite) (string, error) {
	if err := m.begin(ctx, "class_create", c.Name); err != nil {
		return "", err
	}
	if strings.TrimSpace(c.Name) == "" || c.FacetUserKey == "" {
		return "", engine.E(engine.KindInvalid, "mo: create class", c.Name, errors.New("name and facet are required"))
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	id := m.newUUID()
	m.snap.Classes = append(m.snap.Classes, engine.Class{UUID: id, UserKey: c.UserKey, Name: c.Name, FacetUserKey: c.FacetUserKey})
	m.writes.Add(1)
	return id, nil
}

// CreatePerson adds a person; a CPR another person has is refused as MO
// does (V_EXISTING_CPR).
func (m *MO) CreatePerson(ctx context.Context, p engine.PersonWrite) (string, error) {
	const op = "mo: create person"
	if err := m.begin(ctx, "employee_create", engine.MaskCPR(p.CPR)); err != nil {
		return "", err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, o := range m.snap.People {
		if p.CPR != "" && o.CPR == p.CPR {
			return "", engine.E(engine.KindConflict, op, engine.MaskCPR(p.CPR), errors.New("V_EXISTING_CPR: a person with this CPR exists"))
		}
	}
	id := m.newUUID()
	m.snap.People = append(m.snap.People, engine.Person{UUID: id, GivenName: p.GivenName, Surname: p.Surname, CPR: p.CPR})
	m.writes.Add(1)
	return id, nil
}

// TerminateEngagement ends an engagement at w.End.
func (m *MO) TerminateEngagement(ctx context.Context, w engine.EngagementWrite) error {
	const op = "mo: terminate engagement"
	if err := m.begin(ctx, "engagement_terminate", w.UUID); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	for i := range m.snap.People {
		for j := range m.snap.People[i].Engagements {
			if e := &m.snap.People[i].Engagements[j]; e.UUID == w.UUID {
				if w.End.IsZero() || !w.End.After(e.Validity.From) {
					return engine.E(engine.KindInvalid, op, w.UUID, errors.New("end date is before start date"))
				}
				e.Validity.To = w.End
				m.writes.Add(1)
				return nil
			}
		}
	}
	return engine.E(engine.KindNotFound, op, w.UUID, errors.New("no engagement with this uuid"))
}
