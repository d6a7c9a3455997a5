package tui

import (
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"moxsync/engine"
)

// editModel edits the username of one AD create.
type editModel struct {
	changeID   string
	personUUID string
	subject    string
	current    string
	input      textinput.Model
	err        string
}

// openEdit opens the username editor on the selected change, which must
// be an AD create.
func (m *Model) openEdit() tea.Cmd {
	c := m.view.selected()
	if c == nil || c.System != engine.SystemAD || c.Op != engine.OpCreate {
		m.setFlash(txtNotACreate, true)
		return nil
	}
	in := textinput.New()
	in.Prompt = "> "
	in.CharLimit = 64
	in.Width = 30
	cur := samAccountName(c)
	in.SetValue(cur)
	in.CursorEnd()
	m.edit = editModel{changeID: c.ID, personUUID: c.MOUUID, subject: engine.MaskCPRs(c.Subject), current: cur, input: in}
	m.dialog = dialogEdit
	return m.edit.input.Focus()
}

func (m *Model) editKey(msg tea.KeyMsg) tea.Cmd {
	e := &m.edit
	switch {
	case key.Matches(msg, m.keys.Cancel):
		m.dialog = dialogNone
		return nil
	case key.Matches(msg, m.keys.Confirm):
		m.saveUsername()
		return nil
	}
	var cmd tea.Cmd
	e.input, cmd = e.input.Update(msg)
	e.err = ""
	return cmd
}

// saveUsername checks the typed name and sets it on the plan; the
// decisions follow the changes to their new IDs.
func (m *Model) saveUsername() {
	e := &m.edit
	name := trimmed(e.input.Value())
	if name == e.current {
		m.dialog = dialogNone
		return
	}
	if err := m.backend.CheckUsername(name, e.personUUID); err != nil {
		e.err = engine.MaskCPRs(err.Error())
		return
	}
	p := m.view.plan
	// The write-backs waiting for this create get new IDs too.
	var deps []int
	for i := range p.Changes {
		if p.Changes[i].DependsOn == e.changeID {
			deps = append(deps, i)
		}
	}
	oldDeps := make([]string, len(deps))
	for j, i := range deps {
		oldDeps[j] = p.Changes[i].ID
	}
	newID, err := p.SetUsername(e.changeID, name)
	if err != nil {
		e.err = engine.MaskCPRs(err.Error())
		return
	}
	m.view.renameID(e.changeID, newID)
	for j, i := range deps {
		m.view.renameID(oldDeps[j], p.Changes[i].ID)
	}
	if e.personUUID != "" {
		m.overrides[e.personUUID] = name
	}
	m.log.Info("tui: username set", "change", newID, "username", name)
	m.view.index()
	m.view.refilter()
	m.dialog = dialogNone
	m.setFlash(sprintf(txtUsernameSet, e.subject, name), false)
}

func (e *editModel) view(st *styles, w int) []string {
	lines := []string{st.Label.Render(sprintf(txtEditTitle, e.subject)), ""}
	lines = append(lines, wrap(sprintf(txtEditCurrent, e.current), w)...)
	lines = append(lines, e.input.View())
	if e.err != "" {
		lines = append(lines, wrap(st.Error.Render(e.err), w)...)
	}
	return lines
}
