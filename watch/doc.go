// Package watch is the continuous mode (moxsync watch, events.md): it
// declares MO event listeners, fetches their events, resolves each subject
// to the people and units it concerns, reads only those (one batched read),
// polls one AD domain controller for accounts changed since the stored
// uSNChanged, and re-plans just those subjects with the same engine and
// safety rules as plan/apply. What the policy allows is applied at once;
// the rest waits in the durable review queue (package store), which the
// TUI shows live. An event is acknowledged only once its changes are
// applied or queued; a crash therefore loses nothing, and the engine's
// staleness checks make a redelivered event write nothing twice.
//
// One goroutine processes: batches of events (coalesced over a short
// window), AD polls, approved queue items and reconciliations take turns,
// so the world the plans are made over (the last full read, patched by
// every partial read) needs no lock. Fetchers run one per listener and only
// hand events over.
package watch
