package tui_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest"

	"moxsync/engine"
	"moxsync/tui"
	"moxsync/tui/tuitest"
)

// TestFlowQueuedItemAppearsAndIsAppliedOnce: the TUI is open on an empty
// queue; the watch queues Anna Maria Jensen's account while it is open,
// and it appears without a restart. Approving it and applying it writes
// it once, through ApplyQueued.
func TestFlowQueuedItemAppearsAndIsAppliedOnce(t *testing.T) {
	q := newQueueWorld(t, tuitest.Full)
	m := tui.New(context.Background(), q, tui.Options{Now: func() time.Time { return now }, QueueEvery: 20 * time.Millisecond})
	m.NoTicks()
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(120, 40))
	t.Cleanup(func() { tm.Quit() })
	waitFor(t, tm, "review the queue", "The queue is empty", "watch: running (pid 4242 on sync01), last event 10:01:45")

	create := q.change(t, engine.SystemAD, engine.OpCreate)
	q.add(create, tui.QueuePending, ruleCreate, eventHired, now.Add(-3*time.Minute))
	waitFor(t, tm, "Anna Maria Jensen", "creates wait for approval", "3 min ago", "queue: 1 waiting")

	send(tm, "space")
	waitFor(t, tm, "Approved in the queue: Anna Maria Jensen")
	send(tm, "a")
	waitFor(t, tm, "Apply 1 approved change(s)?", "each is applied once")
	release := q.holdLoads() // the refresh after the apply is slow to come
	send(tm, "y")
	waitFor(t, tm, "Apply: 1 ok.", "back to the queue")
	send(tm, "enter") // before the refreshed plan is here: kept, not lost
	release()
	waitFor(t, tm, "The queue is empty")
	send(tm, "a") // nothing is approved any more: nothing is applied again
	waitFor(t, tm, "Nothing in the queue is approved")
	send(tm, "q")
	s := finalState(t, tm)

	decisions, applies, applied := q.record()
	if want := []string{"approve " + create.ID}; !slices.Equal(decisions, want) {
		t.Errorf("decisions %v, want %v", decisions, want)
	}
	if len(applies) != 1 || !slices.Equal(applies[0], []string{create.ID}) {
		t.Errorf("ApplyQueued calls %v, want one with %s", applies, create.ID)
	}
	if !slices.Equal(applied, []string{create.ID}) {
		t.Errorf("applied %v", applied)
	}
	n := 0
	for _, a := range q.Dir.All() {
		if a.SAMAccountName == "amjen" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d accounts amjen in AD, want 1", n)
	}
	if s.Screen != "queue" && !s.Quitting {
		t.Errorf("screen %q", s.Screen)
	}
}

// queueModel is a 120×40 model over a queue with three items: a pending
// create, an approved update, a rejected delete.
func queueModel(t *testing.T, w, h int) (*tui.Model, *queueWorld) {
	t.Helper()
	q := newQueueWorld(t, tuitest.Full)
	q.add(q.change(t, engine.SystemAD, engine.OpCreate), tui.QueuePending, ruleCreate, eventHired, now.Add(-3*time.Minute))
	q.add(q.change(t, engine.SystemAD, engine.OpUpdate), tui.QueueApproved, "updates of AD-owned attributes wait (AD_MAPPING)", eventAD, now.Add(-2*time.Hour))
	q.add(q.change(t, engine.SystemSTS, engine.OpDelete), tui.QueueRejected, ruleDelete, "reconciliation", now.Add(-26*time.Hour))
	m := tui.NewForTest(q, now, w, h)
	m.Drain(m.Init())
	return m, q
}

func TestQueueOpensFirstWhenAQueueExists(t *testing.T) {
	m, _ := queueModel(t, 120, 40)
	s := m.State()
	if s.Screen != "queue" || s.Queue == nil || len(s.Queue.Items) != 3 {
		t.Fatalf("screen %q, queue %+v", s.Screen, s.Queue)
	}
	press(m, "Q")
	wantStr(t, "screen after Q", m.State().Screen, "plan")
	press(m, "Q")
	wantStr(t, "screen after Q Q", m.State().Screen, "queue")
	press(m, "esc")
	wantStr(t, "screen after esc", m.State().Screen, "plan")
}

