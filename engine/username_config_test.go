package engine

import (
	"reflect"
	"strings"
	"testing"
)

func TestDefaultUsernameConfig(t *testing.T) {
	cfg := DefaultUsernameConfig()
	want := UsernameConfig{
		ObjectClass:  ObjectClassUserNameGenerator,
		Combinations: []string{"F123L", "F12LL", "F1LLL", "FLLLL", "FLLLLX"},
		CharReplacement: []CharReplacement{
			{"ø", "oe"}, {"æ", "ae"}, {"å", "aa"}, {"Ø", "oe"}, {"Æ", "ae"}, {"Å", "aa"},
		},
		Forbidden:                 []string{"hater", "lazer"},
		ExistingUsernamesITSystem: DefaultExistingUsernamesITSystem,
	}
	if !reflect.DeepEqual(cfg, want) {
		t.Fatalf("DefaultUsernameConfig() =\n%+v\nwant\n%+v", cfg, want)
	}
}

func TestParseUsernameConfig(t *testing.T) {
	tests := []struct {
		name string
		json string
		want UsernameConfig
	}{
		{
			name: "inner object, order kept, forbidden case-folded",
			json: `{"combinations_to_try": ["FLLL"], "char_replacement": {"Å": "aa", "z": "s", "å": "aa", "ß": "ss"},
			        "forbidden_usernames": ["HATER", "Straße"]}`,
			want: UsernameConfig{
				Combinations:              []string{"FLLL"},
				CharReplacement:           []CharReplacement{{"Å", "aa"}, {"z", "s"}, {"å", "aa"}, {"ß", "ss"}},
				Forbidden:                 []string{"hater", "strasse"},
				ExistingUsernamesITSystem: "ADSAMA",
			},
		},
		{
			name: "all optional keys",
			json: `{"username_generator": {"combinations_to_try": ["FLLLX"], "remove_vowels": true,
			        "disallow_mo_usernames": true, "existing_usernames_itsystem": "AD", "reuse_old_usernames": true}}`,
			want: UsernameConfig{
				Combinations: []string{"FLLLX"}, RemoveVowels: true, DisallowMOUsernames: true,
				ExistingUsernamesITSystem: "AD", ReuseOldUsernames: true,
			},
		},
		{
			name: "Allerød class means remove_vowels + disallow_mo_usernames",
			json: `{"objectClass": "AlleroedUserNameGenerator", "combinations_to_try": ["FLLL"]}`,
			want: UsernameConfig{
				ObjectClass: ObjectClassAlleroedUserNameGenerator, Combinations: []string{"FLLL"},
				RemoveVowels: true, DisallowMOUsernames: true, ExistingUsernamesITSystem: "ADSAMA",
			},
		},
		{
			name: "20-character pattern is the limit",
			json: `{"combinations_to_try": ["FFFFFFFFFFLLLLLLLLLX"]}`,
			want: UsernameConfig{Combinations: []string{"FFFFFFFFFFLLLLLLLLLX"}, ExistingUsernamesITSystem: "ADSAMA"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseUsernameConfig([]byte(tt.json))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got\n%+v\nwant\n%+v", got, tt.want)
			}
		})
	}
}

func TestParseUsernameConfigErrors(t *testing.T) {
	tests := []struct {
		name, json string
		want       []string // substrings of the error
	}{
		{"bad pattern", `{"username_generator": {"combinations_to_try": ["FLLL", "GAK"]}}`,
			[]string{"username_generator.combinations_to_try[1]", "Incorrect combination found: 'GAK'"}},
		{"lower-case letter", `{"combinations_to_try": ["flll"]}`, []string{"Incorrect combination found: 'flll'"}},
		{"empty list", `{"combinations_to_try": []}`, []string{"combinations_to_try", "no patterns"}},
		{"no list", `{"forbidden_usernames": []}`, []string{"combinations_to_try", "no patterns"}},
		{"empty pattern", `{"combinations_to_try": [""]}`, []string{"combinations_to_try[0]", "empty pattern"}},
		{"too long", `{"combinations_to_try": ["FFFFFFFFFFLLLLLLLLLXX"]}`, []string{"combinations_to_try[0]", "21 characters", "at most 20"}},
		{"unknown key with suggestion", `{"combinations_to_try": ["FL"], "forbiden_usernames": []}`,
			[]string{"forbiden_usernames", `did you mean "forbidden_usernames"`}},
		{"unknown key", `{"combinations_to_try": ["FL"], "colour": "blue"}`, []string{"colour", "unknown key", "combinations_to_try"}},
		{"unknown top-level key next to the block", `{"username_generator": {"combinations_to_try": ["FL"]}, "x": 1}`, []string{`"x"`, "unknown key"}},
		{"unknown objectClass", `{"objectClass": "Other", "combinations_to_try": ["FL"]}`, []string{"objectClass", "Other"}},
		{"repeated key", `{"combinations_to_try": ["FL"], "combinations_to_try": ["FL"]}`, []string{"appears twice"}},
		{"repeated replacement", `{"combinations_to_try": ["FL"], "char_replacement": {"ø": "o", "ø": "oe"}}`, []string{"char_replacement", `"ø" appears twice`}},
		{"empty replacement key", `{"combinations_to_try": ["FL"], "char_replacement": {"": "x"}}`, []string{"char_replacement[0]", "empty key"}},
		{"replacement not a string", `{"combinations_to_try": ["FL"], "char_replacement": {"ø": 1}}`, []string{"char_replacement", "must be a string"}},
		{"replacement a list", `{"combinations_to_try": ["FL"], "char_replacement": [["ø", "oe"]]}`, []string{"char_replacement", "expected a JSON object"}},
		{"wrong type", `{"combinations_to_try": "FLLL"}`, []string{"combinations_to_try", "must be a list of strings"}},
		{"null", `{"combinations_to_try": null}`, []string{"not null"}},
		{"bool as string", `{"combinations_to_try": ["FL"], "remove_vowels": "yes"}`, []string{"remove_vowels", "true or false"}},
		{"not JSON", `combinations_to_try = FL`, []string{"not valid JSON"}},
		{"not an object", `["FL"]`, []string{"expected a JSON object"}},
		{"trailing garbage", `{"combinations_to_try": ["FL"]} {}`, []string{"after the object"}},
		{"truncated", `{"combinations_to_try": ["FL"]`, []string{"not valid JSON"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseUsernameConfig([]byte(tt.json))
			if err == nil {
				t.Fatal("no error")
			}
			if KindOf(err) != KindInvalid {
				t.Errorf("kind = %v, want invalid", KindOf(err))
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

func TestNewUsernameGeneratorValidates(t *testing.T) {
	cfg := DefaultUsernameConfig()
	cfg.Combinations = append(cfg.Combinations, "F-L")
	if _, err := NewUsernameGenerator(cfg); err == nil || !strings.Contains(err.Error(), "Incorrect combination found: 'F-L'") {
		t.Fatalf("err = %v", err)
	}
}
