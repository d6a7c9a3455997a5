package engine

import (
	"fmt"
	"strconv"
	"strings"
)

// Thresholds are the deletion thresholds of design §7: an apply whose
// deletes plus disables in one system exceed MaxDeletes, or MaxPercent of
// the objects that system held, is refused before any write.
type Thresholds struct {
	MaxDeletes int     // SAFETY_MAX_DELETES; <= 0 means the default 50
	MaxPercent float64 // SAFETY_MAX_DELETE_PERCENT; <= 0 means the default 10
}

// DefaultThresholds are design §7's defaults: 50 and 10 %.
var DefaultThresholds = Thresholds{MaxDeletes: 50, MaxPercent: 10}

func (t Thresholds) withDefaults() Thresholds {
	if t.MaxDeletes <= 0 {
		t.MaxDeletes = DefaultThresholds.MaxDeletes
	}
	if t.MaxPercent <= 0 {
		t.MaxPercent = DefaultThresholds.MaxPercent
	}
	return t
}

// Destructive reports whether c removes or locks something (delete,
// disable): the changes the thresholds count.
func Destructive(c *Change) bool { return c.Op == OpDelete || c.Op == OpDisable }

// SafetyCheck applies the rules of design §7 to the changes about to be
// applied, before any write. It returns nil, or an *Error of KindRefused
// saying which rule refused and what to do.
//   - read-only refuses everything;
//   - deletes and disables are refused when MO returned zero people or zero
//     units (the zero-MO guard), and a delete of the top unit always is;
//   - allowDeletes > 0 must equal the exact number of deletes + disables;
//   - when a system's deletes + disables exceed the count or percent
//     threshold, only allowDeletes equal to the exact total lets them through.
func SafetyCheck(p *Plan, changes []*Change, readOnly bool, t Thresholds, allowDeletes int) error {
	const op = "apply: safety"
	if readOnly {
		return E(KindRefused, op, "", fmt.Errorf("read-only mode: nothing is written (READONLY or --readonly)"))
	}
	t = t.withDefaults()
	per := map[System]int{}
	total := 0
	for _, c := range changes {
		if !Destructive(c) {
			continue
		}
		per[c.System]++
		total++
		if c.Op == OpDelete && p.TopUnit != "" && strings.EqualFold(c.Target.UUID, p.TopUnit) {
			return E(KindRefused, op, c.Target.UUID, fmt.Errorf("change %s would delete the top unit %s; the top unit is never deleted", c.ID, p.TopUnit))
		}
	}
	if total == 0 {
		if allowDeletes > 0 {
			return E(KindRefused, op, "", fmt.Errorf("--allow-deletes %d given, but the changes hold no deletes or disables", allowDeletes))
		}
		return nil
	}
	if p.Inventory.MOPeople == 0 || p.Inventory.MOUnits == 0 {
		return E(KindRefused, op, "", fmt.Errorf("MO returned %d people and %d units: %d deletes/disables refused (zero-MO guard)",
			p.Inventory.MOPeople, p.Inventory.MOUnits, total))
	}
	if allowDeletes > 0 && allowDeletes != total {
		return E(KindRefused, op, "", fmt.Errorf("--allow-deletes %d does not match the %d deletes/disables about to be applied", allowDeletes, total))
	}
	var over []string
	for _, s := range []System{SystemAD, SystemSTS, SystemMO} {
		n := per[s]
		if n == 0 {
			continue
		}
		objects := p.Inventory.objects(s)
		switch {
		case n > t.MaxDeletes:
			over = append(over, fmt.Sprintf("%s: %d deletes/disables exceed the maximum of %d", s, n, t.MaxDeletes))
		case objects > 0 && float64(n)*100 > t.MaxPercent*float64(objects):
			over = append(over, fmt.Sprintf("%s: %d deletes/disables are %.1f %% of %d objects, over the maximum of %s %%",
				s, n, float64(n)*100/float64(objects), objects, strconv.FormatFloat(t.MaxPercent, 'f', -1, 64)))
		}
	}
	if len(over) > 0 && allowDeletes != total {
		return E(KindRefused, op, "", fmt.Errorf("%s; nothing was written. Review the plan, then apply with --allow-deletes %d",
			strings.Join(over, "; "), total))
	}
	return nil
}

// objects is how many objects system s held when the plan was made.
func (inv Inventory) objects(s System) int {
	switch s {
	case SystemAD:
		return inv.ADAccounts
	case SystemSTS:
		return inv.STSUnits + inv.STSUsers
	case SystemMO:
		return inv.MOPeople
	}
	return 0
}
