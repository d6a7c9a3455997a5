package watch

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"moxsync/engine"
	"moxsync/store"
)

// positioner is an ADChangeSource that can say where AD stands now, so a
// full read can start the poll from there (ad.Directory).
type positioner interface {
	ChangePosition(ctx context.Context) (engine.ADPosition, error)
}

// load makes the first read without planning (ReconcileAtStart off).
func (w *Watcher) load(ctx context.Context) error {
	pos, hasPos := w.position(ctx)
	r, err := w.cfg.Env.Read(ctx, true)
	if err != nil {
		w.cfg.Metrics.Errors.WithLabelValues("mo").Inc()
		return err
	}
	w.world = newWorld(r)
	if hasPos {
		if err := w.cfg.Store.SetADPosition(ctx, pos); err != nil {
			return err
		}
	}
	return nil
}

// position is where AD stands now, when the poll can tell.
func (w *Watcher) position(ctx context.Context) (engine.ADPosition, bool) {
	p, ok := w.cfg.ADPoll.(positioner)
	if !ok || w.cfg.ADPoll == nil {
		return engine.ADPosition{}, false
	}
	pos, err := p.ChangePosition(ctx)
	if err != nil {
		w.cfg.Log.Warn("watch: reading AD's position failed; the next poll reads AD in full", "err", err)
		return engine.ADPosition{}, false
	}
	return pos, true
}

// reconcile reads everything and re-plans everything (events.md §3),
// through the same policy.
func (w *Watcher) reconcile(ctx context.Context, why string) BatchReport {
	start := w.cfg.Now()
	rep := BatchReport{Trigger: "reconcile"}
	if err := w.load(ctx); err != nil {
		rep.Err = fmt.Errorf("%s: %w", why, err)
		return rep
	}
	rep = w.replan(ctx, nil, "reconcile", why)
	rep.Took = w.cfg.Now().Sub(start)
	if rep.Err == nil {
		if err := w.cfg.Store.SetLastReconcile(ctx, w.cfg.Now()); err != nil {
			rep.Err = err
		}
		w.cfg.Log.Info("watch: reconciled", "why", why, "people", len(w.world.snap.People), "units", len(w.world.snap.Units),
			"accounts", len(w.world.accounts), "applied", rep.Applied, "queued", rep.Queued, "took", rep.Took.Round(time.Millisecond))
	}
	return rep
}

