package adtest

import (
	"strconv"
	"strings"
)

// Integer values as Samba 4.17 takes them (measured against the CI DC by
// TestDifferentialAgainstSamba):
//
//   - Validation reads the text as a decimal number: leading white space and
//     a sign are allowed, trailing white space, hex ("0x1F") and anything
//     else are not (21 invalidAttributeSyntax, "contains at least one invalid
//     value"), and the number must be in the attribute's range.
//   - Samba then stores the value in canonical form, read C-style: a leading
//     zero makes it octal. "01310" is stored as 712 and "+045" as 37, while a
//     leading zero followed by an 8 or 9 ("0208") is refused with 21 "Invalid
//     attribute syntax during LDB_ADD" (or LDB_MODIFY). " 45" is stored as 45.
//
// So a value with a leading zero never round-trips: it is either changed or
// refused. Windows AD is not known to read octal, but no client should rely
// on either.

// canonicalInt is the value Samba stores for a valid integer text v, and
// false when Samba's canonical read fails.
func canonicalInt(v string) (string, bool) {
	s := strings.TrimLeft(v, " \t\n\v\f\r")
	neg := false
	switch {
	case strings.HasPrefix(s, "-"):
		neg, s = true, s[1:]
	case strings.HasPrefix(s, "+"):
		s = s[1:]
	}
	base := 10
	if len(s) > 1 && s[0] == '0' {
		base, s = 8, s[1:]
	}
	n, err := strconv.ParseInt(s, base, 64)
	if err != nil {
		return "", false
	}
	if neg {
		n = -n
	}
	return strconv.FormatInt(n, 10), true
}

// decimalInt reads v as Samba's validation does: decimal, leading white
// space allowed, trailing not.
func decimalInt(v string) (int64, bool) {
	n, err := strconv.ParseInt(strings.TrimLeft(v, " \t\n\v\f\r"), 10, 64)
	return n, err == nil
}

// canonicalValue returns the value to store for v of attribute t, or an
// error as Samba words it (op is "LDB_ADD" or "LDB_MODIFY"). Non-integer
// values are stored as given.
func canonicalValue(t *attrType, v, op string) (string, *ldapError) {
	if !t.numeric() {
		return v, nil
	}
	nv, ok := canonicalInt(v)
	if !ok {
		return "", errf(resultInvalidAttributeSyntax, "error in module objectclass_attrs: Invalid attribute syntax during %s (21)", op)
	}
	if n, _ := strconv.ParseInt(nv, 10, 64); !t.inRange(n) || t.syntax == syntaxInteger && (n < -1<<31 || n >= 1<<32) {
		return "", errf(resultInvalidAttributeSyntax, "error in module objectclass_attrs: Invalid attribute syntax during %s (21)", op)
	}
	return nv, nil
}
