package engine

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ErrNoUsername is the cause of every *UsernameError: no pattern gave a free
// username.
var ErrNoUsername = errors.New("failed to create user name")

// UsernameError is returned when no pattern gives a free username. Result
// holds the whole trace, so the caller can show why.
type UsernameError struct {
	GivenName, Surname string
	Result             UsernameResult
}

func (e *UsernameError) Error() string {
	return fmt.Sprintf("username for %q: %v: none of %d pattern(s) gave a free name",
		strings.TrimSpace(e.GivenName+" "+e.Surname), ErrNoUsername, len(e.Result.Trace))
}

func (e *UsernameError) Unwrap() error { return ErrNoUsername }

// MOReservedNames maps a username MO reserves (the user_key of an IT user of
// the configured IT system, any validity; original case) to the uuids of
// the persons holding it.
type MOReservedNames map[string][]string

// UsernameBatch generates usernames for many people against one read of the
// names in use: the taken set (read once), the names MO reserves, and the
// names and common names chosen earlier in this batch. Not safe for
// concurrent use.
type UsernameBatch struct {
	gen        *UsernameGenerator
	taken      TakenNames
	moReserved MOReservedNames
	// used holds every name taken in AD and every name chosen in this
	// batch that can be a candidate at all (see nameKey): one lookup per
	// candidate.
	used map[nameKey]usedBy
	// numbered indexes the names in used that end in a digit by the rest
	// of the name: bit d says <rest>d is taken in AD, bit 10+d that it was
	// chosen in this batch. A pattern ending in its only X then needs one
	// lookup for its eight variants.
	numbered map[nameKey]uint32
	// chosenOther holds, lower-cased, names reserved in this batch that
	// no pattern can produce (an operator's "jens.h").
	chosenOther map[string]struct{}
	chosenCNs   map[string]struct{} // lower-case CNs chosen in this batch
}

// NewBatch starts a batch. The taken names are copied (lower-cased) once;
// moReserved is consulted only when the configuration has
// disallow_mo_usernames, and may be nil.
func (g *UsernameGenerator) NewBatch(taken TakenNames, moReserved MOReservedNames) *UsernameBatch {
	b := &UsernameBatch{
		gen:         g,
		taken:       taken,
		moReserved:  moReserved,
		used:        make(map[nameKey]usedBy, len(taken.Usernames)+64),
		numbered:    map[nameKey]uint32{},
		chosenOther: map[string]struct{}{},
		chosenCNs:   map[string]struct{}{},
	}
	for n := range taken.Usernames {
		l := strings.ToLower(n)
		if k, ok := packName(l); ok {
			b.mark(k, l, usedInAD)
		}
	}
	return b
}

