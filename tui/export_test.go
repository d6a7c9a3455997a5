package tui

import (
	"context"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"moxsync/engine"
)

// NewForTest returns a sized model with a fixed clock and no ticks.
func NewForTest(b Backend, now time.Time, w, h int) *Model {
	m := New(context.Background(), b, Options{Now: func() time.Time { return now }})
	m.noTicks = true
	m.queueEvery = 0 // PollQueue polls
	m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	return m
}

// PollQueue polls the review queue once, as the queue tick does.
func (m *Model) PollQueue() tea.Cmd { return m.pollQueue(false) }

// NoTicks turns off the spinner and clock ticks.
func (m *Model) NoTicks() { m.noTicks = true }

// Drain runs cmd and every command that follows from it, feeding the load
// and apply messages back into Update, until no work is left. Commands
// that do not finish within a short time (cursor blinks) are dropped.
func (m *Model) Drain(cmd tea.Cmd) {
	queue := []tea.Cmd{cmd}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		ch := make(chan tea.Msg, 1)
		go func() { ch <- c() }()
		var msg tea.Msg
		select {
		case msg = <-ch:
		case <-time.After(200 * time.Millisecond):
			continue
		}
		switch msg := msg.(type) {
		case tea.BatchMsg:
			queue = append(queue, msg...)
		case loadEventMsg, planLoadedMsg, applyResultMsg, applyDoneMsg, queueMsg, queueDecidedMsg:
			_, next := m.Update(msg)
			queue = append(queue, next)
		}
	}
}

// State is what tests look at.
type State struct {
	Screen       string
	Dialog       string
	Cursor       int
	Visible      []string // IDs
	Selected     string
	Marks        map[string]string
	Flash        string
	FlashErr     bool
	Filtering    bool
	FilterText   string
	SysTab       string
	OpTab        string
	ShowWarnings bool
	DetailOffset int
	HelpAll      bool
	Quitting     bool
	LoadGen      int
	ApplyGen     int
	LoadFailed   bool
	PreviewName  string // the username the preview shows
	PreviewFocus int
	PreviewGiven string
	EditErr      string
	ConfirmErr   string
	Destructive  int
	ApplyDone    bool
	ApplyResults []engine.Result
	Refreshed    *engine.Plan
	Plan         *engine.Plan
	Overrides    map[string]string
	// Queue is the review queue as the TUI last saw it (nil: no queue);
	// QueueSelected the change id under its cursor.
	Queue         *QueueState
	QueueSelected string
	ApplyQueue    bool
}

// State returns the model's state.
func (m *Model) State() State {
	s := State{
		Screen: [...]string{"loading", "plan", "apply", "queue"}[m.screen],
		Dialog: [...]string{"", "apply", "quit", "edit", "preview"}[m.dialog],
		Cursor: m.view.cursor, Marks: map[string]string{}, Flash: m.flash, FlashErr: m.flashErr,
		Filtering: m.view.filtering, FilterText: m.view.text.Value(),
		SysTab: string(systemTabs[m.view.sysTab]), OpTab: string(opTabs[m.view.opTab]),
		ShowWarnings: m.view.showWarnings, DetailOffset: m.view.detailOffset, HelpAll: m.help.ShowAll,
		Quitting: m.quitting, LoadGen: m.loadGen, ApplyGen: m.applyGen, LoadFailed: m.loading.failed(),
		PreviewFocus: m.preview.focus, PreviewGiven: m.preview.given.Value(),
		EditErr: m.edit.err, ConfirmErr: m.confirm.err, Destructive: m.confirm.destructive,
		ApplyDone: m.apply.done, ApplyResults: m.apply.results, Refreshed: m.apply.refreshed,
		Plan: m.view.plan, Overrides: m.overrides,
	}
	for _, i := range m.view.visible {
		s.Visible = append(s.Visible, m.view.plan.Changes[i].ID)
	}
	if c := m.view.selected(); c != nil {
		s.Selected = c.ID
	}
	for id, mk := range m.view.marks {
		s.Marks[id] = [...]string{"pending", "approved", "rejected"}[mk]
	}
	if m.queue.exists() {
		q := m.queue.state
		s.Queue = &q
		if it := m.queue.selected(); it != nil {
			s.QueueSelected = it.Change.ID
		}
	}
	s.ApplyQueue = m.applyQueue
	switch {
	case m.preview.decision != nil:
		s.PreviewName = m.preview.decision.Username
	case m.preview.result != nil:
		s.PreviewName = m.preview.result.Username
	}
	return s
}
