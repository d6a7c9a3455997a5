package engine

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"
)

// ResultStatus is the outcome of one change.
type ResultStatus string

// The outcomes of a change.
const (
	ResultOK      ResultStatus = "ok"      // written
	ResultFailed  ResultStatus = "failed"  // the target system refused or was unreachable
	ResultStale   ResultStatus = "stale"   // the target changed since the plan; nothing written
	ResultSkipped ResultStatus = "skipped" // not attempted: a change it depends on did not succeed, or the run was cancelled
	ResultRefused ResultStatus = "refused" // a safety rule refused it; nothing written
)

// Result is the outcome of one change of an apply.
type Result struct {
	ChangeID string       `json:"change_id"`
	System   System       `json:"system"`
	Op       Op           `json:"op"`
	Subject  string       `json:"subject"`
	Status   ResultStatus `json:"status"`
	// Error says why a change was not written; CPR numbers masked.
	Error string `json:"error,omitempty"`
	// Kind classifies Error (see Kind).
	Kind Kind `json:"-"`
	// NewKey is what the change created or moved to: the objectGUID of a new
	// account, the new DN of a renamed one, the uuid of a new MO IT user.
	NewKey string    `json:"new_key,omitempty"`
	At     time.Time `json:"at"`
	// Note says what apply decided on its own for a change that was
	// written: "the username jhans was taken in AD since the plan was
	// made; created as jhans2".
	Note string `json:"note,omitempty"`
	// Replacement is, for an AD create refused because its username was
	// taken since the plan was made, the generator's next candidate: the
	// name the create would get with the operator's consent.
	Replacement string `json:"replacement,omitempty"`
	// TakenUsername is the planned username AD said is in use (with
	// Replacement).
	TakenUsername string `json:"taken_username,omitempty"`
	// filled holds the values written for fields planned as
	// KnownAfterApply (for the audit record).
	filled map[string]string
}

// Summary is the outcome of an apply: one Result per change that was part
// of the run, in the order they were applied, and the counts.
type Summary struct {
	PlanID   string    `json:"plan_id"`
	Started  time.Time `json:"started"`
	Finished time.Time `json:"finished"`
	Results  []Result  `json:"results"`
	OK       int       `json:"ok"`
	Failed   int       `json:"failed"`
	Stale    int       `json:"stale"`
	Skipped  int       `json:"skipped"`
	Refused  int       `json:"refused"`
}

func (s *Summary) count(r Result) {
	switch r.Status {
	case ResultOK:
		s.OK++
	case ResultFailed:
		s.Failed++
	case ResultStale:
		s.Stale++
	case ResultSkipped:
		s.Skipped++
	case ResultRefused:
		s.Refused++
	}
}

// ApplyOptions are the ports and rules of one apply.
type ApplyOptions struct {
	// The ports; a nil port refuses (fails) the changes of its system.
	Directory Directory
	MO        MOWriter
	STS       STSTarget
	Audit     AuditSink // nil = no audit log (tests only)
	// Concurrency is the number of changes applied at once per system;
	// missing or <= 0 means 4.
	Concurrency map[System]int
	// Only keeps the changes whose system ("ad", "sts", "mo") or id is
	// listed; empty = all.
	Only []string
	// Limit applies at most this many changes (in apply order); 0 = all.
	Limit int
	// AllowDeletes must equal the exact number of deletes + disables to let
	// them pass a threshold (see SafetyCheck).
	AllowDeletes int
	ReadOnly     bool
	Thresholds   Thresholds
	// Progress is called after each change, one call at a time.
	Progress func(Result)
	// Operator and Host name who applied, for the audit log.
	Operator, Host string
	// Now is the clock; nil = time.Now.
	Now func() time.Time
	// Usernames is the generator the plan's usernames came from; with it,
	// an AD create whose username AD says is in use can name (or take)
	// the next candidate. nil: such a create is stale.
	Usernames *UsernameGenerator
	// UsernameClash says whether such a create takes the next candidate
	// (a plan made in this run) or is reported with it (a saved plan).
	UsernameClash UsernameClash
	// Log receives info lines about what apply decided on its own (a
	// replaced username); nil = none.
	Log *slog.Logger
}

