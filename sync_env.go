package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/user"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"moxsync/ad"
	"moxsync/engine"
	"moxsync/settings"
	"moxsync/sts"
)

// syncEnv is what plan, apply and demo work with: the ports of the three
// systems and the options that shape a plan and an apply. A nil directory
// or STS target means that system is not configured.
type syncEnv struct {
	mo       engine.MOSource
	moWriter engine.MOWriter
	dir      engine.Directory
	sts      engine.STSTarget // the Recorder, which keeps stsState current
	stsState *sts.State

	plan       engine.PlanOptions
	stsOpts    engine.STSMapOptions
	adITSystem string // OS2MO_AD_ITSYSTEM: name or user_key, resolved per snapshot

	readOnly    bool
	thresholds  engine.Thresholds
	auditPath   string
	concurrency map[engine.System]int
	now         func() time.Time

	// refreshSTS makes the next makePlan repair the STS record from STS
	// itself first (plan --refresh-sts); refreshed says what it did.
	refreshSTS bool
	refreshed  *sts.RefreshStats

	// warnings found while opening (e.g. an unreadable STS state file);
	// every plan carries them.
	warnings []engine.Warning
	closers  []func() error
}

// Close releases the connections and saves the STS state.
func (e *syncEnv) Close() error {
	var errs []error
	for i := len(e.closers) - 1; i >= 0; i-- {
		if err := e.closers[i](); err != nil {
			errs = append(errs, err)
		}
	}
	e.closers = nil
	return errors.Join(errs...)
}

// planOptionsFrom turns the settings into engine plan options.
func planOptionsFrom(s *settings.Settings) (engine.PlanOptions, error) {
	m, err := engine.ParseMapping(s.AD.Mapping)
	if err != nil {
		return engine.PlanOptions{}, fmt.Errorf("AD_MAPPING: %w", err)
	}
	cfg, _, err := usernameGeneratorConfig("", s)
	if err != nil {
		return engine.PlanOptions{}, err
	}
	gen, err := engine.NewUsernameGenerator(cfg)
	if err != nil {
		return engine.PlanOptions{}, fmt.Errorf("USERNAME_GENERATOR: %w", err)
	}
	return engine.PlanOptions{
		Mapping: m, MatchBy: engine.MatchBy(strings.ToLower(s.AD.MatchBy)), CPRAttr: s.AD.CPRAttribute,
		NewUserOU: s.AD.NewUserOU, SearchBase: s.AD.SearchBase, UPNSuffix: s.AD.UPNSuffix,
		Usernames: gen, TopUnit: s.MO.TopUnitUUID, ToolVersion: toolVersion(),
	}, nil
}

// stsOptionsFrom turns the settings into the MO → STS mapping options.
func stsOptionsFrom(s *settings.Settings) engine.STSMapOptions {
	return engine.STSMapOptions{
		TopUnitUUID: s.MO.TopUnitUUID, PhoneScopeClasses: s.STS.PhoneScopeClasses, EmailScopeClasses: s.STS.EmailScopeClasses,
		SyncCPR: s.STS.SyncCPR, UserIDFromAD: s.STS.UserIDFromAD, ADITSystem: s.MO.ADITSystem, Dialect: s.STS.Dialect,
		ClassicMSSQL: s.STS.ClassicMSSQL, TruncateLength: s.STS.TruncateLength(),
	}
}

// openEnv connects to every configured system. MO is required; AD and STS
// are used when configured. The clients log through their defaults; use
// openEnvWithLog to route their logs to the configured log.
func openEnv(ctx context.Context, s *settings.Settings) (*syncEnv, error) {
	return openEnvWithLog(ctx, s, nil)
}

