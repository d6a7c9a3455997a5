package motest

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"moxsync/engine"
)

// serveREST answers the legacy /service API (mo-api.md §1): auth first, then
// the routes with MO's trailing-slash rules; any other GET is 404
// E_NO_SUCH_ENDPOINT, any other method 405.
func (s *Server) serveREST(w http.ResponseWriter, r *http.Request) {
	switch res, msg := s.authenticate(r); res {
	case authMissing:
		writeJSON(w, http.StatusUnauthorized, "Not authenticated")
		return
	case authBad:
		writeJSON(w, http.StatusUnauthorized, map[string]any{"status": "Unauthorized", "msg": msg})
		return
	}
	path := strings.TrimPrefix(r.URL.Path, "/service/")
	if r.Method == http.MethodPost {
		switch path {
		case "details/create":
			s.restCreate(w, r)
		case "details/edit":
			s.restEdit(w, r)
		case "details/terminate":
			s.restWrite(w, r, http.StatusOK, s.restTerminateOne)
		case "e/create":
			s.restWrite(w, r, http.StatusCreated, s.restCreatePerson)
		default:
			writeJSON(w, http.StatusMethodNotAllowed, map[string]any{"detail": "Method Not Allowed"})
		}
		return
	}
	if r.Method != http.MethodGet {
		writeJSON(w, http.StatusMethodNotAllowed, map[string]any{"detail": "Method Not Allowed"})
		return
	}
	s.rw.RLock()
	defer s.rw.RUnlock()
	rq, e := s.newRESTRead(r)
	if e != nil {
		writeMOError(w, e)
		return
	}
	seg := strings.Split(path, "/")
	var body any
	switch {
	case match(seg, "o", ""):
		body = []any{rq.org()}
	case match(seg, "o", "*", ""):
		body, e = rq.orgCounts(seg[1])
	case match(seg, "o", "*", "ou", ""):
		body, e = rq.unitList(seg[1])
	case match(seg, "o", "*", "e", ""):
		body, e = rq.employeeList(seg[1])
	case match(seg, "o", "*", "it", ""):
		body, e = rq.itsystemList(seg[1])
	case match(seg, "o", "*", "f", ""):
		body, e = rq.facetList(seg[1])
	case match(seg, "o", "*", "f", "*", ""):
		body, e = rq.facetClasses(seg[3])
	case match(seg, "f", "*", ""):
		body, e = rq.facetClasses(seg[1])
	case match(seg, "o", "*", "children"):
		body, e = rq.children(seg[1], "")
	case match(seg, "ou", "*", "children"):
		body, e = rq.children("", seg[1])
	case match(seg, "ou", "*", ""):
		body, e = rq.unit(seg[1])
	case match(seg, "e", "*", ""):
		body, e = rq.employee(seg[1])
	case match(seg, "e", "*", "details", ""), match(seg, "ou", "*", "details", ""):
		body, e = rq.detailFlags(seg[0], seg[1])
	case match(seg, "e", "*", "details", "*"), match(seg, "ou", "*", "details", "*"):
		body, e = rq.details(seg[0], seg[1], seg[3])
	default:
		e = errNoSuchEndpoint()
	}
	if e != nil {
		writeMOError(w, e)
		return
	}
	writeJSON(w, http.StatusOK, body)
}

// match compares path segments; "*" matches any non-empty segment.
func match(seg []string, pat ...string) bool {
	if len(seg) != len(pat) {
		return false
	}
	for i, p := range pat {
		if p == "*" {
			if seg[i] == "" {
				return false
			}
		} else if seg[i] != p {
			return false
		}
	}
	return true
}

// restRead is one REST read: the index, the reference instant and the
// temporal selection.
type restRead struct {
	s       *Server
	x       *index
	r       *http.Request
	at      time.Time
	keep    func(engine.Validity) bool
	primary bool // only_primary_uuid
}

func truthy(v string) bool {
	switch strings.ToLower(v) {
	case "", "0", "false", "no", "off":
		return false
	}
	return true
}

