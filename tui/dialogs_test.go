package tui_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"moxsync/engine"
	"moxsync/tui"
	"moxsync/tui/tuitest"
)

func TestPreviewKeys(t *testing.T) {
	tests := []struct {
		name  string
		keys  []string
		text  string // typed after keys
		check func(t *testing.T, s tui.State)
	}{
		{"opens on the selected create with its decision", []string{"u"}, "", func(t *testing.T, s tui.State) {
			wantStr(t, "username", s.PreviewName, samName(s.Plan, s.Selected))
		}},
		{"typing gives a live result", []string{"u", "ctrl+u"}, "Bo", func(t *testing.T, s tui.State) {
			wantStr(t, "given", s.PreviewGiven, "Bo")
			if s.PreviewName == "" || s.PreviewName == samName(s.Plan, s.Selected) {
				t.Errorf("preview %q did not follow the typed name", s.PreviewName)
			}
		}},
		{"tab moves to the surname", []string{"u", "tab"}, "", func(t *testing.T, s tui.State) { wantInt(t, "focus", s.PreviewFocus, 1) }},
		{"enter moves too, and back", []string{"u", "enter", "enter"}, "", func(t *testing.T, s tui.State) { wantInt(t, "focus", s.PreviewFocus, 0) }},
		{"esc closes", []string{"u", "esc"}, "", func(t *testing.T, s tui.State) { wantStr(t, "dialog", s.Dialog, "") }},
		{"q is typed, not quit", []string{"u"}, "q", func(t *testing.T, s tui.State) {
			if s.Quitting {
				t.Error("quit from the preview")
			}
			wantStr(t, "given", s.PreviewGiven, "Anna Mariaq")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, _ := loaded(t, tuitest.Full, 120, 40)
			press(m, tt.keys...)
			typeText(m, tt.text)
			if tt.check != nil {
				tt.check(t, m.State())
			}
		})
	}
}

func TestPreviewLive(t *testing.T) {
	m, _ := loaded(t, tuitest.Full, 120, 40)
	press(m, "j", "u") // an update of Jens Hansen: filled in, live result
	s := m.State()
	wantStr(t, "given", s.PreviewGiven, "Jens")
	first := s.PreviewName
	if first == "" {
		t.Fatal("no live result for Jens Hansen")
	}
	// Jens Hansen's own account is in AD, so the live result is another name.
	if first == takenName(t) {
		t.Errorf("preview gave the taken name %q", first)
	}
	press(m, "tab")
	for range len("Hansen") {
		press(m, "backspace")
	}
	typeText(m, "Kristoffersen")
	if got := m.State().PreviewName; got == first || got == "" {
		t.Errorf("result %q did not follow the surname", got)
	}
	if !strings.Contains(m.View(), "Patterns tried:") {
		t.Error("no trace shown")
	}
}

func samName(p *engine.Plan, id string) string {
	for _, c := range p.Changes {
		if c.ID == id {
			for _, f := range c.Fields {
				if f.Attr == "sAMAccountName" {
					return f.After
				}
			}
		}
	}
	return ""
}

func TestEditKeys(t *testing.T) {
	tests := []struct {
		name    string
		text    string
		keys    []string
		dialog  string
		errWant string
		set     bool
	}{
		{"enter saves a valid name", "amj9", []string{"enter"}, "", "", true},
		{"a space is refused", "a b", []string{"enter"}, "edit", "spaces", false},
		{"a bad character is refused", "a@b", []string{"enter"}, "edit", "not allowed", false},
		{"over 20 characters is refused", "abcdefghijklmnopqrstu", []string{"enter"}, "edit", "at most 20", false},
		{"a name taken in AD is refused", "<taken>", []string{"enter"}, "edit", "taken", false},
		{"esc cancels", "zzz", []string{"esc"}, "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, _ := loaded(t, tuitest.Full, 120, 40)
			text := tt.text
			if text == "<taken>" {
				text = takenName(t)
			}
			press(m, "space", "e")
			before := m.State()
			clearAndType(m, text)
			press(m, tt.keys...)
			s := m.State()
			wantStr(t, "dialog", s.Dialog, tt.dialog)
			if tt.errWant != "" && !strings.Contains(s.EditErr, tt.errWant) {
				t.Errorf("error %q, want it to say %q", s.EditErr, tt.errWant)
			}
			got := samName(s.Plan, s.Selected)
			if tt.set {
				wantStr(t, "username", got, text)
				if s.Selected == before.Selected {
					t.Error("the change kept its id after a new username")
				}
				wantStr(t, "approval follows the new id", s.Marks[s.Selected], "approved")
				wantStr(t, "override", s.Overrides[tuitest.PersonAnna], text)
			} else if got == text {
				t.Errorf("username set to %q", got)
			}
		})
	}
}

