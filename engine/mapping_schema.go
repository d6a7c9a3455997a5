package engine

import (
	"errors"
	"strconv"
)

// SettingError is a setting that a system's own facts refute, such as an
// AD_MAPPING rule for an attribute AD's schema lacks. It is a settings
// error (the commands report it as invalid settings, exit 1), found only
// once the facts are read, before anything is planned or written.
type SettingError struct {
	Key  string // the setting, e.g. "AD_MAPPING"
	Item string // the part of its value at fault, e.g. "fooBarAttr = mo given_name"
	Msg  string // the rule it breaks
}

func (e *SettingError) Error() string { return e.Key + ": " + e.Item + ": " + e.Msg }

// SettingErrors returns every *SettingError in err's tree (joined with
// errors.Join or wrapped with %w), in order.
func SettingErrors(err error) []*SettingError {
	var out []*SettingError
	var walk func(error)
	walk = func(err error) {
		switch x := err.(type) {
		case nil:
		case *SettingError:
			out = append(out, x)
		case interface{ Unwrap() []error }:
			for _, e := range x.Unwrap() {
				walk(e)
			}
		case interface{ Unwrap() error }:
			walk(x.Unwrap())
		}
	}
	walk(err)
	return out
}

// ValidateSchema checks every active rule of the mapping against schema s
// (AD's, or BuiltinADSchema): the attribute must exist; an MO → AD
// attribute must be writable (not system-only, constructed or a back link)
// and hold text or an integer; an AD → MO attribute must be single-valued,
// as the MO field it fills holds one value. It returns nil, or every
// problem as a *SettingError of key AD_MAPPING naming the rule, joined.
func (m Mapping) ValidateSchema(s *ADSchema) error {
	var errs []error
	for _, r := range m.Rules {
		if msg := ruleAgainstSchema(r, s); msg != "" {
			errs = append(errs, &SettingError{Key: "AD_MAPPING", Item: r.String(), Msg: msg})
		}
	}
	return errors.Join(errs...)
}

// ruleAgainstSchema returns the rule of schema s that r breaks, or "".
func ruleAgainstSchema(r MappingRule, s *ADSchema) string {
	if r.Direction == DirOff {
		return ""
	}
	a, ok := s.Lookup(r.Attr)
	if !ok {
		if s.Builtin {
			return "moxsync's built-in table of " + strconv.Itoa(s.Len()) + " AD user attributes has no attribute " + r.Attr +
				" (AD is not configured, so its schema was not read)"
		}
		return "AD's schema has no attribute " + r.Attr
	}
	name := a.Name
	switch r.Direction {
	case DirMOToAD:
		switch {
		case a.Constructed:
			return s.describe() + " makes " + name + " constructed: AD computes it when read and stores nothing, so it cannot be written"
		case a.BackLink:
			return s.describe() + " makes " + name + " a back link: AD maintains it from the forward link, so it cannot be written"
		case a.SystemOnly:
			return s.describe() + " makes " + name + " system-only: only AD itself writes it"
		case a.Syntax == SyntaxLargeInteger && r.Source == "engagement.end_date":
			// a FILETIME (accountExpires): the end date is written as one
		case r.Source == "engagement.end_date" && a.Syntax != SyntaxLargeInteger && !textSyntax(a.Syntax):
			return s.describe() + " gives " + name + " the syntax " + SyntaxName(a.Syntax) + ", which an end date cannot be written as (a large integer takes a FILETIME, text a YYYY-MM-DD date)"
		case !textSyntax(a.Syntax):
			return s.describe() + " gives " + name + " the syntax " + SyntaxName(a.Syntax) + ", which an MO value (text) cannot be written as"
		}
	case DirADToMO:
		if !a.SingleValued {
			return s.describe() + " makes " + name + " multi-valued, and MO's " + r.Source + " holds one value"
		}
	}
	return ""
}
