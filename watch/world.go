package watch

import (
	"slices"
	"strings"
	"time"

	"moxsync/engine"
	"moxsync/wiring"
)

// world is what the watcher holds of MO and AD between events: the last
// full read, patched with every partial read and AD poll since. Plans are
// made over it, so a re-plan of a few subjects reads only those subjects.
// Only the watcher's one processing goroutine touches it.
type world struct {
	snap     *engine.Snapshot
	accounts []engine.Account
	taken    engine.TakenNames
	adRead   bool
	adAt     time.Time

	person  map[string]int // person uuid → index in snap.People
	unit    map[string]int // unit uuid → index in snap.Units
	account map[string]int // lower-case GUID → index in accounts
	byCPR   map[string][]string
}

func newWorld(r wiring.ReadResult) *world {
	w := &world{snap: r.Snap, accounts: r.Accounts, taken: r.Taken, adRead: r.ADRead, adAt: r.ADAt}
	if w.taken.Usernames == nil {
		w.taken = engine.TakenNames{Usernames: map[string]struct{}{}, CNs: map[string]struct{}{}}
	}
	w.reindex()
	return w
}

func (w *world) reindex() {
	w.person = make(map[string]int, len(w.snap.People))
	w.byCPR = make(map[string][]string, len(w.snap.People))
	for i, p := range w.snap.People {
		w.person[p.UUID] = i
		if d := engine.DigitsOnly(p.CPR); d != "" {
			w.byCPR[d] = append(w.byCPR[d], p.UUID)
		}
	}
	w.unit = make(map[string]int, len(w.snap.Units))
	for i, u := range w.snap.Units {
		w.unit[u.UUID] = i
	}
	w.account = make(map[string]int, len(w.accounts))
	for i, a := range w.accounts {
		w.account[strings.ToLower(a.GUID)] = i
	}
}

// read is the world as a plan input.
func (w *world) read() wiring.ReadResult {
	return wiring.ReadResult{Snap: w.snap, Accounts: w.accounts, Taken: w.taken, ADRead: w.adRead, ADAt: w.adAt}
}

// patchMO puts a partial read into the world: people and units replaced
// or added, the missing ones dropped.
func (w *world) patchMO(p *engine.PartialSnapshot) {
	snap := *w.snap // a new Snapshot value; slices copied on change below
	snap.People = slices.Clone(snap.People)
	snap.Units = slices.Clone(snap.Units)
	for _, person := range p.People {
		if i, ok := w.person[person.UUID]; ok {
			snap.People[i] = person
		} else {
			snap.People = append(snap.People, person)
		}
	}
	for _, u := range p.Units {
		if i, ok := w.unit[u.UUID]; ok {
			snap.Units[i] = u
		} else {
			snap.Units = append(snap.Units, u)
		}
	}
	if len(p.MissingPeople) > 0 {
		gone := set(p.MissingPeople)
		snap.People = slices.DeleteFunc(snap.People, func(x engine.Person) bool { return gone[x.UUID] })
	}
	if len(p.MissingUnits) > 0 {
		gone := set(p.MissingUnits)
		snap.Units = slices.DeleteFunc(snap.Units, func(x engine.Unit) bool { return gone[x.UUID] })
	}
	if !p.ReadAt.IsZero() {
		snap.ReadAt = p.ReadAt
	}
	w.snap = &snap
	w.reindex()
}

// patchAD puts changed accounts into the world and their names into the
// names in use (a name is never dropped: a stale "taken" only costs a
// number in a username).
func (w *world) patchAD(accts []engine.Account, at time.Time) {
	if len(accts) == 0 {
		return
	}
	w.accounts = slices.Clone(w.accounts)
	for _, a := range accts {
		if i, ok := w.account[strings.ToLower(a.GUID)]; ok {
			w.accounts[i] = a
		} else {
			w.account[strings.ToLower(a.GUID)] = len(w.accounts)
			w.accounts = append(w.accounts, a)
		}
		for _, n := range []string{a.SAMAccountName, upnPrefix(a.UPN)} {
			if n != "" {
				w.taken.Usernames[strings.ToLower(n)] = struct{}{}
			}
		}
		if a.CN != "" {
			w.taken.CNs[strings.ToLower(a.CN)] = struct{}{}
		}
	}
	w.adAt = at
}

// replaceAD replaces every account (a full AD read).
func (w *world) replaceAD(accts []engine.Account, taken engine.TakenNames, at time.Time) {
	w.accounts, w.adRead, w.adAt = accts, true, at
	if taken.Usernames != nil {
		w.taken = taken
	}
	w.reindex()
}

// peopleOfAccounts are the MO people the accounts belong to (by CPR).
func (w *world) peopleOfAccounts(accts []engine.Account) []string {
	var out []string
	for _, a := range accts {
		out = append(out, w.byCPR[a.CPR]...)
	}
	return out
}

// peopleInUnits are the people with an engagement in one of the units.
func (w *world) peopleInUnits(units []string) []string {
	if len(units) == 0 {
		return nil
	}
	in := set(units)
	var out []string
	for _, p := range w.snap.People {
		for _, e := range p.Engagements {
			if in[e.UnitUUID] {
				out = append(out, p.UUID)
				break
			}
		}
	}
	return out
}

// inventory is how many objects the world holds, for the safety rules.
func (w *world) inventory() engine.Inventory {
	return engine.Inventory{MOPeople: len(w.snap.People), MOUnits: len(w.snap.Units), ADAccounts: len(w.accounts)}
}

func upnPrefix(upn string) string {
	if i := strings.LastIndexByte(upn, '@'); i >= 0 {
		return upn[:i]
	}
	return upn
}

func set(ss []string) map[string]bool {
	m := make(map[string]bool, len(ss))
	for _, s := range ss {
		m[s] = true
	}
	return m
}