// clearAndType replaces the focused field with text, spaces included.
func clearAndType(m *tui.Model, text string) {
	m.Update(tea.KeyMsg{Type: tea.KeyCtrlU}) // delete before the cursor (at the end)
	for _, r := range text {
		if r == ' ' {
			m.Update(tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}})
			continue
		}
		m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
}

// takenName is the sAMAccountName of Jens Hansen's existing account.
func takenName(t *testing.T) string {
	t.Helper()
	w, err := tuitest.New(context.Background(), tuitest.Full)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range w.Dir.All() {
		if strings.HasPrefix(a.CN, "Jens") {
			return a.SAMAccountName
		}
	}
	t.Fatal("no account of Jens")
	return ""
}

func TestConfirmKeys(t *testing.T) {
	tests := []struct {
		name   string
		delete bool
		typed  string
		keys   []string
		screen string
		dialog string
		errMsg string
	}{
		{"y applies", false, "", []string{"y"}, "apply", "", ""},
		{"enter applies", false, "", []string{"enter"}, "apply", "", ""},
		{"n goes back", false, "", []string{"n"}, "plan", "", ""},
		{"esc goes back", false, "", []string{"esc"}, "plan", "", ""},
		{"a delete needs the number: wrong", true, "2", []string{"enter"}, "plan", "apply", "Type exactly 1"},
		{"a delete needs the number: y is not enough", true, "y", []string{"enter"}, "plan", "apply", "Type exactly 1"},
		{"a delete needs the number: right", true, "1", []string{"enter"}, "apply", "", ""},
		{"esc leaves the typed dialog", true, "1", []string{"esc"}, "plan", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, _ := loaded(t, tuitest.Full, 120, 40)
			if tt.delete {
				selectChange(t, m, "sts", "delete")
			} else {
				selectChange(t, m, "ad", "update")
			}
			press(m, "space", "a")
			typeText(m, tt.typed)
			cmd := press(m, tt.keys...)
			s := m.State()
			wantStr(t, "screen", s.Screen, tt.screen)
			wantStr(t, "dialog", s.Dialog, tt.dialog)
			if tt.errMsg != "" && !strings.Contains(s.ConfirmErr, tt.errMsg) {
				t.Errorf("error %q, want %q", s.ConfirmErr, tt.errMsg)
			}
			if tt.screen == "apply" {
				if cmd == nil {
					t.Fatal("no apply command")
				}
				m.Drain(cmd)
				s = m.State()
				if !s.ApplyDone || len(s.ApplyResults) != 1 || s.ApplyResults[0].Status != engine.ResultOK {
					t.Errorf("apply: done %v, results %+v", s.ApplyDone, s.ApplyResults)
				}
			}
		})
	}
}

func TestReadOnlyRefusesApply(t *testing.T) {
	world, err := tuitest.New(context.Background(), tuitest.Full)
	if err != nil {
		t.Fatal(err)
	}
	world.ReadOnlyMode = true
	m := tui.NewForTest(world, now, 120, 40)
	m.Drain(m.Init())
	press(m, "space", "a")
	s := m.State()
	wantStr(t, "dialog", s.Dialog, "")
	wantContains(t, "flash", s.Flash, "Read-only")
	if !strings.Contains(m.View(), "READ-ONLY") {
		t.Error("no READ-ONLY banner")
	}
}