// openEnvWithLog is openEnv with the clients logging to log (the app's log,
// MOX_LOG_FILE); nil means each client's default.
func openEnvWithLog(ctx context.Context, s *settings.Settings, log *slog.Logger) (*syncEnv, error) {
	if !s.MO.Configured() {
		return nil, errors.New("OS2MO is not configured (OS2MO_SERVICE_URL / OS2MO_GRAPHQL_URL): there is nothing to plan from")
	}
	po, err := planOptionsFrom(s)
	if err != nil {
		return nil, err
	}
	e := &syncEnv{
		plan: po, stsOpts: stsOptionsFrom(s), adITSystem: s.MO.ADITSystem, readOnly: s.ReadOnly,
		thresholds: engine.Thresholds{MaxDeletes: s.Safety.MaxDeletes, MaxPercent: float64(s.Safety.MaxDeletePercent)},
		auditPath:  s.AuditLog, now: time.Now,
		concurrency: map[engine.System]int{engine.SystemAD: 4, engine.SystemMO: 4, engine.SystemSTS: max(1, s.STS.Concurrency)},
	}
	mc, err := newMOClient(s, log)
	if err != nil {
		return nil, err
	}
	e.mo, e.moWriter = mc, mc
	e.closers = append(e.closers, func() error { mc.Close(); return nil })

	if s.AD.Configured() {
		cfg, err := adConfigFrom(s, log)
		if err != nil {
			e.Close()
			return nil, err
		}
		d, err := ad.Dial(ctx, cfg)
		if err != nil {
			e.Close()
			return nil, err
		}
		e.dir = d
		e.closers = append(e.closers, d.Close)
	}

	if s.STS.Configured() {
		client, err := newSTSClient(s, log)
		if err != nil {
			e.Close()
			return nil, err
		}
		if err := e.useSTS(client, s.STS.HashCache); err != nil {
			e.Close()
			return nil, err
		}
		e.setRecorderLog(log)
	}
	return e, nil
}

// useSTS makes t the STS target, recording what is sent in the state file
// at path (the "before" of the next STS diff).
func (e *syncEnv) useSTS(t engine.STSTarget, path string) error {
	state, warns, err := sts.LoadState(path)
	if err != nil {
		return fmt.Errorf("STSORGSYNC_HASH_CACHE: %w", err)
	}
	e.warnings = append(e.warnings, warns...)
	rec := sts.NewRecorder(t, state)
	e.sts, e.stsState = recordedSTS{rec}, state
	e.closers = append(e.closers, rec.Close)
	return nil
}

// recordedSTS is the STS target of apply: the Recorder, which keeps the
// state file current and answers from it what STS holds, so apply can
// refuse a stale STS change (engine.STSRecordReader).
type recordedSTS struct{ *sts.Recorder }

func (r recordedSTS) RecordedUnit(id string) (engine.STSUnit, bool) { return r.State.Unit(id) }
func (r recordedSTS) RecordedUser(id string) (engine.STSUser, bool) { return r.State.User(id) }

// readResult is what one read of all systems gave.
type readResult struct {
	snap     *engine.Snapshot
	accounts []engine.Account
	taken    engine.TakenNames
	adRead   bool
	adAt     time.Time
}

// bulkDirectory is a Directory that reads its accounts and its names in
// use in one go (*ad.Directory does: one search instead of two).
type bulkDirectory interface {
	AccountsAndTakenNames(ctx context.Context, attrs []string) ([]engine.Account, engine.TakenNames, error)
}

var _ bulkDirectory = (*ad.Directory)(nil)

// read reads MO, AD's accounts and AD's names in use, all at the same time.
func (e *syncEnv) read(ctx context.Context, wantAD bool) (readResult, error) {
	var r readResult
	var moErr, accErr, takenErr error
	var wg sync.WaitGroup
	wg.Go(func() { r.snap, moErr = e.mo.Snapshot(ctx) })
	if wantAD && e.dir != nil {
		if both, ok := e.dir.(bulkDirectory); ok {
			wg.Go(func() { r.accounts, r.taken, accErr = both.AccountsAndTakenNames(ctx, e.plan.Mapping.ReadAttributes()) })
		} else {
			wg.Go(func() { r.accounts, accErr = e.dir.Accounts(ctx, e.plan.Mapping.ReadAttributes()) })
			wg.Go(func() { r.taken, takenErr = e.dir.TakenNames(ctx) })
		}
	}
	wg.Wait()
	if moErr != nil {
		return r, fmt.Errorf("read MO: %w", moErr)
	}
	if err := errors.Join(accErr, takenErr); err != nil {
		return r, fmt.Errorf("read AD: %w", err)
	}
	r.adRead = wantAD && e.dir != nil
	r.adAt = e.now()
	return r, nil
}