// Generate picks the username for one person (ad.md §1.1.4) and reserves it
// in the batch. personUUID is the MO uuid, used by reuse_old_usernames. When
// no pattern fits it returns a *UsernameError carrying the trace.
func (b *UsernameBatch) Generate(givenName, surname, personUUID string) (UsernameResult, error) {
	g := b.gen
	var partsBuf [5]namePart
	parts := g.nameParts(partsBuf[:0], givenName, surname)
	res := UsernameResult{Parts: make([]string, len(parts))}
	for i, p := range parts {
		res.Parts[i] = p.clean
	}
	// The trace is built on the stack and copied out at its exact size.
	var traceBuf [16]PatternTrace
	var candBuf [32]CandidateTrace
	var countBuf [16]int // candidates per pattern
	trace, cands, counts := traceBuf[:0], candBuf[:0], countBuf[:0]
	finish := func() UsernameResult {
		res.Trace = append(make([]PatternTrace, 0, len(trace)), trace...)
		all := append(make([]CandidateTrace, 0, len(cands)), cands...)
		start := 0
		for i, n := range counts {
			if n > 0 {
				res.Trace[i].Candidates = all[start : start+n : start+n]
			}
			start += n
		}
		return res
	}
	for _, p := range g.patterns {
		pt := PatternTrace{Pattern: p.text}
		cand, reason, detail := p.evaluate(parts)
		if reason != "" {
			pt.Skipped, pt.Detail = reason, detail
			trace, counts = append(trace, pt), append(counts, 0)
			continue
		}
		pt.Result = cand
		core := cand
		if p.hasX {
			core = strings.ReplaceAll(cand, "X", "")
		}
		if _, bad := g.forbidden[core]; bad {
			pt.Skipped = SkipForbidden
			if core == cand {
				pt.Detail = strconv.Quote(core) + " is on the forbidden list"
			} else {
				pt.Detail = strconv.Quote(core) + " (the pattern without X) is on the forbidden list"
			}
			trace, counts = append(trace, pt), append(counts, 0)
			continue
		}
		start := len(cands)
		chosen := ""
		var vbuf [8]string
		var mask uint32
		if p.trailingX {
			base, _ := packName(cand[:len(cand)-1])
			mask = b.numbered[base]
		}
		for _, v := range p.variants(cand, &vbuf) {
			var by usedBy
			if p.trailingX {
				by = maskedUse(mask, v[len(v)-1])
			} else {
				k, _ := packName(v) // candidates always pack
				by = b.used[k]
			}
			reason := b.check(v, by, p.hasX, personUUID)
			cands = append(cands, CandidateTrace{Username: v, Reason: reason})
			if reason == "" {
				chosen = v
				break
			}
		}
		trace, counts = append(trace, pt), append(counts, len(cands)-start)
		if chosen != "" {
			res.Username, res.Pattern = chosen, p.text
			b.Reserve(chosen)
			return finish(), nil
		}
	}
	res = finish()
	return res, &UsernameError{GivenName: givenName, Surname: surname, Result: res}
}

// check says why the (lower-case) candidate cannot be used, or "". by is
// its entry in used.
func (b *UsernameBatch) check(name string, by usedBy, numbered bool, personUUID string) SkipReason {
	if numbered && b.gen.forbiddenDigits {
		// A numbered variant that is itself listed (e.g. "jhans2"): the
		// core check alone would let it through.
		if _, ok := b.gen.forbidden[name]; ok {
			return SkipForbidden
		}
	}
	if by == usedInAD {
		return SkipTakenAD
	}
	if b.gen.cfg.DisallowMOUsernames && b.reservedInMO(name, personUUID) {
		return SkipReservedMO
	}
	if by == usedInBatch {
		return SkipChosenInBatch
	}
	return ""
}

// reservedInMO compares case-sensitively, as MO does (ad.md §1.1.6).
func (b *UsernameBatch) reservedInMO(name, personUUID string) bool {
	holders, ok := b.moReserved[name]
	if !ok {
		return false
	}
	if !b.gen.cfg.ReuseOldUsernames || personUUID == "" || len(holders) == 0 {
		return true
	}
	for _, h := range holders {
		if !strings.EqualFold(h, personUUID) {
			return true
		}
	}
	return false
}

// Reserve marks name (e.g. an operator's override) as chosen in this batch.
func (b *UsernameBatch) Reserve(name string) {
	l := strings.ToLower(name)
	if k, ok := packName(l); ok {
		if b.used[k] == 0 {
			b.mark(k, l, usedInBatch)
		}
		return
	}
	b.chosenOther[l] = struct{}{}
}

// Release frees a name chosen earlier in this batch (e.g. when the operator
// replaced it). A name taken in AD stays taken.
func (b *UsernameBatch) Release(name string) {
	l := strings.ToLower(name)
	if k, ok := packName(l); ok {
		if b.used[k] == usedInBatch {
			delete(b.used, k)
			if base, bit, ok := numberedBit(l, usedInBatch); ok {
				if m := b.numbered[base] &^ bit; m != 0 {
					b.numbered[base] = m
				} else {
					delete(b.numbered, base)
				}
			}
		}
		return
	}
	delete(b.chosenOther, l)
}

