package engine

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
)

// MaskCPRs masks every CPR-shaped number in a human string: ten digits,
// or six digits, a dash and four digits, not part of a longer run of digits
// nor following a "+" (a phone number), whose first six digits are a date
// (DDMMYY), become DDMMYY-xxxx.
func MaskCPRs(s string) string {
	if len(s) < 10 {
		return s
	}
	var b []byte
	isDigit := func(i int) bool { return i >= 0 && i < len(s) && s[i] >= '0' && s[i] <= '9' }
	runOf := func(i, n int) bool {
		for k := 0; k < n; k++ {
			if !isDigit(i + k) {
				return false
			}
		}
		return true
	}
	last := 0
	for i := 0; i < len(s); i++ {
		if !isDigit(i) || isDigit(i-1) || !runOf(i, 6) || (i > 0 && s[i-1] == '+') || !cprDate(s[i:i+6]) {
			continue
		}
		end := -1
		switch {
		case runOf(i+6, 4) && !isDigit(i+10):
			end = i + 10
		case i+6 < len(s) && s[i+6] == '-' && runOf(i+7, 4) && !isDigit(i+11):
			end = i + 11
		}
		if end < 0 {
			continue
		}
		b = append(b, s[last:i]...)
		b = append(b, s[i:i+6]...)
		b = append(b, "-xxxx"...)
		last = end
		i = end - 1
	}
	if b == nil {
		return s
	}
	return string(append(b, s[last:]...))
}

// cprDate reports whether d (six digits) reads as DDMMYY.
func cprDate(d string) bool {
	day := int(d[0]-'0')*10 + int(d[1]-'0')
	month := int(d[2]-'0')*10 + int(d[3]-'0')
	return day >= 1 && day <= 31 && month >= 1 && month <= 12
}

// IsCPRField reports whether f carries a CPR number (its source is MO's
// cpr, or its attribute names a CPR), so it is masked wherever people read it.
func IsCPRField(f Field) bool {
	return f.Source == "mo cpr" || strings.Contains(strings.ToLower(f.Attr), "cpr")
}

// The phases of an audit line (AuditRecord.Phase).
const (
	// AuditIntent is written, and synced to disk, before a change's write
	// is sent: after a crash, every change that may have been written has
	// at least this line.
	AuditIntent = "intent"
	// AuditResult is the outcome, written after the write returned, or by
	// a later run that checked an intent left without a result.
	AuditResult = "result"
)

// AuditRecord is one line of the audit log (JSON Lines). An apply writes
// two lines per change it sends: an intent (Phase "intent", no Result)
// before the write and a result (Phase "result") after it; changes it
// does not send (stale before the write, skipped, refused) get only the
// result. Lines written before the audit log was write-ahead have no
// phase; they are results.
type AuditRecord struct {
	Time     time.Time         `json:"time"`
	OSUser   string            `json:"os_user"`
	Host     string            `json:"host,omitempty"`
	PlanID   string            `json:"plan_id"`
	ChangeID string            `json:"change_id"`
	System   System            `json:"system"`
	Op       Op                `json:"op"`
	Key      string            `json:"key"`
	Subject  string            `json:"subject,omitempty"`
	Before   map[string]string `json:"before"`
	After    map[string]string `json:"after"`
	// Phase is AuditIntent or AuditResult.
	Phase string `json:"phase,omitempty"`
	// Result is ok | failed | stale | skipped | refused on a result line
	// (and unknown on a later run's line for an intent it could not check);
	// absent on an intent.
	Result string `json:"result,omitempty"`
	Error  string `json:"error,omitempty"`
	// Note says what apply decided on its own (a username replaced by the
	// generator's next candidate); After then holds what was written.
	Note string `json:"note,omitempty"`
	// Target, on an intent, is where the change writes, so that a later
	// run can read it back (see CheckIntents).
	Target *AuditTarget `json:"target,omitempty"`
	// Recovered marks the result line a later run wrote for an intent
	// that had none: what it found in the target (an IntentState).
	Recovered IntentState `json:"recovered,omitempty"`
}

