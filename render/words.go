package render

import "moxsync/engine"

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
	textNone        = "(none)"
	textWarnings    = "Warnings"
	textPlanPrefix  = "Plan: "
	textApplyPrefix = "Apply: "
	textLegend      = "Symbols:"
)

// opPhrase is the summary wording of n changes of one op.
var opPhrase = map[engine.Op]string{
	engine.OpCreate:  "to create",
	engine.OpUpdate:  "to update",
	engine.OpRename:  "to rename",
	engine.OpEnable:  "to enable",
	engine.OpDisable: "to disable",
	engine.OpDelete:  "to delete",
}
