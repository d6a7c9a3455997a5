package mo

import "strconv"

// The fields each GraphQL answer must hold. GraphQL sends every field a
// query selects (null only where the schema allows it), so an answer
// without one is not MO's: each check below lists exactly the selection of
// its query in gql_queries.go / ituser_read.go (TestGraphQLChecksCoverQueries
// holds them in step), and refuses null where the v29 schema says non-null
// (uuid, user_key, name, the *_uuid references marked "!", a validity's
// from except in OpenValidity, lists, is_primary).

// checkPage checks a page of a paged collection named field: page_info with
// next_cursor (null on the last page), and objects.
func checkPage[T any](field string, p *paged[T], check func(*T) gap) gap {
	switch {
	case p.PageInfo == nil:
		return gap{key: "page_info"}.under(field)
	case !p.PageInfo.NextCursor.set:
		return gap{key: "next_cursor"}.under(field + ".page_info")
	case p.Objects == nil:
		return gap{key: "objects"}.under(field)
	}
	return eachOf(field+".objects", *p.Objects, check)
}

// checkTemporal checks an XResponse's uuid, then its current (when
// current) or its validities, each with check.
func checkTemporal[T any](o *gqlTemporal[T], current bool, check func(*T) gap) gap {
	if g := needStr("uuid", o.UUID); !g.ok() {
		return g
	}
	var g gap
	if current {
		g = nested("current", o.Current, check)
	} else {
		g = needObj("validities", o.Validities != nil)
		if g.ok() {
			g = eachOf("validities", *o.Validities, check)
		}
	}
	return g.of(o.UUID)
}

// ITSystems: uuid current { uuid user_key name }.
func checkCurrentITSystem(o *gqlTemporal[gqlITSystem]) gap {
	return checkTemporal(o, true, func(s *gqlITSystem) gap { return s.check(false) })
}

// ITSystemsByUUID: uuid validities { uuid user_key name validity { from to } }.
func checkITSystemSlices(o *gqlTemporal[gqlITSystem]) gap {
	return checkTemporal(o, false, func(s *gqlITSystem) gap { return s.check(true) })
}

func (s *gqlITSystem) check(validity bool) gap {
	g := first(needStr("uuid", s.UUID), needStr("user_key", s.UserKey), needStr("name", s.Name))
	if g.ok() && validity {
		g = s.Validity.check(true)
	}
	return g.of(s.UUID)
}

// Classes: uuid current { uuid user_key name scope facet { user_key } }.
func checkCurrentClass(o *gqlTemporal[gqlClass]) gap {
	return checkTemporal(o, true, func(k *gqlClass) gap { return k.check(false) })
}

// ClassesByUUID: uuid validities { uuid user_key name scope facet { user_key } validity { from to } }.
func checkClassSlices(o *gqlTemporal[gqlClass]) gap {
	return checkTemporal(o, false, func(k *gqlClass) gap { return k.check(true) })
}

func (k *gqlClass) check(validity bool) gap {
	g := first(needStr("uuid", k.UUID), needStr("user_key", k.UserKey), needStr("name", k.Name),
		sent("scope", k.Scope.set), needObj("facet", k.Facet != nil))
	if g.ok() {
		if g = needStr("user_key", k.Facet.UserKey); !g.ok() {
			g = g.under("facet")
		}
	}
	if g.ok() && validity {
		g = k.Validity.check(true)
	}
	return g.of(k.UUID)
}

// Units: uuid current { uuid user_key name parent_uuid unit_type_uuid
// org_unit_level_uuid validity addresses managers itusers }.
func checkCurrentUnit(o *gqlTemporal[gqlUnit]) gap {
	return checkTemporal(o, true, (*gqlUnit).check)
}

func (u *gqlUnit) check() gap {
	g := first(needStr("uuid", u.UUID), needStr("user_key", u.UserKey), needStr("name", u.Name),
		sent("parent_uuid", u.ParentUUID.set), sent("unit_type_uuid", u.UnitTypeUUID.set),
		sent("org_unit_level_uuid", u.UnitLevelUUID.set), u.Validity.check(false),
		needObj("addresses", u.Addresses != nil), needObj("managers", u.Managers != nil), needObj("itusers", u.ITUsers != nil))
	if g.ok() {
		g = first(eachOf("addresses", *u.Addresses, (*gqlAddress).check),
			eachOf("managers", *u.Managers, (*gqlManager).check),
			eachOf("itusers", *u.ITUsers, func(it *gqlITUser) gap { return it.check(itSelection{}) }))
	}
	return g.of(u.UUID)
}

