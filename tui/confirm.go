package tui

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"moxsync/engine"
	"moxsync/render"
)

// confirmModel is the apply dialog: it restates what will be applied and,
// when deletes or disables are among it, wants their number typed in.
type confirmModel struct {
	ids         []string
	changes     []*engine.Change
	summary     string // "1 to create (AD) · 1 to delete (STS)"
	rejected    int
	pending     int
	destructive int
	input       textinput.Model
	err         string
	// queue is set when the changes are approved items of the review
	// queue (applied through QueueBackend.ApplyQueued).
	queue bool
}

// openApply opens the apply dialog for the approved changes.
func (m *Model) openApply() tea.Cmd {
	if m.backend.ReadOnly() {
		m.setFlash(txtReadOnlyApply, true)
		return nil
	}
	approved := m.view.approved()
	if len(approved) == 0 {
		m.setFlash(txtNothingToDo, false)
		return nil
	}
	a, r, t := m.view.counts()
	return m.openConfirm(confirmModel{rejected: r, pending: t - a - r}, approved)
}

// openConfirm opens the apply dialog c for the changes: deletes and
// disables listed first, a typed count asked for when there are any.
func (m *Model) openConfirm(c confirmModel, changes []*engine.Change) tea.Cmd {
	sub := &engine.Plan{}
	for _, ch := range changes {
		c.ids = append(c.ids, ch.ID)
		c.changes = append(c.changes, ch)
		sub.Changes = append(sub.Changes, *ch)
		if engine.Destructive(ch) {
			c.destructive++
		}
	}
	// The deletes and disables are listed first: they need the closest look.
	slices.SortStableFunc(c.changes, func(a, b *engine.Change) int {
		return cmp.Compare(boolInt(!engine.Destructive(a)), boolInt(!engine.Destructive(b)))
	})
	c.summary = strings.TrimSuffix(strings.TrimPrefix(render.Summary(sub), "Plan: "), ".")
	c.input = textinput.New()
	c.input.Prompt = "> "
	c.input.CharLimit = 6
	c.input.Width = 8
	m.confirm = c
	m.dialog = dialogApply
	if c.destructive > 0 {
		return m.confirm.input.Focus()
	}
	return nil
}

func (m *Model) confirmApplyKey(msg tea.KeyMsg) tea.Cmd {
	c := &m.confirm
	if c.destructive == 0 {
		switch {
		case key.Matches(msg, m.keys.Yes), key.Matches(msg, m.keys.Confirm):
			return m.startApply(0)
		case key.Matches(msg, m.keys.No):
			m.dialog = dialogNone
		}
		return nil
	}
	switch {
	case key.Matches(msg, m.keys.Cancel):
		m.dialog = dialogNone
		return nil
	case key.Matches(msg, m.keys.Confirm):
		n, err := strconv.Atoi(trimmed(c.input.Value()))
		if err != nil || n != c.destructive {
			c.err = sprintf(txtApplyTypeWrong, c.destructive)
			c.input.SetValue("")
			return nil
		}
		return m.startApply(n)
	}
	var cmd tea.Cmd
	c.input, cmd = c.input.Update(msg)
	return cmd
}

// startApply closes the dialog and starts applying.
func (m *Model) startApply(allowDeletes int) tea.Cmd {
	m.dialog = dialogNone
	m.applyGen++
	m.apply.start(len(m.confirm.ids))
	m.screen = screenApply
	m.flash = ""
	req := ApplyRequest{IDs: m.confirm.ids, AllowDeletes: allowDeletes}
	m.applyQueue = m.confirm.queue
	if m.applyQueue {
		m.log.Info("tui: apply of queued changes started", "changes", len(req.IDs), "allow_deletes", allowDeletes)
		return queueApplyCmd(m.ctx, m.qb, req, m.applyGen)
	}
	m.log.Info("tui: apply started", "plan", m.view.plan.ID, "changes", len(req.IDs), "allow_deletes", allowDeletes)
	// Decisions on the applied changes are done with; a refreshed plan
	// will not hold the applied ones, and failed ones need a new look.
	for _, id := range req.IDs {
		m.view.setMark(id, markPending)
	}
	return applyCmd(m.ctx, m.backend, m.view.plan, req, m.applyGen)
}

func (m *Model) confirmQuitKey(msg tea.KeyMsg) tea.Cmd {
	switch {
	case key.Matches(msg, m.keys.Yes):
		return m.quit()
	case key.Matches(msg, m.keys.No):
		m.dialog = dialogNone
	}
	return nil
}

// dialogView renders the open dialog box.
func (m *Model) dialogView() string {
	w := min(72, m.width-4)
	var lines []string
	switch m.dialog {
	case dialogApply:
		c := &m.confirm
		lines = append(lines, m.st.Label.Render(sprintf(txtApplyTitle, len(c.ids))), "")
		lines = append(lines, wrap(c.summary+".", w)...)
		room := max(0, m.height-24+3) // more room, more changes listed
		for i, ch := range c.changes {
			if i == room && len(c.changes) > room+1 {
				lines = append(lines, m.st.Muted.Render(sprintf(txtApplyMore, len(c.changes)-room)))
				break
			}
			lines = append(lines, cut("  "+render.Symbol(ch.Op)+" "+render.Word(ch.Op)+" "+render.SystemName(ch.System)+"  "+engine.MaskCPRs(ch.Subject), w))
		}
		lines = append(lines, wrap(sprintf(txtApplyLeft, c.rejected, c.pending), w)...)
		if c.queue {
			lines = append(lines, wrap(m.st.Muted.Render(txtQueueApplyNote), w)...)
		}
		lines = append(lines, "")
		if c.destructive > 0 {
			lines = append(lines, wrap(m.st.Error.Render(sprintf(txtApplyDestruct, c.destructive, c.destructive)), w)...)
			lines = append(lines, c.input.View())
			if c.err != "" {
				lines = append(lines, m.st.Error.Render(c.err))
			}
		} else {
			lines = append(lines, txtApplyYesNo)
		}
	case dialogQuit:
		a, _, _ := m.view.counts()
		lines = append(lines, m.st.Label.Render(sprintf(txtQuitTitle, a)), "")
		lines = append(lines, wrap(txtQuitAsk, w)...)
	case dialogEdit:
		lines = m.edit.view(&m.st, w)
	}
	return m.st.Dialog.Width(w + 2).Render(strings.Join(lines, "\n"))
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
