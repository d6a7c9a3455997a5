package cli

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"moxsync/demo"
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
	env, err := demo.New(ctx, demo.Options{Size: motest.SizeDemo, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer env.Close()
	b := newEnvBackend(env.Env, env.MOURL, env.AD.URL, env.STSURL)
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

// With disallow_mo_usernames, the TUI's username preview passes over the
// names MO reserves in the generator's IT system, as the planner does.
func TestEnvBackendPreviewHonoursMOReservedNames(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the demo servers")
	}
	ctx := context.Background()
	env, err := demo.New(ctx, demo.Options{Size: motest.SizeDemo, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer env.Close()
	cfg := engine.DefaultUsernameConfig()
	cfg.DisallowMOUsernames = true
	cfg.ExistingUsernamesITSystem = motest.ADSystemName
	cfg.Combinations = []string{"FFLL", "FFLLX"}
	gen, err := engine.NewUsernameGenerator(cfg)
	if err != nil {
		t.Fatal(err)
	}
	env.Env.PlanOptions.Usernames = gen
	// A 4-letter AD username in MO, which FFLL gives for a made-up name
	// built from its halves.
	var reserved string
	adSys := env.Dataset.ITSystemByUserKey(motest.ADSystemName)
	for _, it := range env.Dataset.ITUsers {
		if it.ITSystemUUID == adSys.UUID && it.Validity.To.IsZero() && len(it.UserKey) == 4 &&
			strings.Trim(it.UserKey, "abcdefghijklmnopqrstuvwxyz") == "" && reserved == "" {
			reserved = it.UserKey
		}
	}
	if reserved == "" {
		t.Fatal("no 4-letter AD username in the demo data")
	}
	b := newEnvBackend(env.Env, env.MOURL, env.AD.URL, env.STSURL)
	if _, err := b.Load(ctx, func(tui.LoadEvent) {}); err != nil {
		t.Fatal(err)
	}
	// The demo seeds AD from MO, so the name is taken in AD too; forget AD's
	// names so only MO's reservation can stop it (an account deleted from AD
	// years ago whose name MO still holds).
	b.mu.Lock()
	b.taken = engine.TakenNames{}
	b.mu.Unlock()
	given, surname := strings.ToUpper(reserved[:1])+reserved[1:2]+"q", strings.ToUpper(reserved[2:3])+reserved[3:]+"q"
	res, err := b.PreviewUsername(given, surname)
	if err == nil && res.Username == reserved {
		t.Fatalf("preview chose %q, which MO reserves", reserved)
	}
	found := false
	for _, pt := range res.Trace {
		for _, c := range pt.Candidates {
			if c.Username == reserved && c.Reason == engine.SkipReservedMO {
				found = true
			}
		}
	}
	if !found {
		t.Errorf("trace does not pass over %q as reserved in MO: %+v", reserved, res.Trace)
	}
}