func (s *Server) newRESTRead(r *http.Request) (*restRead, *moError) {
	q := r.URL.Query()
	rq := &restRead{s: s, x: s.idx.Load(), r: r, at: s.opts.Now(), primary: truthy(q.Get("only_primary_uuid"))}
	if v := q.Get("at"); v != "" {
		t, err := parseMOTime(v)
		if err != nil {
			return nil, errInvalidInput("Invalid date: "+v, "at", v)
		}
		rq.at = t
	}
	at := rq.at
	switch v := q.Get("validity"); v {
	case "", "present":
		rq.keep = func(val engine.Validity) bool { return val.ActiveAt(at) }
	case "past":
		rq.keep = func(val engine.Validity) bool { return !val.To.IsZero() && !val.To.After(at) }
	case "future":
		rq.keep = func(val engine.Validity) bool { return !val.From.IsZero() && val.From.After(at) }
	default:
		a, b, ok := strings.Cut(v, "/")
		from, err1 := parseMOTime(a)
		to, err2 := parseMOTime(b)
		if !ok || err1 != nil || err2 != nil {
			return nil, errInvalidInput("Invalid validity: "+v, "validity", v)
		}
		sp := span{from, to}
		rq.keep = sp.overlaps
	}
	return rq, nil
}

func badUUID(name, v string) *moError {
	return errInvalidInput("Invalid input.", "request", map[string]any{name: v},
		"errors", []any{map[string]any{"type": "uuid_parsing", "loc": []string{"path", name}, "msg": "Input should be a valid UUID", "input": v}})
}

func checkUUID(name, v string) *moError {
	if _, err := uuid.Parse(v); err != nil {
		return badUUID(name, v)
	}
	return nil
}

// restDate renders a REST date; ends are inclusive (one day before the
// exclusive end).
func restDate(t time.Time, end bool) any {
	if t.IsZero() {
		return nil
	}
	if end {
		t = t.Add(-time.Nanosecond)
	}
	return t.In(copenhagen).Format("2006-01-02")
}

func restValidity(v engine.Validity) map[string]any {
	return map[string]any{"from": restDate(v.From, false), "to": restDate(v.To, true)}
}

func (rq *restRead) ref(id string) map[string]any { return map[string]any{"uuid": id} }

func (rq *restRead) org() map[string]any {
	d := rq.x.d
	return map[string]any{"name": d.OrgName, "user_key": d.OrgUserKey, "uuid": d.OrgUUID}
}

func (rq *restRead) orgRef() map[string]any {
	if rq.primary {
		return rq.ref(rq.x.d.OrgUUID)
	}
	return rq.org()
}

func (rq *restRead) personMin(p *Person) any {
	if p == nil {
		return nil
	}
	if rq.primary {
		return rq.ref(p.UUID)
	}
	return map[string]any{
		"givenname": p.GivenName, "surname": p.Surname, "name": p.Name(),
		"nickname_givenname": p.NicknameGivenName, "nickname_surname": p.NicknameSurname, "nickname": p.Nickname(),
		"uuid": p.UUID, "seniority": nil,
	}
}

func (rq *restRead) personFull(p *Person) map[string]any {
	m := map[string]any{
		"givenname": p.GivenName, "surname": p.Surname, "name": p.Name(),
		"nickname_givenname": p.NicknameGivenName, "nickname_surname": p.NicknameSurname, "nickname": p.Nickname(),
		"uuid": p.UUID, "seniority": nil, "user_key": p.UserKey, "org": rq.orgRef(),
	}
	if p.CPR != "" {
		m["cpr_no"] = p.CPR
	}
	return m
}

func (rq *restRead) unitMin(u *Unit) any {
	if u == nil {
		return nil
	}
	if rq.primary {
		return rq.ref(u.UUID)
	}
	return map[string]any{"name": u.Name, "user_key": u.UserKey, "uuid": u.UUID, "validity": restValidity(u.Validity)}
}

func (rq *restRead) facetShape(f *Facet) map[string]any {
	if f == nil {
		return nil
	}
	return map[string]any{"uuid": f.UUID, "user_key": f.UserKey, "description": f.Description}
}

