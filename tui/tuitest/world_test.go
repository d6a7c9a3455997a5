package tuitest

import (
	"context"
	"errors"
	"slices"
	"testing"

	"moxsync/engine"
	"moxsync/tui"
)

func TestScenarios(t *testing.T) {
	tests := []struct {
		sc   Scenario
		want []string
	}{
		{Full, []string{"ad create", "ad update", "sts create", "sts delete", "sts delete", "mo create"}},
		{TwoChanges, []string{"ad update", "sts delete"}},
	}
	for _, tt := range tests {
		ctx := context.Background()
		w, err := New(ctx, tt.sc)
		if err != nil {
			t.Fatal(err)
		}
		var events []tui.LoadEvent
		p, err := w.Load(ctx, func(ev tui.LoadEvent) { events = append(events, ev) })
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, c := range p.Changes {
			got = append(got, string(c.System)+" "+string(c.Op))
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("scenario %d: changes %v, want %v", tt.sc, got, tt.want)
		}
		if len(events) != 6 || events[5].System != engine.SystemSTS || events[5].State != tui.SystemDone {
			t.Errorf("scenario %d: load events %+v", tt.sc, events)
		}
		// Applying everything brings the world in step.
		var ids []string
		n := 0
		for i := range p.Changes {
			ids = append(ids, p.Changes[i].ID)
			if engine.Destructive(&p.Changes[i]) {
				n++
			}
		}
		var progress int
		sum, err := w.Apply(ctx, p, tui.ApplyRequest{IDs: ids, AllowDeletes: n}, func(engine.Result) { progress++ })
		if err != nil || sum.OK != len(ids) || progress != len(ids) {
			t.Fatalf("scenario %d: apply %+v, %d progress calls, err %v", tt.sc, sum, progress, err)
		}
		again, err := w.Load(ctx, func(tui.LoadEvent) {})
		if err != nil {
			t.Fatal(err)
		}
		if len(again.Changes) != 0 {
			t.Errorf("scenario %d: %d changes after applying all", tt.sc, len(again.Changes))
		}
	}
}

func TestFailNextAndReadOnly(t *testing.T) {
	ctx := context.Background()
	w, err := New(ctx, TwoChanges)
	if err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	w.FailNext(engine.SystemSTS, boom)
	var last tui.LoadEvent
	if _, err := w.Load(ctx, func(ev tui.LoadEvent) { last = ev }); !errors.Is(err, boom) {
		t.Fatalf("err %v, want boom", err)
	}
	if last.System != engine.SystemSTS || last.State != tui.SystemFailed {
		t.Errorf("last event %+v", last)
	}
	p, err := w.Load(ctx, func(tui.LoadEvent) {})
	if err != nil {
		t.Fatalf("the failure was not once: %v", err)
	}
	w.ReadOnlyMode = true
	sum, err := w.Apply(ctx, p, tui.ApplyRequest{IDs: []string{p.Changes[0].ID}}, nil)
	if engine.KindOf(err) != engine.KindRefused || sum.Refused != 1 {
		t.Errorf("read-only apply: %+v, %v", sum, err)
	}
	if _, err := w.Apply(ctx, p, tui.ApplyRequest{}, nil); err == nil {
		t.Error("an apply naming no change applied everything")
	}
}
