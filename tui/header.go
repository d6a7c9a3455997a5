package tui

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"

	"moxsync/engine"
	"moxsync/render"
)

func sprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }

// headerView is the title (with the READ-ONLY banner), the systems with
// their endpoints and read times, the plan summary with the decision
// counts, and the filter tabs. Its height is the same on every screen.
func (m *Model) headerView() string {
	w := m.width
	right := ""
	if m.backend.ReadOnly() {
		right = m.st.Banner.Render(txtReadOnly)
	}
	review := txtTitleReview
	if m.screen == screenQueue {
		review = txtTitleQueue
	}
	title := m.st.Title.Render(txtTitle) + " · " + review
	if m.label != "" {
		title += " · " + m.st.Banner.Render(" "+m.label+" ")
	}
	if p := m.view.plan; p != nil && p.ID != "" {
		title += m.st.Muted.Render(" · plan " + p.ID)
	}
	lines := []string{leftRight(title, right, w), fit(m.systemsLine(), w)}
	if m.queue.exists() || m.queue.err != nil {
		lines = append(lines, fit(m.watchLine(), w))
	}

	if p := m.view.plan; p != nil {
		summary := render.Summary(p)
		if n := len(p.Warnings); n > 0 {
			// No-break spaces keep the note on one line when the summary wraps.
			summary += " ·" + strings.ReplaceAll(sprintf(txtWarningsNote, n), " ", "\u00a0")
		}
		a, r, t := m.view.counts()
		counts := sprintf(txtCountsRight, a, r, t)
		if w < 120 {
			counts = sprintf(txtCountsShort, a, r, t)
		}
		sl := wrap(summary, w-lipgloss.Width(counts)-1)
		if len(sl) > 2 {
			sl = sl[:2]
		}
		for i, l := range sl {
			if i == 0 {
				lines = append(lines, leftRight(l, counts, w))
			} else {
				lines = append(lines, fit(l, w))
			}
		}
	} else {
		lines = append(lines, "")
	}
	switch {
	case m.view.plan != nil && m.screen == screenQueue:
		lines = append(lines, "") // the plan's filters do not apply to the queue
	case m.view.plan != nil:
		lines = append(lines, fit(m.tabsLine(), w))
	}
	return strings.Join(lines, "\n")
}

// systemsLine is "MO host · read 10:58:01 (2 min ago) │ AD …".
func (m *Model) systemsLine() string {
	var read engine.ReadTimes
	if p := m.view.plan; p != nil {
		read = p.ReadAt
	}
	var parts []string
	var oldest time.Time
	for _, s := range m.systems {
		var at time.Time
		switch s.System {
		case engine.SystemMO:
			at = read.MO
		case engine.SystemAD:
			at = read.AD
		case engine.SystemSTS:
			at = read.STS
		}
		part := m.st.Label.Render(render.SystemName(s.System)) + " "
		if s.Endpoint == "" {
			parts = append(parts, part+m.st.Muted.Render(txtNotConfigured))
			continue
		}
		part += shortEndpoint(s.Endpoint, m.width)
		if !at.IsZero() {
			if m.width >= 140 {
				part += " " + sprintf(txtRead, at.Local().Format("15:04:05"))
			} else if m.width >= 120 {
				part += " " + at.Local().Format("15:04:05")
			} else {
				part += " " + at.Local().Format("15:04")
			}
			if oldest.IsZero() || at.Before(oldest) {
				oldest = at
			}
		}
		parts = append(parts, part)
	}
	line := strings.Join(parts, m.st.Muted.Render(" │ "))
	if !oldest.IsZero() && m.width >= 120 {
		line += m.st.Muted.Render(sprintf(txtOldest, age(m.now().Sub(oldest))))
	}
	return line
}

// shortEndpoint is the host of an endpoint URL (the whole URL when wide).
func shortEndpoint(e string, width int) string {
	u, err := url.Parse(e)
	if err != nil || u.Host == "" {
		return cut(e, 24)
	}
	if width >= 160 {
		return e
	}
	return cut(u.Host, min(24, max(12, (width-30)/3)))
}

// age is a duration as a person says it.
func age(d time.Duration) string {
	switch {
	case d < time.Minute:
		return txtJustNow
	case d < time.Hour:
		return sprintf(txtMinAgo, int(d.Minutes()))
	case d < 48*time.Hour:
		return sprintf(txtHoursAgo, int(d.Hours()))
	}
	return sprintf(txtDaysAgo, int(d.Hours()/24))
}

// tabsLine is the system and operation filter tabs and the text filter.
func (m *Model) tabsLine() string {
	v := &m.view
	var b strings.Builder
	b.WriteString(m.st.Muted.Render(txtSystemTab))
	for i, s := range systemTabs {
		name := txtAll
		if s != "" {
			name = render.SystemName(s)
		}
		b.WriteString(" " + m.tab(name, i == v.sysTab))
	}
	b.WriteString("  " + m.st.Muted.Render(txtOpTab))
	for i, o := range opTabs {
		name := txtAllOps
		if o != "" {
			if !m.planHasOp(o) && i != v.opTab {
				continue
			}
			name = render.Word(o)
		}
		b.WriteString(" " + m.tab(name, i == v.opTab))
	}
	if v.filtering {
		b.WriteString("  " + v.text.View())
	} else if t := v.text.Value(); t != "" {
		b.WriteString("  " + m.st.Accent.Render(sprintf(txtFilterShown, t)))
	}
	return b.String()
}

// tab renders a tab; the active one is bracketed, so it does not depend
// on colour.
func (m *Model) tab(name string, active bool) string {
	if active {
		return m.st.TabActive.Render("[" + name + "]")
	}
	return m.st.Tab.Render(name)
}

func (m *Model) planHasOp(o engine.Op) bool { return m.view.ops[o] }
