package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	_ "modernc.org/sqlite" // the database/sql driver "sqlite"
)

// schemaVersion is the version of the tables below; a store made by a newer
// moxsync is refused rather than misread.
const schemaVersion = 1

const schema = `
CREATE TABLE IF NOT EXISTS meta (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS queue (
	change_id   TEXT PRIMARY KEY,
	subject     TEXT NOT NULL,
	system      TEXT NOT NULL,
	op          TEXT NOT NULL,
	change_json TEXT NOT NULL,
	rule        TEXT NOT NULL,
	event       TEXT NOT NULL,
	queued_at   TEXT NOT NULL,
	status      TEXT NOT NULL,
	decided_by  TEXT NOT NULL DEFAULT '',
	decided_at  TEXT NOT NULL DEFAULT '',
	claimed_by  TEXT NOT NULL DEFAULT '',
	result      TEXT NOT NULL DEFAULT '',
	updated_at  TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS queue_subject ON queue(subject);
CREATE INDEX IF NOT EXISTS queue_status ON queue(status);
CREATE TABLE IF NOT EXISTS auto_destructive (
	at     TEXT NOT NULL,
	change TEXT NOT NULL
);
`

// Options tune Open.
type Options struct {
	// Exclusive takes the store's lock for one watch process; another
	// process that holds it makes Open fail with a *LockedError.
	Exclusive bool
	// ReadOnly opens for reading only (check); the file must exist.
	ReadOnly bool
}

// Store is an open store. Safe for concurrent use.
type Store struct {
	db   *sql.DB
	path string
	lock *fileLock
}

// Open opens (creating it unless ReadOnly) the store at path. A file that
// is not a store, or is damaged, is refused naming the file.
func Open(ctx context.Context, path string, o Options) (*Store, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("store %s: %w", path, err)
	}
	if o.ReadOnly {
		if _, err := os.Stat(abs); err != nil {
			return nil, fmt.Errorf("store %s: %w", abs, err)
		}
	}
	s := &Store{path: abs}
	if o.Exclusive {
		if s.lock, err = lockFile(abs + ".lock"); err != nil {
			return nil, err
		}
	}
	q := url.Values{}
	for _, p := range []string{"busy_timeout(10000)", "journal_mode(WAL)", "synchronous(FULL)", "foreign_keys(ON)"} {
		q.Add("_pragma", p)
	}
	if o.ReadOnly {
		q.Set("mode", "ro")
	}
	s.db, err = sql.Open("sqlite", "file:"+abs+"?"+q.Encode())
	if err == nil {
		err = s.init(ctx, o.ReadOnly)
	}
	if err != nil {
		s.Close()
		return nil, fmt.Errorf("store %s: %w", abs, err)
	}
	return s, nil
}

// init checks the file and creates the tables.
func (s *Store) init(ctx context.Context, readOnly bool) error {
	var check string
	if err := s.db.QueryRowContext(ctx, "PRAGMA quick_check").Scan(&check); err != nil {
		return fmt.Errorf("not a moxsync store, or damaged: %w", err)
	}
	if check != "ok" {
		return fmt.Errorf("the database is damaged (%s); move it away to start afresh (the queue it held is then lost)", check)
	}
	if !readOnly {
		if _, err := s.db.ExecContext(ctx, schema); err != nil {
			return fmt.Errorf("creating the tables: %w", err)
		}
	}
	v, ok, err := s.meta(ctx, "schema_version")
	switch {
	case err != nil:
		return err
	case !ok && !readOnly:
		return s.setMeta(ctx, "schema_version", fmt.Sprint(schemaVersion))
	case ok && v != fmt.Sprint(schemaVersion):
		return fmt.Errorf("made by another moxsync version (schema %s, this one reads %d)", v, schemaVersion)
	}
	return nil
}

// Path is the store's file.
func (s *Store) Path() string { return s.path }

// Close closes the database and releases the lock.
func (s *Store) Close() error {
	var errs []error
	if s.db != nil {
		errs = append(errs, s.db.Close())
	}
	if s.lock != nil {
		errs = append(errs, s.lock.release())
	}
	return errors.Join(errs...)
}

func (s *Store) meta(ctx context.Context, key string) (string, bool, error) {
	var v string
	err := s.db.QueryRowContext(ctx, "SELECT value FROM meta WHERE key = ?", key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil && strings.Contains(err.Error(), "no such table") {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("reading %s: %w", key, err)
	}
	return v, true, nil
}

func (s *Store) setMeta(ctx context.Context, key, value string) error {
	_, err := s.db.ExecContext(ctx, "INSERT INTO meta(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", key, value)
	if err != nil {
		return fmt.Errorf("store %s: writing %s: %w", s.path, key, err)
	}
	return nil
}
