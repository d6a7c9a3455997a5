package settings

// levenshtein is the edit distance between a and b (bytes; keys are ASCII).
func levenshtein(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// nearestKey returns the known key closest to name, or "" when none is close
// enough to be a plausible typo.
func nearestKey(name string) string {
	best, bestD := "", -1
	for _, k := range keys {
		if d := levenshtein(name, k.name); bestD < 0 || d < bestD {
			best, bestD = k.name, d
		}
	}
	if bestD > max(2, len(name)/2) {
		return ""
	}
	return best
}
