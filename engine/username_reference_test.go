package engine

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// refGenerator is ad.md §1.1 written as plainly as possible, with string
// sets, to check the generator's faster lookups against.
type refGenerator struct {
	cfg                     UsernameConfig
	forbidden, taken, chose map[string]bool
}

var refNotAZ = regexp.MustCompile(`[^a-z]`)

func newRefGenerator(cfg UsernameConfig, taken []string) *refGenerator {
	r := &refGenerator{cfg: cfg, forbidden: map[string]bool{}, taken: map[string]bool{}, chose: map[string]bool{}}
	for _, f := range cfg.Forbidden {
		r.forbidden[casefold(f)] = true
	}
	for _, t := range taken {
		r.taken[strings.ToLower(t)] = true
	}
	return r
}

// generate returns the name ("" for none) and every candidate tried as
// "pattern:candidate:reason".
func (r *refGenerator) generate(given, surname string) (string, []string) {
	tokens := strings.Split(given, " ")
	if len(tokens) > 4 {
		tokens = tokens[:4]
	}
	parts := append(tokens, surname)
	for i, p := range parts {
		for _, rep := range r.cfg.CharReplacement {
			p = strings.ReplaceAll(p, rep.From, rep.To)
		}
		p = refNotAZ.ReplaceAllString(strings.ToLower(p), "")
		if r.cfg.RemoveVowels && i > 0 {
			p = strings.NewReplacer("a", "", "e", "", "i", "", "o", "", "u", "").Replace(p)
		}
		parts[i] = p
	}
	var tried []string
	for _, pat := range r.cfg.Combinations {
		cand, ok := "", true
		for i := 0; i < len(pat) && ok; {
			j := i
			for j < len(pat) && pat[j] == pat[i] {
				j++
			}
			n := j - i
			var part string
			switch c := pat[i]; c {
			case 'X':
				cand += strings.Repeat("X", n)
				i = j
				continue
			case 'F':
				part = parts[0]
			case 'L':
				part = parts[len(parts)-1]
			default:
				idx := int(c - '0')
				if idx > len(parts)-2 {
					ok = false
					continue
				}
				part = parts[idx]
			}
			if n > len(part) {
				ok = false
				continue
			}
			cand += part[:n]
			i = j
		}
		if !ok {
			continue
		}
		core := strings.ReplaceAll(cand, "X", "")
		if r.forbidden[core] {
			continue
		}
		variants := []string{cand}
		if core != cand {
			variants = nil
			for d := '2'; d <= '9'; d++ {
				variants = append(variants, strings.ReplaceAll(cand, "X", string(d)))
			}
		}
		for _, v := range variants {
			reason := ""
			switch {
			case v != core && r.forbidden[v]:
				reason = string(SkipForbidden)
			case r.taken[v]:
				reason = string(SkipTakenAD)
			case r.chose[v]:
				reason = string(SkipChosenInBatch)
			}
			tried = append(tried, pat+":"+v+":"+reason)
			if reason == "" {
				r.chose[v] = true
				return v, tried
			}
		}
	}
	return "", tried
}

func flatCandidates(res UsernameResult) []string {
	var out []string
	for _, pt := range res.Trace {
		for _, c := range pt.Candidates {
			out = append(out, pt.Pattern+":"+c.Username+":"+string(c.Reason))
		}
	}
	return out
}

// TestGenerateMatchesReference runs whole batches through the generator and
// the plain reference and demands the same names and the same candidates.
func TestGenerateMatchesReference(t *testing.T) {
	doc := DefaultUsernameConfig()
	configs := map[string]func(*UsernameConfig){
		"doc": func(*UsernameConfig) {},
		"many X shapes": func(c *UsernameConfig) {
			c.Combinations = []string{"FLLLX", "FXLL", "FLXX", "XFLX", "FFLLX", "F1LX", "FLX"}
		},
		"forbidden numbered names, vowels removed": func(c *UsernameConfig) {
			c.Combinations = []string{"FLLL", "FLLLX", "FFLX", "FLX"}
			c.Forbidden = []string{"jhns", "jhns3", "ab2", "mhns5"}
			c.RemoveVowels = true
		},
	}
	r := rand.New(rand.NewPCG(7, 8))
	for name, mod := range configs {
		t.Run(name, func(t *testing.T) {
			cfg := doc
			mod(&cfg)
			g := mustGenerator(t, cfg)
			people := benchPeople(3000)
			var taken []string
			for _, p := range people[:1500] {
				// Names near what the patterns give, numbered ones too.
				f, l := strings.ToLower(p[0][:1]), strings.ToLower(p[1])
				n := f + l[:min(len(l), 1+r.IntN(4))]
				if r.IntN(2) == 0 {
					n += fmt.Sprint(r.IntN(10))
				}
				taken = append(taken, n)
			}
			ref := newRefGenerator(cfg, taken)
			b := g.NewBatch(takenSet(taken...), nil)
			for i, p := range people {
				want, wantTried := ref.generate(p[0], p[1])
				res, err := b.Generate(p[0], p[1], "")
				if res.Username != want || (err == nil) != (want != "") || !slices.Equal(flatCandidates(res), wantTried) {
					t.Fatalf("person %d %q %q: got %q (%v) tried %q\nwant %q tried %q", i, p[0], p[1], res.Username, err, flatCandidates(res), want, wantTried)
				}
				if i%97 == 0 && res.Username != "" {
					// An operator frees a name: both must forget it.
					b.Release(res.Username)
					delete(ref.chose, res.Username)
				}
			}
		})
	}
}
