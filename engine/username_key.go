package engine

// nameKey packs a username of 1–20 characters from a–z and 0–9 into 120
// bits (6 per character), so the sets a batch looks up per candidate hold
// no pointers and compare in two words. Every generated candidate packs; a
// taken name that does not pack (a dot, a hyphen, more than 20 characters)
// can never equal a candidate.
type nameKey [2]uint64

func packName(s string) (nameKey, bool) {
	var k nameKey
	if len(s) == 0 || len(s) > MaxUsernameLength {
		return k, false
	}
	for i := 0; i < len(s); i++ {
		var v uint64
		switch c := s[i]; {
		case 'a' <= c && c <= 'z':
			v = uint64(c-'a') + 1
		case 'A' <= c && c <= 'Z':
			v = uint64(c-'A') + 1
		case '0' <= c && c <= '9':
			v = uint64(c-'0') + 27
		default:
			return k, false
		}
		k[i/10] |= v << (6 * (i % 10))
	}
	return k, true
}

// usedBy says why a packed name is in use.
type usedBy uint8

const (
	usedInAD usedBy = iota + 1
	usedInBatch
)
