package mo

import (
	"testing"
	"time"

	"moxsync/engine"
)

func TestToValidity(t *testing.T) {
	s := str
	tests := []struct {
		name      string
		in        wireValidity
		inclusive bool
		want      engine.Validity
	}{
		{"REST open", wireValidity{From: s("2017-01-01")}, true, engine.Validity{From: cph(2017, 1, 1)}},
		{"REST inclusive end", wireValidity{From: s("2017-01-01"), To: s("2019-12-31")}, true, engine.Validity{From: cph(2017, 1, 1), To: cph(2020, 1, 1)}},
		{"REST end before DST change", wireValidity{From: s("2026-01-01"), To: s("2026-03-28")}, true, engine.Validity{From: cph(2026, 1, 1), To: cph(2026, 3, 29)}},
		{"GraphQL v22 end", wireValidity{From: s("2017-01-01T00:00:00+01:00"), To: s("2026-03-28T00:00:00+01:00")}, true, engine.Validity{From: cph(2017, 1, 1), To: cph(2026, 3, 29)}},
		{"GraphQL v29 end", wireValidity{From: s("2017-01-01T00:00:00+01:00"), To: s("2026-03-29T00:00:00+01:00")}, false, engine.Validity{From: cph(2017, 1, 1), To: cph(2026, 3, 29)}},
		{"null from", wireValidity{}, false, engine.Validity{}},
	}
	for _, tt := range tests {
		got, err := tt.in.toValidity(tt.inclusive)
		if err != nil || got != tt.want {
			t.Errorf("%s: got %v, %v; want %v", tt.name, got, err, tt.want)
		}
		if !got.From.IsZero() && got.From.Location() != time.UTC {
			t.Errorf("%s: not UTC", tt.name)
		}
	}
	if _, err := (wireValidity{From: s("1. januar")}).toValidity(true); err == nil {
		t.Error("bad date accepted")
	}
}
