package enginetest

import (
	"context"
	"slices"
	"sync"

	"moxsync/engine"
)

// Audit records audit records in memory. Fail, when set, is returned by
// Record instead of recording (a full disk).
type Audit struct {
	mu      sync.Mutex
	records []engine.AuditRecord
	Fail    error
}

// Record keeps r.
func (a *Audit) Record(_ context.Context, r engine.AuditRecord) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.Fail != nil {
		return a.Fail
	}
	a.records = append(a.records, r)
	return nil
}

// Records returns a copy of what was recorded, in order.
func (a *Audit) Records() []engine.AuditRecord {
	a.mu.Lock()
	defer a.mu.Unlock()
	return slices.Clone(a.records)
}
