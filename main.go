// Command moxsync keeps OS2MO, Active Directory and STS Organisation in step.
// See README.md and `moxsync help`.
package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], &app{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv})
	stop()
	os.Exit(code)
}

// app carries the process's streams and environment to the commands, so tests
// can run any command in-process.
type app struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string

	// Set up by loadSettings (settings_wiring.go); zero values are fine.
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
		usernameCommand(),
		demoCommand(),
	}
}

func run(ctx context.Context, args []string, a *app) int {
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
