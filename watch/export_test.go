package watch

import (
	"context"
	"slices"

	"moxsync/engine"
)

// LoadWorld makes the first read, as Run does before it plans.
func (w *Watcher) LoadWorld(ctx context.Context) error { return w.load(ctx) }

// KeysOf are the keys an event of these people and units re-plans (as
// processEvents makes them): the people, those in the units, the units
// and the people's accounts.
func (w *Watcher) KeysOf(people, units []string) []string {
	people = uniq(append(slices.Clone(people), w.world.peopleInUnits(units)...))
	return uniq(append(append(people, units...), w.accountsOf(people)...))
}

// PlanKeys plans the keys as replan does, over the part of the world they
// concern when it can (part), and over the whole; it returns the changes
// of the keys in each.
func (w *Watcher) PlanKeys(ctx context.Context, keys []string) (ofPart, ofWhole []engine.Change, part bool, err error) {
	p, part, err := w.plan(ctx, keys)
	if err != nil {
		return nil, nil, false, err
	}
	whole, err := w.cfg.Env.PlanFrom(ctx, w.world.read(), nil)
	if err != nil {
		return nil, nil, false, err
	}
	want := set(keys)
	keep := func(cs []engine.Change) []engine.Change {
		return slices.DeleteFunc(slices.Clone(cs), func(ch engine.Change) bool { return !concerns(&ch, want) })
	}
	return keep(p.Changes), keep(whole.Changes), part, nil
}
