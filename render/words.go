package render

import (
	"moxsync/engine"
	"slices"
	"strings"
)

// The user-visible words of this package live here, so a translation is
// one file.

// Symbol is the one-character mark of an operation.
func Symbol(op engine.Op) string {
	switch op {
	case engine.OpCreate:
		return "+"
	case engine.OpUpdate:
		return "~"
	case engine.OpDelete:
		return "-"
	case engine.OpDisable:
		return "⊘"
	case engine.OpEnable:
		return "↺"
	case engine.OpRename:
		return "→"
	}
	return "?"
}

// Word is the verb of an operation as the plan shows it.
func Word(op engine.Op) string { return string(op) }

// SystemName is how a system is named in text.
func SystemName(s engine.System) string {
	switch s {
	case engine.SystemAD:
		return "AD"
	case engine.SystemSTS:
		return "STS"
	case engine.SystemMO:
		return "MO"
	}
	return string(s)
}

// StatusMark is the mark of an apply result.
func StatusMark(s engine.ResultStatus) string {
	switch s {
	case engine.ResultOK:
		return "✓"
	case engine.ResultFailed:
		return "✗"
	case engine.ResultStale:
		return "≠"
	case engine.ResultSkipped:
		return "…"
	case engine.ResultRefused:
		return "⊘"
	}
	return "?"
}

const (
	textNoChanges   = "No changes. MO, AD and STS are in step."
	textNoChangesIn = "No changes. "
	textNone        = "(none)"
	textWarnings    = "Warnings"
	textPlanPrefix  = "Plan: "
	textApplyPrefix = "Apply: "
	textLegend      = "Symbols:"

	textMorePrefix    = "  … and "
	textMore          = " more "
	textFullHint      = "moxsync plan --full"
	textShowsAll      = " shows all"
	textCountsHeading = "Changes per attribute"
)

// opNoun is how n changes of op are named after a count: "create",
// "creates".
func opNoun(op engine.Op, n int) string {
	if n == 1 {
		return string(op)
	}
	return string(op) + "s"
}

// changeNoun is "change" or "changes" after a count of n.
func changeNoun(n int) string {
	if n == 1 {
		return "change"
	}
	return "changes"
}

// opPhrase is the summary wording of n changes of one op.
var opPhrase = map[engine.Op]string{
	engine.OpCreate:  "to create",
	engine.OpUpdate:  "to update",
	engine.OpRename:  "to rename",
	engine.OpEnable:  "to enable",
	engine.OpDisable: "to disable",
	engine.OpDelete:  "to delete",
}

// noChanges is the closing line of a plan without changes, naming the
// systems it covered: "No changes. AD is in step with MO." for plan --only
// ad. No systems (a plan file from before they were recorded) or all three
// is textNoChanges.
func noChanges(systems []engine.System) string {
	has := func(s engine.System) bool { return slices.Contains(systems, s) }
	if len(systems) == 0 || has(engine.SystemAD) && has(engine.SystemSTS) && has(engine.SystemMO) {
		return textNoChanges
	}
	if len(systems) == 1 && has(engine.SystemMO) {
		return textNoChangesIn + "MO's IT users are in step with AD."
	}
	var names []string
	if has(engine.SystemMO) {
		names = append(names, SystemName(engine.SystemMO))
	}
	for _, s := range systems {
		if s != engine.SystemMO {
			names = append(names, SystemName(s))
		}
	}
	if len(names) == 1 {
		return textNoChangesIn + names[0] + " is in step with MO."
	}
	tail := " are in step with MO."
	if has(engine.SystemMO) {
		tail = " are in step."
	}
	return textNoChangesIn + strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1] + tail
}
