package tuitest

import (
	"context"
	"errors"
	"strings"
	"sync"
	"time"

	"moxsync/engine"
	"moxsync/engine/enginetest"
	"moxsync/tui"
)

// The fixed uuids of the world.
const (
	OrgUUID    = "00000000-0000-4000-8000-000000000001"
	TopUnit    = "10000000-0000-4000-8000-000000000001"
	UnitBS     = "10000000-0000-4000-8000-000000000002"
	UnitIT     = "10000000-0000-4000-8000-000000000003"
	UnitOld    = "10000000-0000-4000-8000-000000000004"
	ADITSystem = "20000000-0000-4000-8000-000000000001"
	PersonJens = "30000000-0000-4000-8000-000000000001"
	PersonPer  = "30000000-0000-4000-8000-000000000002"
	PersonOle  = "30000000-0000-4000-8000-000000000003"
	PersonAnna = "30000000-0000-4000-8000-000000000004"
)

// World is a municipality in MO, AD and STS. Its zero value is not
// usable; call New.
type World struct {
	MO  *enginetest.MO
	Dir *enginetest.Directory
	STS *enginetest.STS

	// Now is the clock of plans and applies.
	Now func() time.Time
	// ReadOnlyMode makes every apply refused (READONLY).
	ReadOnlyMode bool
	// Delay is how long each system's read takes (for the demo).
	Delay time.Duration

	opts    engine.PlanOptions
	stsOpts engine.STSMapOptions
	gen     *engine.UsernameGenerator

	mu       sync.Mutex
	failNext map[engine.System]error
	taken    engine.TakenNames
	people   map[string]engine.Person
}

// serial applies one change at a time per system, so the fake directory
// hands out the same GUIDs in the same order on every run (stable plans).
var serial = map[engine.System]int{engine.SystemAD: 1, engine.SystemMO: 1, engine.SystemSTS: 1}

// Epoch is the world's fixed "now".
var Epoch = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

// Scenario picks what happened since the first sync.
type Scenario int

const (
	// Full: Anna Maria Jensen was hired (AD create, MO write-back, STS
	// user), Jens Hansen's title was changed by hand in AD (AD update),
	// Ole Olsen's engagement ended (STS user delete) and the unit "Gammel
	// enhed" was closed (STS unit delete).
	Full Scenario = iota
	// TwoChanges: only Jens Hansen's title and "Gammel enhed".
	TwoChanges
)

