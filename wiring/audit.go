package wiring

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"moxsync/engine"
)

// UnfinishedIntents reads the audit log at path and returns the intents
// that have no result line: changes an apply that did not finish may have
// written (see engine.UnfinishedIntents). A log that does not exist yet
// has none.
func UnfinishedIntents(path string) ([]engine.AuditRecord, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("audit log: %w", err)
	}
	defer f.Close()
	intents, err := engine.UnfinishedIntents(f)
	if err != nil {
		return nil, fmt.Errorf("audit log %s: %w", path, err)
	}
	return intents, nil
}

// CheckUnfinished reads e's audit log (AUDIT_LOG) for intents without a
// result and checks each against its target through e's ports (see
// engine.CheckIntents). None when e has no audit log.
func (e *Env) CheckUnfinished(ctx context.Context) ([]engine.IntentCheck, error) {
	if e.AuditPath == "" {
		return nil, nil
	}
	intents, err := UnfinishedIntents(e.AuditPath)
	if err != nil || len(intents) == 0 {
		return nil, err
	}
	o := engine.ApplyOptions{Directory: e.Dir, MO: e.MOWriter, STS: e.STS}
	return engine.CheckIntents(ctx, intents, o), nil
}
