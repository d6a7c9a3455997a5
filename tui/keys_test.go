package tui_test

import (
	"testing"

	"moxsync/tui"
	"moxsync/tui/tuitest"
)

// TestPlanKeys gives every key of the main screen an Update test.
func TestPlanKeys(t *testing.T) {
	tests := []struct {
		name  string
		setup func(t *testing.T, m *tui.Model)
		keys  []string
		check func(t *testing.T, before, after tui.State)
	}{
		{"j moves down", nil, []string{"j"}, func(t *testing.T, b, a tui.State) { wantInt(t, "cursor", a.Cursor, 1) }},
		{"down moves down", nil, []string{"down"}, func(t *testing.T, b, a tui.State) { wantInt(t, "cursor", a.Cursor, 1) }},
		{"k moves up", nil, []string{"j", "j", "k"}, func(t *testing.T, b, a tui.State) { wantInt(t, "cursor", a.Cursor, 1) }},
		{"up moves up", nil, []string{"j", "up"}, func(t *testing.T, b, a tui.State) { wantInt(t, "cursor", a.Cursor, 0) }},
		{"k stops at the top", nil, []string{"k", "up"}, func(t *testing.T, b, a tui.State) { wantInt(t, "cursor", a.Cursor, 0) }},
		{"G goes to the last", nil, []string{"G"}, func(t *testing.T, b, a tui.State) { wantInt(t, "cursor", a.Cursor, len(a.Visible)-1) }},
		{"end goes to the last, g to the first", nil, []string{"end", "g"}, func(t *testing.T, b, a tui.State) { wantInt(t, "cursor", a.Cursor, 0) }},
		{"j stops at the bottom", nil, []string{"G", "j"}, func(t *testing.T, b, a tui.State) { wantInt(t, "cursor", a.Cursor, len(a.Visible)-1) }},
		{"pgdown scrolls the detail, pgup back", nil, []string{"pgdown"}, func(t *testing.T, b, a tui.State) {
			if a.DetailOffset == 0 {
				t.Error("detail did not scroll")
			}
		}},
		{"pgdown then pgup scrolls back", nil, []string{"pgdown", "pgup"}, func(t *testing.T, b, a tui.State) { wantInt(t, "detail offset", a.DetailOffset, 0) }},
		{"J scrolls, K scrolls back", nil, []string{"J", "K"}, func(t *testing.T, b, a tui.State) { wantInt(t, "detail offset", a.DetailOffset, 0) }},
		{"space approves", nil, []string{"space"}, func(t *testing.T, b, a tui.State) {
			wantStr(t, "mark", a.Marks[a.Selected], "approved")
			wantContains(t, "flash", a.Flash, "Approved")
		}},
		{"space twice unapproves", nil, []string{"space", "space"}, func(t *testing.T, b, a tui.State) {
			wantStr(t, "mark", a.Marks[a.Selected], "")
		}},
		{"x rejects", nil, []string{"x"}, func(t *testing.T, b, a tui.State) { wantStr(t, "mark", a.Marks[a.Selected], "rejected") }},
		{"x twice unrejects", nil, []string{"x", "x"}, func(t *testing.T, b, a tui.State) { wantStr(t, "mark", a.Marks[a.Selected], "") }},
		{"space approves a rejected change", nil, []string{"x", "space"}, func(t *testing.T, b, a tui.State) {
			wantStr(t, "mark", a.Marks[a.Selected], "approved")
		}},
		{"A approves all shown, not the rejected", nil, []string{"j", "x", "A"}, func(t *testing.T, b, a tui.State) {
			approved, rejected := 0, 0
			for _, id := range a.Visible {
				switch a.Marks[id] {
				case "approved":
					approved++
				case "rejected":
					rejected++
				}
			}
			wantInt(t, "approved", approved, len(a.Visible)-1)
			wantInt(t, "rejected", rejected, 1)
		}},
		{"A approves only what the filter shows", nil, []string{"tab", "A"}, func(t *testing.T, b, a tui.State) {
			wantInt(t, "approved", len(a.Marks), len(a.Visible))
			for _, c := range a.Plan.Changes {
				if a.Marks[c.ID] == "approved" && c.System != "ad" {
					t.Errorf("approved %s change %s outside the AD filter", c.System, c.ID)
				}
			}
		}},
		{"/ starts the text filter", nil, []string{"/"}, func(t *testing.T, b, a tui.State) {
			if !a.Filtering {
				t.Error("not filtering")
			}
		}},
		{"typing filters the list", nil, []string{"/", "e", "n", "h", "e", "d"}, func(t *testing.T, b, a tui.State) {
			wantInt(t, "visible", len(a.Visible), 1)
			wantStr(t, "filter", a.FilterText, "enhed")
		}},
		{"enter keeps the filter", nil, []string{"/", "o", "l", "e", "enter"}, func(t *testing.T, b, a tui.State) {
			if a.Filtering {
				t.Error("still filtering")
			}
			wantStr(t, "filter", a.FilterText, "ole")
			wantInt(t, "visible", len(a.Visible), 1)
		}},
		{"esc clears the filter", nil, []string{"/", "o", "l", "e", "esc"}, func(t *testing.T, b, a tui.State) {
			wantStr(t, "filter", a.FilterText, "")
			wantInt(t, "visible", len(a.Visible), len(b.Visible))
		}},
		{"keys typed in the filter do not act", nil, []string{"/", "q", "x", "a"}, func(t *testing.T, b, a tui.State) {
			wantStr(t, "filter", a.FilterText, "qxa")
			if a.Quitting || len(a.Marks) > 0 || a.Dialog != "" {
				t.Errorf("a key acted while filtering: %+v", a)
			}
		}},
		{"tab cycles the system filter", nil, []string{"tab"}, func(t *testing.T, b, a tui.State) {
			wantStr(t, "system", a.SysTab, "ad")
			wantInt(t, "visible", len(a.Visible), 2)
		}},
		{"tab four times is All again", nil, []string{"tab", "tab", "tab", "tab"}, func(t *testing.T, b, a tui.State) {
			wantStr(t, "system", a.SysTab, "")
			wantInt(t, "visible", len(a.Visible), len(b.Visible))
		}},
		{"o cycles the operation filter over the ops present", nil, []string{"o", "o"}, func(t *testing.T, b, a tui.State) {
			wantStr(t, "op", a.OpTab, "update")
			wantInt(t, "visible", len(a.Visible), 1)
		}},
		{"o skips absent ops back to all", nil, []string{"o", "o", "o", "o"}, func(t *testing.T, b, a tui.State) {
			wantStr(t, "op", a.OpTab, "")
		}},
		{"esc clears every filter", nil, []string{"tab", "o", "/", "a", "enter", "esc"}, func(t *testing.T, b, a tui.State) {
			wantStr(t, "system", a.SysTab, "")
			wantStr(t, "op", a.OpTab, "")
			wantStr(t, "text", a.FilterText, "")
			wantInt(t, "visible", len(a.Visible), len(b.Visible))
		}},
		{"w shows the warnings", nil, []string{"w"}, func(t *testing.T, b, a tui.State) {
			if !a.ShowWarnings {
				t.Error("warnings not shown")
			}
		}},
		{"? shows the full help, again hides it", nil, []string{"?"}, func(t *testing.T, b, a tui.State) {
			if !a.HelpAll {
				t.Error("full help not shown")
			}
		}},
		{"u opens the preview on the selected person", nil, []string{"u"}, func(t *testing.T, b, a tui.State) {
			wantStr(t, "dialog", a.Dialog, "preview")
			wantStr(t, "given", a.PreviewGiven, "Anna Maria")
			if a.PreviewName == "" {
				t.Error("no username shown")
			}
		}},
		{"e on a create opens the editor", nil, []string{"e"}, func(t *testing.T, b, a tui.State) { wantStr(t, "dialog", a.Dialog, "edit") }},
		{"e on an update explains", nil, []string{"j", "e"}, func(t *testing.T, b, a tui.State) {
			wantStr(t, "dialog", a.Dialog, "")
			if !a.FlashErr {
				t.Error("no error flash")
			}
		}},
		{"a with nothing approved explains", nil, []string{"a"}, func(t *testing.T, b, a tui.State) {
			wantStr(t, "dialog", a.Dialog, "")
			wantContains(t, "flash", a.Flash, "space to approve")
		}},
		{"a opens the confirm dialog", nil, []string{"space", "a"}, func(t *testing.T, b, a tui.State) {
			wantStr(t, "dialog", a.Dialog, "apply")
			wantInt(t, "destructive", a.Destructive, 0)
		}},
		{"a with a delete wants the number", func(t *testing.T, m *tui.Model) { selectChange(t, m, "sts", "delete") }, []string{"space", "a"},
			func(t *testing.T, b, a tui.State) {
				wantStr(t, "dialog", a.Dialog, "apply")
				wantInt(t, "destructive", a.Destructive, 1)
			}},
		{"q without approvals quits", nil, []string{"q"}, func(t *testing.T, b, a tui.State) {
			if !a.Quitting {
				t.Error("not quitting")
			}
		}},
		{"q with approvals asks", nil, []string{"space", "q"}, func(t *testing.T, b, a tui.State) {
			wantStr(t, "dialog", a.Dialog, "quit")
			if a.Quitting {
				t.Error("quit without asking")
			}
		}},
		{"n stays", nil, []string{"space", "q", "n"}, func(t *testing.T, b, a tui.State) {
			wantStr(t, "dialog", a.Dialog, "")
			if a.Quitting {
				t.Error("quit")
			}
		}},
		{"y quits", nil, []string{"space", "q", "y"}, func(t *testing.T, b, a tui.State) {
			if !a.Quitting {
				t.Error("not quitting")
			}
		}},
		{"ctrl+c quits even with approvals", nil, []string{"space", "ctrl+c"}, func(t *testing.T, b, a tui.State) {
			if !a.Quitting {
				t.Error("not quitting")
			}
		}},
		{"r refreshes", nil, []string{"r"}, func(t *testing.T, b, a tui.State) {
			wantStr(t, "screen", a.Screen, "loading")
			wantInt(t, "generation", a.LoadGen, b.LoadGen+1)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, _ := loaded(t, tuitest.Full, 120, 40)
			if tt.setup != nil {
				tt.setup(t, m)
			}
			before := m.State()
			press(m, tt.keys...)
			tt.check(t, before, m.State())
		})
	}
}

func wantInt(t *testing.T, what string, got, want int) {
	t.Helper()
	if got != want {
		t.Errorf("%s = %d, want %d", what, got, want)
	}
}

func wantStr(t *testing.T, what, got, want string) {
	t.Helper()
	if got != want {
		t.Errorf("%s = %q, want %q", what, got, want)
	}
}

func wantContains(t *testing.T, what, got, want string) {
	t.Helper()
	if !contains(got, want) {
		t.Errorf("%s = %q, want it to contain %q", what, got, want)
	}
}

// Keys typed faster than they are read arrive as one message; each still
// acts.
func TestRunesArrivingTogether(t *testing.T) {
	m, _ := loaded(t, tuitest.Full, 120, 40)
	m.Update(keyMsg("j x/enhed"))
	s := m.State()
	wantInt(t, "cursor", s.Cursor, 0) // the filter leaves one change
	wantStr(t, "filter", s.FilterText, "enhed")
	if n := len(s.Marks); n != 1 {
		t.Errorf("%d marks, want the rejection of the second change", n)
	}
}
