package wiring

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"moxsync/ad"
	"moxsync/engine"
	"moxsync/sts"
)

// ReadResult is what one read of MO and AD gave.
type ReadResult struct {
	Snap     *engine.Snapshot
	Accounts []engine.Account
	Taken    engine.TakenNames
	ADRead   bool
	ADAt     time.Time
	// Schema is AD's schema (Env.ADSchema), which the mapping fits.
	Schema *engine.ADSchema
	// STSUsers, when not nil, says that Snap holds only part of MO (the
	// continuous mode's re-plan of a few people): the STS plan diffs
	// against every recorded unit but only these recorded users, rather
	// than deleting every other user the record holds. The plan's
	// inventory still counts the whole record.
	STSUsers []string
}

// BulkDirectory is a Directory that reads its accounts and its names in
// use in one go (*ad.Directory does: one search instead of two).
type BulkDirectory interface {
	AccountsAndTakenNames(ctx context.Context, attrs []string) ([]engine.Account, engine.TakenNames, error)
}

var _ BulkDirectory = (*ad.Directory)(nil)

// ReadAD reads d's accounts (with attrs) and names in use: in one search
// when d is a BulkDirectory, else in two at the same time.
func ReadAD(ctx context.Context, d engine.Directory, attrs []string) ([]engine.Account, engine.TakenNames, error) {
	if both, ok := d.(BulkDirectory); ok {
		return both.AccountsAndTakenNames(ctx, attrs)
	}
	var (
		accounts         []engine.Account
		taken            engine.TakenNames
		accErr, takenErr error
		wg               sync.WaitGroup
	)
	wg.Go(func() { accounts, accErr = d.Accounts(ctx, attrs) })
	wg.Go(func() { taken, takenErr = d.TakenNames(ctx) })
	wg.Wait()
	return accounts, taken, errors.Join(accErr, takenErr)
}

// Read reads MO, AD's accounts and AD's names in use, all at the same
// time, and checks the AD mapping against AD's schema (Env.CheckMapping)
// meanwhile: a mapping that does not fit it stops the reads and is the
// error (*engine.SettingError, a settings error).
func (e *Env) Read(ctx context.Context, wantAD bool) (ReadResult, error) {
	var r ReadResult
	var moErr, adErr, schemaErr error
	var wg sync.WaitGroup
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	wg.Go(func() {
		if r.Schema, schemaErr = e.CheckMapping(ctx); schemaErr != nil {
			cancel()
		}
	})
	wg.Go(func() { r.Snap, moErr = e.MO.Snapshot(ctx) })
	if wantAD && e.Dir != nil {
		wg.Go(func() { r.Accounts, r.Taken, adErr = ReadAD(ctx, e.Dir, e.PlanOptions.Mapping.ReadAttributes()) })
	}
	wg.Wait()
	if schemaErr != nil {
		return r, schemaErr
	}
	if moErr != nil {
		return r, fmt.Errorf("read MO: %w", moErr)
	}
	if adErr != nil {
		return r, fmt.Errorf("read AD: %w", adErr)
	}
	r.ADRead = wantAD && e.Dir != nil
	r.ADAt = e.Now()
	return r, nil
}

// MakePlan reads the systems and plans the changes for the given systems
// (all when empty).
func (e *Env) MakePlan(ctx context.Context, systems []engine.System) (*engine.Plan, error) {
	wantAD := WantsSystem(systems, engine.SystemAD) || WantsSystem(systems, engine.SystemMO)
	r, err := e.Read(ctx, wantAD)
	if err != nil {
		return nil, err
	}
	return e.PlanFrom(ctx, r, systems)
}

