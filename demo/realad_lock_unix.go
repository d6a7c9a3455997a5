//go:build unix

package demo

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// lockRealAD serialises the demos that use one real AD (by URL), across
// processes: usernames are domain-wide, so two demos creating accounts at
// once take each other's names between plan and apply. It blocks until
// the AD is free and returns the release.
func lockRealAD(url string) (func() error, error) {
	sum := sha256.Sum256([]byte(url))
	path := filepath.Join(os.TempDir(), "moxsync-demo-ad-"+hex.EncodeToString(sum[:6])+".lock")
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("demo: lock %s: %w", path, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, fmt.Errorf("demo: lock %s: %w", path, err)
	}
	return f.Close, nil // closing drops the flock
}
