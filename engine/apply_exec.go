package engine

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// execute applies one change whose dependencies succeeded.
func (ap *applier) execute(ctx context.Context, c *Change, r Result) Result {
	switch c.System {
	case SystemAD:
		if ap.o.Directory == nil {
			return r.with(ResultFailed, KindInvalid, errors.New("AD is not configured"))
		}
		return ap.executeAD(ctx, c, r)
	case SystemMO:
		if ap.o.MO == nil {
			return r.with(ResultFailed, KindInvalid, errors.New("MO writing is not configured"))
		}
		return ap.executeMO(ctx, c, r)
	case SystemSTS:
		if ap.o.STS == nil {
			return r.with(ResultFailed, KindInvalid, errors.New("STS is not configured"))
		}
		return ap.executeSTS(ctx, c, r)
	}
	return r.with(ResultFailed, KindInvalid, fmt.Errorf("unknown system %q", c.System))
}

// outcome turns an adapter error into a result: KindStale is stale,
// everything else failed.
func outcome(r Result, err error) Result {
	if err == nil {
		r.Status = ResultOK
		return r
	}
	k := KindOf(err)
	if k == KindStale {
		return r.with(ResultStale, k, err)
	}
	return r.with(ResultFailed, k, err)
}

func stale(r Result, format string, args ...any) Result {
	return r.with(ResultStale, KindStale, fmt.Errorf(format, args...))
}

// splitValues is the inverse of how the planner records a multi-valued
// Before: values joined by newlines, "" for none.
func splitValues(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

func sameFieldValues(f Field, a, b []string) bool {
	if IsCPRField(f) {
		return SameValues("", digitsAll(a), digitsAll(b))
	}
	return SameValues(f.Attr, a, b)
}

func digitsAll(vs []string) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = DigitsOnly(v)
	}
	return out
}

// newAccountFrom rebuilds the NewAccount of an AD create from its fields.
func newAccountFrom(c *Change) NewAccount {
	na := NewAccount{DN: c.Target.DN, Attrs: map[string][]string{}}
	for _, f := range c.Fields {
		switch strings.ToLower(f.Attr) {
		case "samaccountname":
			na.SAMAccountName = f.After
		case "userprincipalname":
			na.UPN = f.After
		case "cn":
			na.CN = f.After
		default:
			if f.After != "" {
				na.Attrs[strings.ToLower(f.Attr)] = []string{f.After}
			}
		}
	}
	return na
}

func (ap *applier) executeAD(ctx context.Context, c *Change, r Result) Result {
	d := ap.o.Directory
	if c.Op == OpCreate {
		na := newAccountFrom(c)
		if na.DN == "" || na.SAMAccountName == "" || na.CN == "" {
			return r.with(ResultFailed, KindInvalid, errors.New("create without DN, sAMAccountName or cn"))
		}
		acct, r, ok := ap.createAccount(ctx, c, na, r)
		if !ok {
			return r
		}
		ap.mu.Lock()
		ap.created[c.ID] = acct
		ap.mu.Unlock()
		r.NewKey = acct.GUID
		r.Status = ResultOK
		return r
	}
	if c.Op == OpDelete {
		return r.with(ResultRefused, KindRefused, errors.New("AD accounts are never deleted"))
	}
	if c.Target.GUID == "" {
		return r.with(ResultFailed, KindInvalid, errors.New("no objectGUID to re-read the account by"))
	}
	attrs := make([]string, 0, len(c.Fields))
	for _, f := range c.Fields {
		attrs = append(attrs, strings.ToLower(f.Attr))
	}
	cur, err := d.AccountByGUID(ctx, c.Target.GUID, attrs)
	if err != nil {
		if KindOf(err) == KindNotFound {
			return stale(r, "the account %s no longer exists", c.Target.GUID)
		}
		return outcome(r, err)
	}
	switch c.Op {
	case OpUpdate:
		var mods []AttrChange
		for _, f := range c.Fields {
			now := adValues(&cur, f.Attr)
			if !sameFieldValues(f, now, splitValues(f.Before)) {
				return stale(r, "%s is %q in AD, the plan expected %q", f.Attr, maskIfCPR(f, strings.Join(now, "; ")), maskIfCPR(f, f.Before))
			}
			var after []string
			if f.After != "" {
				after = []string{f.After}
			}
			mods = append(mods, AttrChange{Attr: strings.ToLower(f.Attr), Before: now, After: after})
		}
		return outcome(r, d.Modify(ctx, cur.DN, mods))
	case OpEnable, OpDisable:
		if len(c.Fields) == 1 && c.Fields[0].Before != "" {
			if want, err := strconv.Atoi(c.Fields[0].Before); err == nil && want != cur.UserAccountControl {
				return stale(r, "userAccountControl is %d in AD, the plan expected %d", cur.UserAccountControl, want)
			}
		}
		if cur.Disabled() == (c.Op == OpDisable) {
			return stale(r, "the account is already %sd", c.Op)
		}
		return outcome(r, d.SetDisabled(ctx, cur.DN, cur.UserAccountControl, c.Op == OpDisable))
	case OpRename:
		if len(c.Fields) != 1 || c.Fields[0].After == "" {
			return r.with(ResultFailed, KindInvalid, errors.New("rename without a new cn"))
		}
		f := c.Fields[0]
		if !strings.EqualFold(cur.CN, f.Before) {
			return stale(r, "cn is %q in AD, the plan expected %q", cur.CN, f.Before)
		}
		dn, err := d.Rename(ctx, cur.DN, f.After)
		if err != nil {
			return outcome(r, err)
		}
		r.NewKey = dn
		r.Status = ResultOK
		return r
	}
	return r.with(ResultFailed, KindInvalid, fmt.Errorf("unsupported AD operation %q", c.Op))
}

