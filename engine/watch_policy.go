package engine

import (
	"fmt"
	"slices"
	"strings"
)

// WatchPolicy decides, for the continuous mode, which planned changes are
// applied at once and which wait in the review queue for a person
// (events.md §4). The zero value queues everything.
type WatchPolicy struct {
	// AtOnce are the operations applied at once (WATCH_APPLY_AT_ONCE). A
	// change of system MO (a write-back of AD values onto MO) counts as
	// an update, whatever its op, except an MO person created from AD,
	// which always waits (and the IT user that depends on it with it).
	AtOnce []Op
	// ReadOnly queues everything (READONLY).
	ReadOnly bool
	// Thresholds hold for the automatic part per rolling window: deletes
	// and disables applied at once within the window, these included,
	// may not pass MaxDeletes (nor MaxPercent of the system's objects).
	Thresholds Thresholds
	// WindowDestructive is how many deletes and disables were applied at
	// once within the current window before this decision.
	WindowDestructive int
	// Setting names the setting the rule texts refer to.
	Setting string
}

// DefaultWatchAtOnce is the default of WATCH_APPLY_AT_ONCE: attribute
// updates (AD, STS, and MO write-backs) apply at once; creates, disables,
// enables, renames and deletes wait for a person.
var DefaultWatchAtOnce = []Op{OpUpdate}

// Decision is the policy's answer for one change.
type Decision struct {
	AtOnce bool
	// Rule says why a change waits (empty when it is applied at once).
	Rule string
}

// Decide sorts the changes of p into those applied at once and those that
// wait, with the rule that holds each back. A change that depends on a
// waiting one waits with it; disables and deletes that would pass the
// window's thresholds all wait.
func (w WatchPolicy) Decide(p *Plan) map[string]Decision {
	setting := w.Setting
	if setting == "" {
		setting = "WATCH_APPLY_AT_ONCE"
	}
	out := make(map[string]Decision, len(p.Changes))
	byID := make(map[string]*Change, len(p.Changes))
	for i := range p.Changes {
		byID[p.Changes[i].ID] = &p.Changes[i]
	}
	var destructive []*Change
	for i := range p.Changes {
		c := &p.Changes[i]
		op := c.Op
		if c.System == SystemMO {
			op = OpUpdate
		}
		switch {
		case w.ReadOnly:
			out[c.ID] = Decision{Rule: "READONLY = true: nothing is written"}
		case c.System == SystemMO && c.Person != nil:
			out[c.ID] = Decision{Rule: "an MO person created from AD always waits for approval (AD_CREATE_MO_PEOPLE)"}
		case !slices.Contains(w.AtOnce, op):
			out[c.ID] = Decision{Rule: fmt.Sprintf("%s waits for approval (%s = %s)", opNoun(op), setting, opList(w.AtOnce))}
		default:
			out[c.ID] = Decision{AtOnce: true}
			if Destructive(c) {
				destructive = append(destructive, c)
			}
		}
	}
	if len(destructive) > 0 {
		t := w.Thresholds.withDefaults()
		per := map[System]int{}
		for _, c := range destructive {
			per[c.System]++
		}
		var over string
		switch {
		case w.WindowDestructive+len(destructive) > t.MaxDeletes:
			over = fmt.Sprintf("%d deletes/disables within the safety window would pass SAFETY_MAX_DELETES = %d", w.WindowDestructive+len(destructive), t.MaxDeletes)
		case p.Inventory.MOPeople == 0 || p.Inventory.MOUnits == 0:
			over = "MO returned no people or no units (zero-MO guard)"
		default:
			for _, s := range []System{SystemAD, SystemSTS, SystemMO} {
				if n, objs := per[s], p.Inventory.objects(s); n > 0 && objs > 0 && float64(n)*100/float64(objs) > t.MaxPercent {
					over = fmt.Sprintf("%d deletes/disables of %d %s objects pass SAFETY_MAX_DELETE_PERCENT = %g", n, objs, s, t.MaxPercent)
				}
			}
		}
		if over != "" {
			for _, c := range destructive {
				out[c.ID] = Decision{Rule: over}
			}
		}
	}
	// A change waits with the change it depends on (an MO write-back with
	// its AD create; an STS user with its unit), transitively.
	for changed := true; changed; {
		changed = false
		for i := range p.Changes {
			c := &p.Changes[i]
			if c.DependsOn == "" || !out[c.ID].AtOnce {
				continue
			}
			if d, ok := out[c.DependsOn]; ok && !d.AtOnce {
				dep := byID[c.DependsOn]
				out[c.ID] = Decision{Rule: fmt.Sprintf("waits with change %s (%s %s %s)", c.DependsOn, dep.System, dep.Op, dep.Subject)}
				changed = true
			}
		}
	}
	return out
}

func opNoun(op Op) string {
	switch op {
	case OpCreate:
		return "a create"
	case OpUpdate:
		return "an update"
	case OpEnable:
		return "an enable"
	}
	return "a " + string(op)
}

func opList(ops []Op) string {
	if len(ops) == 0 {
		return "none"
	}
	ss := make([]string, len(ops))
	for i, o := range ops {
		ss[i] = string(o)
	}
	return strings.Join(ss, ", ")
}

// SubjectOf is the key a change is planned for in the continuous mode: the
// MO person (or unit) it concerns, else its target (an AD account by GUID,
// an STS object by UUID). The review queue groups and supersedes changes
// by it.
func SubjectOf(c *Change) string {
	switch {
	case c.MOUUID != "":
		return c.MOUUID
	case c.Target.UUID != "":
		return c.Target.UUID
	case c.Target.GUID != "":
		return strings.ToLower(c.Target.GUID)
	}
	return c.Target.DN
}