// Apply applies the changes of p (design §3, §7). Order: AD creates, then
// the MO write-backs (filled with the new accounts' objectGUIDs), then AD
// updates, enables and disables, then AD renames; STS runs alongside: units
// parent-first, then users, then user and unit deletes. Every change gets a
// Result and an audit record; a change that is sent gets an intent record
// first, before its target is re-read and written (see intent), so the
// audit log is written ahead. One failure does not stop unrelated changes,
// and the changes that depend on a failed one are skipped with the reason.
// Before each write the target is re-read and the change is refused as
// stale if its recorded Before no longer holds.
//
// The error is non-nil only when the whole apply was refused before any
// write (an *Error of KindRefused: read-only, a threshold, the zero-MO
// guard, the top unit), when the audit log cannot be written (the remaining
// changes are skipped), or when the plan is malformed.
func Apply(ctx context.Context, p *Plan, o ApplyOptions) (Summary, error) {
	now := o.Now
	if now == nil {
		now = time.Now
	}
	sum := Summary{PlanID: p.ID, Started: now()}
	selected, err := selectChanges(p, o.Only, o.Limit)
	if err != nil {
		return sum, err
	}
	if err := SafetyCheck(p, selected, o.ReadOnly, o.Thresholds, o.AllowDeletes); err != nil {
		for _, c := range selected {
			r := Result{ChangeID: c.ID, System: c.System, Op: c.Op, Subject: MaskCPRs(c.Subject), Status: ResultRefused,
				Error: MaskCPRs(err.Error()), Kind: KindRefused, At: now()}
			sum.Results = append(sum.Results, r)
			sum.count(r)
		}
		sum.Finished = now()
		return sum, err
	}
	ap := &applier{o: o, plan: p, now: now, results: map[string]*Result{}, created: map[string]Account{}, createdMO: map[string]string{},
		inRun: map[string]bool{}, done: map[string]chan struct{}{}}
	if o.Audit != nil && o.Directory != nil {
		ap.o.Directory = intentDirectory{Directory: o.Directory, ap: ap}
	}
	ap.unitIDs = map[string]string{}
	for i := range p.Changes {
		if c := &p.Changes[i]; c.System == SystemSTS && c.Op != OpDelete && c.STSUnit != nil {
			ap.unitIDs[strings.ToLower(c.STSUnit.UUID)] = c.ID
		}
	}
	for _, c := range selected {
		ap.inRun[c.ID] = true
		ap.done[c.ID] = make(chan struct{})
	}
	ap.named = map[string]bool{}
	for _, s := range o.Only {
		ap.named[strings.TrimSpace(s)] = true
	}
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	ap.cancel = cancel
	ph := phases(selected)
	ap.pos = map[string]phasePos{}
	for pl, pipeline := range [][][]*Change{ph.ad, ph.sts} {
		for i, phase := range pipeline {
			for _, c := range phase {
				ap.pos[c.ID] = phasePos{pl, i}
			}
		}
	}
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); ap.runPhases(runCtx, ph.ad) }()
	go func() { defer wg.Done(); ap.runPhases(runCtx, ph.sts) }()
	wg.Wait()

	for _, c := range ph.order() {
		if r := ap.results[c.ID]; r != nil {
			sum.Results = append(sum.Results, *r)
			sum.count(*r)
		}
	}
	sum.Finished = now()
	return sum, ap.auditErr
}

// selectChanges returns the changes of the run: those kept by only, in
// apply order, at most limit of them.
func selectChanges(p *Plan, only []string, limit int) ([]*Change, error) {
	ids := make(map[string]bool, len(p.Changes))
	for i := range p.Changes {
		c := &p.Changes[i]
		if c.ID == "" {
			return nil, E(KindInvalid, "apply", c.Subject, errors.New("a change has no id"))
		}
		if ids[c.ID] {
			return nil, E(KindInvalid, "apply", c.ID, errors.New("two changes share this id"))
		}
		ids[c.ID] = true
	}
	keepSys := map[System]bool{}
	keepID := map[string]bool{}
	for _, s := range only {
		s = strings.TrimSpace(s)
		switch System(strings.ToLower(s)) {
		case SystemAD, SystemSTS, SystemMO:
			keepSys[System(strings.ToLower(s))] = true
			continue
		}
		if !ids[s] {
			return nil, E(KindInvalid, "apply --only", s, errors.New("no change with this id in the plan (and not a system ad, sts or mo)"))
		}
		keepID[s] = true
	}
	var kept []*Change
	for i := range p.Changes {
		c := &p.Changes[i]
		if len(only) == 0 || keepSys[c.System] || keepID[c.ID] {
			kept = append(kept, c)
		}
	}
	ordered := phases(kept).order()
	if limit > 0 && len(ordered) > limit {
		ordered = ordered[:limit]
	}
	return ordered, nil
}

// applyPhases holds the changes of one run in apply order: two pipelines
// (AD+MO, STS) of phases; the changes within a phase run concurrently.
type applyPhases struct {
	ad, sts [][]*Change
}

func (ph applyPhases) order() []*Change {
	var out []*Change
	for _, pipeline := range [][][]*Change{ph.ad, ph.sts} {
		for _, phase := range pipeline {
			out = append(out, phase...)
		}
	}
	return out
}

