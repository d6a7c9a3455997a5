package enginetest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"

	"moxsync/engine"
)

// STS is an in-memory STS Organisation behind STSOrgSync: an upsert
// replaces the whole object, a unit's parent and a position's unit must
// exist, a user may hold one position per unit, a delete of something
// absent is no error (as the adapter treats a 404), and a read of
// something absent is KindNotFound. It is safe for concurrent use.
type STS struct {
	mu    sync.Mutex
	units map[string]engine.STSUnit
	users map[string]engine.STSUser

	// FailWrite, when set, is called before every write with the operation
	// ("upsert_unit", "upsert_user", "delete_unit", "delete_user") and the
	// uuid; a non-nil error is returned.
	FailWrite func(op, uuid string) error

	requests atomic.Int64
}

// NewSTS returns an empty STS.
func NewSTS() *STS {
	return &STS{units: map[string]engine.STSUnit{}, users: map[string]engine.STSUser{}}
}

// Requests counts every call made to the fake.
func (s *STS) Requests() int { return int(s.requests.Load()) }

// Record returns what the fake holds as an engine.STSRecord, the "before"
// of the next STS diff (what a local record would hold after successful
// sends).
func (s *STS) Record() engine.STSRecord {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := engine.STSRecord{Units: map[string]engine.STSUnit{}, Users: map[string]engine.STSUser{}}
	for k, v := range s.units {
		r.Units[k] = v
	}
	for k, v := range s.users {
		r.Users[k] = v
	}
	return r
}

// UpsertUnit creates or replaces a unit.
func (s *STS) UpsertUnit(ctx context.Context, u engine.STSUnit) error {
	const op = "sts: upsert orgunit"
	if err := s.begin(ctx, "upsert_unit", u.UUID); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	id := strings.ToLower(u.UUID)
	switch {
	case id == "":
		return engine.E(engine.KindInvalid, op, "", errors.New("Uuid is required"))
	case strings.TrimSpace(u.Name) == "":
		return engine.E(engine.KindInvalid, op, id, errors.New("Name is required"))
	}
	if p := strings.ToLower(u.ParentUUID); p != "" {
		if _, ok := s.units[p]; !ok {
			return engine.E(engine.KindInvalid, op, id, fmt.Errorf("parent orgunit %s does not exist", p))
		}
	}
	s.units[id] = u
	return nil
}

// UpsertUser creates or replaces a user.
func (s *STS) UpsertUser(ctx context.Context, u engine.STSUser) error {
	const op = "sts: upsert user"
	if err := s.begin(ctx, "upsert_user", u.UUID); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	id := strings.ToLower(u.UUID)
	switch {
	case id == "":
		return engine.E(engine.KindInvalid, op, "", errors.New("Uuid is required"))
	case u.UserID == "":
		return engine.E(engine.KindInvalid, op, id, errors.New("UserId is required"))
	}
	seen := map[string]bool{}
	for _, p := range u.Positions {
		ou := strings.ToLower(p.OrgUnitUUID)
		if _, ok := s.units[ou]; !ok {
			return engine.E(engine.KindInvalid, op, id, fmt.Errorf("position in orgunit %s, which does not exist", ou))
		}
		if seen[ou] {
			return engine.E(engine.KindInvalid, op, id, fmt.Errorf("two positions in orgunit %s", ou))
		}
		seen[ou] = true
	}
	s.users[id] = u
	return nil
}

// DeleteUnit removes a unit; an absent one is no error.
func (s *STS) DeleteUnit(ctx context.Context, uuid string) error {
	if err := s.begin(ctx, "delete_unit", uuid); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.units, strings.ToLower(uuid))
	return nil
}

// DeleteUser removes a user; an absent one is no error.
func (s *STS) DeleteUser(ctx context.Context, uuid string) error {
	if err := s.begin(ctx, "delete_user", uuid); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.users, strings.ToLower(uuid))
	return nil
}

// GetUnit reads a unit.
func (s *STS) GetUnit(ctx context.Context, uuid string) (engine.STSUnit, error) {
	s.requests.Add(1)
	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := s.units[strings.ToLower(uuid)]
	if !ok {
		return engine.STSUnit{}, engine.E(engine.KindNotFound, "sts: read orgunit", uuid, errors.New("404 Not Found"))
	}
	return u, nil
}

// GetUser reads a user.
func (s *STS) GetUser(ctx context.Context, uuid string) (engine.STSUser, error) {
	s.requests.Add(1)
	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := s.users[strings.ToLower(uuid)]
	if !ok {
		return engine.STSUser{}, engine.E(engine.KindNotFound, "sts: read user", uuid, errors.New("404 Not Found"))
	}
	return u, nil
}

func (s *STS) begin(ctx context.Context, op, uuid string) error {
	s.requests.Add(1)
	if err := ctx.Err(); err != nil {
		return engine.E(engine.KindUnavailable, "sts: "+op, uuid, err)
	}
	if s.FailWrite != nil {
		return s.FailWrite(op, uuid)
	}
	return nil
}

// RecordedUnit returns the unit the fake holds: the fake is its own record
// (engine.STSRecordReader).
func (s *STS) RecordedUnit(uuid string) (engine.STSUnit, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := s.units[strings.ToLower(uuid)]
	return u, ok
}

// RecordedUser returns the user the fake holds.
func (s *STS) RecordedUser(uuid string) (engine.STSUser, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := s.users[strings.ToLower(uuid)]
	return u, ok
}
