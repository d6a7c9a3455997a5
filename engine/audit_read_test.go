package engine_test

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"moxsync/engine"
)

// syncBuffer is an io.Writer with a Sync method that counts its calls and
// notes how many bytes were written when each was made.
type syncBuffer struct {
	bytes.Buffer
	syncs []int
}

func (b *syncBuffer) Sync() error { b.syncs = append(b.syncs, b.Len()); return nil }

// TestAuditWriterSyncsIntents: an intent line is synced before Record
// returns, a result line is not; a result line keeps the fields it always
// had, with phase "result"; an intent has no result field.
func TestAuditWriterSyncsIntents(t *testing.T) {
	var b syncBuffer
	w := engine.NewAuditWriter(&b)
	ctx := context.Background()
	base := engine.AuditRecord{PlanID: "p", ChangeID: "c1", System: engine.SystemAD, Op: engine.OpCreate, Key: "CN=x",
		Before: map[string]string{}, After: map[string]string{"cn": "x"}}
	intent := base
	intent.Phase = engine.AuditIntent
	intent.Target = &engine.AuditTarget{DN: "CN=x"}
	if err := w.Record(ctx, intent); err != nil {
		t.Fatal(err)
	}
	if len(b.syncs) != 1 || b.syncs[0] != b.Len() {
		t.Fatalf("after the intent: syncs at %v, %d bytes written", b.syncs, b.Len())
	}
	result := base
	result.Phase, result.Result = engine.AuditResult, "ok"
	if err := w.Record(ctx, result); err != nil {
		t.Fatal(err)
	}
	if len(b.syncs) != 1 {
		t.Errorf("the result line was synced: %v", b.syncs)
	}
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("%d lines", len(lines))
	}
	var in, res map[string]any
	if json.Unmarshal([]byte(lines[0]), &in) != nil || json.Unmarshal([]byte(lines[1]), &res) != nil {
		t.Fatalf("not JSON: %s", b.String())
	}
	if in["phase"] != "intent" || in["result"] != nil || in["target"] == nil {
		t.Errorf("intent line: %s", lines[0])
	}
	for _, k := range []string{"time", "os_user", "plan_id", "change_id", "system", "op", "key", "before", "after", "result"} {
		if _, ok := res[k]; !ok {
			t.Errorf("result line lacks %q: %s", k, lines[1])
		}
	}
	if res["phase"] != "result" || res["target"] != nil {
		t.Errorf("result line: %s", lines[1])
	}
}

func TestUnfinishedIntents(t *testing.T) {
	line := func(plan, change, phase, result string) string {
		r := engine.AuditRecord{PlanID: plan, ChangeID: change, System: engine.SystemAD, Op: engine.OpUpdate,
			Before: map[string]string{}, After: map[string]string{"title": phase + change}, Phase: phase, Result: result}
		b, _ := json.Marshal(r)
		return string(b)
	}
	// A line as moxsync wrote it before the log was write-ahead: no phase.
	old := `{"time":"2026-11-23T10:00:00Z","os_user":"x","plan_id":"p1","change_id":"c1","system":"ad","op":"update","key":"k","before":{},"after":{},"result":"ok"}`
	for _, tc := range []struct {
		name  string
		lines []string
		want  []string // change ids left open
	}{
		{"empty log", nil, nil},
		{"old log without phases", []string{old, old}, nil},
		{"every intent answered", []string{line("p1", "a", "intent", ""), line("p1", "a", "result", "ok"),
			line("p1", "b", "intent", ""), line("p1", "b", "result", "failed")}, nil},
		{"killed after two of four", []string{line("p1", "a", "intent", ""), line("p1", "b", "intent", ""),
			line("p1", "a", "result", "ok"), line("p1", "c", "intent", ""), line("p1", "c", "result", "ok"),
			line("p1", "d", "intent", "")}, []string{"b", "d"}},
		{"a result of another plan does not answer", []string{line("p1", "a", "intent", ""), line("p2", "a", "result", "ok")}, []string{"a"}},
		{"an old-format result answers", []string{line("p1", "c1", "intent", ""), old}, nil},
		{"a retried create: the last intent", []string{line("p1", "a", "intent", ""), line("p1", "a", "intent", "")}, []string{"a"}},
		{"a later run's check answers", []string{line("p1", "a", "intent", ""), line("p2", "x", "intent", ""),
			line("p2", "x", "result", "ok"), line("p1", "a", "result", "failed")}, nil},
		{"a line cut short by the crash", []string{line("p1", "a", "intent", ""), line("p1", "b", "intent", ""),
			line("p1", "a", "result", "ok")[:40]}, []string{"a", "b"}},
		{"an intent again after its result (a plan applied twice)", []string{line("p1", "a", "intent", ""),
			line("p1", "a", "result", "stale"), line("p1", "a", "intent", "")}, []string{"a"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := engine.UnfinishedIntents(strings.NewReader(strings.Join(tc.lines, "\n")))
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, r := range got {
				if r.Phase != engine.AuditIntent || r.After["title"] != "intent"+r.ChangeID {
					t.Errorf("returned %+v", r)
				}
				ids = append(ids, r.ChangeID)
			}
			if !slices.Equal(ids, tc.want) {
				t.Errorf("open intents %v, want %v", ids, tc.want)
			}
		})
	}
}
