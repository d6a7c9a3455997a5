package enginetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"

	"moxsync/engine"
)

// MO is an in-memory OS2MO: a snapshot it serves (MOSource) and writes IT
// users and addresses into (MOWriter, MOITUserReader) with MO's rules: the
// person, IT system and address type must exist, a user_key is required,
// validity.from is required, and an update of an unknown uuid is
// KindNotFound. It is safe for concurrent use.
type MO struct {
	mu     sync.Mutex
	snap   *engine.Snapshot
	nextID int

	// FailWrite, when set, is called before every write with the operation
	// ("ituser_create", "ituser_update", "address_create", "address_update")
	// and the person or object uuid; a non-nil error is returned.
	FailWrite func(op, key string) error

	writes atomic.Int64
}

// NewMO returns an MO serving a deep copy of s.
func NewMO(s *engine.Snapshot) *MO {
	return &MO{snap: cloneSnapshot(s)}
}

// Snapshot returns a deep copy of the data.
func (m *MO) Snapshot(ctx context.Context) (*engine.Snapshot, error) {
	if err := ctx.Err(); err != nil {
		return nil, engine.E(engine.KindUnavailable, "mo: snapshot", "", err)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	return cloneSnapshot(m.snap), nil
}

// Update runs f on the data under the lock (to change MO between reads).
func (m *MO) Update(f func(s *engine.Snapshot)) {
	m.mu.Lock()
	defer m.mu.Unlock()
	f(m.snap)
}

// Writes is the number of successful writes so far.
func (m *MO) Writes() int { return int(m.writes.Load()) }

// ITUsers returns the person's current and future IT users.
func (m *MO) ITUsers(ctx context.Context, personUUID string) ([]engine.ITUser, error) {
	if err := ctx.Err(); err != nil {
		return nil, engine.E(engine.KindUnavailable, "mo: read itusers", personUUID, err)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	p := m.person(personUUID)
	if p == nil {
		return nil, engine.E(engine.KindNotFound, "mo: read itusers", personUUID, errors.New("no such employee"))
	}
	out := make([]engine.ITUser, len(p.ITUsers))
	copy(out, p.ITUsers)
	return out, nil
}

// CreateITUser adds an IT user to a person.
func (m *MO) CreateITUser(ctx context.Context, u engine.ITUserWrite) (string, error) {
	const op = "mo: create ituser"
	if err := m.begin(ctx, "ituser_create", u.PersonUUID); err != nil {
		return "", err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	p := m.person(u.PersonUUID)
	if p == nil {
		return "", engine.E(engine.KindInvalid, op, u.PersonUUID, errors.New("E_NOT_FOUND: no employee with this uuid"))
	}
	sys, err := m.itsystem(u.ITSystemUUID)
	if err != nil {
		return "", engine.E(engine.KindInvalid, op, u.PersonUUID, err)
	}
	if u.UserKey == "" {
		return "", engine.E(engine.KindInvalid, op, u.PersonUUID, errors.New("user_key is required"))
	}
	if u.Validity.From.IsZero() {
		return "", engine.E(engine.KindInvalid, op, u.PersonUUID, errors.New("validity.from is required"))
	}
	id := u.UUID
	if id == "" {
		id = m.newUUID()
	}
	p.ITUsers = append(p.ITUsers, engine.ITUser{UUID: id, UserKey: u.UserKey, ExternalID: u.ExternalID,
		ITSystemUUID: sys.UUID, ITSystemUserKey: sys.UserKey, ITSystemName: sys.Name, Validity: u.Validity})
	m.writes.Add(1)
	return id, nil
}

// UpdateITUser changes an IT user.
func (m *MO) UpdateITUser(ctx context.Context, u engine.ITUserWrite) error {
	const op = "mo: update ituser"
	if err := m.begin(ctx, "ituser_update", u.UUID); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	for i := range m.snap.People {
		p := &m.snap.People[i]
		for j := range p.ITUsers {
			it := &p.ITUsers[j]
			if it.UUID != u.UUID {
				continue
			}
			if u.UserKey != "" {
				it.UserKey = u.UserKey
			}
			it.ExternalID = u.ExternalID
			if u.ITSystemUUID != "" && u.ITSystemUUID != it.ITSystemUUID {
				return engine.E(engine.KindInvalid, op, u.UUID, errors.New("the IT system of an IT user cannot change"))
			}
			it.Validity.To = u.Validity.To
			m.writes.Add(1)
			return nil
		}
	}
	return engine.E(engine.KindNotFound, op, u.UUID, errors.New("no IT user with this uuid"))
}

// CreateAddress adds an address to a person or a unit.
func (m *MO) CreateAddress(ctx context.Context, a engine.AddressWrite) (string, error) {
	const op = "mo: create address"
	key := a.PersonUUID + a.UnitUUID
	if err := m.begin(ctx, "address_create", key); err != nil {
		return "", err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if (a.PersonUUID == "") == (a.UnitUUID == "") {
		return "", engine.E(engine.KindInvalid, op, key, errors.New("Must supply exactly one org_unit or person UUID"))
	}
	cls := m.class(a.TypeUUID)
	if cls == nil {
		return "", engine.E(engine.KindInvalid, op, key, fmt.Errorf("no address type %s", a.TypeUUID))
	}
	id := a.UUID
	if id == "" {
		id = m.newUUID()
	}
	addr := engine.Address{UUID: id, Value: a.Value, Name: a.Value, TypeUUID: cls.UUID, TypeUserKey: cls.UserKey,
		Scope: cls.Scope, VisibilityUUID: a.VisibilityUUID, Validity: a.Validity}
	if a.PersonUUID != "" {
		p := m.person(a.PersonUUID)
		if p == nil {
			return "", engine.E(engine.KindInvalid, op, key, errors.New("no employee with this uuid"))
		}
		p.Addresses = append(p.Addresses, addr)
	} else {
		u := m.unit(a.UnitUUID)
		if u == nil {
			return "", engine.E(engine.KindInvalid, op, key, errors.New("no org unit with this uuid"))
		}
		u.Addresses = append(u.Addresses, addr)
	}
	m.writes.Add(1)
	return addr.UUID, nil
}

// UpdateAddress changes an address's value.
func (m *MO) UpdateAddress(ctx context.Context, a engine.AddressWrite) error {
	const op = "mo: update address"
	if err := m.begin(ctx, "address_update", a.UUID); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	lists := make([]*[]engine.Address, 0, len(m.snap.People)+len(m.snap.Units))
	for i := range m.snap.People {
		lists = append(lists, &m.snap.People[i].Addresses)
	}
	for i := range m.snap.Units {
		lists = append(lists, &m.snap.Units[i].Addresses)
	}
	for _, l := range lists {
		for j := range *l {
			if ad := &(*l)[j]; ad.UUID == a.UUID {
				ad.Value, ad.Name = a.Value, a.Value
				m.writes.Add(1)
				return nil
			}
		}
	}
	return engine.E(engine.KindNotFound, op, a.UUID, errors.New("no address with this uuid"))
}

func (m *MO) begin(ctx context.Context, op, key string) error {
	if err := ctx.Err(); err != nil {
		return engine.E(engine.KindUnavailable, "mo: "+op, key, err)
	}
	if m.FailWrite != nil {
		return m.FailWrite(op, key)
	}
	return nil
}

func (m *MO) person(uuid string) *engine.Person {
	for i := range m.snap.People {
		if strings.EqualFold(m.snap.People[i].UUID, uuid) {
			return &m.snap.People[i]
		}
	}
	return nil
}

func (m *MO) unit(uuid string) *engine.Unit {
	for i := range m.snap.Units {
		if strings.EqualFold(m.snap.Units[i].UUID, uuid) {
			return &m.snap.Units[i]
		}
	}
	return nil
}

func (m *MO) class(uuid string) *engine.Class {
	for i := range m.snap.Classes {
		if strings.EqualFold(m.snap.Classes[i].UUID, uuid) {
			return &m.snap.Classes[i]
		}
	}
	return nil
}

func (m *MO) itsystem(uuid string) (engine.ITSystem, error) {
	for _, s := range m.snap.ITSystems {
		if strings.EqualFold(s.UUID, uuid) {
			return s, nil
		}
	}
	return engine.ITSystem{}, fmt.Errorf("no IT system %q", uuid)
}

func (m *MO) newUUID() string {
	m.nextID++
	return fmt.Sprintf("1e5e0000-0000-4000-8000-%012x", m.nextID)
}

func cloneSnapshot(s *engine.Snapshot) *engine.Snapshot {
	b, err := json.Marshal(s)
	if err != nil {
		panic("enginetest: snapshot does not encode: " + err.Error())
	}
	var out engine.Snapshot
	if err := json.Unmarshal(b, &out); err != nil {
		panic("enginetest: snapshot does not decode: " + err.Error())
	}
	return &out
}
