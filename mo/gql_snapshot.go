package mo

import (
	"context"
	"fmt"
	"sort"
	"time"

	"moxsync/engine"
)

// GraphQL answer shapes. Only the fields the queries ask for.
type (
	gqlClass struct {
		UUID    string `json:"uuid"`
		UserKey string `json:"user_key"`
		Name    string `json:"name"`
		Scope   string `json:"scope"`
		Facet   *struct {
			UserKey string `json:"user_key"`
		} `json:"facet"`
		Validity wireValidity `json:"validity"`
	}
	gqlITSystem struct {
		UUID     string       `json:"uuid"`
		UserKey  string       `json:"user_key"`
		Name     string       `json:"name"`
		Validity wireValidity `json:"validity"`
	}
	gqlAddress struct {
		UUID           string       `json:"uuid"`
		Value          string       `json:"value"`
		Name           string       `json:"name"`
		EngagementUUID string       `json:"engagement_uuid"`
		TypeUUID       string       `json:"address_type_uuid"`
		VisibilityUUID string       `json:"visibility_uuid"`
		Validity       wireValidity `json:"validity"`
	}
	gqlITUser struct {
		UUID         string       `json:"uuid"`
		UserKey      string       `json:"user_key"`
		ExternalID   string       `json:"external_id"`
		ITSystemUUID string       `json:"itsystem_uuid"`
		Validity     wireValidity `json:"validity"`
	}
	gqlManager struct {
		UUID             string       `json:"uuid"`
		EmployeeUUID     string       `json:"employee_uuid"`
		ManagerTypeUUID  string       `json:"manager_type_uuid"`
		ManagerLevelUUID string       `json:"manager_level_uuid"`
		Validity         wireValidity `json:"validity"`
	}
	gqlEngagement struct {
		UUID               string       `json:"uuid"`
		UserKey            string       `json:"user_key"`
		OrgUnitUUID        string       `json:"org_unit_uuid"`
		IsPrimary          bool         `json:"is_primary"`
		JobFunctionUUID    string       `json:"job_function_uuid"`
		EngagementTypeUUID string       `json:"engagement_type_uuid"`
		Validity           wireValidity `json:"validity"`
	}
	gqlUnit struct {
		UUID          string       `json:"uuid"`
		UserKey       string       `json:"user_key"`
		Name          string       `json:"name"`
		ParentUUID    string       `json:"parent_uuid"`
		UnitTypeUUID  string       `json:"unit_type_uuid"`
		UnitLevelUUID string       `json:"org_unit_level_uuid"`
		Validity      wireValidity `json:"validity"`
		Addresses     []gqlAddress `json:"addresses"`
		Managers      []gqlManager `json:"managers"`
		ITUsers       []gqlITUser  `json:"itusers"`
	}
	gqlPerson struct {
		UUID              string          `json:"uuid"`
		UserKey           string          `json:"user_key"`
		CPR               string          `json:"cpr_number"`
		GivenName         string          `json:"given_name"`
		Surname           string          `json:"surname"`
		NicknameGivenName string          `json:"nickname_given_name"`
		NicknameSurname   string          `json:"nickname_surname"`
		Validity          wireValidity    `json:"validity"`
		Engagements       []gqlEngagement `json:"engagements"`
		Addresses         []gqlAddress    `json:"addresses"`
		ITUsers           []gqlITUser     `json:"itusers"`
	}
	// gqlTemporal is an XResponse: the object's state now, or its slices.
	gqlTemporal[T any] struct {
		UUID       string `json:"uuid"`
		Current    *T     `json:"current"`
		Validities []T    `json:"validities"`
	}
)

// gqlReader reads a snapshot by GraphQL.
type gqlReader struct {
	c         *Client
	now       time.Time
	inclusive bool // GraphQL before v29 shows the end date one day early

	classes classIndex
	systems map[string]engine.ITSystem
}

