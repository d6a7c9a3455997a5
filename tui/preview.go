package tui

import (
	"errors"
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"moxsync/engine"
)

// previewModel is the username preview: given names and surname typed in,
// the live result and the trace of every pattern.
type previewModel struct {
	given, surname textinput.Model
	focus          int // 0 given, 1 surname
	result         *engine.UsernameResult
	err            error
	// of is the person the preview was opened on, with the plan's
	// decision, shown until the names are edited.
	of       string
	decision *engine.UsernameResult
	width    int
	height   int
}

func (p *previewModel) SetSize(w, h int) { p.width, p.height = w, h }

// openPreview opens the preview, filled in from the selected person when
// the selected change is about one.
func (m *Model) openPreview() tea.Cmd {
	newInput := func(prompt string) textinput.Model {
		in := textinput.New()
		in.Prompt = prompt
		in.CharLimit = 120
		in.Width = 40
		return in
	}
	p := previewModel{given: newInput(txtPreviewGiven), surname: newInput(txtPreviewSurname), width: m.preview.width, height: m.preview.height}
	if c := m.view.selected(); c != nil && c.MOUUID != "" && (c.System == engine.SystemAD || c.System == engine.SystemMO) {
		given, sur, ok := m.backend.PersonName(c.MOUUID)
		if !ok {
			given, sur = splitName(c.Subject)
		}
		p.given.SetValue(given)
		p.surname.SetValue(sur)
		p.of = engine.MaskCPRs(c.Subject)
		p.decision = c.Username
	}
	m.preview = p
	m.dialog = dialogPreview
	m.refreshPreview()
	return m.preview.given.Focus()
}

// splitName splits "Anna Maria Hansen" into "Anna Maria" and "Hansen".
func splitName(name string) (given, surname string) {
	f := strings.Fields(name)
	if len(f) < 2 {
		return name, ""
	}
	return strings.Join(f[:len(f)-1], " "), f[len(f)-1]
}

// refreshPreview computes the result for the names typed so far. It is
// pure computation over the names read by the last load.
func (m *Model) refreshPreview() {
	p := &m.preview
	g, s := trimmed(p.given.Value()), trimmed(p.surname.Value())
	p.result, p.err = nil, nil
	if g == "" && s == "" {
		return
	}
	res, err := m.backend.PreviewUsername(g, s)
	var ue *engine.UsernameError
	if errors.As(err, &ue) {
		res = ue.Result
	}
	p.result, p.err = &res, err
}

func (m *Model) previewKey(msg tea.KeyMsg) tea.Cmd {
	p := &m.preview
	switch {
	case msg.Type == tea.KeyEsc:
		m.dialog = dialogNone
		return nil
	case key.Matches(msg, m.keys.NextField), msg.Type == tea.KeyEnter:
		p.focus = 1 - p.focus
		if p.focus == 0 {
			p.surname.Blur()
			return p.given.Focus()
		}
		p.given.Blur()
		return p.surname.Focus()
	}
	before := p.given.Value() + "\x00" + p.surname.Value()
	var cmd tea.Cmd
	if p.focus == 0 {
		p.given, cmd = p.given.Update(msg)
	} else {
		p.surname, cmd = p.surname.Update(msg)
	}
	if p.given.Value()+"\x00"+p.surname.Value() != before {
		p.decision = nil // the names changed: show the live result
		m.refreshPreview()
	}
	return cmd
}

func (p *previewModel) forward(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	if p.focus == 0 {
		p.given, cmd = p.given.Update(msg)
	} else {
		p.surname, cmd = p.surname.Update(msg)
	}
	return cmd
}

// View renders the preview in the body.
func (p *previewModel) View(st *styles) string {
	w := p.width
	lines := []string{rule(" "+txtPreviewTitle+" ", w), "", "  " + p.given.View(), "  " + p.surname.View(), ""}
	res := p.result
	if p.decision != nil {
		lines = append(lines, st.Muted.Render(sprintf(txtPreviewOf, p.of)))
		res = p.decision
	}
	switch {
	case res == nil:
		lines = append(lines, st.Muted.Render(txtPreviewType))
	case res.Username == "" && p.err != nil:
		lines = append(lines, wrap(st.Error.Render(sprintf(txtPreviewNone, engine.MaskCPRs(p.err.Error()))), w)...)
	default:
		head := sprintf(txtPreviewResult, res.Username, res.Pattern)
		if res.Override {
			head = sprintf("Result: %q set by the operator", res.Username)
		}
		lines = append(lines, st.OK.Render(head))
	}
	if res != nil && len(res.Trace) > 0 {
		lines = append(lines, "", txtPreviewTrace)
		lines = append(lines, traceLines(res, w)...)
	}
	return strings.Join(block(lines, w, p.height), "\n")
}

// traceLines is one line per pattern: what it gave and why it was passed.
func traceLines(res *engine.UsernameResult, w int) []string {
	var out []string
	for _, pt := range res.Trace {
		var mark, text string
		switch {
		case pt.Skipped != "":
			mark, text = "–", "skipped: "+string(pt.Skipped)
			if pt.Detail != "" {
				text += " (" + pt.Detail + ")"
			}
		default:
			var cands []string
			mark = "✗"
			for _, c := range pt.Candidates {
				if c.Reason == "" {
					cands = append(cands, c.Username+" ✓ chosen")
					mark = "✓"
				} else {
					cands = append(cands, fmt.Sprintf("%s ✗ %s", c.Username, c.Reason))
				}
			}
			text = strings.Join(cands, ", ")
		}
		out = append(out, wrapIndent(fmt.Sprintf("  %s %-14s ", mark, pt.Pattern), text, w)...)
	}
	return out
}
