package sts

import (
	"context"
	"log/slog"
	"time"

	"moxsync/engine"
)

// Recorder wraps an engine.STSTarget and records every successful write in
// a State: an upsert stores the payload sent, a delete (also a 404 the
// target reports as nil) removes the entry. A failed write records
// nothing. The state is saved every SaveEvery writes or SaveInterval, and by
// Close; a crash in between loses at most those entries, whose objects are
// then simply sent again (upserts are idempotent), so a re-run converges.
type Recorder struct {
	Target engine.STSTarget
	State  *State
	// SaveEvery and SaveInterval bound the unsaved writes (defaults 100
	// and 5 s). SaveEvery 1 saves after every write.
	SaveEvery    int
	SaveInterval time.Duration
	// Logger receives save failures (default slog.Default()); the write
	// itself still counts as done.
	Logger *slog.Logger
}

var _ engine.STSTarget = (*Recorder)(nil)

// NewRecorder returns a Recorder with the default save policy.
func NewRecorder(t engine.STSTarget, s *State) *Recorder {
	return &Recorder{Target: t, State: s, SaveEvery: 100, SaveInterval: 5 * time.Second}
}

func (r *Recorder) saved(ctx context.Context) {
	every, iv := r.SaveEvery, r.SaveInterval
	if every <= 0 {
		every = 100
	}
	if iv <= 0 {
		iv = 5 * time.Second
	}
	if err := r.State.SaveIfDirty(every, iv); err != nil {
		log := r.Logger
		if log == nil {
			log = slog.Default()
		}
		log.ErrorContext(ctx, "sts: could not save the state file; the objects sent since the last save will be sent again next time", "error", err)
	}
}

// UpsertUnit sends u and records it on success.
func (r *Recorder) UpsertUnit(ctx context.Context, u engine.STSUnit) error {
	if err := r.Target.UpsertUnit(ctx, u); err != nil {
		return err
	}
	r.State.PutUnit(u)
	r.saved(ctx)
	return nil
}

// UpsertUser sends u and records it on success.
func (r *Recorder) UpsertUser(ctx context.Context, u engine.STSUser) error {
	if err := r.Target.UpsertUser(ctx, u); err != nil {
		return err
	}
	r.State.PutUser(u)
	r.saved(ctx)
	return nil
}

// DeleteUnit deletes and forgets a unit on success.
func (r *Recorder) DeleteUnit(ctx context.Context, id string) error {
	if err := r.Target.DeleteUnit(ctx, id); err != nil {
		return err
	}
	r.State.RemoveUnit(id)
	r.saved(ctx)
	return nil
}

// DeleteUser deletes and forgets a user on success.
func (r *Recorder) DeleteUser(ctx context.Context, id string) error {
	if err := r.Target.DeleteUser(ctx, id); err != nil {
		return err
	}
	r.State.RemoveUser(id)
	r.saved(ctx)
	return nil
}

// GetUnit reads through to the target; it does not touch the state.
func (r *Recorder) GetUnit(ctx context.Context, id string) (engine.STSUnit, error) {
	return r.Target.GetUnit(ctx, id)
}

// GetUser reads through to the target; it does not touch the state.
func (r *Recorder) GetUser(ctx context.Context, id string) (engine.STSUser, error) {
	return r.Target.GetUser(ctx, id)
}

// Close saves what is not saved yet.
func (r *Recorder) Close() error {
	if r.State.Dirty() == 0 {
		return nil
	}
	return r.State.Save()
}
