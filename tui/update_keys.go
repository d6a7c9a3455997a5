package tui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"moxsync/engine"
)

// key handles a key press for whatever has the keyboard. Runes typed
// faster than the terminal is read arrive as one message ("?/"); they are
// handled one by one, so each still acts as a key.
func (m *Model) key(msg tea.KeyMsg) tea.Cmd {
	if msg.Type == tea.KeyRunes && len(msg.Runes) > 1 && !msg.Paste && !msg.Alt {
		var cmds []tea.Cmd
		for _, r := range msg.Runes {
			cmds = append(cmds, m.key(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}}))
			if m.quitting {
				break
			}
		}
		return tea.Batch(cmds...)
	}
	m.touched = true
	switch {
	case m.screen == screenLoading:
		return m.loadingKey(msg)
	case m.screen == screenApply:
		return m.applyKey(msg)
	case m.dialog == dialogApply:
		return m.confirmApplyKey(msg)
	case m.dialog == dialogQuit:
		return m.confirmQuitKey(msg)
	case m.dialog == dialogEdit:
		return m.editKey(msg)
	case m.dialog == dialogPreview:
		return m.previewKey(msg)
	case m.screen == screenQueue:
		return m.queueKey(msg)
	case m.view.filtering:
		return m.filterKey(msg)
	}
	return m.planKey(msg)
}

func (m *Model) loadingKey(msg tea.KeyMsg) tea.Cmd {
	if !m.loading.failed() {
		return nil // reading: only ctrl+c
	}
	switch {
	case key.Matches(msg, m.keys.Retry):
		return tea.Batch(m.startLoad(), m.spinTick())
	case key.Matches(msg, m.keys.Queue):
		m.showQueue()
	case key.Matches(msg, m.keys.Quit):
		return m.askQuit()
	}
	return nil
}

// askQuit quits, or asks first when approvals are pending.
func (m *Model) askQuit() tea.Cmd {
	if a, _, _ := m.view.counts(); a > 0 {
		m.dialog = dialogQuit
		if m.screen != screenPlan {
			m.screen = screenPlan
		}
		return nil
	}
	return m.quit()
}

func (m *Model) planKey(msg tea.KeyMsg) tea.Cmd {
	v := &m.view
	k := m.keys
	switch {
	case key.Matches(msg, k.Up):
		v.move(-1)
	case key.Matches(msg, k.Down):
		v.move(1)
	case key.Matches(msg, k.Top):
		v.move(-len(v.visible))
	case key.Matches(msg, k.Bottom):
		v.move(len(v.visible))
	case key.Matches(msg, k.PageDown):
		v.detailOffset = min(v.detailOffset+max(1, v.height/3), v.maxDetailOffset())
	case key.Matches(msg, k.PageUp):
		v.detailOffset = max(0, v.detailOffset-max(1, v.height/3))
	case key.Matches(msg, k.Approve):
		m.toggleApprove()
	case key.Matches(msg, k.Reject):
		m.toggleReject()
	case key.Matches(msg, k.ApproveAll):
		m.approveAll()
	case key.Matches(msg, k.Filter):
		v.filtering = true
		return v.text.Focus()
	case key.Matches(msg, k.System):
		v.sysTab = (v.sysTab + 1) % len(systemTabs)
		v.refilter()
	case key.Matches(msg, k.Op):
		m.nextOpTab()
	case key.Matches(msg, k.ClearFilters):
		if v.sysTab != 0 || v.opTab != 0 || v.text.Value() != "" {
			v.sysTab, v.opTab = 0, 0
			v.text.SetValue("")
			v.refilter()
			m.setFlash(txtFiltersCleared, false)
		}
	case key.Matches(msg, k.Warnings):
		v.showWarnings = !v.showWarnings
		v.detailOffset = 0
	case key.Matches(msg, k.Preview):
		return m.openPreview()
	case key.Matches(msg, k.Edit):
		return m.openEdit()
	case key.Matches(msg, k.Refresh):
		m.flash = ""
		m.screen = screenLoading
		return tea.Batch(m.startLoad(), m.spinTick())
	case key.Matches(msg, k.Apply):
		return m.openApply()
	case key.Matches(msg, k.Queue):
		m.showQueue()
	case key.Matches(msg, k.Help):
		m.help.ShowAll = !m.help.ShowAll
	case key.Matches(msg, k.Quit):
		return m.askQuit()
	}
	return nil
}

// nextOpTab moves the operation filter to the next operation the plan has.
func (m *Model) nextOpTab() {
	v := &m.view
	for range opTabs {
		v.opTab = (v.opTab + 1) % len(opTabs)
		if v.opTab == 0 || m.planHasOp(opTabs[v.opTab]) {
			break
		}
	}
	v.refilter()
}

func (m *Model) toggleApprove() {
	c := m.view.selected()
	if c == nil {
		m.setFlash(txtNothingShown, false)
		return
	}
	subj := engine.MaskCPRs(c.Subject)
	if m.view.markOf(c.ID) == markApproved {
		m.view.setMark(c.ID, markPending)
		m.setFlash(sprintf(txtUnapprovedOne, subj), false)
	} else {
		m.view.setMark(c.ID, markApproved)
		m.setFlash(sprintf(txtApprovedOne, subj), false)
	}
}

func (m *Model) toggleReject() {
	c := m.view.selected()
	if c == nil {
		m.setFlash(txtNothingShown, false)
		return
	}
	subj := engine.MaskCPRs(c.Subject)
	if m.view.markOf(c.ID) == markRejected {
		m.view.setMark(c.ID, markPending)
		m.setFlash(sprintf(txtUnrejectedOne, subj), false)
	} else {
		m.view.setMark(c.ID, markRejected)
		m.setFlash(sprintf(txtRejectedOne, subj), false)
	}
}

// approveAll approves every shown change the operator has not rejected.
func (m *Model) approveAll() {
	v := &m.view
	if len(v.visible) == 0 {
		m.setFlash(txtNothingShown, false)
		return
	}
	n, rej := 0, 0
	for _, i := range v.visible {
		id := v.plan.Changes[i].ID
		switch v.markOf(id) {
		case markRejected:
			rej++
		case markPending:
			v.setMark(id, markApproved)
			n++
		}
	}
	m.setFlash(sprintf(txtApprovedAll, n, rej), false)
}

func (m *Model) filterKey(msg tea.KeyMsg) tea.Cmd {
	v := &m.view
	switch msg.Type {
	case tea.KeyEnter:
		v.filtering = false
		v.text.Blur()
		return nil
	case tea.KeyEsc:
		v.filtering = false
		v.text.Blur()
		v.text.SetValue("")
		v.refilter()
		m.setFlash(txtFilterCleared, false)
		return nil
	}
	var cmd tea.Cmd
	v.text, cmd = v.text.Update(msg)
	v.refilter()
	return cmd
}

// forwardToInput gives non-key messages (cursor blinks) to the input that
// has the keyboard.
func (m *Model) forwardToInput(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	switch {
	case m.dialog == dialogEdit:
		m.edit.input, cmd = m.edit.input.Update(msg)
	case m.dialog == dialogApply && m.confirm.destructive > 0:
		m.confirm.input, cmd = m.confirm.input.Update(msg)
	case m.dialog == dialogPreview:
		cmd = m.preview.forward(msg)
	case m.view.filtering:
		m.view.text, cmd = m.view.text.Update(msg)
	}
	return cmd
}

func trimmed(s string) string { return strings.TrimSpace(s) }