// Without a queue (no store), Q says so and the header has no watch line.
func TestQueueAbsent(t *testing.T) {
	q := newQueueWorld(t, tuitest.Full)
	q.state = tui.QueueState{}
	m := tui.NewForTest(q, now, 120, 40)
	m.Drain(m.Init())
	press(m, "Q")
	s := m.State()
	wantStr(t, "screen", s.Screen, "plan")
	wantContains(t, "flash", s.Flash, "There is no review queue")
	if v := m.View(); strings.Contains(v, "watch:") {
		t.Errorf("the header speaks of watch without a queue:\n%s", v)
	}
}

func TestQueueKeys(t *testing.T) {
	tests := []struct {
		name     string
		keys     []string
		readOnly bool
		check    func(t *testing.T, s tui.State, q *queueWorld)
	}{
		{"space approves the pending create", []string{"space"}, false, func(t *testing.T, s tui.State, q *queueWorld) {
			d, _, _ := q.record()
			if len(d) != 1 || !strings.HasPrefix(d[0], "approve ") || s.Queue.Items[0].Status != tui.QueueApproved {
				t.Errorf("decisions %v, status %s", d, s.Queue.Items[0].Status)
			}
			wantContains(t, "flash", s.Flash, "The running watch applies it within seconds")
		}},
		{"x rejects it", []string{"x"}, false, func(t *testing.T, s tui.State, q *queueWorld) {
			d, _, _ := q.record()
			if len(d) != 1 || !strings.HasPrefix(d[0], "reject ") || s.Queue.Items[0].Status != tui.QueueRejected {
				t.Errorf("decisions %v, status %s", d, s.Queue.Items[0].Status)
			}
			wantContains(t, "flash", s.Flash, "stays rejected until it changes again")
		}},
		{"space on the approved one decides nothing", []string{"j", "space"}, false, func(t *testing.T, s tui.State, q *queueWorld) {
			if d, _, _ := q.record(); len(d) != 0 {
				t.Errorf("decisions %v", d)
			}
			wantContains(t, "flash", s.Flash, "approved already")
		}},
		{"space approves the rejected delete", []string{"G", "space"}, false, func(t *testing.T, s tui.State, q *queueWorld) {
			if d, _, _ := q.record(); len(d) != 1 || s.Queue.Items[2].Status != tui.QueueApproved {
				t.Errorf("decisions %v, status %s", d, s.Queue.Items[2].Status)
			}
		}},
		{"read-only decides nothing", []string{"space", "x"}, true, func(t *testing.T, s tui.State, q *queueWorld) {
			if d, _, _ := q.record(); len(d) != 0 {
				t.Errorf("decisions %v", d)
			}
			wantContains(t, "flash", s.Flash, "Read-only mode")
		}},
		{"a asks before applying the approved update", []string{"a"}, false, func(t *testing.T, s tui.State, q *queueWorld) {
			wantStr(t, "dialog", s.Dialog, "apply")
			if _, a, _ := q.record(); len(a) != 0 {
				t.Errorf("applied before the answer: %v", a)
			}
		}},
		{"a then n applies nothing", []string{"a", "n"}, false, func(t *testing.T, s tui.State, q *queueWorld) {
			wantStr(t, "dialog", s.Dialog, "")
			wantStr(t, "screen", s.Screen, "queue")
			if _, a, _ := q.record(); len(a) != 0 {
				t.Errorf("applied: %v", a)
			}
		}},
		{"the cursor stays on its change", []string{"j"}, false, func(t *testing.T, s tui.State, q *queueWorld) {
			wantStr(t, "selected", s.QueueSelected, s.Queue.Items[1].Change.ID)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, q := queueModel(t, 120, 40)
			q.ReadOnlyMode = tt.readOnly
			for _, k := range tt.keys {
				m.Drain(press(m, k))
			}
			tt.check(t, m.State(), q)
		})
	}
}