func (rq *restRead) class(id string) any {
	c := rq.x.classBy[id]
	if c == nil {
		return nil
	}
	if rq.primary {
		return rq.ref(c.UUID)
	}
	f := rq.facetShape(rq.x.facetBy[c.FacetUUID])
	var scope any
	if c.Scope != "" {
		scope = c.Scope
	}
	return map[string]any{
		"uuid": c.UUID, "name": c.Name, "user_key": c.UserKey, "example": nil, "scope": scope, "owner": nil,
		"published": c.Published, "full_name": c.Name, "facet": f, "top_level_facet": f,
	}
}

func (rq *restRead) unitFull(u *Unit, depth int) map[string]any {
	var names []string
	for _, a := range rq.x.ancestors(u) {
		names = append(names, a.Name)
	}
	slices.Reverse(names)
	m := map[string]any{
		"name": u.Name, "user_key": u.UserKey, "uuid": u.UUID, "validity": restValidity(u.Validity),
		"org": rq.orgRef(), "org_unit_type": rq.class(u.UnitTypeUUID), "org_unit_level": rq.class(u.UnitLevelUUID),
		"time_planning": nil, "parent": nil, "location": strings.Join(names, "\\"),
		"user_settings": map[string]any{"orgunit": map[string]any{}},
	}
	if p := rq.x.unitBy[u.ParentUUID]; p != nil {
		if rq.primary || depth > 100 {
			m["parent"] = rq.ref(p.UUID)
		} else {
			m["parent"] = rq.unitFull(p, depth+1)
		}
	}
	return m
}

// paging applies start and limit (0 = all) to n items.
func (rq *restRead) paging(n int) (int, int, *moError) {
	q := rq.r.URL.Query()
	start, limit := 0, 0
	var err error
	if v := q.Get("start"); v != "" {
		if start, err = strconv.Atoi(v); err != nil || start < 0 {
			return 0, 0, errInvalidInput("Invalid input.", "request", map[string]any{"start": v})
		}
	}
	if v := q.Get("limit"); v != "" {
		if limit, err = strconv.Atoi(v); err != nil || limit < 0 {
			return 0, 0, errInvalidInput("Invalid input.", "request", map[string]any{"limit": v})
		}
	}
	start = min(start, n)
	end := n
	if limit > 0 {
		end = min(start+limit, n)
	}
	return start, end, nil
}

func (rq *restRead) orgCounts(org string) (any, *moError) {
	if e := checkUUID("orgid", org); e != nil {
		return nil, e
	}
	m := rq.org()
	roots := 0
	for _, u := range rq.x.units {
		if u.ParentUUID == "" && u.Validity.ActiveAt(rq.at) {
			roots++
		}
	}
	m["child_count"], m["person_count"], m["unit_count"] = roots, len(rq.x.people), len(rq.x.units)
	m["engagement_count"], m["manager_count"] = len(rq.x.engs), len(rq.x.mgrs)
	m["association_count"], m["leave_count"], m["role_count"] = 0, 0, 0
	return m, nil
}

// unitList is /o/{org}/ou/: units present at `at`, optionally under
// `root` (the root and its descendants) and matching `query`, by uuid.
func (rq *restRead) unitList(org string) (any, *moError) {
	if e := checkUUID("orgid", org); e != nil {
		return nil, e
	}
	q := rq.r.URL.Query()
	root, query := q.Get("root"), q.Get("query")
	if root != "" {
		if e := checkUUID("root", root); e != nil {
			return nil, e
		}
	}
	var hits []*Unit
	for _, u := range rq.x.units {
		if !u.Validity.ActiveAt(rq.at) || (root != "" && !rq.x.inSubtree(u.UUID, root)) || (query != "" && !matchQuery(query, u.Name, u.UserKey)) {
			continue
		}
		hits = append(hits, u)
	}
	start, end, e := rq.paging(len(hits))
	if e != nil {
		return nil, e
	}
	items := make([]any, 0, end-start)
	nchildren := q.Get("details") == "nchildren"
	for _, u := range hits[start:end] {
		m := map[string]any{"name": u.Name, "user_key": u.UserKey, "uuid": u.UUID, "validity": restValidity(u.Validity)}
		if nchildren {
			m["child_count"] = rq.childCount(u.UUID)
		}
		items = append(items, m)
	}
	return map[string]any{"total": len(hits), "offset": start, "items": items}, nil
}

