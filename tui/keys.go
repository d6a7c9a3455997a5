package tui

import "github.com/charmbracelet/bubbles/key"

// keyMap is every key binding of the TUI. Update matches keys only through
// these bindings; the help line and the full help (?) are built from them.
type keyMap struct {
	Up, Down, Top, Bottom       key.Binding
	PageUp, PageDown            key.Binding
	Approve, Reject, ApproveAll key.Binding
	Filter, System, Op          key.Binding
	ClearFilters, Warnings      key.Binding
	Preview, Edit               key.Binding
	Refresh, Apply              key.Binding
	Help, Quit, ForceQuit       key.Binding
	// Queue switches between the plan and the review queue of watch.
	Queue key.Binding

	// Move only shows ↑↓/jk in the short help.
	Move key.Binding

	// Dialogs and inputs.
	Confirm, Cancel, Yes, No, NextField key.Binding
	Retry                               key.Binding
}

func defaultKeyMap() keyMap {
	return keyMap{
		Up:           key.NewBinding(key.WithKeys("k", "up"), key.WithHelp("↑/k", "up")),
		Down:         key.NewBinding(key.WithKeys("j", "down"), key.WithHelp("↓/j", "down")),
		Top:          key.NewBinding(key.WithKeys("g", "home"), key.WithHelp("g", "first")),
		Bottom:       key.NewBinding(key.WithKeys("G", "end"), key.WithHelp("G", "last")),
		PageUp:       key.NewBinding(key.WithKeys("pgup", "K"), key.WithHelp("K", "detail up")),
		PageDown:     key.NewBinding(key.WithKeys("pgdown", "J"), key.WithHelp("J", "detail down")),
		Approve:      key.NewBinding(key.WithKeys(" "), key.WithHelp("space", "approve")),
		Reject:       key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "reject")),
		ApproveAll:   key.NewBinding(key.WithKeys("A"), key.WithHelp("A", "approve all")),
		Filter:       key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter")),
		ClearFilters: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear filters")),
		System:       key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "system")),
		Op:           key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "operation")),
		Warnings:     key.NewBinding(key.WithKeys("w"), key.WithHelp("w", "warnings")),
		Preview:      key.NewBinding(key.WithKeys("u"), key.WithHelp("u", "username preview")),
		Edit:         key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "edit username")),
		Refresh:      key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "refresh")),
		Apply:        key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "apply")),
		Help:         key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "all keys")),
		Quit:         key.NewBinding(key.WithKeys("q"), key.WithHelp("q", "quit")),
		ForceQuit:    key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit now")),
		Queue:        key.NewBinding(key.WithKeys("Q"), key.WithHelp("Q", "review queue")),

		Move:      key.NewBinding(key.WithKeys("up", "down", "j", "k"), key.WithHelp("↑↓/jk", "move")),
		Confirm:   key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "confirm")),
		Cancel:    key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
		Yes:       key.NewBinding(key.WithKeys("y", "Y"), key.WithHelp("y", "yes")),
		No:        key.NewBinding(key.WithKeys("n", "N", "esc"), key.WithHelp("n/esc", "no")),
		NextField: key.NewBinding(key.WithKeys("tab", "shift+tab", "up", "down"), key.WithHelp("tab", "next field")),
		Retry:     key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "retry")),
	}
}

// helpKeys is a help.KeyMap made of fixed groups.
type helpKeys struct {
	short []key.Binding
	full  [][]key.Binding
}

func (h helpKeys) ShortHelp() []key.Binding  { return h.short }
func (h helpKeys) FullHelp() [][]key.Binding { return h.full }

// planHelp is the help of the main screen; queue is set when a review
// queue exists (Q shows it).
func (k keyMap) planHelp(queue bool) helpKeys {
	h := helpKeys{
		short: []key.Binding{k.Move, k.Approve, k.Reject, k.Apply, k.Filter, k.Help, k.Quit},
		full: [][]key.Binding{
			{k.Up, k.Down, k.Top, k.Bottom, k.PageDown, k.PageUp},
			{k.Approve, k.Reject, k.ApproveAll, k.Apply},
			{k.Filter, k.System, k.Op, k.ClearFilters, k.Warnings},
			{k.Preview, k.Edit, k.Refresh, k.Help, k.Quit},
		},
	}
	if queue {
		h.short = append(h.short[:len(h.short)-2:len(h.short)-2], k.Queue, k.Help, k.Quit)
		h.full[3] = append(h.full[3][:2:2], k.Queue, k.Refresh, k.Help, k.Quit)
	}
	return h
}

// queueHelp is the help of the review queue.
func (k keyMap) queueHelp() helpKeys {
	approve := key.NewBinding(key.WithKeys(" "), key.WithHelp("space", "approve"))
	apply := key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "apply approved now"))
	back := key.NewBinding(key.WithKeys("Q"), key.WithHelp("Q", "back to the plan"))
	return helpKeys{
		short: []key.Binding{k.Move, approve, k.Reject, apply, back, k.Help, k.Quit},
		full: [][]key.Binding{
			{k.Up, k.Down, k.Top, k.Bottom, k.PageDown, k.PageUp},
			{approve, k.Reject, apply},
			{back, k.Help, k.Quit},
		},
	}
}

// filterHelp is the help while typing a text filter.
func (k keyMap) filterHelp() helpKeys {
	keep := key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "keep filter"))
	clear := key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear filter"))
	return helpKeys{short: []key.Binding{keep, clear}, full: [][]key.Binding{{keep, clear}}}
}

// loadingHelp is the help of the loading screen.
func (k keyMap) loadingHelp(failed bool) helpKeys {
	if failed {
		return helpKeys{short: []key.Binding{k.Retry, k.Quit}, full: [][]key.Binding{{k.Retry, k.Quit}}}
	}
	return helpKeys{short: []key.Binding{k.ForceQuit}, full: [][]key.Binding{{k.ForceQuit}}}
}

// previewHelp is the help of the username preview.
func (k keyMap) previewHelp() helpKeys {
	close := key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "close"))
	return helpKeys{short: []key.Binding{k.NextField, close}, full: [][]key.Binding{{k.NextField, close}}}
}

// editHelp is the help of the username editor.
func (k keyMap) editHelp() helpKeys {
	save := key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "save"))
	return helpKeys{short: []key.Binding{save, k.Cancel}, full: [][]key.Binding{{save, k.Cancel}}}
}

// confirmHelp is the help of a yes/no dialog; typed is set when the
// dialog wants a number typed in.
func (k keyMap) confirmHelp(typed bool) helpKeys {
	if typed {
		return helpKeys{short: []key.Binding{k.Confirm, k.Cancel}, full: [][]key.Binding{{k.Confirm, k.Cancel}}}
	}
	return helpKeys{short: []key.Binding{k.Yes, k.No}, full: [][]key.Binding{{k.Yes, k.No}}}
}

// applyHelp is the help of the apply screen; done is set once it
// finished, queue when it applied changes of the review queue.
func (k keyMap) applyHelp(done, queue bool) helpKeys {
	if done {
		to := "back to the plan"
		if queue {
			to = "back to the queue"
		}
		back := key.NewBinding(key.WithKeys("enter", "esc"), key.WithHelp("enter", to))
		return helpKeys{short: []key.Binding{back, k.Up, k.Down, k.Quit}, full: [][]key.Binding{{back, k.Up, k.Down, k.Quit}}}
	}
	return helpKeys{short: []key.Binding{k.ForceQuit}, full: [][]key.Binding{{k.ForceQuit}}}
}
