package settings

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Problem is one thing wrong with the settings.
type Problem struct {
	File     string // settings file, "" when the value came from the environment or no file applies
	Line     int    // 0 when unknown
	Key      string
	Value    string // masked for secrets; "" when not shown
	Shown    bool   // whether Value is part of the message
	Env      bool   // value came from the environment variable Key
	Expected string // what was expected, in words
}

func (p Problem) Error() string {
	var b strings.Builder
	switch {
	case p.Env:
		b.WriteString("environment variable ")
	case p.File != "" && p.Line > 0:
		fmt.Fprintf(&b, "%s:%d: ", p.File, p.Line)
	case p.File != "":
		b.WriteString(p.File + ": ")
	}
	if p.Key != "" {
		b.WriteString(p.Key)
		if p.Shown {
			b.WriteString(" = " + strconv.Quote(p.Value))
		}
		b.WriteString(": ")
	}
	b.WriteString(p.Expected)
	return b.String()
}

// ValidationError lists every problem found; Load returns it when any value
// is invalid.
type ValidationError struct {
	Path     string // the settings file ("" if none)
	Problems []Problem
}

func (e *ValidationError) Error() string {
	var b strings.Builder
	// Head the list with where the bad values came from: a value set by an
	// environment variable is not "in settings.ini".
	fromFile, fromEnv := false, false
	for _, p := range e.Problems {
		if p.Env {
			fromEnv = true
		} else if p.File != "" {
			fromFile = true
		}
	}
	where := "the environment"
	switch {
	case e.Path != "" && fromEnv && fromFile:
		where = e.Path + " and the environment"
	case e.Path != "" && !fromEnv:
		where = e.Path
	}
	n := len(e.Problems)
	fmt.Fprintf(&b, "invalid settings in %s (%d %s):", where, n, plural(n, "problem", "problems"))
	for _, p := range e.Problems {
		b.WriteString("\n  - " + p.Error())
	}
	return b.String()
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func itoa(n int) string { return strconv.Itoa(n) }

// sortProblems orders problems as a reader fixes them: file lines top to
// bottom, then whole-file problems, then the environment.
func sortProblems(ps []Problem) {
	rank := func(p Problem) int {
		switch {
		case p.Env:
			return 2
		case p.Line > 0:
			return 0
		}
		return 1
	}
	slices.SortStableFunc(ps, func(a, b Problem) int {
		return cmp.Or(cmp.Compare(rank(a), rank(b)), cmp.Compare(a.Line, b.Line))
	})
}
