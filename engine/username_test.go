package engine

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func mustGenerator(t testing.TB, cfg UsernameConfig) *UsernameGenerator {
	t.Helper()
	g, err := NewUsernameGenerator(cfg)
	if err != nil {
		t.Fatalf("NewUsernameGenerator: %v", err)
	}
	return g
}

func takenSet(names ...string) TakenNames {
	t := TakenNames{Usernames: map[string]struct{}{}, CNs: map[string]struct{}{}}
	for _, n := range names {
		t.Usernames[strings.ToLower(n)] = struct{}{}
	}
	return t
}

// TestPatternVectors is ad.md §1.2 (a): one pattern evaluated alone on a
// list of parts (cleaned with the doc's configuration first).
func TestPatternVectors(t *testing.T) {
	g := mustGenerator(t, DefaultUsernameConfig())
	tests := []struct {
		parts   []string
		pattern string
		want    string     // "" = none
		reason  SkipReason // why none
	}{
		{[]string{"Nick", "Alfa", "Beta", "Gamma", "Janssen"}, "F123L", "nabgj", ""},
		{[]string{"Nick", "Janssen"}, "XFL", "Xnj", ""},
		{[]string{"Nick", "Janssen"}, "XXFL", "XXnj", ""},
		{[]string{"Nick", "Janssen"}, "FFLLX", "nijaX", ""},
		{[]string{"Nick", "Janssen"}, "FFXXX", "niXXX", ""},
		{[]string{"Nick", "Janssen"}, "XFXLX", "XnXjX", ""},
		{[]string{"Nick", "Janssen"}, "FLFLF", "njnjn", ""},
		{[]string{"Nick", "Janssen"}, "FFLLF", "nijan", ""},
		{[]string{"Nick", "Janssen"}, "FFFFL", "nickj", ""},
		{[]string{"Nick", "Janssen"}, "FFFFFL", "", SkipTooShort},
		{[]string{"Nick", "Jans"}, "FLLLL", "njans", ""},
		{[]string{"Nick", "Jans"}, "FLLLLL", "", SkipTooShort},
		{[]string{"", "Janssen"}, "FFLL", "", SkipEmptyPart},
		{[]string{"Janssen"}, "FFLL", "", SkipTooFewParts},
		{[]string{"Nick", ""}, "FFLL", "", SkipEmptyPart},
		{[]string{"Nick"}, "FFLL", "", SkipTooFewParts},
		{[]string{"Nick", "", "Janssen"}, "FF1LL", "", SkipEmptyPart},
		{[]string{"Nick", "Janssen"}, "FF1LL", "", SkipMissingMiddle},
		{[]string{"Nick", "Janssen"}, "FF2LL", "", SkipMissingMiddle},
		{[]string{"Nick", "Janssen"}, "FF3LL", "", SkipMissingMiddle},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.parts, ",")+"/"+tt.pattern, func(t *testing.T) {
			parts := make([]namePart, len(tt.parts))
			for i, p := range tt.parts {
				parts[i] = namePart{orig: p, clean: g.cleanPart(p, i == 0)}
			}
			got, reason, detail := compilePattern(tt.pattern).evaluate(parts)
			if got != tt.want || reason != tt.reason {
				t.Fatalf("evaluate = %q, %q (%s); want %q, %q", got, reason, detail, tt.want, tt.reason)
			}
			if reason != "" && detail == "" {
				t.Errorf("a skipped pattern has no detail")
			}
		})
	}
}

// TestGenerateDocVectors is ad.md §1.2 (b): the whole generator with the
// doc's configuration.
func TestGenerateDocVectors(t *testing.T) {
	g := mustGenerator(t, DefaultUsernameConfig())
	tests := []struct {
		given, surname string
		taken          []string
		want, pattern  string
	}{
		{"Jens", "Hansen", nil, "jhans", "FLLLL"},
		{"Jens", "Hansen", []string{"jhans"}, "jhans2", "FLLLLX"},
		{"Jens Hans", "Hansen", nil, "jhhan", "F1LLL"},
		{"Jens", "Åberg", nil, "jaabe", "FLLLL"},
		{"Hans Åberg", "Terp", nil, "hterp", "FLLLL"},
		{"Nick", "Janssen", nil, "njans", "FLLLL"},
		{"Nick", "Janssen", []string{"njans"}, "njans2", "FLLLLX"},
		{"Nick", "Jænssen", nil, "njaen", "FLLLL"},
	}
	for _, tt := range tests {
		t.Run(tt.given+" "+tt.surname+"/"+strings.Join(tt.taken, ","), func(t *testing.T) {
			res, err := g.NewBatch(takenSet(tt.taken...), nil).Generate(tt.given, tt.surname, "")
			if err != nil {
				t.Fatal(err)
			}
			if res.Username != tt.want || res.Pattern != tt.pattern {
				t.Fatalf("got %q from %s, want %q from %s; trace %+v", res.Username, res.Pattern, tt.want, tt.pattern, res.Trace)
			}
		})
	}
}

