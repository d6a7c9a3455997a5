package adtest

import (
	"fmt"
	"slices"

	"moxsync/mo/motest"
)

// moView indexes the parts of an MO dataset that seeding needs.
type moView struct {
	ds        *motest.Dataset
	adSystem  string
	classes   map[string]*motest.Class
	itUsers   map[string][]*motest.ITUser
	engs      map[string][]*motest.Engagement
	addresses map[string][]*motest.Address
	cprs      map[string]bool
	// jobFunctions are the names of MO's job function classes, sorted
	// (made by otherJobFunction).
	jobFunctions []string
}

func newMOView(ds *motest.Dataset) *moView {
	m := &moView{ds: ds, classes: map[string]*motest.Class{}, itUsers: map[string][]*motest.ITUser{},
		engs: map[string][]*motest.Engagement{}, addresses: map[string][]*motest.Address{}, cprs: map[string]bool{}}
	for _, s := range ds.ITSystems {
		if s.UserKey == motest.ADSystemName {
			m.adSystem = s.UUID
		}
	}
	for i := range ds.Classes {
		m.classes[ds.Classes[i].UUID] = &ds.Classes[i]
	}
	for i := range ds.ITUsers {
		u := &ds.ITUsers[i]
		if u.PersonUUID != "" {
			m.itUsers[u.PersonUUID] = append(m.itUsers[u.PersonUUID], u)
		}
	}
	for i := range ds.Engagements {
		e := &ds.Engagements[i]
		m.engs[e.PersonUUID] = append(m.engs[e.PersonUUID], e)
	}
	for i := range ds.Addresses {
		a := &ds.Addresses[i]
		if a.PersonUUID != "" {
			m.addresses[a.PersonUUID] = append(m.addresses[a.PersonUUID], a)
		}
	}
	for _, p := range ds.People {
		if p.CPR != "" {
			m.cprs[p.CPR] = true
		}
	}
	return m
}

// adITUser is the person's current or future AD IT user, or nil.
func (m *moView) adITUser(person string) *motest.ITUser {
	for _, u := range m.itUsers[person] {
		if u.ITSystemUUID == m.adSystem && u.Validity.CurrentOrFuture(m.ds.Today) {
			return u
		}
	}
	return nil
}

// title is the job function of the person's primary engagement (current
// first, else future, else the latest ended) and whether one is current.
func (m *moView) title(person string) (string, bool) {
	var best *motest.Engagement
	rank := func(e *motest.Engagement) int {
		r := 0
		switch {
		case e.Validity.ActiveAt(m.ds.Today):
			r = 4
		case e.Validity.CurrentOrFuture(m.ds.Today):
			r = 2
		}
		if c := m.classes[e.PrimaryUUID]; c != nil && c.UserKey == "primary" {
			r++
		}
		return r
	}
	active := false
	for _, e := range m.engs[person] {
		if e.Validity.ActiveAt(m.ds.Today) {
			active = true
		}
		if best == nil || rank(e) > rank(best) || rank(e) == rank(best) && e.Validity.From.After(best.Validity.From) {
			best = e
		}
	}
	if best == nil {
		return "", false
	}
	if c := m.classes[best.JobFunctionUUID]; c != nil {
		return c.Name, active
	}
	return "", active
}

// address is the value of the person's current address of the given type.
func (m *moView) address(person, typeKey string) string {
	for _, a := range m.addresses[person] {
		if c := m.classes[a.AddressTypeUUID]; c != nil && c.UserKey == typeKey && a.Validity.ActiveAt(m.ds.Today) {
			return a.Value
		}
	}
	return ""
}

// otherJobFunction is a job function MO has that is not title: the
// names of MO's job function classes in order, the i-th one after title.
func (m *moView) otherJobFunction(title string, i int) string {
	if m.jobFunctions == nil {
		facet := ""
		for _, f := range m.ds.Facets {
			if f.UserKey == motest.FacetJobFunction {
				facet = f.UUID
			}
		}
		for _, c := range m.ds.Classes {
			if c.FacetUUID == facet {
				m.jobFunctions = append(m.jobFunctions, c.Name)
			}
		}
		slices.Sort(m.jobFunctions)
	}
	n := len(m.jobFunctions)
	for k := 0; k < n; k++ {
		if name := m.jobFunctions[(i+k)%n]; name != title {
			return name
		}
	}
	return ""
}

// unusedCPR is a well-formed CPR number no MO person has.
func (m *moView) unusedCPR(i int) string {
	for n := i; ; n++ {
		cpr := fmt.Sprintf("%02d%02d%02d%04d", 1+n%28, 1+n%12, 50+n%40, 9000+n%1000)
		if !m.cprs[cpr] {
			m.cprs[cpr] = true
			return cpr
		}
	}
}
