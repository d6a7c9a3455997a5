package engine

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// STSRecord is what STS is believed to hold: the payload last sent
// successfully for each object (the sts package keeps it in the state file),
// keyed by lower-case uuid. It is the "before" of DiffSTS. A nil map is an
// empty record (everything pending).
type STSRecord struct {
	Units map[string]STSUnit `json:"units"`
	Users map[string]STSUser `json:"users"`
}

// DiffSTS turns the desired STS objects into changes against the record:
//
//   - a desired object missing from the record → create; present but
//     different → update (Fields hold only the attributes that differ);
//     equal → nothing. Fields the middleware generates when we leave them
//     empty (ShortKey, address/position/person uuids) are not compared when
//     the desired value is empty, so a record repaired from STS
//     (--refresh-sts) does not cause updates of its own.
//   - a recorded user that is not desired → delete, with its reason
//     (STSDeleteReason) as the Source of every field: "not in MO", or "no
//     engagement under the top unit" for an MO person without a position in
//     an exported unit;
//   - a recorded unit that is not exported → delete, with its reason: "not
//     in MO", or "outside the top unit" for a unit MO has outside the
//     subtree (or not active). The record is what STS holds (rebuilt from
//     STS's own lists by sts.State.Rebuild), so this also removes objects
//     that other runs, other tools or mox left there;
//   - d.Clean limits the kinds deleted (STSMapOptions.Clean); the deletes of
//     the other kinds are held back, and one Warning per kind says how many;
//   - the top unit is never deleted; no delete at all when MO returned zero
//     units, zero people or no unit under the top unit (a Warning says how
//     many deletes were held back).
//
// Changes come in apply order: unit upserts parent first, user upserts,
// user deletes, then unit deletes children first. Each change carries the
// payload to send (STSUnit or STSUser; for a delete a payload holding only
// the uuid, which says what kind of object goes), MOUUID = Target.UUID, and
// a stable ID (ChangeID). A unit create whose parent is created in the same
// plan DependsOn the parent's change.
func DiffSTS(d *STSDesired, before STSRecord) ([]Change, []Warning) {
	var changes []Change
	var warns []Warning
	warn := func(code, subject, key, msg string) {
		warns = append(warns, Warning{Code: code, System: string(SystemSTS), Subject: subject, Key: key, Message: msg})
	}

	// The flattened attributes of each object are only compared, so two
	// scratch lists serve every object.
	var wantBuf, haveBuf []stsAttr
	created := map[string]string{} // unit uuid → change id of its create
	wantUnit := make(map[string]bool, len(d.Units))
	for i := range d.Units {
		u := d.Units[i]
		wantUnit[u.UUID] = true
		old, had := before.Units[u.UUID]
		var c Change
		if had {
			if sameUnit(&u, &old) {
				continue
			}
			wantBuf, haveBuf = appendUnitFields(wantBuf[:0], &u), appendUnitFields(haveBuf[:0], &old)
			fields := diffFields(wantBuf, haveBuf)
			if len(fields) == 0 {
				continue
			}
			c = Change{Op: OpUpdate, Fields: fields}
		} else {
			wantBuf = appendUnitFields(wantBuf[:0], &u)
			c = Change{Op: OpCreate, Fields: diffFields(wantBuf, nil)}
		}
		c.System, c.Target.UUID, c.MOUUID, c.Subject, c.STSUnit = SystemSTS, u.UUID, u.UUID, u.Name, &u
		if id, ok := created[u.ParentUUID]; ok && c.Op == OpCreate {
			c.DependsOn = id
		}
		c.ID = ChangeID(&c)
		if c.Op == OpCreate {
			created[u.UUID] = c.ID
		}
		changes = append(changes, c)
	}

	wantUser := make(map[string]bool, len(d.Users))
	for i := range d.Users {
		u := d.Users[i]
		wantUser[u.UUID] = true
		old, had := before.Users[u.UUID]
		var c Change
		if had {
			if sameUser(&u, &old) {
				continue
			}
			wantBuf, haveBuf = appendUserFields(wantBuf[:0], &u), appendUserFields(haveBuf[:0], &old)
			fields := diffFields(wantBuf, haveBuf)
			if len(fields) == 0 {
				continue
			}
			c = Change{Op: OpUpdate, Fields: fields}
		} else {
			wantBuf = appendUserFields(wantBuf[:0], &u)
			c = Change{Op: OpCreate, Fields: diffFields(wantBuf, nil)}
		}
		c.System, c.Target.UUID, c.MOUUID, c.Subject, c.STSUser = SystemSTS, u.UUID, u.UUID, u.Person.Name, &u
		c.ID = ChangeID(&c)
		changes = append(changes, c)
	}

	var userDel, unitDel []string
	unposted := make(map[string]bool, len(d.Unposted))
	for _, r := range d.Unposted {
		unposted[r.UUID] = true
	}
	for id := range before.Users {
		if !wantUser[id] {
			userDel = append(userDel, id)
		}
	}
	for id, u := range before.Units {
		switch {
		case wantUnit[id]:
		case id == d.TopUnitUUID:
			warn(WarnSTSTopUnitDelete, u.Name, id, "the top unit is no longer exported, but the top unit is never deleted from STS")
		default:
			unitDel = append(unitDel, id)
		}
	}
	if n := len(userDel) + len(unitDel); n > 0 && (d.MOUnits == 0 || d.MOPeople == 0 || len(d.Units) == 0) {
		warn(WarnSTSDeleteGuard, "", "", fmt.Sprintf("%d STS deletes held back: MO returned %d units (%d exported) and %d people, and nothing is deleted unless MO returned units under the top unit and people", n, d.MOUnits, len(d.Units), d.MOPeople))
		return changes, warns
	}
	if n := len(userDel); n > 0 && !cleans(d.Clean, "users") {
		warn(WarnSTSCleanOff, "", "", fmt.Sprintf("%d STS users that are not in MO or have no engagement under the top unit are kept: STSORGSYNC_CLEAN = %s does not clean users", n, d.Clean))
		userDel = nil
	}
	if n := len(unitDel); n > 0 && !cleans(d.Clean, "units") {
		warn(WarnSTSCleanOff, "", "", fmt.Sprintf("%d STS units that are not in MO or lie outside the top unit are kept: STSORGSYNC_CLEAN = %s does not clean units", n, d.Clean))
		unitDel = nil
	}

	slices.Sort(userDel)
	for _, id := range userDel {
		old := before.Users[id]
		reason := STSReasonNotInMO
		if unposted[id] {
			reason = STSReasonNoEngagement
		}
		c := Change{System: SystemSTS, Op: OpDelete, Target: Target{UUID: id}, MOUUID: id, Subject: cmp.Or(old.Person.Name, old.UserID, id),
			Fields: deleteFields(id, userFields(&old), reason), STSUser: &STSUser{UUID: id}}
		c.ID = ChangeID(&c)
		changes = append(changes, c)
	}
	depth := func(id string) int {
		n := 0
		for seen := map[string]bool{}; !seen[id]; n++ {
			seen[id] = true
			p, ok := before.Units[id]
			if !ok || p.ParentUUID == "" {
				break
			}
			id = p.ParentUUID
		}
		return n
	}
	depths := make(map[string]int, len(unitDel))
	for _, id := range unitDel {
		depths[id] = depth(id)
	}
	slices.SortFunc(unitDel, func(a, b string) int {
		return cmp.Or(cmp.Compare(depths[b], depths[a]), strings.Compare(a, b))
	})
	for _, id := range unitDel {
		old := before.Units[id]
		reason := STSReasonNotInMO
		if d.InMO[id] {
			reason = STSReasonOutsideTop
		}
		c := Change{System: SystemSTS, Op: OpDelete, Target: Target{UUID: id}, MOUUID: id, Subject: cmp.Or(old.Name, id),
			Fields: deleteFields(id, unitFields(&old), reason), STSUnit: &STSUnit{UUID: id}}
		c.ID = ChangeID(&c)
		changes = append(changes, c)
	}
	return changes, warns
}

