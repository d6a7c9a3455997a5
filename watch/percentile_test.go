package watch_test

import (
	"testing"
	"time"

	"moxsync/watch"
)

func TestPercentile(t *testing.T) {
	ms := func(ns ...int) []time.Duration {
		var out []time.Duration
		for _, n := range ns {
			out = append(out, time.Duration(n)*time.Millisecond)
		}
		return out
	}
	tests := []struct {
		ds   []time.Duration
		p    float64
		want time.Duration
	}{
		{nil, 95, 0},
		{ms(7), 50, 7 * time.Millisecond},
		{ms(5, 1, 4, 2, 3), 50, 3 * time.Millisecond},
		{ms(5, 1, 4, 2, 3), 95, 5 * time.Millisecond},
		{ms(10, 20, 30, 40, 50, 60, 70, 80, 90, 100), 90, 90 * time.Millisecond},
		{ms(10, 20, 30, 40, 50, 60, 70, 80, 90, 100), 95, 100 * time.Millisecond},
		{ms(3, 1, 2), 0, 1 * time.Millisecond},
	}
	for _, tt := range tests {
		in := append([]time.Duration(nil), tt.ds...)
		if got := watch.Percentile(tt.ds, tt.p); got != tt.want {
			t.Errorf("Percentile(%v, %v) = %v, want %v", tt.ds, tt.p, got, tt.want)
		}
		for i := range in {
			if in[i] != tt.ds[i] {
				t.Errorf("Percentile changed its input: %v", tt.ds)
			}
		}
	}
}
