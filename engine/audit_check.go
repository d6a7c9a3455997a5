package engine

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// IntentState is what a later run found in the target of an intent that
// has no result line.
type IntentState string

// The states of an unfinished intent.
const (
	// IntentWritten: the target holds the intent's after values.
	IntentWritten IntentState = "written"
	// IntentNotWritten: the target does not hold them (the write did not
	// happen, or the target changed since).
	IntentNotWritten IntentState = "not_written"
	// IntentUnknown: the target could not be read back (Err says why).
	IntentUnknown IntentState = "unknown"
)

// IntentCheck is the check of one unfinished intent.
type IntentCheck struct {
	Intent AuditRecord
	State  IntentState
	// Detail says what the target holds where it differs, CPRs masked.
	Detail string
	// Err is why the target could not be read (State IntentUnknown).
	// Retry says the failure may pass (the system did not answer): the
	// intent is not recorded, and the next run checks it again.
	Err   error
	Retry bool
}

// CheckIntents reads the target of each unfinished intent back through
// the ports of o (Directory, MO, STS), with the same re-reads Apply makes
// before a write, and says whether it holds the intent's after values.
// Values are compared as the audit log shows them (CPR numbers masked).
// An AD create is looked up by its DN (or sAMAccountName) among the
// accounts, read once for all creates; everything else by its key.
func CheckIntents(ctx context.Context, intents []AuditRecord, o ApplyOptions) []IntentCheck {
	ic := intentChecker{o: o}
	out := make([]IntentCheck, 0, len(intents))
	for _, in := range intents {
		chk := IntentCheck{Intent: in}
		chk.State, chk.Detail, chk.Err = ic.check(ctx, &in)
		if chk.Err != nil {
			chk.State = IntentUnknown
			chk.Retry = KindOf(chk.Err) != KindInvalid
		}
		out = append(out, chk)
	}
	return out
}

// RecordIntentChecks appends to sink, for each check that is final (not
// to be retried), the result line of its intent, so it is not reported
// again: result ok (written), failed (not written) or unknown, with
// Recovered set and a note saying a later run checked it.
func RecordIntentChecks(ctx context.Context, sink AuditSink, checks []IntentCheck, at time.Time, operator, host string) error {
	for _, chk := range checks {
		if chk.Retry {
			continue
		}
		if err := sink.Record(ctx, IntentResult(chk, at, operator, host)); err != nil {
			return fmt.Errorf("audit: record the check of change %s: %w", chk.Intent.ChangeID, err)
		}
	}
	return nil
}

// IntentResult is the result line a later run records for a checked
// intent.
func IntentResult(chk IntentCheck, at time.Time, operator, host string) AuditRecord {
	r := chk.Intent
	r.Time, r.OSUser, r.Host = at, operator, host
	r.Phase, r.Target, r.Recovered = AuditResult, nil, chk.State
	note := "the apply that recorded the intent did not finish; checked at " + at.UTC().Format(time.RFC3339)
	switch chk.State {
	case IntentWritten:
		r.Result, r.Error = string(ResultOK), ""
		r.Note = note + ": the target holds the after values"
	case IntentNotWritten:
		r.Result, r.Error = string(ResultFailed), "the apply stopped before this change was written"
		r.Note = note + ": the target does not hold the after values"
		if chk.Detail != "" {
			r.Note += " (" + chk.Detail + ")"
		}
	default:
		r.Result, r.Error = "unknown", ""
		r.Note = note + ": the target could not be read back"
		if chk.Err != nil {
			r.Error = MaskCPRs(chk.Err.Error())
		}
	}
	return r
}

// intentChecker reads targets back for CheckIntents.
type intentChecker struct {
	o        ApplyOptions
	accounts []Account // all accounts, read for the first AD create
	read     bool
}

func (ic *intentChecker) check(ctx context.Context, in *AuditRecord) (IntentState, string, error) {
	t := in.Target
	if t == nil {
		t = &AuditTarget{}
	}
	switch in.System {
	case SystemAD:
		if ic.o.Directory == nil {
			return "", "", E(KindInvalid, "audit: check", in.ChangeID, fmt.Errorf("AD is not configured"))
		}
		return ic.checkAD(ctx, in, t)
	case SystemMO:
		if t.MOKind != "" {
			return checkMOField(ctx, in, t, ic.o.MO)
		}
		r, ok := ic.o.MO.(MOITUserReader)
		if !ok {
			return "", "", E(KindInvalid, "audit: check", in.ChangeID, fmt.Errorf("MO is not configured for reading IT users back"))
		}
		return checkMO(ctx, in, t, r)
	case SystemSTS:
		if ic.o.STS == nil {
			return "", "", E(KindInvalid, "audit: check", in.ChangeID, fmt.Errorf("STS is not configured"))
		}
		return checkSTS(ctx, in, t, ic.o.STS)
	}
	return "", "", E(KindInvalid, "audit: check", in.ChangeID, fmt.Errorf("unknown system %q", in.System))
}

