package motest

import "time"

// cprCentury returns the century (1800, 1900 or 2000) a CPR number's birth
// year lies in, from its two-digit year and the first digit of its serial
// (mo-api.md §5).
func cprCentury(yy, serialFirst int) int {
	switch {
	case serialFirst <= 3:
		return 1900
	case serialFirst == 4 || serialFirst == 9:
		if yy <= 36 {
			return 2000
		}
		return 1900
	default: // 5-8
		if yy <= 57 {
			return 2000
		}
		return 1800
	}
}

// CPRBirthDate returns the birth date a CPR number encodes, and false when the
// value is not 10 digits or its date does not exist. It is MO's CPR
// validation (length, then a real birth date by the century rules); the
// modulus 11 check is not made.
func CPRBirthDate(cpr string) (time.Time, bool) {
	if len(cpr) != 10 {
		return time.Time{}, false
	}
	var d [10]int
	for i := 0; i < 10; i++ {
		c := cpr[i]
		if c < '0' || c > '9' {
			return time.Time{}, false
		}
		d[i] = int(c - '0')
	}
	day, month, yy := d[0]*10+d[1], d[2]*10+d[3], d[4]*10+d[5]
	year := cprCentury(yy, d[6]) + yy
	if month < 1 || month > 12 || day < 1 {
		return time.Time{}, false
	}
	t := time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
	if t.Day() != day || int(t.Month()) != month {
		return time.Time{}, false
	}
	return t, true
}

// ValidCPR reports whether cpr is a CPR number MO accepts.
func ValidCPR(cpr string) bool {
	_, ok := CPRBirthDate(cpr)
	return ok
}