// PlanFrom plans the changes for the given systems (all when empty) from
// what was read: MakePlan's read, or the continuous mode's world kept
// current by events.
func (e *Env) PlanFrom(ctx context.Context, r ReadResult, systems []engine.System) (*engine.Plan, error) {
	o := e.PlanOptions
	o.Systems = systems
	o.Now = e.Now()
	o.SettingsHash = engine.OptionsHash(e.PlanOptions)
	o.ADSchema = r.Schema
	if o.ADSchema == nil { // a ReadResult not made by Read
		s, err := e.CheckMapping(ctx)
		if err != nil {
			return nil, err
		}
		o.ADSchema = s
	}
	if r.ADRead {
		o.ADITSystemUUID = engine.FindITSystem(r.Snap, e.ADITSystem)
		if o.ADITSystemUUID == "" && (len(o.Mapping.ADToMO()) > 0 || o.MatchBy == engine.MatchByObjectGUID) {
			return nil, fmt.Errorf("MO has no IT system %q (OS2MO_AD_ITSYSTEM), which the AD mapping writes to", e.ADITSystem)
		}
	}
	in := engine.PlanInput{MO: r.Snap, AD: r.Accounts, Taken: r.Taken, ADRead: r.ADRead, ADReadAt: r.ADAt, Options: o}
	var stsWarns []engine.Warning
	if e.STS != nil && WantsSystem(systems, engine.SystemSTS) {
		so := e.STSOptions
		so.Now = o.Now
		switch {
		case e.RefreshSTS:
			w, err := e.RebuildSTSRecord(ctx, r.Snap)
			if err != nil {
				return nil, fmt.Errorf("--refresh-sts: %w", err)
			}
			stsWarns = w
		case e.stsNoRecord:
			// A first run: learn what STS holds rather than count
			// everything as not yet sent. A failure leaves the record
			// empty (nothing is deleted) and is said; the next plan tries
			// again.
			w, err := e.RebuildSTSRecord(ctx, r.Snap)
			if err != nil {
				w = []engine.Warning{{Code: WarnSTSRebuildFailed, System: string(engine.SystemSTS),
					Message: fmt.Sprintf("there is no STS record yet, and STS could not be read to learn what it holds (%s): no STS object is removed in this plan and every unit and user counts as not yet sent; the next plan tries again", engine.MaskCPRs(err.Error()))}}
			}
			stsWarns = w
		}
		rec := e.STSState.Record()
		if r.STSUsers != nil {
			users := make(map[string]engine.STSUser, len(r.STSUsers))
			for _, id := range r.STSUsers {
				id = strings.ToLower(id)
				if u, ok := rec.Users[id]; ok {
					users[id] = u
				}
			}
			rec.Users = users
		}
		in.STS = engine.NewSTSPlanner(so, rec)
		in.STSReadAt = o.Now
	}
	p, err := engine.BuildPlan(ctx, in)
	if err != nil {
		return nil, err
	}
	if r.STSUsers != nil && in.STS != nil {
		p.Inventory.STSUnits, p.Inventory.STSUsers = e.STSState.Len()
	}
	if len(e.Warnings)+len(stsWarns) > 0 {
		p.Warnings = append(append(append([]engine.Warning(nil), e.Warnings...), stsWarns...), p.Warnings...)
		engine.SortWarnings(p.Warnings)
	}
	return p, nil
}

// WarnSTSRebuildFailed says that a first run could not learn what STS
// holds.
const WarnSTSRebuildFailed = "sts_rebuild_failed"

// RebuildSTSRecord makes the STS record what STS holds (sts.State.Rebuild:
// STS's own lists or OS2sync's hierarchy, then every listed object and
// every object MO wants there read back by uuid) and saves it; plan
// --refresh-sts, a first run without a record and the continuous mode's
// reconciliation use it. It returns the rebuild's warnings (a list at
// STS's cap). On success the warnings of a missing or unusable state file
// are dropped: the record was just rebuilt. On failure the record is as
// it was.
func (e *Env) RebuildSTSRecord(ctx context.Context, snap *engine.Snapshot) ([]engine.Warning, error) {
	if e.STS == nil {
		return nil, fmt.Errorf("STSOrgSync is not configured (STSORGSYNC_API_URL)")
	}
	so := e.STSOptions
	so.Now = e.Now()
	desired, _ := engine.MapSTS(snap, so)
	units, users := desired.RefreshUUIDs()
	h := e.stsHoldings
	if h == nil {
		h = sts.NoHoldings{}
	}
	stats, warns, err := e.STSState.Rebuild(ctx, e.STS, h, units, users, e.Concurrency[engine.SystemSTS])
	e.RefreshSTS = false
	if err != nil {
		return nil, err
	}
	e.Refreshed = &stats
	if err := e.STSState.Save(); err != nil {
		return nil, fmt.Errorf("save the STS record: %w", err)
	}
	e.stsNoRecord = false
	e.Warnings = slices.DeleteFunc(slices.Clone(e.Warnings), func(w engine.Warning) bool { return noRecord(w.Code) })
	return warns, nil
}

// noRecord tells the warnings of a state file that gives no record.
func noRecord(code string) bool {
	return code == sts.WarnStateMissing || code == sts.WarnStateCorrupt || code == sts.WarnStateMox
}

// WantsSystem reports whether s is among systems (all are when empty).
func WantsSystem(systems []engine.System, s engine.System) bool {
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

// ParseSystems reads --only: a comma-separated list of ad, sts, mo.
func ParseSystems(v string) ([]engine.System, error) {
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
