package wiring

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"moxsync/engine"
	"moxsync/settings"
	"moxsync/sts"
)

// Env is what plan, apply, the TUI and the demo work with: the ports of the
// three systems and the options that shape a plan and an apply, all built
// from one Settings by Open. A nil Dir or STS means that system is not
// configured. Callers may adjust the exported fields (say ReadOnly from
// --readonly) before planning or applying.
type Env struct {
	MO       engine.MOSource
	MOWriter engine.MOWriter
	Dir      engine.Directory
	STS      engine.STSTarget // the Recorder, which keeps STSState current
	STSState *sts.State

	PlanOptions engine.PlanOptions
	STSOptions  engine.STSMapOptions
	ADITSystem  string // OS2MO_AD_ITSYSTEM: name or user_key, resolved per snapshot

	ReadOnly    bool
	Thresholds  engine.Thresholds
	AuditPath   string
	Concurrency map[engine.System]int
	Now         func() time.Time

	// RefreshSTS makes the next MakePlan rebuild the STS record from STS
	// itself first (plan --refresh-sts); Refreshed says what it did. A
	// first run without a usable record (stsNoRecord) rebuilds it too.
	RefreshSTS bool
	Refreshed  *sts.RefreshStats
	// stsNoRecord: the state file was missing, unusable or mox's hash
	// cache, and no rebuild has succeeded yet. stsHoldings learns what STS
	// holds (the client; nil for a target that cannot list).
	stsNoRecord bool
	stsHoldings sts.HoldingsReader

	// Warnings found while opening (e.g. an unreadable STS state file);
	// every plan carries them.
	Warnings []engine.Warning
	closers  []func() error

	// schema is AD's schema once read (ADSchema); shared by shallow
	// copies of the Env.
	schema *schemaCache
}

// Options adjust what Open builds beyond the settings.
type Options struct {
	// Log receives the clients' logs (the app's log, MOX_LOG_FILE); nil
	// means each client's default.
	Log *slog.Logger
	// Now is the clock of plans, applies and MO's validity dates; nil means
	// time.Now. The demo stops time at its data set's day.
	Now func() time.Time
}

// Open connects to every configured system. MO is required; AD and STS are
// used when configured. Close the Env when done.
func Open(ctx context.Context, s *settings.Settings, o Options) (_ *Env, err error) {
	if !s.MO.Configured() {
		return nil, errors.New("OS2MO is not configured (OS2MO_SERVICE_URL / OS2MO_GRAPHQL_URL): there is nothing to plan from")
	}
	po, err := PlanOptions(s)
	if err != nil {
		return nil, err
	}
	now := o.Now
	if now == nil {
		now = time.Now
	}
	e := &Env{
		PlanOptions: po, STSOptions: STSOptions(s), ADITSystem: s.MO.ADITSystem, ReadOnly: s.ReadOnly,
		Thresholds: engine.Thresholds{MaxDeletes: s.Safety.MaxDeletes, MaxPercent: float64(s.Safety.MaxDeletePercent)},
		AuditPath:  s.AuditLog, Now: now,
		Concurrency: map[engine.System]int{engine.SystemAD: 4, engine.SystemMO: 4, engine.SystemSTS: max(1, s.STS.Concurrency)},
	}
	defer func() {
		if err != nil {
			e.Close()
		}
	}()
	mc, err := newMOClient(s, o.Log, o.Now)
	if err != nil {
		return nil, err
	}
	e.MO, e.MOWriter = mc, mc
	e.closers = append(e.closers, func() error { mc.Close(); return nil })

	if s.AD.Configured() {
		d, err := DialAD(ctx, s, o.Log)
		if err != nil {
			return nil, err
		}
		e.Dir = d
		e.schema = &schemaCache{reader: d}
		e.closers = append(e.closers, d.Close)
	}

	if s.STS.Configured() {
		client, err := NewSTSClient(s, o.Log)
		if err != nil {
			return nil, err
		}
		if err := e.useSTS(client, s.STS.HashCache, o.Log); err != nil {
			return nil, err
		}
	}
	return e, nil
}

// Close releases the connections and saves the STS state.
func (e *Env) Close() error {
	var errs []error
	for i := len(e.closers) - 1; i >= 0; i-- {
		if err := e.closers[i](); err != nil {
			errs = append(errs, err)
		}
	}
	e.closers = nil
	return errors.Join(errs...)
}

// useSTS makes t the STS target, recording what is sent in the state file
// at path (the "before" of the next STS diff). log receives the recorder's
// logs; nil keeps its default.
func (e *Env) useSTS(t engine.STSTarget, path string, log *slog.Logger) error {
	state, warns, err := sts.LoadState(path)
	if err != nil {
		return fmt.Errorf("STSORGSYNC_HASH_CACHE: %w", err)
	}
	e.Warnings = append(e.Warnings, warns...)
	for _, w := range warns {
		e.stsNoRecord = e.stsNoRecord || noRecord(w.Code)
	}
	e.stsHoldings, _ = t.(sts.HoldingsReader)
	rec := sts.NewRecorder(t, state)
	if log != nil {
		rec.Logger = log
	}
	e.STS, e.STSState = recordedSTS{rec}, state
	e.closers = append(e.closers, rec.Close)
	return nil
}

// recordedSTS is the STS target of apply: the Recorder, which keeps the
// state file current and answers from it what STS holds, so apply can
// refuse a stale STS change (engine.STSRecordReader).
type recordedSTS struct{ *sts.Recorder }

func (r recordedSTS) RecordedUnit(id string) (engine.STSUnit, bool) { return r.State.Unit(id) }
func (r recordedSTS) RecordedUser(id string) (engine.STSUser, bool) { return r.State.User(id) }