func phases(cs []*Change) applyPhases {
	var moFirst, adCreate, mo, adUpdate, adRename, stsUsers, stsUserDel, stsUnitDel []*Change
	var stsUnits []*Change
	for _, c := range cs {
		switch {
		case c.System == SystemMO && (c.Class != nil || c.Person != nil):
			moFirst = append(moFirst, c) // what other MO writes depend on

		case c.System == SystemAD && c.Op == OpCreate:
			adCreate = append(adCreate, c)
		case c.System == SystemAD && c.Op == OpRename:
			adRename = append(adRename, c)
		case c.System == SystemAD:
			adUpdate = append(adUpdate, c)
		case c.System == SystemMO:
			mo = append(mo, c)
		case c.System == SystemSTS && c.Op == OpDelete && c.STSUser != nil:
			stsUserDel = append(stsUserDel, c)
		case c.System == SystemSTS && c.Op == OpDelete:
			stsUnitDel = append(stsUnitDel, c)
		case c.System == SystemSTS && c.STSUser != nil:
			stsUsers = append(stsUsers, c)
		default:
			stsUnits = append(stsUnits, c)
		}
	}
	var ph applyPhases
	for _, p := range [][]*Change{moFirst, adCreate, mo, adUpdate, adRename} {
		if len(p) > 0 {
			ph.ad = append(ph.ad, p)
		}
	}
	ph.sts = append(ph.sts, unitLevels(stsUnits)...)
	for _, p := range [][]*Change{stsUsers, stsUserDel} {
		if len(p) > 0 {
			ph.sts = append(ph.sts, p)
		}
	}
	// Unit deletes one at a time, deepest first where the record says.
	for _, c := range reverseUnitLevels(stsUnitDel) {
		ph.sts = append(ph.sts, []*Change{c})
	}
	return ph
}

// unitLevels groups STS unit upserts parent-first: level 0 holds units
// whose parent is not upserted in this run, level n+1 their children.
func unitLevels(units []*Change) [][]*Change {
	byUUID := map[string]*Change{}
	for _, c := range units {
		if c.STSUnit != nil {
			byUUID[strings.ToLower(c.STSUnit.UUID)] = c
		}
	}
	depth := map[*Change]int{}
	var depthOf func(c *Change, seen int) int
	depthOf = func(c *Change, seen int) int {
		if d, ok := depth[c]; ok {
			return d
		}
		d := 0
		if c.STSUnit != nil && seen < len(units) {
			if parent := byUUID[strings.ToLower(c.STSUnit.ParentUUID)]; parent != nil && parent != c {
				d = depthOf(parent, seen+1) + 1
			}
		}
		depth[c] = d
		return d
	}
	var levels [][]*Change
	for _, c := range units {
		d := depthOf(c, 0)
		for len(levels) <= d {
			levels = append(levels, nil)
		}
		levels[d] = append(levels[d], c)
	}
	return levels
}

func reverseUnitLevels(dels []*Change) []*Change {
	levels := unitLevels(dels)
	var out []*Change
	for i := len(levels) - 1; i >= 0; i-- {
		out = append(out, levels[i]...)
	}
	return out
}

// applier is the state of one Apply.
type applier struct {
	o      ApplyOptions
	plan   *Plan
	now    func() time.Time
	cancel context.CancelFunc

	mu      sync.Mutex
	results map[string]*Result
	created map[string]Account // AD create change id → the account as read back
	// createdMO is the uuid an MO create made (a class, a person), by
	// change id, for the changes that depend on it.
	createdMO map[string]string
	// named are the change ids Only lists: the changes approved one by
	// one (an MO person created from AD runs only so).
	named map[string]bool
	// plannedNames are the lower-cased usernames of the plan's AD creates
	// and the replacements taken in this apply (see nextUsername).
	plannedNames map[string]struct{}
	auditErr     error
	progMu       sync.Mutex

	inRun   map[string]bool
	pos     map[string]phasePos
	done    map[string]chan struct{}
	unitIDs map[string]string // STS unit uuid → id of its upsert
}

func (ap *applier) concurrency(s System) int {
	if n := ap.o.Concurrency[s]; n > 0 {
		return n
	}
	return 4
}

// runPhases runs the phases of one pipeline in order, each phase's
// changes concurrently up to the system's concurrency.
func (ap *applier) runPhases(ctx context.Context, pipeline [][]*Change) {
	for _, phase := range pipeline {
		if len(phase) == 0 {
			continue
		}
		sem := make(chan struct{}, ap.concurrency(phase[0].System))
		var wg sync.WaitGroup
		for _, c := range phase {
			wg.Add(1)
			sem <- struct{}{}
			go func(c *Change) {
				defer wg.Done()
				defer func() { <-sem }()
				ap.finish(ctx, c, ap.run(ctx, c))
			}(c)
		}
		wg.Wait()
	}
}

