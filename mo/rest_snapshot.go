package mo

import (
	"context"
	"fmt"
	"net/url"
	"time"

	"moxsync/engine"
)

// REST answer shapes (mo-api.md §1.3), of field types that tell an absent
// key from a zero value (wire.go); check_rest.go lists the fields each
// must hold. Nested objects are decoded as restRef, which holds both the
// {"uuid"} of only_primary_uuid=1 and the fields of a full object.
type (
	restRef struct {
		UUID    wstr `json:"uuid"`
		Name    wstr `json:"name"`
		UserKey wstr `json:"user_key"`
		Scope   wstr `json:"scope"`
	}
	restOrg struct {
		UUID wstr `json:"uuid"`
	}
	restITSystem struct {
		UUID    wstr `json:"uuid"`
		Name    wstr `json:"name"`
		UserKey wstr `json:"user_key"`
	}
	restEmployee struct {
		UUID              wstr `json:"uuid"`
		UserKey           wstr `json:"user_key"`
		GivenName         wstr `json:"givenname"`
		Surname           wstr `json:"surname"`
		NicknameGivenName wstr `json:"nickname_givenname"`
		NicknameSurname   wstr `json:"nickname_surname"`
		CPR               wstr `json:"cpr_no"`
	}
	restUnitItem struct {
		UUID wstr `json:"uuid"`
	}
	restUnit struct {
		UUID         wstr          `json:"uuid"`
		UserKey      wstr          `json:"user_key"`
		Name         wstr          `json:"name"`
		Validity     wireValidity  `json:"validity"`
		Parent       wopt[restRef] `json:"parent"`
		OrgUnitType  wopt[restRef] `json:"org_unit_type"`
		OrgUnitLevel wopt[restRef] `json:"org_unit_level"`
	}
	restEngagement struct {
		UUID           wstr          `json:"uuid"`
		UserKey        wstr          `json:"user_key"`
		Validity       wireValidity  `json:"validity"`
		OrgUnit        wopt[restRef] `json:"org_unit"`
		JobFunction    wopt[restRef] `json:"job_function"`
		EngagementType wopt[restRef] `json:"engagement_type"`
		IsPrimary      wbool         `json:"is_primary"`
		wireExtensions               // read when asked for (Config.EngagementExtensions)
	}
	restAddress struct {
		UUID           wstr          `json:"uuid"`
		Value          wstr          `json:"value"`
		Name           wstr          `json:"name"`
		Validity       wireValidity  `json:"validity"`
		AddressType    wopt[restRef] `json:"address_type"`
		Visibility     wopt[restRef] `json:"visibility"`
		EngagementUUID wstr          `json:"engagement_uuid"`
	}
	restITUser struct {
		UUID       wstr          `json:"uuid"`
		UserKey    wstr          `json:"user_key"`
		ExternalID wstr          `json:"external_id"`
		Validity   wireValidity  `json:"validity"`
		ITSystem   wopt[restRef] `json:"itsystem"`
	}
	restManager struct {
		UUID         wstr          `json:"uuid"`
		Validity     wireValidity  `json:"validity"`
		Person       wopt[restRef] `json:"person"`
		ManagerType  wopt[restRef] `json:"manager_type"`
		ManagerLevel wopt[restRef] `json:"manager_level"`
	}
	restFacet struct {
		UUID    wstr `json:"uuid"`
		UserKey wstr `json:"user_key"`
	}
	restFacetClasses struct {
		Data *struct {
			Total *int       `json:"total"`
			Items *[]restRef `json:"items"`
		} `json:"data"`
	}
)

// restReader reads a snapshot by REST.
type restReader struct {
	c       *Client
	at      string // now as MO's at parameter
	org     string
	classes classIndex
	systems map[string]engine.ITSystem
}

func (c *Client) snapshotREST(ctx context.Context, now time.Time) (*readResult, error) {
	r := &restReader{c: c, at: formatDateTime(now)}
	res := &readResult{}
	var err error
	if r.org, err = c.org(ctx); err != nil {
		return nil, err
	}
	res.org = r.org
	if res.itsystems, err = r.itsystems(ctx); err != nil {
		return nil, err
	}
	if res.classes, err = r.allClasses(ctx); err != nil {
		return nil, err
	}
	r.classes = indexClasses(res.classes)
	r.systems = make(map[string]engine.ITSystem, len(res.itsystems))
	for _, s := range res.itsystems {
		r.systems[s.UUID] = s
	}
	if res.units, err = r.units(ctx); err != nil {
		return nil, err
	}
	if res.people, err = r.people(ctx); err != nil {
		return nil, err
	}
	return res, nil
}

