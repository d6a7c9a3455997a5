package engine

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"
)

// STSDesired is what STS should hold according to MO: the output of MapSTS
// and the input of DiffSTS.
type STSDesired struct {
	// TopUnitUUID is the (lower-case) root of the exported subtree.
	TopUnitUUID string `json:"top_unit_uuid"`
	// Units are the units of the subtree, parent first (a unit always comes
	// after its parent), siblings by uuid.
	Units []STSUnit `json:"units"`
	// Users are the people with at least one position, by uuid.
	Users []STSUser `json:"users"`
	// Unposted are the MO people without any position in an exported unit.
	// They must not be in STS: if STS has them, they are deleted.
	Unposted []STSRef `json:"unposted,omitempty"`
	// InMO holds the lower-case uuid of every unit MO returned, inside the
	// subtree or not, active or not, and of every unit a person's
	// engagement is in (an MO read covers the top unit's subtree, but keeps
	// a person's engagements elsewhere). It tells the reason of a unit
	// delete: "outside the top unit" rather than "not in MO".
	InMO map[string]bool `json:"-"`
	// Clean is STSMapOptions.Clean: which kinds DiffSTS deletes.
	Clean string `json:"-"`
	// MOUnits and MOPeople count what MO returned; deletes are refused when
	// either is zero.
	MOUnits  int `json:"mo_units"`
	MOPeople int `json:"mo_people"`
}

// STSRef names one STS object.
type STSRef struct {
	UUID string `json:"uuid"`
	Name string `json:"name"`
}

// RefreshUUIDs lists the objects worth reading back from STS to repair the
// local record (--refresh-sts): every desired unit, and every MO person,
// with or without positions.
func (d *STSDesired) RefreshUUIDs() (units, users []string) {
	for _, u := range d.Units {
		units = append(units, u.UUID)
	}
	for _, u := range d.Users {
		users = append(users, u.UUID)
	}
	for _, r := range d.Unposted {
		users = append(users, r.UUID)
	}
	return units, users
}

// Warning codes of the STS mapping and diff.
const (
	WarnSTSTruncated     = "sts_truncated"
	WarnSTSNoTopUnit     = "sts_no_top_unit"
	WarnSTSNoJobTitle    = "sts_position_without_title"
	WarnSTSUserIDAmbig   = "sts_userid_ambiguous"
	WarnSTSMergedPos     = "sts_positions_merged"
	WarnSTSDeleteGuard   = "sts_delete_refused"
	WarnSTSTopUnitDelete = "sts_top_unit_not_deleted"
)