func maskIfCPR(f Field, v string) string {
	if IsCPRField(f) {
		return MaskCPR(v)
	}
	return v
}

func (ap *applier) executeMO(ctx context.Context, c *Change, r Result) Result {
	if c.ITUser == nil {
		return ap.executeMOField(ctx, c, r)
	}
	w := *c.ITUser
	if w.PersonUUID == KnownAfterApply {
		ap.mu.Lock()
		w.PersonUUID = ap.createdMO[c.DependsOn]
		ap.mu.Unlock()
		if w.PersonUUID == "" {
			return r.with(ResultFailed, KindInvalid, errors.New("the MO person this IT user belongs to was not created in this run"))
		}
	}
	if c.DependsOn != "" {
		ap.mu.Lock()
		acct, ok := ap.created[c.DependsOn]
		ap.mu.Unlock()
		if ok {
			for _, f := range c.Fields {
				attr, isAD := strings.CutPrefix(f.Source, "ad ")
				if !isAD {
					continue
				}
				v := ""
				if vs := adValues(&acct, attr); len(vs) > 0 {
					v = vs[0]
				}
				switch f.Attr {
				case "user_key":
					w.UserKey = v
				case "external_id":
					w.ExternalID = v
				}
			}
		}
	}
	if w.UserKey == KnownAfterApply || w.ExternalID == KnownAfterApply {
		return r.with(ResultFailed, KindInvalid, errors.New("the AD account this write-back depends on was not created in this run"))
	}
	if reader, ok := ap.o.MO.(MOITUserReader); ok {
		its, err := reader.ITUsers(ctx, w.PersonUUID)
		if err != nil {
			return outcome(r, err)
		}
		if res, isStale := moStale(c, w, its, r); isStale {
			return res
		}
	}
	r.filled = map[string]string{"user_key": w.UserKey, "external_id": w.ExternalID}
	switch c.Op {
	case OpCreate:
		uuid, err := ap.o.MO.CreateITUser(ctx, w)
		if err != nil {
			return outcome(r, err)
		}
		r.NewKey = uuid
		r.Status = ResultOK
		return r
	case OpUpdate:
		return outcome(r, ap.o.MO.UpdateITUser(ctx, w))
	}
	return r.with(ResultFailed, KindInvalid, fmt.Errorf("unsupported MO operation %q", c.Op))
}

// moStale checks an IT-user write against what MO holds now.
func moStale(c *Change, w ITUserWrite, its []ITUser, r Result) (Result, bool) {
	if c.Op == OpCreate {
		for _, it := range its {
			if it.ITSystemUUID != w.ITSystemUUID {
				continue
			}
			if (w.ExternalID != "" && strings.EqualFold(it.ExternalID, w.ExternalID)) || (w.UserKey != "" && it.UserKey == w.UserKey) {
				return stale(r, "MO already has this IT user (%s)", it.UUID), true
			}
		}
		return r, false
	}
	for _, it := range its {
		if it.UUID != w.UUID {
			continue
		}
		for _, f := range c.Fields {
			switch f.Attr {
			case "user_key":
				if it.UserKey != f.Before {
					return stale(r, "the IT user's user_key is %q in MO, the plan expected %q", it.UserKey, f.Before), true
				}
			case "external_id":
				if !strings.EqualFold(it.ExternalID, f.Before) {
					return stale(r, "the IT user's external_id is %q in MO, the plan expected %q", it.ExternalID, f.Before), true
				}
			}
		}
		return r, false
	}
	return stale(r, "the IT user %s no longer exists in MO", w.UUID), true
}

func (ap *applier) executeSTS(ctx context.Context, c *Change, r Result) Result {
	if rr, ok := ap.o.STS.(STSRecordReader); ok {
		if why, isStale := stsStale(c, rr); isStale {
			return stale(r, "%s", why)
		}
	}
	return outcome(r, ApplySTSChange(ctx, ap.o.STS, c))
}
