package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"moxsync/engine"
)

// ADPosition is where the AD change poll stands; ok is false before the
// first poll.
func (s *Store) ADPosition(ctx context.Context) (engine.ADPosition, bool, error) {
	var p engine.ADPosition
	ok, err := s.metaJSON(ctx, "ad_position", &p)
	return p, ok, err
}

// SetADPosition records where the AD change poll stands.
func (s *Store) SetADPosition(ctx context.Context, p engine.ADPosition) error {
	return s.setMetaJSON(ctx, "ad_position", p)
}

// Heartbeat is what a running watch process says about itself, every few
// seconds.
type Heartbeat struct {
	PID       int       `json:"pid"`
	Host      string    `json:"host"`
	Started   time.Time `json:"started"`
	Beat      time.Time `json:"beat"`
	LastEvent time.Time `json:"last_event,omitzero"`
	// Interval is how often it beats; a beat older than three intervals
	// means it is gone.
	Interval time.Duration `json:"interval"`
	Stopped  bool          `json:"stopped,omitempty"`
}

// Alive reports whether the process that wrote h runs, as of now.
func (h Heartbeat) Alive(now time.Time) bool {
	return !h.Stopped && h.Interval > 0 && now.Sub(h.Beat) < 3*h.Interval
}

// Beat records the watch process's heartbeat.
func (s *Store) Beat(ctx context.Context, h Heartbeat) error {
	return s.setMetaJSON(ctx, "heartbeat", h)
}

// Watch returns the last heartbeat of a watch process; ok is false when
// none ever ran on this store.
func (s *Store) Watch(ctx context.Context) (Heartbeat, bool, error) {
	var h Heartbeat
	ok, err := s.metaJSON(ctx, "heartbeat", &h)
	return h, ok, err
}

// LastReconcile is when the last full reconciliation finished.
func (s *Store) LastReconcile(ctx context.Context) (time.Time, error) {
	var t time.Time
	_, err := s.metaJSON(ctx, "last_reconcile", &t)
	return t, err
}

// SetLastReconcile records a finished reconciliation.
func (s *Store) SetLastReconcile(ctx context.Context, t time.Time) error {
	return s.setMetaJSON(ctx, "last_reconcile", t.UTC())
}

// RecordDestructive records automatic deletes and disables (change ids) at
// at, for the rolling safety window.
func (s *Store) RecordDestructive(ctx context.Context, at time.Time, ids []string) error {
	for _, id := range ids {
		if _, err := s.db.ExecContext(ctx, `INSERT INTO auto_destructive(at, change) VALUES(?, ?)`, ts(at), id); err != nil {
			return fmt.Errorf("store %s: record %s: %w", s.path, id, err)
		}
	}
	return nil
}

// DestructiveSince is the number of automatic deletes and disables since t
// (older records are dropped).
func (s *Store) DestructiveSince(ctx context.Context, t time.Time) (int, error) {
	if _, err := s.db.ExecContext(ctx, `DELETE FROM auto_destructive WHERE at < ?`, ts(t)); err != nil {
		return 0, fmt.Errorf("store %s: %w", s.path, err)
	}
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM auto_destructive WHERE at >= ?`, ts(t)).Scan(&n); err != nil {
		return 0, fmt.Errorf("store %s: %w", s.path, err)
	}
	return n, nil
}

func (s *Store) metaJSON(ctx context.Context, key string, v any) (bool, error) {
	raw, ok, err := s.meta(ctx, key)
	if err != nil || !ok {
		return false, err
	}
	if err := json.Unmarshal([]byte(raw), v); err != nil {
		return false, fmt.Errorf("store %s: %s does not decode: %w", s.path, key, err)
	}
	return true, nil
}

func (s *Store) setMetaJSON(ctx context.Context, key string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return s.setMeta(ctx, key, string(b))
}
