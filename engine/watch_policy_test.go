package engine_test

import (
	"strings"
	"testing"

	"moxsync/engine"
)

func TestWatchPolicyDecide(t *testing.T) {
	ch := func(id string, sys engine.System, op engine.Op, dep string) engine.Change {
		return engine.Change{ID: id, System: sys, Op: op, DependsOn: dep, Subject: id}
	}
	plan := func(cs ...engine.Change) *engine.Plan {
		return &engine.Plan{Changes: cs, Inventory: engine.Inventory{MOPeople: 100, MOUnits: 10, ADAccounts: 100, STSUnits: 10, STSUsers: 100}}
	}
	for _, tc := range []struct {
		name   string
		policy engine.WatchPolicy
		plan   *engine.Plan
		atOnce []string
		rule   map[string]string // id → part of its rule
	}{
		{"default: updates and write-backs at once, the rest waits",
			engine.WatchPolicy{AtOnce: engine.DefaultWatchAtOnce},
			plan(ch("u", engine.SystemAD, engine.OpUpdate, ""), ch("s", engine.SystemSTS, engine.OpUpdate, ""), ch("w", engine.SystemMO, engine.OpUpdate, ""),
				ch("c", engine.SystemAD, engine.OpCreate, ""), ch("wc", engine.SystemMO, engine.OpCreate, "c"), ch("d", engine.SystemAD, engine.OpDisable, ""),
				ch("e", engine.SystemAD, engine.OpEnable, ""), ch("r", engine.SystemAD, engine.OpRename, ""), ch("x", engine.SystemSTS, engine.OpDelete, ""),
				ch("sc", engine.SystemSTS, engine.OpCreate, "")),
			[]string{"u", "s", "w"},
			map[string]string{"c": "a create waits for approval (WATCH_APPLY_AT_ONCE = update)", "wc": "waits with change c", "d": "a disable waits",
				"e": "an enable waits", "r": "a rename waits", "x": "a delete waits", "sc": "a create waits"}},
		{"READONLY queues everything",
			engine.WatchPolicy{AtOnce: engine.DefaultWatchAtOnce, ReadOnly: true},
			plan(ch("u", engine.SystemAD, engine.OpUpdate, "")), nil, map[string]string{"u": "READONLY"}},
		{"disables at once, within the window",
			engine.WatchPolicy{AtOnce: []engine.Op{engine.OpUpdate, engine.OpDisable}, Thresholds: engine.Thresholds{MaxDeletes: 3, MaxPercent: 50}, WindowDestructive: 1},
			plan(ch("d1", engine.SystemAD, engine.OpDisable, ""), ch("d2", engine.SystemAD, engine.OpDisable, "")), []string{"d1", "d2"}, nil},
		{"a burst of disables passing the window's maximum waits, all of it",
			engine.WatchPolicy{AtOnce: []engine.Op{engine.OpUpdate, engine.OpDisable}, Thresholds: engine.Thresholds{MaxDeletes: 3, MaxPercent: 50}, WindowDestructive: 2},
			plan(ch("d1", engine.SystemAD, engine.OpDisable, ""), ch("d2", engine.SystemAD, engine.OpDisable, ""), ch("u", engine.SystemAD, engine.OpUpdate, "")),
			[]string{"u"}, map[string]string{"d1": "would pass SAFETY_MAX_DELETES = 3", "d2": "SAFETY_MAX_DELETES"}},
		{"the percent threshold holds too",
			engine.WatchPolicy{AtOnce: []engine.Op{engine.OpDisable}, Thresholds: engine.Thresholds{MaxDeletes: 50, MaxPercent: 1}},
			plan(ch("d1", engine.SystemAD, engine.OpDisable, ""), ch("d2", engine.SystemAD, engine.OpDisable, "")),
			nil, map[string]string{"d1": "SAFETY_MAX_DELETE_PERCENT"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.policy.Decide(tc.plan)
			if len(got) != len(tc.plan.Changes) {
				t.Fatalf("%d decisions for %d changes", len(got), len(tc.plan.Changes))
			}
			at := map[string]bool{}
			for _, id := range tc.atOnce {
				at[id] = true
			}
			for id, d := range got {
				if d.AtOnce != at[id] {
					t.Errorf("%s: at once = %v (rule %q)", id, d.AtOnce, d.Rule)
				}
				if want := tc.rule[id]; want != "" && !strings.Contains(d.Rule, want) {
					t.Errorf("%s: rule %q, want it to say %q", id, d.Rule, want)
				}
				if !d.AtOnce && d.Rule == "" {
					t.Errorf("%s waits without a rule", id)
				}
			}
		})
	}
}
