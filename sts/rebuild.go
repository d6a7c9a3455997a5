package sts

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"moxsync/engine"
)

// WarnListCapped says that a v1_1 list read came back at STS's search cap,
// so STS may hold more than the rebuilt record shows.
const WarnListCapped = "sts_list_capped"

// Rebuild makes the record what STS holds (plan --refresh-sts, and a first
// run without a usable record). It asks h which units and users STS holds
// (Holdings: the v1_1 lists, or OS2sync's hierarchy), then reads back by
// uuid every one of those, every given unit and user (the ones MO wants
// there) and every recorded one, at most concurrency at a time, and
// replaces the record with what those reads found. So the record then also
// holds what other systems, earlier tools or mox left in STS, and
// engine.DiffSTS plans its removal.
//
// A failed holdings read, or any failed single read, leaves the record as
// it was and is the error: nothing is to be deleted on the strength of a
// read that failed. The warnings say when a list came back at the cap.
// Save afterwards.
func (s *State) Rebuild(ctx context.Context, t engine.STSTarget, h HoldingsReader, units, users []string, concurrency int) (RefreshStats, []engine.Warning, error) {
	held, err := h.Holdings(ctx)
	if err != nil {
		return RefreshStats{}, nil, fmt.Errorf("sts: learn what STS holds: %w", err)
	}
	s.mu.Lock()
	recUnits, recUsers := slices.Collect(maps.Keys(s.units)), slices.Collect(maps.Keys(s.users))
	s.mu.Unlock()
	scratch := NewState(s.path)
	st, err := scratch.Refresh(ctx, t, slices.Concat(units, held.Units, recUnits), slices.Concat(users, held.Users, recUsers), concurrency)
	st.HeldUnits, st.HeldUsers, st.Via = len(held.Units), len(held.Users), held.Via
	if err != nil {
		return st, nil, err
	}
	s.replace(scratch)
	var warns []engine.Warning
	capped := func(kind, path string, n int) {
		warns = append(warns, engine.Warning{Code: WarnListCapped, System: string(engine.SystemSTS), Key: kind,
			Message: fmt.Sprintf("STS listed %d %s, the most the list read of STSOrgSync (GET %s) returns: STS may hold more %s than it showed, and those are neither read back nor removed. To see them all, read STS through the hierarchy of an OS2sync middleware (OS2sync 2.x or later, STSORGSYNC_DIALECT = os2sync, a base URL ending in /api)", n, kind, path, kind)})
	}
	if held.UnitsCapped {
		capped("units", "…/orgunit", len(held.Units))
	}
	if held.UsersCapped {
		capped("users", "…/user", len(held.Users))
	}
	return st, warns, nil
}

// replace makes s hold exactly what o holds.
func (s *State) replace(o *State) {
	o.mu.Lock()
	units, users, enc := maps.Clone(o.units), maps.Clone(o.users), maps.Clone(o.enc)
	o.mu.Unlock()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.units, s.users, s.enc = units, users, enc
	s.dirty++
}
