package engine_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"moxsync/engine"
	"moxsync/engine/enginetest"
)

// eventLog is one ordered log of the audit records and the writes the
// ports received, so a test can see which came first.
type eventLog struct {
	mu     sync.Mutex
	events []event
}

// event is an audit record (rec set) or a write sent to a port (key set:
// the DN, person or object uuid it was sent for).
type event struct {
	rec       *engine.AuditRecord
	system    engine.System
	op, key   string
	sam, guid string
}

func (l *eventLog) add(e event) {
	l.mu.Lock()
	l.events = append(l.events, e)
	l.mu.Unlock()
}

func (l *eventLog) all() []event {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]event(nil), l.events...)
}

// Record is the AuditSink half of the log.
func (l *eventLog) Record(_ context.Context, r engine.AuditRecord) error {
	l.add(event{rec: &r})
	return nil
}

// spyDir, spyMO and spySTS log each write before passing it on.
type spyDir struct {
	*enginetest.Directory
	log *eventLog
}

func (d spyDir) Create(ctx context.Context, na engine.NewAccount) (engine.Account, error) {
	d.log.add(event{system: engine.SystemAD, op: "create", key: na.DN, sam: na.SAMAccountName})
	return d.Directory.Create(ctx, na)
}

func (d spyDir) Modify(ctx context.Context, dn string, ch []engine.AttrChange) error {
	d.log.add(event{system: engine.SystemAD, op: "modify", key: dn})
	return d.Directory.Modify(ctx, dn, ch)
}

func (d spyDir) SetDisabled(ctx context.Context, dn string, uac int, disabled bool) error {
	d.log.add(event{system: engine.SystemAD, op: "disable", key: dn})
	return d.Directory.SetDisabled(ctx, dn, uac, disabled)
}

func (d spyDir) Rename(ctx context.Context, dn, cn string) (string, error) {
	d.log.add(event{system: engine.SystemAD, op: "rename", key: dn})
	return d.Directory.Rename(ctx, dn, cn)
}

type spyMO struct {
	*enginetest.MO
	log *eventLog
}

func (m spyMO) CreateITUser(ctx context.Context, u engine.ITUserWrite) (string, error) {
	m.log.add(event{system: engine.SystemMO, op: "create", key: u.PersonUUID, guid: u.ExternalID})
	return m.MO.CreateITUser(ctx, u)
}

func (m spyMO) UpdateITUser(ctx context.Context, u engine.ITUserWrite) error {
	m.log.add(event{system: engine.SystemMO, op: "update", key: u.PersonUUID, guid: u.ExternalID})
	return m.MO.UpdateITUser(ctx, u)
}

type spySTS struct {
	*enginetest.STS
	log *eventLog
}

func (s spySTS) UpsertUnit(ctx context.Context, u engine.STSUnit) error {
	s.log.add(event{system: engine.SystemSTS, op: "upsert", key: u.UUID})
	return s.STS.UpsertUnit(ctx, u)
}

func (s spySTS) UpsertUser(ctx context.Context, u engine.STSUser) error {
	s.log.add(event{system: engine.SystemSTS, op: "upsert", key: u.UUID})
	return s.STS.UpsertUser(ctx, u)
}

func (s spySTS) DeleteUnit(ctx context.Context, uuid string) error {
	s.log.add(event{system: engine.SystemSTS, op: "delete", key: uuid})
	return s.STS.DeleteUnit(ctx, uuid)
}

func (s spySTS) DeleteUser(ctx context.Context, uuid string) error {
	s.log.add(event{system: engine.SystemSTS, op: "delete", key: uuid})
	return s.STS.DeleteUser(ctx, uuid)
}

// spyOptions are f's apply options with every port and the audit sink
// logging to one eventLog.
func spyOptions(f *fixture, log *eventLog) engine.ApplyOptions {
	o := f.applyOptions(log)
	o.Directory, o.MO, o.STS = spyDir{f.dir, log}, spyMO{f.mo, log}, spySTS{f.sts, log}
	return o
}

// intentNames reports whether intent rec is for the write w: the same
// system and target (DN of an AD account, MO person, STS object), and for
// an AD create the same username, for an MO write-back the same GUID.
func intentNames(rec *engine.AuditRecord, w event) bool {
	t := rec.Target
	if rec.Phase != engine.AuditIntent || t == nil || rec.System != w.system {
		return false
	}
	switch w.system {
	case engine.SystemAD:
		if w.op == "create" && rec.After["sAMAccountName"] != w.sam {
			return false
		}
		return strings.EqualFold(t.DN, w.key)
	case engine.SystemMO:
		return t.MOUUID == w.key && (w.guid == "" || strings.EqualFold(rec.After["external_id"], w.guid))
	}
	return strings.EqualFold(t.UUID, w.key)
}

