package tui

import (
	"os"

	"github.com/charmbracelet/x/term"
)

// IsTerminal reports whether f is a terminal, so main can decide between
// the TUI and the usage text without importing Charm packages.
func IsTerminal(f *os.File) bool { return term.IsTerminal(f.Fd()) }
