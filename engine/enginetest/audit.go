package enginetest

import (
	"context"
	"slices"
	"sync"

	"moxsync/engine"
)

// Audit records audit records in memory. Fail, when set, is returned by
// Record instead of recording (a full disk); FailIntents fails only the
// intent records.
type Audit struct {
	mu          sync.Mutex
	records     []engine.AuditRecord
	Fail        error
	FailIntents error
}

// Record keeps r.
func (a *Audit) Record(_ context.Context, r engine.AuditRecord) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.Fail != nil {
		return a.Fail
	}
	if a.FailIntents != nil && r.Phase == engine.AuditIntent {
		return a.FailIntents
	}
	a.records = append(a.records, r)
	return nil
}

// Records returns a copy of the result records, in order.
func (a *Audit) Records() []engine.AuditRecord { return a.phase(engine.AuditResult) }

// Intents returns a copy of the intent records, in order.
func (a *Audit) Intents() []engine.AuditRecord { return a.phase(engine.AuditIntent) }

// All returns a copy of every record, intents and results, in order.
func (a *Audit) All() []engine.AuditRecord {
	a.mu.Lock()
	defer a.mu.Unlock()
	return slices.Clone(a.records)
}

func (a *Audit) phase(p string) []engine.AuditRecord {
	a.mu.Lock()
	defer a.mu.Unlock()
	var out []engine.AuditRecord
	for _, r := range a.records {
		if r.Phase == p {
			out = append(out, r)
		}
	}
	return out
}
