package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/google/uuid"

	"moxsync/engine"
	"moxsync/settings"
	"moxsync/wiring"
)

// `moxsync username --employee UUID`: the name comes from MO, and so do the
// names MO reserves (disallow_mo_usernames, reuse_old_usernames).

// employeeReport says which MO person the preview is for (--json
// "employee"; absent without --employee).
type employeeReport struct {
	UUID       string `json:"uuid"`
	NameSource string `json:"name_source"` // always "MO"
	// ADITSystem is OS2MO_AD_ITSYSTEM; ADAccounts the user_keys of the
	// person's current and future IT users in it ([] when none).
	ADITSystem string   `json:"ad_itsystem"`
	ADAccounts []string `json:"ad_accounts"`
}

// moEmployee is what one read of MO gave for --employee.
type moEmployee struct {
	person     engine.Person
	reserved   engine.MOReservedNames // user_keys in existing_usernames_itsystem
	adAccounts []string               // user_keys in OS2MO_AD_ITSYSTEM
}

// checkEmployeeUUID checks the --employee value before anything is read.
func checkEmployeeUUID(v string) (string, error) {
	u, err := uuid.Parse(strings.TrimSpace(v))
	if err != nil {
		return "", fmt.Errorf("--employee %q is not a UUID: %w", v, err)
	}
	return u.String(), nil
}

// errMONotConfigured is returned for --employee without MO settings.
var errMONotConfigured = errors.New("--employee reads the person from MO, but OS2MO is not configured " +
	"(set OS2MO_SERVICE_URL or OS2MO_GRAPHQL_URL)")

// readMOEmployee reads the MO snapshot (MO's client has no read of one
// person's name) and picks out the person with uuid personUUID, the names
// MO reserves in the IT system reservedIn (the generator's
// existing_usernames_itsystem) and the person's accounts in
// OS2MO_AD_ITSYSTEM.
func readMOEmployee(ctx context.Context, s *settings.Settings, log *slog.Logger, personUUID, reservedIn string) (moEmployee, error) {
	if !s.MO.Configured() {
		return moEmployee{}, errMONotConfigured
	}
	mc, err := wiring.NewMOClient(s, log)
	if err != nil {
		return moEmployee{}, err
	}
	defer mc.Close()
	snap, err := mc.Snapshot(ctx)
	if err != nil {
		return moEmployee{}, fmt.Errorf("read MO for employee %s: %w", personUUID, err)
	}
	var out moEmployee
	found := false
	for i := range snap.People {
		if strings.EqualFold(snap.People[i].UUID, personUUID) {
			out.person, found = snap.People[i], true
			break
		}
	}
	if !found {
		return moEmployee{}, fmt.Errorf("MO has no person with uuid %s (%d people read from %s)",
			personUUID, len(snap.People), wiring.MOAddress(s))
	}
	out.reserved = engine.MOReservedNamesFrom(snap, reservedIn)
	if sys := engine.FindITSystem(snap, s.MO.ADITSystem); sys != "" {
		for _, it := range out.person.ITUsers {
			if it.ITSystemUUID == sys && it.UserKey != "" {
				out.adAccounts = append(out.adAccounts, it.UserKey)
			}
		}
	}
	return out, nil
}

// describeEmployee is the human line(s) naming the MO person.
func describeEmployee(e *employeeReport, given, surname string) string {
	line := fmt.Sprintf("MO employee %s; name from MO: given name %q, surname %q", e.UUID, given, surname)
	if len(e.ADAccounts) > 0 {
		line += fmt.Sprintf("\n            already has AD account %s (IT system %q in MO)", strings.Join(e.ADAccounts, ", "), e.ADITSystem)
	}
	return line
}

// describeMOReserved is the human line on the names MO reserves.
func describeMOReserved(t *takenSummary, reuse bool) string {
	switch {
	case !t.MOReserved:
		return ""
	case !t.MOChecked:
		return "disallow_mo_usernames is on, but this preview does not read MO: names reserved in MO were not checked"
	}
	n := 0
	if t.FromMO != nil {
		n = *t.FromMO
	}
	s := fmt.Sprintf("disallow_mo_usernames: %d names reserved in MO (IT system %q)", n, t.MOITSystem)
	if reuse {
		s += "; reuse_old_usernames: the person's own are allowed"
	}
	return s
}
