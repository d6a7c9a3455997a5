package motest

import (
	"context"
	"errors"
	"slices"
	"strings"

	"moxsync/engine"
)

// gqlRoot resolves Query and Mutation. The per-request state travels in the
// context, put there by the HTTP handler.
type gqlRoot struct{ s *Server }

type ctxKey int

const (
	ctxReq ctxKey = iota
	ctxAuthed
)

var errNotAuthenticated = errors.New("User is not authenticated")

// req returns the request's state, or the "not authenticated" error.
func (r *gqlRoot) req(ctx context.Context) (*reqState, error) {
	if ok, _ := ctx.Value(ctxAuthed).(bool); !ok {
		return nil, errNotAuthenticated
	}
	return ctx.Value(ctxReq).(*reqState), nil
}

type queryArgs struct {
	Filter *objFilter
	Limit  *gqlInt
	Cursor *gqlCursor
}

type queryArgsInherit struct {
	Filter  *objFilter
	Limit   *gqlInt
	Cursor  *gqlCursor
	Inherit bool
}

// page is MO's keyset paging: objects matching the filter and overlapping
// its interval, ordered by uuid, after the cursor, at most limit of them (and
// at most the server's PageCap, so pages may come back short). next_cursor
// is null when nothing matches after the page.
func page[T any, R any](q *reqState, f *objFilter, limit *gqlInt, cur *gqlCursor, list []*T,
	match func(*objFilter, *T) bool, id func(*T) string, val func(*T) engine.Validity, wrap func(*T) R, capped bool,
) (*paged[*response[R]], error) {
	s, err := f.interval(q.now)
	if err != nil {
		return nil, err
	}
	after, err := cur.last()
	if err != nil {
		return nil, err
	}
	n := -1
	if limit != nil {
		n = int(*limit)
		if capped && q.pageCap > 0 && n > q.pageCap {
			n = q.pageCap
		}
	}
	out := &paged[*response[R]]{objs: []*response[R]{}}
	i := seek(list, id, after)
	for ; i < len(list); i++ {
		v := list[i]
		if !s.overlaps(val(v)) || !match(f, v) {
			continue
		}
		if n >= 0 && len(out.objs) == n {
			last := after
			if n > 0 {
				last = out.objs[n-1].id
			}
			if last == "" {
				last = "00000000-0000-0000-0000-000000000000"
			}
			out.next = makeCursor(last)
			break
		}
		out.objs = append(out.objs, &response[R]{q, id(v), val(v), wrap(v)})
	}
	return out, nil
}

// candidates narrows a uuid-sorted list to the uuids a filter names.
func candidates[T any](f *objFilter, list []*T, by map[string]*T) []*T {
	if f == nil || f.UUIDs == nil {
		return list
	}
	out := make([]*T, 0, len(*f.UUIDs))
	for _, u := range *f.UUIDs {
		if v := by[string(u)]; v != nil {
			out = append(out, v)
		}
	}
	return out
}

func sortedCandidates[T any](f *objFilter, list []*T, by map[string]*T, id func(*T) string) []*T {
	out := candidates(f, list, by)
	if f != nil && f.UUIDs != nil {
		slices.SortFunc(out, func(a, b *T) int { return strings.Compare(id(a), id(b)) })
		out = slices.CompactFunc(out, func(a, b *T) bool { return id(a) == id(b) })
	}
	return out
}

func (r *gqlRoot) Employees(ctx context.Context, a queryArgs) (*paged[*response[*employee]], error) {
	q, err := r.req(ctx)
	if err != nil {
		return nil, err
	}
	return employeesPage(q, a)
}

func employeesPage(q *reqState, a queryArgs) (*paged[*response[*employee]], error) {
	x := q.x
	list := sortedCandidates(a.Filter, x.people, x.personBy, personID)
	if a.Filter != nil && a.Filter.CPRNumbers != nil && a.Filter.UUIDs == nil {
		list = nil
		for _, c := range *a.Filter.CPRNumbers {
			list = append(list, x.cprIndex[string(c)]...)
		}
		slices.SortFunc(list, func(a, b *Person) int { return strings.Compare(a.UUID, b.UUID) })
		list = slices.Compact(list)
	}
	return page(q, a.Filter, a.Limit, a.Cursor, list, x.matchPerson, personID, personVal, q.person, true)
}

