package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"moxsync/engine"
)

// Status is where a queued change stands.
type Status string

// The statuses. Pending, approved and applying items are open; the others
// are final (kept for the record).
const (
	Pending    Status = "pending"    // waits for a person
	Approved   Status = "approved"   // a person approved it; not applied yet
	Rejected   Status = "rejected"   // a person rejected it: stays so until the subject changes
	Applying   Status = "applying"   // claimed by one process, which is writing it
	Applied    Status = "applied"    // written
	Failed     Status = "failed"     // the write failed (see Result)
	Stale      Status = "stale"      // refused: the target changed since it was planned
	Superseded Status = "superseded" // the subject was re-planned and this change is no longer wanted
)

// Item is one queued change.
type Item struct {
	Change engine.Change `json:"change"`
	// Subject is the key the change was planned for (engine.SubjectOf).
	Subject string `json:"subject"`
	// Rule says why it waits: "creates wait for approval (WATCH_APPLY_AT_ONCE = update)".
	Rule string `json:"rule"`
	// Event is what produced it: "engagement 1f3c… (MO event)", "AD change
	// of CN=…", "reconciliation".
	Event     string    `json:"event"`
	QueuedAt  time.Time `json:"queued_at"`
	Status    Status    `json:"status"`
	DecidedBy string    `json:"decided_by,omitempty"`
	DecidedAt time.Time `json:"decided_at,omitzero"`
	ClaimedBy string    `json:"claimed_by,omitempty"`
	Result    string    `json:"result,omitempty"`
	UpdatedAt time.Time `json:"updated_at"`
}

const stamp = time.RFC3339Nano

func ts(t time.Time) string { return t.UTC().Format(stamp) }

func parseTS(s string) time.Time {
	t, _ := time.Parse(stamp, s)
	return t
}

// Enqueue records the outcome of re-planning subjects: items are the
// changes of those subjects that wait. An item already queued keeps its
// status and queue time (a pending one stays pending, a rejected one
// rejected: the same change id is the same intent); an open or rejected
// item of one of the subjects that is not among items is superseded (the
// subject changed, or the change is no longer needed). All in one
// transaction. It returns how many items are new. subjects may be
// AllSubjects; nil supersedes nothing.
func (s *Store) Enqueue(ctx context.Context, now time.Time, subjects []string, items []Item) (int, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("store %s: enqueue: %w", s.path, err)
	}
	defer tx.Rollback()
	keep := map[string]bool{}
	added := 0
	for _, it := range items {
		keep[it.Change.ID] = true
		b, err := json.Marshal(it.Change)
		if err != nil {
			return 0, fmt.Errorf("store: enqueue %s: %w", it.Change.ID, err)
		}
		var prev string
		switch err := tx.QueryRowContext(ctx, `SELECT status FROM queue WHERE change_id = ?`, it.Change.ID).Scan(&prev); {
		case errors.Is(err, sql.ErrNoRows):
			added++
		case err != nil:
			return 0, fmt.Errorf("store %s: enqueue %s: %w", s.path, it.Change.ID, err)
		case isFinal(Status(prev)):
			added++
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO queue(change_id, subject, system, op, change_json, rule, event, queued_at, status, updated_at)
			VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT(change_id) DO UPDATE SET
				change_json = CASE WHEN status IN ('pending', 'rejected') THEN excluded.change_json ELSE change_json END,
				rule = excluded.rule,
				status = CASE WHEN status IN ('applied', 'failed', 'stale', 'superseded') THEN 'pending' ELSE status END,
				queued_at = CASE WHEN status IN ('applied', 'failed', 'stale', 'superseded') THEN excluded.queued_at ELSE queued_at END,
				event = CASE WHEN status IN ('applied', 'failed', 'stale', 'superseded') THEN excluded.event ELSE event END,
				updated_at = excluded.updated_at`,
			it.Change.ID, it.Subject, string(it.Change.System), string(it.Change.Op), string(b), it.Rule, it.Event, ts(now), string(Pending), ts(now))
		if err != nil {
			return 0, fmt.Errorf("store %s: enqueue %s: %w", s.path, it.Change.ID, err)
		}
	}
	if subjects != nil {
		// The open items are few (a review queue), so they are all read and
		// matched here: no limit on how many subjects one re-plan has.
		all, want := allSubjects(subjects), set(subjects)
		rows, err := tx.QueryContext(ctx, `SELECT change_id, subject FROM queue WHERE status IN ('pending', 'approved', 'rejected')`)
		if err != nil {
			return 0, fmt.Errorf("store %s: enqueue: %w", s.path, err)
		}
		var drop []string
		for rows.Next() {
			var id, subject string
			if err := rows.Scan(&id, &subject); err != nil {
				rows.Close()
				return 0, err
			}
			if !keep[id] && (all || want[subject]) {
				drop = append(drop, id)
			}
		}
		rows.Close()
		for _, id := range drop {
			if _, err := tx.ExecContext(ctx, `UPDATE queue SET status = 'superseded', updated_at = ? WHERE change_id = ?`, ts(now), id); err != nil {
				return 0, fmt.Errorf("store %s: supersede %s: %w", s.path, id, err)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("store %s: enqueue: %w", s.path, err)
	}
	return added, nil
}

// AllSubjects, as Enqueue's subjects, says that every subject was
// re-planned (a reconciliation): every open or rejected item not among
// the items is superseded.
var AllSubjects = []string{"\x00all"}

func allSubjects(s []string) bool { return len(s) == 1 && s[0] == AllSubjects[0] }

// isFinal reports whether st is a final status (the item is on record only).
func isFinal(st Status) bool {
	return st == Applied || st == Failed || st == Stale || st == Superseded
}

func set(ss []string) map[string]bool {
	m := make(map[string]bool, len(ss))
	for _, s := range ss {
		m[s] = true
	}
	return m
}

func placeholders(n int) string { return strings.TrimSuffix(strings.Repeat("?,", n), ",") }

func anys(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// List returns the items with the given statuses (none: the open ones and
// the rejected), oldest first.
func (s *Store) List(ctx context.Context, statuses ...Status) ([]Item, error) {
	if len(statuses) == 0 {
		statuses = []Status{Pending, Approved, Applying, Rejected}
	}
	ss := make([]string, len(statuses))
	for i, st := range statuses {
		ss[i] = string(st)
	}
	return s.query(ctx, `WHERE status IN (`+placeholders(len(ss))+`)`, anys(ss)...)
}

// query reads the items matching where, oldest first.
func (s *Store) query(ctx context.Context, where string, args ...any) ([]Item, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT change_json, subject, rule, event, queued_at, status, decided_by, decided_at, claimed_by, result, updated_at
		FROM queue `+where+` ORDER BY queued_at, change_id`, args...)
	if err != nil {
		return nil, fmt.Errorf("store %s: list: %w", s.path, err)
	}
	defer rows.Close()
	var out []Item
	for rows.Next() {
		var it Item
		var cj, queued, st, decided, updated string
		if err := rows.Scan(&cj, &it.Subject, &it.Rule, &it.Event, &queued, &st, &it.DecidedBy, &decided, &it.ClaimedBy, &it.Result, &updated); err != nil {
			return nil, fmt.Errorf("store %s: list: %w", s.path, err)
		}
		if err := json.Unmarshal([]byte(cj), &it.Change); err != nil {
			return nil, fmt.Errorf("store %s: list: a queued change does not decode: %w", s.path, err)
		}
		it.QueuedAt, it.Status, it.DecidedAt, it.UpdatedAt = parseTS(queued), Status(st), parseTS(decided), parseTS(updated)
		out = append(out, it)
	}
	return out, rows.Err()
}

