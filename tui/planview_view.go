package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/lipgloss"

	"moxsync/engine"
	"moxsync/render"
)

// View renders the body: the change list and the detail pane, side by
// side when wide, stacked otherwise. It always returns v.height lines of
// v.width cells.
func (v *planView) View(st *styles) string {
	if v.sideBySide() {
		lw := v.width * 9 / 20
		dw := v.width - lw - 1
		list := append([]string{rule(v.listTitle(), lw)}, v.listLines(st, lw, v.height-1)...)
		detail := append([]string{rule(v.detailTitle(), dw)}, v.detailLines(st, dw, v.height-1)...)
		out := make([]string, v.height)
		for i := range out {
			out[i] = fit(list[i], lw) + st.Rule.Render("│") + fit(detail[i], dw)
		}
		return strings.Join(out, "\n")
	}
	lh := v.listHeight()
	dh := v.height - lh - 2
	out := []string{rule(v.listTitle(), v.width)}
	out = append(out, v.listLines(st, v.width, lh)...)
	out = append(out, rule(v.detailTitle(), v.width))
	out = append(out, v.detailLines(st, v.width, dh)...)
	return strings.Join(block(out, v.width, v.height), "\n")
}

// listTitle is " changes " with how many the filters show.
func (v *planView) listTitle() string {
	if v.plan == nil || len(v.visible) == len(v.plan.Changes) {
		return txtListRule
	}
	return sprintf(txtListShown, len(v.visible), len(v.plan.Changes))
}

func (v *planView) detailTitle() string {
	if v.showWarnings {
		return txtWarningsRule
	}
	return txtDetailRule
}

// listLines renders h rows of the change list.
func (v *planView) listLines(st *styles, w, h int) []string {
	if v.plan == nil {
		return block([]string{txtNoPlan}, w, h)
	}
	if len(v.plan.Changes) == 0 {
		return block(wrap(render.Summary(v.plan), w), w, h)
	}
	if len(v.visible) == 0 {
		return block(wrap(txtNoMatch, w), w, h)
	}
	subjW := max(12, min(28, w/3))
	var lines []string
	for i := v.offset; i < len(v.visible) && len(lines) < h; i++ {
		c := &v.plan.Changes[v.visible[i]]
		row := v.row(st, c, w, subjW)
		if i == v.cursor {
			row = st.Selected.Render(fit("›"+row[1:], w))
		}
		lines = append(lines, row)
	}
	return block(lines, w, h)
}

// row is one change: cursor gap, decision mark, symbol, word, system,
// subject and a short summary.
func (v *planView) row(st *styles, c *engine.Change, w, subjW int) string {
	markText := txtMarkPending
	switch v.marks[c.ID] {
	case markApproved:
		markText = txtMarkApproved
	case markRejected:
		markText = txtMarkRejected
	}
	s := fmt.Sprintf(" %s %s %-8s%-4s%s %s", markText, render.Symbol(c.Op), render.Word(c.Op), render.SystemName(c.System),
		fit(engine.MaskCPRs(c.Subject), subjW), engine.MaskCPRs(shortSummary(c)))
	return fit(s, w)
}

// opStyle is the colour of an operation (the symbol and word say it too).
func opStyle(st *styles, op engine.Op) func(...string) string {
	switch op {
	case engine.OpCreate, engine.OpEnable:
		return st.Create.Render
	case engine.OpDelete, engine.OpDisable:
		return st.Delete.Render
	}
	return st.Update.Render
}

// detailLines renders h lines of the detail pane (or the warnings).
func (v *planView) detailLines(st *styles, w, h int) []string {
	var lines []string
	if v.showWarnings {
		lines = v.warningLines(st, w, nil)
	} else if c := v.selected(); c != nil {
		lines = v.changeLines(st, c, w)
	}
	if v.detailOffset > 0 && v.detailOffset < len(lines) {
		lines = lines[v.detailOffset:]
	}
	if len(lines) > h && h > 1 {
		more := len(lines) - (h - 1)
		lines = append(lines[:h-1:h-1], st.Muted.Render(fmt.Sprintf(txtScrollMore, more)))
	}
	return block(lines, w, h)
}

// maxDetailOffset is how far the detail pane can scroll.
func (v *planView) maxDetailOffset() int {
	var n int
	if v.showWarnings {
		n = len(v.warningLines(&styles{}, v.detailWidth(), nil))
	} else if c := v.selected(); c != nil {
		n = len(v.changeLines(&styles{}, c, v.detailWidth()))
	}
	return max(0, n-1)
}

func (v *planView) detailWidth() int {
	if v.sideBySide() {
		return v.width - v.width*9/20 - 1
	}
	return v.width
}