// Id and validity accessors per kind.
func personID(v *Person) string              { return v.UUID }
func personVal(v *Person) engine.Validity    { return v.Validity }
func unitID(v *Unit) string                  { return v.UUID }
func unitVal(v *Unit) engine.Validity        { return v.Validity }
func addrID(v *Address) string               { return v.UUID }
func addrVal(v *Address) engine.Validity     { return v.Validity }
func ituID(v *ITUser) string                 { return v.UUID }
func ituVal(v *ITUser) engine.Validity       { return v.Validity }
func engID(v *Engagement) string             { return v.UUID }
func engVal(v *Engagement) engine.Validity   { return v.Validity }
func mgrID(v *Manager) string                { return v.UUID }
func mgrVal(v *Manager) engine.Validity      { return v.Validity }
func classID(v *Class) string                { return v.UUID }
func facetID(v *Facet) string                { return v.UUID }
func itsysID(v *ITSystem) string             { return v.UUID }
func itsysVal(v *ITSystem) engine.Validity   { return v.Validity }
func matchFacet(f *objFilter, v *Facet) bool { return f.base(v.UUID, v.UserKey) }

// engine0 is the open validity of classes and facets.
var engine0 engine.Validity

func (r *gqlRoot) Persons(ctx context.Context, a queryArgs) (*paged[*response[*employee]], error) {
	return r.Employees(ctx, a)
}

func (r *gqlRoot) OrgUnits(ctx context.Context, a queryArgs) (*paged[*response[*orgUnit]], error) {
	q, err := r.req(ctx)
	if err != nil {
		return nil, err
	}
	x := q.x
	list := sortedCandidates(a.Filter, x.units, x.unitBy, func(v *Unit) string { return v.UUID })
	return page(q, a.Filter, a.Limit, a.Cursor, list, x.matchUnit, func(v *Unit) string { return v.UUID }, func(v *Unit) engine.Validity { return v.Validity }, q.unit, true)
}

func (r *gqlRoot) Addresses(ctx context.Context, a queryArgs) (*paged[*response[*address]], error) {
	q, err := r.req(ctx)
	if err != nil {
		return nil, err
	}
	x := q.x
	list := ownerCandidates(a.Filter, sortedCandidates(a.Filter, x.addrs, x.addrBy, addrID), x.addrsByPerson, addrID)
	return page(q, a.Filter, a.Limit, a.Cursor, list, x.matchAddress, func(v *Address) string { return v.UUID }, func(v *Address) engine.Validity { return v.Validity }, q.address, true)
}

func (r *gqlRoot) Itusers(ctx context.Context, a queryArgs) (*paged[*response[*ituser]], error) {
	q, err := r.req(ctx)
	if err != nil {
		return nil, err
	}
	x := q.x
	list := ownerCandidates(a.Filter, sortedCandidates(a.Filter, x.itus, x.ituBy, ituID), x.itusByPerson, ituID)
	return page(q, a.Filter, a.Limit, a.Cursor, list, x.matchITUser, func(v *ITUser) string { return v.UUID }, func(v *ITUser) engine.Validity { return v.Validity }, q.ituser, true)
}

func (r *gqlRoot) Engagements(ctx context.Context, a queryArgs) (*paged[*response[*engagement]], error) {
	q, err := r.req(ctx)
	if err != nil {
		return nil, err
	}
	x := q.x
	list := sortedCandidates(a.Filter, x.engs, x.engBy, func(v *Engagement) string { return v.UUID })
	return page(q, a.Filter, a.Limit, a.Cursor, list, x.matchEngagement, func(v *Engagement) string { return v.UUID }, func(v *Engagement) engine.Validity { return v.Validity }, q.engagement, true)
}

func (r *gqlRoot) Managers(ctx context.Context, a queryArgsInherit) (*paged[*response[*manager]], error) {
	q, err := r.req(ctx)
	if err != nil {
		return nil, err
	}
	return managersPage(q, queryArgs{a.Filter, a.Limit, a.Cursor}, a.Inherit)
}

