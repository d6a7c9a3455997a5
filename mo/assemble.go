package mo

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"moxsync/engine"
)

// rawPerson and rawUnit are what a backend read, before the rules shared by
// both backends are applied (see assemble). Relations may hold several
// validity slices of one object.
type rawPerson struct {
	UUID, UserKey, CPR                 string
	GivenName, Surname                 string
	NicknameGivenName, NicknameSurname string
	Engagements                        []engine.Engagement
	Addresses                          []engine.Address
	ITUsers                            []engine.ITUser
}

type rawUnit struct {
	UUID, UserKey, Name, ParentUUID string
	UnitType, UnitLevel             string
	Validity                        engine.Validity
	Addresses                       []engine.Address
	ITUsers                         []engine.ITUser // the unit's IT system bindings
	Managers                        []engine.Manager
}

// readResult is one backend's complete read.
type readResult struct {
	org       string
	units     []rawUnit
	people    []rawPerson
	classes   []engine.Class
	itsystems []engine.ITSystem
	warnings  []engine.Warning
}

// assemble applies the snapshot rules both backends share: relation slices
// merged, CPR numbers checked, units limited to the top unit's subtree, a
// top-level unit's parent (the organisation, in GraphQL before v28) blanked.
func assemble(now time.Time, topUnit string, r *readResult) (*engine.Snapshot, error) {
	s := &engine.Snapshot{
		ReadAt:    now.UTC(),
		OrgUUID:   r.org,
		TopUnit:   topUnit,
		Classes:   r.classes,
		ITSystems: r.itsystems,
		Warnings:  r.warnings,
		Units:     make([]engine.Unit, 0, len(r.units)),
		People:    make([]engine.Person, 0, len(r.people)),
	}
	units := r.units
	if topUnit != "" {
		var err error
		if units, err = subtree(units, topUnit); err != nil {
			return nil, err
		}
	}
	for i := range units {
		u := &units[i]
		parent := u.ParentUUID
		if parent == r.org {
			parent = ""
		}
		s.Units = append(s.Units, engine.Unit{
			UUID: u.UUID, UserKey: u.UserKey, Name: u.Name, ParentUUID: parent,
			UnitType: u.UnitType, UnitLevel: u.UnitLevel, Validity: u.Validity,
			Addresses:     mergeSlices(now, u.Addresses, addrKey),
			ITSystemUUIDs: bindings(now, u.ITUsers),
			Managers:      mergeSlices(now, u.Managers, mgrKey),
		})
	}
	for i := range r.people {
		p := &r.people[i]
		cpr, why := normaliseCPR(p.CPR)
		if why != "" {
			s.Warnings = append(s.Warnings, invalidCPRWarning(p))
		}
		s.People = append(s.People, engine.Person{
			UUID: p.UUID, UserKey: p.UserKey, CPR: cpr,
			GivenName: p.GivenName, Surname: p.Surname,
			NicknameGivenName: p.NicknameGivenName, NicknameSurname: p.NicknameSurname,
			Engagements: mergeSlices(now, p.Engagements, engKey),
			Addresses:   mergeSlices(now, p.Addresses, addrKey),
			ITUsers:     mergeSlices(now, p.ITUsers, itKey),
		})
	}
	s.Normalize()
	return s, nil
}

// subtree keeps top and its descendants. It fails when top is not among
// the units, so a mistyped top unit never reads as "no units".
func subtree(units []rawUnit, top string) ([]rawUnit, error) {
	children := make(map[string][]int, len(units))
	found := -1
	for i, u := range units {
		children[u.ParentUUID] = append(children[u.ParentUUID], i)
		if u.UUID == top {
			found = i
		}
	}
	if found < 0 {
		return nil, engine.E(engine.KindNotFound, "mo: read units", top, fmt.Errorf("top unit %s is not a current unit in MO", top))
	}
	out := make([]rawUnit, 0, len(units))
	seen := make(map[string]bool, len(units))
	queue := []int{found}
	for len(queue) > 0 {
		i := queue[0]
		queue = queue[1:]
		if seen[units[i].UUID] {
			continue // a cycle in bad data; never loop
		}
		seen[units[i].UUID] = true
		out = append(out, units[i])
		queue = append(queue, children[units[i].UUID]...)
	}
	return out, nil
}