// AuditTarget is the object an intent's change writes.
type AuditTarget struct {
	DN   string `json:"dn,omitempty"`   // AD: the account's DN (of a create: the planned one); CPRs masked
	GUID string `json:"guid,omitempty"` // AD: objectGUID of an existing account
	UUID string `json:"uuid,omitempty"` // MO IT user being updated; STS object
	// MOUUID is the MO person (AD, MO) or the STS object's uuid.
	MOUUID string `json:"mo_uuid,omitempty"`
	// ITSystemUUID is the MO IT system of an IT-user write-back.
	ITSystemUUID string `json:"itsystem_uuid,omitempty"`
	// STSKind is "orgunit" or "user" for an STS change.
	STSKind string `json:"sts_kind,omitempty"`
	// MOKind is "engagement", "address", "class" or "person" for an MO
	// write of a field an AD rule owns ("" for an IT-user write-back).
	MOKind string `json:"mo_kind,omitempty"`
}

// AuditWriter is an AuditSink writing JSON Lines (one record a line) to
// an io.Writer, typically the audit log file opened for appending. It is
// safe for concurrent use; each record is written with one Write call. An
// intent record is synced to disk (when w has a Sync method, as *os.File
// does) before Record returns, so it survives a crash of the process or
// of the machine; result records are not synced.
type AuditWriter struct {
	mu sync.Mutex
	w  io.Writer
}

// NewAuditWriter returns an AuditWriter on w.
func NewAuditWriter(w io.Writer) *AuditWriter { return &AuditWriter{w: w} }

// Record appends r as one JSON line, synced when r is an intent.
func (a *AuditWriter) Record(_ context.Context, r AuditRecord) error {
	b, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("audit: encode %s record of change %s: %w", r.Phase, r.ChangeID, err)
	}
	b = append(b, '\n')
	a.mu.Lock()
	_, err = a.w.Write(b)
	a.mu.Unlock()
	if err != nil {
		return fmt.Errorf("audit: write %s record of change %s: %w", r.Phase, r.ChangeID, err)
	}
	// Synced outside the lock: concurrent intents share the disk's flushes.
	if s, ok := a.w.(interface{ Sync() error }); ok && r.Phase == AuditIntent {
		if err := s.Sync(); err != nil {
			return fmt.Errorf("audit: sync intent record of change %s: %w", r.ChangeID, err)
		}
	}
	return nil
}

// auditRecord builds the audit record of one change result. Values of CPR
// fields and CPR-shaped numbers in texts are masked.
func auditRecord(plan *Plan, c *Change, r Result, operator, host string) AuditRecord {
	rec := AuditRecord{
		Time: r.At, OSUser: operator, Host: host, PlanID: plan.ID, ChangeID: c.ID,
		System: c.System, Op: c.Op, Key: auditKey(c), Subject: MaskCPRs(c.Subject),
		Before: map[string]string{}, After: map[string]string{},
		Phase: AuditResult, Result: string(r.Status), Error: MaskCPRs(r.Error), Note: MaskCPRs(r.Note),
	}
	for _, f := range c.Fields {
		before, after := f.Before, f.After
		if v, ok := r.filled[f.Attr]; ok && (after == KnownAfterApply || r.Note != "") {
			after = v
		}
		if IsCPRField(f) {
			before, after = MaskCPR(before), MaskCPR(after)
		}
		rec.Before[f.Attr] = MaskCPRs(before)
		rec.After[f.Attr] = MaskCPRs(after)
	}
	if r.NewKey != "" {
		rec.After["_key"] = r.NewKey
	}
	return rec
}

// auditKey is the target key as the audit log shows it.
func auditKey(c *Change) string {
	var parts []string
	if c.Target.DN != "" {
		parts = append(parts, c.Target.DN)
	}
	if c.Target.GUID != "" {
		parts = append(parts, c.Target.GUID)
	}
	if c.Target.UUID != "" {
		parts = append(parts, c.Target.UUID)
	}
	if len(parts) == 0 && c.MOUUID != "" {
		parts = append(parts, "mo:"+c.MOUUID)
	}
	return MaskCPRs(strings.Join(parts, " "))
}