// snapshotGraphQL reads the organisation, IT systems and classes, units and
// people as four concurrent streams of pages, then resolves the class and
// IT system uuids the objects refer to.
func (c *Client) snapshotGraphQL(ctx context.Context, now time.Time) (*readResult, error) {
	g := &gqlReader{c: c, now: now, inclusive: c.cfg.GraphQLVersion < 29}
	res := &readResult{}
	var (
		units  []*gqlUnit
		people []*gqlPerson
	)
	vars := func() map[string]any { return map[string]any{"now": formatDateTime(now)} }
	streams := []func(context.Context) error{
		func(ctx context.Context) (err error) {
			res.org, err = c.org(ctx)
			return err
		},
		func(ctx context.Context) error {
			err := readPages(ctx, c, "mo: read IT systems", opITSystems, "itsystems", vars(), func(objs []gqlTemporal[gqlITSystem]) error {
				for _, o := range objs {
					if s := o.Current; s != nil {
						res.itsystems = append(res.itsystems, engine.ITSystem{UUID: s.UUID, UserKey: s.UserKey, Name: s.Name})
					}
				}
				return nil
			})
			if err != nil {
				return err
			}
			return readPages(ctx, c, "mo: read classes", opClasses, "classes", vars(), func(objs []gqlTemporal[gqlClass]) error {
				for _, o := range objs {
					if k := o.Current; k != nil {
						res.classes = append(res.classes, k.class())
					}
				}
				return nil
			})
		},
		func(ctx context.Context) error {
			return readPages(ctx, c, "mo: read org units", opUnits, "org_units", vars(), func(objs []gqlTemporal[gqlUnit]) error {
				for i := range objs {
					if u := objs[i].Current; u != nil { // else not in force at now
						units = append(units, u)
					}
				}
				return nil
			})
		},
		func(ctx context.Context) error {
			return readPages(ctx, c, "mo: read employees", peopleQuery(c.cfg.GraphQLVersion), "employees", vars(), func(objs []gqlTemporal[gqlPerson]) error {
				for i := range objs {
					p, ok, err := pickSlice(now, g.inclusive, &objs[i], func(p *gqlPerson) wireValidity { return p.Validity })
					if err != nil {
						return g.bad("mo: read employees", objs[i].UUID, err)
					}
					if ok {
						people = append(people, p)
					}
				}
				return nil
			})
		},
	}
	err := runAll(ctx, len(streams), len(streams), func(ctx context.Context, i int) error { return streams[i](ctx) })
	if err != nil {
		return nil, err
	}

	g.classes = indexClasses(res.classes)
	g.systems = make(map[string]engine.ITSystem, len(res.itsystems))
	for _, s := range res.itsystems {
		g.systems[s.UUID] = s
	}
	if err := g.resolveMissing(ctx, units, people); err != nil {
		return nil, err
	}
	res.units = make([]rawUnit, 0, len(units))
	for _, u := range units {
		ru, err := g.unit(u)
		if err != nil {
			return nil, g.bad("mo: read org units", u.UUID, err)
		}
		res.units = append(res.units, ru)
	}
	res.people = make([]rawPerson, 0, len(people))
	for _, p := range people {
		rp, err := g.person(p)
		if err != nil {
			return nil, g.bad("mo: read employees", p.UUID, err)
		}
		res.people = append(res.people, rp)
	}
	return res, nil
}

func (k *gqlClass) class() engine.Class {
	cl := engine.Class{UUID: k.UUID, UserKey: k.UserKey, Name: k.Name, Scope: k.Scope}
	if k.Facet != nil {
		cl.FacetUserKey = k.Facet.UserKey
	}
	return cl
}

