//go:build unix

package store

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"syscall"
	"time"
)

// fileLock is an advisory flock on FILE.lock, which holds the holder's
// pid, host and start time. The kernel drops it when the process dies, so
// a crash never leaves the store locked.
type fileLock struct{ f *os.File }

// LockedError says that another process holds the store.
type LockedError struct {
	Path   string
	Holder string // "pid 1234 on host dc1 since 2026-12-06T12:00:00Z", as the lock file says
}

func (e *LockedError) Error() string {
	return fmt.Sprintf("store %s is in use by another moxsync watch (%s); stop that one first", strings.TrimSuffix(e.Path, ".lock"), e.Holder)
}

func lockFile(path string) (*fileLock, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("store lock %s: %w", path, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		holder, _ := os.ReadFile(path)
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			h := strings.TrimSpace(string(holder))
			if h == "" {
				h = "a process that left no name"
			}
			return nil, &LockedError{Path: path, Holder: h}
		}
		return nil, fmt.Errorf("store lock %s: %w", path, err)
	}
	host, _ := os.Hostname()
	if err := f.Truncate(0); err == nil {
		fmt.Fprintf(f, "pid %d on host %s since %s\n", os.Getpid(), host, time.Now().UTC().Format(time.RFC3339))
		f.Sync()
	}
	return &fileLock{f: f}, nil
}

func (l *fileLock) release() error {
	l.f.Truncate(0)
	return l.f.Close() // closing drops the flock
}
