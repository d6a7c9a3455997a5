package tui_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/charmbracelet/x/exp/golden"

	"moxsync/engine"
	"moxsync/tui"
	"moxsync/tui/tuitest"
)

// TestViews renders each screen at 80×24 and 120×40 and compares it with
// testdata/TestViews/<screen>_<size>.golden (go test ./tui -update
// regenerates them).
func TestViews(t *testing.T) {
	screens := []struct {
		name  string
		setup func(t *testing.T, m *tui.Model)
	}{
		{"plan_create", func(t *testing.T, m *tui.Model) { press(m, "space") }},
		{"plan_update", func(t *testing.T, m *tui.Model) { selectChange(t, m, "ad", "update"); press(m, "x") }},
		{"plan_filtered", func(t *testing.T, m *tui.Model) { press(m, "tab", "tab", "o") }},
		{"plan_text_filter", func(t *testing.T, m *tui.Model) { press(m, "/"); typeText(m, "anna") }},
		{"plan_warnings", func(t *testing.T, m *tui.Model) { press(m, "w") }},
		{"help", func(t *testing.T, m *tui.Model) { press(m, "?") }},
		{"confirm_apply", func(t *testing.T, m *tui.Model) { press(m, "j", "space", "a") }},
		{"confirm_delete", func(t *testing.T, m *tui.Model) {
			press(m, "A")
			press(m, "a")
			typeText(m, "3")
			press(m, "enter")
		}},
		{"confirm_quit", func(t *testing.T, m *tui.Model) { press(m, "space", "q") }},
		{"edit", func(t *testing.T, m *tui.Model) { press(m, "e", "backspace", "@", "enter") }},
		{"preview", func(t *testing.T, m *tui.Model) { press(m, "u", "tab"); typeText(m, "sen") }},
		{"applied", func(t *testing.T, m *tui.Model) {
			press(m, "A", "a")
			typeText(m, "2")
			m.Drain(press(m, "enter"))
		}},
	}
	for _, sc := range screens {
		for _, size := range [][2]int{{80, 24}, {120, 40}} {
			t.Run(fmt.Sprintf("%s_%dx%d", sc.name, size[0], size[1]), func(t *testing.T) {
				m, _ := loaded(t, tuitest.Full, size[0], size[1])
				sc.setup(t, m)
				golden.RequireEqual(t, m.View())
			})
		}
	}
}

// TestLoadingViews renders the loading screen while reading and after a
// failure.
func TestLoadingViews(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		t.Run(fmt.Sprintf("failed_%dx%d", size[0], size[1]), func(t *testing.T) {
			world, err := tuitest.New(context.Background(), tuitest.Full)
			if err != nil {
				t.Fatal(err)
			}
			world.FailNext(engine.SystemAD, errors.New("dial ldaps://dc01.kommune.dk:636: connection refused"))
			m := tui.NewForTest(world, now, size[0], size[1])
			m.Drain(m.Init())
			golden.RequireEqual(t, m.View())
		})
		t.Run(fmt.Sprintf("reading_%dx%d", size[0], size[1]), func(t *testing.T) {
			world, err := tuitest.New(context.Background(), tuitest.Full)
			if err != nil {
				t.Fatal(err)
			}
			m := tui.NewForTest(world, now, size[0], size[1])
			m.Init() // the load has started; nothing has arrived
			golden.RequireEqual(t, m.View())
		})
	}
}
