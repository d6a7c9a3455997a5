package tui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/progress"
	tea "github.com/charmbracelet/bubbletea"

	"moxsync/engine"
	"moxsync/render"
)

// applyModel is the apply screen: a progress bar, one result line per
// change, the summary, then the refreshed plan's summary.
type applyModel struct {
	bar        progress.Model
	total      int
	results    []engine.Result
	done       bool
	sum        engine.Summary
	err        error
	refreshing bool
	refreshed  *engine.Plan
	refreshErr error
	// leave: enter was pressed while the refreshed plan was on its way;
	// the screen is left as soon as it is here.
	leave  bool
	offset int
	width  int
	height int
}

func newApplyModel() applyModel {
	return applyModel{bar: progress.New(progress.WithDefaultGradient(), progress.WithoutPercentage())}
}

func (a *applyModel) SetSize(w, h int) {
	a.width, a.height = w, h
	a.bar.Width = max(10, w-24)
}

func (a *applyModel) start(total int) {
	*a = applyModel{bar: a.bar, total: total, width: a.width, height: a.height}
}

func (a *applyModel) add(r engine.Result) {
	a.results = append(a.results, r)
	a.follow()
}

func (a *applyModel) finish(sum engine.Summary, err error) {
	a.done, a.sum, a.err = true, sum, err
	// Once done, show the results in apply order (they arrive in the
	// order the concurrent writes finish); a refused apply reports every
	// change only here.
	if len(sum.Results) > 0 {
		a.results = append(a.results[:0:0], sum.Results...)
	}
	a.follow()
}

// listHeight is the number of result lines shown.
func (a *applyModel) listHeight() int { return max(1, a.height-7) }

// follow scrolls to the newest result.
func (a *applyModel) follow() {
	a.offset = max(0, len(a.results)-a.listHeight())
}

func (m *Model) applyKey(msg tea.KeyMsg) tea.Cmd {
	a := &m.apply
	if !a.done {
		return nil
	}
	switch {
	case key.Matches(msg, m.keys.Up):
		a.offset = max(0, a.offset-1)
	case key.Matches(msg, m.keys.Down):
		a.offset = min(a.offset+1, max(0, len(a.results)-a.listHeight()))
	case msg.Type == tea.KeyEnter, msg.Type == tea.KeyEsc:
		if a.refreshing {
			a.leave = true // as soon as the refreshed plan is here
			return nil
		}
		m.leaveApply()
	case key.Matches(msg, m.keys.Quit):
		return m.askQuit()
	}
	return nil
}

// leaveApply goes back from a finished apply to the plan (or the queue,
// after an apply of queued changes).
func (m *Model) leaveApply() {
	a := &m.apply
	a.leave = false
	m.screen = screenPlan
	if m.applyQueue && m.queue.exists() {
		m.screen = screenQueue
	}
	if a.refreshErr != nil {
		m.setFlash(sprintf(txtRefreshFailed, engine.MaskCPRs(a.refreshErr.Error())), true)
	}
}

// View renders the apply screen.
func (a *applyModel) View(st *styles) string {
	w := a.width
	n := len(a.results)
	head := sprintf(txtApplying, a.total)
	if a.done {
		head = txtApplied
	}
	pct := 0.0
	if a.total > 0 {
		pct = float64(min(n, a.total)) / float64(a.total)
	}
	lines := []string{st.Label.Render(head), a.bar.ViewAs(pct) + sprintf("  %d/%d", min(n, a.total), a.total), ""}
	h := a.listHeight()
	for i := a.offset; i < n && i < a.offset+h; i++ {
		r := a.results[i]
		line := cut(render.ResultLine(r), w)
		if r.Status == engine.ResultOK {
			line = st.OK.Render(line)
		} else {
			line = st.Error.Render(line)
		}
		lines = append(lines, line)
	}
	for len(lines) < h+3 {
		lines = append(lines, "")
	}
	if a.done {
		lines = append(lines, "", st.Label.Render(render.ApplySummary(a.sum)))
		if a.err != nil && a.sum.Refused > 0 {
			lines = append(lines, wrap(st.Error.Render(sprintf(txtApplyRefused, engine.MaskCPRs(a.err.Error()))), w)...)
		} else if a.err != nil {
			lines = append(lines, wrap(st.Error.Render(engine.MaskCPRs(a.err.Error())), w)...)
		}
		switch {
		case a.refreshing:
			lines = append(lines, st.Muted.Render(txtRefreshing))
		case a.refreshErr != nil:
			lines = append(lines, st.Error.Render(cut(sprintf(txtRefreshFailed, engine.MaskCPRs(a.refreshErr.Error())), w)))
		case a.refreshed != nil:
			lines = append(lines, wrap(sprintf(txtRefreshedLine, render.Summary(a.refreshed)), w)...)
			for _, r := range a.results {
				if r.Replacement != "" {
					lines = append(lines, wrap(st.Error.Render(sprintf(txtNameTaken, engine.MaskCPRs(r.Subject), r.TakenUsername, proposedName(a.refreshed, r))), w)...)
				}
			}
		}
	}
	return strings.Join(block(lines, w, a.height), "\n")
}

// proposedName is the username the refreshed plan gives the person of r's
// create, or r's replacement when it has no create for them.
func proposedName(p *engine.Plan, r engine.Result) string {
	for i := range p.Changes {
		c := &p.Changes[i]
		if c.System == engine.SystemAD && c.Op == engine.OpCreate && c.Subject == r.Subject && c.Username != nil {
			return c.Username.Username
		}
	}
	return r.Replacement
}
