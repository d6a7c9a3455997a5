package cli

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
)

// Main is the program: it runs the command named by args[1:] (args is the
// whole os.Args) with the given streams and environment, stops it cleanly
// on SIGINT or SIGTERM (the context is cancelled), and returns the exit code.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if len(args) > 0 {
		args = args[1:]
	}
	return Run(ctx, args, stdin, stdout, stderr, getenv)
}

// Run runs one command line (without the program name) in-process and
// returns its exit code: what Main does, minus the signals. Tests use it.
func Run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	return run(ctx, args, &app{stdin: stdin, stdout: stdout, stderr: stderr, getenv: getenv})
}

// app carries the process's streams and environment to the commands, so tests
// can run any command in-process.
type app struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string

	// Set up by loadSettings (app_settings.go); zero values are fine.
	executable string       // path of the binary, "" = os.Executable
	cwd        string       // current directory, "" = os.Getwd
	log        *slog.Logger // nil until loadSettings; use a.logger()
	closeLog   func() error // closes MOX_LOG_FILE
}

// command is one subcommand. Run parses its own flags from args (which do not
// include the command name) and returns the exit code.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, a *app, args []string) int
}

// commands lists every subcommand, in the order `moxsync help` shows them.
func commands() []command {
	return []command{
		versionCommand(),
		checkCommand(),
		planCommand(),
		applyCommand(),
		watchCommand(),
		usernameCommand(),
		demoCommand(),
	}
}

func run(ctx context.Context, args []string, a *app) int {
	if a.getenv == nil {
		a.getenv = func(string) string { return "" }
	}
	if len(args) == 0 {
		return noArgs(ctx, a)
	}
	name := args[0]
	switch name {
	case "help", "-h", "-help", "--help":
		if len(args) > 1 {
			return run(ctx, []string{args[1], "--help"}, a)
		}
		usage(a.stdout)
		return exitOK
	}
	for _, c := range commands() {
		if c.name == name {
			defer a.closeAppLog()
			return c.run(ctx, a, args[1:])
		}
	}
	fmt.Fprintf(a.stderr, "moxsync: unknown command %q\n\n", name)
	usage(a.stderr)
	return exitError
}

func usage(w io.Writer) {
	fmt.Fprint(w, "moxsync keeps OS2MO, Active Directory and STS Organisation in step.\n\n")
	fmt.Fprint(w, "Usage: moxsync <command> [flags]\n\nCommands:\n")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprint(w, "\nRun `moxsync <command> --help` for a command's flags.\n\n")
	fmt.Fprint(w, exitCodeHelp)
}
