package logging

import "log/slog"

// LevelCritical is Python's CRITICAL (50), above slog's ERROR.
const LevelCritical = slog.LevelError + 4

// Level maps a Python logging number to a slog level: 10 debug, 20 info,
// 30 warning, 40 error, 50 critical; any other number maps to the nearest
// lower one, and anything below 10 to debug.
func Level(python int) slog.Level {
	switch {
	case python >= 50:
		return LevelCritical
	case python >= 40:
		return slog.LevelError
	case python >= 30:
		return slog.LevelWarn
	case python >= 20:
		return slog.LevelInfo
	}
	return slog.LevelDebug
}

// levelName prints the level the way mox's Python logs did.
func levelName(l slog.Level) string {
	switch {
	case l >= LevelCritical:
		return "CRITICAL"
	case l >= slog.LevelError:
		return "ERROR"
	case l >= slog.LevelWarn:
		return "WARNING"
	case l >= slog.LevelInfo:
		return "INFO"
	}
	return "DEBUG"
}
