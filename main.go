// Command moxsync keeps OS2MO, Active Directory and STS Organisation in step.
// See README.md, ARCHITECTURE.md and `moxsync help`; everything it does
// lives in package cli.
package main

import (
	"os"

	"moxsync/cli"
)

func main() {
	os.Exit(cli.Main(os.Args, os.Stdin, os.Stdout, os.Stderr, os.Getenv))
}