// MapSTS maps an MO snapshot to the STS objects it implies. It is pure: the
// same snapshot and options give the same result, byte for byte.
//
// The rules follow sts-api.md §2.4–2.6 (mox_stsorgsync) with the fixes of
// its successors (§3); where the generations differ, the choice is stated:
//
//   - Scope: the units whose chain of (active) parents reaches the top unit,
//     the top unit included. Anything else is not sent (and DiffSTS
//     deletes it from STS: "outside the top unit").
//   - Units come parent first; the top unit has no ParentOrgUnitUuid (it
//     is the root of what we export; mox pointed it at an unexported unit).
//   - Every uuid is lower-cased and every string trimmed.
//   - Unit addresses (only PUBLIC or unset visibility, active at Now; of
//     several candidates for one field the smallest address uuid wins —
//     DIPEX's deterministic rule): EMAIL → Email, PHONE → Phone, EAN → Ean
//     (DIPEX fix 3cf777c1), PNUMBER → Location (DIPEX 2020-11), DAR → Post
//     as the address text (DIPEX 4b8c6682), TEXT with type user_key
//     "ContactOpenHours" → ContactOpenHours, any other TEXT → Location when
//     there is no P-number (mox's TEXT → Location, kept for existing data),
//     WWW → Url (os2sync dialect only). The class lists do not apply to
//     units: they hold employee address types.
//   - Person addresses: Phone and Email by pickPersonAddress; Location is
//     the person's DAR address text, same visibility and uuid rule.
//   - Positions: one per exported unit a person has an engagement in that
//     is active at Now (current engagements only: classic STS positions
//     have no start date). Several engagements in one unit merge into one
//     position: the primary engagement, else the smallest engagement uuid.
//     Name is the job function; position Uuid (v1_1 only) is the chosen
//     engagement's uuid, as in mox. Positions are sorted by unit uuid.
//   - A person without positions is not a user: it is listed in Unposted
//     (and deleted from STS by DiffSTS if recorded there).
//   - UserId: see STSMapOptions.UserIDFromAD. Person.Name is MO's name;
//     Person.Uuid (v1_1 only) is the person uuid, as in mox. Person.Cpr only
//     with SyncCPR, as 10 digits; a person without CPR is sent without.
//   - Truncation to Limits, with a Warning naming the field and the uuid.
func MapSTS(snap *Snapshot, opts STSMapOptions) (STSDesired, []Warning) {
	m := stsMapper{opts: opts, lim: opts.Limits(), dialect: opts.dialect(), now: opts.Now}
	if m.now.IsZero() {
		m.now = snap.ReadAt
	}
	top := strings.ToLower(strings.TrimSpace(cmp.Or(opts.TopUnitUUID, snap.TopUnit)))
	d := STSDesired{
		TopUnitUUID: top,
		InMO:        make(map[string]bool, len(snap.Units)),
		MOUnits:     len(snap.Units),
		MOPeople:    len(snap.People),
		Clean:       opts.Clean,
	}
	for i := range snap.Units {
		d.InMO[strings.ToLower(snap.Units[i].UUID)] = true
	}
	for i := range snap.People {
		for _, e := range snap.People[i].Engagements {
			if e.UnitUUID != "" {
				d.InMO[strings.ToLower(strings.TrimSpace(e.UnitUUID))] = true
			}
		}
	}
	order := m.subtree(snap, top)
	if top == "" || len(order) == 0 {
		m.warn(WarnSTSNoTopUnit, top, top, fmt.Sprintf("the top unit %q is not among the %d active units MO returned; no unit or user is exported", top, len(snap.Units)))
	}
	exported := make(map[string]bool, len(order))
	d.Units = make([]STSUnit, 0, len(order))
	for _, u := range order {
		exported[strings.ToLower(u.UUID)] = true
		d.Units = append(d.Units, m.unit(u, top))
	}
	d.Users = make([]STSUser, 0, len(snap.People))
	for i := range snap.People {
		p := &snap.People[i]
		u, ok := m.user(p, exported)
		if !ok {
			d.Unposted = append(d.Unposted, STSRef{UUID: strings.ToLower(p.UUID), Name: strings.TrimSpace(p.Name())})
			continue
		}
		d.Users = append(d.Users, u)
	}
	slices.SortFunc(d.Users, func(a, b STSUser) int { return strings.Compare(a.UUID, b.UUID) })
	slices.SortFunc(d.Unposted, func(a, b STSRef) int { return strings.Compare(a.UUID, b.UUID) })
	return d, m.warnings
}

type stsMapper struct {
	opts     STSMapOptions
	lim      STSLimits
	dialect  string
	now      time.Time
	warnings []Warning
}

func (m *stsMapper) warn(code, subject, key, msg string) {
	m.warnings = append(m.warnings, Warning{Code: code, System: string(SystemSTS), Subject: subject, Key: key, Message: msg})
}

func (m *stsMapper) active(v Validity) bool {
	return m.now.IsZero() || v.ActiveAt(m.now)
}

// subtree returns the active units under top (top first), parent first,
// siblings by uuid.
func (m *stsMapper) subtree(snap *Snapshot, top string) []*Unit {
	children := make(map[string][]*Unit, len(snap.Units))
	var root *Unit
	for i := range snap.Units {
		u := &snap.Units[i]
		if !m.active(u.Validity) {
			continue
		}
		id := strings.ToLower(u.UUID)
		if id == top {
			root = u
			continue
		}
		parent := strings.ToLower(u.ParentUUID)
		children[parent] = append(children[parent], u)
	}
	if root == nil {
		return nil
	}
	for _, c := range children {
		slices.SortFunc(c, func(a, b *Unit) int { return strings.Compare(strings.ToLower(a.UUID), strings.ToLower(b.UUID)) })
	}
	out := []*Unit{root}
	seen := map[string]bool{top: true}
	// Breadth-first keeps "parent before child" and is immune to cycles.
	for i := 0; i < len(out); i++ {
		for _, c := range children[strings.ToLower(out[i].UUID)] {
			id := strings.ToLower(c.UUID)
			if !seen[id] {
				seen[id] = true
				out = append(out, c)
			}
		}
	}
	return out
}

