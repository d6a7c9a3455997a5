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
)

func demoCommand() command {
	return command{name: "demo", summary: "plan and apply on generated data, everything in-process", run: runDemo}
}

const demoHelp = `Usage: moxsync demo --headless [--size demo|typical|large] [--seed N]

Generates a municipality (units, people, engagements, addresses, AD IT
users), starts an in-process OS2MO, an AD-like LDAP server seeded from the
same data (with drifted values, orphans and a duplicate CPR) and an
STSOrgSync, all on 127.0.0.1 — no servers, no root, no settings — and runs
the real sync through the real adapters: plan, apply, and plan again, which
is empty. Deletes and disables are applied with --allow-deletes set to
their exact count.

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
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), demoHelp)
		fs.PrintDefaults()
		fmt.Fprint(fs.Output(), "\nExit codes: 0 the second plan is empty; 1 the demo could not start; 4 a change failed.\n")
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
	env, err := demo.New(ctx, demo.Options{Size: motest.Size(*size), Seed: *seed})
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
