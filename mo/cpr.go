package mo

import (
	"fmt"
	"strings"
	"time"
)

// normaliseCPR turns MO's CPR value into 10 digits. Dashes and spaces are
// dropped (AD-style DDMMYY-SSSS); anything else that is not 10 digits, or a
// number whose birth date is not a real date under the century rules of
// mo-api.md §5, is invalid and returns a reason. The empty value is valid
// (no CPR). The reason never contains the number.
func normaliseCPR(raw string) (cpr string, reason string) {
	if raw == "" {
		return "", ""
	}
	var b strings.Builder
	for _, r := range raw {
		switch {
		case r == '-' || r == ' ':
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		default:
			return "", "contains characters other than digits"
		}
	}
	d := b.String()
	if len(d) != 10 {
		return "", fmt.Sprintf("has %d digits, not 10", len(d))
	}
	if _, ok := cprBirthDate(d); !ok {
		return "", "does not start with a valid birth date"
	}
	return d, ""
}

// cprBirthDate is the birth date of a 10-digit CPR number by MO's rules
// (mora/util.py get_cpr_birthdate): the 7th digit picks the century.
func cprBirthDate(d string) (time.Time, bool) {
	num := func(s string) int {
		n := 0
		for i := 0; i < len(s); i++ {
			n = n*10 + int(s[i]-'0')
		}
		return n
	}
	day, month, yy, serial := num(d[0:2]), num(d[2:4]), num(d[4:6]), num(d[6:10])
	var century int
	switch {
	case serial < 4000:
		century = 1900
	case serial < 5000, serial >= 9000:
		century = 1900
		if yy <= 36 {
			century = 2000
		}
	default: // 5000–8999
		century = 1800
		if yy <= 57 {
			century = 2000
		}
	}
	year := century + yy
	t := time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
	if month < 1 || month > 12 || day < 1 || t.Day() != day || int(t.Month()) != month {
		return time.Time{}, false
	}
	return t, true
}