// processEvents resolves a batch of events to their subjects, reads those,
// re-plans them, applies or queues, and acknowledges the events when all
// of that is done. A batch that fails is not acknowledged: MO hands its
// events out again.
func (w *Watcher) processEvents(ctx context.Context, batch []fetched) BatchReport {
	c := w.cfg
	start := c.Now()
	rep := BatchReport{Trigger: "events", Events: len(batch)}
	fail := func(err error) BatchReport {
		rep.Err = err
		for _, f := range batch {
			c.Metrics.Events.WithLabelValues(f.ev.RoutingKey, "failed").Inc()
			c.Log.Warn("watch: MO event not processed", "routing_key", f.ev.RoutingKey, "subject", f.ev.Subject, "err", engine.MaskCPRs(err.Error()))
		}
		return rep
	}
	byKey := map[string][]string{}
	for _, f := range batch {
		if !slices.Contains(byKey[f.ev.RoutingKey], f.ev.Subject) {
			byKey[f.ev.RoutingKey] = append(byKey[f.ev.RoutingKey], f.ev.Subject)
		}
	}
	var subj engine.Subjects
	for _, rk := range sortedKeys(byKey) {
		s, err := c.Partial.Resolve(ctx, rk, byKey[rk])
		if err != nil {
			c.Metrics.Errors.WithLabelValues("mo").Inc()
			return fail(fmt.Errorf("resolve %s events: %w", rk, err))
		}
		subj.People = append(subj.People, s.People...)
		subj.Units = append(subj.Units, s.Units...)
		subj.Full = subj.Full || s.Full
	}
	desc := describe(batch)
	if subj.Full {
		r := w.reconcile(ctx, "MO event "+desc+" changes what many people use")
		if r.Err != nil {
			return fail(r.Err)
		}
		rep.Applied, rep.Queued, rep.Failed, rep.Subjects = r.Applied, r.Queued, r.Failed, r.Subjects
	} else {
		people := uniq(append(subj.People, w.world.peopleInUnits(subj.Units)...))
		units := uniq(subj.Units)
		// The accounts of the people as the world knew them before the
		// read, so a person who left MO still has an account to disable.
		guids := w.accountsOf(people)
		if len(people)+len(units) > 0 {
			ps, err := c.Partial.Partial(ctx, people, units)
			if err != nil {
				c.Metrics.Errors.WithLabelValues("mo").Inc()
				return fail(fmt.Errorf("read %d people and %d units: %w", len(people), len(units), err))
			}
			w.world.patchMO(ps)
		}
		keys := uniq(append(append(append(people, units...), guids...), w.accountsOf(people)...))
		r := w.replan(ctx, keys, "events", "MO event "+desc)
		if r.Err != nil {
			return fail(r.Err)
		}
		rep.Applied, rep.Queued, rep.Failed, rep.Subjects = r.Applied, r.Queued, r.Failed, len(keys)
	}
	// One request per event (MO acknowledges one token at a time), a few
	// at once: a reorganisation's burst is thousands.
	var mu sync.Mutex
	sem := make(chan struct{}, ackWorkers)
	var wg sync.WaitGroup
	for _, f := range batch {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			if err := c.Events.AckEvent(ctx, f.ev.Token); err != nil {
				c.Metrics.Errors.WithLabelValues("mo").Inc()
				c.Log.Warn("watch: acknowledging an MO event failed; MO hands it out again and its re-plan is empty", "routing_key", f.ev.RoutingKey, "subject", f.ev.Subject, "err", err)
				c.Metrics.Events.WithLabelValues(f.ev.RoutingKey, "failed").Inc()
				return
			}
			lat := c.Now().Sub(f.at)
			mu.Lock()
			rep.Latencies = append(rep.Latencies, lat)
			mu.Unlock()
			c.Metrics.Events.WithLabelValues(f.ev.RoutingKey, "acked").Inc()
			c.Metrics.Latency.Observe(lat.Seconds())
			c.Log.Info("watch: MO event processed", "routing_key", f.ev.RoutingKey, "subject", f.ev.Subject,
				"latency_ms", lat.Milliseconds(), "batch", len(batch), "applied", rep.Applied, "queued", rep.Queued)
		})
	}
	wg.Wait()
	rep.Took = c.Now().Sub(start)
	return rep
}

// ackWorkers is how many acknowledgements are sent at once.
const ackWorkers = 8

// pollAD reads the accounts changed since the stored position and
// re-plans their people. The position is stored only after the re-plan,
// so a crash polls the same changes again.
func (w *Watcher) pollAD(ctx context.Context) BatchReport {
	c := w.cfg
	start := c.Now()
	pos, _, err := c.Store.ADPosition(ctx)
	if err != nil {
		return BatchReport{Trigger: "ad", Err: err}
	}
	ch, err := c.ADPoll.ChangedSince(ctx, pos, c.Env.PlanOptions.Mapping.ReadAttributes())
	if err != nil {
		c.Metrics.Errors.WithLabelValues("ad").Inc()
		c.Log.Warn("watch: AD poll failed; changes wait in AD until it answers", "err", err)
		return BatchReport{}
	}
	rep := BatchReport{}
	switch {
	case ch.Reset:
		c.Log.Info("watch: AD read in full", "why", ch.Why, "accounts", len(ch.Accounts))
		w.world.replaceAD(ch.Accounts, engine.TakenNames{}, c.Now())
		w.world.patchAD(ch.Accounts, c.Now())
		if pos.DC != "" { // not the first poll: everything may have changed
			rep = w.replan(ctx, nil, "ad", "AD read in full: "+ch.Why)
		}
	case len(ch.Accounts) > 0:
		w.world.patchAD(ch.Accounts, c.Now())
		keys := make([]string, 0, 2*len(ch.Accounts))
		for _, a := range ch.Accounts {
			keys = append(keys, strings.ToLower(a.GUID))
		}
		keys = uniq(append(keys, w.world.peopleOfAccounts(ch.Accounts)...))
		rep = w.replan(ctx, keys, "ad", describeAccounts(ch.Accounts))
		rep.Subjects = len(keys)
	}
	rep.Took = c.Now().Sub(start)
	if rep.Err != nil {
		return rep
	}
	if ch.Position != pos {
		if err := c.Store.SetADPosition(ctx, ch.Position); err != nil {
			rep.Err = err
		}
		c.Metrics.ADUSN.Set(float64(ch.Position.USN))
	}
	return rep
}

