package engine

import (
	"fmt"
	"strings"
)

// MaxUsernameLength is AD's limit for sAMAccountName.
const MaxUsernameLength = 20

// PatternChars are the characters a username pattern may contain: F first
// name, 1 2 3 middle names, L surname, X a number from 2 to 9.
const PatternChars = "FL123X"

// The objectClass values the seed document uses.
const (
	ObjectClassUserNameGenerator         = "UserNameGenerator"
	ObjectClassAlleroedUserNameGenerator = "AlleroedUserNameGenerator"
)

// DefaultExistingUsernamesITSystem is the user-key of the MO IT system that
// holds sAMAccountNames, when the configuration names none.
const DefaultExistingUsernamesITSystem = "ADSAMA"

// CharReplacement is one entry of char_replacement: every From in a name
// part becomes To, before lower-casing.
type CharReplacement struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// UsernameConfig is the username_generator block of seed 004 (ad.md §1.1).
// Build it with ParseUsernameConfig or DefaultUsernameConfig; a config built
// in code is checked by Validate (NewUsernameGenerator calls it).
type UsernameConfig struct {
	// ObjectClass is "UserNameGenerator", "AlleroedUserNameGenerator" or "".
	ObjectClass string `json:"objectClass,omitempty"`
	// Combinations are the patterns, tried in order.
	Combinations []string `json:"combinations_to_try"`
	// CharReplacement is applied in this order (the order of the JSON file).
	CharReplacement []CharReplacement `json:"char_replacement"`
	// Forbidden holds the forbidden usernames, case-folded.
	Forbidden []string `json:"forbidden_usernames"`
	// RemoveVowels strips a e i o u from every name part but the first.
	RemoveVowels bool `json:"remove_vowels,omitempty"`
	// DisallowMOUsernames also rejects names MO has reserved (IT users of
	// ExistingUsernamesITSystem, all validities; compared case-sensitively).
	DisallowMOUsernames       bool   `json:"disallow_mo_usernames,omitempty"`
	ExistingUsernamesITSystem string `json:"existing_usernames_itsystem,omitempty"`
	// ReuseOldUsernames lets a person get back a name MO reserves only for
	// that same person.
	ReuseOldUsernames bool `json:"reuse_old_usernames,omitempty"`
}

// DefaultUsernameConfigJSON is the example configuration of seed 004.
const DefaultUsernameConfigJSON = `{
  "username_generator": {
    "objectClass": "UserNameGenerator",
    "combinations_to_try": [
      "F123L",
      "F12LL",
      "F1LLL",
      "FLLLL",
      "FLLLLX"
    ],
    "char_replacement": {
      "ø": "oe",
      "æ": "ae",
      "å": "aa",
      "Ø": "oe",
      "Æ": "ae",
      "Å": "aa"
    },
    "forbidden_usernames": [
      "hater",
      "lazer"
    ]
  }
}`

// DefaultUsernameConfig returns the example configuration of seed 004.
func DefaultUsernameConfig() UsernameConfig {
	cfg, err := ParseUsernameConfig([]byte(DefaultUsernameConfigJSON))
	if err != nil {
		panic("engine: the built-in username configuration is invalid: " + err.Error())
	}
	return cfg
}

const usernameConfigOp = "username generator config"

// Validate checks the rules ParseUsernameConfig applies at load: at least
// one pattern; every pattern non-empty, made only of F L 1 2 3 X, and never
// longer than MaxUsernameLength; no empty char_replacement key; a known
// objectClass. The error is an *Error of KindInvalid naming the key.
func (c UsernameConfig) Validate() error {
	switch c.ObjectClass {
	case "", ObjectClassUserNameGenerator, ObjectClassAlleroedUserNameGenerator:
	default:
		return E(KindInvalid, usernameConfigOp, "objectClass",
			fmt.Errorf("unknown objectClass %q; use %q or %q", c.ObjectClass,
				ObjectClassUserNameGenerator, ObjectClassAlleroedUserNameGenerator))
	}
	if len(c.Combinations) == 0 {
		return E(KindInvalid, usernameConfigOp, "combinations_to_try",
			fmt.Errorf("no patterns: list at least one, e.g. [\"FLLLL\", \"FLLLLX\"]"))
	}
	for i, p := range c.Combinations {
		key := fmt.Sprintf("combinations_to_try[%d]", i)
		if p == "" {
			return E(KindInvalid, usernameConfigOp, key, fmt.Errorf("empty pattern"))
		}
		if strings.Trim(p, PatternChars) != "" {
			return E(KindInvalid, usernameConfigOp, key,
				fmt.Errorf("Incorrect combination found: '%s' username combinations can only contain ['F', 'L', '1', '2', '3', 'X']", p))
		}
		// Every pattern letter yields exactly one character (X one digit).
		if len(p) > MaxUsernameLength {
			return E(KindInvalid, usernameConfigOp, key,
				fmt.Errorf("pattern '%s' gives usernames of %d characters; AD allows at most %d", p, len(p), MaxUsernameLength))
		}
	}
	for i, r := range c.CharReplacement {
		if r.From == "" {
			return E(KindInvalid, usernameConfigOp, fmt.Sprintf("char_replacement[%d]", i),
				fmt.Errorf("empty key (it would insert %q between every character)", r.To))
		}
	}
	return nil
}

// casefold approximates Python's str.casefold for forbidden names: lower
// case, and ß as ss.
func casefold(s string) string {
	s = strings.ToLower(s)
	if strings.Contains(s, "ß") {
		s = strings.ReplaceAll(s, "ß", "ss")
	}
	return s
}
