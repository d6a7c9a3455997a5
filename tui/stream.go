package tui

import (
	"context"

	tea "github.com/charmbracelet/bubbletea"

	"moxsync/engine"
)

// The long operations run in a goroutine started by a command; their
// progress arrives on a channel, read one message per command (the
// bubbletea "realtime" pattern), so Update never blocks.

// waitFor returns the next message of ch.
func waitFor(ch <-chan tea.Msg) tea.Cmd {
	return func() tea.Msg { return <-ch }
}

// loadCmd starts a Load of generation gen.
func loadCmd(ctx context.Context, b Backend, gen int) tea.Cmd {
	return func() tea.Msg {
		ch := make(chan tea.Msg, 16)
		go func() {
			p, err := b.Load(ctx, func(ev LoadEvent) {
				ch <- loadEventMsg{gen: gen, ev: ev, ch: ch}
			})
			ch <- planLoadedMsg{gen: gen, plan: p, err: err}
		}()
		return <-ch
	}
}

// applyCmd starts an Apply of generation gen.
func applyCmd(ctx context.Context, b Backend, p *engine.Plan, req ApplyRequest, gen int) tea.Cmd {
	return func() tea.Msg {
		ch := make(chan tea.Msg, 16)
		go func() {
			sum, err := b.Apply(ctx, p, req, func(r engine.Result) {
				ch <- applyResultMsg{gen: gen, res: r, ch: ch}
			})
			ch <- applyDoneMsg{gen: gen, sum: sum, err: err}
		}()
		return <-ch
	}
}