// accountsOf are the GUIDs (lower-case) of the accounts of the people.
func (w *Watcher) accountsOf(people []string) []string { return w.world.accountsOf(people) }

// replan plans over the world, keeps the changes of keys (all when nil),
// applies what the policy lets through and queues the rest.
func (w *Watcher) replan(ctx context.Context, keys []string, trigger, event string) BatchReport {
	c := w.cfg
	rep := BatchReport{Trigger: trigger}
	if w.world == nil {
		rep.Err = errNoWorld
		return rep
	}
	p, part, err := w.plan(ctx, keys)
	if err != nil {
		rep.Err = fmt.Errorf("plan: %w", err)
		return rep
	}
	sub := *p
	if keys != nil {
		want := set(keys)
		sub.Changes = slices.DeleteFunc(slices.Clone(p.Changes), func(ch engine.Change) bool { return !concerns(&ch, want) })
	}
	if part {
		// The safety rules count against the whole world, not the part.
		inv := w.world.inventory()
		sub.Inventory.MOPeople, sub.Inventory.MOUnits, sub.Inventory.ADAccounts = inv.MOPeople, inv.MOUnits, inv.ADAccounts
	}
	if len(sub.Changes) > 0 {
		sub.ID = engine.PlanID(&sub)
	}
	now := c.Now()
	n, err := c.Store.DestructiveSince(ctx, now.Add(-c.Window))
	if err != nil {
		rep.Err = err
		return rep
	}
	pol := c.Policy
	pol.WindowDestructive = n
	decisions := pol.Decide(&sub)
	var atOnce []string
	var items []store.Item
	for i := range sub.Changes {
		ch := &sub.Changes[i]
		if d := decisions[ch.ID]; d.AtOnce {
			atOnce = append(atOnce, ch.ID)
		} else {
			items = append(items, store.Item{Change: *ch, Subject: engine.SubjectOf(ch), Rule: d.Rule, Event: event})
		}
	}
	if len(atOnce) > 0 {
		sum, err := w.apply(ctx, &sub, atOnce, engine.ClashNextCandidate)
		if err != nil && engine.KindOf(err) == engine.KindRefused {
			// A rule of apply's own held: those wait too, with its words.
			byID := changesByID(&sub)
			for _, id := range atOnce {
				ch := byID[id]
				items = append(items, store.Item{Change: *ch, Subject: engine.SubjectOf(ch), Rule: engine.MaskCPRs(err.Error()), Event: event})
			}
		} else if err != nil {
			rep.Err = err
			return rep
		}
		for _, r := range sum.Results {
			switch r.Status {
			case engine.ResultOK:
				rep.Applied++
			case engine.ResultFailed:
				rep.Failed++
				if r.Kind == engine.KindUnavailable {
					rep.Err = fmt.Errorf("%s %s %s: %s", r.System, r.Op, r.Subject, r.Error)
				}
			}
		}
	}
	subjects := keys
	if keys == nil {
		subjects = store.AllSubjects
	}
	added, err := c.Store.Enqueue(ctx, now, subjects, items)
	if err != nil {
		rep.Err = errors.Join(rep.Err, err)
		return rep
	}
	rep.Queued = added
	if added > 0 {
		c.Metrics.Queued.Add(float64(added))
		c.Log.Info("watch: changes wait for approval", "new", added, "event", engine.MaskCPRs(event))
	}
	return rep
}

