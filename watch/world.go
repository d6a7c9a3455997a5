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
	schema   *engine.ADSchema // AD's schema, as the full read had it

	person     map[string]int      // person uuid → index in snap.People
	unit       map[string]int      // unit uuid → index in snap.Units
	account    map[string]int      // lower-case GUID → index in accounts
	byCPR      map[string][]string // CPR (digits) → person uuids
	acctsByCPR map[string][]int    // CPR (digits) → indexes in accounts
}

func newWorld(r wiring.ReadResult) *world {
	w := &world{snap: r.Snap, accounts: r.Accounts, taken: r.Taken, adRead: r.ADRead, adAt: r.ADAt, schema: r.Schema}
	if w.taken.Usernames == nil {
		w.taken = engine.TakenNames{Usernames: map[string]struct{}{}, CNs: map[string]struct{}{}}
	}
	w.reindexMO()
	w.reindexAD()
	return w
}

func (w *world) reindexMO() {
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
}

func (w *world) reindexAD() {
	w.account = make(map[string]int, len(w.accounts))
	w.acctsByCPR = make(map[string][]int, len(w.accounts))
	for i, a := range w.accounts {
		w.account[strings.ToLower(a.GUID)] = i
		if a.CPR != "" {
			w.acctsByCPR[a.CPR] = append(w.acctsByCPR[a.CPR], i)
		}
	}
}

// read is the world as a plan input.
func (w *world) read() wiring.ReadResult {
	return wiring.ReadResult{Snap: w.snap, Accounts: w.accounts, Taken: w.taken, ADRead: w.adRead, ADAt: w.adAt, Schema: w.schema}
}

// part is the part of the world that the keys (person and unit uuids,
// lower-case account GUIDs) concern, as a plan input whose plan holds the
// same changes of those keys as a plan of the whole world (matching by
// CPR): the people among the keys, with everyone who shares a CPR with
// them or with an account among the keys (a CPR held twice matches
// nobody); every account of those CPRs and the accounts among the keys;
// every unit (the values of a person come from their units, STS sends
// every unit); every name in use; of the STS record, every unit and the
// users of those people (wiring.ReadResult.STSUsers).
// people is how many people the part holds.
func (w *world) part(keys []string) (r wiring.ReadResult, people int) {
	cprs := map[string]bool{}
	pick := map[string]bool{}
	accts := map[int]bool{}
	for _, k := range keys {
		if i, ok := w.person[k]; ok {
			pick[k] = true
			if d := engine.DigitsOnly(w.snap.People[i].CPR); d != "" {
				cprs[d] = true
			}
		}
		if i, ok := w.account[strings.ToLower(k)]; ok {
			accts[i] = true
			if c := w.accounts[i].CPR; c != "" {
				cprs[c] = true
			}
		}
	}
	for c := range cprs {
		for _, id := range w.byCPR[c] {
			pick[id] = true
		}
		for _, i := range w.acctsByCPR[c] {
			accts[i] = true
		}
	}
	snap := *w.snap
	snap.People = make([]engine.Person, 0, len(pick))
	stsUsers := make([]string, 0, len(pick))
	for _, p := range w.snap.People {
		if pick[p.UUID] {
			snap.People = append(snap.People, p)
			stsUsers = append(stsUsers, p.UUID)
		}
	}
	snap.Warnings = nil
	idx := make([]int, 0, len(accts))
	for i := range accts {
		idx = append(idx, i)
	}
	slices.Sort(idx)
	as := make([]engine.Account, 0, len(idx))
	for _, i := range idx {
		as = append(as, w.accounts[i])
	}
	r = w.read()
	r.Snap, r.Accounts, r.STSUsers = &snap, as, stsUsers
	return r, len(snap.People)
}

// patchMO puts a partial read into the world: people and units replaced
// or added, the missing ones dropped.
func (w *world) patchMO(p *engine.PartialSnapshot) {
	snap := *w.snap // a new Snapshot value; slices copied on change below
	snap.People = slices.Clone(snap.People)
	snap.Units = slices.Clone(snap.Units)
	// Only when people or units come or go are the indexes made again;
	// a person replaced in place keeps their place (and maybe not their
	// CPR).
	reshaped := len(p.MissingPeople)+len(p.MissingUnits) > 0
	for _, person := range p.People {
		if i, ok := w.person[person.UUID]; ok {
			if old, cpr := engine.DigitsOnly(snap.People[i].CPR), engine.DigitsOnly(person.CPR); old != cpr && !reshaped {
				if old != "" {
					w.byCPR[old] = slices.DeleteFunc(slices.Clone(w.byCPR[old]), func(id string) bool { return id == person.UUID })
				}
				if cpr != "" {
					w.byCPR[cpr] = append(slices.Clone(w.byCPR[cpr]), person.UUID)
				}
			}
			snap.People[i] = person
		} else {
			snap.People = append(snap.People, person)
			reshaped = true
		}
	}
	for _, u := range p.Units {
		if i, ok := w.unit[u.UUID]; ok {
			snap.Units[i] = u
		} else {
			snap.Units = append(snap.Units, u)
			reshaped = true
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
	if reshaped {
		w.reindexMO()
	}
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
		i, ok := w.account[strings.ToLower(a.GUID)]
		if ok {
			if old := w.accounts[i].CPR; old != a.CPR && old != "" {
				w.acctsByCPR[old] = slices.DeleteFunc(slices.Clone(w.acctsByCPR[old]), func(j int) bool { return j == i })
			}
			w.accounts[i] = a
		} else {
			i = len(w.accounts)
			w.account[strings.ToLower(a.GUID)] = i
			w.accounts = append(w.accounts, a)
		}
		if a.CPR != "" && !slices.Contains(w.acctsByCPR[a.CPR], i) {
			w.acctsByCPR[a.CPR] = append(w.acctsByCPR[a.CPR], i)
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
	w.reindexAD()
}

// accountsOf are the GUIDs (lower-case) of the accounts of the people (by
// CPR).
func (w *world) accountsOf(people []string) []string {
	var out []string
	for _, id := range people {
		i, ok := w.person[id]
		if !ok {
			continue
		}
		cpr := engine.DigitsOnly(w.snap.People[i].CPR)
		if cpr == "" {
			continue
		}
		for _, j := range w.acctsByCPR[cpr] {
			out = append(out, strings.ToLower(w.accounts[j].GUID))
		}
	}
	return out
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
