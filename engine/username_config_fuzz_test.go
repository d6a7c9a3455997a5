package engine

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"testing"
	"time"
)

// Input bounds of FuzzParseUsernameConfig (see fuzzMaxName for why).
const (
	fuzzMaxConfig = 1024 // bytes of JSON
	// fuzzGenerateBudget is far more than generating a few names ever
	// takes; more means a configuration that makes generating explode.
	fuzzGenerateBudget = 2 * time.Second
)

// FuzzParseUsernameConfig feeds arbitrary JSON to ParseUsernameConfig. It
// must never panic; an error is an *Error of KindInvalid. A configuration
// that parses validates, encodes back to JSON that parses to the same
// configuration, builds a generator, and generates for the given names
// without panic and in bounded time, every name it gives shaped as
// ^[a-z0-9]{1,20}$ and not forbidden.
func FuzzParseUsernameConfig(f *testing.F) {
	for _, s := range [][3]string{
		{DefaultUsernameConfigJSON, "Jens", "Hansen"},
		{`{"combinations_to_try": ["FLLL", "FLLLX"], "char_replacement": {"ü": "ue", "ß": "ss"}, "forbidden_usernames": ["Jhan", "STRASSE"]}`, "Jürgen", "Straße"},
		{`{"username_generator": {"objectClass": "AlleroedUserNameGenerator", "combinations_to_try": ["F1LL", "XFLX"], "char_replacement": {}, "forbidden_usernames": []}}`, "Anna Marie", "Berg"},
		{`{"combinations_to_try": ["F123L"], "remove_vowels": true, "disallow_mo_usernames": true, "existing_usernames_itsystem": "AD", "reuse_old_usernames": true}`, "A B C D", "Efg"},
		{`{"combinations_to_try": ["FFFFFFFFFFFFFFFFFFFFF"]}`, "Jens", "Hansen"},
		{`{"combinations_to_try": ["FLQ"]}`, "Jens", "Hansen"},
		{`{"combinations_to_try": ["FL"], "char_replacement": {"": "x"}}`, "Jens", "Hansen"},
		{`{"combinations_to_try": ["FL"], "combinations_to_try": ["LF"]}`, "Jens", "Hansen"},
		{`{"combinations_to_try": null}`, "Jens", "Hansen"},
		{`{"username_generator": {}, "extra": 1}`, "Jens", "Hansen"},
		{`{"combinaton_to_try": ["FL"]}`, "Jens", "Hansen"},
		{`{"combinations_to_try": ["FL"]} {}`, "Jens", "Hansen"},
		{`[1, 2]`, "Jens", "Hansen"},
		{`{"combinations_to_try": ["LX"], "char_replacement": {"a": "aa", "aa": "aaaa"}}`, "Saab", "Aaa"},
	} {
		f.Add([]byte(s[0]), s[1], s[2])
	}
	f.Fuzz(func(t *testing.T, data []byte, given, surname string) {
		data = data[:min(len(data), fuzzMaxConfig)]
		given, surname = given[:min(len(given), fuzzMaxName)], surname[:min(len(surname), fuzzMaxName)]
		cfg, err := ParseUsernameConfig(data)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Kind != KindInvalid {
				t.Fatalf("error is not an *Error of KindInvalid: %#v", err)
			}
			return
		}
		if err := cfg.Validate(); err != nil {
			t.Fatalf("parsed configuration does not validate: %v", err)
		}
		again, err := ParseUsernameConfig(encodeUsernameConfig(t, cfg))
		if err != nil {
			t.Fatalf("encoded configuration does not parse: %v\n%s", err, encodeUsernameConfig(t, cfg))
		}
		if !reflect.DeepEqual(again, cfg) {
			t.Fatalf("round trip changed the configuration\nfirst:  %#v\nsecond: %#v", cfg, again)
		}
		g, err := NewUsernameGenerator(cfg)
		if err != nil {
			t.Fatalf("valid configuration gives no generator: %v", err)
		}
		start := time.Now()
		b := g.NewBatch(takenSet("jhans", "ab2"), MOReservedNames{"jhan": nil})
		for _, n := range [][2]string{{given, surname}, {given, surname}, {"Jens", "Hansen"}, {surname, given}} {
			res, err := b.Generate(n[0], n[1], "")
			if err == nil {
				checkGenerated(t, g, b.taken, res.Username)
			} else if !errors.Is(err, ErrNoUsername) {
				t.Fatalf("Generate(%q, %q): %v", n[0], n[1], err)
			}
		}
		if d := time.Since(start); d > fuzzGenerateBudget {
			t.Fatalf("generating 4 names took %v", d)
		}
	})
}

// encodeUsernameConfig writes cfg as the JSON ParseUsernameConfig reads,
// char_replacement in its order.
func encodeUsernameConfig(t *testing.T, cfg UsernameConfig) []byte {
	t.Helper()
	var b bytes.Buffer
	put := func(key string, v any) {
		if b.Len() > 1 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(key)
		val, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(val)
	}
	b.WriteByte('{')
	put("objectClass", cfg.ObjectClass)
	put("combinations_to_try", cfg.Combinations)
	if cfg.Forbidden != nil {
		put("forbidden_usernames", cfg.Forbidden)
	}
	put("remove_vowels", cfg.RemoveVowels)
	put("disallow_mo_usernames", cfg.DisallowMOUsernames)
	put("existing_usernames_itsystem", cfg.ExistingUsernamesITSystem)
	put("reuse_old_usernames", cfg.ReuseOldUsernames)
	if cfg.CharReplacement == nil {
		b.WriteByte('}')
		return b.Bytes()
	}
	var cr bytes.Buffer
	cr.WriteByte('{')
	for i, r := range cfg.CharReplacement {
		if i > 0 {
			cr.WriteByte(',')
		}
		k, _ := json.Marshal(r.From)
		v, _ := json.Marshal(r.To)
		cr.Write(k)
		cr.WriteByte(':')
		cr.Write(v)
	}
	cr.WriteByte('}')
	put("char_replacement", json.RawMessage(cr.Bytes()))
	b.WriteByte('}')
	return b.Bytes()
}
