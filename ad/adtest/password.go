package adtest

import (
	"encoding/binary"
	"time"
	"unicode/utf16"
)

// minPasswordLength is Samba's default minPwdLength.
const minPasswordLength = 7

// decodePassword turns a unicodePwd value (the password in double quotes,
// UTF-16LE) into the clear text, applying the length rule.
func decodePassword(v string) (string, *ldapError) {
	b := []byte(v)
	if len(b) < 4 || len(b)%2 != 0 {
		return "", errf(resultConstraintViolation, "0000052D: Constraint violation - unicodePwd is not a quoted UTF-16LE string")
	}
	u := make([]uint16, len(b)/2)
	for i := range u {
		u[i] = binary.LittleEndian.Uint16(b[2*i:])
	}
	if u[0] != '"' || u[len(u)-1] != '"' {
		return "", errf(resultConstraintViolation, "0000052D: Constraint violation - unicodePwd is not a quoted UTF-16LE string")
	}
	pw := string(utf16.Decode(u[1 : len(u)-1]))
	if len([]rune(pw)) < minPasswordLength {
		return "", errf(resultConstraintViolation, "0000052D: Constraint violation - check_password_restrictions: the password is too short. It should be equal or longer than 7 characters!")
	}
	return pw, nil
}

// EncodePassword returns the unicodePwd value for pw: "pw" in UTF-16LE.
func EncodePassword(pw string) string {
	u := utf16.Encode([]rune(`"` + pw + `"`))
	b := make([]byte, 2*len(u))
	for i, x := range u {
		binary.LittleEndian.PutUint16(b[2*i:], x)
	}
	return string(b)
}

// parseTime parses AD's GeneralizedTime (20261123103944.0Z, fraction
// optional) and UTCTime (261123103944Z).
func parseTime(v string) (time.Time, bool) {
	for _, layout := range []string{"20060102150405.0Z", "20060102150405Z", "20060102150405.000Z", "060102150405Z"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t, true
		}
	}
	if len(v) > 15 && v[14] == '.' && v[len(v)-1] == 'Z' {
		if t, err := time.Parse("20060102150405", v[:14]); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}