// mark records the packed name l (lower case) in used and numbered.
func (b *UsernameBatch) mark(k nameKey, l string, by usedBy) {
	b.used[k] = by
	if base, bit, ok := numberedBit(l, by); ok {
		b.numbered[base] |= bit
	}
}

// numberedBit is the key and bit of a name ending in a digit in numbered.
func numberedBit(l string, by usedBy) (nameKey, uint32, bool) {
	n := len(l)
	if n < 2 || l[n-1] < '0' || l[n-1] > '9' {
		return nameKey{}, 0, false
	}
	base, ok := packName(l[:n-1])
	if !ok {
		return nameKey{}, 0, false
	}
	bit := uint32(1) << (l[n-1] - '0')
	if by == usedInBatch {
		bit <<= 10
	}
	return base, bit, true
}

// maskedUse reads the entry of digit d from a numbered mask.
func maskedUse(mask uint32, d byte) usedBy {
	switch bit := uint32(1) << (d - '0'); {
	case mask&bit != 0:
		return usedInAD
	case mask&(bit<<10) != 0:
		return usedInBatch
	}
	return 0
}

// chosenInBatch reports whether name (any case) was chosen in this batch.
func (b *UsernameBatch) chosenInBatch(name string) bool {
	if k, ok := packName(name); ok {
		return b.used[k] == usedInBatch
	}
	_, ok := b.chosenOther[strings.ToLower(name)]
	return ok
}

// ValidateOverride checks a username an operator typed: the rules of
// ValidateUsernameOverride, plus not forbidden, not reserved in MO (when
// configured) and not chosen earlier in this batch.
func (b *UsernameBatch) ValidateOverride(name, personUUID string) error {
	if err := ValidateUsernameOverride(name, b.taken); err != nil {
		return err
	}
	switch {
	case b.gen.IsForbidden(name):
		return E(KindInvalid, "username override", name, errors.New("the name is on the forbidden list"))
	case b.gen.cfg.DisallowMOUsernames && b.reservedInMO(name, personUUID):
		return E(KindConflict, "username override", name, errors.New("the name is reserved in MO"))
	}
	if b.chosenInBatch(name) {
		return E(KindConflict, "username override", name, errors.New("the name was chosen for someone else in this batch"))
	}
	return nil
}

// usernameBadChars are the characters AD does not allow in a sAMAccountName.
const usernameBadChars = `"/\[]:;|=,+*?<>@`

// ValidateUsernameOverride checks a username typed by an operator: not
// empty, at most MaxUsernameLength characters, none of "/\[]:;|=,+*?<>@,
// no space or control character, not ending in a period, and not taken in
// AD (case-insensitive). The error is an *Error of KindInvalid or
// KindConflict saying which rule.
func ValidateUsernameOverride(name string, taken TakenNames) error {
	const op = "username override"
	if name == "" {
		return E(KindInvalid, op, "", errors.New("the name is empty"))
	}
	if n := len([]rune(name)); n > MaxUsernameLength {
		return E(KindInvalid, op, name, fmt.Errorf("%d characters; AD allows at most %d", n, MaxUsernameLength))
	}
	for _, c := range name {
		switch {
		case strings.ContainsRune(usernameBadChars, c):
			return E(KindInvalid, op, name, fmt.Errorf("%q is not allowed (none of %s)", c, usernameBadChars))
		case c == utf8.RuneError:
			return E(KindInvalid, op, name, errors.New("the name is not valid UTF-8"))
		case unicode.IsSpace(c) || unicode.IsControl(c):
			return E(KindInvalid, op, name, errors.New("spaces and control characters are not allowed"))
		}
	}
	if strings.HasSuffix(name, ".") {
		return E(KindInvalid, op, name, errors.New("AD does not allow a name that ends in a period"))
	}
	if taken.HasUsername(name) {
		return E(KindConflict, op, name, errors.New("the name is taken in AD"))
	}
	return nil
}
