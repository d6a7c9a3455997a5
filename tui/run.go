package tui

import (
	"context"
	"errors"
	"io"
	"log/slog"

	tea "github.com/charmbracelet/bubbletea"
)

// RunOptions are the terminal of Run; nil = the process's stdin and
// stdout.
type RunOptions struct {
	Options
	Input  io.Reader
	Output io.Writer
}

// Run opens the TUI over b on the terminal and returns when the operator
// quits. While it runs, the default slog logger (and package log) write
// to o.Log, never to the terminal. ctx cancels every read and write in progress.
func Run(ctx context.Context, b Backend, o RunOptions) error {
	// Packages that log through the default logger must not write on the
	// screen while the TUI draws on it.
	if o.Log == nil {
		o.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	prev := slog.Default()
	slog.SetDefault(o.Log)
	defer slog.SetDefault(prev)
	m := New(ctx, b, o.Options)
	opts := []tea.ProgramOption{tea.WithAltScreen(), tea.WithContext(ctx)}
	if o.Input != nil {
		opts = append(opts, tea.WithInput(o.Input))
	}
	if o.Output != nil {
		opts = append(opts, tea.WithOutput(o.Output))
	}
	_, err := tea.NewProgram(m, opts...).Run()
	m.cancel()
	if errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil {
		return ctx.Err()
	}
	return err
}
