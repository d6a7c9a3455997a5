package cli

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"

	"moxsync/demo"
	"moxsync/logging"
	"moxsync/settings"
	"moxsync/tui"
	"moxsync/wiring"
)

func init() { demoTUI, demoWatchTUI = runDemoTUI, runDemoWatchTUI }

// noArgs is a bare `moxsync`: the TUI on the configured systems when
// stdout is a terminal, else the usage text and exit 1 (design §4).
func noArgs(ctx context.Context, a *app) int {
	f, ok := a.stdout.(*os.File)
	if !ok || !tui.IsTerminal(f) {
		usage(a.stderr)
		return exitError
	}
	return runTUI(ctx, a)
}

// runTUI opens the TUI over the systems of settings.ini.
func runTUI(ctx context.Context, a *app) int {
	s, err := a.loadSettings("")
	if err != nil {
		return exitError
	}
	defer a.closeAppLog()
	log, logPath, closeLog, err := tuiLogger(s)
	if err != nil {
		fmt.Fprintf(a.stderr, "moxsync: %v\n", err)
		return exitError
	}
	defer closeLog()
	env, err := wiring.Open(ctx, s, wiring.Options{})
	if err != nil {
		fmt.Fprintf(a.stderr, "moxsync: %s\n", err)
		return exitError
	}
	defer env.Close()
	b := newQueueBackend(newEnvBackend(env, wiring.MOAddress(s), s.AD.URL, s.STS.APIURL), s.Watch.Store)
	defer b.Close()
	if err := tui.Run(ctx, b, tui.RunOptions{Options: tui.Options{Log: log}}); err != nil {
		fmt.Fprintf(a.stderr, "moxsync: %v\n", err)
		return exitError
	}
	if logPath != "" {
		fmt.Fprintf(a.stderr, "moxsync: the log of this session is in %s\n", logPath)
	}
	return exitOK
}

// tuiLogger is the log while the TUI runs: MOX_LOG_FILE, or a file in the
// user's cache directory when the log would otherwise go to the terminal.
// logPath is set when the file was chosen here.
func tuiLogger(s *settings.Settings) (log *slog.Logger, logPath string, closeLog func() error, err error) {
	file := s.LogFile
	if file == "" {
		dir, err := os.UserCacheDir()
		if err != nil {
			dir = os.TempDir()
		}
		dir = filepath.Join(dir, "moxsync")
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, "", nil, fmt.Errorf("log directory %s: %w", dir, err)
		}
		file = filepath.Join(dir, "tui.log")
		logPath = file
	}
	log, closeLog, err = logging.New(logging.Options{Level: s.LogLevel, File: file, Secrets: s.Secrets()})
	return log, logPath, closeLog, err
}

// runDemoTUI opens the TUI on the in-process demo (moxsync demo); when
// stdout is not a terminal it runs the headless demo instead.
func runDemoTUI(ctx context.Context, a *app, env *demo.World) int {
	f, ok := a.stdout.(*os.File)
	if !ok || !tui.IsTerminal(f) {
		fmt.Fprintln(a.stderr, "moxsync demo: stdout is not a terminal, so the demo runs headless (as with --headless)")
		return runDemoHeadless(ctx, a, env)
	}
	return demoTUIOn(ctx, a, env, newEnvBackend(env.Env, env.MOURL, env.AD.URL, env.STSURL), "DEMO: generated data, in-process")
}

// demoTUIOn runs the TUI of the demo w over b, its log in a file of the
// temporary directory.
func demoTUIOn(ctx context.Context, a *app, w *demo.World, b tui.Backend, label string) int {
	logPath := filepath.Join(os.TempDir(), "moxsync-demo-tui.log")
	log, closeLog, err := logging.New(logging.Options{Level: 20, File: logPath})
	if err != nil {
		fmt.Fprintf(a.stderr, "moxsync demo: %v\n", err)
		return exitError
	}
	defer closeLog()
	if err := tui.Run(ctx, b, tui.RunOptions{Options: tui.Options{Log: log, Now: w.Env.Now, Label: label}}); err != nil {
		fmt.Fprintf(a.stderr, "moxsync demo: %v\n", err)
		return exitError
	}
	fmt.Fprintf(a.stderr, "moxsync demo: the log of this session is in %s\n", logPath)
	return exitOK
}

// runDemoWatchTUI opens the TUI of demo --watch: the demo's systems and
// the review queue of the watch running on them (store).
func runDemoWatchTUI(ctx context.Context, a *app, w *demo.World, store string) int {
	f, ok := a.stdout.(*os.File)
	if !ok || !tui.IsTerminal(f) {
		fmt.Fprintln(a.stderr, "moxsync demo --watch: stdout is not a terminal; run it with --headless --for DURATION")
		return exitError
	}
	b := newQueueBackend(newEnvBackend(w.Env, w.MOURL, w.AD.URL, w.STSURL), store)
	defer b.Close()
	return demoTUIOn(ctx, a, w, b, "DEMO --watch: generated data, edits every few seconds")
}