func TestGenerateTraceExplains(t *testing.T) {
	g := mustGenerator(t, DefaultUsernameConfig())

	res, err := g.NewBatch(takenSet(), nil).Generate("Hans Åberg", "Terp", "")
	if err != nil {
		t.Fatal(err)
	}
	wantTrace := []PatternTrace{
		{Pattern: "F123L", Skipped: SkipMissingMiddle},
		{Pattern: "F12LL", Skipped: SkipMissingMiddle},
		{Pattern: "F1LLL", Result: "hater", Skipped: SkipForbidden},
		{Pattern: "FLLLL", Result: "hterp", Candidates: []CandidateTrace{{Username: "hterp"}}},
	}
	assertTrace(t, res.Trace, wantTrace)
	if !slices.Equal(res.Parts, []string{"hans", "aaberg", "terp"}) {
		t.Errorf("parts = %q", res.Parts)
	}

	res, err = g.NewBatch(takenSet("jhans", "JHANS2"), nil).Generate("Jens", "Hansen", "")
	if err != nil {
		t.Fatal(err)
	}
	assertTrace(t, res.Trace, []PatternTrace{
		{Pattern: "F123L", Skipped: SkipMissingMiddle},
		{Pattern: "F12LL", Skipped: SkipMissingMiddle},
		{Pattern: "F1LLL", Skipped: SkipMissingMiddle},
		{Pattern: "FLLLL", Result: "jhans", Candidates: []CandidateTrace{{Username: "jhans", Reason: SkipTakenAD}}},
		{Pattern: "FLLLLX", Result: "jhansX", Candidates: []CandidateTrace{{Username: "jhans2", Reason: SkipTakenAD}, {Username: "jhans3"}}},
	})
}

func assertTrace(t *testing.T, got, want []PatternTrace) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("trace has %d patterns, want %d: %+v", len(got), len(want), got)
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.Pattern != w.Pattern || g.Result != w.Result || g.Skipped != w.Skipped || !slices.Equal(g.Candidates, w.Candidates) {
			t.Errorf("trace[%d] = %+v, want %+v", i, g, w)
		}
		if g.Skipped != "" && g.Detail == "" {
			t.Errorf("trace[%d] skipped without detail", i)
		}
	}
}

