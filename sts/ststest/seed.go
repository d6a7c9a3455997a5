package ststest

import (
	"encoding/json"
	"strings"
	"time"
)

// SeedPosition is one position of a seeded user.
type SeedPosition struct {
	Name        string // job title
	OrgUnitUUID string
}

// SeedUnit stores an active unit as if another system (or an earlier
// tool) had written it to STS: the JSON of dialect ("v1_1" or "os2sync"),
// validated as a POST is. parent "" makes it a root of the hierarchy.
func (s *Server) SeedUnit(dialect, uuid, name, parent string) {
	o := obj{"Uuid": strings.ToLower(uuid), "Name": name}
	if parent != "" {
		o["ParentOrgUnitUuid"] = strings.ToLower(parent)
	}
	if dialect == dialectOS2sync {
		o["ItSystems"] = []any{}
		o["Type"] = "DEPARTMENT"
	} else {
		o["ItSystemUuids"] = []any{}
	}
	s.seed(kindUnit, dialect, o, validateUnit(o))
}

// SeedUser stores an active user with the given positions, as SeedUnit
// does for a unit.
func (s *Server) SeedUser(dialect, uuid, userID, name string, positions ...SeedPosition) {
	ps := make([]any, len(positions))
	for i, p := range positions {
		ps[i] = map[string]any{"Name": p.Name, "OrgUnitUuid": strings.ToLower(p.OrgUnitUUID)}
	}
	o := obj{"Uuid": strings.ToLower(uuid), "UserId": userID, "Positions": ps, "Person": map[string]any{"Name": name}}
	s.seed(kindUser, dialect, o, validateUser(o))
}

func (s *Server) seed(kind, dialect string, o obj, invalid string) {
	if invalid != "" {
		panic("ststest: seed " + kind + ": " + invalid)
	}
	if dialect != dialectOS2sync {
		dialect = dialectV11
	}
	o["Timestamp"] = s.opts.Now().Add(-5 * time.Minute).Format(time.RFC3339)
	b, _ := json.Marshal(o)
	var back obj
	json.Unmarshal(b, &back) // the stored shape: JSON numbers, []any, map[string]any
	s.mu.Lock()
	defer s.mu.Unlock()
	s.applyLocked(queued{kind: kind, dialect: dialect, body: b, o: back, uuid: uuidOf(back)})
}
