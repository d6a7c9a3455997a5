package motest

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"moxsync/engine"
)

// objFilter is every GraphQL filter input type of the schema at once:
// graphql-go fills the fields an input type has and leaves the rest nil. A
// nil list means "no restriction"; an empty list matches nothing. Nested
// filters match on attributes only; their dates are not used.
type objFilter struct {
	UUIDs               *[]gqlUUID
	UserKeys            *[]string
	FromDate            nullDateTime
	ToDate              nullDateTime
	Query               *string
	CPRNumbers          *[]gqlCPR
	Names               *[]string
	Name                *[]string
	Parent              *objFilter
	Parents             *[]gqlUUID
	Descendant          *objFilter
	Ancestor            *objFilter
	Facet               *objFilter
	FacetUserKeys       *[]string
	Scope               *[]string
	Employee            *objFilter
	Employees           *[]gqlUUID
	OrgUnit             *objFilter
	OrgUnits            *[]gqlUUID
	AddressType         *objFilter
	AddressTypes        *[]gqlUUID
	AddressTypeUserKeys *[]string
	Engagement          *objFilter
	Visibility          *objFilter
	Itsystem            *objFilter
	ItsystemUUIDs       *[]gqlUUID
	ExternalIDs         *[]string
	JobFunction         *objFilter
	EngagementType      *objFilter
}

// span is a time interval [from, to); zero ends are infinite.
type span struct{ from, to time.Time }

// interval resolves from_date/to_date as MO does: an omitted from_date is
// now, an omitted to_date is from_date + 1 ms, null is infinity.
func (f *objFilter) interval(now time.Time) (span, error) {
	var fd, td nullDateTime
	if f != nil {
		fd, td = f.FromDate, f.ToDate
	}
	var s span
	switch {
	case !fd.Set:
		s.from = now
	case fd.Value != nil:
		s.from = *fd.Value
	}
	switch {
	case td.Set && td.Value != nil:
		s.to = *td.Value
	case td.Set:
	case fd.Set && fd.Value == nil:
		return s, fmt.Errorf("Cannot infer end date from open start date")
	default:
		s.to = s.from.Add(time.Millisecond)
	}
	if !s.from.IsZero() && !s.to.IsZero() && s.to.Before(s.from) {
		return s, fmt.Errorf("from_date must be less than or equal to to_date")
	}
	return s, nil
}

// overlaps reports whether validity v overlaps s.
func (s span) overlaps(v engine.Validity) bool {
	if !s.to.IsZero() && !v.From.IsZero() && !v.From.Before(s.to) {
		return false
	}
	if !s.from.IsZero() && !v.To.IsZero() && !s.from.Before(v.To) {
		return false
	}
	return true
}

func inUUIDs(list *[]gqlUUID, id string) bool {
	if list == nil {
		return true
	}
	return slices.Contains(*list, gqlUUID(id))
}

func inStrings(list *[]string, s string) bool {
	if list == nil {
		return true
	}
	return slices.Contains(*list, s)
}

func (f *objFilter) base(uuid, userKey string) bool {
	return f == nil || (inUUIDs(f.UUIDs, uuid) && inStrings(f.UserKeys, userKey))
}

func (x *index) matchPerson(f *objFilter, p *Person) bool {
	if f == nil {
		return true
	}
	if p == nil || !f.base(p.UUID, p.UserKey) {
		return false
	}
	if f.CPRNumbers != nil && !slices.Contains(*f.CPRNumbers, gqlCPR(p.CPR)) {
		return false
	}
	if f.Query != nil && !matchQuery(*f.Query, p.Name(), p.UserKey, p.CPR) {
		return false
	}
	return true
}

func matchQuery(q string, fields ...string) bool {
	all := strings.ToLower(strings.Join(fields, " "))
	for _, w := range strings.Fields(strings.ToLower(q)) {
		if !strings.Contains(all, w) {
			return false
		}
	}
	return true
}

func (x *index) matchUnit(f *objFilter, u *Unit) bool {
	if f == nil {
		return true
	}
	if u == nil || !f.base(u.UUID, u.UserKey) || !inStrings(f.Names, u.Name) || !inUUIDs(f.Parents, u.ParentUUID) {
		return false
	}
	if f.Query != nil && !matchQuery(*f.Query, u.Name, u.UserKey) {
		return false
	}
	if f.Parent != nil && !x.matchUnit(f.Parent, x.unitBy[u.ParentUUID]) {
		return false
	}
	if f.Ancestor != nil {
		ok := x.matchUnit(f.Ancestor, u)
		for p := x.unitBy[u.ParentUUID]; !ok && p != nil; p = x.unitBy[p.ParentUUID] {
			ok = x.matchUnit(f.Ancestor, p)
		}
		if !ok {
			return false
		}
	}
	if f.Descendant != nil && !x.hasDescendant(f.Descendant, u, 0) {
		return false
	}
	return true
}

