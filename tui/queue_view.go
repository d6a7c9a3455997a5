package tui

import (
	"fmt"
	"strings"
	"time"

	"moxsync/engine"
	"moxsync/render"
)

// queueBody renders the queue screen: the queued changes and the detail
// of the selected one, side by side when wide, stacked otherwise.
func (m *Model) queueBody() string {
	q, st := &m.queue, &m.st
	if q.sideBySide() {
		lw := q.width * 9 / 20
		dw := q.width - lw - 1
		list := append([]string{rule(txtQueueRule, lw)}, m.queueListLines(lw, q.height-1)...)
		detail := append([]string{rule(txtQueueDetailRule, dw)}, m.queueDetailLines(dw, q.height-1)...)
		out := make([]string, q.height)
		for i := range out {
			out[i] = fit(list[i], lw) + st.Rule.Render("│") + fit(detail[i], dw)
		}
		return strings.Join(out, "\n")
	}
	lh := q.listHeight()
	dh := q.height - lh - 2
	out := []string{rule(txtQueueRule, q.width)}
	out = append(out, m.queueListLines(q.width, lh)...)
	out = append(out, rule(txtQueueDetailRule, q.width))
	out = append(out, m.queueDetailLines(q.width, dh)...)
	return strings.Join(block(out, q.width, q.height), "\n")
}

// queueListLines renders h rows of the queue.
func (m *Model) queueListLines(w, h int) []string {
	q := &m.queue
	if len(q.state.Items) == 0 {
		return block(wrap(txtQueueEmpty, w), w, h)
	}
	subjW := max(12, min(28, w/3))
	var lines []string
	for i := q.offset; i < len(q.state.Items) && len(lines) < h; i++ {
		row := m.queueRow(&q.state.Items[i], w, subjW)
		if i == q.cursor {
			row = m.st.Selected.Render(fit("›"+row[1:], w))
		}
		lines = append(lines, row)
	}
	return block(lines, w, h)
}

// queueRow is one queued change: as a row of the plan, with the time it
// has waited at the right.
func (m *Model) queueRow(it *QueueItem, w, subjW int) string {
	c := &it.Change
	left := fmt.Sprintf(" %s %s %-8s%-4s%s %s", queueMark(it.Status), render.Symbol(c.Op), render.Word(c.Op), render.SystemName(c.System),
		fit(engine.MaskCPRs(c.Subject), subjW), engine.MaskCPRs(shortSummary(c)))
	return leftRight(left, fit(ago(m.now().Sub(it.QueuedAt)), 10), w)
}

// queueMark is the decision mark of a status; applying has its own.
func queueMark(s QueueStatus) string {
	switch s {
	case QueueApproved:
		return txtMarkApproved
	case QueueRejected:
		return txtMarkRejected
	case QueueApplying:
		return txtQueueMarkApplying
	}
	return txtMarkPending
}

// queueDetailLines renders h lines of the selected change's detail.
func (m *Model) queueDetailLines(w, h int) []string {
	var lines []string
	if it := m.queue.selected(); it != nil {
		lines = m.queueItemLines(&m.st, it, w)
	}
	if off := m.queue.detailOffset; off > 0 && off < len(lines) {
		lines = lines[off:]
	}
	if len(lines) > h && h > 1 {
		more := len(lines) - (h - 1)
		lines = append(lines[:h-1:h-1], m.st.Muted.Render(fmt.Sprintf(txtScrollMore, more)))
	}
	return block(lines, w, h)
}

func (m *Model) queueMaxDetailOffset() int {
	it := m.queue.selected()
	if it == nil {
		return 0
	}
	w := m.queue.width
	if m.queue.sideBySide() {
		w = w - w*9/20 - 1
	}
	return max(0, len(m.queueItemLines(&styles{}, it, w))-1)
}

