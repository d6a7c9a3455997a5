package tui_test

import (
	"context"
	"fmt"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"moxsync/engine"
	"moxsync/tui"
	"moxsync/tui/tuitest"
)

// bigBackend serves a plan of n copies of the world's changes.
type bigBackend struct {
	*tuitest.World
	plan *engine.Plan
}

func (b bigBackend) Load(context.Context, func(tui.LoadEvent)) (*engine.Plan, error) {
	return b.plan, nil
}

func bigModel(b *testing.B, copies int) *tui.Model {
	ctx := context.Background()
	w, err := tuitest.New(ctx, tuitest.Full)
	if err != nil {
		b.Fatal(err)
	}
	p, err := w.Load(ctx, func(tui.LoadEvent) {})
	if err != nil {
		b.Fatal(err)
	}
	big := *p
	big.Changes = nil
	for i := range copies {
		for _, c := range p.Changes {
			c.ID = fmt.Sprintf("%s-%d", c.ID, i)
			c.Subject = fmt.Sprintf("%s %d", c.Subject, i)
			big.Changes = append(big.Changes, c)
		}
	}
	m := tui.NewForTest(bigBackend{World: w, plan: &big}, now, 120, 40)
	m.Drain(m.Init())
	return m
}

// BenchmarkViewLargePlan renders the main screen of a 60,000-change plan.
func BenchmarkViewLargePlan(b *testing.B) {
	m := bigModel(b, 10000)
	b.ReportAllocs()
	for b.Loop() {
		_ = m.View()
	}
}

// BenchmarkFilterKeystroke is one key typed into the text filter over a
// 60,000-change plan (the list is filtered on every key).
func BenchmarkFilterKeystroke(b *testing.B) {
	m := bigModel(b, 10000)
	press(m, "/")
	b.ReportAllocs()
	for b.Loop() {
		m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{'x'}})
		m.Update(tea.KeyMsg{Type: tea.KeyBackspace})
	}
}