// TestApplyRecordsIntentBeforeEachWrite: every write any port receives is
// preceded by an intent naming its target and values, and followed by the
// result line of the same change; the MO write-back's intent holds the
// GUID AD assigned, not "(known after apply)".
func TestApplyRecordsIntentBeforeEachWrite(t *testing.T) {
	f := newFixture(t)
	p := f.plan(t, f.options())
	log := &eventLog{}
	o := spyOptions(f, log)
	o.AllowDeletes = destructiveCount(p)
	sum, err := engine.Apply(context.Background(), p, o)
	if err != nil || sum.OK != len(p.Changes) {
		t.Fatalf("apply: %v (%d of %d ok)", err, sum.OK, len(p.Changes))
	}
	events := log.all()
	writes, systems := 0, map[engine.System]bool{}
	for i, w := range events {
		if w.rec != nil {
			continue
		}
		writes++
		systems[w.system] = true
		var intent *engine.AuditRecord
		for j := i - 1; j >= 0 && intent == nil; j-- {
			if r := events[j].rec; r != nil && intentNames(r, w) {
				intent = r
			}
		}
		if intent == nil {
			t.Errorf("%s %s %s was written with no intent before it", w.system, w.op, w.key)
			continue
		}
		result := false
		for _, e := range events[i+1:] {
			if r := e.rec; r != nil && r.Phase == engine.AuditResult && r.ChangeID == intent.ChangeID && r.PlanID == p.ID {
				result = true
			}
		}
		if !result {
			t.Errorf("change %s: no result line after its write", intent.ChangeID)
		}
		for k, v := range intent.After {
			if v == engine.KnownAfterApply {
				t.Errorf("intent of %s %s: %s = %q", intent.System, intent.Op, k, v)
			}
		}
		if intent.Result != "" {
			t.Errorf("intent of change %s has result %q", intent.ChangeID, intent.Result)
		}
	}
	if writes == 0 || !systems[engine.SystemAD] || !systems[engine.SystemMO] || !systems[engine.SystemSTS] {
		t.Fatalf("%d writes, to %v: the fixture should write to AD, MO and STS", writes, systems)
	}
}

// TestApplyIntentFailureWritesNothing: when the intent cannot be recorded
// (a full disk), its change is not written, nor any after it.
func TestApplyIntentFailureWritesNothing(t *testing.T) {
	f := newFixture(t)
	p := f.plan(t, f.options())
	o := f.applyOptions(&enginetest.Audit{FailIntents: errors.New("disk full")})
	o.AllowDeletes = destructiveCount(p)
	sum, err := engine.Apply(context.Background(), p, o)
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("err = %v", err)
	}
	if w := f.dir.Writes() + f.mo.Writes(); w != 0 || sum.OK != 0 || len(f.sts.Record().Units) != 0 {
		t.Errorf("after the intent failed: %d AD/MO writes, %d STS units, %d ok", w, len(f.sts.Record().Units), sum.OK)
	}
	if sum.Skipped != len(p.Changes) {
		t.Errorf("skipped %d of %d", sum.Skipped, len(p.Changes))
	}
}

// TestApplyRetriedCreateRecordsIntent: a create AD refuses because the
// username was taken since the plan gets a second intent naming the next
// candidate before it is sent with it.
func TestApplyRetriedCreateRecordsIntent(t *testing.T) {
	gen, err := engine.NewUsernameGenerator(engine.DefaultUsernameConfig())
	if err != nil {
		t.Fatal(err)
	}
	f := newFixture(t)
	po := f.options()
	po.Usernames = gen
	p := f.plan(t, po)
	c := jensCreate(t, p)
	f.dir.ReserveName(fieldAfter(c, "sAMAccountName"))
	log := &eventLog{}
	o := spyOptions(f, log)
	o.Usernames, o.UsernameClash = gen, engine.ClashNextCandidate
	o.Only = []string{c.ID}
	if _, err := engine.Apply(context.Background(), p, o); err != nil {
		t.Fatal(err)
	}
	var intents []string
	var sent []string
	for _, e := range log.all() {
		switch {
		case e.rec != nil && e.rec.Phase == engine.AuditIntent:
			intents = append(intents, e.rec.After["sAMAccountName"])
		case e.rec == nil && e.op == "create":
			sent = append(sent, e.sam)
			if len(intents) == 0 || intents[len(intents)-1] != e.sam {
				t.Errorf("create sent as %s after intents %v", e.sam, intents)
			}
		}
	}
	if len(sent) != 2 || len(intents) != 2 || sent[0] == sent[1] {
		t.Errorf("creates sent %v, intents %v: want the planned name, then the next candidate", sent, intents)
	}
}
