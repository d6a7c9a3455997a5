// Package logging builds moxsync's log/slog logger from the mox settings
// MOX_LOG_LEVEL (Python's numeric levels) and MOX_LOG_FILE (blank = stderr,
// otherwise appended to, created with mode 0600), and wraps every handler in
// one that removes secret values from messages and attributes.
package logging