func TestLoadingKeys(t *testing.T) {
	world, err := tuitest.New(context.Background(), tuitest.Full)
	if err != nil {
		t.Fatal(err)
	}
	world.FailNext(engine.SystemAD, errors.New("ldaps://dc01: connection refused"))
	m := tui.NewForTest(world, now, 80, 24)
	m.Drain(m.Init())
	s := m.State()
	wantStr(t, "screen", s.Screen, "loading")
	if !s.LoadFailed {
		t.Fatal("load did not fail")
	}
	if v := m.View(); !strings.Contains(v, "connection refused") || !strings.Contains(v, "r to try again") {
		t.Errorf("the failure is not shown:\n%s", v)
	}
	press(m, "j", "space", "a") // nothing happens on the loading screen
	if s := m.State(); s.Screen != "loading" || s.Dialog != "" || len(s.Marks) > 0 {
		t.Errorf("a key acted on the loading screen: %+v", s)
	}
	cmd := press(m, "r")
	wantInt(t, "generation", m.State().LoadGen, s.LoadGen+1)
	m.Drain(cmd)
	wantStr(t, "screen after retry", m.State().Screen, "plan")

	// q on a failed load quits.
	world.FailNext(engine.SystemMO, errors.New("boom"))
	m.Drain(press(m, "r"))
	if !isQuit(press(m, "q")) {
		t.Error("q did not quit the failed loading screen")
	}
}

func TestStaleResultsDropped(t *testing.T) {
	m, _ := loaded(t, tuitest.Full, 120, 40)
	first := press(m, "r") // generation 2
	second := m.Init()     // generation 3: the first is stale
	m.Drain(first)
	if s := m.State(); s.Screen != "loading" {
		t.Errorf("a stale load ended the refresh: screen %q", s.Screen)
	}
	m.Drain(second)
	wantStr(t, "screen", m.State().Screen, "plan")
}

func TestRefreshKeepsApprovals(t *testing.T) {
	m, _ := loaded(t, tuitest.Full, 120, 40)
	press(m, "space", "j", "x")
	before := m.State().Marks
	m.Drain(press(m, "r"))
	s := m.State()
	wantStr(t, "screen", s.Screen, "plan")
	for id, mk := range before {
		wantStr(t, "mark of "+id, s.Marks[id], mk)
	}
	wantContains(t, "flash", s.Flash, "2 approval(s) kept")
}

func TestApplyScreenKeys(t *testing.T) {
	m, _ := loaded(t, tuitest.Full, 120, 40)
	press(m, "A", "a")
	typeText(m, "2")
	m.Drain(press(m, "enter"))
	s := m.State()
	if !s.ApplyDone || len(s.ApplyResults) != 6 {
		t.Fatalf("apply done %v with %d results", s.ApplyDone, len(s.ApplyResults))
	}
	press(m, "k", "up", "j", "down")
	wantStr(t, "screen", m.State().Screen, "apply")
	press(m, "enter")
	s = m.State()
	wantStr(t, "screen", s.Screen, "plan")
	wantInt(t, "changes left", len(s.Plan.Changes), 0)
	if !isQuit(press(m, "q")) {
		t.Error("q did not quit with nothing approved")
	}
}

func TestTooSmall(t *testing.T) {
	m, _ := loaded(t, tuitest.Full, 120, 40)
	m.Update(tea.WindowSizeMsg{Width: 79, Height: 30})
	if v := m.View(); !strings.Contains(v, "need 80×24") {
		t.Errorf("no too-small message:\n%s", v)
	}
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	v := m.View()
	if strings.Contains(v, "need 80") {
		t.Error("too small at 80×24")
	}
	lines := strings.Split(v, "\n")
	wantInt(t, "lines", len(lines), 24)
	for i, l := range lines {
		if w := len([]rune(l)); w > 80 {
			t.Errorf("line %d is %d wide: %q", i, w, l)
		}
	}
}
