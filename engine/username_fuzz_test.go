package engine

import (
	"errors"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
)

var usernameShape = regexp.MustCompile(`^[a-z0-9]{1,20}$`)

// Input bounds of FuzzGenerate, and of the other fuzz targets of the
// package. The generator is linear in its input, but the fuzzer counts
// coverage hits per loop in buckets (1, 2, 4, … 128+), so every doubling of
// a name's length looks like new coverage, and each new input is minimized
// by removing bytes: a number of runs quadratic in its length (up to
// -fuzzminimizetime, 60 s by default), without fuzzing meanwhile.
// Unbounded, the corpus grew to names of kilobytes and the fuzzer stood
// at 0 execs/s for a third of its time. Inputs are cut to the bounds, not
// skipped: an early return is itself new coverage, so every long input
// was "interesting" and minimized for seconds while staying long. A
// username takes at most 20 letters from a part, so real names well
// inside these bounds exercise every path.
const (
	fuzzMaxName  = 64  // bytes of the given name, and of the surname
	fuzzMaxTaken = 256 // bytes of the comma-separated taken names
)

// FuzzGenerate feeds arbitrary names (and taken names) to the generator. It
// must never panic; every name it gives matches ^[a-z0-9]{1,20}$, is neither
// taken nor forbidden nor chosen earlier in the batch, and the same input
// always gives the same result, the same as the plain reference
// implementation of username_reference_test.go.
func FuzzGenerate(f *testing.F) {
	for _, s := range [][3]string{
		{"Jens", "Hansen", ""},
		{"Jens", "Hansen", "jhans,jhans2"},
		{"Hans Åberg", "Terp", ""},
		{"Søren Åge", "Ølholm", ""},
		{"Nick", "Ja", ""},
		{"Jens ", "Hansen", ""},
		{"  ", "", ""},
		{"A B C D E F", "Bach Klarskov", "abcdb"},
		{"José", "Müller-Lüdenscheidt", "JMLLE"},
		{"İlker", "Kelvin\u212a", ""},
		{"\xff\xfe", "\x00", ""},
		{"Anna", "Berg", "ab2,ab3,ab4,ab5,ab6,ab7,ab8,ab9"},
		{"Diana", "Ckarlsen", ""},
	} {
		f.Add(s[0], s[1], s[2])
	}
	cfg := DefaultUsernameConfig()
	cfg.Combinations = append(cfg.Combinations, "FL", "XFLX", "F1X", "FFLLX", "LLFFX")
	cfg.Forbidden = append(cfg.Forbidden, "dick", "jhans3", "fl")
	g, err := NewUsernameGenerator(cfg)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, given, surname, takenCSV string) {
		given, surname = given[:min(len(given), fuzzMaxName)], surname[:min(len(surname), fuzzMaxName)]
		takenCSV = takenCSV[:min(len(takenCSV), fuzzMaxTaken)]
		taken := TakenNames{Usernames: map[string]struct{}{}}
		takenList := strings.Split(takenCSV, ",")
		for _, n := range takenList {
			taken.Usernames[strings.ToLower(n)] = struct{}{}
		}
		b := g.NewBatch(taken, nil)
		res, err := b.Generate(given, surname, "")
		again, err2 := g.NewBatch(taken, nil).Generate(given, surname, "")
		if !reflect.DeepEqual(res, again) || (err == nil) != (err2 == nil) {
			t.Fatalf("not deterministic: %+v, %v / %+v, %v", res, err, again, err2)
		}
		if len(res.Trace) == 0 {
			t.Fatalf("no trace")
		}
		ref := newRefGenerator(cfg, takenList)
		if want, tried := ref.generate(given, surname); res.Username != want || !slices.Equal(flatCandidates(res), tried) {
			t.Fatalf("got %q tried %q; the reference gives %q tried %q", res.Username, flatCandidates(res), want, tried)
		}
		if err != nil {
			var ue *UsernameError
			if !errors.As(err, &ue) || !reflect.DeepEqual(ue.Result, res) || res.Username != "" {
				t.Fatalf("failure is not a *UsernameError carrying the result: %v", err)
			}
			return
		}
		checkGenerated(t, g, taken, res.Username)
		// The same person again in the same batch gets another name, or none.
		res2, err := b.Generate(given, surname, "")
		if err == nil {
			checkGenerated(t, g, taken, res2.Username)
			if res2.Username == res.Username {
				t.Fatalf("%q chosen twice in one batch", res.Username)
			}
		}
	})
}

func checkGenerated(t *testing.T, g *UsernameGenerator, taken TakenNames, name string) {
	t.Helper()
	if !usernameShape.MatchString(name) {
		t.Fatalf("%q does not match %s", name, usernameShape)
	}
	if taken.HasUsername(name) {
		t.Fatalf("%q is taken", name)
	}
	if g.IsForbidden(name) {
		t.Fatalf("%q is forbidden", name)
	}
}