func TestGenerateRules(t *testing.T) {
	doc := DefaultUsernameConfig()
	cfgWith := func(patterns []string, mod func(*UsernameConfig)) UsernameConfig {
		c := doc
		c.Combinations = patterns
		if mod != nil {
			mod(&c)
		}
		return c
	}
	tests := []struct {
		name           string
		cfg            UsernameConfig
		given, surname string
		taken          []string
		want           string // "" = none fits
	}{
		{"surname never split", cfgWith([]string{"LLLLLLLLLLLL"}, nil), "Aage", "Bach Klarskov", nil, "bachklarskov"},
		{"unreplaced non-ASCII is dropped", cfgWith([]string{"FFF"}, nil), "José", "X", nil, "jos"},
		{"hyphen and umlaut dropped", cfgWith([]string{"LLLLLLLLLLLLLLLL"}, nil), "A", "Müller-Lüdenscheidt", nil, "mllerldenscheidt"},
		{"digits dropped", cfgWith([]string{"FFF"}, nil), "N1ck", "X", nil, "nck"},
		{"replacement runs on original case", cfgWith([]string{"FFFFF"}, func(c *UsernameConfig) {
			c.CharReplacement = []CharReplacement{{From: "ø", To: "oe"}}
		}), "Øjvind", "X", nil, "jvind"},
		{"replacement in file order", cfgWith([]string{"FFF"}, func(c *UsernameConfig) {
			c.CharReplacement = []CharReplacement{{From: "å", To: "aa"}, {From: "aa", To: "a"}}
		}), "åse", "X", nil, "ase"},
		{"replacement in file order, reversed", cfgWith([]string{"FFFF"}, func(c *UsernameConfig) {
			c.CharReplacement = []CharReplacement{{From: "aa", To: "a"}, {From: "å", To: "aa"}}
		}), "åse", "X", nil, "aase"},
		{"more than 4 given tokens: the 5th is dropped", cfgWith([]string{"F123L", "FL"}, nil), "A B C D E", "Zed", nil, "abcdz"},
		{"trailing space makes an empty middle name", cfgWith([]string{"F1LLL", "FLLLL"}, nil), "Jens ", "Hansen", nil, "jhans"},
		{"XX gets the same digit twice", cfgWith([]string{"FLXX"}, nil), "Anna", "Berg", nil, "ab22"},
		{"XX next is 33", cfgWith([]string{"FLXX"}, nil), "Anna", "Berg", []string{"ab22"}, "ab33"},
		{"numbers before the next pattern", cfgWith([]string{"FLX", "FFL"}, nil), "Anna", "Berg", []string{"ab2"}, "ab3"},
		{"forbidden core blocks the numbered pattern", cfgWith([]string{"FFLLX", "LLFFX"}, func(c *UsernameConfig) {
			c.Forbidden = []string{"dick"}
		}), "Diana", "Ckarlsen", nil, "ckdi2"},
		{"forbidden is exact, not substring", cfgWith([]string{"FLLLL"}, func(c *UsernameConfig) {
			c.Forbidden = []string{"jhan"}
		}), "Jens", "Hansen", nil, "jhans"},
		{"forbidden is case-insensitive", cfgWith([]string{"FLLLL", "FFLLL"}, func(c *UsernameConfig) {
			c.Forbidden = []string{"JHANS"}
		}), "Jens", "Hansen", nil, "jehan"},
		{"a listed numbered variant is skipped", cfgWith([]string{"FLLLLX"}, func(c *UsernameConfig) {
			c.Forbidden = []string{"jhans2"}
		}), "Jens", "Hansen", nil, "jhans3"},
		{"taken is case-insensitive", cfgWith([]string{"FLLLL"}, nil), "Jens", "Hansen", []string{"JHans"}, ""},
		{"X never goes above 9", cfgWith([]string{"FLX"}, nil), "Anna", "Berg", []string{"ab2", "ab3", "ab4", "ab5", "ab6", "ab7", "ab8", "ab9"}, ""},
		{"remove_vowels spares the first name", cfgWith([]string{"FFLLL"}, func(c *UsernameConfig) {
			c.RemoveVowels = true
		}), "Aase", "Hansen", nil, "aahns"},
		{"remove_vowels keeps y", cfgWith([]string{"FLL"}, func(c *UsernameConfig) {
			c.RemoveVowels = true
		}), "Ib", "Yoyo", nil, "iyy"},
		{"empty given name", cfgWith([]string{"FLLLL", "LLLL"}, nil), "", "Hansen", nil, "hans"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := mustGenerator(t, tt.cfg)
			res, err := g.NewBatch(takenSet(tt.taken...), nil).Generate(tt.given, tt.surname, "")
			if tt.want == "" {
				var ue *UsernameError
				if !errors.As(err, &ue) || !errors.Is(err, ErrNoUsername) {
					t.Fatalf("got %q, %v; want a *UsernameError", res.Username, err)
				}
				if len(ue.Result.Trace) != len(tt.cfg.Combinations) {
					t.Errorf("error trace has %d patterns, want %d", len(ue.Result.Trace), len(tt.cfg.Combinations))
				}
				return
			}
			if err != nil || res.Username != tt.want {
				t.Fatalf("got %q, %v; want %q (trace %+v)", res.Username, err, tt.want, res.Trace)
			}
		})
	}
}

func TestGenerateNoFit(t *testing.T) {
	g := mustGenerator(t, DefaultUsernameConfig())
	res, err := g.NewBatch(takenSet(), nil).Generate("Nick", "Ja", "")
	var ue *UsernameError
	if !errors.As(err, &ue) {
		t.Fatalf("err = %v, want *UsernameError", err)
	}
	if res.Username != "" || ue.Result.Username != "" {
		t.Errorf("a failed result has a username")
	}
	if !strings.Contains(err.Error(), `"Nick Ja"`) {
		t.Errorf("error %q does not name the person", err)
	}
	assertTrace(t, ue.Result.Trace, []PatternTrace{
		{Pattern: "F123L", Skipped: SkipMissingMiddle},
		{Pattern: "F12LL", Skipped: SkipMissingMiddle},
		{Pattern: "F1LLL", Skipped: SkipMissingMiddle},
		{Pattern: "FLLLL", Skipped: SkipTooShort},
		{Pattern: "FLLLLX", Skipped: SkipTooShort},
	})
	if d := ue.Result.Trace[3].Detail; d != `surname "Ja" gives "ja" (2 letters); LLLL needs 4` {
		t.Errorf("detail = %q", d)
	}
}

