package mo

import (
	"reflect"
	"testing"
	"time"

	"moxsync/engine"
)

func TestMergeSlices(t *testing.T) {
	now := cph(2026, 3, 2)
	e := func(id, job string, from, to time.Time) engine.Engagement {
		return engine.Engagement{UUID: id, JobFunction: job, Validity: engine.Validity{From: from, To: to}}
	}
	in := []engine.Engagement{
		e("b", "future", cph(2026, 5, 1), time.Time{}),
		e("a", "next", cph(2026, 6, 1), cph(2027, 1, 1)),
		e("a", "now", cph(2020, 1, 1), cph(2026, 6, 1)),
		e("a", "after a gap", cph(2027, 2, 1), time.Time{}),
		e("c", "ended", cph(2020, 1, 1), cph(2026, 1, 1)),
	}
	got := mergeSlices(now, in, engKey)
	want := []engine.Engagement{e("a", "now", cph(2020, 1, 1), cph(2027, 1, 1)), e("b", "future", cph(2026, 5, 1), time.Time{})}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
}