// makePlan reads the systems and plans the changes for the given systems
// (all when empty).
func (e *syncEnv) makePlan(ctx context.Context, systems []engine.System) (*engine.Plan, error) {
	wantAD := wantsSystem(systems, engine.SystemAD) || wantsSystem(systems, engine.SystemMO)
	r, err := e.read(ctx, wantAD)
	if err != nil {
		return nil, err
	}
	o := e.plan
	o.Systems = systems
	o.Now = e.now()
	o.SettingsHash = engine.OptionsHash(e.plan)
	if r.adRead {
		o.ADITSystemUUID = engine.FindITSystem(r.snap, e.adITSystem)
		if o.ADITSystemUUID == "" && (len(o.Mapping.ADToMO()) > 0 || o.MatchBy == engine.MatchByObjectGUID) {
			return nil, fmt.Errorf("MO has no IT system %q (OS2MO_AD_ITSYSTEM), which the AD mapping writes to", e.adITSystem)
		}
	}
	in := engine.PlanInput{MO: r.snap, AD: r.accounts, Taken: r.taken, ADRead: r.adRead, ADReadAt: r.adAt, Options: o}
	if e.sts != nil && wantsSystem(systems, engine.SystemSTS) {
		so := e.stsOpts
		so.Now = o.Now
		if e.refreshSTS {
			if err := e.refreshRecord(ctx, r.snap, so); err != nil {
				return nil, err
			}
		}
		in.STS = engine.NewSTSPlanner(so, e.stsState.Record())
		in.STSReadAt = o.Now
	}
	p, err := engine.BuildPlan(ctx, in)
	if err != nil {
		return nil, err
	}
	if len(e.warnings) > 0 {
		p.Warnings = append(append([]engine.Warning(nil), e.warnings...), p.Warnings...)
		engine.SortWarnings(p.Warnings)
	}
	return p, nil
}

// refreshRecord reads back from STS every object MO wants there or the
// record holds, and saves the repaired record.
func (e *syncEnv) refreshRecord(ctx context.Context, snap *engine.Snapshot, so engine.STSMapOptions) error {
	desired, _ := engine.MapSTS(snap, so)
	units, users := desired.RefreshUUIDs()
	stats, err := e.stsState.Refresh(ctx, e.sts, units, users, e.concurrency[engine.SystemSTS])
	e.refreshSTS, e.refreshed = false, &stats
	if err != nil {
		return fmt.Errorf("--refresh-sts: %w", err)
	}
	if err := e.stsState.Save(); err != nil {
		return fmt.Errorf("--refresh-sts: save the record: %w", err)
	}
	return nil
}

func wantsSystem(systems []engine.System, s engine.System) bool {
	if len(systems) == 0 {
		return true
	}
	for _, x := range systems {
		if x == s {
			return true
		}
	}
	return false
}

// parseSystems reads --only for plan: a comma-separated list of ad, sts, mo.
func parseSystems(v string) ([]engine.System, error) {
	if strings.TrimSpace(v) == "" {
		return nil, nil
	}
	var out []engine.System
	for _, part := range strings.Split(v, ",") {
		switch s := engine.System(strings.ToLower(strings.TrimSpace(part))); s {
		case engine.SystemAD, engine.SystemSTS, engine.SystemMO:
			out = append(out, s)
		default:
			return nil, fmt.Errorf("--only %q: want ad, sts or mo (comma-separated)", part)
		}
	}
	return out, nil
}

// operator names who runs moxsync, for the audit log.
func operator() (name, host string) {
	if u, err := user.Current(); err == nil {
		name = u.Username
	}
	host, _ = os.Hostname()
	return name, host
}

// path resolves a path given on the command line against the app's
// current directory.
func (a *app) path(p string) string {
	if p == "" || filepath.IsAbs(p) || a.cwd == "" {
		return p
	}
	return filepath.Join(a.cwd, p)
}
