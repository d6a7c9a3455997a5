package motest

import (
	"net/url"
	"time"

	"moxsync/engine"
)

// reqState is what every resolver of one GraphQL request shares: the index
// it reads (fixed for the request), the server's now and the API version.
type reqState struct {
	x         *index
	now       time.Time
	ver       int
	pageCap   int
	moVersion string
}

// validity renders a validity for the request's API version: from v29 the
// end is exclusive; before v29 it is shown one day early (inclusive).
type validity struct {
	q *reqState
	v engine.Validity
}

func (v validity) From() dateTimeOut { return formatDateTime(v.v.From) }

// openValidity is an OpenValidity, whose from may be null.
type openValidity struct{ validity }

func (v openValidity) From() *dateTimeOut {
	if v.v.From.IsZero() {
		return nil
	}
	t := formatDateTime(v.v.From)
	return &t
}

func (v validity) To() *dateTimeOut {
	if v.v.To.IsZero() {
		return nil
	}
	to := v.v.To
	if v.q.ver < 29 {
		to = to.AddDate(0, 0, -1)
	}
	t := formatDateTime(to)
	return &t
}

// response is an XResponse: a uuid with its validity slices. The fake keeps
// one slice per object.
type response[T any] struct {
	q   *reqState
	id  string
	v   engine.Validity
	obj T
}

func (r *response[T]) UUID() gqlUUID { return gqlUUID(r.id) }

func (r *response[T]) Current(args struct{ At *gqlDateTime }) T {
	at := r.q.now
	if args.At != nil {
		at = args.At.Time
	}
	if r.v.ActiveAt(at) {
		return r.obj
	}
	var zero T
	return zero
}

type startEnd struct {
	Start *gqlDateTime
	End   *gqlDateTime
}

func (r *response[T]) Validities(args startEnd) []T {
	var s span
	if args.Start != nil {
		s.from = args.Start.Time
	}
	if args.End != nil {
		s.to = args.End.Time
	}
	if s.overlaps(r.v) {
		return []T{r.obj}
	}
	return []T{}
}

func (r *response[T]) Objects(args startEnd) []T { return r.Validities(args) }

type pageInfo struct{ next *gqlCursor }

func (p pageInfo) NextCursor() *gqlCursor { return p.next }

type paged[T any] struct {
	objs []T
	next *gqlCursor
}

func (p *paged[T]) Objects() []T       { return p.objs }
func (p *paged[T]) PageInfo() pageInfo { return pageInfo{p.next} }

// listArgs are the arguments of a relation list field.
type listArgs struct {
	Filter *objFilter
	Limit  *gqlInt
	Cursor *gqlCursor
}

type listArgsInherit struct {
	Filter  *objFilter
	Limit   *gqlInt
	Cursor  *gqlCursor
	Inherit bool
}

type pageArgs struct {
	Limit  *gqlInt
	Cursor *gqlCursor
}