func TestBatchReservesChosenNames(t *testing.T) {
	g := mustGenerator(t, DefaultUsernameConfig())
	b := g.NewBatch(takenSet(), nil)
	var got []string
	for range 3 {
		res, err := b.Generate("Jens", "Hansen", "")
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, res.Username)
	}
	if !slices.Equal(got, []string{"jhans", "jhans2", "jhans3"}) {
		t.Fatalf("got %q", got)
	}
	res, _ := b.Generate("Jens", "Hansen", "")
	if c := res.Trace[3].Candidates[0]; c.Reason != SkipChosenInBatch {
		t.Errorf("jhans passed over for %q, want %q", c.Reason, SkipChosenInBatch)
	}
	b.Release("JHANS")
	if res, _ := b.Generate("Jens", "Hansen", ""); res.Username != "jhans" {
		t.Errorf("after Release got %q", res.Username)
	}
	b.Reserve("NJans")
	if res, _ := b.Generate("Nick", "Janssen", ""); res.Username != "njans2" {
		t.Errorf("after Reserve got %q", res.Username)
	}
}

func TestGenerateMOReserved(t *testing.T) {
	const me, other = "11111111-1111-1111-1111-111111111111", "22222222-2222-2222-2222-222222222222"
	base := DefaultUsernameConfig()
	base.Combinations = []string{"FLLL", "FLLLX"}
	mo := MOReservedNames{"jhan": {me}, "jhan2": {me, other}, "ABC1": {other}, "jhan3": {other}}
	tests := []struct {
		name                string
		disallow, reuse     bool
		person, given, want string
	}{
		{"MO not consulted unless configured", false, false, me, "Jens", "jhan"},
		{"reserved in MO", true, false, me, "Jens", "jhan4"},
		{"reuse: reserved only for me", true, true, me, "Jens", "jhan"},
		{"reuse: someone else's, shared, then theirs alone", true, true, other, "Jens", "jhan3"},
		{"reuse: no person uuid", true, true, "", "Jens", "jhan4"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := base
			cfg.DisallowMOUsernames, cfg.ReuseOldUsernames = tt.disallow, tt.reuse
			res, err := mustGenerator(t, cfg).NewBatch(takenSet(), mo).Generate(tt.given, "Hansen", tt.person)
			if err != nil || res.Username != tt.want {
				t.Fatalf("got %q, %v; want %q", res.Username, err, tt.want)
			}
			if tt.disallow && tt.want == "jhan4" && res.Trace[0].Candidates[0].Reason != SkipReservedMO {
				t.Errorf("trace %+v", res.Trace)
			}
		})
	}
	// MO compares case-sensitively: "ABC1" does not block "abc1".
	cfg := base
	cfg.Combinations, cfg.DisallowMOUsernames = []string{"FLLX"}, true
	mo2 := MOReservedNames{"ABC2": {other}}
	res, err := mustGenerator(t, cfg).NewBatch(takenSet(), mo2).Generate("Anna", "Bcd", me)
	if err != nil || res.Username != "abc2" {
		t.Fatalf("got %q, %v; want abc2", res.Username, err)
	}
}

