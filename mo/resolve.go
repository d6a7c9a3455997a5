package mo

import (
	"context"
	"sort"
	"strings"
	"sync"

	"moxsync/engine"
)

// gqlOwner is whom one validity slice of an engagement, address, IT user,
// manager or leave belongs to.
type gqlOwner struct {
	EmployeeUUID wstr `json:"employee_uuid"`
	OrgUnitUUID  wstr `json:"org_unit_uuid"`
}

// resolveWorkers is how many resolution or partial-read pages run at once.
const resolveWorkers = 4

// Resolve maps event subjects of one routing key to the people and units
// they concern (events.md §1):
//
//   - person, org_unit: the subjects themselves, without asking MO (Partial
//     lists any that MO does not hold as missing);
//   - engagement, address, ituser, manager, leave: the person or unit each
//     object belongs to in any of its validities, so a terminated one still
//     resolves; one request per PageSize subjects;
//   - class, facet, itsystem: a full re-plan (Full), and the cached classes
//     and IT systems of partial reads are dropped;
//   - any other routing key (association, kle, owner, related_unit,
//     rolebinding): nothing, as the engine reads none of those.
//
// Subjects that are not uuids are ignored, as are objects MO does not know.
func (c *Client) Resolve(ctx context.Context, routingKey string, subjects []string) (engine.Subjects, error) {
	const op = "mo: resolve event subjects"
	if err := c.needGraphQL(op); err != nil {
		return engine.Subjects{}, err
	}
	ids := cleanUUIDs(subjects)
	if len(ids) == 0 {
		return engine.Subjects{}, nil
	}
	switch routingKey {
	case "person":
		return engine.Subjects{People: ids}, nil
	case "org_unit":
		return engine.Subjects{Units: ids}, nil
	case "class", "facet", "itsystem":
		c.ev.mu.Lock()
		c.ev.vocab = nil
		c.ev.mu.Unlock()
		return engine.Subjects{Full: true}, nil
	}
	r, ok := resolveOps[routingKey]
	if !ok {
		return engine.Subjects{}, nil
	}
	check := func(o *gqlTemporal[gqlOwner]) gap {
		return checkTemporal(o, false, func(s *gqlOwner) gap {
			g := sent("employee_uuid", s.EmployeeUUID.set)
			if g.ok() && r.unit {
				g = sent("org_unit_uuid", s.OrgUnitUUID.set)
			}
			return g
		})
	}
	var mu sync.Mutex
	people, units := map[string]bool{}, map[string]bool{}
	chunks := chunk(ids, c.cfg.PageSize)
	err := runAll(ctx, resolveWorkers, len(chunks), func(ctx context.Context, i int) error {
		return readPages(ctx, c, op, r.op, r.collection, map[string]any{"uuids": chunks[i]}, check, func(objs []gqlTemporal[gqlOwner]) error {
			mu.Lock()
			defer mu.Unlock()
			for i := range objs {
				for _, s := range objs[i].slices() {
					if s.EmployeeUUID.v != "" {
						people[s.EmployeeUUID.v] = true
					}
					if r.unit && s.OrgUnitUUID.v != "" {
						units[s.OrgUnitUUID.v] = true
					}
				}
			}
			return nil
		})
	})
	if err != nil {
		return engine.Subjects{}, err
	}
	return engine.Subjects{People: setList(people), Units: setList(units)}, nil
}

// cleanUUIDs is the distinct uuids of ids, lower-case and sorted.
func cleanUUIDs(ids []string) []string {
	seen := make(map[string]bool, len(ids))
	for _, id := range ids {
		if id = strings.ToLower(strings.TrimSpace(id)); isUUID(id) {
			seen[id] = true
		}
	}
	return setList(seen)
}

// setList is the sorted members of a set, nil when it is empty.
func setList(m map[string]bool) []string {
	if len(m) == 0 {
		return nil
	}
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// chunk cuts ids into lists of at most n.
func chunk(ids []string, n int) [][]string {
	if n <= 0 {
		n = DefaultPageSize
	}
	var out [][]string
	for len(ids) > n {
		out = append(out, ids[:n])
		ids = ids[n:]
	}
	if len(ids) > 0 {
		out = append(out, ids)
	}
	return out
}
