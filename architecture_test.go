package main

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// TestArchitecture holds the rules of ARCHITECTURE.md: who may import whom
// (non-test imports, read with go list).
func TestArchitecture(t *testing.T) {
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go command not found")
	}
	out, err := exec.Command(gobin, "list", "-f", "{{.ImportPath}}:{{range .Imports}} {{.}}{{end}}", "./...").Output()
	if err != nil {
		t.Skipf("go list: %v", err)
	}
	imports := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		pkg, deps, _ := strings.Cut(line, ":")
		imports[pkg] = strings.Fields(deps)
	}
	for _, want := range []string{"moxsync", "moxsync/cli", "moxsync/wiring", "moxsync/demo", "moxsync/engine", "moxsync/tui"} {
		if _, ok := imports[want]; !ok {
			t.Fatalf("go list did not list %s; the test checks nothing:\n%s", want, out)
		}
	}
	project := func(p string) bool { return p == "moxsync" || strings.HasPrefix(p, "moxsync/") }
	adapters := []string{"moxsync/mo", "moxsync/ad", "moxsync/sts"}
	fakes := []string{"moxsync/mo/motest", "moxsync/ad/adtest", "moxsync/sts/ststest"}
	rules := []struct {
		name    string
		applies func(pkg string) bool      // the packages the rule is about
		banned  func(pkg, dep string) bool // a dependency they may not have
	}{
		{"main imports only moxsync/cli of the project",
			func(p string) bool { return p == "moxsync" },
			func(_, d string) bool { return project(d) && d != "moxsync/cli" }},
		{"engine imports no project package and no LDAP, HTTP or ini",
			func(p string) bool { return p == "moxsync/engine" },
			func(_, d string) bool {
				return project(d) || strings.HasPrefix(d, "github.com/") || strings.HasPrefix(d, "gopkg.in/") || d == "net/http"
			}},
		{"tui is the only importer of Charm packages",
			func(p string) bool { return p != "moxsync/tui" },
			func(_, d string) bool { return strings.HasPrefix(d, "github.com/charmbracelet/") }},
		{"adapters do not import each other, nor what sits above them",
			func(p string) bool { return slices.Contains(adapters, p) },
			func(_, d string) bool { return project(d) && d != "moxsync/engine" }},
		{"wiring imports no command, TUI, renderer, demo or fake",
			func(p string) bool { return p == "moxsync/wiring" },
			func(_, d string) bool {
				return slices.Contains(fakes, d) || slices.Contains([]string{"moxsync/cli", "moxsync/tui", "moxsync/render", "moxsync/demo"}, d)
			}},
		{"the demo imports no command or TUI",
			func(p string) bool { return p == "moxsync/demo" },
			func(_, d string) bool { return d == "moxsync/cli" || d == "moxsync/tui" }},
		{"nothing but cli builds the command line",
			func(p string) bool { return p != "moxsync" },
			func(_, d string) bool { return d == "moxsync/cli" }},
	}
	for _, r := range rules {
		for pkg, deps := range imports {
			if !r.applies(pkg) {
				continue
			}
			for _, d := range deps {
				if r.banned(pkg, d) {
					t.Errorf("%s: %s imports %s", r.name, pkg, d)
				}
			}
		}
	}
}