// Applying the approved update writes it once and takes it out of the
// queue; the approved delete that follows needs its number typed in.
func TestQueueApplyOnce(t *testing.T) {
	m, q := queueModel(t, 120, 40)
	update := m.State().Queue.Items[1].Change.ID
	press(m, "a")
	m.Drain(press(m, "y"))
	s := m.State()
	if s.Screen != "apply" || !s.ApplyDone || !s.ApplyQueue || len(s.ApplyResults) != 1 || s.ApplyResults[0].Status != engine.ResultOK {
		t.Fatalf("screen %q done %v results %+v", s.Screen, s.ApplyDone, s.ApplyResults)
	}
	press(m, "enter")
	s = m.State()
	wantStr(t, "screen", s.Screen, "queue")
	if len(s.Queue.Items) != 2 {
		t.Errorf("%d items after the apply, want 2", len(s.Queue.Items))
	}
	press(m, "a")
	wantContains(t, "flash", m.State().Flash, "Nothing in the queue is approved")
	if _, a, applied := q.record(); len(a) != 1 || !slices.Equal(applied, []string{update}) {
		t.Errorf("ApplyQueued calls %v, applied %v", a, applied)
	}

	// The rejected delete, approved: a destructive change wants its number.
	m.Drain(press(m, "G", "space"))
	press(m, "a")
	wantInt(t, "destructive", m.State().Destructive, 1)
	typeText(m, "1")
	m.Drain(press(m, "enter"))
	if s := m.State(); !s.ApplyDone || len(s.ApplyResults) != 1 || s.ApplyResults[0].Status != engine.ResultOK {
		t.Errorf("delete: done %v results %+v", s.ApplyDone, s.ApplyResults)
	}
}

// A new item arriving while the plan is shown is announced; a failed
// poll keeps the last queue and says so in the header.
func TestQueuePolls(t *testing.T) {
	m, q := queueModel(t, 120, 40)
	press(m, "Q")
	q.add(q.change(t, engine.SystemMO, engine.OpCreate), tui.QueuePending, "waits with change x (ad create Anna Maria Jensen)", eventHired, now)
	m.Drain(m.PollQueue())
	s := m.State()
	if len(s.Queue.Items) != 4 {
		t.Errorf("%d items, want 4", len(s.Queue.Items))
	}
	wantContains(t, "flash", s.Flash, "1 new change(s) in the review queue")
	q.failQueue = errors.New("database is locked")
	m.Drain(m.PollQueue())
	if s := m.State(); len(s.Queue.Items) != 4 {
		t.Errorf("%d items after a failed poll, want the last 4", len(s.Queue.Items))
	}
	wantContains(t, "header", m.View(), "the queue cannot be read: database is locked")
	m.Drain(m.PollQueue())
	if v := m.View(); strings.Contains(v, "cannot be read") {
		t.Errorf("the error stays after a good poll:\n%s", v)
	}
}

// TestQueueViews renders the queue at 80×24 and 120×40 and compares it
// with testdata/TestQueueViews/<name>_<size>.golden.
func TestQueueViews(t *testing.T) {
	screens := []struct {
		name  string
		setup func(t *testing.T, m *tui.Model, q *queueWorld)
	}{
		{"queue", func(t *testing.T, m *tui.Model, q *queueWorld) {}},
		{"queue_approved", func(t *testing.T, m *tui.Model, q *queueWorld) { press(m, "j") }},
		{"queue_rejected_watch_stopped", func(t *testing.T, m *tui.Model, q *queueWorld) {
			q.state.Watch.Running = false
			m.Drain(m.PollQueue())
			press(m, "G")
		}},
		{"queue_confirm", func(t *testing.T, m *tui.Model, q *queueWorld) { press(m, "a") }},
		{"plan_with_queue", func(t *testing.T, m *tui.Model, q *queueWorld) { press(m, "Q") }},
		{"queue_empty", func(t *testing.T, m *tui.Model, q *queueWorld) {
			q.state.Items = nil
			q.state.Watch.LastEvent = time.Time{}
			m.Drain(m.PollQueue())
		}},
	}
	for _, sc := range screens {
		for _, size := range [][2]int{{80, 24}, {120, 40}} {
			t.Run(fmt.Sprintf("%s_%dx%d", sc.name, size[0], size[1]), func(t *testing.T) {
				m, q := queueModel(t, size[0], size[1])
				sc.setup(t, m, q)
				golden.RequireEqual(t, m.View())
			})
		}
	}
}
