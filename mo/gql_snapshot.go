package mo

import (
	"context"
	"fmt"
	"sort"
	"time"

	"moxsync/engine"
)

// GraphQL answer shapes: only the fields the queries ask for, each of a
// type that tells an absent key from a zero value (wire.go), so that
// check_gql.go can refuse an answer that lacks a selected field. Lists are
// pointers: nil is a list MO did not send.
type (
	gqlClass struct {
		UUID     wstr         `json:"uuid"`
		UserKey  wstr         `json:"user_key"`
		Name     wstr         `json:"name"`
		Scope    wstr         `json:"scope"`
		Facet    *gqlFacet    `json:"facet"`
		Validity wireValidity `json:"validity"`
	}
	gqlFacet struct {
		UserKey wstr `json:"user_key"`
	}
	gqlITSystem struct {
		UUID     wstr         `json:"uuid"`
		UserKey  wstr         `json:"user_key"`
		Name     wstr         `json:"name"`
		Validity wireValidity `json:"validity"`
	}
	gqlAddress struct {
		UUID           wstr         `json:"uuid"`
		Value          wstr         `json:"value"`
		Name           wstr         `json:"name"`
		EngagementUUID wstr         `json:"engagement_uuid"`
		TypeUUID       wstr         `json:"address_type_uuid"`
		VisibilityUUID wstr         `json:"visibility_uuid"`
		Validity       wireValidity `json:"validity"`
	}
	gqlITUser struct {
		UUID         wstr         `json:"uuid"`
		UserKey      wstr         `json:"user_key"`
		ExternalID   wstr         `json:"external_id"`
		ITSystemUUID wstr         `json:"itsystem_uuid"`
		Validity     wireValidity `json:"validity"`
	}
	gqlManager struct {
		UUID             wstr         `json:"uuid"`
		EmployeeUUID     wstr         `json:"employee_uuid"`
		ManagerTypeUUID  wstr         `json:"manager_type_uuid"`
		ManagerLevelUUID wstr         `json:"manager_level_uuid"`
		Validity         wireValidity `json:"validity"`
	}
	gqlEngagement struct {
		UUID               wstr         `json:"uuid"`
		UserKey            wstr         `json:"user_key"`
		OrgUnitUUID        wstr         `json:"org_unit_uuid"`
		IsPrimary          wbool        `json:"is_primary"`
		JobFunctionUUID    wstr         `json:"job_function_uuid"`
		EngagementTypeUUID wstr         `json:"engagement_type_uuid"`
		Validity           wireValidity `json:"validity"`
		wireExtensions                  // those asked for (Config.EngagementExtensions)
	}
	gqlUnit struct {
		UUID          wstr          `json:"uuid"`
		UserKey       wstr          `json:"user_key"`
		Name          wstr          `json:"name"`
		ParentUUID    wstr          `json:"parent_uuid"`
		UnitTypeUUID  wstr          `json:"unit_type_uuid"`
		UnitLevelUUID wstr          `json:"org_unit_level_uuid"`
		Validity      wireValidity  `json:"validity"`
		Addresses     *[]gqlAddress `json:"addresses"`
		Managers      *[]gqlManager `json:"managers"`
		ITUsers       *[]gqlITUser  `json:"itusers"`
	}
	gqlPerson struct {
		UUID              wstr             `json:"uuid"`
		UserKey           wstr             `json:"user_key"`
		CPR               wstr             `json:"cpr_number"`
		GivenName         wstr             `json:"given_name"`
		Surname           wstr             `json:"surname"`
		NicknameGivenName wstr             `json:"nickname_given_name"`
		NicknameSurname   wstr             `json:"nickname_surname"`
		Validity          wireValidity     `json:"validity"`
		Engagements       *[]gqlEngagement `json:"engagements"`
		Addresses         *[]gqlAddress    `json:"addresses"`
		ITUsers           *[]gqlITUser     `json:"itusers"`
	}
	// gqlTemporal is an XResponse: the object's state now (current, which
	// is null when the object is not in force now), or its slices.
	gqlTemporal[T any] struct {
		UUID       wstr    `json:"uuid"`
		Current    wopt[T] `json:"current"`
		Validities *[]T    `json:"validities"`
	}
)

