package cli

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"moxsync/engine"
	"moxsync/tui"
	"moxsync/wiring"
)

// envBackend is the TUI's view of a syncEnv: reads, plans and applies
// through the same adapters and engine calls as plan and apply.
type envBackend struct {
	env       *wiring.Env
	endpoints map[engine.System]string

	mu         sync.Mutex
	taken      engine.TakenNames
	moReserved engine.MOReservedNames
	people     map[string][2]string // MO uuid → given name, surname
	inventory  engine.Inventory     // of the last plan (the thresholds' percent)
}

func newEnvBackend(env *wiring.Env, moURL, adURL, stsURL string) *envBackend {
	if env.Dir == nil {
		adURL = ""
	}
	if env.STS == nil {
		stsURL = ""
	}
	return &envBackend{env: env, endpoints: map[engine.System]string{
		engine.SystemMO: moURL, engine.SystemAD: adURL, engine.SystemSTS: stsURL}}
}

// Systems implements tui.Backend.
func (b *envBackend) Systems() []tui.SystemInfo {
	var out []tui.SystemInfo
	for _, s := range []engine.System{engine.SystemMO, engine.SystemAD, engine.SystemSTS} {
		out = append(out, tui.SystemInfo{System: s, Endpoint: b.endpoints[s]})
	}
	return out
}

// ReadOnly implements tui.Backend.
func (b *envBackend) ReadOnly() bool { return b.env.ReadOnly }

// Load implements tui.Backend: the plan command's read and plan, with the
// MO and AD ports wrapped to report progress and keep the names in use
// for the username preview.
func (b *envBackend) Load(ctx context.Context, report func(tui.LoadEvent)) (*engine.Plan, error) {
	var reportMu sync.Mutex // MO and AD are read at the same time
	report = func(report func(tui.LoadEvent)) func(tui.LoadEvent) {
		return func(ev tui.LoadEvent) {
			reportMu.Lock()
			defer reportMu.Unlock()
			report(ev)
		}
	}(report)
	e := *b.env // a shallow copy with reporting ports; never closed
	var snap *engine.Snapshot
	var moErr, adErr error
	e.MO = reportingMO{MOSource: b.env.MO, report: report, got: func(s *engine.Snapshot, err error) { snap, moErr = s, err }}
	var taken engine.TakenNames
	if b.env.Dir != nil {
		e.Dir = &reportingDir{Directory: b.env.Dir, report: report, got: func(t engine.TakenNames, err error) { taken, adErr = t, err }}
	}
	if b.env.STS != nil {
		report(tui.LoadEvent{System: engine.SystemSTS, State: tui.SystemReading})
	}
	p, err := e.MakePlan(ctx, nil)
	if err != nil {
		if b.env.STS != nil {
			// STS is planned last: it failed only when the reads did not.
			ev := tui.LoadEvent{System: engine.SystemSTS, State: tui.SystemWaiting}
			if moErr == nil && adErr == nil {
				ev = tui.LoadEvent{System: engine.SystemSTS, State: tui.SystemFailed, Err: err}
			}
			report(ev)
		}
		return nil, err
	}
	if b.env.STS != nil {
		rec := b.env.STSState.Record()
		report(tui.LoadEvent{System: engine.SystemSTS, State: tui.SystemDone, Objects: len(rec.Units) + len(rec.Users)})
	}
	b.mu.Lock()
	b.taken = taken
	b.inventory = p.Inventory
	if snap != nil {
		b.moReserved = nil
		if gen := b.env.PlanOptions.Usernames; gen != nil && gen.Config().DisallowMOUsernames {
			// as the planner does: the names of the generator's own IT system
			b.moReserved = engine.MOReservedNamesFrom(snap, gen.Config().ExistingUsernamesITSystem)
		}
		b.people = make(map[string][2]string, len(snap.People))
		for _, pe := range snap.People {
			b.people[pe.UUID] = [2]string{pe.GivenName, pe.Surname}
		}
	}
	b.mu.Unlock()
	return p, nil
}