// resolveMissing reads the classes and IT systems that objects refer to but
// that are not current (so not in the lists): a class that was retired
// while engagements still use it keeps its name. They are used for names
// only, not added to the snapshot's class list.
func (g *gqlReader) resolveMissing(ctx context.Context, units []*gqlUnit, people []*gqlPerson) error {
	classes, systems := map[string]bool{}, map[string]bool{}
	class := func(id string) {
		if _, ok := g.classes[id]; id != "" && !ok {
			classes[id] = true
		}
	}
	system := func(its []gqlITUser) {
		for _, it := range its {
			if _, ok := g.systems[it.ITSystemUUID]; it.ITSystemUUID != "" && !ok {
				systems[it.ITSystemUUID] = true
			}
		}
	}
	addrs := func(as []gqlAddress) {
		for _, a := range as {
			class(a.TypeUUID)
			class(a.VisibilityUUID)
		}
	}
	for _, u := range units {
		class(u.UnitTypeUUID)
		class(u.UnitLevelUUID)
		addrs(u.Addresses)
		system(u.ITUsers)
		for _, m := range u.Managers {
			class(m.ManagerTypeUUID)
			class(m.ManagerLevelUUID)
		}
	}
	for _, p := range people {
		addrs(p.Addresses)
		system(p.ITUsers)
		for _, e := range p.Engagements {
			class(e.JobFunctionUUID)
			class(e.EngagementTypeUUID)
		}
	}
	if len(classes) > 0 {
		err := readPages(ctx, g.c, "mo: read classes", opClassesByUUID, "classes", map[string]any{"uuids": keys(classes)}, func(objs []gqlTemporal[gqlClass]) error {
			for i := range objs {
				if k := latest(objs[i].Validities, func(k *gqlClass) wireValidity { return k.Validity }); k != nil {
					g.classes[k.UUID] = k.class()
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	if len(systems) > 0 {
		err := readPages(ctx, g.c, "mo: read IT systems", opITSystemsByUUID, "itsystems", map[string]any{"uuids": keys(systems)}, func(objs []gqlTemporal[gqlITSystem]) error {
			for i := range objs {
				if s := latest(objs[i].Validities, func(s *gqlITSystem) wireValidity { return s.Validity }); s != nil {
					g.systems[s.UUID] = engine.ITSystem{UUID: s.UUID, UserKey: s.UserKey, Name: s.Name}
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// latest is the slice with the latest start (an open start counts as the
// earliest).
func latest[T any](slices []T, validity func(*T) wireValidity) *T {
	var best *T
	var bestFrom string
	for i := range slices {
		from := validity(&slices[i]).From
		if best == nil || from > bestFrom { // ISO dates of one zone sort as text
			best, bestFrom = &slices[i], from
		}
	}
	return best
}

// bad is a malformed object in an answer.
func (g *gqlReader) bad(op, uuid string, err error) error {
	return engine.E(engine.KindOther, op, pathOf(g.c.cfg.GraphQLURL)+" object "+uuid, fmt.Errorf("%w: %w", errMalformed, err))
}

// pickSlice chooses the state of an object to read: current if MO sent it,
// else the validity slice in force at now, else the earliest future one.
func pickSlice[T any](now time.Time, inclusive bool, o *gqlTemporal[T], validity func(*T) wireValidity) (*T, bool, error) {
	if o.Current != nil {
		return o.Current, true, nil
	}
	var best *T
	var bestV engine.Validity
	for i := range o.Validities {
		v, err := validity(&o.Validities[i]).toValidity(inclusive)
		if err != nil {
			return nil, false, err
		}
		if !v.CurrentOrFuture(now) {
			continue
		}
		if v.ActiveAt(now) {
			return &o.Validities[i], true, nil
		}
		if best == nil || v.From.Before(bestV.From) {
			best, bestV = &o.Validities[i], v
		}
	}
	return best, best != nil, nil
}

func (g *gqlReader) className(id string) string {
	if id == "" {
		return ""
	}
	return g.classes[id].Name
}

func (g *gqlReader) unit(u *gqlUnit) (rawUnit, error) {
	v, err := u.Validity.toValidity(g.inclusive)
	if err != nil {
		return rawUnit{}, err
	}
	ru := rawUnit{
		UUID: u.UUID, UserKey: u.UserKey, Name: u.Name, ParentUUID: u.ParentUUID,
		UnitType: g.className(u.UnitTypeUUID), UnitLevel: g.className(u.UnitLevelUUID), Validity: v,
	}
	if ru.Addresses, err = g.addresses(u.Addresses); err != nil {
		return ru, err
	}
	if ru.ITUsers, err = g.itusers(u.ITUsers); err != nil {
		return ru, err
	}
	ru.Managers = make([]engine.Manager, 0, len(u.Managers))
	for _, m := range u.Managers {
		v, err := m.Validity.toValidity(g.inclusive)
		if err != nil {
			return ru, fmt.Errorf("manager %s: %w", m.UUID, err)
		}
		ru.Managers = append(ru.Managers, engine.Manager{
			UUID: m.UUID, UnitUUID: u.UUID, PersonUUID: m.EmployeeUUID,
			ManagerType: g.className(m.ManagerTypeUUID), ManagerLevel: g.className(m.ManagerLevelUUID), Validity: v,
		})
	}
	return ru, nil
}

func (g *gqlReader) person(p *gqlPerson) (rawPerson, error) {
	rp := rawPerson{
		UUID: p.UUID, UserKey: p.UserKey, CPR: p.CPR,
		GivenName: p.GivenName, Surname: p.Surname,
		NicknameGivenName: p.NicknameGivenName, NicknameSurname: p.NicknameSurname,
	}
	var err error
	if rp.Addresses, err = g.addresses(p.Addresses); err != nil {
		return rp, err
	}
	if rp.ITUsers, err = g.itusers(p.ITUsers); err != nil {
		return rp, err
	}
	rp.Engagements = make([]engine.Engagement, 0, len(p.Engagements))
	for _, e := range p.Engagements {
		v, err := e.Validity.toValidity(g.inclusive)
		if err != nil {
			return rp, fmt.Errorf("engagement %s: %w", e.UUID, err)
		}
		rp.Engagements = append(rp.Engagements, engine.Engagement{
			UUID: e.UUID, UserKey: e.UserKey, UnitUUID: e.OrgUnitUUID,
			JobFunction: g.className(e.JobFunctionUUID), EngagementType: g.className(e.EngagementTypeUUID),
			IsPrimary: e.IsPrimary, Validity: v,
		})
	}
	return rp, nil
}

func (g *gqlReader) addresses(in []gqlAddress) ([]engine.Address, error) {
	out := make([]engine.Address, 0, len(in))
	for _, a := range in {
		v, err := a.Validity.toValidity(g.inclusive)
		if err != nil {
			return nil, fmt.Errorf("address %s: %w", a.UUID, err)
		}
		typ := g.classes[a.TypeUUID]
		ea := engine.Address{UUID: a.UUID, Value: a.Value, Name: a.Name, EngagementUUID: a.EngagementUUID, Validity: v,
			TypeUUID: a.TypeUUID, TypeUserKey: typ.UserKey, Scope: typ.Scope}
		if vis := a.VisibilityUUID; vis != "" {
			ea.VisibilityUUID, ea.Visibility = vis, g.classes[vis].Scope
		}
		out = append(out, ea)
	}
	return out, nil
}

func (g *gqlReader) itusers(in []gqlITUser) ([]engine.ITUser, error) {
	out := make([]engine.ITUser, 0, len(in))
	for _, it := range in {
		v, err := it.Validity.toValidity(g.inclusive)
		if err != nil {
			return nil, fmt.Errorf("IT user %s: %w", it.UUID, err)
		}
		sys := g.systems[it.ITSystemUUID]
		out = append(out, engine.ITUser{UUID: it.UUID, UserKey: it.UserKey, ExternalID: it.ExternalID,
			ITSystemUUID: it.ITSystemUUID, ITSystemUserKey: sys.UserKey, ITSystemName: sys.Name, Validity: v})
	}
	return out, nil
}