func (rq *restRead) childCount(id string) int {
	n := 0
	for _, c := range rq.x.children[id] {
		if c.Validity.ActiveAt(rq.at) {
			n++
		}
	}
	return n
}

// employeeList is /o/{org}/e/: a 10-digit valid CPR as query matches
// exactly, other digit strings match nothing, words match names.
func (rq *restRead) employeeList(org string) (any, *moError) {
	if e := checkUUID("orgid", org); e != nil {
		return nil, e
	}
	query := strings.TrimSpace(rq.r.URL.Query().Get("query"))
	var hits []*Person
	switch {
	case query == "":
		hits = rq.x.people
	case ValidCPR(query):
		hits = rq.x.cprIndex[query]
	case engine.DigitsOnly(query) == query:
	default:
		for _, p := range rq.x.people {
			if matchQuery(query, p.Name(), p.UserKey) {
				hits = append(hits, p)
			}
		}
	}
	var present []*Person
	for _, p := range hits {
		if p.Validity.ActiveAt(rq.at) {
			present = append(present, p)
		}
	}
	start, end, e := rq.paging(len(present))
	if e != nil {
		return nil, e
	}
	items := make([]any, 0, end-start)
	for _, p := range present[start:end] {
		items = append(items, rq.personFull(p))
	}
	return map[string]any{"total": len(present), "offset": start, "items": items}, nil
}

func (rq *restRead) itsystemShape(s *ITSystem) any {
	if s == nil {
		return nil
	}
	if rq.primary {
		return rq.ref(s.UUID)
	}
	return map[string]any{"uuid": s.UUID, "name": s.Name, "reference": nil, "system_type": nil, "user_key": s.UserKey, "validity": restValidity(s.Validity)}
}

func (rq *restRead) itsystemList(org string) (any, *moError) {
	if e := checkUUID("orgid", org); e != nil {
		return nil, e
	}
	out := []any{}
	for _, s := range rq.x.itsys {
		out = append(out, map[string]any{"uuid": s.UUID, "name": s.Name, "user_key": s.UserKey, "system_type": nil})
	}
	return out, nil
}

func (rq *restRead) facetList(org string) (any, *moError) {
	if e := checkUUID("orgid", org); e != nil {
		return nil, e
	}
	out := []any{}
	for _, f := range rq.x.facets {
		out = append(out, map[string]any{"uuid": f.UUID, "user_key": f.UserKey, "description": f.Description,
			"path": "/service/f/" + f.UserKey + "/"})
	}
	return out, nil
}

// facetClasses is /f/{facet}/: the facet (by uuid or user key) with its
// classes, paged like the lists.
func (rq *restRead) facetClasses(key string) (any, *moError) {
	var f *Facet
	for _, v := range rq.x.facets {
		if v.UUID == key || v.UserKey == key {
			f = v
		}
	}
	if f == nil {
		return nil, errNotFound("facet", key)
	}
	var cls []*Class
	for _, c := range rq.x.classes {
		if c.FacetUUID == f.UUID {
			cls = append(cls, c)
		}
	}
	start, end, e := rq.paging(len(cls))
	if e != nil {
		return nil, e
	}
	items := make([]any, 0, end-start)
	for _, c := range cls[start:end] {
		var scope any
		if c.Scope != "" {
			scope = c.Scope
		}
		items = append(items, map[string]any{"uuid": c.UUID, "name": c.Name, "user_key": c.UserKey, "example": nil, "scope": scope, "owner": nil})
	}
	return map[string]any{"uuid": f.UUID, "user_key": f.UserKey, "description": f.Description,
		"data": map[string]any{"total": len(cls), "offset": start, "items": items}}, nil
}