// afterAttrs are the mapped AD attributes an intent wrote, lower-cased:
// not the identity attributes every Account carries.
func afterAttrs(in *AuditRecord) []string {
	var out []string
	for a := range in.After {
		switch a = strings.ToLower(a); a {
		case "samaccountname", "userprincipalname", "cn", "distinguishedname", "objectguid", "useraccountcontrol":
			continue
		}
		if !strings.HasPrefix(a, "_") {
			out = append(out, a)
		}
	}
	return out
}

func (ic *intentChecker) checkAD(ctx context.Context, in *AuditRecord, t *AuditTarget) (IntentState, string, error) {
	d := ic.o.Directory
	var acct Account
	if in.Op == OpCreate {
		if !ic.read {
			accts, err := d.Accounts(ctx, afterAttrs(in))
			if err != nil {
				return "", "", fmt.Errorf("audit: check change %s: read AD accounts: %w", in.ChangeID, err)
			}
			ic.accounts, ic.read = accts, true
		}
		sam := afterValue(in, "sAMAccountName")
		found := false
		for _, a := range ic.accounts {
			if (t.DN != "" && strings.EqualFold(a.DN, t.DN)) || (sam != "" && strings.EqualFold(a.SAMAccountName, sam)) {
				acct, found = a, true
				break
			}
		}
		if !found {
			return IntentNotWritten, "AD has no account at " + t.DN + " nor named " + sam, nil
		}
		if missing := ic.missingAttrs(in, &acct); len(missing) > 0 {
			// The account list was read with the first create's attributes.
			a, err := d.AccountByGUID(ctx, acct.GUID, afterAttrs(in))
			if err != nil {
				return "", "", fmt.Errorf("audit: check change %s: read account %s: %w", in.ChangeID, acct.GUID, err)
			}
			acct = a
		}
		return sameAfter(in, func(attr string) []string { return adValues(&acct, attr) }, "AD")
	}
	if t.GUID == "" {
		return "", "", E(KindInvalid, "audit: check", in.ChangeID, fmt.Errorf("the intent names no objectGUID"))
	}
	acct, err := d.AccountByGUID(ctx, t.GUID, afterAttrs(in))
	if err != nil {
		if KindOf(err) == KindNotFound {
			return IntentNotWritten, "the account " + t.GUID + " no longer exists", nil
		}
		return "", "", fmt.Errorf("audit: check change %s: read account %s: %w", in.ChangeID, t.GUID, err)
	}
	switch in.Op {
	case OpEnable, OpDisable:
		if acct.Disabled() == (in.Op == OpDisable) {
			return IntentWritten, "", nil
		}
		return IntentNotWritten, fmt.Sprintf("the account is not %sd (userAccountControl %d)", in.Op, acct.UserAccountControl), nil
	case OpRename:
		cn := afterValue(in, "cn")
		if strings.EqualFold(acct.CN, cn) {
			return IntentWritten, "", nil
		}
		return IntentNotWritten, fmt.Sprintf("cn is %q in AD", MaskCPRs(acct.CN)), nil
	}
	return sameAfter(in, func(attr string) []string { return adValues(&acct, attr) }, "AD")
}

// missingAttrs are the after attributes a's read did not include.
func (ic *intentChecker) missingAttrs(in *AuditRecord, a *Account) []string {
	var out []string
	for _, attr := range afterAttrs(in) {
		if _, ok := a.Attrs[attr]; !ok {
			out = append(out, attr)
		}
	}
	return out
}

// afterValue is the intent's after value of attr (case-insensitive).
func afterValue(in *AuditRecord, attr string) string {
	for k, v := range in.After {
		if strings.EqualFold(k, attr) {
			return v
		}
	}
	return ""
}

// sameAfter compares every after value of in (but a known-after-apply
// one, and _key) with what have gives for its attribute, as the audit log
// shows values: CPR-shaped numbers masked, multiple values one a line.
func sameAfter(in *AuditRecord, have func(attr string) []string, system string) (IntentState, string, error) {
	for attr, want := range in.After {
		if strings.HasPrefix(attr, "_") || want == KnownAfterApply {
			continue
		}
		got := have(attr)
		shown := make([]string, len(got))
		for i, v := range got {
			shown[i] = MaskCPRs(v)
		}
		if !SameValues(attr, shown, splitValues(want)) {
			return IntentNotWritten, fmt.Sprintf("%s is %q in %s", attr, strings.Join(shown, "; "), system), nil
		}
	}
	return IntentWritten, "", nil
}

func checkMO(ctx context.Context, in *AuditRecord, t *AuditTarget, r MOITUserReader) (IntentState, string, error) {
	if t.MOUUID == "" {
		return "", "", E(KindInvalid, "audit: check", in.ChangeID, fmt.Errorf("the intent names no MO person"))
	}
	its, err := r.ITUsers(ctx, t.MOUUID)
	if err != nil {
		return "", "", fmt.Errorf("audit: check change %s: read the IT users of %s: %w", in.ChangeID, t.MOUUID, err)
	}
	var best *ITUser
	for i := range its {
		it := &its[i]
		if in.Op == OpUpdate && it.UUID == t.UUID {
			best = it
			break
		}
		if in.Op == OpCreate && it.ITSystemUUID == t.ITSystemUUID {
			if best == nil || moMatches(in, it) {
				best = it
			}
		}
	}
	if best == nil {
		return IntentNotWritten, "MO has no IT user of this person in the IT system", nil
	}
	return sameAfter(in, func(attr string) []string {
		switch attr {
		case "user_key":
			return []string{best.UserKey}
		case "external_id":
			return []string{best.ExternalID}
		}
		return nil
	}, "MO")
}