// New returns a world in which a first sync has run, and then what the
// scenario says happened.
func New(ctx context.Context, sc Scenario) (*World, error) {
	gen, err := engine.NewUsernameGenerator(engine.DefaultUsernameConfig())
	if err != nil {
		return nil, err
	}
	w := &World{
		Now: func() time.Time { return Epoch },
		Dir: enginetest.NewDirectory("employeeID"),
		STS: enginetest.NewSTS(),
		gen: gen, failNext: map[engine.System]error{},
	}
	w.opts = engine.PlanOptions{Mapping: engine.DefaultMapping(), NewUserOU: "OU=Brugere", SearchBase: "DC=kommune,DC=dk",
		UPNSuffix: "kommune.dk", Usernames: gen, ADITSystemUUID: ADITSystem, TopUnit: TopUnit, ToolVersion: "test"}
	w.stsOpts = engine.STSMapOptions{TopUnitUUID: TopUnit}
	w.MO = enginetest.NewMO(initialSnapshot())

	// The first sync: everything applied.
	p, err := w.plan(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := engine.Apply(ctx, p, engine.ApplyOptions{Directory: w.Dir, MO: w.MO, STS: w.STS, Now: w.Now,
		Concurrency: serial}); err != nil {
		return nil, err
	}
	// What happened since.
	w.MO.Update(func(s *engine.Snapshot) {
		if sc == Full {
			s.People = append(s.People, person(PersonAnna, "Anna Maria", "Jensen", "0202851234", UnitIT, "Udvikler"))
		}
		var units []engine.Unit
		for _, u := range s.Units {
			if u.UUID != UnitOld {
				units = append(units, u)
			}
		}
		s.Units = units
		for i := range s.People {
			if s.People[i].UUID == PersonOle && sc == Full {
				s.People[i].Engagements = nil
			}
		}
	})
	for _, a := range w.Dir.All() {
		if strings.HasPrefix(a.CN, "Jens") {
			w.Dir.Set(a.GUID, "title", "Gammel titel")
		}
	}
	return w, nil
}

func initialSnapshot() *engine.Snapshot {
	since := Epoch.AddDate(-2, 0, 0)
	unit := func(uuid, name, parent string) engine.Unit {
		return engine.Unit{UUID: uuid, UserKey: strings.ToLower(strings.ReplaceAll(name, " ", "-")), Name: name, ParentUUID: parent,
			Validity: engine.Validity{From: since}}
	}
	return &engine.Snapshot{
		ReadAt: Epoch, OrgUUID: OrgUUID, TopUnit: TopUnit,
		Units: []engine.Unit{
			unit(TopUnit, "Kommune", ""), unit(UnitBS, "Borgerservice", TopUnit),
			unit(UnitIT, "IT-afdelingen", TopUnit), unit(UnitOld, "Gammel enhed", TopUnit),
		},
		People: []engine.Person{
			person(PersonJens, "Jens", "Hansen", "0101801234", UnitBS, "Sagsbehandler"),
			person(PersonPer, "Per", "Nielsen", "0303751234", UnitBS, "Teamleder"),
			person(PersonOle, "Ole", "Olsen", "0404701234", UnitIT, "Konsulent"),
		},
		ITSystems: []engine.ITSystem{{UUID: ADITSystem, UserKey: "Active Directory", Name: "Active Directory"}},
	}
}

func person(uuid, given, surname, cpr, unit, job string) engine.Person {
	return engine.Person{UUID: uuid, UserKey: strings.ToLower(given[:1] + surname), CPR: cpr, GivenName: given, Surname: surname,
		Engagements: []engine.Engagement{{UUID: "e" + uuid[1:], UserKey: engagementKey(uuid, cpr), UnitUUID: unit, JobFunction: job,
			IsPrimary: true, Validity: engine.Validity{From: Epoch.AddDate(-1, 0, 0)}}}}
}

// engagementKey is the engagement's user_key: digits (AD's countryCode
// takes it), except Anna's, which AD would reject (a plan warning).
func engagementKey(uuid, cpr string) string {
	if uuid == PersonAnna {
		return "A-" + cpr[6:]
	}
	return cpr[6:]
}

// FailNext makes the next read of system s fail with err.
func (w *World) FailNext(s engine.System, err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.failNext[s] = err
}

func (w *World) takeFailure(s engine.System) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	err := w.failNext[s]
	delete(w.failNext, s)
	return err
}

// plan reads the fakes and plans, without progress.
func (w *World) plan(ctx context.Context) (*engine.Plan, error) {
	return w.Load(ctx, func(tui.LoadEvent) {})
}

// Systems implements tui.Backend.
func (w *World) Systems() []tui.SystemInfo {
	return []tui.SystemInfo{
		{System: engine.SystemMO, Endpoint: "https://mo.kommune.dk/service"},
		{System: engine.SystemAD, Endpoint: "ldaps://dc01.kommune.dk"},
		{System: engine.SystemSTS, Endpoint: "https://stsorgsync.kommune.dk/api"},
	}
}

// ReadOnly implements tui.Backend.
func (w *World) ReadOnly() bool { return w.ReadOnlyMode }