// bindings are the distinct IT systems of a unit's IT users that have not
// ended at now.
func bindings(now time.Time, its []engine.ITUser) []string {
	var out []string
	seen := map[string]bool{}
	for _, it := range its {
		if it.ITSystemUUID == "" || seen[it.ITSystemUUID] || !it.Validity.CurrentOrFuture(now) {
			continue
		}
		seen[it.ITSystemUUID] = true
		out = append(out, it.ITSystemUUID)
	}
	sort.Strings(out)
	return out
}

// slice accessors for mergeSlices.
type sliceKey[T any] func(*T) (uuid string, v *engine.Validity)

func engKey(e *engine.Engagement) (string, *engine.Validity) { return e.UUID, &e.Validity }
func addrKey(a *engine.Address) (string, *engine.Validity)   { return a.UUID, &a.Validity }
func itKey(i *engine.ITUser) (string, *engine.Validity)      { return i.UUID, &i.Validity }
func mgrKey(m *engine.Manager) (string, *engine.Validity)    { return m.UUID, &m.Validity }

// mergeSlices turns the validity slices of each object into one record:
// the attributes of the slice in force at now (else the earliest future
// one), its start, and the end of the last slice that follows it without a
// gap. Slices that ended before now are dropped.
func mergeSlices[T any](now time.Time, in []T, key sliceKey[T]) []T {
	if len(in) == 0 {
		return nil
	}
	if out, ok := distinctSlices(now, in, key); ok {
		return out
	}
	sort.SliceStable(in, func(i, j int) bool {
		ui, vi := key(&in[i])
		uj, vj := key(&in[j])
		if ui != uj {
			return ui < uj
		}
		return vi.From.Before(vj.From)
	})
	out := make([]T, 0, len(in))
	for i := 0; i < len(in); {
		uid, _ := key(&in[i])
		j := i
		for j < len(in) {
			if u, _ := key(&in[j]); u != uid {
				break
			}
			j++
		}
		// in[i:j] are the slices of one object, by start.
		pick := -1
		for k := i; k < j; k++ {
			if _, v := key(&in[k]); v.CurrentOrFuture(now) {
				pick = k
				break
			}
		}
		if pick >= 0 {
			rec := in[pick]
			_, v := key(&rec)
			for k := pick + 1; k < j && !v.To.IsZero(); k++ {
				_, next := key(&in[k])
				if next.From.After(v.To) {
					break
				}
				if next.To.IsZero() || next.To.After(v.To) {
					v.To = next.To
				}
			}
			out = append(out, rec)
		}
		i = j
	}
	if len(out) == 0 {
		return nil // as the engine's empty relation lists are
	}
	return out
}

// distinctSlices is mergeSlices' fast path for the common case: a short
// list with one slice per object. It drops ended slices in place; ok is
// false when some object has several slices.
func distinctSlices[T any](now time.Time, in []T, key sliceKey[T]) ([]T, bool) {
	if len(in) > 16 {
		return nil, false
	}
	for i := range in {
		ui, _ := key(&in[i])
		for j := i + 1; j < len(in); j++ {
			if uj, _ := key(&in[j]); uj == ui {
				return nil, false
			}
		}
	}
	out := in[:0]
	for i := range in {
		if _, v := key(&in[i]); v.CurrentOrFuture(now) {
			out = append(out, in[i])
		}
	}
	if len(out) == 0 {
		return nil, true
	}
	return out, true
}

// classIndex finds classes by uuid.
type classIndex map[string]engine.Class

func indexClasses(cs []engine.Class) classIndex {
	m := make(classIndex, len(cs))
	for _, c := range cs {
		m[c.UUID] = c
	}
	return m
}

// findITSystem is the IT system whose user_key or name is key (user_key
// first, then name, case-insensitive); "" when there is none.
func findITSystem(systems []engine.ITSystem, key string) string {
	for _, s := range systems {
		if s.UserKey == key {
			return s.UUID
		}
	}
	for _, s := range systems {
		if strings.EqualFold(s.Name, key) || strings.EqualFold(s.UserKey, key) {
			return s.UUID
		}
	}
	return ""
}

// invalidCPRWarning reports a person whose CPR number MO holds is not valid:
// the person's name as subject, the uuid as key, the CPR masked.
func invalidCPRWarning(p *rawPerson) engine.Warning {
	name := engine.Person{GivenName: p.GivenName, Surname: p.Surname}.Name()
	return engine.Warning{
		Code: "invalid_cpr", System: "mo", Subject: name, Key: p.UUID,
		Message: "invalid CPR number " + engine.MaskCPR(p.CPR) + "; the person is read without one",
	}
}