// managersPage is the managers query. With inherit and an org_unit filter
// naming units, a unit without a matching manager is answered with the
// managers of its nearest ancestor that has one, as MO does.
func managersPage(q *reqState, a queryArgs, inherit bool) (*paged[*response[*manager]], error) {
	x := q.x
	f := a.Filter
	if !inherit || f == nil || f.OrgUnit == nil || f.OrgUnit.UUIDs == nil {
		list := sortedCandidates(f, x.mgrs, x.mgrBy, mgrID)
		return page(q, f, a.Limit, a.Cursor, list, x.matchManager, mgrID, mgrVal, q.manager, true)
	}
	s, err := f.interval(q.now)
	if err != nil {
		return nil, err
	}
	rest := *f
	rest.OrgUnit = nil
	var list []*Manager
	for _, id := range *f.OrgUnit.UUIDs {
		for u := x.unitBy[string(id)]; u != nil; u = x.unitBy[u.ParentUUID] {
			var found []*Manager
			for _, m := range x.mgrsByUnit[u.UUID] {
				if s.overlaps(m.Validity) && x.matchManager(&rest, m) {
					found = append(found, m)
				}
			}
			if len(found) > 0 {
				list = append(list, found...)
				break
			}
		}
	}
	slices.SortFunc(list, func(a, b *Manager) int { return strings.Compare(a.UUID, b.UUID) })
	list = slices.Compact(list)
	return page(q, &rest, a.Limit, a.Cursor, list, x.matchManager, mgrID, mgrVal, q.manager, true)
}

func openVal[T any](*T) engine.Validity { return engine.Validity{} }

func (r *gqlRoot) Classes(ctx context.Context, a queryArgs) (*paged[*response[*class]], error) {
	q, err := r.req(ctx)
	if err != nil {
		return nil, err
	}
	x := q.x
	list := sortedCandidates(a.Filter, x.classes, x.classBy, func(v *Class) string { return v.UUID })
	return page(q, a.Filter, a.Limit, a.Cursor, list, x.matchClass, func(v *Class) string { return v.UUID }, openVal[Class], q.classOf, true)
}

func (r *gqlRoot) Facets(ctx context.Context, a queryArgs) (*paged[*response[*facet]], error) {
	q, err := r.req(ctx)
	if err != nil {
		return nil, err
	}
	x := q.x
	list := sortedCandidates(a.Filter, x.facets, x.facetBy, func(v *Facet) string { return v.UUID })
	match := func(f *objFilter, v *Facet) bool { return f.base(v.UUID, v.UserKey) }
	return page(q, a.Filter, a.Limit, a.Cursor, list, match, func(v *Facet) string { return v.UUID }, openVal[Facet], q.facet, true)
}

func (r *gqlRoot) Itsystems(ctx context.Context, a queryArgs) (*paged[*response[*itsystem]], error) {
	q, err := r.req(ctx)
	if err != nil {
		return nil, err
	}
	x := q.x
	list := sortedCandidates(a.Filter, x.itsys, x.itsysBy, func(v *ITSystem) string { return v.UUID })
	return page(q, a.Filter, a.Limit, a.Cursor, list, x.matchITSystem, func(v *ITSystem) string { return v.UUID }, func(v *ITSystem) engine.Validity { return v.Validity }, q.itsystem, true)
}

type organisation struct{ d *Dataset }

func (o organisation) UUID() gqlUUID   { return gqlUUID(o.d.OrgUUID) }
func (o organisation) UserKey() string { return o.d.OrgUserKey }
func (o organisation) Name() string    { return o.d.OrgName }

func (r *gqlRoot) Org(ctx context.Context) (*organisation, error) {
	q, err := r.req(ctx)
	if err != nil {
		return nil, err
	}
	return &organisation{q.x.d}, nil
}

type version struct{ v string }

func (v version) MoVersion() *string { return &v.v }
func (v version) MoHash() *string    { h := "880bd2009baccbdf795a8cef3b5b32b42c91c51b"; return &h }

func (r *gqlRoot) Version(ctx context.Context) (*version, error) {
	if _, err := r.req(ctx); err != nil {
		return nil, err
	}
	return &version{r.s.moVersion()}, nil
}