// deleteFields are the fields of a delete: every recorded attribute with
// its value before, and the reason of the delete as the Source of each (for
// a delete, the reason is what produces the empty value after). An object
// the record knows nothing more of gets one field, its Uuid.
func deleteFields(id string, have []stsAttr, reason string) []Field {
	fs := diffFields(nil, have)
	if len(fs) == 0 {
		fs = []Field{{Attr: "Uuid", Before: id}}
	}
	for i := range fs {
		fs[i].Source = reason
	}
	return fs
}

// stsAttr is one flattened attribute of an STS payload.
type stsAttr struct {
	attr, value, source string
	// generated attributes are filled in by the middleware when we send
	// none; they are compared only when we send one.
	generated bool
	// cpr values are shown masked.
	cpr bool
}

func unitFields(u *STSUnit) []stsAttr { return appendUnitFields(make([]stsAttr, 0, 20), u) }

// appendUnitFields appends u's flattened attributes to a.
func appendUnitFields(a []stsAttr, u *STSUnit) []stsAttr {
	a = append(a, []stsAttr{
		{attr: "Name", value: u.Name, source: "MO unit name"},
		{attr: "ShortKey", value: u.ShortKey, generated: true},
		{attr: "ParentOrgUnitUuid", value: u.ParentUUID, source: "MO parent unit"},
		{attr: "PayoutUnitUuid", value: u.PayoutUnitUUID},
		{attr: "ManagerUuid", value: u.ManagerUUID},
		{attr: "ItSystemUuids", value: strings.Join(sortedIDs(u.ITSystemUUIDs), ", "), source: "MO IT systems of the unit"},
	}...)
	a = addrAttrs(a, "Phone", u.Phone, "MO unit address, scope PHONE")
	a = addrAttrs(a, "Email", u.Email, "MO unit address, scope EMAIL")
	a = addrAttrs(a, "Location", u.Location, "MO unit address, scope PNUMBER (else TEXT)")
	a = addrAttrs(a, "Ean", u.Ean, "MO unit address, scope EAN")
	a = addrAttrs(a, "Post", u.Post, "MO unit address, scope DAR (text)")
	a = addrAttrs(a, "Url", u.URL, "MO unit address, scope WWW")
	a = addrAttrs(a, "ContactOpenHours", u.ContactOpenHours, "MO unit address, TEXT ContactOpenHours")
	return a
}

