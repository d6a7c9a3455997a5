package cli

import (
	"context"
	"fmt"
	"io"
	"time"

	"moxsync/engine"
	"moxsync/render"
	"moxsync/settings"
	"moxsync/wiring"
)

// The next run's side of the write-ahead audit log: intents without a
// result are changes an apply that did not finish (killed, a crash) may
// have written. apply checks each against its target, says which were
// written and records a result line for each (so it is told once); check
// lists and checks them without recording.

// unfinishedJSON is one checked intent in apply --json.
type unfinishedJSON struct {
	PlanID   string             `json:"plan_id"`
	ChangeID string             `json:"change_id"`
	System   engine.System      `json:"system"`
	Op       engine.Op          `json:"op"`
	Subject  string             `json:"subject,omitempty"`
	Intended time.Time          `json:"intended_at"`
	State    engine.IntentState `json:"state"`
	Detail   string             `json:"detail,omitempty"`
	Recorded bool               `json:"recorded"`
}

// stateWord is how an intent's state reads in text.
func stateWord(s engine.IntentState) string {
	switch s {
	case engine.IntentWritten:
		return "written"
	case engine.IntentNotWritten:
		return "not written"
	}
	return "unknown"
}

// checkDetail is what a check found, masked: what the target holds where
// it differs, or why it could not be read.
func checkDetail(chk engine.IntentCheck) string {
	switch {
	case chk.Err != nil && chk.Retry:
		return "could not be read back (" + chk.Err.Error() + "); checked again at the next run"
	case chk.Err != nil:
		return "could not be read back (" + chk.Err.Error() + ")"
	}
	return chk.Detail
}

// writeUnfinished prints the checks, grouped by plan, each group headed
// "N changes may have been written by an apply that did not finish (plan
// P, at T):" after head, the lines after indent, all passed through mask
// (check masks the settings' secrets; nil: CPR numbers only).
func writeUnfinished(w io.Writer, checks []engine.IntentCheck, head, indent string, mask func(string) string) {
	if mask == nil {
		mask = engine.MaskCPRs
	}
	var plans []string
	byPlan := map[string][]engine.IntentCheck{}
	for _, chk := range checks {
		id := chk.Intent.PlanID
		if _, ok := byPlan[id]; !ok {
			plans = append(plans, id)
		}
		byPlan[id] = append(byPlan[id], chk)
	}
	for _, id := range plans {
		group := byPlan[id]
		at := group[0].Intent.Time
		for _, chk := range group {
			if chk.Intent.Time.Before(at) {
				at = chk.Intent.Time
			}
		}
		fmt.Fprintln(w, mask(fmt.Sprintf("%s%d %s by an apply that did not finish (plan %s, at %s):", head, len(group),
			pluralS(len(group), "change may have been written", "changes may have been written"), id, at.Local().Format("2006-01-02 15:04:05 MST"))))
		for _, chk := range group {
			in := chk.Intent
			line := fmt.Sprintf("%s%-13s%s %-8s%-4s%s  [%s]", indent, stateWord(chk.State), render.Symbol(in.Op), render.Word(in.Op),
				render.SystemName(in.System), in.Subject, in.ChangeID)
			if d := checkDetail(chk); d != "" {
				line += ": " + d
			}
			fmt.Fprintln(w, mask(engine.MaskCPRs(line)))
		}
	}
}

// checkUnfinished checks the intents of env's audit log that have no
// result against their targets; a log it cannot read is reported on
// a.stderr and yields none.
func checkUnfinished(ctx context.Context, a *app, env *wiring.Env) []engine.IntentCheck {
	checks, err := env.CheckUnfinished(ctx)
	if err != nil {
		fmt.Fprintf(a.stderr, "moxsync: cannot check the audit log for changes an earlier apply may have written: %s\n", engine.MaskCPRs(err.Error()))
		return nil
	}
	return checks
}

// recordUnfinished reports checks on a.stderr and, with sink (the apply's
// audit log; nil when read-only), records a result line for each whose
// check is final. It returns them for apply --json.
func recordUnfinished(ctx context.Context, a *app, env *wiring.Env, checks []engine.IntentCheck, sink engine.AuditSink) []unfinishedJSON {
	if len(checks) == 0 {
		return nil
	}
	writeUnfinished(a.stderr, checks, "moxsync: ", "  ", nil)
	recorded := false
	if sink != nil {
		operator, host := wiring.Operator()
		if err := engine.RecordIntentChecks(context.WithoutCancel(ctx), sink, checks, env.Now(), operator, host); err != nil {
			fmt.Fprintf(a.stderr, "moxsync: %s\n", engine.MaskCPRs(err.Error()))
		} else {
			recorded = true
			fmt.Fprintln(a.stderr, "moxsync: their outcome is now recorded in the audit log; what was not written is still pending.")
		}
	} else {
		fmt.Fprintln(a.stderr, "moxsync: read-only: not recorded; the next apply checks them again.")
	}
	a.logger().Warn("apply: changes of an apply that did not finish", "count", len(checks), "recorded", recorded)
	out := make([]unfinishedJSON, 0, len(checks))
	for _, chk := range checks {
		in := chk.Intent
		out = append(out, unfinishedJSON{PlanID: in.PlanID, ChangeID: in.ChangeID, System: in.System, Op: in.Op, Subject: in.Subject,
			Intended: in.Time, State: chk.State, Detail: engine.MaskCPRs(checkDetail(chk)), Recorded: recorded && !chk.Retry})
	}
	return out
}

// checkAuditLog is check's part: when the audit log holds intents without
// a result, it connects as apply does, checks each against its target and
// lists them on a.stdout under "Audit log". It records nothing (apply
// does) and prints nothing when there are none.
func checkAuditLog(ctx context.Context, a *app, s *settings.Settings) {
	intents, err := wiring.UnfinishedIntents(s.AuditLog)
	if err == nil && len(intents) == 0 {
		return
	}
	fmt.Fprintf(a.stdout, "\nAudit log (%s):\n", s.AuditLog)
	if err != nil {
		fmt.Fprintf(a.stdout, "  cannot read it: %s\n", redact(engine.MaskCPRs(err.Error()), s))
		return
	}
	env, err := wiring.Open(ctx, s, wiring.Options{Log: a.logger()})
	if err != nil {
		fmt.Fprintf(a.stdout, "  %d %s without a result (an apply did not finish); cannot connect to check them: %s\n",
			len(intents), pluralS(len(intents), "change", "changes"), redact(engine.MaskCPRs(err.Error()), s))
		return
	}
	defer env.Close()
	checks, err := env.CheckUnfinished(ctx)
	if err != nil {
		fmt.Fprintf(a.stdout, "  cannot read it: %s\n", redact(engine.MaskCPRs(err.Error()), s))
		return
	}
	writeUnfinished(a.stdout, checks, "  ", "    ", func(t string) string { return redact(t, s) })
	fmt.Fprintln(a.stdout, "  The next apply records their outcome in the audit log.")
}

// hintUnfinished is plan's part: one line on a.stderr when the audit log
// holds intents without a result, pointing to apply and check. It reads
// the log only (no system is asked).
func hintUnfinished(a *app, env *wiring.Env) {
	if env.AuditPath == "" {
		return
	}
	intents, err := wiring.UnfinishedIntents(env.AuditPath)
	if err != nil || len(intents) == 0 {
		return
	}
	fmt.Fprintf(a.stderr, "moxsync: %d %s by an apply that did not finish (plan %s); the next apply checks and records them, check lists them\n",
		len(intents), pluralS(len(intents), "change may have been written", "changes may have been written"), intents[0].PlanID)
}