func (rq *restRead) children(org, unit string) (any, *moError) {
	var list []*Unit
	if unit != "" {
		if e := checkUUID("unitid", unit); e != nil {
			return nil, e
		}
		if u := rq.x.unitBy[unit]; u == nil || !u.Validity.ActiveAt(rq.at) {
			return nil, errOrgUnitNotFound(unit)
		}
		list = rq.x.children[unit]
	} else {
		if e := checkUUID("orgid", org); e != nil {
			return nil, e
		}
		for _, u := range rq.x.units {
			if u.ParentUUID == "" {
				list = append(list, u)
			}
		}
	}
	out := []any{}
	for _, u := range list {
		if u.Validity.ActiveAt(rq.at) {
			out = append(out, map[string]any{"name": u.Name, "user_key": u.UserKey, "uuid": u.UUID,
				"validity": restValidity(u.Validity), "child_count": rq.childCount(u.UUID)})
		}
	}
	return out, nil
}

func (rq *restRead) unit(id string) (any, *moError) {
	if e := checkUUID("unitid", id); e != nil {
		return nil, e
	}
	u := rq.x.unitBy[id]
	if u == nil || !u.Validity.ActiveAt(rq.at) {
		return nil, errOrgUnitNotFound(id)
	}
	return rq.unitFull(u, 0), nil
}

func (rq *restRead) employee(id string) (any, *moError) {
	if e := checkUUID("id", id); e != nil {
		return nil, e
	}
	p := rq.x.personBy[id]
	if p == nil || !p.Validity.ActiveAt(rq.at) {
		return nil, errUserNotFound(id)
	}
	return rq.personFull(p), nil
}

// detailFlags is /{e|ou}/{id}/details/: whether any object of each type
// exists at any time.
func (rq *restRead) detailFlags(kind, id string) (any, *moError) {
	if e := checkUUID("id", id); e != nil {
		return nil, e
	}
	x := rq.x
	if kind == "e" {
		return map[string]bool{
			"address": len(x.addrsByPerson[id]) > 0, "association": false, "engagement": len(x.engsByPerson[id]) > 0,
			"it": len(x.itusByPerson[id]) > 0, "leave": false, "manager": len(x.mgrsByPerson[id]) > 0,
			"kle": false, "org_unit": false, "owner": false, "related_unit": false,
		}, nil
	}
	return map[string]bool{
		"address": len(x.addrsByUnit[id]) > 0, "association": false, "engagement": len(x.engsByUnit[id]) > 0,
		"it": len(x.itusByUnit[id]) > 0, "leave": false, "manager": len(x.mgrsByUnit[id]) > 0,
		"kle": false, "org_unit": true, "owner": false, "related_unit": false,
	}, nil
}

// details is /{e|ou}/{id}/details/{type}: a bare array, [] for an unknown
// owner or a type without data.
func (rq *restRead) details(kind, id, typ string) (any, *moError) {
	if e := checkUUID("id", id); e != nil {
		return nil, e
	}
	x := rq.x
	person := kind == "e"
	out := []any{}
	switch typ {
	case "address":
		list := x.addrsByUnit[id]
		if person {
			list = x.addrsByPerson[id]
		}
		for _, a := range list {
			if rq.keep(a.Validity) {
				out = append(out, rq.addressShape(a))
			}
		}
	case "it":
		list := x.itusByUnit[id]
		if person {
			list = x.itusByPerson[id]
		}
		for _, it := range list {
			if rq.keep(it.Validity) {
				out = append(out, rq.itShape(it))
			}
		}
	case "engagement":
		list := x.engsByUnit[id]
		if person {
			list = x.engsByPerson[id]
		}
		calc := truthy(rq.r.URL.Query().Get("calculate_primary"))
		for _, e := range list {
			if rq.keep(e.Validity) {
				out = append(out, rq.engagementShape(e, calc))
			}
		}
	case "manager":
		if person {
			for _, m := range x.mgrsByPerson[id] {
				if rq.keep(m.Validity) {
					out = append(out, rq.managerShape(m))
				}
			}
			break
		}
		inherit := truthy(rq.r.URL.Query().Get("inherit_manager"))
		for u := x.unitBy[id]; u != nil; u = x.unitBy[u.ParentUUID] {
			for _, m := range x.mgrsByUnit[u.UUID] {
				if rq.keep(m.Validity) {
					out = append(out, rq.managerShape(m))
				}
			}
			if len(out) > 0 || !inherit {
				break
			}
		}
	case "association", "leave", "kle", "org_unit", "related_unit", "owner", "employee", "role":
	default:
		return nil, errNoSuchEndpoint()
	}
	return out, nil
}

