// Package cli is moxsync's command line: the command table (commands.go),
// one file per command (plan, apply, check, username, tui, demo, version),
// the exit codes of design §4 (exitcodes.go) and the settings and log set-up
// every command shares (app_settings.go).
//
// Each command is a function of (context, args, streams) → exit code, so
// tests run any command in-process through Run. Commands open their
// systems through package wiring and never build clients themselves.
package cli
