package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"

	"moxsync/engine"
	"moxsync/render"
	"moxsync/wiring"
)

func applyCommand() command {
	return command{name: "apply", summary: "apply a saved plan, or a fresh one with --auto-approve", run: runApply}
}

const applyHelp = `Usage: moxsync apply [FILE] [--auto-approve] [--allow-deletes N] [--only LIST] [--limit N] [--json] [--readonly] [--config FILE]

Applies the changes of a plan saved with "moxsync plan --out FILE", exactly
those, or — without FILE and with --auto-approve — of a plan made now (the
mode for cron). Before each change the target is read again; a change whose
recorded "before" no longer holds is refused as stale and reported. AD
accounts are never deleted. Deletes and disables over the thresholds
(SAFETY_MAX_DELETES, SAFETY_MAX_DELETE_PERCENT) are refused before anything
is written, unless --allow-deletes names their exact number. Every change is
appended to the audit log (AUDIT_LOG): an intent line, synced to disk,
before its write and a result line after it. Changes an earlier apply that
did not finish (killed, a crash) may have written — intents without a
result — are reported first, each checked against its system ("written" or
"not written") and recorded, so they are told once. Progress goes to
stderr, the summary to stdout.

Flags:
`

func runApply(ctx context.Context, a *app, args []string) int {
	fs := flag.NewFlagSet("apply", flag.ContinueOnError)
	fs.SetOutput(a.stderr)
	auto := fs.Bool("auto-approve", false, "without FILE: plan now and apply without asking")
	allow := fs.Int("allow-deletes", 0, "let `N` deletes + disables past the thresholds; N must be their exact number")
	only := fs.String("only", "", "apply only these systems (ad, sts, mo) or change ids, comma-separated")
	limit := fs.Int("limit", 0, "apply at most `N` changes (a canary run); 0 = all")
	asJSON := fs.Bool("json", false, "print the outcome as JSON (see docs/plan-format.md)")
	readOnly := fs.Bool("readonly", false, "write nothing (as READONLY = true): every change is refused")
	config := addConfigFlag(fs)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), applyHelp)
		fs.PrintDefaults()
		fmt.Fprint(fs.Output(), "\n"+exitCodeHelp)
	}
	// Accept FILE before or after the flags.
	var file string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		file, args = args[0], args[1:]
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitError
	}
	if fs.NArg() > 0 && file == "" {
		file = fs.Arg(0)
	} else if fs.NArg() > 0 {
		fmt.Fprintf(a.stderr, "moxsync apply: unexpected argument %q\n", fs.Arg(0))
		return exitError
	}
	if file == "" && !*auto {
		fmt.Fprint(a.stderr, "moxsync apply: give a plan FILE (from \"moxsync plan --out FILE\"), or --auto-approve to plan and apply now\n")
		return exitError
	}
	if *allow < 0 || *limit < 0 {
		fmt.Fprint(a.stderr, "moxsync apply: --allow-deletes and --limit cannot be negative\n")
		return exitError
	}
	var onlyList []string
	for _, o := range strings.Split(*only, ",") {
		if o = strings.TrimSpace(o); o != "" {
			onlyList = append(onlyList, o)
		}
	}

	s, err := a.loadSettings(*config)
	if err != nil {
		return exitError
	}
	defer a.closeAppLog()
	env, err := wiring.Open(ctx, s, wiring.Options{Log: a.logger()})
	if err != nil {
		fmt.Fprintf(a.stderr, "moxsync apply: %s\n", engine.MaskCPRs(err.Error()))
		return exitError
	}
	defer env.Close()
	env.ReadOnly = env.ReadOnly || *readOnly

	var p *engine.Plan
	if file != "" {
		f, err := os.Open(a.path(file))
		if err != nil {
			fmt.Fprintf(a.stderr, "moxsync apply: %v\n", err)
			return exitError
		}
		p, err = loadPlan(f, file)
		f.Close()
		if err != nil {
			fmt.Fprintf(a.stderr, "moxsync apply: %v\n", err)
			return exitError
		}
		if want := engine.OptionsHash(env.PlanOptions); p.SettingsHash != want {
			fmt.Fprintf(a.stderr, "moxsync apply: refused: the plan %s was made with other settings (hash %s, now %s); make a new plan\n", file, p.SettingsHash, want)
			return exitRefused
		}
	} else {
		var systems []engine.System
		for _, o := range onlyList {
			if sys, err := wiring.ParseSystems(o); err == nil {
				systems = append(systems, sys...)
			}
		}
		p, err = env.MakePlan(ctx, systems)
		if err != nil {
			if !a.reportSettingsErr(s, err) {
				fmt.Fprintf(a.stderr, "moxsync apply: %s\n", engine.MaskCPRs(err.Error()))
			}
			return exitError
		}
		if !*asJSON {
			if err := render.Plan(a.stderr, p, render.Options{NoWarnings: true, Summary: render.AutoSummary(p)}); err != nil {
				return exitError
			}
		}
	}
	return applyPlan(ctx, a, env, p, applyFlags{allow: *allow, only: onlyList, limit: *limit, json: *asJSON, fresh: file == ""})
}

