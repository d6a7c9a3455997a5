package tui_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"moxsync/tui"
	"moxsync/tui/tuitest"
)

func TestMain(m *testing.M) {
	lipgloss.SetColorProfile(termenv.Ascii)
	lipgloss.SetHasDarkBackground(true)
	time.Local = time.UTC
	os.Exit(m.Run())
}

// now is the fixed clock of the tests: two minutes after the world's
// reads.
var now = tuitest.Epoch.Add(2 * time.Minute)

// loaded returns a model of w×h over a new world, with the plan loaded.
func loaded(t *testing.T, sc tuitest.Scenario, w, h int) (*tui.Model, *tuitest.World) {
	t.Helper()
	world, err := tuitest.New(context.Background(), sc)
	if err != nil {
		t.Fatal(err)
	}
	m := tui.NewForTest(world, now, w, h)
	m.Drain(m.Init())
	if s := m.State(); s.Screen != "plan" {
		t.Fatalf("screen %q after loading, want plan", s.Screen)
	}
	return m, world
}

// keyMsg builds a key press: a named key or runes.
func keyMsg(s string) tea.KeyMsg {
	named := map[string]tea.KeyType{
		"space": tea.KeySpace, "enter": tea.KeyEnter, "esc": tea.KeyEsc, "tab": tea.KeyTab, "shift+tab": tea.KeyShiftTab,
		"up": tea.KeyUp, "down": tea.KeyDown, "ctrl+c": tea.KeyCtrlC, "pgdown": tea.KeyPgDown, "pgup": tea.KeyPgUp,
		"home": tea.KeyHome, "end": tea.KeyEnd, "backspace": tea.KeyBackspace, "ctrl+u": tea.KeyCtrlU,
	}
	if t, ok := named[s]; ok {
		if t == tea.KeySpace {
			return tea.KeyMsg{Type: t, Runes: []rune{' '}}
		}
		return tea.KeyMsg{Type: t}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)}
}

// press sends keys one by one and returns the command of the last.
func press(m *tui.Model, keys ...string) tea.Cmd {
	var cmd tea.Cmd
	for _, k := range keys {
		_, cmd = m.Update(keyMsg(k))
	}
	return cmd
}

// typeText sends each rune of s as a key press.
func typeText(m *tui.Model, s string) {
	for _, r := range s {
		m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
}

// isQuit reports whether cmd quits the program.
func isQuit(cmd tea.Cmd) bool {
	if cmd == nil {
		return false
	}
	_, ok := cmd().(tea.QuitMsg)
	return ok
}

// indexOf is the position of the first visible change of system and op.
func indexOf(t *testing.T, m *tui.Model, system, op string) int {
	t.Helper()
	s := m.State()
	for i, id := range s.Visible {
		for _, c := range s.Plan.Changes {
			if c.ID == id && string(c.System) == system && string(c.Op) == op {
				return i
			}
		}
	}
	t.Fatalf("no visible %s %s change", system, op)
	return -1
}

// selectChange moves the cursor to the first visible change of system and op.
func selectChange(t *testing.T, m *tui.Model, system, op string) {
	t.Helper()
	i := indexOf(t, m, system, op)
	press(m, "home")
	for range i {
		press(m, "j")
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
