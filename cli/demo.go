package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"time"

	"moxsync/demo"
	"moxsync/engine"
	"moxsync/mo/motest"
	"moxsync/render"
	"moxsync/settings"
)

func demoCommand() command {
	return command{name: "demo", summary: "plan and apply on generated data, everything in-process", run: runDemo}
}

const demoHelp = `Usage: moxsync demo [--headless] [--watch [--for DURATION] [--every DURATION]]
                    [--size demo|typical|large] [--seed N] [--config FILE]

Generates a municipality (units, people, engagements, addresses, AD IT
users), starts an in-process OS2MO, an AD-like LDAP server seeded from the
same data (with drifted values, orphans and a duplicate CPR) and an
STSOrgSync, all on 127.0.0.1 — no servers, no root, no settings — and runs
the real sync through the real adapters.

  moxsync demo                  the review TUI on it
  moxsync demo --headless       plan, apply and plan again, which is empty
                                (deletes and disables are applied with
                                --allow-deletes set to their exact count)
  moxsync demo --watch          the TUI while moxsync watch runs on the demo
                                and a realistic edit happens every few seconds
                                (a new hire, a title change, a new phone
                                number, a leaver, a moved unit, an admin's
                                manual AD edit): updates apply on their own,
                                creates and disables arrive in the review queue
  moxsync demo --watch --headless --for 1m
                                the same without the TUI: each edit and what
                                watch made of it, then a summary line
                                "watch: applied N, queued M, latency p50 …"

--config FILE takes the keys of a settings file that shape the sync
(AD_MAPPING, the username generator, safety thresholds, WATCH_APPLY_AT_ONCE,
…) so a mapping can be tried on generated data before production; the keys
that say where systems, secrets and files are stay the demo's own, and the
file's systems are never contacted.

Flags:
`

// demoTUI, when set (by the TUI), runs the interactive demo; without it,
// "moxsync demo" runs headless.
var demoTUI func(ctx context.Context, a *app, env *demo.World) int

func runDemo(ctx context.Context, a *app, args []string) int {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(a.stderr)
	headless := fs.Bool("headless", false, "print plan, apply and the second plan instead of opening the TUI")
	size := fs.String("size", string(motest.SizeDemo), "data set `size`: demo (~300 people), typical (~5,000) or large (~40,000)")
	seed := fs.Int64("seed", 1, "generator `seed`; the same seed gives the same municipality")
	watchMode := fs.Bool("watch", false, "run moxsync watch on the demo while scripted edits happen")
	runFor := fs.Duration("for", 0, "with --watch: stop after `DURATION` (0 = until Ctrl-C or, with the TUI, q)")
	every := fs.Duration("every", 4*time.Second, "with --watch: the `DURATION` between two scripted edits")
	config := fs.String("config", "", "take the sync-shaping keys (AD_MAPPING, …) of this settings `FILE`")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), demoHelp)
		fs.PrintDefaults()
		fmt.Fprint(fs.Output(), "\nExit codes: 0 the second plan is empty (--watch: every edit was seen through); 1 the demo could not start;\n4 a change failed (--watch: an edit was not seen through in time).\n")
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitError
	}
	switch motest.Size(*size) {
	case motest.SizeDemo, motest.SizeTypical, motest.SizeLarge:
	default:
		fmt.Fprintf(a.stderr, "moxsync demo: --size %q: want demo, typical or large\n", *size)
		return exitError
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(a.stderr, "moxsync demo: unexpected argument %q\n", fs.Arg(0))
		return exitError
	}
	if !*watchMode && (*runFor != 0 || flagSet(fs, "every")) {
		fmt.Fprintln(a.stderr, "moxsync demo: --for and --every go with --watch")
		return exitError
	}
	if *every <= 0 || *runFor < 0 {
		fmt.Fprintln(a.stderr, "moxsync demo: --every must be above 0 and --for not below 0")
		return exitError
	}
	var extra map[string]string
	if *config != "" {
		var err error
		if extra, err = demoSettings(a, *config); err != nil {
			return exitError
		}
	}
	if *watchMode {
		return runDemoWatch(ctx, a, demoWatchOptions{size: motest.Size(*size), seed: *seed, headless: *headless,
			runFor: *runFor, every: *every, settings: extra})
	}
	env, err := demo.New(ctx, demo.Options{Size: motest.Size(*size), Seed: *seed, Settings: extra})
	if err != nil {
		fmt.Fprintf(a.stderr, "moxsync demo: %v\n", err)
		return exitError
	}
	defer env.Close()
	if !*headless && demoTUI != nil {
		return demoTUI(ctx, a, env)
	}
	return runDemoHeadless(ctx, a, env)
}

