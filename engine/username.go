package engine

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
)

// UsernameGenerator turns a person's given name and surname into a
// sAMAccountName by the combination rules of ad.md §1.1 (the
// "UserNameGenerator" of seed 004). It is immutable and safe for concurrent
// use; the names taken so far live in a UsernameBatch.
type UsernameGenerator struct {
	cfg       UsernameConfig
	patterns  []usernamePattern
	forbidden map[string]struct{}
	// asciiKey[i] says whether char_replacement[i].From is all ASCII.
	asciiKey []bool
	// forbiddenDigits is set when a forbidden name holds a digit, so a
	// numbered candidate must be looked up as well as its X-free core.
	forbiddenDigits bool
}

// NewUsernameGenerator validates cfg and compiles its patterns.
func NewUsernameGenerator(cfg UsernameConfig) (*UsernameGenerator, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	g := &UsernameGenerator{cfg: cfg, forbidden: make(map[string]struct{}, len(cfg.Forbidden))}
	for _, f := range cfg.Forbidden {
		g.forbidden[casefold(f)] = struct{}{}
		g.forbiddenDigits = g.forbiddenDigits || strings.ContainsAny(f, "0123456789")
	}
	for _, r := range cfg.CharReplacement {
		g.asciiKey = append(g.asciiKey, isASCII(r.From))
	}
	for _, p := range cfg.Combinations {
		g.patterns = append(g.patterns, compilePattern(p))
	}
	return g, nil
}

// Config returns the configuration the generator was built from.
func (g *UsernameGenerator) Config() UsernameConfig { return g.cfg }

// IsForbidden reports whether name is on the forbidden list (exact match,
// case-insensitive).
func (g *UsernameGenerator) IsForbidden(name string) bool {
	_, ok := g.forbidden[casefold(name)]
	return ok
}

// patternRun is a run of one pattern letter: n characters of one name part,
// or n literal X.
type patternRun struct {
	src byte // 'F', 'L', '1', '2', '3' or 'X'
	n   int
}

type usernamePattern struct {
	text string
	runs []patternRun
	hasX bool
	// trailingX is set when the only X is the last letter (FLLLLX): its
	// variants differ in the last character only.
	trailingX bool
	// missing[m] is the trace detail when the name has m middle names and
	// the pattern needs more (computed once: it is the same for everyone).
	missing [3]string
}

func compilePattern(p string) usernamePattern {
	up := usernamePattern{text: p, hasX: strings.IndexByte(p, 'X') >= 0}
	up.trailingX = len(p) >= 2 && strings.Count(p, "X") == 1 && p[len(p)-1] == 'X'
	for i := 0; i < len(p); {
		j := i
		for j < len(p) && p[j] == p[i] {
			j++
		}
		up.runs = append(up.runs, patternRun{src: p[i], n: j - i})
		if c := p[i]; c >= '1' && c <= '3' {
			for m := 0; m < int(c-'0'); m++ {
				if up.missing[m] == "" {
					up.missing[m] = missingMiddleDetail(p, c, m)
				}
			}
		}
		i = j
	}
	return up
}

// namePart is one part of a name: as the person wrote it and after cleaning.
type namePart struct {
	orig, clean string
}

// nameParts splits the name as ad.md §1.1.1 says (the given name on single
// spaces, first 4 tokens, then the whole surname), cleans every part
// (§1.1.2) and appends them to parts.
func (g *UsernameGenerator) nameParts(parts []namePart, givenName, surname string) []namePart {
	rest := givenName
	for n := 0; n < 4; n++ {
		tok, after, found := strings.Cut(rest, " ")
		parts = append(parts, namePart{orig: tok})
		if !found {
			break
		}
		rest = after
	}
	parts = append(parts, namePart{orig: surname})
	// Clean every part into one buffer and make one string of it.
	var buf [128]byte
	var ends [5]int
	out := buf[:0]
	for i := range parts {
		out = g.appendClean(out, parts[i].orig, i == 0)
		ends[i] = len(out)
	}
	all, prev := string(out), 0
	for i := range parts {
		parts[i].clean = all[prev:ends[i]]
		prev = ends[i]
	}
	return parts
}

// cleanPart is appendClean to a new string.
func (g *UsernameGenerator) cleanPart(s string, first bool) string {
	return string(g.appendClean(nil, s, first))
}

