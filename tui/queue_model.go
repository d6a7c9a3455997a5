package tui

import (
	"context"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"moxsync/engine"
)

// defaultQueueEvery is how often the review queue is polled.
const defaultQueueEvery = time.Second

// queueView is the review queue screen's state: the last polled queue and
// the cursor, kept on the same change across polls.
type queueView struct {
	state QueueState
	known bool  // a poll has answered
	err   error // the last poll's error, if it failed

	cursor, offset int
	detailOffset   int
	width, height  int
}

// exists reports whether there is a queue to show.
func (q *queueView) exists() bool { return q.known && q.state.Store != "" }

func (q *queueView) SetSize(w, h int) {
	q.width, q.height = w, h
	q.scroll()
}

// setState shows a new poll's queue; it returns how many of its changes
// were not in the previous one.
func (q *queueView) setState(s QueueState) (added int) {
	var selected string
	if it := q.selected(); it != nil {
		selected = it.Change.ID
	}
	old := map[string]bool{}
	for _, it := range q.state.Items {
		old[it.Change.ID] = true
	}
	for _, it := range s.Items {
		if !old[it.Change.ID] {
			added++
		}
	}
	q.state, q.known, q.err = s, true, nil
	for i, it := range s.Items {
		if it.Change.ID == selected {
			if i != q.cursor {
				q.detailOffset = 0
			}
			q.cursor = i
		}
	}
	q.cursor = min(q.cursor, max(0, len(s.Items)-1))
	q.scroll()
	return added
}

func (q *queueView) selected() *QueueItem {
	if q.cursor < 0 || q.cursor >= len(q.state.Items) {
		return nil
	}
	return &q.state.Items[q.cursor]
}

func (q *queueView) move(d int) {
	if len(q.state.Items) == 0 {
		return
	}
	n := min(max(q.cursor+d, 0), len(q.state.Items)-1)
	if n != q.cursor {
		q.cursor = n
		q.detailOffset = 0
	}
	q.scroll()
}

func (q *queueView) sideBySide() bool { return q.width >= 110 }

// listHeight is the number of queue rows shown.
func (q *queueView) listHeight() int {
	if q.sideBySide() {
		return max(1, q.height-1)
	}
	return max(3, (q.height-2)*2/5)
}

func (q *queueView) scroll() {
	h := q.listHeight()
	if q.cursor < q.offset {
		q.offset = q.cursor
	}
	if q.cursor >= q.offset+h {
		q.offset = q.cursor - h + 1
	}
	q.offset = max(0, min(q.offset, len(q.state.Items)-h))
}

// counts is the number of items per status.
func (q *queueView) counts() map[QueueStatus]int {
	out := map[QueueStatus]int{}
	for _, it := range q.state.Items {
		out[it.Status]++
	}
	return out
}

// setStatus shows a decision at once, before the next poll confirms it.
func (q *queueView) setStatus(id string, st QueueStatus, by string, at time.Time) {
	for i := range q.state.Items {
		if it := &q.state.Items[i]; it.Change.ID == id {
			it.Status, it.DecidedBy, it.DecidedAt = st, by, at
		}
	}
}

// pollQueue polls the queue; rearm arms the next tick when it answers.
func (m *Model) pollQueue(rearm bool) tea.Cmd {
	if m.qb == nil {
		return nil
	}
	m.queueSeq++
	seq, ctx, qb := m.queueSeq, m.ctx, m.qb
	return func() tea.Msg {
		s, err := qb.Queue(ctx)
		return queueMsg{seq: seq, state: s, err: err, rearm: rearm}
	}
}

// queueTick waits for the next poll; none when polling is off (tests).
func (m *Model) queueTick() tea.Cmd {
	if m.qb == nil || m.queueEvery <= 0 {
		return nil
	}
	return tea.Tick(m.queueEvery, func(time.Time) tea.Msg { return queueTickMsg{} })
}

// queueLoaded shows a poll's queue.
func (m *Model) queueLoaded(msg queueMsg) tea.Cmd {
	var next tea.Cmd
	if msg.rearm {
		next = m.queueTick()
	}
	if msg.seq < m.queueSeen {
		return next // an older poll answered late
	}
	m.queueSeen = msg.seq
	if msg.err != nil {
		if m.queue.err == nil {
			m.log.Error("tui: reading the review queue failed", "err", engine.MaskCPRs(msg.err.Error()))
		}
		m.queue.err = msg.err
		return next
	}
	first := !m.queue.known
	added := m.queue.setState(msg.state)
	if !m.queue.exists() {
		if m.screen == screenQueue {
			m.screen = screenPlan
		}
		return next
	}
	switch {
	case first:
		m.log.Info("tui: review queue found", "store", msg.state.Store, "items", len(msg.state.Items))
		// With a queue, the queue is what the operator reviews first.
		if !m.touched && m.screen == screenPlan && m.loadGen == 1 {
			m.screen = screenQueue
		}
	case added > 0:
		m.log.Info("tui: new changes in the review queue", "new", added)
		if m.screen == screenPlan && m.dialog == dialogNone && m.flash == "" {
			m.setFlash(sprintf(txtQueueNewItems, added), false)
		}
	}
	return next
}

