package engine

// MaskCPR shows a CPR number the way people may read it: DDMMYY-xxxx. Any
// non-digits are dropped first; a value that is not 10 digits is masked
// whole, so no fragment of a CPR ever leaks.
func MaskCPR(s string) string {
	d := make([]byte, 0, 10)
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			d = append(d, s[i])
		}
	}
	if len(d) != 10 {
		if len(s) == 0 {
			return ""
		}
		return "xxxxxx-xxxx"
	}
	return string(d[:6]) + "-xxxx"
}

// DigitsOnly returns the ASCII digits of s.
func DigitsOnly(s string) string {
	d := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			d = append(d, s[i])
		}
	}
	return string(d)
}
