package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"moxsync/engine"
	"moxsync/mo/motest"
	"moxsync/tui"
)

// A bare moxsync whose stdout is not a terminal prints the usage and
// exits 1 (design §4).
func TestNoArgsWithoutTerminal(t *testing.T) {
	var out, errb bytes.Buffer
	code := run(context.Background(), nil, &app{stdout: &out, stderr: &errb, getenv: func(string) string { return "" }})
	if code != exitError || !strings.Contains(errb.String(), "Usage: moxsync") || out.Len() != 0 {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out.String(), errb.String())
	}
}

// moxsync demo without a terminal runs headless instead of the TUI.
func TestDemoWithoutTerminalRunsHeadless(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the demo servers")
	}
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"demo", "--seed", "3"}, &app{stdout: &out, stderr: &errb, getenv: func(string) string { return "" }})
	if code != exitOK || !strings.Contains(out.String(), "=== 3. plan again ===") || !strings.Contains(errb.String(), "runs headless") {
		t.Errorf("exit %d, stderr %q, stdout:\n%s", code, errb.String(), out.String())
	}
}

// TestEnvBackendOnDemo drives the TUI's backend over the in-process demo:
// progress per system, apply of two approved changes, the username checks.
func TestEnvBackendOnDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the demo servers")
	}
	ctx := context.Background()
	env, err := newDemoEnv(ctx, demoOptions{Size: motest.SizeDemo, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer env.Close()
	b := newEnvBackend(env.syncEnv, env.MOURL, env.AD.URL, env.STSURL)
	for _, s := range b.Systems() {
		if s.Endpoint == "" {
			t.Errorf("%s has no endpoint", s.System)
		}
	}
	done := map[engine.System]bool{}
	p, err := b.Load(ctx, func(ev tui.LoadEvent) {
		if ev.State == tui.SystemDone {
			done[ev.System] = true
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if !done[engine.SystemMO] || !done[engine.SystemAD] || !done[engine.SystemSTS] {
		t.Errorf("systems done: %v", done)
	}
	var ids []string
	for _, c := range p.Changes {
		if c.System == engine.SystemAD && c.Op == engine.OpUpdate && len(ids) < 2 {
			ids = append(ids, c.ID)
		}
	}
	for _, c := range p.Changes {
		if c.System == engine.SystemAD && c.Op == engine.OpCreate {
			g, s, ok := b.PersonName(c.MOUUID)
			if !ok || g+" "+s != c.Subject {
				t.Errorf("PersonName(%s) = %q %q %v, want %q", c.MOUUID, g, s, ok, c.Subject)
			}
			break
		}
	}
	if len(ids) != 2 {
		t.Fatalf("the demo plan has %d AD updates", len(ids))
	}
	var results int
	sum, err := b.Apply(ctx, p, tui.ApplyRequest{IDs: ids}, func(engine.Result) { results++ })
	if err != nil || sum.OK != 2 || results != 2 {
		t.Fatalf("apply: %+v, %d progress calls, err %v", sum, results, err)
	}
	again, err := b.Load(ctx, func(tui.LoadEvent) {})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range again.Changes {
		if c.ID == ids[0] || c.ID == ids[1] {
			t.Errorf("applied change %s is still planned", c.ID)
		}
	}
	if len(again.Changes) != len(p.Changes)-2 {
		t.Errorf("%d changes after applying 2 of %d", len(again.Changes), len(p.Changes))
	}
	res, err := b.PreviewUsername("Jens", "Hansen")
	if err != nil || res.Username == "" || len(res.Trace) == 0 {
		t.Errorf("preview: %+v, %v", res, err)
	}
	if err := b.CheckUsername("a b", ""); err == nil {
		t.Error("a name with a space passed")
	}
	if err := b.CheckUsername("zz-free-name", ""); err != nil {
		t.Errorf("a free name was refused: %v", err)
	}
}
