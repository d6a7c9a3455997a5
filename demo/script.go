package demo

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"moxsync/ad"
	"moxsync/engine"
	"moxsync/mo/motest"
)

// Script is the stream of realistic edits of `moxsync demo --watch`: what
// happens in a municipality while watch runs — a new hire, a title change,
// a new phone number, a leaver, a moved unit, an admin's manual edit in AD
// of an MO-owned attribute — made on the fakes as MO's UI, or an AD admin,
// would make them, in that order and round again with other people. Each
// step says what watch should do about it and how to tell it did.
type Script struct {
	srv    *Servers
	dir    *ad.Directory // an AD connection of its own, as an admin's
	queued QueuedFunc
	today  time.Time

	staff []staffMember // people with an account and one current primary engagement
	units []motest.Unit // units under the top unit, not the top unit itself
	jobs  []string      // job function names
	phone string        // the employee phone address type's uuid
	next  int           // the next step
	used  int           // the next member of staff
	hires int
	cprs  map[string]bool // CPR numbers in use

	kinds   []stepKind // the kinds of edit made, in turn
	skipped []string

	mu     sync.Mutex
	titles map[string]string // person uuid → job function set by a step
	gone   map[string]bool   // people a step made leave
}

// QueuedFunc reports whether the review queue holds an open change of op
// on system for the MO person (or unit) uuid.
type QueuedFunc func(ctx context.Context, system engine.System, op engine.Op, uuid string) (bool, error)

type staffMember struct {
	person motest.Person
	eng    motest.Engagement
	guid   string // the AD account's objectGUID
	title  string // MO's job function name
	// phoneOK: at most one phone number, none secret
	phoneOK bool
}

// Step is one scripted edit.
type Step struct {
	// What happened, for a person to read ("new hire Nanna Nyansat").
	What string
	// Expect is what watch should make of it ("AD create waits in the queue").
	Expect string
	// Do makes the edit.
	Do func(ctx context.Context) error
	// Done reports whether watch has done what Expect says.
	Done func(ctx context.Context) (bool, error)
}

// NewScript prepares the script on srv, before watch starts: it picks its
// people and units from the data set and reads the AD accounts once.
// queued tells whether the review queue holds a change. Close it.
// Steps that rest on a mapping rule the settings do not have (demo
// --config: the title owned by AD) are left out; Skipped says which.
func NewScript(ctx context.Context, srv *Servers, queued QueuedFunc, m engine.Mapping) (*Script, error) {
	d, err := ad.Dial(ctx, srv.AD)
	if err != nil {
		return nil, fmt.Errorf("demo script: %w", err)
	}
	sc := &Script{srv: srv, dir: d, queued: queued, today: srv.Dataset.Today, titles: map[string]string{}, gone: map[string]bool{}}
	if err := sc.pick(ctx); err != nil {
		d.Close()
		return nil, err
	}
	title := moOwned(m, "title", "engagement.job_function")
	phone := moOwned(m, "telephoneNumber", "address.PHONE", "address.BrugerTelefon")
	for _, k := range []struct {
		kind stepKind
		ok   bool
		why  string
	}{
		{stepHire, true, ""}, {stepTitle, title, "title = mo engagement.job_function"},
		{stepPhone, phone, "telephoneNumber = mo address.PHONE"}, {stepLeaver, true, ""},
		{stepMove, true, ""}, {stepADEdit, title, "title = mo engagement.job_function"},
	} {
		if k.ok {
			sc.kinds = append(sc.kinds, k.kind)
		} else {
			sc.skipped = append(sc.skipped, fmt.Sprintf("%s (needs the rule %s)", k.kind, k.why))
		}
	}
	return sc, nil
}

// stepKind is one kind of scripted edit.
type stepKind string

