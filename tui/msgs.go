package tui

import (
	tea "github.com/charmbracelet/bubbletea"

	"moxsync/engine"
)

// Every message carries the generation of the load or apply that produced
// it; Update drops messages of a superseded generation.

// loadEventMsg is one progress step of a load; ch delivers the next.
type loadEventMsg struct {
	gen int
	ev  LoadEvent
	ch  <-chan tea.Msg
}

// planLoadedMsg ends a load: the plan, or the error.
type planLoadedMsg struct {
	gen  int
	plan *engine.Plan
	err  error
}

// applyResultMsg is the result of one change of an apply; ch delivers the
// next.
type applyResultMsg struct {
	gen int
	res engine.Result
	ch  <-chan tea.Msg
}

// applyDoneMsg ends an apply.
type applyDoneMsg struct {
	gen int
	sum engine.Summary
	err error
}

// tickMsg re-renders relative times ("read 2 min ago").
type tickMsg struct{}

// queueMsg is the result of a poll of the review queue; seq orders the
// polls (a late result of an older poll is dropped), and rearm is set on
// the poll the queue tick started, which arms the next tick.
type queueMsg struct {
	seq   int
	state QueueState
	err   error
	rearm bool
}

// queueTickMsg starts the next poll of the queue.
type queueTickMsg struct{}

// queueDecidedMsg ends a decision on a queued change.
type queueDecidedMsg struct {
	id, subject string
	approve     bool
	err         error
}
