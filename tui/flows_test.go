package tui_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"moxsync/engine"
	"moxsync/tui"
	"moxsync/tui/tuitest"
)

// startFlow runs the TUI over a new world in a teatest program.
func startFlow(t *testing.T, sc tuitest.Scenario) (*teatest.TestModel, *tuitest.World) {
	t.Helper()
	world, err := tuitest.New(context.Background(), sc)
	if err != nil {
		t.Fatal(err)
	}
	m := tui.New(context.Background(), world, tui.Options{Now: func() time.Time { return now }})
	m.NoTicks()
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(120, 40))
	t.Cleanup(func() { tm.Quit() })
	return tm, world
}

// waitFor waits until the screen shows every one of texts.
func waitFor(t *testing.T, tm *teatest.TestModel, texts ...string) {
	t.Helper()
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		for _, s := range texts {
			if !bytes.Contains(b, []byte(s)) {
				return false
			}
		}
		return true
	}, teatest.WithDuration(20*time.Second), teatest.WithCheckInterval(10*time.Millisecond)) // an upper bound for a loaded CI machine
}

func send(tm *teatest.TestModel, keys ...string) {
	for _, k := range keys {
		tm.Send(keyMsg(k))
	}
}

func finalState(t *testing.T, tm *teatest.TestModel) tui.State {
	t.Helper()
	return tm.FinalModel(t, teatest.WithFinalTimeout(20*time.Second)).(*tui.Model).State()
}

// TestFlowApproveTwoAndApply: approve the two changes, apply them (one is
// a delete, so its number is typed in), see the results and the
// refreshed, empty plan.
func TestFlowApproveTwoAndApply(t *testing.T) {
	tm, world := startFlow(t, tuitest.TwoChanges)
	waitFor(t, tm, "Jens Hansen", "Gammel enhed")
	send(tm, "space", "j", "space", "a")
	waitFor(t, tm, "Apply 2 approved change(s)?", "Type 1 and press enter")
	tm.Type("1")
	send(tm, "enter")
	waitFor(t, tm, "Apply: 2 ok.", "Refreshed: No changes. MO, AD and STS are in step.")
	send(tm, "enter")
	waitFor(t, tm, "? all keys") // back on the main screen
	send(tm, "q")
	s := finalState(t, tm)
	if !s.Quitting || len(s.Plan.Changes) != 0 {
		t.Errorf("quitting %v with %d changes left", s.Quitting, len(s.Plan.Changes))
	}
	for _, a := range world.Dir.All() {
		if strings.HasPrefix(a.CN, "Jens") && a.Attr("title") != "Sagsbehandler" {
			t.Errorf("Jens Hansen's title in AD is %q", a.Attr("title"))
		}
	}
	if _, ok := world.STS.Record().Units[tuitest.UnitOld]; ok {
		t.Error("Gammel enhed is still in STS")
	}
}

// TestFlowEditUsername: give Anna Maria Jensen another username, approve
// the create and apply it: AD gets the edited name.
func TestFlowEditUsername(t *testing.T) {
	tm, world := startFlow(t, tuitest.Full)
	waitFor(t, tm, "username amjen")
	send(tm, "e")
	waitFor(t, tm, "New username for Anna Maria Jensen")
	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlU})
	tm.Type("anna@")
	send(tm, "enter")
	waitFor(t, tm, "not allowed")
	send(tm, "backspace")
	tm.Type(".jensen")
	send(tm, "enter")
	waitFor(t, tm, `Username of Anna Maria Jensen set to "anna.jensen"`, `"anna.jensen@kommune.dk"`)
	send(tm, "space", "a")
	waitFor(t, tm, "Apply 1 approved change(s)?")
	send(tm, "y")
	waitFor(t, tm, "Apply: 1 ok.", "Refreshed: Plan:")
	send(tm, "enter", "q")
	s := finalState(t, tm)
	found := false
	for _, a := range world.Dir.All() {
		if a.SAMAccountName == "anna.jensen" && strings.HasPrefix(a.CN, "Anna Maria") {
			found = true
		}
	}
	if !found {
		t.Error("AD has no account anna.jensen")
	}
	for _, c := range s.Plan.Changes {
		if c.System == engine.SystemAD && c.Op == engine.OpCreate {
			t.Errorf("the refreshed plan still creates %s", c.Subject)
		}
	}
}

// TestFlowRejectDelete: reject the delete of "Gammel enhed", approve
// everything else and apply: the delete stays, still rejected, in the
// refreshed plan.
func TestFlowRejectDelete(t *testing.T) {
	tm, world := startFlow(t, tuitest.Full)
	waitFor(t, tm, "Gammel enhed")
	send(tm, "/")
	tm.Type("gammel enhed")
	send(tm, "enter", "x")
	waitFor(t, tm, "Rejected (will not be applied): Gammel enhed")
	send(tm, "/", "esc", "A", "a")
	waitFor(t, tm, "Apply 5 approved change(s)?", "1 rejected and 0 not reviewed", "Type 1 and press enter")
	tm.Type("1")
	send(tm, "enter")
	waitFor(t, tm, "Apply: 5 ok.", "Refreshed: Plan: 1 to delete (STS).")
	send(tm, "enter")
	waitFor(t, tm, "? all keys")
	send(tm, "q")
	s := finalState(t, tm)
	if len(s.Plan.Changes) != 1 || s.Plan.Changes[0].Subject != "Gammel enhed" || s.Marks[s.Plan.Changes[0].ID] != "rejected" {
		t.Errorf("refreshed plan %+v, marks %v", s.Plan.Changes, s.Marks)
	}
	if _, ok := world.STS.Record().Units[tuitest.UnitOld]; !ok {
		t.Error("the rejected delete was applied")
	}
}

// TestFlowUsernameTakenBeforeApply: Anna Maria Jensen's planned username
// is taken in AD after the plan was made. The approved create is not made
// under another name behind the operator's back: it is stale, the apply
// screen says which name the refreshed plan proposes, and that create
// waits for approval.
func TestFlowUsernameTakenBeforeApply(t *testing.T) {
	tm, world := startFlow(t, tuitest.Full)
	waitFor(t, tm, "username amjen")
	world.Dir.ReserveName("amjen")
	send(tm, "space", "a")
	waitFor(t, tm, "Apply 1 approved change(s)?")
	send(tm, "y")
	waitFor(t, tm, "Apply: 1 stale.", "the username amjen was taken in AD since the plan was made", "The refreshed plan proposes ajens")
	send(tm, "enter", "q")
	s := finalState(t, tm)
	for _, a := range world.Dir.All() {
		if strings.HasPrefix(a.CN, "Anna Maria") {
			t.Errorf("an account %s was created without consent", a.SAMAccountName)
		}
	}
	found := false
	for _, c := range s.Plan.Changes {
		if c.System == engine.SystemAD && c.Op == engine.OpCreate && c.Username != nil && c.Username.Username == "ajens" {
			found = true
			if m := s.Marks[c.ID]; m != "" && m != "pending" {
				t.Errorf("the new create is %q, want pending", s.Marks[c.ID])
			}
		}
	}
	if !found {
		t.Error("the refreshed plan does not propose ajens")
	}
}