// The address fragment: uuid value name engagement_uuid address_type_uuid
// visibility_uuid validity { from to }.
func (a *gqlAddress) check() gap {
	return first(needStr("uuid", a.UUID), needStr("value", a.Value), sent("name", a.Name.set),
		sent("engagement_uuid", a.EngagementUUID.set), needStr("address_type_uuid", a.TypeUUID),
		sent("visibility_uuid", a.VisibilityUUID.set), a.Validity.check(false)).of(a.UUID)
}

// A unit's managers: uuid employee_uuid (null when vacant)
// manager_type_uuid manager_level_uuid validity { from to }.
func (m *gqlManager) check() gap {
	return first(needStr("uuid", m.UUID), sent("employee_uuid", m.EmployeeUUID.set),
		sent("manager_type_uuid", m.ManagerTypeUUID.set), sent("manager_level_uuid", m.ManagerLevelUUID.set),
		m.Validity.check(false)).of(m.UUID)
}

// itSelection says which optional fields an IT user selection has: a
// unit's itusers select uuid itsystem_uuid validity; a person's add
// user_key, and external_id from v29.
type itSelection struct{ userKey, externalID bool }

func (it *gqlITUser) check(sel itSelection) gap {
	g := first(needStr("uuid", it.UUID), needStr("itsystem_uuid", it.ITSystemUUID), it.Validity.check(false))
	if g.ok() && sel.userKey {
		g = needStr("user_key", it.UserKey)
	}
	if g.ok() && sel.externalID {
		g = sent("external_id", it.ExternalID.set)
	}
	return g.of(it.UUID)
}

// People: uuid validities { uuid user_key cpr_number given_name surname
// nickname_given_name nickname_surname validity engagements addresses
// itusers }; the nicknames and cpr_number may be null.
func checkPersonSlices(o *gqlTemporal[gqlPerson], externalID bool, extensions []int) gap {
	return checkTemporal(o, false, func(p *gqlPerson) gap { return p.check(externalID, extensions) })
}

func (p *gqlPerson) check(externalID bool, extensions []int) gap {
	g := first(needStr("uuid", p.UUID), needStr("user_key", p.UserKey), sent("cpr_number", p.CPR.set),
		needStr("given_name", p.GivenName), needStr("surname", p.Surname),
		sent("nickname_given_name", p.NicknameGivenName.set), sent("nickname_surname", p.NicknameSurname.set),
		p.Validity.check(true),
		needObj("engagements", p.Engagements != nil), needObj("addresses", p.Addresses != nil), needObj("itusers", p.ITUsers != nil))
	if g.ok() {
		sel := itSelection{userKey: true, externalID: externalID}
		g = first(eachOf("engagements", *p.Engagements, func(e *gqlEngagement) gap { return e.check(extensions) }),
			eachOf("addresses", *p.Addresses, (*gqlAddress).check),
			eachOf("itusers", *p.ITUsers, func(it *gqlITUser) gap { return it.check(sel) }))
	}
	return g.of(p.UUID)
}

// A person's engagements: uuid user_key org_unit_uuid is_primary
// job_function_uuid engagement_type_uuid validity { from to }.
func (e *gqlEngagement) check(extensions []int) gap {
	g := first(needStr("uuid", e.UUID), needStr("user_key", e.UserKey), needStr("org_unit_uuid", e.OrgUnitUUID),
		needBool("is_primary", e.IsPrimary), needStr("job_function_uuid", e.JobFunctionUUID),
		needStr("engagement_type_uuid", e.EngagementTypeUUID), e.Validity.check(false))
	for _, n := range extensions { // asked for: always sent, may be null
		if g.ok() {
			g = sent("extension_"+strconv.Itoa(n), e.extension(n).set)
		}
	}
	return g.of(e.UUID)
}

// PersonITUsers: itusers { objects { uuid validities { uuid user_key
// [external_id] itsystem_uuid itsystem { uuid user_key name } validity } } }.
func checkPersonITUsers(o *gqlTemporal[gqlITUserNamed], externalID bool) gap {
	return checkTemporal(o, false, func(it *gqlITUserNamed) gap {
		g := it.gqlITUser.check(itSelection{userKey: true, externalID: externalID})
		if g.ok() {
			if g = needObj("itsystem", it.ITSystem != nil); g.ok() {
				if g = it.ITSystem.check(false); !g.ok() {
					g = g.under("itsystem")
				}
			}
		}
		return g.of(it.UUID)
	})
}

// checkOrg: org { uuid }.
func checkOrg(o *gqlOrg) gap {
	if o == nil {
		return gap{key: "org"}
	}
	if g := needStr("uuid", o.UUID); !g.ok() {
		return g.under("org")
	}
	return gap{}
}