func (w *World) pause(ctx context.Context) error {
	if w.Delay <= 0 {
		return ctx.Err()
	}
	select {
	case <-time.After(w.Delay):
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Load implements tui.Backend: MO, then AD, then the STS record, then the
// plan.
func (w *World) Load(ctx context.Context, report func(tui.LoadEvent)) (*engine.Plan, error) {
	now := w.Now()
	fail := func(s engine.System, err error) (*engine.Plan, error) {
		report(tui.LoadEvent{System: s, State: tui.SystemFailed, Err: err})
		return nil, err
	}
	report(tui.LoadEvent{System: engine.SystemMO, State: tui.SystemReading})
	if err := w.pause(ctx); err != nil {
		return fail(engine.SystemMO, err)
	}
	if err := w.takeFailure(engine.SystemMO); err != nil {
		return fail(engine.SystemMO, err)
	}
	snap, err := w.MO.Snapshot(ctx)
	if err != nil {
		return fail(engine.SystemMO, err)
	}
	snap.ReadAt = now
	report(tui.LoadEvent{System: engine.SystemMO, State: tui.SystemDone, Objects: len(snap.People) + len(snap.Units)})

	report(tui.LoadEvent{System: engine.SystemAD, State: tui.SystemReading})
	if err := w.pause(ctx); err != nil {
		return fail(engine.SystemAD, err)
	}
	if err := w.takeFailure(engine.SystemAD); err != nil {
		return fail(engine.SystemAD, err)
	}
	accts, err := w.Dir.Accounts(ctx, w.opts.Mapping.ReadAttributes())
	if err != nil {
		return fail(engine.SystemAD, err)
	}
	taken, err := w.Dir.TakenNames(ctx)
	if err != nil {
		return fail(engine.SystemAD, err)
	}
	report(tui.LoadEvent{System: engine.SystemAD, State: tui.SystemDone, Objects: len(accts)})

	report(tui.LoadEvent{System: engine.SystemSTS, State: tui.SystemReading})
	if err := w.pause(ctx); err != nil {
		return fail(engine.SystemSTS, err)
	}
	if err := w.takeFailure(engine.SystemSTS); err != nil {
		return fail(engine.SystemSTS, err)
	}
	rec := w.STS.Record()
	report(tui.LoadEvent{System: engine.SystemSTS, State: tui.SystemDone, Objects: len(rec.Units) + len(rec.Users)})

	o := w.opts
	o.Now = now
	so := w.stsOpts
	so.Now = now
	p, err := engine.BuildPlan(ctx, engine.PlanInput{MO: snap, AD: accts, Taken: taken, ADRead: true, ADReadAt: now,
		STSReadAt: now, STS: engine.NewSTSPlanner(so, rec), Options: o})
	if err != nil {
		return nil, err
	}
	w.mu.Lock()
	w.taken = taken
	w.people = map[string]engine.Person{}
	for _, pe := range snap.People {
		w.people[pe.UUID] = pe
	}
	w.mu.Unlock()
	return p, nil
}

// Apply implements tui.Backend with engine.Apply over the fakes.
func (w *World) Apply(ctx context.Context, p *engine.Plan, req tui.ApplyRequest, progress func(engine.Result)) (engine.Summary, error) {
	if len(req.IDs) == 0 {
		return engine.Summary{PlanID: p.ID}, errors.New("apply: no changes named")
	}
	return engine.Apply(ctx, p, engine.ApplyOptions{Directory: w.Dir, MO: w.MO, STS: w.STS, Only: req.IDs,
		AllowDeletes: req.AllowDeletes, ReadOnly: w.ReadOnlyMode, Progress: progress, Now: w.Now, Operator: "test",
		Concurrency: serial, Usernames: w.gen})
}

// PreviewUsername implements tui.Backend against the names of the last
// Load.
func (w *World) PreviewUsername(given, surname string) (engine.UsernameResult, error) {
	w.mu.Lock()
	taken := w.taken
	w.mu.Unlock()
	return w.gen.NewBatch(taken, nil).Generate(given, surname, "")
}

// CheckUsername implements tui.Backend against the names of the last Load.
func (w *World) CheckUsername(name, personUUID string) error {
	w.mu.Lock()
	taken := w.taken
	w.mu.Unlock()
	return w.gen.NewBatch(taken, nil).ValidateOverride(name, personUUID)
}

// PersonName implements tui.Backend from the snapshot of the last Load.
func (w *World) PersonName(uuid string) (string, string, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	p, ok := w.people[uuid]
	return p.GivenName, p.Surname, ok
}

var _ tui.Backend = (*World)(nil)