// moMatches reports whether it holds every after value of in.
func moMatches(in *AuditRecord, it *ITUser) bool {
	for attr, want := range in.After {
		switch attr {
		case "user_key":
			if it.UserKey != want {
				return false
			}
		case "external_id":
			if !strings.EqualFold(it.ExternalID, want) {
				return false
			}
		}
	}
	return true
}

func checkSTS(ctx context.Context, in *AuditRecord, t *AuditTarget, s STSTarget) (IntentState, string, error) {
	uuid := t.UUID
	if uuid == "" {
		uuid = t.MOUUID
	}
	var have []stsAttr
	var err error
	switch t.STSKind {
	case "orgunit":
		var u STSUnit
		if u, err = s.GetUnit(ctx, uuid); err == nil {
			have = unitFields(&u)
		}
	case "user":
		var u STSUser
		if u, err = s.GetUser(ctx, uuid); err == nil {
			have = userFields(&u)
		}
	default:
		return "", "", E(KindInvalid, "audit: check", in.ChangeID, fmt.Errorf("the intent names no STS object kind"))
	}
	gone := KindOf(err) == KindNotFound
	switch {
	case err != nil && !gone:
		return "", "", fmt.Errorf("audit: check change %s: read STS %s %s: %w", in.ChangeID, t.STSKind, uuid, err)
	case in.Op == OpDelete && gone:
		return IntentWritten, "", nil
	case in.Op == OpDelete:
		return IntentNotWritten, "STS still has it", nil
	case gone:
		return IntentNotWritten, "STS does not have it", nil
	}
	vals := make(map[string]stsAttr, len(have))
	for _, a := range have {
		vals[a.attr] = a
	}
	for attr, want := range in.After {
		a := vals[attr]
		if want == "" && a.generated {
			continue // the middleware fills it in when we send none
		}
		got := a.value
		if a.cpr {
			got = MaskCPR(got)
		}
		if normSTS(attr, MaskCPRs(got)) != normSTS(attr, want) {
			return IntentNotWritten, fmt.Sprintf("%s is %q in STS", attr, MaskCPRs(got)), nil
		}
	}
	return IntentWritten, "", nil
}

// checkMOField reads back the MO object of an AD → MO field write: the
// person's engagement or address (by the intent's uuid, or for a new
// address by value). A new class or person cannot be looked up by key
// and is reported as not checkable (KindInvalid: not retried).
func checkMOField(ctx context.Context, in *AuditRecord, t *AuditTarget, mo MOWriter) (IntentState, string, error) {
	r, ok := mo.(MOPersonReader)
	if !ok || t.MOUUID == "" || (t.MOKind != "engagement" && t.MOKind != "address") {
		return "", "", E(KindInvalid, "audit: check", in.ChangeID, fmt.Errorf("an MO %s write cannot be read back; check it in MO", t.MOKind))
	}
	p, err := r.PersonNow(ctx, t.MOUUID)
	if err != nil {
		return "", "", fmt.Errorf("audit: check change %s: read MO person %s: %w", in.ChangeID, t.MOUUID, err)
	}
	if p == nil {
		return IntentNotWritten, "MO has no person " + t.MOUUID, nil
	}
	if _, ok := in.After["end_date"]; ok && t.MOKind == "engagement" {
		return "", "", E(KindInvalid, "audit: check", in.ChangeID, fmt.Errorf("an engagement's end date cannot be read back by day; check it in MO"))
	}
	if t.MOKind == "engagement" {
		for i := range p.Engagements {
			if e := &p.Engagements[i]; e.UUID == t.UUID {
				return sameAfter(in, func(attr string) []string {
					switch attr {
					case "job_function":
						return []string{e.JobFunction}
					case "user_key":
						return []string{e.UserKey}
					}
					if strings.HasPrefix(attr, "extension_") {
						return []string{e.Extensions[attr]}
					}
					return nil
				}, "MO")
			}
		}
		return IntentNotWritten, "MO has no engagement " + t.UUID, nil
	}
	for attr, want := range in.After {
		if !strings.HasPrefix(attr, "address.") {
			continue
		}
		kind := strings.TrimPrefix(attr, "address.")
		a := pickAddress(p.Addresses, kind, time.Now())
		switch {
		case in.Op == OpDelete && (a == nil || a.UUID != t.UUID):
			return IntentWritten, "", nil
		case in.Op == OpDelete:
			return IntentNotWritten, "the address is still current in MO", nil
		case a != nil && holdsAddressValue(p.Addresses, kind, a.Scope, want, time.Now()):
			return IntentWritten, "", nil // the written address need not be the one picked now
		}
		return IntentNotWritten, "MO's " + attr + " is not " + strconv.Quote(want), nil
	}
	return IntentUnknown, "no address field in the intent", nil
}
