package tui

import (
	"context"

	"moxsync/engine"
)

// Backend is everything the TUI needs from the engine and the systems. All
// methods but PreviewUsername and CheckUsername may do I/O; the TUI calls
// them from commands, never from Update. PreviewUsername and CheckUsername
// must be pure computation over the names read by the last Load (they run
// on every key press).
type Backend interface {
	// Systems names the systems in header order (MO, AD, STS) with their
	// endpoints; an Endpoint of "" means the system is not configured.
	Systems() []SystemInfo
	// ReadOnly reports read-only mode: everything works, nothing is written.
	ReadOnly() bool
	// Load reads every configured system and plans. It reports each
	// system's progress through report (from any goroutine, one call at a
	// time); when a system fails it reports SystemFailed with the error and
	// returns an error.
	Load(ctx context.Context, report func(LoadEvent)) (*engine.Plan, error)
	// Apply applies the changes of plan named by req.IDs, calling progress
	// once per change (one call at a time). The error is non-nil only when
	// the whole apply was refused or could not run (see engine.Apply).
	Apply(ctx context.Context, plan *engine.Plan, req ApplyRequest, progress func(engine.Result)) (engine.Summary, error)
	// PreviewUsername generates the username a person with these names
	// would get now, with the trace of every pattern tried.
	PreviewUsername(givenName, surname string) (engine.UsernameResult, error)
	// CheckUsername checks a username an operator typed for the person
	// with this MO uuid: at most 20 characters, AD's character set, not
	// forbidden, not taken.
	CheckUsername(name, personUUID string) error
	// PersonName returns the given name and surname MO holds for the
	// person with this uuid, as of the last Load.
	PersonName(personUUID string) (givenName, surname string, ok bool)
}

// SystemInfo is one system of the header.
type SystemInfo struct {
	System   engine.System
	Endpoint string // "" = not configured
}

// SystemState is how far the read of one system has come.
type SystemState int

// The states of a system's read.
const (
	SystemWaiting SystemState = iota
	SystemReading
	SystemDone
	SystemFailed
	SystemSkipped // not configured
)

// LoadEvent is one step of a Load.
type LoadEvent struct {
	System engine.System
	State  SystemState
	// Objects is how many objects were read (SystemDone), Err why the read
	// failed (SystemFailed).
	Objects int
	Err     error
}

// ApplyRequest names the approved changes and the confirmation typed for
// deletes and disables.
type ApplyRequest struct {
	IDs []string
	// AllowDeletes is the number of deletes + disables the operator typed
	// in; 0 when the approved changes hold none.
	AllowDeletes int
}