const (
	stepHire   stepKind = "the new hire"
	stepTitle  stepKind = "the title change"
	stepPhone  stepKind = "the new phone number"
	stepLeaver stepKind = "the leaver"
	stepMove   stepKind = "the moved unit"
	stepADEdit stepKind = "the manual AD edit"
)

// Skipped lists the kinds of edit the mapping leaves out, and why.
func (sc *Script) Skipped() []string { return sc.skipped }

// moOwned reports whether the mapping takes AD's attr from one of MO's
// sources (MO → AD).
func moOwned(m engine.Mapping, attr string, sources ...string) bool {
	for _, r := range m.MOToAD() {
		if strings.EqualFold(r.Attr, attr) {
			for _, src := range sources {
				if strings.EqualFold(r.Source, src) {
					return true
				}
			}
		}
	}
	return false
}

// Close closes the script's AD connection.
func (sc *Script) Close() error { return sc.dir.Close() }

// pick chooses the people, units and classes the steps use.
func (sc *Script) pick(ctx context.Context) error {
	ds := sc.srv.Dataset
	accts, err := sc.dir.Accounts(ctx, []string{"title"})
	if err != nil {
		return fmt.Errorf("demo script: reading AD: %w", err)
	}
	byCPR := map[string][]engine.Account{}
	for _, a := range accts {
		if a.CPR != "" {
			byCPR[a.CPR] = append(byCPR[a.CPR], a)
		}
	}
	className, classes := map[string]string{}, map[string]motest.Class{}
	for _, c := range ds.Classes {
		className[c.UUID], classes[c.UUID] = c.Name, c
	}
	jobFacet := ""
	for _, f := range ds.Facets {
		if f.UserKey == motest.FacetJobFunction {
			jobFacet = f.UUID
		}
	}
	for _, c := range ds.Classes {
		if c.FacetUUID == jobFacet {
			sc.jobs = append(sc.jobs, c.Name)
		}
	}
	sort.Strings(sc.jobs)
	if t := ds.ClassByUserKey(motest.FacetEmployeeAddressType, "BrugerTelefon"); t != nil {
		sc.phone = t.UUID
	}
	// The phone step changes a person's one phone number: people with a
	// secret one (never sent to AD) or several are left out of it.
	phones, secret := map[string]int{}, map[string]bool{}
	for _, a := range ds.Addresses {
		if a.PersonUUID == "" || classes[a.AddressTypeUUID].Scope != "PHONE" {
			continue
		}
		phones[a.PersonUUID]++
		if classes[a.VisibilityUUID].Scope == "SECRET" {
			secret[a.PersonUUID] = true
		}
	}
	primary := ds.ClassByUserKey(motest.FacetPrimaryType, "primary")
	engs := map[string][]motest.Engagement{}
	for _, e := range ds.Engagements {
		if !e.Validity.To.IsZero() && !e.Validity.To.After(sc.today) {
			continue // ended
		}
		engs[e.PersonUUID] = append(engs[e.PersonUUID], e)
	}
	sc.cprs = map[string]bool{}
	for _, p := range ds.People {
		sc.cprs[p.CPR] = true
		es := engs[p.UUID]
		if len(es) != 1 || primary == nil || es[0].PrimaryUUID != primary.UUID || !es[0].Validity.ActiveAt(sc.today) || !es[0].Validity.To.IsZero() {
			continue
		}
		if as := byCPR[engine.DigitsOnly(p.CPR)]; len(as) == 1 && !as[0].Disabled() {
			sc.staff = append(sc.staff, staffMember{person: p, eng: es[0], guid: as[0].GUID, title: className[es[0].JobFunctionUUID],
				phoneOK: phones[p.UUID] <= 1 && !secret[p.UUID]})
		}
	}
	for _, u := range ds.Units {
		if u.UUID != ds.TopUnitUUID && u.ParentUUID != "" && u.Validity.ActiveAt(sc.today) {
			sc.units = append(sc.units, u)
		}
	}
	if len(sc.staff) < 6 || len(sc.units) < 3 || len(sc.jobs) < 2 || sc.phone == "" {
		return fmt.Errorf("demo script: the data set is too small (%d people with an account, %d units, %d job functions)", len(sc.staff), len(sc.units), len(sc.jobs))
	}
	return nil
}