func (rq *restRead) addressShape(a *Address) map[string]any {
	x := rq.x
	var href any
	if h := addressHref(x.classBy[a.AddressTypeUUID], a); h != nil {
		href = *h
	}
	m := map[string]any{
		"uuid": a.UUID, "user_key": a.UserKey, "name": x.addressName(a), "href": href, "value": a.Value, "value2": nil,
		"validity": restValidity(a.Validity), "address_type": rq.class(a.AddressTypeUUID), "visibility": rq.class(a.VisibilityUUID),
		"engagement_uuid": nil,
	}
	if a.EngagementUUID != "" {
		m["engagement_uuid"] = a.EngagementUUID
	}
	if a.PersonUUID != "" {
		m["person"] = rq.personMin(x.personBy[a.PersonUUID])
	}
	if a.UnitUUID != "" {
		m["org_unit"] = rq.unitMin(x.unitBy[a.UnitUUID])
	}
	return m
}

// itShape is an IT user. Besides MO's fields it carries external_id (newer
// MO keeps it in an extension field), so REST and GraphQL clients can read
// the same data.
func (rq *restRead) itShape(it *ITUser) map[string]any {
	x := rq.x
	m := map[string]any{
		"uuid": it.UUID, "user_key": it.UserKey, "validity": restValidity(it.Validity),
		"itsystem": rq.itsystemShape(x.itsysBy[it.ITSystemUUID]), "person": nil, "org_unit": nil,
		"engagement": nil, "primary": nil, "external_id": nil,
	}
	if it.ExternalID != "" {
		m["external_id"] = it.ExternalID
	}
	if it.PersonUUID != "" {
		m["person"] = rq.personMin(x.personBy[it.PersonUUID])
	}
	if it.UnitUUID != "" {
		m["org_unit"] = rq.unitMin(x.unitBy[it.UnitUUID])
	}
	if e := x.engBy[it.EngagementUUID]; e != nil {
		inner := *rq
		inner.primary = true
		m["engagement"] = inner.engagementShape(e, false)
	}
	return m
}

func (rq *restRead) engagementShape(e *Engagement, calcPrimary bool) map[string]any {
	x := rq.x
	m := map[string]any{
		"uuid": e.UUID, "user_key": e.UserKey, "validity": restValidity(e.Validity),
		"person": rq.personMin(x.personBy[e.PersonUUID]), "org_unit": rq.unitMin(x.unitBy[e.UnitUUID]),
		"job_function": rq.class(e.JobFunctionUUID), "engagement_type": rq.class(e.EngagementTypeUUID),
		"primary": rq.class(e.PrimaryUUID), "is_primary": nil, "fraction": nil,
	}
	if calcPrimary {
		m["is_primary"] = x.isPrimary(e)
	}
	if e.Fraction != 0 {
		m["fraction"] = e.Fraction
	}
	for i := 1; i <= 10; i++ {
		m["extension_"+strconv.Itoa(i)] = nil
		if v := e.Extensions[i-1]; v != "" {
			m["extension_"+strconv.Itoa(i)] = v
		}
	}
	return m
}

func (rq *restRead) managerShape(m *Manager) map[string]any {
	x := rq.x
	resp := []any{}
	for _, r := range m.ResponsibilityUUIDs {
		resp = append(resp, rq.class(r))
	}
	return map[string]any{
		"uuid": m.UUID, "user_key": m.UserKey, "validity": restValidity(m.Validity),
		"person": rq.personMin(x.personBy[m.PersonUUID]), "org_unit": rq.unitMin(x.unitBy[m.UnitUUID]),
		"manager_type": rq.class(m.ManagerTypeUUID), "manager_level": rq.class(m.ManagerLevelUUID), "responsibility": resp,
	}
}
