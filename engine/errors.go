package engine

import (
	"errors"
	"fmt"
)

// Kind classifies an error once, at the adapter boundary, so the engine and
// the user interfaces can decide what to do without parsing messages.
type Kind int

// The error kinds. Append only.
const (
	KindOther       Kind = iota // unclassified
	KindNotFound                // the target does not exist
	KindConflict                // it exists already / a unique value is taken
	KindStale                   // the target changed since it was read
	KindInvalid                 // the value or request was rejected as invalid
	KindPermission              // authenticated, but not allowed
	KindAuth                    // authentication failed (wrong password, bad token)
	KindUnavailable             // network error, timeout, 5xx: may work later
	KindRefused                 // refused by a safety rule of ours
	KindProtocol                // the other system broke its protocol: a malformed answer, a field it always sends missing
)

var kindNames = [...]string{"error", "not found", "conflict", "stale", "invalid", "permission denied", "authentication failed", "unavailable", "refused", "protocol error"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", int(k))
}

// Error is an error with an operation, the key it concerned (a DN, a uuid, a
// URL) and a Kind. Err is the underlying cause.
type Error struct {
	Op   string // e.g. "ad: modify", "mo: read employees"
	Key  string // DN, uuid, endpoint; never a secret, CPR masked
	Kind Kind
	Err  error
}

func (e *Error) Error() string {
	msg := e.Op
	if e.Key != "" {
		msg += " " + e.Key
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	} else {
		msg += ": " + e.Kind.String()
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }

// E builds an *Error.
func E(kind Kind, op, key string, err error) *Error {
	return &Error{Op: op, Key: key, Kind: kind, Err: err}
}

// KindOf returns the Kind of the first *Error in err's chain, or KindOther.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindOther
}