func TestValidateUsernameOverride(t *testing.T) {
	taken := takenSet("jhans")
	tests := []struct {
		name string
		kind Kind // KindOther = valid
	}{
		{"jens.h", KindOther},
		{"Jens-Hansen_2", KindOther},
		{"abcdefghijklmnopqrst", KindOther},
		{"abcdefghijklmnopqrstu", KindInvalid},
		{"", KindInvalid},
		{"j hans", KindInvalid},
		{"jhans\t", KindInvalid},
		{"jhans.", KindInvalid},
		{"jh\x00ns", KindInvalid},
		{"jh\xffns", KindInvalid},
		{"JHANS", KindConflict},
	}
	for _, c := range `"/\[]:;|=,+*?<>@` {
		tests = append(tests, struct {
			name string
			kind Kind
		}{"ab" + string(c) + "c", KindInvalid})
	}
	for _, tt := range tests {
		err := ValidateUsernameOverride(tt.name, taken)
		if tt.kind == KindOther {
			if err != nil {
				t.Errorf("%q: %v", tt.name, err)
			}
			continue
		}
		if err == nil || KindOf(err) != tt.kind {
			t.Errorf("%q: err = %v, want kind %v", tt.name, err, tt.kind)
		}
	}

	g := mustGenerator(t, DefaultUsernameConfig())
	b := g.NewBatch(taken, nil)
	if _, err := b.Generate("Nick", "Janssen", ""); err != nil {
		t.Fatal(err)
	}
	for name, kind := range map[string]Kind{"Hater": KindInvalid, "njans": KindConflict, "jhans": KindConflict} {
		if err := b.ValidateOverride(name, ""); KindOf(err) != kind {
			t.Errorf("batch override %q: %v, want kind %v", name, err, kind)
		}
	}
	if err := b.ValidateOverride("nick.j", ""); err != nil {
		t.Errorf("batch override nick.j: %v", err)
	}
}

func TestMOReservedNamesFrom(t *testing.T) {
	snap := &Snapshot{
		ITSystems: []ITSystem{{UUID: "sys-ad", UserKey: "ADSAMA"}, {UUID: "sys-other", UserKey: "OPUS"}},
		People: []Person{
			{UUID: "p1", ITUsers: []ITUser{
				{UserKey: "JHans", ITSystemUUID: "sys-ad"},
				{UserKey: "jhans", ITSystemUserKey: "ADSAMA"},
				{UserKey: "jhans", ITSystemUserKey: "ADSAMA"}, // an older validity
				{UserKey: "opus1", ITSystemUUID: "sys-other"},
			}},
			{UUID: "p2", ITUsers: []ITUser{{UserKey: "jhans", ITSystemUUID: "sys-ad"}, {UserKey: "", ITSystemUUID: "sys-ad"}}},
		},
	}
	got := MOReservedNamesFrom(snap, "ADSAMA")
	want := MOReservedNames{"JHans": {"p1"}, "jhans": {"p1", "p2"}}
	if len(got) != len(want) || !slices.Equal(got["JHans"], want["JHans"]) || !slices.Equal(got["jhans"], want["jhans"]) {
		t.Fatalf("got %v, want %v", got, want)
	}
}

func TestPackName(t *testing.T) {
	seen := map[nameKey]string{}
	for _, s := range []string{"a", "b", "z", "0", "9", "aa", "a0", "jhans", "jhans2", "jhans22", "abcdefghijklmnopqrst", "abcdefghijklmnopqrs9", "zzzzzzzzzzzzzzzzzzzz", "9999999999999999999"} {
		k, ok := packName(s)
		if !ok {
			t.Fatalf("%q does not pack", s)
		}
		if o, dup := seen[k]; dup {
			t.Fatalf("%q and %q pack alike", s, o)
		}
		seen[k] = s
		if K, _ := packName(strings.ToUpper(s)); K != k {
			t.Errorf("%q packs apart from its upper case", s)
		}
	}
	for _, s := range []string{"", "jens.h", "jens-h", "abcdefghijklmnopqrstu", "æble", "a b"} {
		if _, ok := packName(s); ok {
			t.Errorf("%q packs", s)
		}
	}
}

func TestBatchTakenNamesOfAnyShape(t *testing.T) {
	g := mustGenerator(t, DefaultUsernameConfig())
	// Mixed case from a careless adapter, and names no pattern can give.
	b := g.NewBatch(TakenNames{Usernames: map[string]struct{}{"JHans": {}, "jens.h": {}, "x-y": {}}}, nil)
	if res, err := b.Generate("Jens", "Hansen", ""); err != nil || res.Username != "jhans2" {
		t.Fatalf("got %q, %v", res.Username, err)
	}
	if err := b.ValidateOverride("Jens.H", ""); KindOf(err) != KindConflict {
		t.Errorf("override of a taken dotted name: %v", err)
	}
	b.Reserve("nick.j")
	if err := b.ValidateOverride("NICK.J", ""); KindOf(err) != KindConflict {
		t.Errorf("override of a reserved dotted name: %v", err)
	}
	b.Release("Nick.J")
	if err := b.ValidateOverride("nick.j", ""); err != nil {
		t.Errorf("after Release: %v", err)
	}
}
