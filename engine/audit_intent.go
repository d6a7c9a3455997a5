package engine

import (
	"context"
	"fmt"
	"strings"
)

// The write-ahead half of the audit log: before Apply sends a change's
// write, it records an intent (AuditIntent) naming the change, its target
// and the values it is about to write, synced to disk by the sink. After
// the write returns, finish records the result as before. A crash between
// the two leaves an intent without a result, which the next run reports
// and checks (UnfinishedIntents, CheckIntents).

// intent records c's intent before its write is dispatched. It returns a
// non-nil error, and stops the apply as a failed audit write does, when
// the intent cannot be recorded: then c must not be written. Changes that
// can write nothing (an AD delete, a system that is not configured) get
// no intent.
func (ap *applier) intent(ctx context.Context, c *Change) error {
	if ap.o.Audit == nil || !ap.mayWrite(c) {
		return nil
	}
	var filled map[string]string
	if c.System == SystemMO && c.DependsOn != "" {
		ap.mu.Lock()
		acct, ok := ap.created[c.DependsOn]
		ap.mu.Unlock()
		if ok {
			filled = writeBackValues(c, &acct)
		}
	}
	return ap.recordIntent(ctx, c, filled, "", "")
}

// mayWrite reports whether executing c may send a write.
func (ap *applier) mayWrite(c *Change) bool {
	switch c.System {
	case SystemAD:
		return ap.o.Directory != nil && c.Op != OpDelete
	case SystemMO:
		return ap.o.MO != nil
	case SystemSTS:
		return ap.o.STS != nil
	}
	return false
}

// recordIntent writes the intent record of c with the values in filled
// replacing the planned ones (the known-after-apply values of a
// write-back, a replaced username; with a note saying why) and dn, when
// set, the planned DN of an AD create.
func (ap *applier) recordIntent(ctx context.Context, c *Change, filled map[string]string, note, dn string) error {
	rec := auditRecord(ap.plan, c, Result{At: ap.now(), filled: filled, Note: note}, ap.o.Operator, ap.o.Host)
	rec.Phase, rec.Result = AuditIntent, ""
	rec.Target = intentTarget(c)
	if dn != "" {
		rec.Target.DN = MaskCPRs(dn)
	}
	if err := ap.o.Audit.Record(context.WithoutCancel(ctx), rec); err != nil {
		ap.mu.Lock()
		if ap.auditErr == nil {
			ap.auditErr = fmt.Errorf("apply: audit log: %w", err)
		}
		ap.mu.Unlock()
		ap.cancel()
		return err
	}
	return nil
}

// intentTarget is what a later run needs to read c's target back.
func intentTarget(c *Change) *AuditTarget {
	t := &AuditTarget{DN: MaskCPRs(c.Target.DN), GUID: c.Target.GUID, UUID: c.Target.UUID, MOUUID: c.MOUUID,
		STSKind: STSObjectKind(c)}
	switch {
	case c.Engagement != nil:
		t.MOKind = "engagement"
	case c.Address != nil:
		t.MOKind = "address"
	case c.Class != nil:
		t.MOKind = "class"
	case c.Person != nil:
		t.MOKind = "person"
	}
	if c.ITUser != nil {
		t.ITSystemUUID = c.ITUser.ITSystemUUID
		if t.MOUUID == "" {
			t.MOUUID = c.ITUser.PersonUUID
		}
	}
	return t
}

// writeBackValues are the values an MO write-back takes from the account
// its AD create made (fields with source "ad <attr>"), by field name.
func writeBackValues(c *Change, acct *Account) map[string]string {
	out := map[string]string{}
	for _, f := range c.Fields {
		attr, isAD := strings.CutPrefix(f.Source, "ad ")
		if !isAD {
			continue
		}
		v := ""
		if vs := adValues(acct, attr); len(vs) > 0 {
			v = vs[0]
		}
		out[f.Attr] = v
	}
	return out
}

// intentChangeKey is the context key under which execute's context carries
// the change being applied, for intentDirectory.
type intentChangeKey struct{}

// withIntentChange returns ctx carrying c.
func withIntentChange(ctx context.Context, c *Change) context.Context {
	return context.WithValue(ctx, intentChangeKey{}, c)
}

// intentDirectory records a further intent when an AD create is sent with
// another username, UPN, cn or DN than its first intent named (the
// generator's next candidate, after AD said the planned name is in use),
// so the last intent always names what may have been written.
type intentDirectory struct {
	Directory
	ap *applier
}

// Create records the intent of a create that differs from the change's
// planned account, then creates.
func (d intentDirectory) Create(ctx context.Context, na NewAccount) (Account, error) {
	if c, ok := ctx.Value(intentChangeKey{}).(*Change); ok && c.System == SystemAD && c.Op == OpCreate {
		planned := newAccountFrom(c)
		if na.SAMAccountName != planned.SAMAccountName || na.UPN != planned.UPN || na.CN != planned.CN || na.DN != planned.DN {
			filled := map[string]string{}
			for _, f := range c.Fields {
				switch strings.ToLower(f.Attr) {
				case "samaccountname":
					filled[f.Attr] = na.SAMAccountName
				case "userprincipalname":
					filled[f.Attr] = na.UPN
				case "cn":
					filled[f.Attr] = na.CN
				}
			}
			note := fmt.Sprintf("the username %s is in use in AD; creating the account as %s", planned.SAMAccountName, na.SAMAccountName)
			if err := d.ap.recordIntent(ctx, c, filled, note, na.DN); err != nil {
				return Account{}, fmt.Errorf("create %s: audit log: %w", na.DN, err)
			}
		}
	}
	return d.Directory.Create(ctx, na)
}