func (r *restReader) itsystems(ctx context.Context) ([]engine.ITSystem, error) {
	return r.c.restITSystems(ctx, "mo: read IT systems", r.org)
}

// restITSystems reads the organisation's IT systems.
func (c *Client) restITSystems(ctx context.Context, op, org string) ([]engine.ITSystem, error) {
	var list restList[restITSystem]
	if err := c.restGet(ctx, op, "/o/"+org+"/it/", nil, &list); err != nil {
		return nil, err
	}
	out := make([]engine.ITSystem, len(list))
	for i, s := range list {
		out[i] = engine.ITSystem{UUID: s.UUID.v, UserKey: s.UserKey.v, Name: s.Name.v}
	}
	return out, nil
}

// allClasses reads every facet and its classes: one call for the facet list
// and one per facet.
func (r *restReader) allClasses(ctx context.Context) ([]engine.Class, error) {
	var facets restList[restFacet]
	if err := r.c.restGet(ctx, "mo: read facets", "/o/"+r.org+"/f/", nil, &facets); err != nil {
		return nil, err
	}
	var out []engine.Class
	for _, f := range facets {
		var fc restFacetClasses
		path := "/f/" + f.UUID.v + "/"
		if err := r.c.restGet(ctx, "mo: read classes", path, url.Values{"at": {r.at}}, &fc); err != nil {
			return nil, err
		}
		items := *fc.Data.Items
		if *fc.Data.Total != len(items) {
			return nil, classify("mo: read classes", "GET "+pathOf(r.c.cfg.ServiceURL)+path,
				fmt.Errorf("%w: facet %s lists %d of %d classes", errMalformed, f.UserKey.v, len(items), *fc.Data.Total))
		}
		for _, k := range items {
			out = append(out, engine.Class{UUID: k.UUID.v, UserKey: k.UserKey.v, Name: k.Name.v, Scope: k.Scope.v, FacetUserKey: f.UserKey.v})
		}
	}
	return out, nil
}