// queueKey handles a key on the queue screen.
func (m *Model) queueKey(msg tea.KeyMsg) tea.Cmd {
	q := &m.queue
	k := m.keys
	switch {
	case key.Matches(msg, k.Up):
		q.move(-1)
	case key.Matches(msg, k.Down):
		q.move(1)
	case key.Matches(msg, k.Top):
		q.move(-len(q.state.Items))
	case key.Matches(msg, k.Bottom):
		q.move(len(q.state.Items))
	case key.Matches(msg, k.PageDown):
		q.detailOffset = min(q.detailOffset+max(1, q.height/3), m.queueMaxDetailOffset())
	case key.Matches(msg, k.PageUp):
		q.detailOffset = max(0, q.detailOffset-max(1, q.height/3))
	case key.Matches(msg, k.Approve):
		return m.decideQueued(true)
	case key.Matches(msg, k.Reject):
		return m.decideQueued(false)
	case key.Matches(msg, k.Apply):
		return m.openQueueApply()
	case key.Matches(msg, k.Queue), key.Matches(msg, k.ClearFilters):
		m.flash = ""
		if m.view.plan != nil {
			m.screen = screenPlan
		} else {
			m.screen = screenLoading
		}
	case key.Matches(msg, k.Help):
		m.help.ShowAll = !m.help.ShowAll
	case key.Matches(msg, k.Quit):
		return m.askQuit()
	}
	return nil
}

// showQueue opens the queue screen.
func (m *Model) showQueue() {
	if !m.queue.exists() {
		m.setFlash(txtQueueNone, false)
		return
	}
	m.flash = ""
	m.screen = screenQueue
}

// decideQueued approves or rejects the selected queued change.
func (m *Model) decideQueued(approve bool) tea.Cmd {
	it := m.queue.selected()
	if it == nil {
		m.setFlash(txtNothingShown, false)
		return nil
	}
	if m.backend.ReadOnly() {
		m.setFlash(txtQueueReadOnly, true)
		return nil
	}
	subj := engine.MaskCPRs(it.Change.Subject)
	switch {
	case it.Status == QueueApplying:
		m.setFlash(sprintf(txtQueueIsApplying, subj, it.ClaimedBy), false)
		return nil
	case approve && it.Status == QueueApproved:
		m.setFlash(sprintf(txtQueueAlreadyAppr, subj), false)
		return nil
	case !approve && it.Status == QueueRejected:
		m.setFlash(sprintf(txtQueueAlreadyRej, subj), false)
		return nil
	}
	st := QueueRejected
	if approve {
		st = QueueApproved
	}
	id := it.Change.ID
	m.queue.setStatus(id, st, "", m.now())
	m.log.Info("tui: queue decision", "change", id, "approve", approve)
	ctx, qb := m.ctx, m.qb
	return func() tea.Msg {
		return queueDecidedMsg{id: id, subject: subj, approve: approve, err: qb.Decide(ctx, id, approve)}
	}
}

// queueDecided reports a recorded decision and polls the queue at once.
func (m *Model) queueDecided(msg queueDecidedMsg) tea.Cmd {
	switch {
	case msg.err != nil:
		m.log.Error("tui: queue decision failed", "change", msg.id, "err", engine.MaskCPRs(msg.err.Error()))
		m.setFlash(sprintf(txtQueueDecideFailed, msg.subject, engine.MaskCPRs(msg.err.Error())), true)
	case !msg.approve:
		m.setFlash(sprintf(txtQueueRejected, msg.subject), false)
	case m.queue.state.Watch.Running:
		m.setFlash(sprintf(txtQueueApproved, msg.subject), false)
	default:
		m.setFlash(sprintf(txtQueueApprovedNoRun, msg.subject), false)
	}
	return m.pollQueue(false)
}

// openQueueApply opens the apply dialog for the approved queued changes.
func (m *Model) openQueueApply() tea.Cmd {
	if m.backend.ReadOnly() {
		m.setFlash(txtReadOnlyApply, true)
		return nil
	}
	counts := m.queue.counts()
	var approved []*engine.Change
	for i := range m.queue.state.Items {
		if it := &m.queue.state.Items[i]; it.Status == QueueApproved {
			approved = append(approved, &it.Change)
		}
	}
	if len(approved) == 0 {
		m.setFlash(txtQueueNothingAppr, false)
		return nil
	}
	return m.openConfirm(confirmModel{queue: true, rejected: counts[QueueRejected], pending: counts[QueuePending]}, approved)
}

// queueApplyCmd starts an ApplyQueued of generation gen.
func queueApplyCmd(ctx context.Context, qb QueueBackend, req ApplyRequest, gen int) tea.Cmd {
	return func() tea.Msg {
		ch := make(chan tea.Msg, 16)
		go func() {
			sum, err := qb.ApplyQueued(ctx, req, func(r engine.Result) {
				ch <- applyResultMsg{gen: gen, res: r, ch: ch}
			})
			ch <- applyDoneMsg{gen: gen, sum: sum, err: err}
		}()
		return <-ch
	}
}
