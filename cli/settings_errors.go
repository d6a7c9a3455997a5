package cli

import (
	"errors"
	"fmt"

	"moxsync/engine"
	"moxsync/settings"
)

// settingsProblems turns the *engine.SettingErrors in err (settings that a
// system's facts refute, such as an AD_MAPPING rule AD's schema does not
// fit) into the settings' own kind of error, each problem at the place its
// key was set; nil when err holds none.
func settingsProblems(s *settings.Settings, err error) *settings.ValidationError {
	ses := engine.SettingErrors(err)
	if len(ses) == 0 {
		return nil
	}
	ve := &settings.ValidationError{Path: s.Path}
	for _, se := range ses {
		p := settings.Problem{Key: se.Key, Expected: se.Item + ": " + se.Msg}
		v, _ := s.Lookup(se.Key)
		switch v.Source.Kind {
		case settings.FromEnv:
			p.Env = true
		case settings.FromFile:
			p.File, p.Line = v.Source.File, v.Source.Line
		default:
			p.File = s.Path
		}
		ve.Problems = append(ve.Problems, p)
	}
	return ve
}

// reportSettingsErr prints the settings errors in err as loadSettings
// prints invalid settings, and reports whether there were any: the caller
// then exits with exitError, the code of invalid settings.
func (a *app) reportSettingsErr(s *settings.Settings, err error) bool {
	ve := settingsProblems(s, err)
	if ve == nil {
		return false
	}
	fmt.Fprintf(a.stderr, "moxsync: %v\n", ve)
	fmt.Fprintln(a.stderr, "Every key is documented in settings.ini.example.")
	if s.LogFile != "" {
		a.logger().Error("invalid settings", "error", ve.Error())
	}
	return true
}

// mappingMismatch is the AD probe's report that AD_MAPPING does not fit
// AD's schema: AD answered, the settings are wrong.
type mappingMismatch struct{ err error }

func (m *mappingMismatch) Error() string { return m.err.Error() }
func (m *mappingMismatch) Unwrap() error { return m.err }

// asMappingMismatch returns the settings errors of a probe's error, or nil.
func asMappingMismatch(err error) error {
	var mm *mappingMismatch
	if errors.As(err, &mm) {
		return mm.err
	}
	return nil
}
