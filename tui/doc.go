// Package tui is moxsync's interactive review screen (bubbletea v1,
// bubbles, lipgloss): it loads a plan through a Backend, lets the operator
// read every change field by field, approve or reject it, preview and edit
// usernames, and apply the approved changes with progress and results.
//
// Only this package imports Charm packages. The engine is reached through
// the small Backend interface (backend.go); cli wires the real systems
// (cli/tui_backend.go),
// tui/tuitest an in-memory world that applies for real.
//
// Layout of the package: model.go is the root model (screen enum, routing,
// resize); loading.go, planview*.go, preview.go, edit.go, confirm.go and
// applyview.go are the screens and dialogs; keys.go holds every key
// binding, styles.go every style, strings.go every UI text, msgs.go every
// message.
package tui
