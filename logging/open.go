package logging

import (
	"fmt"
	"io"
	"log/slog"
	"os"
)

// Options configure New.
type Options struct {
	Level   int    // MOX_LOG_LEVEL (Python number)
	File    string // MOX_LOG_FILE; "" = Stderr
	Stderr  io.Writer
	Secrets []string // values that must never reach the log
}

// New returns the logger and a func that closes the log file (a no-op for
// stderr). The file is opened for appending and created with mode 0600.
func New(o Options) (*slog.Logger, func() error, error) {
	w, closeFn := o.Stderr, func() error { return nil }
	if o.File != "" {
		f, err := os.OpenFile(o.File, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
		if err != nil {
			return nil, nil, fmt.Errorf("open log file MOX_LOG_FILE: %w", err)
		}
		w, closeFn = f, f.Close
	}
	if w == nil {
		w = io.Discard
	}
	h := slog.NewTextHandler(w, &slog.HandlerOptions{
		Level: Level(o.Level),
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			if len(groups) == 0 && a.Key == slog.LevelKey {
				if l, ok := a.Value.Any().(slog.Level); ok {
					return slog.String(slog.LevelKey, levelName(l))
				}
			}
			return a
		},
	})
	return slog.New(Redact(h, o.Secrets)), closeFn, nil
}