func (m *stsMapper) unit(u *Unit, top string) STSUnit {
	id := strings.ToLower(strings.TrimSpace(u.UUID))
	t := stsTrunc{m: m, subject: strings.TrimSpace(u.Name), key: id}
	out := STSUnit{
		UUID: id,
		Name: t.cut("Name", u.Name, m.lim.Name),
	}
	if id != top {
		out.ParentUUID = strings.ToLower(strings.TrimSpace(u.ParentUUID))
	}
	if len(u.ITSystemUUIDs) > 0 {
		out.ITSystemUUIDs = make([]string, 0, len(u.ITSystemUUIDs))
		for _, s := range u.ITSystemUUIDs {
			out.ITSystemUUIDs = append(out.ITSystemUUIDs, strings.ToLower(strings.TrimSpace(s)))
		}
		slices.Sort(out.ITSystemUUIDs)
		out.ITSystemUUIDs = slices.Compact(out.ITSystemUUIDs)
	}
	pick := func(scope string, ok func(*Address) bool) *Address {
		var best *Address
		for i := range u.Addresses {
			a := &u.Addresses[i]
			if !strings.EqualFold(a.Scope, scope) || !m.sendable(a) || (ok != nil && !ok(a)) {
				continue
			}
			if best == nil || a.UUID < best.UUID {
				best = a
			}
		}
		return best
	}
	isCOH := func(a *Address) bool { return strings.EqualFold(a.TypeUserKey, "ContactOpenHours") }
	out.Email = t.addr("Email", pick("EMAIL", nil), m.lim.Address)
	out.Phone = t.addr("Phone", pick("PHONE", nil), m.lim.Address)
	out.Ean = t.addr("Ean", pick("EAN", nil), m.lim.Address)
	out.Post = t.addr("Post", pick("DAR", nil), m.lim.Address)
	out.ContactOpenHours = t.addr("ContactOpenHours", pick("TEXT", isCOH), m.lim.Address)
	loc := pick("PNUMBER", nil)
	if loc == nil {
		loc = pick("TEXT", func(a *Address) bool { return !isCOH(a) })
	}
	out.Location = t.addr("Location", loc, m.lim.Address)
	if m.dialect == STSDialectOS2sync {
		out.URL = t.addr("Url", pick("WWW", nil), m.lim.Address)
	}
	return out
}

// sendable reports whether an address may be sent at all: active at Now and
// of PUBLIC or unset visibility. A SECRET or INTERNAL address never leaves MO.
func (m *stsMapper) sendable(a *Address) bool {
	if !m.active(a.Validity) {
		return false
	}
	v := strings.TrimSpace(a.Visibility)
	return v == "" || strings.EqualFold(v, "PUBLIC")
}

// pickPersonAddress chooses a person's Phone or Email. Only addresses of the
// scope that are active and PUBLIC or unset are candidates. With a class
// list, the classes are tried in priority order and the first class with a
// candidate gives its smallest address uuid; candidates of unlisted classes
// are never chosen (the meaning the mox keys STSORGSYNC_*_SCOPE_CLASSES
// always had; the later os2sync-export rule is the same). Without a list,
// the smallest address uuid among all candidates wins (DIPEX's deterministic
// rule, instead of mox's "last in list order", which depended on MO's
// response order).
func (m *stsMapper) pickPersonAddress(p *Person, scope string, classes []string) *Address {
	var best *Address
	bestRank := -1
	for i := range p.Addresses {
		a := &p.Addresses[i]
		if !strings.EqualFold(a.Scope, scope) || !m.sendable(a) {
			continue
		}
		rank := 0
		if len(classes) > 0 {
			rank = slices.IndexFunc(classes, func(c string) bool { return strings.EqualFold(strings.TrimSpace(c), a.TypeUUID) })
			if rank < 0 {
				continue
			}
		}
		if best == nil || rank < bestRank || (rank == bestRank && a.UUID < best.UUID) {
			best, bestRank = a, rank
		}
	}
	return best
}

