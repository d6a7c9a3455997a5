package engine

import (
	"fmt"
	"strings"
)

// stsStale checks an STS change against the local record: a create of an
// object the record already has, an update whose Before values the record
// no longer holds, or a delete of an object the record no longer has is
// stale. ok is false when the change may go ahead.
func stsStale(c *Change, rr STSRecordReader) (why string, isStale bool) {
	uuid := strings.ToLower(c.Target.UUID)
	var have []stsAttr
	var found bool
	switch STSObjectKind(c) {
	case "orgunit":
		var u STSUnit
		if u, found = rr.RecordedUnit(uuid); found {
			have = unitFields(&u)
		}
	case "user":
		var u STSUser
		if u, found = rr.RecordedUser(uuid); found {
			have = userFields(&u)
		}
	default:
		return "", false
	}
	switch c.Op {
	case OpCreate:
		if found {
			return "STS already has it (per the local record)", true
		}
	case OpDelete:
		if !found {
			return "it is already gone from STS (per the local record)", true
		}
	case OpUpdate:
		if !found {
			return "it is no longer in STS (per the local record)", true
		}
		vals := make(map[string]stsAttr, len(have))
		for _, a := range have {
			vals[a.attr] = a
		}
		for _, f := range c.Fields {
			a, ok := vals[f.Attr]
			now := a.value
			if ok && a.cpr {
				now = MaskCPR(now)
			}
			if normSTS(f.Attr, now) != normSTS(f.Attr, f.Before) {
				return fmt.Sprintf("%s is %q in STS (per the local record), the plan expected %q", f.Attr, MaskCPRs(now), MaskCPRs(f.Before)), true
			}
		}
	}
	return "", false
}

func normSTS(attr, v string) string {
	v = strings.TrimSpace(v)
	if strings.HasSuffix(attr, "Uuid") || strings.HasSuffix(attr, "Uuids") {
		v = strings.ToLower(v)
	}
	return v
}