// queueItemLines is the whole detail of a queued change: where it stands,
// why it waits, since when, the event that produced it, then the change
// as the plan shows it.
func (m *Model) queueItemLines(st *styles, it *QueueItem, w int) []string {
	c := &it.Change
	head := fmt.Sprintf("%s %s %s  %s", render.Symbol(c.Op), render.Word(c.Op), render.SystemName(c.System), engine.MaskCPRs(c.Subject))
	lines := []string{st.Label.Render(opStyle(st, c.Op)(head))}
	by := it.DecidedBy
	if by == "" {
		by = "you"
	}
	var status []string
	switch it.Status {
	case QueueApproved:
		text := sprintf(txtQueueApprovedOff, by)
		if m.queue.state.Watch.Running {
			text = sprintf(txtQueueApprovedRun, by)
		}
		status = wrapIndent(st.Approved.Render(txtMarkApproved)+" ", text, w)
	case QueueRejected:
		status = wrapIndent(st.Rejected.Render(txtMarkRejected)+" ", sprintf(txtQueueRejectedBy, by), w)
	case QueueApplying:
		status = wrapIndent(st.Accent.Render(txtQueueMarkApplying)+" ", sprintf(txtQueueApplyingBy, it.ClaimedBy), w)
	default:
		status = wrapIndent(st.Muted.Render(txtMarkPending)+" ", txtQueuePending, w)
	}
	lines = append(lines, status...)
	label := func(s string) string { return st.Muted.Render(fit(s, 8)) + "  " }
	lines = append(lines, wrapIndent(label(txtQueueWhy), it.Rule, w)...)
	since := sprintf(txtQueueSinceAt, it.QueuedAt.Local().Format("2006-01-02 15:04:05"), ago(m.now().Sub(it.QueuedAt)))
	lines = append(lines, label(txtQueueSince)+since)
	lines = append(lines, wrapIndent(label(txtQueueEvent), engine.MaskCPRs(it.Event), w)...)
	if it.Result != "" {
		lines = append(lines, wrapIndent(label(txtQueueLastTry), engine.MaskCPRs(it.Result), w)...)
	}
	lines = append(lines, "")
	if t := targetOf(c); t != "" {
		lines = append(lines, wrapIndent(st.Muted.Render(txtTarget)+"  ", engine.MaskCPRs(t), w)...)
	}
	lines = append(lines, st.Muted.Render(txtID)+"      "+c.ID)
	return append(lines, changeFieldLines(st, c, w)...)
}

// ago is how long ago something happened, as a person says it.
func ago(d time.Duration) string {
	switch {
	case d < time.Minute:
		return txtAgoNow
	case d < time.Hour:
		return sprintf(txtAgoMin, int(d.Minutes()))
	case d < 48*time.Hour:
		return sprintf(txtAgoHours, int(d.Hours()))
	}
	return sprintf(txtAgoDays, int(d.Hours()/24))
}

// watchLine is the header's line on the watch process and the queue:
// "watch: running (pid 4242 on host), last event 10:01:02 · queue: …".
func (m *Model) watchLine() string {
	q := &m.queue
	if q.err != nil && !q.known {
		return m.st.Error.Render(sprintf(txtWatchUnreadable, engine.MaskCPRs(q.err.Error())))
	}
	ws := q.state.Watch
	var b strings.Builder
	if q.err != nil {
		// The last queue read stays shown; the error comes first.
		b.WriteString(m.st.Error.Render(sprintf(txtWatchUnreadable, engine.MaskCPRs(q.err.Error()))) + m.st.Muted.Render(" │ "))
	}
	if ws.Running {
		host := ""
		if ws.Host != "" && m.width >= 120 {
			host = sprintf(txtWatchOnHost, ws.Host)
		}
		b.WriteString(m.st.OK.Render(sprintf(txtWatchRunning, ws.PID, host)))
		if ws.LastEvent.IsZero() {
			b.WriteString(txtWatchNoEvent)
		} else {
			b.WriteString(sprintf(txtWatchLastEvent, ws.LastEvent.Local().Format("15:04:05")))
		}
	} else {
		b.WriteString(m.st.Warn.Render(txtWatchNotRunning))
		if ws.Known && !ws.Beat.IsZero() && m.width >= 120 {
			b.WriteString(m.st.Muted.Render(sprintf(txtWatchLastSeen, ws.Beat.Local().Format("2006-01-02 15:04:05"))))
		}
	}
	n := q.counts()
	b.WriteString(m.st.Muted.Render(" │ "))
	b.WriteString(sprintf(txtQueueCounts, n[QueuePending], n[QueueApproved], n[QueueRejected]))
	if n[QueueApplying] > 0 {
		b.WriteString(sprintf(txtQueueApplying, n[QueueApplying]))
	}
	switch m.screen {
	case screenQueue:
		b.WriteString(m.st.Muted.Render(txtQueueBackKey))
	case screenPlan:
		b.WriteString(m.st.Muted.Render(txtQueueShowKey))
	}
	return b.String()
}
