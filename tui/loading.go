package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/spinner"

	"moxsync/engine"
	"moxsync/render"
)

// loadingModel is the loading screen: a spinner and one line per system.
type loadingModel struct {
	spin   spinner.Model
	order  []engine.System
	events map[engine.System]LoadEvent
	err    error // the load failed
	width  int
	height int
}

func newLoading(systems []SystemInfo) loadingModel {
	l := loadingModel{spin: spinner.New(spinner.WithSpinner(spinner.Line)), events: map[engine.System]LoadEvent{}}
	for _, s := range systems {
		l.order = append(l.order, s.System)
	}
	l.reset(systems)
	return l
}

// reset starts a new load: configured systems wait, the others are skipped.
func (l *loadingModel) reset(systems []SystemInfo) {
	l.err = nil
	for _, s := range systems {
		st := SystemWaiting
		if s.Endpoint == "" {
			st = SystemSkipped
		}
		l.events[s.System] = LoadEvent{System: s.System, State: st}
	}
}

func (l *loadingModel) SetSize(w, h int) { l.width, l.height = w, h }

func (l *loadingModel) event(ev LoadEvent) { l.events[ev.System] = ev }

func (l *loadingModel) failed() bool { return l.err != nil }

func (l *loadingModel) View(st *styles) string {
	var lines []string
	if l.err == nil {
		lines = append(lines, l.spin.View()+" "+st.Title.Render(txtLoadingTitle), "")
	} else {
		lines = append(lines, st.Error.Render(cut(fmt.Sprintf(txtLoadFailed, engine.MaskCPRs(l.err.Error())), l.width)), "")
	}
	for _, s := range l.order {
		ev := l.events[s]
		var state string
		switch ev.State {
		case SystemWaiting:
			state = st.Muted.Render("· " + txtWaiting)
		case SystemReading:
			state = l.spin.View() + " " + txtReading
		case SystemDone:
			state = st.OK.Render("✓ " + fmt.Sprintf(txtDoneObjects, ev.Objects))
		case SystemFailed:
			msg := "?"
			if ev.Err != nil {
				msg = engine.MaskCPRs(ev.Err.Error())
			}
			state = st.Error.Render("✗ " + fmt.Sprintf(txtFailed, msg))
		case SystemSkipped:
			state = st.Muted.Render("– " + txtSkipped)
		}
		lines = append(lines, wrapIndent(fmt.Sprintf("  %-4s ", render.SystemName(s)), state, l.width)...)
	}
	if l.err != nil {
		lines = append(lines, "", txtRetryHint)
	}
	return strings.Join(block(lines, l.width, l.height), "\n")
}
