package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"moxsync/engine"
	"moxsync/render"
	"moxsync/wiring"
)

func planCommand() command {
	return command{name: "plan", summary: "show what would change in AD, STS and MO (writes nothing)", run: runPlan}
}

const planHelp = `Usage: moxsync plan [--json] [--out FILE] [--only ad|sts|mo] [--full] [--detailed-exitcode] [--refresh-sts] [--trace] [--config FILE]

Reads MO, AD and the STS record, and shows every change that would bring AD
and STS in step with MO (and MO's IT users in step with AD), field by field
as before → after, with the warnings (conflicts, values AD would reject,
people skipped and why). Nothing is written. --out saves the plan so that
"moxsync apply FILE" applies exactly those changes. The JSON format is
documented in docs/plan-format.md.

A plan of more than 1,000 changes (a first sync, a reorganisation) is
printed as a summary: the first 10 changes of each kind (system and
operation) and of each kind of warning, how many more there are, and the
number of changes per attribute. --full prints every change; --json and
--out always hold every change.

Flags:
`

func runPlan(ctx context.Context, a *app, args []string) int {
	fs := flag.NewFlagSet("plan", flag.ContinueOnError)
	fs.SetOutput(a.stderr)
	asJSON := fs.Bool("json", false, "print the plan as JSON (format_version "+fmt.Sprint(engine.PlanFormatVersion)+", see docs/plan-format.md)")
	out := fs.String("out", "", "also save the plan as JSON to `FILE` (mode 0600: it holds personal data)")
	only := fs.String("only", "", "plan only these `systems`: ad, sts, mo (comma-separated)")
	detailed := fs.Bool("detailed-exitcode", false, "exit 2 when there are changes, 0 when there are none")
	trace := fs.Bool("trace", false, "show every username pattern tried for new accounts")
	full := fs.Bool("full", false, "print every change and warning, also of a plan of more than 1,000 changes")
	refresh := fs.Bool("refresh-sts", false, "first rebuild the local STS record (STSORGSYNC_HASH_CACHE) from STSOrgSync: learn what STS holds and read every object back (a first run without the record does this by itself)")
	config := addConfigFlag(fs)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), planHelp)
		fs.PrintDefaults()
		fmt.Fprint(fs.Output(), "\n"+exitCodeHelp)
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitError
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(a.stderr, "moxsync plan: unexpected argument %q\n", fs.Arg(0))
		return exitError
	}
	systems, err := wiring.ParseSystems(*only)
	if err != nil {
		fmt.Fprintf(a.stderr, "moxsync plan: %v\n", err)
		return exitError
	}
	s, err := a.loadSettings(*config)
	if err != nil {
		return exitError
	}
	defer a.closeAppLog()
	env, err := wiring.Open(ctx, s, wiring.Options{Log: a.logger()})
	if err != nil {
		fmt.Fprintf(a.stderr, "moxsync plan: %s\n", engine.MaskCPRs(err.Error()))
		return exitError
	}
	defer env.Close()
	if *refresh && env.STS == nil {
		fmt.Fprint(a.stderr, "moxsync plan: --refresh-sts: STSOrgSync is not configured (STSORGSYNC_API_URL)\n")
		return exitError
	}
	env.RefreshSTS = *refresh
	hintUnfinished(a, env)
	p, err := env.MakePlan(ctx, systems)
	if err != nil {
		if !a.reportSettingsErr(s, err) {
			fmt.Fprintf(a.stderr, "moxsync plan: %s\n", engine.MaskCPRs(err.Error()))
		}
		return exitError
	}
	if st := env.Refreshed; st != nil {
		fmt.Fprintf(a.stderr, "STS record repaired: STS holds %d units and %d users (read via %s); %d objects read back, %d not in STS, %d reads failed\n", st.HeldUnits, st.HeldUsers, st.Via, st.Read, st.NotFound, st.Failed)
	}
	a.logger().Info("plan made", "plan", p.ID, "changes", len(p.Changes), "warnings", len(p.Warnings))
	return emitPlan(a, p, *asJSON, *out, *detailed, render.Options{Header: true, Trace: *trace, Summary: !*full && render.AutoSummary(p)})
}

// emitPlan saves and prints a plan and returns the plan command's exit code.
func emitPlan(a *app, p *engine.Plan, asJSON bool, out string, detailed bool, ro render.Options) int {
	if out != "" {
		if err := savePlan(a.path(out), p); err != nil {
			fmt.Fprintf(a.stderr, "moxsync plan: %v\n", err)
			return exitError
		}
	}
	if asJSON {
		b, err := engine.MarshalPlan(p)
		if err != nil {
			fmt.Fprintf(a.stderr, "moxsync plan: %v\n", err)
			return exitError
		}
		if _, err := a.stdout.Write(b); err != nil {
			return exitError
		}
	} else {
		if err := render.Plan(a.stdout, p, ro); err != nil {
			return exitError
		}
		if out != "" {
			fmt.Fprintf(a.stdout, "\nSaved the plan to %s. Apply exactly these changes with: moxsync apply %s\n", out, out)
		}
	}
	if detailed && len(p.Changes) > 0 {
		return exitPending
	}
	return exitOK
}

// savePlan writes p to path as JSON with mode 0600, replacing the file
// atomically.
func savePlan(path string, p *engine.Plan) error {
	b, err := engine.MarshalPlan(p)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".moxsync-plan-*")
	if err != nil {
		return fmt.Errorf("save plan %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return fmt.Errorf("save plan %s: %w", path, err)
	}
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return fmt.Errorf("save plan %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("save plan %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("save plan %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("save plan %s: %w", path, err)
	}
	return nil
}

// loadPlan reads a plan saved by plan --out.
func loadPlan(r io.Reader, name string) (*engine.Plan, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read plan %s: %w", name, err)
	}
	p, err := engine.UnmarshalPlan(b)
	if err != nil {
		return nil, fmt.Errorf("plan %s: %w", name, err)
	}
	return p, nil
}