// plan plans the world for the keys (everything when nil). A plan of the
// whole world costs about a second per 30,000 people, so for a few keys
// only the part of the world they concern is planned (world.part), which
// gives the same changes of those keys. The whole is planned instead when
// the part cannot tell: matching by objectGUID, a part without people (the
// STS deletes hold back on an empty MO), or a part that plans an AD create
// or rename (a new name is chosen among the names the other planned
// creates take). part says whether the plan is of a part.
func (w *Watcher) plan(ctx context.Context, keys []string) (p *engine.Plan, part bool, err error) {
	env := w.cfg.Env
	if keys != nil && !w.cfg.WholePlans && env.PlanOptions.MatchBy != engine.MatchByObjectGUID {
		in, people := w.world.part(keys)
		if people > 0 {
			p, err := env.PlanFrom(ctx, in, nil)
			if err != nil {
				return nil, false, err
			}
			if !slices.ContainsFunc(p.Changes, namesAccount) {
				return p, true, nil
			}
		}
	}
	p, err = env.PlanFrom(ctx, w.world.read(), nil)
	return p, false, err
}

// namesAccount reports whether c chooses an account's name: an AD create
// or rename.
func namesAccount(c engine.Change) bool {
	return c.System == engine.SystemAD && (c.Op == engine.OpCreate || c.Op == engine.OpRename)
}

// concerns reports whether c is a change of one of the keys.
func concerns(c *engine.Change, keys map[string]bool) bool {
	return keys[c.MOUUID] || keys[c.Target.UUID] || keys[strings.ToLower(c.Target.GUID)] ||
		(c.ITUser != nil && keys[c.ITUser.PersonUUID]) || keys[engine.SubjectOf(c)]
}

// changesByID indexes the plan's changes by id.
func changesByID(p *engine.Plan) map[string]*engine.Change {
	m := make(map[string]*engine.Change, len(p.Changes))
	for i := range p.Changes {
		m[p.Changes[i].ID] = &p.Changes[i]
	}
	return m
}

// apply applies the changes ids of p with the apply command's options and
// puts what was written back into the world.
func (w *Watcher) apply(ctx context.Context, p *engine.Plan, ids []string, clash engine.UsernameClash) (engine.Summary, error) {
	c := w.cfg
	o, closeAudit, err := c.Env.ApplyOptions(true)
	if err != nil {
		return engine.Summary{}, err
	}
	defer closeAudit()
	o.Only, o.UsernameClash, o.Log = ids, clash, c.Log
	var destructive []string
	byID := changesByID(p)
	for _, id := range ids {
		if ch := byID[id]; ch != nil && engine.Destructive(ch) {
			destructive = append(destructive, id)
		}
	}
	o.AllowDeletes = len(destructive)
	sum, err := engine.Apply(ctx, p, o)
	// What was sent to STS is on disk before the events are acknowledged:
	// after a crash the next diff starts from it, not from a stale record.
	if st := c.Env.STSState; st != nil {
		if serr := st.SaveIfDirty(1, 0); serr != nil {
			c.Metrics.Errors.WithLabelValues("store").Inc()
			c.Log.Error("watch: saving the STS record", "err", serr)
		}
	}
	var done []string
	for _, r := range sum.Results {
		if r.Status == engine.ResultOK {
			c.Metrics.Applied.WithLabelValues(string(r.System), string(r.Op)).Inc()
			if slices.Contains(destructive, r.ChangeID) {
				done = append(done, r.ChangeID)
			}
		}
	}
	if len(done) > 0 {
		if err := c.Store.RecordDestructive(ctx, c.Now(), done); err != nil {
			c.Log.Error("watch: recording automatic disables/deletes for the safety window", "err", err)
		}
	}
	w.refresh(ctx, byID, sum)
	return sum, err
}

