package engine

import (
	"errors"
	"fmt"
	"strings"
)

// MaxCommonNameLength is the length CommonName cuts to: AD allows 64
// characters in a CN and 4 are kept free for a "_999" suffix.
const MaxCommonNameLength = 60

// maxCNSuffix is the highest number UniqueCommonName appends.
const maxCNSuffix = 999

// CommonName builds the CN of a new account (ad.md §1.5): the first 4 tokens
// of the given name and the surname, empty parts removed, joined by single
// spaces, original case and accents kept. While it is longer than 60
// characters the last middle name is dropped; then it is cut to 60
// characters (trailing spaces of the cut removed).
func CommonName(givenName, surname string) string {
	parts := make([]string, 0, 5)
	rest := givenName
	for n := 0; n < 4; n++ {
		tok, after, found := strings.Cut(rest, " ")
		parts = append(parts, tok)
		if !found {
			break
		}
		rest = after
	}
	return commonNameFromParts(append(parts, surname))
}

// commonNameFromParts is CommonName on a ready list of parts (first name,
// middle names, surname).
func commonNameFromParts(parts []string) string {
	kept := make([]string, 0, len(parts))
	for _, p := range parts {
		if p != "" {
			kept = append(kept, p)
		}
	}
	cn := strings.Join(kept, " ")
	for len([]rune(cn)) > MaxCommonNameLength && len(kept) > 2 {
		kept = append(kept[:len(kept)-2], kept[len(kept)-1]) // drop the last middle name
		cn = strings.Join(kept, " ")
	}
	if r := []rune(cn); len(r) > MaxCommonNameLength {
		cn = strings.TrimRight(string(r[:MaxCommonNameLength]), " ")
	}
	return cn
}

// ErrNoCommonName is the cause when cn and cn_2 … cn_999 are all taken.
var ErrNoCommonName = errors.New("no free common name")

// UniqueCommonName returns cn, or the first of cn_2 … cn_999 that is not in
// taken (lower-cased CNs, compared case-insensitively). A candidate equal to
// current (the account's own CN, case-insensitively) is accepted, so a
// re-sync keeps its name. All taken is an *Error of KindConflict wrapping
// ErrNoCommonName.
func UniqueCommonName(cn, current string, taken map[string]struct{}) (string, error) {
	return uniqueCommonName(cn, current, taken, nil)
}

func uniqueCommonName(cn, current string, taken, alsoTaken map[string]struct{}) (string, error) {
	free := func(c string) bool {
		l := strings.ToLower(c)
		if current != "" && strings.EqualFold(c, current) {
			return true
		}
		if _, ok := taken[l]; ok {
			return false
		}
		_, ok := alsoTaken[l]
		return !ok
	}
	if free(cn) {
		return cn, nil
	}
	for i := 2; i <= maxCNSuffix; i++ {
		if c := fmt.Sprintf("%s_%d", cn, i); free(c) {
			return c, nil
		}
	}
	return "", E(KindConflict, "common name", cn, fmt.Errorf("%w: %q and %q … %q are all taken", ErrNoCommonName, cn, cn+"_2", fmt.Sprintf("%s_%d", cn, maxCNSuffix)))
}

// CommonName builds the CN for a new account (or the wanted CN of an
// existing one, whose current CN is current), makes it unique against the
// taken CNs and those chosen earlier in this batch, and reserves it.
func (b *UsernameBatch) CommonName(givenName, surname, current string) (string, error) {
	cn := CommonName(givenName, surname)
	if cn == "" {
		return "", E(KindInvalid, "common name", "", errors.New("the person has neither a given name nor a surname"))
	}
	cn, err := uniqueCommonName(cn, current, b.taken.CNs, b.chosenCNs)
	if err != nil {
		return "", err
	}
	b.chosenCNs[strings.ToLower(cn)] = struct{}{}
	return cn, nil
}

// UserDN returns CN=<cn escaped>,<ou>,<base>, leaving out empty pieces.
// ou and base are DNs already (escaped as they are).
func UserDN(cn, ou, base string) string {
	dn := "CN=" + EscapeDNValue(cn)
	for _, p := range []string{ou, base} {
		if p = strings.TrimSpace(p); p != "" {
			dn += "," + p
		}
	}
	return dn
}

// EscapeDNValue escapes an attribute value for a DN (RFC 4514 §2.4):
// , + " \ < > ; = are prefixed with a backslash, as are a leading # or space
// and a trailing space; NUL becomes \00.
func EscapeDNValue(v string) string {
	var b strings.Builder
	b.Grow(len(v) + 4)
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case c == 0:
			b.WriteString(`\00`)
			continue
		case strings.IndexByte(`,+"\<>;=`, c) >= 0,
			i == 0 && (c == '#' || c == ' '),
			i == len(v)-1 && c == ' ':
			b.WriteByte('\\')
		}
		b.WriteByte(c)
	}
	return b.String()
}