type applyFlags struct {
	allow int
	only  []string
	limit int
	json  bool
	// fresh: the plan was made in this run, so a username AD says is in
	// use is replaced by the generator's next candidate; a saved plan's
	// create is stale instead, naming the candidate.
	fresh bool
}

// applyOutcome is the JSON of apply --json.
type applyOutcome struct {
	FormatVersion int `json:"format_version"`
	engine.Summary
	Error string `json:"error,omitempty"`
	// Unfinished are the changes an earlier apply that did not finish may
	// have written, as this run checked them (before applying).
	Unfinished []unfinishedJSON `json:"unfinished,omitempty"`
}

// applyPlan applies p, reporting progress on stderr and the outcome on
// stdout, and returns the exit code of design §4.
func applyPlan(ctx context.Context, a *app, env *wiring.Env, p *engine.Plan, f applyFlags) int {
	checks := checkUnfinished(ctx, a, env)
	o, closeAudit, err := env.ApplyOptions(len(p.Changes) > 0 || len(checks) > 0)
	if err != nil {
		fmt.Fprintf(a.stderr, "moxsync apply: %v\n", err)
		return exitError
	}
	defer closeAudit()
	var sink engine.AuditSink
	if o.Audit != nil {
		sink = o.Audit
	}
	unfinished := recordUnfinished(ctx, a, env, checks, sink)
	o.Only, o.Limit, o.AllowDeletes = f.only, f.limit, f.allow
	o.Log = a.logger()
	if f.fresh {
		o.UsernameClash = engine.ClashNextCandidate
	}
	o.Progress = func(r engine.Result) { fmt.Fprintln(a.stderr, render.ResultLine(r)) }
	sum, err := engine.Apply(ctx, p, o)
	log := a.logger()
	log.Info("apply done", "plan", p.ID, "ok", sum.OK, "failed", sum.Failed, "stale", sum.Stale, "skipped", sum.Skipped, "refused", sum.Refused)
	code := applyExitCode(sum, err)
	if f.json {
		out := applyOutcome{FormatVersion: engine.PlanFormatVersion, Summary: sum, Unfinished: unfinished}
		if err != nil {
			out.Error = engine.MaskCPRs(err.Error())
		}
		enc := json.NewEncoder(a.stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if encErr := enc.Encode(out); encErr != nil {
			return exitError
		}
	} else {
		if err != nil {
			fmt.Fprintf(a.stderr, "moxsync apply: %s\n", engine.MaskCPRs(err.Error()))
		}
		fmt.Fprintln(a.stdout, render.ApplySummary(sum))
	}
	return code
}

// applyExitCode maps an apply's outcome to design §4: 3 refused (safety
// rule, read-only, stale), 4 partly applied (a change failed, or the audit
// log failed after writes), 1 an error before any write, 0 done. Changes
// skipped only because what they wait for is not part of this run (--only,
// --limit) do not change the code; the summary counts them.
func applyExitCode(sum engine.Summary, err error) int {
	switch {
	case err != nil && engine.KindOf(err) == engine.KindRefused:
		return exitRefused
	case err != nil && sum.OK == 0 && sum.Failed == 0:
		return exitError
	case err != nil, sum.Failed > 0:
		return exitPartial
	case sum.Stale > 0, sum.Refused > 0:
		return exitRefused
	}
	return exitOK
}