// changeLines is the whole detail of one change.
func (v *planView) changeLines(st *styles, c *engine.Change, w int) []string {
	head := fmt.Sprintf("%s %s %s  %s", render.Symbol(c.Op), render.Word(c.Op), render.SystemName(c.System), engine.MaskCPRs(c.Subject))
	lines := []string{st.Label.Render(opStyle(st, c.Op)(head))}
	switch v.marks[c.ID] {
	case markApproved:
		lines = append(lines, st.Approved.Render(txtMarkApproved+" "+txtDetailApproved))
	case markRejected:
		lines = append(lines, st.Rejected.Render(txtMarkRejected+" "+txtDetailRejected))
	default:
		lines = append(lines, st.Muted.Render(txtMarkPending+" "+txtDetailPending))
	}
	if t := targetOf(c); t != "" {
		lines = append(lines, wrapIndent(st.Muted.Render(txtTarget)+"  ", engine.MaskCPRs(t), w)...)
	}
	lines = append(lines, st.Muted.Render(txtID)+"      "+c.ID)
	lines = append(lines, changeFieldLines(st, c, w)...)
	if ws := warningsFor(v.plan, c); len(ws) > 0 {
		lines = append(lines, "")
		lines = append(lines, v.warningLines(st, w, ws)...)
	}
	return lines
}

// changeFieldLines is the fields of a change with where each value comes
// from, what it runs after and the username decision (the plan's detail
// and the queue's).
func changeFieldLines(st *styles, c *engine.Change, w int) []string {
	var lines []string
	aw := 0
	for _, f := range c.Fields {
		aw = max(aw, len(f.Attr))
	}
	aw = min(aw, w/3)
	for _, f := range c.Fields {
		lines = append(lines, wrapIndent("  "+fit(f.Attr, aw)+"  ", render.FieldText(c.Op, f), w)...)
		if f.Source != "" {
			lines = append(lines, st.Muted.Render(strings.Repeat(" ", aw+4)+cut(fmt.Sprintf(txtSource, f.Source), w-aw-4)))
		}
	}
	if c.DependsOn != "" {
		lines = append(lines, st.Muted.Render(fmt.Sprintf(txtDependsOn, c.DependsOn)))
	}
	if c.Username != nil {
		for _, l := range render.UsernameLines(c.Username, true) {
			trimmed := strings.TrimLeft(l, " ")
			lines = append(lines, wrapIndent(strings.Repeat(" ", len(l)-len(trimmed)), trimmed, w)...)
		}
	}
	return lines
}

// wrapIndent wraps value after a prefix, indenting the continuation lines.
func wrapIndent(prefix, value string, w int) []string {
	pw := lipgloss.Width(prefix)
	parts := wrap(value, max(10, w-pw))
	out := make([]string, len(parts))
	for i, p := range parts {
		if i == 0 {
			out[i] = prefix + p
		} else {
			out[i] = strings.Repeat(" ", pw) + p
		}
	}
	return out
}

func targetOf(c *engine.Change) string {
	switch {
	case c.Target.DN != "":
		return c.Target.DN
	case c.Target.UUID != "":
		return c.Target.UUID
	case c.MOUUID != "":
		return "MO person " + c.MOUUID
	}
	return ""
}

// warningsFor returns the plan warnings about the change's subject or key.
func warningsFor(p *engine.Plan, c *engine.Change) []engine.Warning {
	if p == nil {
		return nil
	}
	var out []engine.Warning
	for _, w := range p.Warnings {
		switch {
		case w.Key != "" && (w.Key == c.MOUUID || w.Key == c.Target.UUID || strings.EqualFold(w.Key, c.Target.DN) || w.Key == c.Target.GUID):
		case w.Key == "" && w.Subject != "" && w.Subject == c.Subject:
		default:
			continue
		}
		out = append(out, w)
	}
	return out
}

// warningLines lists ws, or every plan warning when ws is nil.
func (v *planView) warningLines(st *styles, w int, ws []engine.Warning) []string {
	if ws == nil && v.plan != nil {
		ws = v.plan.Warnings
	}
	if len(ws) == 0 {
		return []string{txtNoWarnings}
	}
	lines := []string{st.Warn.Render(fmt.Sprintf(txtWarningsHead, len(ws)))}
	for _, wa := range ws {
		subj := engine.MaskCPRs(wa.Subject)
		if subj != "" {
			subj += ": "
		}
		text := fmt.Sprintf("%s %s %s%s", strings.ToUpper(wa.System), wa.Code, subj, engine.MaskCPRs(wa.Message))
		lines = append(lines, wrapIndent(st.Warn.Render("! "), text, w)...)
	}
	return lines
}
