package mo

import (
	"context"
	"fmt"
	"net/url"
	"time"

	"moxsync/engine"
)

// REST answer shapes (mo-api.md §1.3). Nested objects are decoded as
// restRef, which holds both the {"uuid"} of only_primary_uuid=1 and the
// fields of a full object.
type (
	restRef struct {
		UUID    string `json:"uuid"`
		Name    string `json:"name"`
		UserKey string `json:"user_key"`
		Scope   string `json:"scope"`
	}
	restEmployee struct {
		UUID              string `json:"uuid"`
		UserKey           string `json:"user_key"`
		GivenName         string `json:"givenname"`
		Surname           string `json:"surname"`
		NicknameGivenName string `json:"nickname_givenname"`
		NicknameSurname   string `json:"nickname_surname"`
		CPR               string `json:"cpr_no"`
	}
	restUnitItem struct {
		UUID string `json:"uuid"`
	}
	restUnit struct {
		UUID         string       `json:"uuid"`
		UserKey      string       `json:"user_key"`
		Name         string       `json:"name"`
		Validity     wireValidity `json:"validity"`
		Parent       *restRef     `json:"parent"`
		OrgUnitType  *restRef     `json:"org_unit_type"`
		OrgUnitLevel *restRef     `json:"org_unit_level"`
	}
	restEngagement struct {
		UUID           string       `json:"uuid"`
		UserKey        string       `json:"user_key"`
		Validity       wireValidity `json:"validity"`
		OrgUnit        *restRef     `json:"org_unit"`
		JobFunction    *restRef     `json:"job_function"`
		EngagementType *restRef     `json:"engagement_type"`
		IsPrimary      bool         `json:"is_primary"`
	}
	restAddress struct {
		UUID           string       `json:"uuid"`
		Value          string       `json:"value"`
		Name           string       `json:"name"`
		Validity       wireValidity `json:"validity"`
		AddressType    *restRef     `json:"address_type"`
		Visibility     *restRef     `json:"visibility"`
		EngagementUUID string       `json:"engagement_uuid"`
	}
	restITUser struct {
		UUID       string       `json:"uuid"`
		UserKey    string       `json:"user_key"`
		ExternalID string       `json:"external_id"`
		Validity   wireValidity `json:"validity"`
		ITSystem   *restRef     `json:"itsystem"`
	}
	restManager struct {
		UUID         string       `json:"uuid"`
		Validity     wireValidity `json:"validity"`
		Person       *restRef     `json:"person"`
		ManagerType  *restRef     `json:"manager_type"`
		ManagerLevel *restRef     `json:"manager_level"`
	}
	restFacet struct {
		UUID    string `json:"uuid"`
		UserKey string `json:"user_key"`
	}
	restFacetClasses struct {
		UUID    string `json:"uuid"`
		UserKey string `json:"user_key"`
		Data    struct {
			Total *int `json:"total"`
			Items []struct {
				UUID    string `json:"uuid"`
				Name    string `json:"name"`
				UserKey string `json:"user_key"`
				Scope   string `json:"scope"`
			} `json:"items"`
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
	var out []engine.ITSystem
	err := r.c.restGet(ctx, "mo: read IT systems", "/o/"+r.org+"/it/", nil, &out)
	return out, err
}

// allClasses reads every facet and its classes: one call for the facet list
// and one per facet.
func (r *restReader) allClasses(ctx context.Context) ([]engine.Class, error) {
	var facets []restFacet
	if err := r.c.restGet(ctx, "mo: read facets", "/o/"+r.org+"/f/", nil, &facets); err != nil {
		return nil, err
	}
	var out []engine.Class
	for _, f := range facets {
		var fc restFacetClasses
		path := "/f/" + f.UUID + "/"
		if err := r.c.restGet(ctx, "mo: read classes", path, url.Values{"at": {r.at}}, &fc); err != nil {
			return nil, err
		}
		if fc.Data.Total != nil && *fc.Data.Total != len(fc.Data.Items) {
			return nil, classify("mo: read classes", "GET "+pathOf(r.c.cfg.ServiceURL)+path,
				fmt.Errorf("%w: facet %s lists %d of %d classes", errMalformed, f.UserKey, len(fc.Data.Items), *fc.Data.Total))
		}
		for _, k := range fc.Data.Items {
			out = append(out, engine.Class{UUID: k.UUID, UserKey: k.UserKey, Name: k.Name, Scope: k.Scope, FacetUserKey: f.UserKey})
		}
	}
	return out, nil
}

// listBoth reads a paged list for validity present and future; an object
// in both keeps its present form.
func listBoth[T any](ctx context.Context, r *restReader, op, path string, id func(*T) string) ([]T, error) {
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
		u, ou := &out[i], "/ou/"+items[i].UUID
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
				return r.managers(items[i].UUID, in)
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
	path := "/ou/" + item.UUID + "/"
	for _, full := range []bool{false, true} {
		q := url.Values{"at": {r.at}}
		if !full {
			q.Set("only_primary_uuid", "1")
		}
		var u restUnit
		if err := r.c.restGet(ctx, "mo: read org unit", path, q, &u); err != nil {
			return err
		}
		typ, ok1 := r.class(u.OrgUnitType)
		lvl, ok2 := r.class(u.OrgUnitLevel)
		if !(ok1 && ok2) && !full {
			continue // a class we do not know: read the unit with full classes
		}
		uv, err := u.Validity.toValidity(true)
		if err != nil {
			return r.bad("mo: read org unit", item.UUID, err)
		}
		// Field by field: the detail tasks fill the other fields concurrently.
		out.UUID, out.UserKey, out.Name, out.Validity = u.UUID, u.UserKey, u.Name, uv
		out.UnitType, out.UnitLevel = typ.Name, lvl.Name
		if u.Parent != nil {
			out.ParentUUID = u.Parent.UUID
		}
		return nil
	}
	return nil
}

func (r *restReader) people(ctx context.Context) ([]rawPerson, error) {
	items, err := listBoth(ctx, r, "mo: read employees", "/o/"+r.org+"/e/", func(e *restEmployee) string { return e.UUID })
	if err != nil {
		return nil, err
	}
	out := make([]rawPerson, len(items))
	for i, e := range items {
		out[i] = rawPerson{UUID: e.UUID, UserKey: e.UserKey, CPR: e.CPR, GivenName: e.GivenName, Surname: e.Surname,
			NicknameGivenName: e.NicknameGivenName, NicknameSurname: e.NicknameSurname}
	}
	err = runAll(ctx, r.c.cfg.Concurrency, 3*len(items), func(ctx context.Context, n int) error {
		i := n / 3
		p, e := &out[i], "/e/"+items[i].UUID
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
func details[W, E any](ctx context.Context, r *restReader, owner, typ string, extra url.Values,
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
			var page []W
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

func (r *restReader) bad(op, key string, err error) error {
	return engine.E(engine.KindOther, op, key, fmt.Errorf("%w: %w", errMalformed, err))
}

// class resolves a nested class: its own fields when MO sent the full
// object, else the cached class. ok is false for an unknown class.
func (r *restReader) class(ref *restRef) (engine.Class, bool) {
	if ref == nil || ref.UUID == "" {
		return engine.Class{}, true
	}
	if k, ok := r.classes[ref.UUID]; ok {
		return k, true
	}
	if ref.Name != "" || ref.UserKey != "" {
		return engine.Class{UUID: ref.UUID, UserKey: ref.UserKey, Name: ref.Name, Scope: ref.Scope}, true
	}
	return engine.Class{}, false
}

func (r *restReader) engagements(in []restEngagement) ([]engine.Engagement, bool, error) {
	out := make([]engine.Engagement, 0, len(in))
	ok := true
	for _, e := range in {
		v, err := e.Validity.toValidity(true)
		if err != nil {
			return nil, false, fmt.Errorf("engagement %s: %w", e.UUID, err)
		}
		jf, ok1 := r.class(e.JobFunction)
		et, ok2 := r.class(e.EngagementType)
		ok = ok && ok1 && ok2
		ee := engine.Engagement{UUID: e.UUID, UserKey: e.UserKey, JobFunction: jf.Name, EngagementType: et.Name,
			IsPrimary: e.IsPrimary, Validity: v}
		if e.OrgUnit != nil {
			ee.UnitUUID = e.OrgUnit.UUID
		}
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
			return nil, false, fmt.Errorf("address %s: %w", a.UUID, err)
		}
		typ, ok1 := r.class(a.AddressType)
		vis, ok2 := r.class(a.Visibility)
		ok = ok && ok1 && ok2
		out = append(out, engine.Address{UUID: a.UUID, Value: a.Value, Name: a.Name,
			TypeUUID: typ.UUID, TypeUserKey: typ.UserKey, Scope: typ.Scope,
			VisibilityUUID: vis.UUID, Visibility: vis.Scope,
			EngagementUUID: a.EngagementUUID, Validity: v})
	}
	return out, ok, nil
}

func (r *restReader) itusers(in []restITUser) ([]engine.ITUser, bool, error) {
	out := make([]engine.ITUser, 0, len(in))
	ok := true
	for _, it := range in {
		v, err := it.Validity.toValidity(true)
		if err != nil {
			return nil, false, fmt.Errorf("IT user %s: %w", it.UUID, err)
		}
		eu := engine.ITUser{UUID: it.UUID, UserKey: it.UserKey, ExternalID: it.ExternalID, Validity: v}
		if s := it.ITSystem; s != nil {
			eu.ITSystemUUID = s.UUID
			if known, found := r.systems[s.UUID]; found {
				eu.ITSystemUserKey, eu.ITSystemName = known.UserKey, known.Name
			} else if s.Name != "" || s.UserKey != "" {
				eu.ITSystemUserKey, eu.ITSystemName = s.UserKey, s.Name
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
			return nil, false, fmt.Errorf("manager %s: %w", m.UUID, err)
		}
		typ, ok1 := r.class(m.ManagerType)
		lvl, ok2 := r.class(m.ManagerLevel)
		ok = ok && ok1 && ok2
		em := engine.Manager{UUID: m.UUID, UnitUUID: unit, ManagerType: typ.Name, ManagerLevel: lvl.Name, Validity: v}
		if m.Person != nil {
			em.PersonUUID = m.Person.UUID
		}
		out = append(out, em)
	}
	return out, ok, nil
}
