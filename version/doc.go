// Package version says which moxsync this is, for `moxsync version` and
// the plans it makes (engine.PlanOptions.ToolVersion).
package version
