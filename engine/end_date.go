package engine

import (
	"strconv"
	"time"
)

// FileTimeNever is the accountExpires value AD gives an account that never
// expires (0 means the same).
const FileTimeNever = "9223372036854775807"

// fileTimeEpoch is 1601-01-01 UTC in Unix seconds (negative).
const fileTimeEpoch = -11644473600

// FileTime is t as a Windows FILETIME: 100-nanosecond intervals since
// 1601-01-01 UTC, the form of AD's accountExpires.
func FileTime(t time.Time) int64 {
	return (t.Unix()-fileTimeEpoch)*10_000_000 + int64(t.Nanosecond()/100)
}

// FromFileTime is the instant of a FILETIME; ok is false for 0 and
// FileTimeNever ("never") and for text that is not a FILETIME.
func FromFileTime(s string) (t time.Time, ok bool) {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 || s == FileTimeNever {
		return time.Time{}, false
	}
	return time.Unix(n/10_000_000+fileTimeEpoch, (n%10_000_000)*100).UTC(), true
}

// EngagementsEnd is when the last of p's current and future engagements
// ends (half-open: the first day it no longer holds); open is true when
// one of them has no end, ok false when p has none.
func EngagementsEnd(p *Person, now time.Time) (end time.Time, open, ok bool) {
	for i := range p.Engagements {
		v := p.Engagements[i].Validity
		if !v.CurrentOrFuture(now) {
			continue
		}
		ok = true
		if v.To.IsZero() {
			open = true
		} else if v.To.After(end) {
			end = v.To
		}
	}
	return end, open, ok
}

// endDateValue resolves "<attr> = mo engagement.end_date": when the
// person's engagements end. An integer attribute (accountExpires, a large
// integer) gets the FILETIME of the first day after the last day, so the
// account stops at the end of the engagement's last day, or "0" (never)
// when an engagement is open-ended; a text attribute gets the last day as
// YYYY-MM-DD, or nothing when open-ended. A person without a current or
// future engagement leaves the attribute alone (disabling is the
// account's own rule).
func (ap *adPlanner) endDateValue(r MappingRule, p *Person) (string, bool) {
	end, open, ok := EngagementsEnd(p, ap.o.Now)
	if !ok {
		return "", false
	}
	syn, found := ap.moSyn[r.Attr]
	if !found {
		syn = syntaxIn(ap.o.ADSchema, r.Attr)
	}
	if syn.integer || syn.large {
		if open {
			return "0", true
		}
		return strconv.FormatInt(FileTime(end), 10), true
	}
	if open {
		return "", r.Clear
	}
	return lastDay(end, ap.loc()), true
}
