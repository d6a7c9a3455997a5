package cli

import (
	"context"
	"flag"
	"fmt"
	"runtime"

	"moxsync/version"
)

func versionCommand() command {
	return command{name: "version", summary: "print the version", run: func(_ context.Context, a *app, args []string) int {
		fs := flag.NewFlagSet("version", flag.ContinueOnError)
		fs.SetOutput(a.stderr)
		fs.Usage = func() {
			fmt.Fprint(fs.Output(), "Usage: moxsync version\n\nPrints the version of moxsync and of Go it was built with.\n\nExit codes: 0 always.\n")
		}
		if err := fs.Parse(args); err != nil {
			if err == flag.ErrHelp {
				return exitOK
			}
			return exitError
		}
		fmt.Fprintf(a.stdout, "moxsync %s (%s %s/%s)\n", version.String(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
		return exitOK
	}}
}