// refresh re-reads what an apply wrote (the AD accounts and the MO people
// it touched), so the next plan starts from it rather than waiting for its
// echo (the AD poll, MO's event).
func (w *Watcher) refresh(ctx context.Context, byID map[string]*engine.Change, sum engine.Summary) {
	c := w.cfg
	var guids, people []string
	for _, r := range sum.Results {
		if r.Status != engine.ResultOK {
			continue
		}
		ch := byID[r.ChangeID]
		if ch == nil {
			continue
		}
		switch ch.System {
		case engine.SystemAD:
			g := ch.Target.GUID
			if ch.Op == engine.OpCreate {
				g = r.NewKey
			}
			if g != "" {
				guids = append(guids, g)
			}
		case engine.SystemMO:
			if ch.MOUUID != "" {
				people = append(people, ch.MOUUID)
			}
		}
	}
	if c.Env.Dir != nil && len(guids) > 0 {
		attrs := c.Env.PlanOptions.Mapping.ReadAttributes()
		var accts []engine.Account
		for _, g := range guids {
			a, err := c.Env.Dir.AccountByGUID(ctx, g, attrs)
			if err != nil {
				c.Log.Warn("watch: re-reading a written account failed; the AD poll will", "guid", g, "err", err)
				continue
			}
			accts = append(accts, a)
		}
		w.world.patchAD(accts, c.Now())
	}
	if len(people) > 0 {
		ps, err := c.Partial.Partial(ctx, uniq(people), nil)
		if err != nil {
			c.Log.Warn("watch: re-reading written people from MO failed; their MO events will", "err", err)
			return
		}
		w.world.patchMO(ps)
	}
}

// applyApproved applies the queue's approved changes, each claimed first
// so that it is applied once even with the TUI applying beside us, with
// the pending changes that only waited for them.
func (w *Watcher) applyApproved(ctx context.Context) BatchReport {
	c := w.cfg
	approved, err := c.Store.List(ctx, store.Approved)
	if err != nil || len(approved) == 0 || w.world == nil {
		return BatchReport{Err: err}
	}
	rep := BatchReport{Trigger: "approved"}
	by := fmt.Sprintf("watch pid %d on %s", os.Getpid(), w.host)
	claimed, err := ClaimApproved(ctx, c.Store, c.Now(), by, approved)
	if err != nil {
		rep.Err = err
		return rep
	}
	if len(claimed) == 0 {
		return BatchReport{}
	}
	sum, err := ApplyItems(ctx, w.cfg.Env, w.world.inventory(), claimed, c.Store, c.Now, func(p *engine.Plan, ids []string) (engine.Summary, error) {
		return w.apply(ctx, p, ids, engine.ClashReport)
	})
	for _, r := range sum.Results {
		switch r.Status {
		case engine.ResultOK:
			rep.Applied++
		case engine.ResultFailed:
			rep.Failed++
		}
	}
	if err != nil {
		rep.Err = err
	}
	var keys []string
	for _, it := range claimed {
		keys = append(keys, it.Subject)
	}
	// What follows from them (an MO write-back after a create) is planned
	// now rather than at the next event.
	r := w.replan(ctx, uniq(keys), "approved", "after approved changes")
	rep.Applied += r.Applied
	rep.Queued += r.Queued
	rep.Err = errors.Join(rep.Err, r.Err)
	return rep
}

func describe(batch []fetched) string {
	f := batch[0].ev
	s := f.RoutingKey + " " + short(f.Subject)
	if len(batch) > 1 {
		s += fmt.Sprintf(" (+%d more)", len(batch)-1)
	}
	return s
}

func describeAccounts(accts []engine.Account) string {
	s := "AD change of " + accts[0].DN
	if len(accts) > 1 {
		s += fmt.Sprintf(" (+%d more)", len(accts)-1)
	}
	return s
}

func short(uuid string) string {
	if len(uuid) > 8 {
		return uuid[:8] + "…"
	}
	return uuid
}

func uniq(ss []string) []string {
	seen := make(map[string]bool, len(ss))
	out := ss[:0:0]
	for _, s := range ss {
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

func sortedKeys(m map[string][]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