// runDemoHeadless runs plan → apply → plan on env and prints all three.
func runDemoHeadless(ctx context.Context, a *app, env *demo.World) int {
	ds := env.Dataset
	w := a.stdout
	fmt.Fprintf(w, "moxsync demo: %s — %d units, %d people, generated in-process\n", ds.OrgName, len(ds.Units), len(ds.People))
	if env.ADSeed != nil {
		fmt.Fprintf(w, "AD seeded from MO: %d accounts (%d with drifted values), %d orphans, 1 duplicate CPR\n",
			len(env.ADSeed.Matched), len(env.ADSeed.Drifted), len(env.ADSeed.Orphans))
	}
	fmt.Fprintf(w, "Today is %s.\n\n", env.Servers.Now.Format("2006-01-02"))

	fmt.Fprint(w, "=== 1. plan ===\n\n")
	start := time.Now()
	p, err := env.MakePlan(ctx, nil)
	if err != nil {
		fmt.Fprintf(a.stderr, "moxsync demo: plan: %s\n", engine.MaskCPRs(err.Error()))
		return exitError
	}
	planTook := time.Since(start)
	if err := render.Plan(w, p, render.Options{Header: true}); err != nil {
		return exitError
	}

	n := 0
	for i := range p.Changes {
		if engine.Destructive(&p.Changes[i]) {
			n++
		}
	}
	fmt.Fprintf(w, "\n=== 2. apply (--allow-deletes %d) ===\n\n", n)
	start = time.Now()
	code := applyPlan(ctx, a, env.Env, p, applyFlags{allow: n, fresh: true})
	applyTook := time.Since(start)

	fmt.Fprint(w, "\n=== 3. plan again ===\n\n")
	again, err := env.MakePlan(ctx, nil)
	if err != nil {
		fmt.Fprintf(a.stderr, "moxsync demo: plan: %s\n", engine.MaskCPRs(err.Error()))
		return exitError
	}
	if err := render.Plan(w, again, render.Options{NoWarnings: true}); err != nil {
		return exitError
	}
	fmt.Fprintf(w, "\nThe first plan took %s; applying its %d changes took %s.\n",
		planTook.Round(time.Millisecond), len(p.Changes), applyTook.Round(time.Millisecond))
	if code != exitOK {
		return code
	}
	if len(again.Changes) > 0 {
		fmt.Fprintf(a.stderr, "moxsync demo: the second plan still has %d changes\n", len(again.Changes))
		return exitPartial
	}
	return exitOK
}

// flagSet reports whether the flag name was given.
func flagSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

// demoSettings reads the settings file of demo --config and returns the
// values it (or the environment) sets, by key; the demo keeps its own for
// the keys that say where systems and files are (demo.Endpoints.Values).
func demoSettings(a *app, file string) (map[string]string, error) {
	s, err := settings.Load(settings.LoadOptions{ConfigFlag: file, Getenv: a.getenv, Cwd: a.cwd})
	if err != nil {
		fmt.Fprintf(a.stderr, "moxsync demo: %v\n", err)
		var ve *settings.ValidationError
		if errors.As(err, &ve) {
			fmt.Fprintln(a.stderr, "Every key is documented in settings.ini.example.")
		}
		return nil, err
	}
	out := map[string]string{}
	for _, v := range s.Values() {
		if v.Source.Kind != settings.FromDefault {
			out[v.Key] = v.Raw
		}
	}
	return out, nil
}