// Count returns the number of items per status.
func (s *Store) Count(ctx context.Context) (map[Status]int, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT status, COUNT(*) FROM queue GROUP BY status`)
	if err != nil {
		return nil, fmt.Errorf("store %s: count: %w", s.path, err)
	}
	defer rows.Close()
	out := map[Status]int{}
	for rows.Next() {
		var st string
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return nil, err
		}
		out[Status(st)] = n
	}
	return out, rows.Err()
}

// ErrNotOpen is returned when a decision or claim names an item that is not
// (or no longer) in a state that allows it.
var ErrNotOpen = errors.New("the change is not waiting (applied, superseded or claimed by another process)")

// Decide approves or rejects a pending item (or changes the decision of one
// that is not yet claimed).
func (s *Store) Decide(ctx context.Context, now time.Time, id string, approve bool, by string) error {
	st := Rejected
	if approve {
		st = Approved
	}
	res, err := s.db.ExecContext(ctx, `UPDATE queue SET status = ?, decided_by = ?, decided_at = ?, updated_at = ?
		WHERE change_id = ? AND status IN ('pending', 'approved', 'rejected')`, string(st), by, ts(now), ts(now), id)
	if err != nil {
		return fmt.Errorf("store %s: decide %s: %w", s.path, id, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return fmt.Errorf("store %s: decide %s: %w", s.path, id, ErrNotOpen)
	}
	return nil
}

// Claim moves an approved item to applying for by; false when another
// process claimed it first (or it is not approved). Exactly one claimant
// wins, across processes.
func (s *Store) Claim(ctx context.Context, now time.Time, id, by string) (bool, error) {
	res, err := s.db.ExecContext(ctx, `UPDATE queue SET status = 'applying', claimed_by = ?, updated_at = ? WHERE change_id = ? AND status = 'approved'`, by, ts(now), id)
	if err != nil {
		return false, fmt.Errorf("store %s: claim %s: %w", s.path, id, err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// Finish records the outcome of a claimed item.
func (s *Store) Finish(ctx context.Context, now time.Time, id string, st Status, result string) error {
	_, err := s.db.ExecContext(ctx, `UPDATE queue SET status = ?, result = ?, updated_at = ? WHERE change_id = ? AND status = 'applying'`, string(st), result, ts(now), id)
	if err != nil {
		return fmt.Errorf("store %s: finish %s: %w", s.path, id, err)
	}
	return nil
}

// Release hands a claimed item back to approved, with why it was not
// applied (the run was refused or cut short); the next round tries again.
func (s *Store) Release(ctx context.Context, now time.Time, id, why string) error {
	_, err := s.db.ExecContext(ctx, `UPDATE queue SET status = 'approved', claimed_by = '', result = ?, updated_at = ? WHERE change_id = ? AND status = 'applying'`, why, ts(now), id)
	if err != nil {
		return fmt.Errorf("store %s: release %s: %w", s.path, id, err)
	}
	return nil
}

// Unclaim returns every item claimed by a process that stopped before it
// finished (at start-up of the one watch) to approved, so it is applied
// again; the engine's staleness check before each write keeps a write
// that did land from landing twice.
func (s *Store) Unclaim(ctx context.Context, now time.Time) (int, error) {
	res, err := s.db.ExecContext(ctx, `UPDATE queue SET status = 'approved', claimed_by = '', updated_at = ? WHERE status = 'applying'`, ts(now))
	if err != nil {
		return 0, fmt.Errorf("store %s: unclaim: %w", s.path, err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// Get returns one item.
func (s *Store) Get(ctx context.Context, id string) (Item, bool, error) {
	items, err := s.query(ctx, `WHERE change_id = ?`, id)
	if err != nil || len(items) == 0 {
		return Item{}, false, err
	}
	return items[0], true, nil
}
