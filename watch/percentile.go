package watch

import (
	"math"
	"slices"
	"time"
)

// Percentile is the p-th percentile (0..100) of ds by nearest rank; 0 when
// ds is empty. ds is not changed.
func Percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	i := int(math.Ceil(p*float64(len(s))/100)) - 1
	return s[min(max(i, 0), len(s)-1)]
}
