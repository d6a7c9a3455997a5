package mo

// The fields each REST answer must hold: the fields of mo-api.md §1.3 that
// the reader uses and that MO's REST API sends in every version it
// supports. A key is required even where its value may be null (a root
// unit's parent, a vacant manager's person, an address's visibility).
// Tolerated when absent, because MO sends them only from some version on
// or only on request: a unit's org_unit_level, an employee's nicknames
// (nickname_givenname, nickname_surname) and cpr_no (omitted when the
// person has none), an address's engagement_uuid, an engagement's
// is_primary (null unless calculate_primary), an IT user's external_id
// (real MO never sends it over REST).
//
// restGet checks every answer that is a restAnswer; TestRESTDropsEachField
// removes each required field from the fake's answers in turn.

// restAnswer is a decoded answer that can say which field it lacks.
type restAnswer interface{ checkAnswer() gap }

// restItem is an element of a REST list answer.
type restItem interface{ check() gap }

// restList is a JSON array answer of T.
type restList[T restItem] []T

func (l *restList[T]) checkAnswer() gap {
	return eachOf("", *l, func(x *T) gap { return (*x).check() })
}

// checkAnswer: total, offset, items, and each item.
func (p *restPage[T]) checkAnswer() gap {
	switch {
	case p.Total == nil:
		return gap{key: "total"}
	case p.Offset == nil:
		return gap{key: "offset"}
	case p.Items == nil:
		return gap{key: "items"}
	}
	return eachOf("items", *p.Items, func(x *T) gap { return (*x).check() })
}

// needRef: a nested object always sent and never null, with its uuid.
func needRef(key string, o wopt[restRef]) gap {
	if o.set && o.v == nil {
		return gap{key: key, null: true}
	}
	return nested(key, o, checkRef)
}

// optRef: a nested object always sent, null or with its uuid.
func optRef(key string, o wopt[restRef]) gap { return nested(key, o, checkRef) }

// laterRef: a nested object older MO versions do not send; when sent, null
// or with its uuid.
func laterRef(key string, o wopt[restRef]) gap {
	if !o.set {
		return gap{}
	}
	return nested(key, o, checkRef)
}

// checkRef: a nested object (or its {"uuid"} of only_primary_uuid=1) has
// its uuid.
func checkRef(r *restRef) gap { return needStr("uuid", r.UUID) }

// GET /o/: [{uuid}].
func (o restOrg) check() gap { return needStr("uuid", o.UUID) }

// GET /o/{org}/it/: [{uuid, name, user_key}].
func (s restITSystem) check() gap {
	return first(needStr("uuid", s.UUID), needStr("name", s.Name), needStr("user_key", s.UserKey)).of(s.UUID)
}

// GET /o/{org}/f/: [{uuid, user_key}].
func (f restFacet) check() gap {
	return first(needStr("uuid", f.UUID), needStr("user_key", f.UserKey)).of(f.UUID)
}

// GET /f/{facet}/: {data: {total, items: [{uuid, name, user_key, scope}]}};
// scope may be null.
func (fc *restFacetClasses) checkAnswer() gap {
	switch {
	case fc.Data == nil:
		return gap{key: "data"}
	case fc.Data.Total == nil:
		return gap{key: "total", at: "data"}
	case fc.Data.Items == nil:
		return gap{key: "items", at: "data"}
	}
	return eachOf("data.items", *fc.Data.Items, func(k *restRef) gap {
		return first(needStr("uuid", k.UUID), needStr("name", k.Name), needStr("user_key", k.UserKey),
			sent("scope", k.Scope.set)).of(k.UUID)
	})
}

// GET /o/{org}/ou/ items: {uuid}.
func (u restUnitItem) check() gap { return needStr("uuid", u.UUID) }

// GET /ou/{id}/: {uuid, user_key, name, validity {from, to}, parent (null
// for a root), org_unit_type (may be null), [org_unit_level]}.
func (u *restUnit) checkAnswer() gap {
	return first(needStr("uuid", u.UUID), needStr("user_key", u.UserKey), needStr("name", u.Name),
		u.Validity.check(false), optRef("parent", u.Parent), optRef("org_unit_type", u.OrgUnitType),
		laterRef("org_unit_level", u.OrgUnitLevel)).of(u.UUID)
}

// GET /o/{org}/e/ items: {uuid, user_key, givenname, surname,
// [nickname_givenname, nickname_surname, cpr_no]}.
func (e restEmployee) check() gap {
	return first(needStr("uuid", e.UUID), needStr("user_key", e.UserKey), needStr("givenname", e.GivenName),
		needStr("surname", e.Surname)).of(e.UUID)
}

// GET /{e|ou}/{id}/details/engagement: [{uuid, user_key, validity,
// org_unit, job_function, engagement_type, [is_primary]}].
func (e restEngagement) check() gap {
	return first(needStr("uuid", e.UUID), needStr("user_key", e.UserKey), e.Validity.check(false),
		needRef("org_unit", e.OrgUnit), needRef("job_function", e.JobFunction),
		needRef("engagement_type", e.EngagementType)).of(e.UUID)
}

// GET /{e|ou}/{id}/details/address: [{uuid, value, name, validity,
// address_type, visibility (may be null), [engagement_uuid]}].
func (a restAddress) check() gap {
	return first(needStr("uuid", a.UUID), needStr("value", a.Value), sent("name", a.Name.set),
		a.Validity.check(false), needRef("address_type", a.AddressType), optRef("visibility", a.Visibility)).of(a.UUID)
}

// GET /{e|ou}/{id}/details/it: [{uuid, user_key, validity, itsystem,
// [external_id]}].
func (it restITUser) check() gap {
	return first(needStr("uuid", it.UUID), needStr("user_key", it.UserKey), it.Validity.check(false),
		needRef("itsystem", it.ITSystem)).of(it.UUID)
}

// GET /ou/{id}/details/manager: [{uuid, validity, person (null when
// vacant), manager_type, manager_level (may be null)}].
func (m restManager) check() gap {
	return first(needStr("uuid", m.UUID), m.Validity.check(false), optRef("person", m.Person),
		optRef("manager_type", m.ManagerType), optRef("manager_level", m.ManagerLevel)).of(m.UUID)
}