// slices is o's validities (nil when MO sent none).
func (o *gqlTemporal[T]) slices() []T {
	if o.Validities == nil {
		return nil
	}
	return *o.Validities
}

// list is *l, or nil.
func list[T any](l *[]T) []T {
	if l == nil {
		return nil
	}
	return *l
}

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
// IT system uuids the objects refer to. Every page is checked for the
// fields its query selects (check_gql.go) before it is used.
func (c *Client) snapshotGraphQL(ctx context.Context, now time.Time) (*readResult, error) {
	g := &gqlReader{c: c, now: now, inclusive: c.cfg.GraphQLVersion < 29}
	res := &readResult{}
	var (
		units  []*gqlUnit
		people []*gqlPerson
	)
	vars := func() map[string]any { return map[string]any{"now": formatDateTime(now)} }
	ext := c.cfg.GraphQLVersion >= ExternalIDMinGraphQLVersion
	streams := []func(context.Context) error{
		func(ctx context.Context) (err error) {
			res.org, err = c.org(ctx)
			return err
		},
		func(ctx context.Context) error {
			err := readPages(ctx, c, "mo: read IT systems", opITSystems, "itsystems", vars(), checkCurrentITSystem, func(objs []gqlTemporal[gqlITSystem]) error {
				for _, o := range objs {
					if s := o.Current.v; s != nil {
						res.itsystems = append(res.itsystems, s.system())
					}
				}
				return nil
			})
			if err != nil {
				return err
			}
			return readPages(ctx, c, "mo: read classes", opClasses, "classes", vars(), checkCurrentClass, func(objs []gqlTemporal[gqlClass]) error {
				for _, o := range objs {
					if k := o.Current.v; k != nil {
						res.classes = append(res.classes, k.class())
					}
				}
				return nil
			})
		},
		func(ctx context.Context) error {
			return readPages(ctx, c, "mo: read org units", opUnits, "org_units", vars(), checkCurrentUnit, func(objs []gqlTemporal[gqlUnit]) error {
				for i := range objs {
					if u := objs[i].Current.v; u != nil { // else not in force at now
						units = append(units, u)
					}
				}
				return nil
			})
		},
		func(ctx context.Context) error {
			check := func(o *gqlTemporal[gqlPerson]) gap { return checkPersonSlices(o, ext, c.cfg.EngagementExtensions) }
			return readPages(ctx, c, "mo: read employees", peopleQuery(c.cfg.GraphQLVersion, c.cfg.EngagementExtensions...), "employees", vars(), check, func(objs []gqlTemporal[gqlPerson]) error {
				for i := range objs {
					p, ok, err := pickSlice(now, g.inclusive, &objs[i], func(p *gqlPerson) wireValidity { return p.Validity })
					if err != nil {
						return g.bad("mo: read employees", objs[i].UUID.v, err)
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
	// They are what the partial reads that follow need (the vocabulary
	// selects as the snapshot does): no request of their own for an hour.
	c.ev.mu.Lock()
	c.ev.vocab = &vocabulary{readAt: time.Now(), classes: res.classes, systems: res.itsystems}
	c.ev.mu.Unlock()
	if err := g.resolveMissing(ctx, units, people); err != nil {
		return nil, err
	}
	res.units = make([]rawUnit, 0, len(units))
	for _, u := range units {
		ru, err := g.unit(u)
		if err != nil {
			return nil, g.bad("mo: read org units", u.UUID.v, err)
		}
		res.units = append(res.units, ru)
	}
	res.people = make([]rawPerson, 0, len(people))
	for _, p := range people {
		rp, err := g.person(p)
		if err != nil {
			return nil, g.bad("mo: read employees", p.UUID.v, err)
		}
		res.people = append(res.people, rp)
	}
	return res, nil
}

func (k *gqlClass) class() engine.Class {
	cl := engine.Class{UUID: k.UUID.v, UserKey: k.UserKey.v, Name: k.Name.v, Scope: k.Scope.v}
	if k.Facet != nil {
		cl.FacetUserKey = k.Facet.UserKey.v
	}
	return cl
}

func (s *gqlITSystem) system() engine.ITSystem {
	return engine.ITSystem{UUID: s.UUID.v, UserKey: s.UserKey.v, Name: s.Name.v}
}

// resolveMissing reads the classes and IT systems that objects refer to but
// that are not current (so not in the lists): a class that was retired
// while engagements still use it keeps its name. They are used for names
// only, not added to the snapshot's class list.
func (g *gqlReader) resolveMissing(ctx context.Context, units []*gqlUnit, people []*gqlPerson) error {
	classes, systems := map[string]bool{}, map[string]bool{}
	class := func(id wstr) {
		if _, ok := g.classes[id.v]; id.v != "" && !ok {
			classes[id.v] = true
		}
	}
	system := func(its []gqlITUser) {
		for _, it := range its {
			if _, ok := g.systems[it.ITSystemUUID.v]; it.ITSystemUUID.v != "" && !ok {
				systems[it.ITSystemUUID.v] = true
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
		addrs(list(u.Addresses))
		system(list(u.ITUsers))
		for _, m := range list(u.Managers) {
			class(m.ManagerTypeUUID)
			class(m.ManagerLevelUUID)
		}
	}
	for _, p := range people {
		addrs(list(p.Addresses))
		system(list(p.ITUsers))
		for _, e := range list(p.Engagements) {
			class(e.JobFunctionUUID)
			class(e.EngagementTypeUUID)
		}
	}
	if len(classes) > 0 {
		err := readPages(ctx, g.c, "mo: read classes", opClassesByUUID, "classes", map[string]any{"uuids": keys(classes)}, checkClassSlices, func(objs []gqlTemporal[gqlClass]) error {
			for i := range objs {
				if k := latest(objs[i].slices(), func(k *gqlClass) wireValidity { return k.Validity }); k != nil {
					g.classes[k.UUID.v] = k.class()
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	if len(systems) > 0 {
		err := readPages(ctx, g.c, "mo: read IT systems", opITSystemsByUUID, "itsystems", map[string]any{"uuids": keys(systems)}, checkITSystemSlices, func(objs []gqlTemporal[gqlITSystem]) error {
			for i := range objs {
				if s := latest(objs[i].slices(), func(s *gqlITSystem) wireValidity { return s.Validity }); s != nil {
					g.systems[s.UUID.v] = s.system()
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
		from := validity(&slices[i]).From.v
		if best == nil || from > bestFrom { // ISO dates of one zone sort as text
			best, bestFrom = &slices[i], from
		}
	}
	return best
}

// bad is an object in an answer with a value that is not what MO sends
// (a date that is not a date).
func (g *gqlReader) bad(op, uuid string, err error) error {
	return engine.E(engine.KindProtocol, op, pathOf(g.c.cfg.GraphQLURL)+" object "+uuid, fmt.Errorf("%w: %w", errMalformed, err))
}

// pickSlice chooses the state of an object to read: current if MO sent it,
// else the validity slice in force at now, else the earliest future one.
func pickSlice[T any](now time.Time, inclusive bool, o *gqlTemporal[T], validity func(*T) wireValidity) (*T, bool, error) {
	if o.Current.v != nil {
		return o.Current.v, true, nil
	}
	var best *T
	var bestV engine.Validity
	slices := o.slices()
	for i := range slices {
		v, err := validity(&slices[i]).toValidity(inclusive)
		if err != nil {
			return nil, false, err
		}
		if !v.CurrentOrFuture(now) {
			continue
		}
		if v.ActiveAt(now) {
			return &slices[i], true, nil
		}
		if best == nil || v.From.Before(bestV.From) {
			best, bestV = &slices[i], v
		}
	}
	return best, best != nil, nil
}

func (g *gqlReader) className(id wstr) string {
	if id.v == "" {
		return ""
	}
	return g.classes[id.v].Name
}

func (g *gqlReader) unit(u *gqlUnit) (rawUnit, error) {
	v, err := u.Validity.toValidity(g.inclusive)
	if err != nil {
		return rawUnit{}, err
	}
	ru := rawUnit{
		UUID: u.UUID.v, UserKey: u.UserKey.v, Name: u.Name.v, ParentUUID: u.ParentUUID.v,
		UnitType: g.className(u.UnitTypeUUID), UnitLevel: g.className(u.UnitLevelUUID), Validity: v,
	}
	if ru.Addresses, err = g.addresses(list(u.Addresses)); err != nil {
		return ru, err
	}
	if ru.ITUsers, err = g.itusers(list(u.ITUsers)); err != nil {
		return ru, err
	}
	managers := list(u.Managers)
	ru.Managers = make([]engine.Manager, 0, len(managers))
	for _, m := range managers {
		v, err := m.Validity.toValidity(g.inclusive)
		if err != nil {
			return ru, fmt.Errorf("manager %s: %w", m.UUID.v, err)
		}
		ru.Managers = append(ru.Managers, engine.Manager{
			UUID: m.UUID.v, UnitUUID: u.UUID.v, PersonUUID: m.EmployeeUUID.v,
			ManagerType: g.className(m.ManagerTypeUUID), ManagerLevel: g.className(m.ManagerLevelUUID), Validity: v,
		})
	}
	return ru, nil
}

func (g *gqlReader) person(p *gqlPerson) (rawPerson, error) {
	rp := rawPerson{
		UUID: p.UUID.v, UserKey: p.UserKey.v, CPR: p.CPR.v,
		GivenName: p.GivenName.v, Surname: p.Surname.v,
		NicknameGivenName: p.NicknameGivenName.v, NicknameSurname: p.NicknameSurname.v,
	}
	var err error
	if rp.Addresses, err = g.addresses(list(p.Addresses)); err != nil {
		return rp, err
	}
	if rp.ITUsers, err = g.itusers(list(p.ITUsers)); err != nil {
		return rp, err
	}
	engagements := list(p.Engagements)
	rp.Engagements = make([]engine.Engagement, 0, len(engagements))
	for _, e := range engagements {
		v, err := e.Validity.toValidity(g.inclusive)
		if err != nil {
			return rp, fmt.Errorf("engagement %s: %w", e.UUID.v, err)
		}
		rp.Engagements = append(rp.Engagements, engine.Engagement{Extensions: e.values(g.c.cfg.EngagementExtensions),
			UUID: e.UUID.v, UserKey: e.UserKey.v, UnitUUID: e.OrgUnitUUID.v,
			JobFunction: g.className(e.JobFunctionUUID), JobFunctionUUID: e.JobFunctionUUID.v, EngagementType: g.className(e.EngagementTypeUUID),
			IsPrimary: e.IsPrimary.v, Validity: v,
		})
	}
	return rp, nil
}

func (g *gqlReader) addresses(in []gqlAddress) ([]engine.Address, error) {
	out := make([]engine.Address, 0, len(in))
	for _, a := range in {
		v, err := a.Validity.toValidity(g.inclusive)
		if err != nil {
			return nil, fmt.Errorf("address %s: %w", a.UUID.v, err)
		}
		typ := g.classes[a.TypeUUID.v]
		ea := engine.Address{UUID: a.UUID.v, Value: a.Value.v, Name: a.Name.v, EngagementUUID: a.EngagementUUID.v, Validity: v,
			TypeUUID: a.TypeUUID.v, TypeUserKey: typ.UserKey, Scope: typ.Scope}
		if vis := a.VisibilityUUID.v; vis != "" {
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
			return nil, fmt.Errorf("IT user %s: %w", it.UUID.v, err)
		}
		sys := g.systems[it.ITSystemUUID.v]
		out = append(out, engine.ITUser{UUID: it.UUID.v, UserKey: it.UserKey.v, ExternalID: it.ExternalID.v,
			ITSystemUUID: it.ITSystemUUID.v, ITSystemUserKey: sys.UserKey, ITSystemName: sys.Name, Validity: v})
	}
	return out, nil
}
