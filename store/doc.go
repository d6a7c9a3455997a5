// Package store is the durable local state of the continuous mode
// (moxsync watch, events.md §4): the review queue of changes that wait for
// a person, the AD change poll's position, the watch process's heartbeat
// and the count of automatic deletes and disables for the rolling safety
// window. It is one SQLite database (modernc.org/sqlite, pure Go: no cgo,
// so the binary still cross-compiles), in WAL mode with synchronous=FULL,
// so a crash at any point loses nothing committed, and several processes
// (watch and the TUI) read and write it at once: an approved change is
// claimed by exactly one of them in a transaction before it is applied.
//
// One watch process owns a store at a time: Open with Exclusive takes an
// advisory lock on FILE.lock that names the holder's pid and host, and
// refuses with both when another process holds it.
package store