func strPtr(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// ---- Employee ----

type employee struct {
	q *reqState
	p *Person
}

func (e *employee) UUID() gqlUUID     { return gqlUUID(e.p.UUID) }
func (e *employee) UserKey() string   { return e.p.UserKey }
func (e *employee) Name() string      { return e.p.Name() }
func (e *employee) GivenName() string { return e.p.GivenName }
func (e *employee) Givenname() string { return e.p.GivenName }
func (e *employee) Surname() string   { return e.p.Surname }
func (e *employee) Nickname() string  { return e.p.Nickname() }
func (e *employee) NicknameGivenName() *string {
	return &e.p.NicknameGivenName
}
func (e *employee) NicknameGivenname() *string { return &e.p.NicknameGivenName }
func (e *employee) NicknameSurname() *string   { return &e.p.NicknameSurname }
func (e *employee) Seniority() *dateOut        { return nil }
func (e *employee) CPRNumber() *gqlCPR {
	if e.p.CPR == "" {
		return nil
	}
	c := gqlCPR(e.p.CPR)
	return &c
}
func (e *employee) CPRNo() *gqlCPR { return e.CPRNumber() }
func (e *employee) Validity() openValidity {
	return openValidity{validity{e.q, e.p.Validity}}
}

func (e *employee) Engagements(a listArgs) ([]*engagement, error) {
	return related(e.q, a.Filter, e.q.x.engsByPerson[e.p.UUID], e.q.x.matchEngagement, func(v *Engagement) engine.Validity { return v.Validity }, e.q.engagement)
}

func (e *employee) Addresses(a listArgs) ([]*address, error) {
	return related(e.q, a.Filter, e.q.x.addrsByPerson[e.p.UUID], e.q.x.matchAddress, func(v *Address) engine.Validity { return v.Validity }, e.q.address)
}

func (e *employee) Itusers(a listArgs) ([]*ituser, error) {
	return related(e.q, a.Filter, e.q.x.itusByPerson[e.p.UUID], e.q.x.matchITUser, func(v *ITUser) engine.Validity { return v.Validity }, e.q.ituser)
}

func (e *employee) ManagerRoles(a listArgsInherit) ([]*manager, error) {
	return related(e.q, a.Filter, e.q.x.mgrsByPerson[e.p.UUID], e.q.x.matchManager, func(v *Manager) engine.Validity { return v.Validity }, e.q.manager)
}

func (e *employee) EngagementsResponse(a listArgs) (*paged[*response[*engagement]], error) {
	return relatedPaged(e.q, a, e.q.x.engsByPerson[e.p.UUID], e.q.x.matchEngagement, func(v *Engagement) string { return v.UUID }, func(v *Engagement) engine.Validity { return v.Validity }, e.q.engagement)
}

func (e *employee) AddressesResponse(a listArgs) (*paged[*response[*address]], error) {
	return relatedPaged(e.q, a, e.q.x.addrsByPerson[e.p.UUID], e.q.x.matchAddress, func(v *Address) string { return v.UUID }, func(v *Address) engine.Validity { return v.Validity }, e.q.address)
}

func (e *employee) ItusersResponse(a listArgs) (*paged[*response[*ituser]], error) {
	return relatedPaged(e.q, a, e.q.x.itusByPerson[e.p.UUID], e.q.x.matchITUser, func(v *ITUser) string { return v.UUID }, func(v *ITUser) engine.Validity { return v.Validity }, e.q.ituser)
}

// related filters a relation list by the filter's attributes and its date
// interval (default: now).
func related[T any, R any](q *reqState, f *objFilter, list []*T, match func(*objFilter, *T) bool, val func(*T) engine.Validity, wrap func(*T) R) ([]R, error) {
	s, err := f.interval(q.now)
	if err != nil {
		return nil, err
	}
	out := make([]R, 0, len(list))
	for _, v := range list {
		if s.overlaps(val(v)) && match(f, v) {
			out = append(out, wrap(v))
		}
	}
	return out, nil
}

func relatedPaged[T any, R any](q *reqState, a listArgs, list []*T, match func(*objFilter, *T) bool, id func(*T) string, val func(*T) engine.Validity, wrap func(*T) R) (*paged[*response[R]], error) {
	return page(q, a.Filter, a.Limit, a.Cursor, list, match, id, val, wrap, false)
}

// ---- OrganisationUnit ----

type orgUnit struct {
	q *reqState
	u *Unit
}

func (o *orgUnit) UUID() gqlUUID      { return gqlUUID(o.u.UUID) }
func (o *orgUnit) UserKey() string    { return o.u.UserKey }
func (o *orgUnit) Name() string       { return o.u.Name }
func (o *orgUnit) Validity() validity { return validity{o.q, o.u.Validity} }

// ParentUUID is null for a root unit from v28; before, it is the
// organisation's uuid.
func (o *orgUnit) ParentUUID() *gqlUUID {
	if o.u.ParentUUID == "" {
		if o.q.ver < 28 {
			return optUUID(o.q.x.d.OrgUUID)
		}
		return nil
	}
	return optUUID(o.u.ParentUUID)
}

func (o *orgUnit) Parent() *orgUnit {
	if p := o.q.x.unitBy[o.u.ParentUUID]; p != nil && p.Validity.ActiveAt(o.q.now) {
		return o.q.unit(p)
	}
	return nil
}

func (o *orgUnit) ParentResponse() *response[*orgUnit] {
	if p := o.q.x.unitBy[o.u.ParentUUID]; p != nil {
		return &response[*orgUnit]{o.q, p.UUID, p.Validity, o.q.unit(p)}
	}
	return nil
}

func (o *orgUnit) Ancestors() []*orgUnit {
	var out []*orgUnit
	for _, a := range o.q.x.ancestors(o.u) {
		out = append(out, o.q.unit(a))
	}
	return out
}

func (o *orgUnit) Children(a listArgs) ([]*orgUnit, error) {
	return related(o.q, a.Filter, o.q.x.children[o.u.UUID], o.q.x.matchUnit, func(v *Unit) engine.Validity { return v.Validity }, o.q.unit)
}

func (o *orgUnit) ChildCount(a struct{ Filter *objFilter }) (int32, error) {
	c, err := o.Children(listArgs{Filter: a.Filter})
	return int32(len(c)), err
}

func (o *orgUnit) HasChildren(a struct{ Filter *objFilter }) (bool, error) {
	c, err := o.ChildCount(a)
	return c > 0, err
}

func (o *orgUnit) UnitType() *class           { return o.q.class(o.u.UnitTypeUUID) }
func (o *orgUnit) UnitTypeUUID() *gqlUUID     { return optUUID(o.u.UnitTypeUUID) }
func (o *orgUnit) OrgUnitLevel() *class       { return o.q.class(o.u.UnitLevelUUID) }
func (o *orgUnit) OrgUnitLevelUUID() *gqlUUID { return optUUID(o.u.UnitLevelUUID) }

func (o *orgUnit) Engagements(a listArgs) ([]*engagement, error) {
	return related(o.q, a.Filter, o.q.x.engsByUnit[o.u.UUID], o.q.x.matchEngagement, func(v *Engagement) engine.Validity { return v.Validity }, o.q.engagement)
}

func (o *orgUnit) Addresses(a listArgs) ([]*address, error) {
	return related(o.q, a.Filter, o.q.x.addrsByUnit[o.u.UUID], o.q.x.matchAddress, func(v *Address) engine.Validity { return v.Validity }, o.q.address)
}

func (o *orgUnit) Itusers(a listArgs) ([]*ituser, error) {
	return related(o.q, a.Filter, o.q.x.itusByUnit[o.u.UUID], o.q.x.matchITUser, func(v *ITUser) engine.Validity { return v.Validity }, o.q.ituser)
}

// Managers lists the unit's managers; with inherit, a unit without any
// walks up its parents until one has.
func (o *orgUnit) Managers(a listArgsInherit) ([]*manager, error) {
	for u := o.u; u != nil; u = o.q.x.unitBy[u.ParentUUID] {
		out, err := related(o.q, a.Filter, o.q.x.mgrsByUnit[u.UUID], o.q.x.matchManager, func(v *Manager) engine.Validity { return v.Validity }, o.q.manager)
		if err != nil || len(out) > 0 || !a.Inherit {
			return out, err
		}
	}
	return []*manager{}, nil
}

// ---- Address ----

type address struct {
	q *reqState
	a *Address
}

func (a *address) UUID() gqlUUID      { return gqlUUID(a.a.UUID) }
func (a *address) UserKey() string    { return a.a.UserKey }
func (a *address) Value() string      { return a.a.Value }
func (a *address) Value2() *string    { return nil }
func (a *address) Name() *string      { n := a.q.x.addressName(a.a); return &n }
func (a *address) Validity() validity { return validity{a.q, a.a.Validity} }
func (a *address) Href() *string {
	return addressHref(a.q.x.classBy[a.a.AddressTypeUUID], a.a)
}
func (a *address) AddressType() *class      { return a.q.class(a.a.AddressTypeUUID) }
func (a *address) AddressTypeUUID() gqlUUID { return gqlUUID(a.a.AddressTypeUUID) }
func (a *address) Visibility() *class       { return a.q.class(a.a.VisibilityUUID) }
func (a *address) VisibilityUUID() *gqlUUID { return optUUID(a.a.VisibilityUUID) }
func (a *address) EmployeeUUID() *gqlUUID   { return optUUID(a.a.PersonUUID) }
func (a *address) OrgUnitUUID() *gqlUUID    { return optUUID(a.a.UnitUUID) }
func (a *address) EngagementUUID() *gqlUUID { return optUUID(a.a.EngagementUUID) }
func (a *address) ItuserUUID() *gqlUUID     { return nil }

// addressHref is MO's link for an address: mailto:, tel:, an OpenStreetMap
// search for DAR, the URL for WWW, else null.
func addressHref(c *Class, a *Address) *string {
	if c == nil {
		return nil
	}
	switch c.Scope {
	case "EMAIL":
		return strPtr("mailto:" + a.Value)
	case "PHONE":
		return strPtr("tel:" + a.Value)
	case "WWW":
		return strPtr(a.Value)
	case "DAR":
		if a.DARText != "" {
			return strPtr("https://www.openstreetmap.org/search?query=" + url.QueryEscape(a.DARText))
		}
	}
	return nil
}

// ---- ITUser ----

type ituser struct {
	q *reqState
	i *ITUser
}

func (i *ituser) UUID() gqlUUID            { return gqlUUID(i.i.UUID) }
func (i *ituser) UserKey() string          { return i.i.UserKey }
func (i *ituser) ExternalID() *string      { return strPtr(i.i.ExternalID) }
func (i *ituser) BindingType() *string     { return nil }
func (i *ituser) Validity() validity       { return validity{i.q, i.i.Validity} }
func (i *ituser) ItsystemUUID() gqlUUID    { return gqlUUID(i.i.ITSystemUUID) }
func (i *ituser) EmployeeUUID() *gqlUUID   { return optUUID(i.i.PersonUUID) }
func (i *ituser) OrgUnitUUID() *gqlUUID    { return optUUID(i.i.UnitUUID) }
func (i *ituser) EngagementUUID() *gqlUUID { return optUUID(i.i.EngagementUUID) }
func (i *ituser) PrimaryUUID() *gqlUUID    { return nil }
func (i *ituser) EngagementUUIDs() []gqlUUID {
	if i.i.EngagementUUID == "" {
		return []gqlUUID{}
	}
	return []gqlUUID{gqlUUID(i.i.EngagementUUID)}
}
func (i *ituser) Itsystem() *itsystem {
	return &itsystem{i.q, i.q.x.itsysBy[i.i.ITSystemUUID]}
}

// ---- Engagement ----

type engagement struct {
	q *reqState
	e *Engagement
}

func (e *engagement) UUID() gqlUUID      { return gqlUUID(e.e.UUID) }
func (e *engagement) UserKey() string    { return e.e.UserKey }
func (e *engagement) Validity() validity { return validity{e.q, e.e.Validity} }
func (e *engagement) Fraction() *int32 {
	if e.e.Fraction == 0 {
		return nil
	}
	f := int32(e.e.Fraction)
	return &f
}
func (e *engagement) IsPrimary() bool             { return e.q.x.isPrimary(e.e) }
func (e *engagement) Extension1() *string         { return strPtr(e.e.Extensions[0]) }
func (e *engagement) Extension2() *string         { return strPtr(e.e.Extensions[1]) }
func (e *engagement) Extension3() *string         { return strPtr(e.e.Extensions[2]) }
func (e *engagement) Extension4() *string         { return strPtr(e.e.Extensions[3]) }
func (e *engagement) Extension5() *string         { return strPtr(e.e.Extensions[4]) }
func (e *engagement) Extension6() *string         { return strPtr(e.e.Extensions[5]) }
func (e *engagement) Extension7() *string         { return strPtr(e.e.Extensions[6]) }
func (e *engagement) Extension8() *string         { return strPtr(e.e.Extensions[7]) }
func (e *engagement) Extension9() *string         { return strPtr(e.e.Extensions[8]) }
func (e *engagement) Extension10() *string        { return strPtr(e.e.Extensions[9]) }
func (e *engagement) JobFunction() *class         { return e.q.class(e.e.JobFunctionUUID) }
func (e *engagement) JobFunctionUUID() gqlUUID    { return gqlUUID(e.e.JobFunctionUUID) }
func (e *engagement) EngagementType() *class      { return e.q.class(e.e.EngagementTypeUUID) }
func (e *engagement) EngagementTypeUUID() gqlUUID { return gqlUUID(e.e.EngagementTypeUUID) }
func (e *engagement) Primary() *class             { return e.q.class(e.e.PrimaryUUID) }
func (e *engagement) PrimaryUUID() *gqlUUID       { return optUUID(e.e.PrimaryUUID) }
func (e *engagement) EmployeeUUID() gqlUUID       { return gqlUUID(e.e.PersonUUID) }
func (e *engagement) OrgUnitUUID() gqlUUID        { return gqlUUID(e.e.UnitUUID) }

// ---- Manager ----

type manager struct {
	q *reqState
	m *Manager
}

func (m *manager) UUID() gqlUUID              { return gqlUUID(m.m.UUID) }
func (m *manager) UserKey() string            { return m.m.UserKey }
func (m *manager) Validity() validity         { return validity{m.q, m.m.Validity} }
func (m *manager) EmployeeUUID() *gqlUUID     { return optUUID(m.m.PersonUUID) }
func (m *manager) OrgUnitUUID() gqlUUID       { return gqlUUID(m.m.UnitUUID) }
func (m *manager) ManagerType() *class        { return m.q.class(m.m.ManagerTypeUUID) }
func (m *manager) ManagerTypeUUID() *gqlUUID  { return optUUID(m.m.ManagerTypeUUID) }
func (m *manager) ManagerLevel() *class       { return m.q.class(m.m.ManagerLevelUUID) }
func (m *manager) ManagerLevelUUID() *gqlUUID { return optUUID(m.m.ManagerLevelUUID) }
func (m *manager) Responsibilities() []*class {
	out := []*class{}
	for _, r := range m.m.ResponsibilityUUIDs {
		if c := m.q.class(r); c != nil {
			out = append(out, c)
		}
	}
	return out
}
func (m *manager) ResponsibilityUUIDs() *[]gqlUUID {
	out := make([]gqlUUID, len(m.m.ResponsibilityUUIDs))
	for i, r := range m.m.ResponsibilityUUIDs {
		out[i] = gqlUUID(r)
	}
	return &out
}

// ---- Class, Facet, ITSystem ----

type class struct {
	q *reqState
	c *Class
}

func (c *class) UUID() gqlUUID          { return gqlUUID(c.c.UUID) }
func (c *class) UserKey() string        { return c.c.UserKey }
func (c *class) Name() string           { return c.c.Name }
func (c *class) FullName() string       { return c.c.Name }
func (c *class) Scope() *string         { return strPtr(c.c.Scope) }
func (c *class) Published() *string     { return strPtr(c.c.Published) }
func (c *class) Example() *string       { return nil }
func (c *class) Owner() *gqlUUID        { return nil }
func (c *class) FacetUUID() gqlUUID     { return gqlUUID(c.c.FacetUUID) }
func (c *class) Facet() *facet          { return &facet{c.q, c.q.x.facetBy[c.c.FacetUUID]} }
func (c *class) TopLevelFacet() *facet  { return c.Facet() }
func (c *class) Validity() openValidity { return openValidity{validity{c.q, engine.Validity{}}} }

type facet struct {
	q *reqState
	f *Facet
}

func (f *facet) UUID() gqlUUID          { return gqlUUID(f.f.UUID) }
func (f *facet) UserKey() string        { return f.f.UserKey }
func (f *facet) Published() *string     { return strPtr("Publiceret") }
func (f *facet) Description() *string   { return &f.f.Description }
func (f *facet) Validity() openValidity { return openValidity{validity{f.q, engine.Validity{}}} }

type itsystem struct {
	q *reqState
	s *ITSystem
}

func (s *itsystem) UUID() gqlUUID          { return gqlUUID(s.s.UUID) }
func (s *itsystem) UserKey() string        { return s.s.UserKey }
func (s *itsystem) Name() string           { return s.s.Name }
func (s *itsystem) SystemType() *string    { return strPtr(s.s.SystemType) }
func (s *itsystem) Validity() openValidity { return openValidity{validity{s.q, s.s.Validity}} }

// wrappers

func (q *reqState) person(p *Person) *employee           { return &employee{q, p} }
func (q *reqState) unit(u *Unit) *orgUnit                { return &orgUnit{q, u} }
func (q *reqState) address(a *Address) *address          { return &address{q, a} }
func (q *reqState) ituser(i *ITUser) *ituser             { return &ituser{q, i} }
func (q *reqState) engagement(e *Engagement) *engagement { return &engagement{q, e} }
func (q *reqState) manager(m *Manager) *manager          { return &manager{q, m} }
func (q *reqState) facet(f *Facet) *facet                { return &facet{q, f} }
func (q *reqState) itsystem(s *ITSystem) *itsystem       { return &itsystem{q, s} }
func (q *reqState) class(id string) *class {
	if c := q.x.classBy[id]; c != nil {
		return &class{q, c}
	}
	return nil
}
func (q *reqState) classOf(c *Class) *class { return &class{q, c} }