func (x *index) hasDescendant(f *objFilter, u *Unit, depth int) bool {
	if x.matchUnit(f, u) {
		return true
	}
	if depth > 100 {
		return false
	}
	for _, c := range x.children[u.UUID] {
		if x.hasDescendant(f, c, depth+1) {
			return true
		}
	}
	return false
}

func (x *index) matchClass(f *objFilter, c *Class) bool {
	if f == nil {
		return true
	}
	if c == nil || !f.base(c.UUID, c.UserKey) || !inStrings(f.Name, c.Name) || !inStrings(f.Scope, c.Scope) {
		return false
	}
	if f.FacetUserKeys != nil && !inStrings(f.FacetUserKeys, x.facetKey(c)) {
		return false
	}
	if f.Facet != nil {
		fa := x.facetBy[c.FacetUUID]
		if fa == nil || !f.Facet.base(fa.UUID, fa.UserKey) {
			return false
		}
	}
	return true
}

func (x *index) matchITSystem(f *objFilter, s *ITSystem) bool {
	return f == nil || (s != nil && f.base(s.UUID, s.UserKey))
}

func (x *index) matchEngagement(f *objFilter, e *Engagement) bool {
	if f == nil {
		return true
	}
	if e == nil || !f.base(e.UUID, e.UserKey) || !inUUIDs(f.Employees, e.PersonUUID) || !inUUIDs(f.OrgUnits, e.UnitUUID) {
		return false
	}
	return (f.Employee == nil || x.matchPerson(f.Employee, x.personBy[e.PersonUUID])) &&
		(f.OrgUnit == nil || x.matchUnit(f.OrgUnit, x.unitBy[e.UnitUUID])) &&
		(f.JobFunction == nil || x.matchClass(f.JobFunction, x.classBy[e.JobFunctionUUID])) &&
		(f.EngagementType == nil || x.matchClass(f.EngagementType, x.classBy[e.EngagementTypeUUID]))
}

func (x *index) matchAddress(f *objFilter, a *Address) bool {
	if f == nil {
		return true
	}
	if !f.base(a.UUID, a.UserKey) || !inUUIDs(f.Employees, a.PersonUUID) || !inUUIDs(f.OrgUnits, a.UnitUUID) || !inUUIDs(f.AddressTypes, a.AddressTypeUUID) {
		return false
	}
	if f.AddressTypeUserKeys != nil {
		c := x.classBy[a.AddressTypeUUID]
		if c == nil || !inStrings(f.AddressTypeUserKeys, c.UserKey) {
			return false
		}
	}
	return (f.Employee == nil || x.matchPerson(f.Employee, x.personBy[a.PersonUUID])) &&
		(f.OrgUnit == nil || x.matchUnit(f.OrgUnit, x.unitBy[a.UnitUUID])) &&
		(f.AddressType == nil || x.matchClass(f.AddressType, x.classBy[a.AddressTypeUUID])) &&
		(f.Visibility == nil || x.matchClass(f.Visibility, x.classBy[a.VisibilityUUID])) &&
		(f.Engagement == nil || x.matchEngagement(f.Engagement, x.engBy[a.EngagementUUID]))
}

func (x *index) matchITUser(f *objFilter, it *ITUser) bool {
	if f == nil {
		return true
	}
	if !f.base(it.UUID, it.UserKey) || !inUUIDs(f.Employees, it.PersonUUID) || !inUUIDs(f.OrgUnits, it.UnitUUID) ||
		!inUUIDs(f.ItsystemUUIDs, it.ITSystemUUID) || !inStrings(f.ExternalIDs, it.ExternalID) {
		return false
	}
	return (f.Employee == nil || x.matchPerson(f.Employee, x.personBy[it.PersonUUID])) &&
		(f.OrgUnit == nil || x.matchUnit(f.OrgUnit, x.unitBy[it.UnitUUID])) &&
		(f.Itsystem == nil || x.matchITSystem(f.Itsystem, x.itsysBy[it.ITSystemUUID])) &&
		(f.Engagement == nil || x.matchEngagement(f.Engagement, x.engBy[it.EngagementUUID]))
}

func (x *index) matchManager(f *objFilter, m *Manager) bool {
	if f == nil {
		return true
	}
	if !f.base(m.UUID, m.UserKey) || !inUUIDs(f.Employees, m.PersonUUID) || !inUUIDs(f.OrgUnits, m.UnitUUID) {
		return false
	}
	return (f.Employee == nil || x.matchPerson(f.Employee, x.personBy[m.PersonUUID])) &&
		(f.OrgUnit == nil || x.matchUnit(f.OrgUnit, x.unitBy[m.UnitUUID]))
}