func userFields(u *STSUser) []stsAttr {
	return appendUserFields(make([]stsAttr, 0, 11+2*len(u.Positions)), u)
}

// appendUserFields appends u's flattened attributes to a.
func appendUserFields(a []stsAttr, u *STSUser) []stsAttr {
	a = append(a, []stsAttr{
		{attr: "UserId", value: u.UserID, source: "AD account in MO, else MO uuid"},
		{attr: "ShortKey", value: u.ShortKey, generated: true},
		{attr: "Person.Name", value: u.Person.Name, source: "MO person name"},
		{attr: "Person.Cpr", value: u.Person.CPR, source: "MO CPR", cpr: true},
		{attr: "Person.Uuid", value: u.Person.UUID, generated: true},
	}...)
	a = addrAttrs(a, "Phone", u.Phone, "MO person address, scope PHONE (public)")
	a = addrAttrs(a, "Email", u.Email, "MO person address, scope EMAIL (public)")
	a = addrAttrs(a, "Location", u.Location, "MO person address, scope DAR (public)")
	a = append(a, stsAttr{attr: "Positions", value: strconv.Itoa(len(u.Positions)), source: "MO engagements in exported units, one per unit"})
	for _, p := range u.Positions {
		a = append(a, stsAttr{attr: "Positions[" + p.OrgUnitUUID + "].Name", value: p.Name, source: "MO engagement job function"},
			stsAttr{attr: "Positions[" + p.OrgUnitUUID + "].Uuid", value: p.UUID, generated: true})
	}
	return a
}

func addrAttrs(a []stsAttr, name string, v *STSAddress, source string) []stsAttr {
	var val, id string
	if v != nil {
		val, id = v.Value, v.UUID
	}
	return append(a, stsAttr{attr: name, value: val, source: source}, stsAttr{attr: name + ".Uuid", value: id, generated: true})
}

