package main

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// TestBinaryDoesNotLinkTesting: the fakes the demo runs (motest, adtest,
// ststest) are linked into moxsync; none of them may pull in package
// testing (its flags and init would ship in the production binary).
func TestBinaryDoesNotLinkTesting(t *testing.T) {
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go command not found")
	}
	out, err := exec.Command(gobin, "list", "-deps", ".").Output()
	if err != nil {
		t.Skipf("go list: %v", err)
	}
	deps := strings.Fields(string(out))
	if !slices.Contains(deps, "moxsync/ad/adtest") {
		t.Fatalf("moxsync/ad/adtest is not among the dependencies; the test checks nothing:\n%s", out)
	}
	if slices.Contains(deps, "testing") {
		t.Error("moxsync links package testing; find the importer with: go list -f '{{.ImportPath}} {{.Imports}}' -deps . | grep ' testing'")
	}
}
