package motest

import (
	"time"

	"moxsync/engine"
)

// Snapshot returns the engine snapshot a correct MO client must produce for
// d when it reads at now with topUnit as the administrative top unit. The
// rules are in doc.go.
func (d *Dataset) Snapshot(now time.Time, topUnit string) *engine.Snapshot {
	return buildIndex(d).snapshot(now, topUnit)
}

func utc(v engine.Validity) engine.Validity {
	if !v.From.IsZero() {
		v.From = v.From.UTC()
	}
	if !v.To.IsZero() {
		v.To = v.To.UTC()
	}
	return v
}

func (x *index) snapshot(now time.Time, topUnit string) *engine.Snapshot {
	s := &engine.Snapshot{ReadAt: now.UTC(), OrgUUID: x.d.OrgUUID, TopUnit: topUnit}
	for _, u := range x.units {
		if !u.Validity.ActiveAt(now) || !x.inSubtree(u.UUID, topUnit) {
			continue
		}
		eu := engine.Unit{
			UUID: u.UUID, UserKey: u.UserKey, Name: u.Name, ParentUUID: u.ParentUUID,
			UnitType: x.className(u.UnitTypeUUID), UnitLevel: x.className(u.UnitLevelUUID),
			Validity: utc(u.Validity),
		}
		for _, a := range x.addrsByUnit[u.UUID] {
			if a.Validity.CurrentOrFuture(now) {
				eu.Addresses = append(eu.Addresses, x.engineAddress(a))
			}
		}
		seen := map[string]bool{}
		for _, it := range x.itusByUnit[u.UUID] {
			if it.Validity.CurrentOrFuture(now) && !seen[it.ITSystemUUID] {
				seen[it.ITSystemUUID] = true
				eu.ITSystemUUIDs = append(eu.ITSystemUUIDs, it.ITSystemUUID)
			}
		}
		for _, m := range x.mgrsByUnit[u.UUID] {
			if m.Validity.CurrentOrFuture(now) {
				eu.Managers = append(eu.Managers, engine.Manager{
					UUID: m.UUID, UnitUUID: m.UnitUUID, PersonUUID: m.PersonUUID,
					ManagerType: x.className(m.ManagerTypeUUID), ManagerLevel: x.className(m.ManagerLevelUUID),
					Validity: utc(m.Validity),
				})
			}
		}
		s.Units = append(s.Units, eu)
	}
	for _, p := range x.people {
		ep := engine.Person{
			UUID: p.UUID, UserKey: p.UserKey, GivenName: p.GivenName, Surname: p.Surname,
			NicknameGivenName: p.NicknameGivenName, NicknameSurname: p.NicknameSurname,
		}
		switch cpr := engine.DigitsOnly(p.CPR); {
		case p.CPR == "":
		case ValidCPR(cpr):
			ep.CPR = cpr
		default:
			s.Warnings = append(s.Warnings, InvalidCPRWarning(p.UUID, p.Name(), p.CPR))
		}
		for _, e := range x.engsByPerson[p.UUID] {
			if e.Validity.CurrentOrFuture(now) {
				ep.Engagements = append(ep.Engagements, engine.Engagement{
					UUID: e.UUID, UserKey: e.UserKey, UnitUUID: e.UnitUUID,
					JobFunction: x.className(e.JobFunctionUUID), JobFunctionUUID: e.JobFunctionUUID, EngagementType: x.className(e.EngagementTypeUUID),
					IsPrimary: x.isPrimary(e), Validity: utc(e.Validity),
				})
			}
		}
		for _, a := range x.addrsByPerson[p.UUID] {
			if a.Validity.CurrentOrFuture(now) {
				ep.Addresses = append(ep.Addresses, x.engineAddress(a))
			}
		}
		for _, it := range x.itusByPerson[p.UUID] {
			if it.Validity.CurrentOrFuture(now) {
				sys := x.itsysBy[it.ITSystemUUID]
				eit := engine.ITUser{UUID: it.UUID, UserKey: it.UserKey, ExternalID: it.ExternalID, ITSystemUUID: it.ITSystemUUID, Validity: utc(it.Validity)}
				if sys != nil {
					eit.ITSystemUserKey, eit.ITSystemName = sys.UserKey, sys.Name
				}
				ep.ITUsers = append(ep.ITUsers, eit)
			}
		}
		s.People = append(s.People, ep)
	}
	for _, c := range x.classes {
		s.Classes = append(s.Classes, engine.Class{UUID: c.UUID, UserKey: c.UserKey, Name: c.Name, Scope: c.Scope, FacetUserKey: x.facetKey(c)})
	}
	for _, it := range x.itsys {
		s.ITSystems = append(s.ITSystems, engine.ITSystem{UUID: it.UUID, UserKey: it.UserKey, Name: it.Name})
	}
	s.Normalize()
	return s
}

func (x *index) engineAddress(a *Address) engine.Address {
	ea := engine.Address{
		UUID: a.UUID, Value: a.Value, Name: x.addressName(a), TypeUUID: a.AddressTypeUUID,
		VisibilityUUID: a.VisibilityUUID, EngagementUUID: a.EngagementUUID, Validity: utc(a.Validity),
	}
	if c := x.classBy[a.AddressTypeUUID]; c != nil {
		ea.TypeUserKey, ea.Scope = c.UserKey, c.Scope
	}
	if c := x.classBy[a.VisibilityUUID]; c != nil {
		ea.Visibility = c.Scope
	}
	return ea
}

// addressName is the human-readable value: the resolved text for DAR, else
// the value itself.
func (x *index) addressName(a *Address) string {
	if a.DARText != "" {
		return a.DARText
	}
	if c := x.classBy[a.AddressTypeUUID]; c != nil && c.Scope == "DAR" {
		return "Ukendt"
	}
	return a.Value
}

// InvalidCPRWarning is the warning a client reports for a person whose CPR
// number MO holds is not valid: code "invalid_cpr", system "mo", the person's
// name as subject, the uuid as key, the CPR masked in the message.
func InvalidCPRWarning(personUUID, name, cpr string) engine.Warning {
	return engine.Warning{
		Code: "invalid_cpr", System: "mo", Subject: name, Key: personUUID,
		Message: "invalid CPR number " + engine.MaskCPR(cpr) + "; the person is read without one",
	}
}