// diffFields compares desired attributes with recorded ones and returns the
// differing ones as Fields, in the desired order followed by attributes
// only the record has. A nil side is an absent object.
func diffFields(want, have []stsAttr) []Field {
	var haveIdx map[string]int
	var seen map[string]bool // only needed when there is a record to walk
	if len(have) > 0 {
		haveIdx = make(map[string]int, len(have))
		for i, h := range have {
			haveIdx[h.attr] = i
		}
		seen = make(map[string]bool, len(want))
	}
	show := func(a stsAttr, v string) string {
		if a.cpr {
			return MaskCPR(v)
		}
		return v
	}
	norm := func(a stsAttr, v string) string {
		v = strings.TrimSpace(v)
		if strings.HasSuffix(a.attr, "Uuid") || strings.HasSuffix(a.attr, "Uuids") {
			v = strings.ToLower(v)
		}
		return v
	}
	var out []Field
	if have == nil || want == nil { // a create or a delete: most attributes show
		out = make([]Field, 0, len(want)+len(have))
	}
	for _, w := range want {
		if seen != nil {
			seen[w.attr] = true
		}
		var hv string
		if i, ok := haveIdx[w.attr]; ok {
			hv = have[i].value
		}
		if w.generated && w.value == "" && have != nil {
			continue
		}
		if norm(w, w.value) == norm(w, hv) {
			continue
		}
		out = append(out, Field{Attr: w.attr, Before: show(w, hv), After: show(w, w.value), Source: w.source})
	}
	for _, h := range have {
		if seen[h.attr] || h.value == "" {
			continue
		}
		if h.generated && want != nil {
			continue
		}
		out = append(out, Field{Attr: h.attr, Before: show(h, h.value), After: "", Source: h.source})
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// sameUnit and sameUser are the fast path of DiffSTS: they report whether
// diffFields would find no difference, without building the attribute lists.
func sameUnit(w, h *STSUnit) bool {
	return sameStr(w.Name, h.Name) && sameGen(w.ShortKey, h.ShortKey) &&
		sameID(w.ParentUUID, h.ParentUUID) && sameID(w.PayoutUnitUUID, h.PayoutUnitUUID) &&
		sameID(w.ManagerUUID, h.ManagerUUID) && sameIDs(w.ITSystemUUIDs, h.ITSystemUUIDs) &&
		sameAddr(w.Phone, h.Phone) && sameAddr(w.Email, h.Email) && sameAddr(w.Location, h.Location) &&
		sameAddr(w.Ean, h.Ean) && sameAddr(w.Post, h.Post) && sameAddr(w.URL, h.URL) &&
		sameAddr(w.ContactOpenHours, h.ContactOpenHours)
}

func sameUser(w, h *STSUser) bool {
	if !(sameStr(w.UserID, h.UserID) && sameGen(w.ShortKey, h.ShortKey) &&
		sameStr(w.Person.Name, h.Person.Name) && sameStr(w.Person.CPR, h.Person.CPR) &&
		sameGen(strings.ToLower(w.Person.UUID), strings.ToLower(h.Person.UUID)) &&
		sameAddr(w.Phone, h.Phone) && sameAddr(w.Email, h.Email) && sameAddr(w.Location, h.Location) &&
		len(w.Positions) == len(h.Positions)) {
		return false
	}
	for i := range w.Positions {
		wp := &w.Positions[i]
		j := i
		if !sameID(h.Positions[j].OrgUnitUUID, wp.OrgUnitUUID) {
			j = slices.IndexFunc(h.Positions, func(p STSPosition) bool { return sameID(p.OrgUnitUUID, wp.OrgUnitUUID) })
			if j < 0 {
				return false
			}
		}
		hp := &h.Positions[j]
		if !sameStr(wp.Name, hp.Name) || !sameGen(strings.ToLower(wp.UUID), strings.ToLower(hp.UUID)) {
			return false
		}
	}
	return true
}

func sameStr(a, b string) bool { return a == b || strings.TrimSpace(a) == strings.TrimSpace(b) }
func sameID(a, b string) bool {
	return a == b || strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(b))
}

// sameGen compares a generated field: an empty desired value matches anything.
func sameGen(want, have string) bool { return want == "" || sameStr(want, have) }

func sameIDs(a, b []string) bool {
	return len(a) == len(b) && (slices.Equal(a, b) || strings.Join(sortedIDs(a), ", ") == strings.Join(sortedIDs(b), ", "))
}

func sortedIDs(a []string) []string {
	out := make([]string, len(a))
	for i, s := range a {
		out[i] = strings.ToLower(strings.TrimSpace(s))
	}
	slices.Sort(out)
	return out
}

func sameAddr(w, h *STSAddress) bool {
	var wv, wu, hv, hu string
	if w != nil {
		wv, wu = w.Value, w.UUID
	}
	if h != nil {
		hv, hu = h.Value, h.UUID
	}
	return sameStr(wv, hv) && (wu == "" || sameID(wu, hu))
}