// member returns the next member of staff no step used yet (round again
// when all were used).
func (sc *Script) member() staffMember { return sc.memberWith(func(staffMember) bool { return true }) }

// memberWith is member among those ok accepts.
func (sc *Script) memberWith(ok func(staffMember) bool) staffMember {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	for range len(sc.staff) {
		m := sc.staff[sc.used%len(sc.staff)]
		sc.used++
		if !sc.gone[m.person.UUID] && ok(m) {
			if t, ok := sc.titles[m.person.UUID]; ok {
				m.title = t
			}
			return m
		}
	}
	return sc.staff[0]
}

func (sc *Script) setTitle(person, title string) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	sc.titles[person] = title
}

func (sc *Script) setGone(person string) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	sc.gone[person] = true
}

// Next returns the next step.
func (sc *Script) Next() Step {
	i := sc.next
	sc.next++
	switch sc.kinds[i%len(sc.kinds)] {
	case stepHire:
		return sc.hire()
	case stepTitle:
		return sc.title()
	case stepPhone:
		return sc.newPhone()
	case stepLeaver:
		return sc.leaver()
	case stepMove:
		return sc.moveUnit(i / len(sc.kinds))
	default:
		return sc.adEdit()
	}
}

var hireNames = [][2]string{{"Nanna", "Nyansat"}, {"Søren", "Østergård"}, {"Amira", "Haddad"}, {"Jens", "Hansen"}, {"Ida", "Kjær"}}

func (sc *Script) hire() Step {
	n := hireNames[sc.hires%len(hireNames)]
	cpr := sc.hireCPR()
	sc.hires++
	unit := sc.units[sc.hires%len(sc.units)]
	var person string
	return Step{
		What:   fmt.Sprintf("new hire %s %s in %s (MO: person + engagement)", n[0], n[1], unit.Name),
		Expect: "AD create waits in the queue",
		Do: func(context.Context) error {
			var err error
			person, _, err = sc.srv.MO().Hire(motest.Hire{GivenName: n[0], Surname: n[1], CPR: cpr, UnitUUID: unit.UUID})
			return err
		},
		Done: func(ctx context.Context) (bool, error) {
			return sc.queued(ctx, engine.SystemAD, engine.OpCreate, person)
		},
	}
}

// hireCPR is a valid CPR number no one in the data set has.
func (sc *Script) hireCPR() string {
	for i := sc.hires; ; i++ {
		b := time.Date(1985, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, 37*i)
		cpr := b.Format("020106") + fmt.Sprintf("%04d", 1000+i%3000)
		if motest.ValidCPR(cpr) && !sc.cprs[cpr] {
			sc.cprs[cpr] = true
			return cpr
		}
	}
}

func (sc *Script) title() Step {
	m := sc.member()
	job := sc.jobs[sc.used%len(sc.jobs)]
	if job == m.title {
		job = sc.jobs[(sc.used+1)%len(sc.jobs)]
	}
	return Step{
		What:   fmt.Sprintf("title change for %s: %q → %q (MO: engagement)", m.person.Name(), m.title, job),
		Expect: "AD title written at once",
		Do: func(context.Context) error {
			sc.setTitle(m.person.UUID, job)
			return sc.srv.MO().SetJobFunction(m.eng.UUID, job)
		},
		Done: sc.adHas(m.guid, "title", job),
	}
}

