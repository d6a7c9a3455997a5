package tui

import (
	"context"
	"time"

	"moxsync/engine"
)

// QueueBackend is the optional side of a Backend over the review queue of
// moxsync watch: the changes the continuous mode did not apply at once
// and that wait for a person. The TUI finds it with a type assertion; a
// Backend without it shows no queue. Every method may do I/O; the TUI
// calls them from commands, never from Update.
type QueueBackend interface {
	// Queue returns the queue as it stands now (it is polled about once a
	// second while the TUI is open). A state with Store == "" means there
	// is no queue (no watch ever ran here); the TUI then shows none.
	Queue(ctx context.Context) (QueueState, error)
	// Decide approves or rejects the queued change id. The decision is
	// recorded at once: a running watch applies an approved change
	// within its poll interval, ApplyQueued applies it now.
	Decide(ctx context.Context, id string, approve bool) error
	// ApplyQueued applies the approved queued changes req.IDs once each:
	// a change a running watch claimed first is left to it. Each target
	// is re-checked for staleness before it is written. progress is called
	// once per change written (one call at a time); the error is non-nil
	// only when nothing could run (see Backend.Apply).
	ApplyQueued(ctx context.Context, req ApplyRequest, progress func(engine.Result)) (engine.Summary, error)
}

// QueueState is the queue and the watch process that fills it.
type QueueState struct {
	// Store names the queue's store (WATCH_STORE); "" = no queue.
	Store string
	// Items are the open and the rejected changes, oldest first.
	Items []QueueItem
	Watch WatchStatus
}

// WatchStatus is what the store says about the watch process.
type WatchStatus struct {
	// Known is set when a watch process ever ran on the store.
	Known   bool
	Running bool
	PID     int
	Host    string
	// LastEvent is when it last processed an event (zero: none yet).
	LastEvent time.Time
	// Beat is its last heartbeat.
	Beat time.Time
}

// QueueStatus is where a queued change stands.
type QueueStatus string

// The statuses the queue shows.
const (
	QueuePending  QueueStatus = "pending"  // waits for a person
	QueueApproved QueueStatus = "approved" // approved, not applied yet
	QueueRejected QueueStatus = "rejected" // stays so until the subject changes
	QueueApplying QueueStatus = "applying" // a process is writing it
)

// QueueItem is one queued change.
type QueueItem struct {
	Change engine.Change
	Status QueueStatus
	// Rule says why it waits, Event what produced it.
	Rule, Event string
	QueuedAt    time.Time
	DecidedBy   string
	DecidedAt   time.Time
	// ClaimedBy is the process applying it (QueueApplying).
	ClaimedBy string
	// Result is the outcome of an earlier try ("not applied: …").
	Result string
}