// appendClean applies char_replacement in file order on the original case,
// lower-cases, keeps only a–z and, with remove_vowels, drops a e i o u from
// every part but the first. The result is appended to dst.
func (g *UsernameGenerator) appendClean(dst []byte, s string, first bool) []byte {
	ascii := isASCII(s)
	for i, r := range g.cfg.CharReplacement {
		if ascii && !g.asciiKey[i] {
			continue // a key with a non-ASCII character cannot occur
		}
		s = strings.ReplaceAll(s, r.From, r.To)
		ascii = ascii && isASCII(r.To)
	}
	removeVowels := g.cfg.RemoveVowels && !first
	for _, c := range s {
		switch {
		case 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
		case c >= 0x80:
			c = unicode.ToLower(c)
		}
		if c < 'a' || c > 'z' {
			continue
		}
		if removeVowels && (c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u') {
			continue
		}
		dst = append(dst, byte(c))
	}
	return dst
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// partRole names a part for a trace: "first name", "middle name 2", "surname".
func partRole(src byte) string {
	switch src {
	case 'F':
		return "first name"
	case 'L':
		return "surname"
	default:
		return "middle name " + string(src)
	}
}

// evaluate builds the candidate of pattern p from the cleaned parts (first,
// middle names, surname). X stays a literal "X". A pattern that cannot be
// filled returns the reason and a sentence for the trace.
func (p usernamePattern) evaluate(parts []namePart) (string, SkipReason, string) {
	if len(parts) < 2 {
		return "", SkipTooFewParts, fmt.Sprintf("the name has %d part(s); a username needs a first name and a surname", len(parts))
	}
	middles := len(parts) - 2
	var buf [MaxUsernameLength]byte
	out := buf[:0]
	for _, r := range p.runs {
		var part namePart
		switch r.src {
		case 'X':
			for range r.n {
				out = append(out, 'X')
			}
			continue
		case 'F':
			part = parts[0]
		case 'L':
			part = parts[len(parts)-1]
		default:
			idx := int(r.src - '0')
			if idx > middles {
				if middles < len(p.missing) && p.missing[middles] != "" {
					return "", SkipMissingMiddle, p.missing[middles]
				}
				return "", SkipMissingMiddle, missingMiddleDetail(p.text, r.src, middles)
			}
			part = parts[idx]
		}
		if part.clean == "" {
			return "", SkipEmptyPart, emptyPartDetail(r.src, part)
		}
		if r.n > len(part.clean) {
			return "", SkipTooShort, tooShortDetail(r, part)
		}
		out = append(out, part.clean[:r.n]...)
	}
	return string(out), "", ""
}

func missingMiddleDetail(pattern string, src byte, middles int) string {
	return pattern + " uses middle name " + string(src) + "; the name has " + countMiddles(middles)
}

func countMiddles(n int) string {
	switch n {
	case 0:
		return "no middle name"
	case 1:
		return "only 1 middle name"
	default:
		return "only " + strconv.Itoa(n) + " middle names"
	}
}

func emptyPartDetail(src byte, part namePart) string {
	role := partRole(src)
	if part.orig == "" {
		if src == 'F' || src == 'L' {
			return role + " is empty"
		}
		return role + " is empty (two spaces in a row in the given name?)"
	}
	return role + " " + strconv.Quote(part.orig) + " has no letters a-z after cleaning"
}

func tooShortDetail(r patternRun, part namePart) string {
	run := strings.Repeat(string(r.src), r.n)
	need := "; " + run + " needs " + strconv.Itoa(r.n)
	if part.orig == part.clean {
		return partRole(r.src) + " " + strconv.Quote(part.orig) + " has " + strconv.Itoa(len(part.clean)) + " letters" + need
	}
	return partRole(r.src) + " " + strconv.Quote(part.orig) + " gives " + strconv.Quote(part.clean) +
		" (" + strconv.Itoa(len(part.clean)) + " letters)" + need
}

// variants returns the candidates of a pattern's result: cand itself when
// it has no X, else cand with every X replaced by 2, 3, … 9 (one string
// allocation for all eight).
func (p usernamePattern) variants(cand string, buf *[8]string) []string {
	if !p.hasX {
		buf[0] = cand
		return buf[:1]
	}
	n := len(cand)
	b := make([]byte, 0, 8*n)
	for d := byte('2'); d <= '9'; d++ {
		for i := 0; i < n; i++ {
			if c := cand[i]; c == 'X' {
				b = append(b, d)
			} else {
				b = append(b, c)
			}
		}
	}
	all := string(b)
	for i := range buf {
		buf[i] = all[i*n : (i+1)*n]
	}
	return buf[:]
}