func (sc *Script) newPhone() Step {
	m := sc.memberWith(func(m staffMember) bool { return m.phoneOK })
	phone := fmt.Sprintf("+45 %02d %02d %02d %02d", 20+sc.used%70, sc.used%100, (sc.used*7)%100, (sc.used*13)%100)
	return Step{
		What:   fmt.Sprintf("new phone number for %s: %s (MO: address)", m.person.Name(), phone),
		Expect: "AD telephoneNumber written at once",
		Do: func(context.Context) error {
			sc.srv.MO().Edit(func(d *motest.Dataset) {
				found := false
				for i := range d.Addresses {
					if a := &d.Addresses[i]; a.PersonUUID == m.person.UUID && a.AddressTypeUUID == sc.phone {
						a.Value, a.UserKey, found = phone, phone, true
					}
				}
				if !found {
					d.Addresses = append(d.Addresses, motest.Address{UUID: newUUID(), UserKey: phone, PersonUUID: m.person.UUID,
						AddressTypeUUID: sc.phone, Value: phone, Validity: engine.Validity{From: sc.today}})
				}
			})
			return nil
		},
		Done: sc.adHas(m.guid, "telephoneNumber", phone),
	}
}

func (sc *Script) leaver() Step {
	m := sc.member()
	return Step{
		What:   fmt.Sprintf("%s leaves: the engagement ends today (MO: engagement)", m.person.Name()),
		Expect: "AD disable waits in the queue",
		Do: func(context.Context) error {
			sc.setGone(m.person.UUID)
			return sc.srv.MO().EndEngagement(m.eng.UUID, sc.today)
		},
		Done: func(ctx context.Context) (bool, error) {
			return sc.queued(ctx, engine.SystemAD, engine.OpDisable, m.person.UUID)
		},
	}
}

func (sc *Script) moveUnit(round int) Step {
	u := sc.units[(round*3+1)%len(sc.units)]
	to := sc.srv.Dataset.TopUnitUUID
	if u.ParentUUID == to {
		for _, o := range sc.units {
			if o.UUID != u.UUID && o.ParentUUID == to {
				to = o.UUID
				break
			}
		}
	}
	return Step{
		What:   fmt.Sprintf("unit %s moves to another parent (MO: org_unit)", u.Name),
		Expect: "the unit's new parent written to STS at once",
		Do:     func(context.Context) error { return sc.srv.MO().MoveUnit(u.UUID, to) },
		Done: func(context.Context) (bool, error) {
			o, ok := sc.srv.STS().Unit(u.UUID)
			return ok && o.Active && containsFold(string(o.JSON), to), nil
		},
	}
}

func (sc *Script) adEdit() Step {
	m := sc.member()
	wrong := "Edited by hand in AD"
	return Step{
		What:   fmt.Sprintf("an admin sets %s's title in AD to %q (AD: title is MO-owned)", m.person.Name(), wrong),
		Expect: fmt.Sprintf("corrected back to MO's title %q at once", m.title),
		Do: func(ctx context.Context) error {
			a, err := sc.dir.AccountByGUID(ctx, m.guid, []string{"title"})
			if err != nil {
				return err
			}
			var before []string
			if t := a.Attr("title"); t != "" {
				before = []string{t}
			}
			return sc.dir.Modify(ctx, a.DN, []engine.AttrChange{{Attr: "title", Before: before, After: []string{wrong}}})
		},
		Done: func(ctx context.Context) (bool, error) {
			a, err := sc.dir.AccountByGUID(ctx, m.guid, []string{"title"})
			if err != nil {
				return false, err
			}
			return a.Attr("title") == m.title, nil
		},
	}
}

// adHas reports whether the account's attr holds want.
func (sc *Script) adHas(guid, attr, want string) func(ctx context.Context) (bool, error) {
	return func(ctx context.Context) (bool, error) {
		a, err := sc.dir.AccountByGUID(ctx, guid, []string{attr})
		if err != nil {
			return false, err
		}
		return a.Attr(attr) == want, nil
	}
}

func newUUID() string { return uuid.NewString() }

func containsFold(s, sub string) bool {
	return strings.Contains(strings.ToLower(s), strings.ToLower(sub))
}