// listBoth reads a paged list for validity present and future; an object
// in both keeps its present form.
func listBoth[T restItem](ctx context.Context, r *restReader, op, path string, id func(*T) string) ([]T, error) {
	var out []T
	seen := map[string]bool{}
	for _, validity := range []string{"present", "future"} {
		q := url.Values{"at": {r.at}, "validity": {validity}}
		err := restPages(ctx, r.c, op, path, q, func(items []T) error {
			for i := range items {
				if k := id(&items[i]); !seen[k] {
					seen[k] = true
					out = append(out, items[i])
				}
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (r *restReader) units(ctx context.Context) ([]rawUnit, error) {
	var items []restUnitItem
	err := restPages(ctx, r.c, "mo: read org units", "/o/"+r.org+"/ou/", url.Values{"at": {r.at}}, func(page []restUnitItem) error {
		items = append(items, page...)
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := make([]rawUnit, len(items))
	// Per unit: the unit itself (parent, type, level), then its addresses,
	// managers and IT bindings.
	err = runAll(ctx, r.c.cfg.Concurrency, 4*len(items), func(ctx context.Context, n int) error {
		i := n / 4
		u, ou := &out[i], "/ou/"+items[i].UUID.v
		switch n % 4 {
		case 0:
			return r.unit(ctx, &items[i], u)
		case 1:
			var err error
			u.Addresses, err = details(ctx, r, ou, "address", nil, r.addresses)
			return err
		case 2:
			var err error
			u.Managers, err = details(ctx, r, ou, "manager", nil, func(in []restManager) ([]engine.Manager, bool, error) {
				return r.managers(items[i].UUID.v, in)
			})
			return err
		default:
			its, err := details(ctx, r, ou, "it", nil, r.itusers)
			u.ITUsers = its
			return err
		}
	})
	return out, err
}

// unit reads /ou/{id}/ as at now.
func (r *restReader) unit(ctx context.Context, item *restUnitItem, out *rawUnit) error {
	path := "/ou/" + item.UUID.v + "/"
	for _, full := range []bool{false, true} {
		q := url.Values{"at": {r.at}}
		if !full {
			q.Set("only_primary_uuid", "1")
		}
		var u restUnit
		if err := r.c.restGet(ctx, "mo: read org unit", path, q, &u); err != nil {
			return err
		}
		typ, ok1 := r.class(u.OrgUnitType.v)
		lvl, ok2 := r.class(u.OrgUnitLevel.v)
		if !(ok1 && ok2) && !full {
			continue // a class we do not know: read the unit with full classes
		}
		uv, err := u.Validity.toValidity(true)
		if err != nil {
			return r.bad("mo: read org unit", item.UUID.v, err)
		}
		// Field by field: the detail tasks fill the other fields concurrently.
		out.UUID, out.UserKey, out.Name, out.Validity = u.UUID.v, u.UserKey.v, u.Name.v, uv
		out.UnitType, out.UnitLevel = typ.Name, lvl.Name
		if p := u.Parent.v; p != nil {
			out.ParentUUID = p.UUID.v
		}
		return nil
	}
	return nil
}

func (r *restReader) people(ctx context.Context) ([]rawPerson, error) {
	items, err := listBoth(ctx, r, "mo: read employees", "/o/"+r.org+"/e/", func(e *restEmployee) string { return e.UUID.v })
	if err != nil {
		return nil, err
	}
	out := make([]rawPerson, len(items))
	for i, e := range items {
		out[i] = rawPerson{UUID: e.UUID.v, UserKey: e.UserKey.v, CPR: e.CPR.v, GivenName: e.GivenName.v, Surname: e.Surname.v,
			NicknameGivenName: e.NicknameGivenName.v, NicknameSurname: e.NicknameSurname.v}
	}
	err = runAll(ctx, r.c.cfg.Concurrency, 3*len(items), func(ctx context.Context, n int) error {
		i := n / 3
		p, e := &out[i], "/e/"+items[i].UUID.v
		var err error
		switch n % 3 {
		case 0:
			p.Engagements, err = details(ctx, r, e, "engagement", url.Values{"calculate_primary": {"1"}}, r.engagements)
		case 1:
			p.Addresses, err = details(ctx, r, e, "address", nil, r.addresses)
		default:
			p.ITUsers, err = details(ctx, r, e, "it", nil, r.itusers)
		}
		return err
	})
	return out, err
}

// details reads one detail type of an employee or unit (owner is "/e/{id}"
// or "/ou/{id}"), present and future, with only_primary_uuid=1. When a
// class or IT system in the answer is unknown, it reads again with full
// nested objects.
func details[W restItem, E any](ctx context.Context, r *restReader, owner, typ string, extra url.Values,
	conv func([]W) ([]E, bool, error)) ([]E, error) {
	path := owner + "/details/" + typ
	for _, full := range []bool{false, true} {
		var all []W
		for _, validity := range []string{"present", "future"} {
			q := url.Values{"at": {r.at}, "validity": {validity}}
			for k, v := range extra {
				q[k] = v
			}
			if !full {
				q.Set("only_primary_uuid", "1")
			}
			var page restList[W]
			if err := r.c.restGet(ctx, "mo: read "+typ, path, q, &page); err != nil {
				return nil, err
			}
			all = append(all, page...)
		}
		out, ok, err := conv(all)
		if err != nil {
			return nil, r.bad("mo: read "+typ, owner, err)
		}
		if ok || full {
			return out, nil
		}
	}
	panic("unreachable")
}

// bad is an answer with a value that is not what MO sends (a date that is
// not a date).
func (r *restReader) bad(op, key string, err error) error {
	return engine.E(engine.KindProtocol, op, key, fmt.Errorf("%w: %w", errMalformed, err))
}

// class resolves a nested class: its own fields when MO sent the full
// object, else the cached class. ok is false for an unknown class.
func (r *restReader) class(ref *restRef) (engine.Class, bool) {
	if ref == nil || ref.UUID.v == "" {
		return engine.Class{}, true
	}
	if k, ok := r.classes[ref.UUID.v]; ok {
		return k, true
	}
	if ref.Name.set || ref.UserKey.set {
		return engine.Class{UUID: ref.UUID.v, UserKey: ref.UserKey.v, Name: ref.Name.v, Scope: ref.Scope.v}, true
	}
	return engine.Class{}, false
}

func (r *restReader) engagements(in []restEngagement) ([]engine.Engagement, bool, error) {
	out := make([]engine.Engagement, 0, len(in))
	ok := true
	for _, e := range in {
		v, err := e.Validity.toValidity(true)
		if err != nil {
			return nil, false, fmt.Errorf("engagement %s: %w", e.UUID.v, err)
		}
		jf, ok1 := r.class(e.JobFunction.v)
		et, ok2 := r.class(e.EngagementType.v)
		ok = ok && ok1 && ok2
		ee := engine.Engagement{UUID: e.UUID.v, UserKey: e.UserKey.v, JobFunction: jf.Name, JobFunctionUUID: jf.UUID, EngagementType: et.Name,
			IsPrimary: e.IsPrimary.v, Validity: v}
		if u := e.OrgUnit.v; u != nil {
			ee.UnitUUID = u.UUID.v
		}
		ee.Extensions = e.values(r.c.cfg.EngagementExtensions)
		out = append(out, ee)
	}
	return out, ok, nil
}

func (r *restReader) addresses(in []restAddress) ([]engine.Address, bool, error) {
	out := make([]engine.Address, 0, len(in))
	ok := true
	for _, a := range in {
		v, err := a.Validity.toValidity(true)
		if err != nil {
			return nil, false, fmt.Errorf("address %s: %w", a.UUID.v, err)
		}
		typ, ok1 := r.class(a.AddressType.v)
		vis, ok2 := r.class(a.Visibility.v)
		ok = ok && ok1 && ok2
		out = append(out, engine.Address{UUID: a.UUID.v, Value: a.Value.v, Name: a.Name.v,
			TypeUUID: typ.UUID, TypeUserKey: typ.UserKey, Scope: typ.Scope,
			VisibilityUUID: vis.UUID, Visibility: vis.Scope,
			EngagementUUID: a.EngagementUUID.v, Validity: v})
	}
	return out, ok, nil
}

func (r *restReader) itusers(in []restITUser) ([]engine.ITUser, bool, error) {
	out := make([]engine.ITUser, 0, len(in))
	ok := true
	for _, it := range in {
		v, err := it.Validity.toValidity(true)
		if err != nil {
			return nil, false, fmt.Errorf("IT user %s: %w", it.UUID.v, err)
		}
		eu := engine.ITUser{UUID: it.UUID.v, UserKey: it.UserKey.v, ExternalID: it.ExternalID.v, Validity: v}
		if s := it.ITSystem.v; s != nil {
			eu.ITSystemUUID = s.UUID.v
			if known, found := r.systems[s.UUID.v]; found {
				eu.ITSystemUserKey, eu.ITSystemName = known.UserKey, known.Name
			} else if s.Name.set || s.UserKey.set {
				eu.ITSystemUserKey, eu.ITSystemName = s.UserKey.v, s.Name.v
			} else {
				ok = false
			}
		}
		out = append(out, eu)
	}
	return out, ok, nil
}

func (r *restReader) managers(unit string, in []restManager) ([]engine.Manager, bool, error) {
	out := make([]engine.Manager, 0, len(in))
	ok := true
	for _, m := range in {
		v, err := m.Validity.toValidity(true)
		if err != nil {
			return nil, false, fmt.Errorf("manager %s: %w", m.UUID.v, err)
		}
		typ, ok1 := r.class(m.ManagerType.v)
		lvl, ok2 := r.class(m.ManagerLevel.v)
		ok = ok && ok1 && ok2
		em := engine.Manager{UUID: m.UUID.v, UnitUUID: unit, ManagerType: typ.Name, ManagerLevel: lvl.Name, Validity: v}
		if p := m.Person.v; p != nil {
			em.PersonUUID = p.UUID.v
		}
		out = append(out, em)
	}
	return out, ok, nil
}
