package mo

import (
	"fmt"
	"time"
	_ "time/tzdata" // MO's dates are Copenhagen dates; do not depend on the host's zoneinfo

	"moxsync/engine"
)

// copenhagen is the zone MO's plain dates are in.
var copenhagen = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Copenhagen")
	if err != nil {
		panic(err) // embedded by time/tzdata
	}
	return loc
}()

// dateLayout is MO's REST date form.
const dateLayout = "2006-01-02"

// parseMOTime reads a REST date ("2017-01-01", Copenhagen midnight) or a
// GraphQL DateTime ("2017-01-01T00:00:00+01:00"). The result is in the
// Copenhagen zone, so equal instants compare equal with ==.
func parseMOTime(s string) (time.Time, error) {
	if len(s) == len(dateLayout) {
		return time.ParseInLocation(dateLayout, s, copenhagen)
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		// Some MO versions omit the offset; such a time is Copenhagen time.
		t2, err2 := time.ParseInLocation("2006-01-02T15:04:05.999999999", s, copenhagen)
		if err2 != nil {
			return time.Time{}, err
		}
		t = t2
	}
	return t.In(copenhagen), nil
}

// wireValidity is a validity as MO sends it; a null (so "") To is
// open-ended.
type wireValidity struct {
	From wstr `json:"from"`
	To   wstr `json:"to"`
}

// check is the gap of a validity MO always sends: both keys, and a from
// unless the validity is open (GraphQL's OpenValidity of people, classes
// and IT systems). A validity that is absent or null sets neither key and
// is reported as lacking "validity".
func (v wireValidity) check(open bool) gap {
	if !v.From.set && !v.To.set {
		return gap{key: "validity"}
	}
	g := first(sent("from", v.From.set), sent("to", v.To.set))
	if !open {
		g = first(g, needStr("from", v.From))
	}
	if !g.ok() {
		return g.under("validity")
	}
	return gap{}
}

// toValidity converts v to a half-open engine.Validity in UTC (as every
// engine time). inclusiveTo says the shown end is the last day of validity
// (REST, GraphQL before v29), so the end of the interval is one day later
// (a Copenhagen day, so DST changes are right).
func (v wireValidity) toValidity(inclusiveTo bool) (engine.Validity, error) {
	var out engine.Validity
	if v.From.v != "" {
		t, err := parseMOTime(v.From.v)
		if err != nil {
			return out, fmt.Errorf("validity from %q: %w", v.From.v, err)
		}
		out.From = t.UTC()
	}
	if v.To.v != "" {
		t, err := parseMOTime(v.To.v)
		if err != nil {
			return out, fmt.Errorf("validity to %q: %w", v.To.v, err)
		}
		if inclusiveTo {
			t = t.AddDate(0, 0, 1)
		}
		out.To = t.UTC()
	}
	return out, nil
}

// formatDate is a REST date (Copenhagen) for t.
func formatDate(t time.Time) string { return t.In(copenhagen).Format(dateLayout) }

// formatDateTime is a GraphQL DateTime for t, in Copenhagen time.
func formatDateTime(t time.Time) string { return t.In(copenhagen).Format(time.RFC3339) }

// writeValidity is the validity sent on a write. MO wants dates at local
// midnight; an end is sent the way the API shows it, so inclusive APIs get
// the last day rather than the day after.
func writeValidity(v engine.Validity, inclusiveTo bool, dateOnly bool) (from string, to *string) {
	f := formatDateTime
	if dateOnly {
		f = formatDate
	}
	from = f(v.From)
	if !v.To.IsZero() {
		end := v.To.In(copenhagen)
		if inclusiveTo {
			end = end.AddDate(0, 0, -1)
		}
		s := f(end)
		to = &s
	}
	return from, to
}
