package engine

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// usernameConfigKeys are the keys of the username_generator block.
var usernameConfigKeys = []string{
	"objectClass", "combinations_to_try", "char_replacement", "forbidden_usernames",
	"remove_vowels", "disallow_mo_usernames", "existing_usernames_itsystem", "reuse_old_usernames",
}

// ParseUsernameConfig reads a username generator configuration from JSON:
// either a document whose only top-level key is "username_generator", or the
// inner object itself. char_replacement keeps the order of the file. Unknown
// or repeated keys, values of the wrong type and the rules of Validate are
// errors (an *Error of KindInvalid naming the key). objectClass
// "AlleroedUserNameGenerator" turns on remove_vowels and
// disallow_mo_usernames.
func ParseUsernameConfig(data []byte) (UsernameConfig, error) {
	top, err := jsonObjectMembers(data)
	if err != nil {
		return UsernameConfig{}, E(KindInvalid, usernameConfigOp, "", err)
	}
	members := top
	prefix := ""
	for _, m := range top {
		if m.key == "username_generator" {
			if len(top) != 1 {
				for _, o := range top {
					if o.key != "username_generator" {
						return UsernameConfig{}, E(KindInvalid, usernameConfigOp, o.key,
							fmt.Errorf("unknown key %q next to \"username_generator\"", o.key))
					}
				}
			}
			if members, err = jsonObjectMembers(m.value); err != nil {
				return UsernameConfig{}, E(KindInvalid, usernameConfigOp, "username_generator", err)
			}
			prefix = "username_generator."
		}
	}
	cfg := UsernameConfig{ExistingUsernamesITSystem: DefaultExistingUsernamesITSystem}
	seen := map[string]bool{}
	for _, m := range members {
		key := prefix + m.key
		if seen[m.key] {
			return UsernameConfig{}, E(KindInvalid, usernameConfigOp, key, errors.New("key appears twice"))
		}
		seen[m.key] = true
		if err := cfg.decodeMember(m); err != nil {
			return UsernameConfig{}, E(KindInvalid, usernameConfigOp, key, err)
		}
	}
	if cfg.ObjectClass == ObjectClassAlleroedUserNameGenerator {
		cfg.RemoveVowels = true
		cfg.DisallowMOUsernames = true
	}
	if err := cfg.Validate(); err != nil {
		var e *Error
		if prefix != "" && errors.As(err, &e) && e.Key != "" {
			e.Key = prefix + e.Key
		}
		return UsernameConfig{}, err
	}
	return cfg, nil
}

func (c *UsernameConfig) decodeMember(m jsonMember) error {
	switch m.key {
	case "objectClass":
		return decodeStrict(m.value, &c.ObjectClass, "a string")
	case "combinations_to_try":
		return decodeStrict(m.value, &c.Combinations, "a list of strings")
	case "forbidden_usernames":
		var list []string
		if err := decodeStrict(m.value, &list, "a list of strings"); err != nil {
			return err
		}
		c.Forbidden = make([]string, len(list))
		for i, f := range list {
			c.Forbidden[i] = casefold(f)
		}
		return nil
	case "char_replacement":
		members, err := jsonObjectMembers(m.value)
		if err != nil {
			return err
		}
		c.CharReplacement = make([]CharReplacement, 0, len(members))
		seen := map[string]bool{}
		for _, r := range members {
			if seen[r.key] {
				return fmt.Errorf("key %q appears twice", r.key)
			}
			seen[r.key] = true
			var to string
			if err := decodeStrict(r.value, &to, "a string"); err != nil {
				return fmt.Errorf("%q: %w", r.key, err)
			}
			c.CharReplacement = append(c.CharReplacement, CharReplacement{From: r.key, To: to})
		}
		return nil
	case "remove_vowels":
		return decodeStrict(m.value, &c.RemoveVowels, "true or false")
	case "disallow_mo_usernames":
		return decodeStrict(m.value, &c.DisallowMOUsernames, "true or false")
	case "existing_usernames_itsystem":
		return decodeStrict(m.value, &c.ExistingUsernamesITSystem, "a string")
	case "reuse_old_usernames":
		return decodeStrict(m.value, &c.ReuseOldUsernames, "true or false")
	}
	msg := "unknown key; known keys are " + strings.Join(usernameConfigKeys, ", ")
	if near := nearestKey(m.key, usernameConfigKeys); near != "" {
		msg = fmt.Sprintf("unknown key; did you mean %q?", near)
	}
	return errors.New(msg)
}

// jsonMember is one key of a JSON object with its raw value.
type jsonMember struct {
	key   string
	value json.RawMessage
}

// jsonObjectMembers returns the members of the JSON object in data, in file
// order. data must hold exactly one object.
func jsonObjectMembers(data []byte) ([]jsonMember, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	tok, err := dec.Token()
	if err != nil {
		return nil, fmt.Errorf("not valid JSON: %w", err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, fmt.Errorf("expected a JSON object, found %s", describeToken(tok))
	}
	var out []jsonMember
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("not valid JSON: %w", err)
		}
		key, ok := tok.(string)
		if !ok {
			return nil, fmt.Errorf("not valid JSON: expected a key, found %s", describeToken(tok))
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, fmt.Errorf("not valid JSON at key %q: %w", key, err)
		}
		out = append(out, jsonMember{key: key, value: raw})
	}
	if _, err := dec.Token(); err != nil { // the closing '}'
		return nil, fmt.Errorf("not valid JSON: %w", err)
	}
	if tok, err := dec.Token(); err != io.EOF {
		if err != nil {
			return nil, fmt.Errorf("not valid JSON after the object: %w", err)
		}
		return nil, fmt.Errorf("unexpected %s after the object", describeToken(tok))
	}
	return out, nil
}

// decodeStrict decodes raw into v; null and values of another type are
// errors saying what was expected.
func decodeStrict(raw json.RawMessage, v any, want string) error {
	if bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
		return fmt.Errorf("must be %s, not null", want)
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return fmt.Errorf("must be %s, found %s", want, shortJSON(raw))
	}
	return nil
}

func describeToken(tok json.Token) string {
	switch t := tok.(type) {
	case json.Delim:
		return fmt.Sprintf("%q", string(t))
	case string:
		return fmt.Sprintf("the string %q", t)
	case nil:
		return "null"
	default:
		return fmt.Sprintf("%v", t)
	}
}

func shortJSON(raw json.RawMessage) string {
	s := strings.TrimSpace(string(raw))
	if len(s) > 40 {
		s = s[:37] + "..."
	}
	return s
}

// nearestKey returns the known key closest to key (edit distance at most 3),
// or "".
func nearestKey(key string, known []string) string {
	best, bestD := "", 4
	for _, k := range known {
		if d := editDistance(strings.ToLower(key), strings.ToLower(k)); d < bestD {
			best, bestD = k, d
		}
	}
	return best
}

func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