// reportingMO reports the MO read.
type reportingMO struct {
	engine.MOSource
	report func(tui.LoadEvent)
	got    func(*engine.Snapshot, error)
}

func (r reportingMO) Snapshot(ctx context.Context) (*engine.Snapshot, error) {
	r.report(tui.LoadEvent{System: engine.SystemMO, State: tui.SystemReading})
	s, err := r.MOSource.Snapshot(ctx)
	r.got(s, err)
	if err != nil {
		r.report(tui.LoadEvent{System: engine.SystemMO, State: tui.SystemFailed, Err: err})
		return nil, err
	}
	r.report(tui.LoadEvent{System: engine.SystemMO, State: tui.SystemDone, Objects: len(s.People) + len(s.Units)})
	return s, nil
}

// reportingDir reports the AD read. It always offers the one-pass read
// (wiring.BulkDirectory), so syncEnv.read reads accounts and names in use through
// it, in one search when the directory can, else one after the other.
type reportingDir struct {
	engine.Directory
	report func(tui.LoadEvent)
	got    func(engine.TakenNames, error)
}

var _ wiring.BulkDirectory = (*reportingDir)(nil)

func (r *reportingDir) AccountsAndTakenNames(ctx context.Context, attrs []string) ([]engine.Account, engine.TakenNames, error) {
	r.report(tui.LoadEvent{System: engine.SystemAD, State: tui.SystemReading})
	var (
		as    []engine.Account
		taken engine.TakenNames
		err   error
	)
	if both, ok := r.Directory.(wiring.BulkDirectory); ok {
		as, taken, err = both.AccountsAndTakenNames(ctx, attrs)
	} else if as, err = r.Directory.Accounts(ctx, attrs); err == nil {
		taken, err = r.Directory.TakenNames(ctx)
	}
	r.got(taken, err)
	if err != nil {
		r.report(tui.LoadEvent{System: engine.SystemAD, State: tui.SystemFailed, Err: err})
		return nil, engine.TakenNames{}, err
	}
	r.report(tui.LoadEvent{System: engine.SystemAD, State: tui.SystemDone, Objects: len(as)})
	return as, taken, nil
}

// Apply implements tui.Backend with the options of the apply command.
func (b *envBackend) Apply(ctx context.Context, p *engine.Plan, req tui.ApplyRequest, progress func(engine.Result)) (engine.Summary, error) {
	if len(req.IDs) == 0 {
		return engine.Summary{PlanID: p.ID}, errors.New("apply: no changes approved")
	}
	o, closeAudit, err := b.env.ApplyOptions(true)
	if err != nil {
		return engine.Summary{PlanID: p.ID}, fmt.Errorf("apply: %w", err)
	}
	defer closeAudit()
	o.Only, o.AllowDeletes, o.Progress = req.IDs, req.AllowDeletes, progress
	return engine.Apply(ctx, p, o)
}

func (b *envBackend) batch() *engine.UsernameBatch {
	b.mu.Lock()
	defer b.mu.Unlock()
	gen := b.env.PlanOptions.Usernames
	if gen == nil {
		gen, _ = engine.NewUsernameGenerator(engine.DefaultUsernameConfig())
	}
	return gen.NewBatch(b.taken, b.moReserved)
}

// PreviewUsername implements tui.Backend over the names of the last Load.
func (b *envBackend) PreviewUsername(given, surname string) (engine.UsernameResult, error) {
	return b.batch().Generate(given, surname, "")
}

// CheckUsername implements tui.Backend over the names of the last Load.
func (b *envBackend) CheckUsername(name, personUUID string) error {
	return b.batch().ValidateOverride(name, personUUID)
}

// PersonName implements tui.Backend from the MO snapshot of the last Load.
func (b *envBackend) PersonName(uuid string) (string, string, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	n, ok := b.people[uuid]
	return n[0], n[1], ok
}