// phasePos is where a change runs: pipeline 0 (AD, MO) or 1 (STS), and
// the phase within it.
type phasePos struct{ pipeline, phase int }

// mayWaitFor reports whether c can wait for dep without a deadlock: dep
// runs in an earlier phase of c's pipeline, or c is STS and dep is AD/MO
// (the AD/MO pipeline never waits for STS).
func (ap *applier) mayWaitFor(c, dep string) bool {
	pc, pd := ap.pos[c], ap.pos[dep]
	if pc.pipeline == pd.pipeline {
		return pd.phase < pc.phase
	}
	return pc.pipeline == 1 && pd.pipeline == 0
}

// run decides whether c may run and applies it.
func (ap *applier) run(ctx context.Context, c *Change) Result {
	base := Result{ChangeID: c.ID, System: c.System, Op: c.Op, Subject: MaskCPRs(c.Subject)}
	for _, dep := range ap.dependencies(c) {
		if !ap.inRun[dep] {
			if dep == c.DependsOn {
				return base.with(ResultSkipped, KindOther, fmt.Errorf("depends on change %s, which is not part of this run", dep))
			}
			continue // an implicit STS parent not in this run exists already
		}
		if !ap.mayWaitFor(c.ID, dep) {
			return base.with(ResultSkipped, KindInvalid, fmt.Errorf("depends on change %s, which is applied after it", dep))
		}
		<-ap.done[dep]
		ap.mu.Lock()
		r := ap.results[dep]
		ap.mu.Unlock()
		if r == nil || r.Status != ResultOK {
			status := "did not run"
			if r != nil {
				status = string(r.Status)
			}
			return base.with(ResultSkipped, KindOther, fmt.Errorf("depends on change %s, which %s", dep, status))
		}
	}
	if err := ctx.Err(); err != nil {
		if ap.auditFailed() {
			return base.with(ResultSkipped, KindOther, errors.New("not applied: the audit log could not be written"))
		}
		return base.with(ResultSkipped, KindOther, fmt.Errorf("not applied: %w", err))
	}
	if c.System == SystemMO && c.Person != nil && !ap.named[c.ID] {
		return base.with(ResultRefused, KindRefused, fmt.Errorf("an MO person created from AD is never applied automatically; approve it by id (apply --only %s, or in the TUI)", c.ID))
	}
	if err := ap.intent(ctx, c); err != nil {
		return base.with(ResultSkipped, KindOther, errors.New("not applied: the audit log could not be written"))
	}
	return ap.execute(withIntentChange(ctx, c), c, base)
}

// dependencies are the ids of the changes c waits for: its DependsOn, and
// for STS the upserts of its parent unit or position units.
func (ap *applier) dependencies(c *Change) []string {
	var deps []string
	if c.DependsOn != "" {
		deps = append(deps, c.DependsOn)
	}
	if c.System != SystemSTS || c.Op == OpDelete {
		return deps
	}
	unitChange := func(uuid string) string { return ap.unitIDs[strings.ToLower(uuid)] }
	switch {
	case c.STSUnit != nil && c.STSUnit.ParentUUID != "":
		if id := unitChange(c.STSUnit.ParentUUID); id != "" && id != c.ID {
			deps = append(deps, id)
		}
	case c.STSUser != nil:
		for _, pos := range c.STSUser.Positions {
			if id := unitChange(pos.OrgUnitUUID); id != "" && !slices.Contains(deps, id) {
				deps = append(deps, id)
			}
		}
	}
	return deps
}

func (r Result) with(s ResultStatus, k Kind, err error) Result {
	r.Status, r.Kind = s, k
	if err != nil {
		r.Error = MaskCPRs(err.Error())
	}
	return r
}

// finish records r, writes its audit record and reports progress.
func (ap *applier) finish(ctx context.Context, c *Change, r Result) {
	r.At = ap.now()
	if ap.o.Audit != nil {
		rec := auditRecord(ap.plan, c, r, ap.o.Operator, ap.o.Host)
		if err := ap.o.Audit.Record(context.WithoutCancel(ctx), rec); err != nil {
			ap.mu.Lock()
			if ap.auditErr == nil {
				ap.auditErr = fmt.Errorf("apply: audit log: %w", err)
			}
			ap.mu.Unlock()
			ap.cancel()
		}
	}
	ap.mu.Lock()
	ap.results[c.ID] = &r
	ap.mu.Unlock()
	close(ap.done[c.ID])
	if ap.o.Progress != nil {
		ap.progMu.Lock()
		ap.o.Progress(r)
		ap.progMu.Unlock()
	}
}

func (ap *applier) auditFailed() bool {
	ap.mu.Lock()
	defer ap.mu.Unlock()
	return ap.auditErr != nil
}