func (m *stsMapper) user(p *Person, exported map[string]bool) (STSUser, bool) {
	id := strings.ToLower(strings.TrimSpace(p.UUID))
	name := strings.TrimSpace(p.Name())
	t := stsTrunc{m: m, subject: name, key: id}

	// One position per exported unit: the primary engagement, else the
	// smallest engagement uuid, among those with a job title.
	chosen := map[string]*Engagement{}
	count := map[string]int{}
	for i := range p.Engagements {
		e := &p.Engagements[i]
		unit := strings.ToLower(strings.TrimSpace(e.UnitUUID))
		if !exported[unit] || !m.active(e.Validity) {
			continue
		}
		if strings.TrimSpace(e.JobFunction) == "" {
			m.warn(WarnSTSNoJobTitle, name, id, fmt.Sprintf("engagement %s has no job function; STSOrgSync rejects a position without a name, so it gives no position", strings.ToLower(e.UUID)))
			continue
		}
		count[unit]++
		c := chosen[unit]
		if c == nil || (e.IsPrimary && !c.IsPrimary) || (e.IsPrimary == c.IsPrimary && strings.ToLower(e.UUID) < strings.ToLower(c.UUID)) {
			chosen[unit] = e
		}
	}
	if len(chosen) == 0 {
		return STSUser{}, false
	}
	u := STSUser{UUID: id, Positions: make([]STSPosition, 0, len(chosen))}
	// In unit order, not map order: the warnings below must come out the
	// same every run.
	units := make([]string, 0, len(chosen))
	for unit := range chosen {
		units = append(units, unit)
	}
	slices.Sort(units)
	for _, unit := range units {
		e := chosen[unit]
		pos := STSPosition{OrgUnitUUID: unit, Name: t.cut("Positions["+unit+"].Name", e.JobFunction, m.lim.PositionName)}
		if m.dialect == STSDialectV11 {
			pos.UUID = strings.ToLower(strings.TrimSpace(e.UUID))
		}
		if count[unit] > 1 {
			m.warn(WarnSTSMergedPos, name, id, fmt.Sprintf("%d engagements in unit %s; STS allows one position per unit, so engagement %s (%q) is sent", count[unit], unit, strings.ToLower(e.UUID), pos.Name))
		}
		u.Positions = append(u.Positions, pos)
	}
	slices.SortFunc(u.Positions, func(a, b STSPosition) int { return strings.Compare(a.OrgUnitUUID, b.OrgUnitUUID) })

	u.UserID = t.cut("UserId", m.userID(p, id, name), m.lim.UserID)
	u.Person = STSPerson{Name: t.cut("Person.Name", name, m.lim.PersonName)}
	if m.dialect == STSDialectV11 {
		u.Person.UUID = id
	}
	if m.opts.SyncCPR && p.CPR != "" {
		u.Person.CPR = DigitsOnly(p.CPR)
	}
	u.Phone = t.addr("Phone", m.pickPersonAddress(p, "PHONE", m.opts.PhoneScopeClasses), m.lim.Address)
	u.Email = t.addr("Email", m.pickPersonAddress(p, "EMAIL", m.opts.EmailScopeClasses), m.lim.Address)
	u.Location = t.addr("Location", m.pickPersonAddress(p, "DAR", nil), m.lim.Address)
	return u, true
}

// userID is the AD sAMAccountName (the IT user's user_key) when
// UserIDFromAD is set and the person has exactly one active account in the
// AD IT system; otherwise the MO person uuid.
func (m *stsMapper) userID(p *Person, id, name string) string {
	if !m.opts.UserIDFromAD {
		return id
	}
	sys := m.opts.adSystem()
	var keys []string
	for i := range p.ITUsers {
		it := &p.ITUsers[i]
		if !m.active(it.Validity) || strings.TrimSpace(it.UserKey) == "" {
			continue
		}
		if strings.EqualFold(it.ITSystemName, sys) || strings.EqualFold(it.ITSystemUserKey, sys) || strings.EqualFold(it.ITSystemUUID, sys) {
			keys = append(keys, strings.TrimSpace(it.UserKey))
		}
	}
	switch len(keys) {
	case 1:
		return keys[0]
	case 0:
		return id
	}
	slices.Sort(keys)
	m.warn(WarnSTSUserIDAmbig, name, id, fmt.Sprintf("%d accounts in IT system %q (%s); UserId falls back to the MO uuid", len(keys), sys, strings.Join(keys, ", ")))
	return id
}

// stsTrunc trims and truncates the strings of one object, warning about
// every cut.
type stsTrunc struct {
	m       *stsMapper
	subject string
	key     string
}

func (t stsTrunc) cut(field, s string, limit int) string {
	s = strings.TrimSpace(s)
	if limit <= 0 {
		return s
	}
	n := 0
	for i := range s {
		if n == limit {
			t.m.warn(WarnSTSTruncated, t.subject, t.key, fmt.Sprintf("%s is %d characters; truncated to %d", field, len([]rune(s)), limit))
			return strings.TrimSpace(s[:i])
		}
		n++
	}
	return s
}

// addr builds an address from an MO address: its text (Name, else Value),
// and, in the v1_1 dialect, the MO address uuid as in mox. A nil or empty
// address gives nil.
func (t stsTrunc) addr(field string, a *Address, limit int) *STSAddress {
	if a == nil {
		return nil
	}
	v := t.cut(field, cmp.Or(strings.TrimSpace(a.Name), a.Value), limit)
	if v == "" {
		return nil
	}
	out := &STSAddress{Value: v}
	if t.m.dialect == STSDialectV11 {
		out.UUID = strings.ToLower(strings.TrimSpace(a.UUID))
	}
	return out
}
