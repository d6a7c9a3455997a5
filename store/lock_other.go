//go:build !unix

package store

import "fmt"

// fileLock is a no-op where flock does not exist: one watch per store is
// then the operator's to ensure (the heartbeat in check shows a running one).
type fileLock struct{}

// LockedError says that another process holds the store.
type LockedError struct{ Path, Holder string }

func (e *LockedError) Error() string {
	return fmt.Sprintf("store %s is in use by another moxsync watch (%s)", e.Path, e.Holder)
}

func lockFile(string) (*fileLock, error) { return &fileLock{}, nil }

func (*fileLock) release() error { return nil }
