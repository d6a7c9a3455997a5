package ad

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/go-ldap/ldap/v3"

	"moxsync/engine"
)

// Operation names of the change poll.
const (
	opChanges  = "ad: read changes"
	opPosition = "ad: read the change position"
)

var _ engine.ADChangeSource = (*Directory)(nil)

// ChangePosition reads where the domain controller now stands: its
// identity and its highestCommittedUSN, from the rootDSE (for check).
func (d *Directory) ChangePosition(ctx context.Context) (engine.ADPosition, error) {
	return d.position(ctx, opPosition)
}

// ChangedSince is one poll of the domain controller (events.md §2): the
// person accounts whose uSNChanged is above pos.USN, read with the identity
// attributes, the CPR attribute and attrs, and the position to poll from
// next. An idle poll costs one rootDSE read and one search that returns
// nothing.
//
// When pos is meaningless on the DC now answering (no position yet, another
// DC, or a USN above the DC's highestCommittedUSN: a restored or rebuilt
// DC), it reads every person account instead, as Accounts does, and sets
// Reset and Why.
func (d *Directory) ChangedSince(ctx context.Context, pos engine.ADPosition, attrs []string) (engine.ADChanges, error) {
	// The rootDSE is read before the search, so its highestCommittedUSN
	// (now.USN) bounds what the search is sure to see; see nextUSN.
	now, err := d.position(ctx, opChanges)
	if err != nil {
		return engine.ADChanges{}, err
	}
	if why := resetReason(pos, now); why != "" {
		accounts, err := d.Accounts(ctx, attrs)
		if err != nil {
			return engine.ADChanges{}, err
		}
		d.cfg.Logger.Debug("ad: change poll: full read", "why", why, "dc", now.DC, "usn", now.USN, "accounts", len(accounts))
		return engine.ADChanges{Accounts: accounts, Position: now, Reset: true, Why: why}, nil
	}

	want := lowerAll(attrs)
	filter := changedFilter(pos.USN)
	reqAttrs := append(d.readAttrs(want), "uSNChanged")
	var accounts []engine.Account
	var seen int64
	err = d.pagedSearch(ctx, d.cfg.SearchBase, ldap.ScopeWholeSubtree, filter, reqAttrs, func(e *ldap.Entry) error {
		a, err := d.toAccount(e, want)
		if err != nil {
			return engine.E(engine.KindOther, opChanges, e.DN, err)
		}
		usn, err := strconv.ParseInt(e.GetAttributeValue("uSNChanged"), 10, 64)
		if err != nil {
			return engine.E(engine.KindOther, opChanges, e.DN, fmt.Errorf("uSNChanged %q is not a number", e.GetAttributeValue("uSNChanged")))
		}
		seen = max(seen, usn)
		accounts = append(accounts, a)
		return nil
	})
	if err != nil {
		return engine.ADChanges{}, err
	}
	next := engine.ADPosition{DC: now.DC, USN: nextUSN(pos.USN, seen, now.USN)}
	d.cfg.Logger.Debug("ad: change poll", "dc", now.DC, "from", pos.USN, "to", next.USN, "highest_committed", now.USN, "accounts", len(accounts))
	return engine.ADChanges{Accounts: accounts, Position: next}, nil
}

// nextUSN is where the next poll starts, given the position polled from,
// the highest uSNChanged among the results (0 for none) and the
// highestCommittedUSN read before the search:
//
//	max(from, min(seen, committed))
//
// Why not simply seen: a paged search is no snapshot. Entries written while
// it runs are returned with their new uSNChanged if the server reaches them
// afterwards, and missed if it passed them already (or if they were added
// after it collected its result set, as Samba's paged search does on the
// first page). So the results can hold a write with USN 106 while a write
// with USN 105 to another account was missed; starting the next poll at 107
// would skip that account for good.
//
// Why not simply committed: everything up to the highestCommittedUSN read
// before the search was committed when the search began (AD and Samba commit
// USNs in order; Microsoft's uSNChanged polling guide relies on the same),
// so the search saw all of it. Beyond it the search may or may not have
// seen a write, so the next poll must start at committed+1 at the latest.
// Starting there even when nothing changed would be safe as well, but
// would move the position on every poll of a busy DC for writes that are
// not person accounts; keeping from then costs nothing (the next search
// still only returns what changed).
//
// Entries seen beyond committed are read again by the next poll: the
// caller re-plans them, which is idempotent. The highestCommittedUSN read
// after the search would be wrong for the same reason as seen: it counts
// writes the search may have missed.
func nextUSN(from, seen, committed int64) int64 {
	return max(from, min(seen, committed))
}

// changedFilter selects the person accounts changed after USN usn:
// (&(uSNChanged>=usn+1)(objectClass=user)(objectCategory=person)). The USN
// is a number formatted here, so it needs no filter escaping. The USN test
// comes first, as it rules out nearly every entry: a server that evaluates
// the terms in order (adtest) stops there.
func changedFilter(usn int64) string {
	return "(&(uSNChanged>=" + strconv.FormatInt(usn+1, 10) + ")" + strings.TrimPrefix(personFilter, "(&")
}

// resetReason says why pos cannot be continued on the DC at now, or "".
func resetReason(pos, now engine.ADPosition) string {
	switch {
	case pos.DC == "":
		return "first poll"
	case !strings.EqualFold(pos.DC, now.DC):
		return fmt.Sprintf("the domain controller changed from %s to %s", pos.DC, now.DC)
	case pos.USN > now.USN:
		return fmt.Sprintf("the USN went back from %d to %d", pos.USN, now.USN)
	case pos.USN < 0:
		return fmt.Sprintf("the stored USN %d is not a USN", pos.USN)
	}
	return ""
}

// position reads the DC's identity and highestCommittedUSN from the
// rootDSE. The identity is dsServiceName (the DC's NTDS Settings object),
// else serverName, else dnsHostName.
func (d *Directory) position(ctx context.Context, op string) (engine.ADPosition, error) {
	e, err := d.readEntry(ctx, op, "", []string{"dsServiceName", "serverName", "dnsHostName", "highestCommittedUSN"})
	if err != nil {
		return engine.ADPosition{}, engine.E(engine.KindOf(err), op, d.cfg.URL, fmt.Errorf("reading the rootDSE: %w", cause(err)))
	}
	var p engine.ADPosition
	for _, a := range []string{"dsServiceName", "serverName", "dnsHostName"} {
		if p.DC = e.GetAttributeValue(a); p.DC != "" {
			break
		}
	}
	if p.DC == "" {
		return p, engine.E(engine.KindInvalid, op, d.cfg.URL, fmt.Errorf("the rootDSE names no domain controller (no dsServiceName, serverName or dnsHostName)"))
	}
	v := e.GetAttributeValue("highestCommittedUSN")
	if p.USN, err = strconv.ParseInt(v, 10, 64); err != nil || p.USN < 0 {
		return p, engine.E(engine.KindInvalid, op, d.cfg.URL, fmt.Errorf("the rootDSE's highestCommittedUSN %q is not a USN", v))
	}
	return p, nil
}
