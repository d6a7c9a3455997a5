package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"

	"moxsync/logging"
	"moxsync/settings"
)

// configFlagUsage is the --config help text every command shares.
const configFlagUsage = "read settings from `FILE` (default: the file named by $MOX_MO_CONFIG, else ./settings.ini, else settings.ini next to moxsync)"

// addConfigFlag adds --config FILE to a command's flags; pass its value to
// a.loadSettings.
func addConfigFlag(fs *flag.FlagSet) *string {
	return fs.String("config", "", configFlagUsage)
}

// loadSettings finds, reads and validates the settings (see package
// settings), sets up logging (a.log) from MOX_LOG_LEVEL and MOX_LOG_FILE with
// every secret redacted, and prints the warnings the operator must see on
// every run (certificate checks off, plain-text LDAP bind) to stderr.
//
// On error it has already printed one message listing every problem to
// stderr; the caller just returns exitError.
func (a *app) loadSettings(configFlag string) (*settings.Settings, error) {
	exe := a.executable
	if exe == "" {
		exe, _ = os.Executable()
	}
	s, err := settings.Load(settings.LoadOptions{ConfigFlag: configFlag, Getenv: a.getenv, Executable: exe, Cwd: a.cwd})
	if err != nil {
		fmt.Fprintf(a.stderr, "moxsync: %v\n", err)
		var ve *settings.ValidationError
		if errors.As(err, &ve) {
			fmt.Fprintln(a.stderr, "Every key is documented in settings.ini.example.")
		}
		return nil, err
	}
	log, closeLog, err := logging.New(logging.Options{Level: s.LogLevel, File: s.LogFile, Stderr: a.stderr, Secrets: s.Secrets()})
	if err != nil {
		fmt.Fprintf(a.stderr, "moxsync: %v\n", err)
		return nil, err
	}
	a.closeAppLog()
	a.log, a.closeLog = log, closeLog
	for _, w := range s.Warnings() {
		fmt.Fprintf(a.stderr, "moxsync: WARNING: %s\n", w)
		if s.LogFile != "" {
			log.Warn(w)
		}
	}
	return s, nil
}

// logger returns the logger set up by loadSettings, or one that discards
// everything before settings are loaded.
func (a *app) logger() *slog.Logger {
	if a.log == nil {
		return slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return a.log
}

// closeAppLog closes the log file, if one is open.
func (a *app) closeAppLog() {
	if a.closeLog != nil {
		a.closeLog()
		a.closeLog = nil
	}
}

// path resolves a path given on the command line against the app's
// current directory.
func (a *app) path(p string) string {
	if p == "" || filepath.IsAbs(p) || a.cwd == "" {
		return p
	}
	return filepath.Join(a.cwd, p)
}
