//go:build !unix

package demo

// lockRealAD does not serialise demos on systems without flock.
func lockRealAD(string) (func() error, error) { return func() error { return nil }, nil }
