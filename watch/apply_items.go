package watch

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"moxsync/engine"
	"moxsync/store"
	"moxsync/wiring"
)

// ApplyFunc applies the changes ids of p (the watcher's apply, or the
// TUI's) and returns apply's summary.
type ApplyFunc func(p *engine.Plan, ids []string) (engine.Summary, error)

// ClaimApproved claims the approved items for by (store.Claim: an item
// another process claimed first is left to it), each with the pending
// items that only wait for it (an MO write-back on an AD create, rule
// "waits with change …"), which are approved and claimed with it. It
// returns what by now holds, for ApplyItems.
func ClaimApproved(ctx context.Context, st *store.Store, now time.Time, by string, approved []store.Item) ([]store.Item, error) {
	pending, err := st.List(ctx, store.Pending)
	if err != nil {
		return nil, err
	}
	var claimed []store.Item
	for _, it := range approved {
		ok, err := st.Claim(ctx, now, it.Change.ID, by)
		if err != nil {
			return claimed, err
		}
		if !ok {
			continue
		}
		claimed = append(claimed, it)
		for _, d := range pending {
			if d.Change.DependsOn == it.Change.ID && strings.HasPrefix(d.Rule, "waits with change") {
				if st.Decide(ctx, now, d.Change.ID, true, by+" (with "+it.Change.ID+")") == nil {
					if ok, _ := st.Claim(ctx, now, d.Change.ID, by); ok {
						claimed = append(claimed, d)
					}
				}
			}
		}
	}
	return claimed, nil
}

// ApplyItems applies queue items a caller has claimed (store.Claim): it
// makes one plan of their changes, as planned, applies them through apply
// (which checks each target for staleness before writing, as apply FILE
// does) and finishes each item with its result. An item apply did not
// report on (the run was refused or cut short) is handed back
// (store.Unclaim at the next start does the same after a crash).
func ApplyItems(ctx context.Context, env *wiring.Env, inv engine.Inventory, items []store.Item, st *store.Store, now func() time.Time, apply ApplyFunc) (engine.Summary, error) {
	if len(items) == 0 {
		return engine.Summary{}, nil
	}
	p := &engine.Plan{
		FormatVersion: engine.PlanFormatVersion,
		CreatedAt:     now().UTC(),
		Inventory:     inv,
		Systems:       []engine.System{engine.SystemAD, engine.SystemSTS, engine.SystemMO},
	}
	if env != nil {
		p.TopUnit = env.PlanOptions.TopUnit
		p.SettingsHash = engine.OptionsHash(env.PlanOptions)
	}
	ids := make([]string, 0, len(items))
	for _, it := range items {
		p.Changes = append(p.Changes, it.Change)
		ids = append(ids, it.Change.ID)
	}
	engine.SortChanges(p.Changes)
	p.ID = engine.PlanID(p)
	sum, err := apply(p, ids)
	reported := make(map[string]bool, len(sum.Results))
	var errs []error
	if err != nil {
		errs = append(errs, err)
	}
	for _, r := range sum.Results {
		reported[r.ChangeID] = true
		status, text := itemOutcome(r)
		if err := st.Finish(ctx, now(), r.ChangeID, status, text); err != nil {
			errs = append(errs, err)
		}
	}
	for _, it := range items {
		if reported[it.Change.ID] {
			continue
		}
		why := "not applied"
		if err != nil {
			why = "not applied: " + engine.MaskCPRs(err.Error())
		}
		// Back to approved: the next round tries again.
		if err := st.Release(ctx, now(), it.Change.ID, why); err != nil {
			errs = append(errs, err)
		}
	}
	return sum, errors.Join(errs...)
}

// itemOutcome is the final status and result text of an applied item.
func itemOutcome(r engine.Result) (store.Status, string) {
	switch r.Status {
	case engine.ResultOK:
		text := "applied"
		if r.Note != "" {
			text += ": " + r.Note
		}
		return store.Applied, text
	case engine.ResultStale:
		return store.Stale, "stale: " + r.Error
	case engine.ResultSkipped:
		return store.Failed, "skipped: " + r.Error
	case engine.ResultRefused:
		return store.Failed, "refused: " + r.Error
	default:
		return store.Failed, fmt.Sprintf("%s (%s): %s", r.Status, r.Kind, r.Error)
	}
}
