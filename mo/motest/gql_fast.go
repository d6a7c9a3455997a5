package motest

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/validator"
)

// The fast path. graphql-go resolves every field by reflection and spawns a
// goroutine for every field with arguments; for a page of 1,000 employees
// with their relations that costs ~0.2 s of CPU, too slow for a 40,000
// person read in 3 s. So authenticated query operations are parsed and
// validated with gqlparser against the same SDL and executed by this
// hand-written executor, which calls the same resolver objects graphql-go
// uses and writes JSON directly. Anything it does not handle (mutations,
// unauthenticated requests, invalid documents, resolver errors) goes to
// graphql-go, which produces MO's error shapes. TestFastPathMatchesGraphQLGo
// checks that both executors give the same answer.

var (
	fastSchemaOnce sync.Once
	fastSchema     *ast.Schema
)

func loadFastSchema() *ast.Schema {
	fastSchemaOnce.Do(func() {
		fastSchema = gqlparser.MustLoadSchema(&ast.Source{Name: "mo-fake.graphql", Input: schemaSDL})
	})
	return fastSchema
}

// errFallback asks the caller to run the request through graphql-go.
var errFallback = errors.New("fast path: not handled")

type fastExec struct {
	q    *reqState
	vars map[string]any
	b    []byte
	// Per-request caches: variables are fixed for the request, so a
	// selection set's fields and a field's arguments are worked out once.
	fields  map[*ast.Selection][]*ast.Field
	argMaps map[*ast.Field]map[string]any
	lists   map[*ast.Field]cachedListArgs
	times   map[int64]string
}

type cachedListArgs struct {
	a       listArgs
	inherit bool
}

// execFast runs a query operation; it returns errFallback (or another
// error) when graphql-go must answer instead.
func execFast(q *reqState, query, opName string, vars map[string]any) ([]byte, error) {
	schema := loadFastSchema()
	doc, errs := gqlparser.LoadQuery(schema, query)
	if len(errs) > 0 {
		return nil, errFallback
	}
	var op *ast.OperationDefinition
	if opName == "" {
		if len(doc.Operations) != 1 {
			return nil, errFallback
		}
		op = doc.Operations[0]
	} else if op = doc.Operations.ForName(opName); op == nil {
		return nil, errFallback
	}
	if op.Operation != ast.Query {
		return nil, errFallback
	}
	cv, err := validator.VariableValues(schema, op, vars)
	if err != nil {
		return nil, errFallback
	}
	e := &fastExec{q: q, vars: cv, b: make([]byte, 0, 1<<20),
		fields: map[*ast.Selection][]*ast.Field{}, argMaps: map[*ast.Field]map[string]any{},
		lists: map[*ast.Field]cachedListArgs{}, times: map[int64]string{}}
	e.b = append(e.b, `{"data":`...)
	if err := e.obj(queryRoot{}, op.SelectionSet); err != nil {
		return nil, err
	}
	e.b = append(e.b, '}')
	return e.b, nil
}

// fastObj is an object type the fast executor can resolve.
type fastObj interface {
	typeName() string
	field(e *fastExec, f *ast.Field) error
}

// collect flattens fragments and applies @skip/@include, keeping the first
// field per response key.
func (e *fastExec) collect(ss ast.SelectionSet, out []*ast.Field, seen map[string]bool) ([]*ast.Field, error) {
	for _, sel := range ss {
		switch s := sel.(type) {
		case *ast.Field:
			if !e.included(s.Directives) {
				continue
			}
			if seen[s.Alias] {
				continue
			}
			seen[s.Alias] = true
			out = append(out, s)
		case *ast.InlineFragment:
			if !e.included(s.Directives) {
				continue
			}
			var err error
			if out, err = e.collect(s.SelectionSet, out, seen); err != nil {
				return nil, err
			}
		case *ast.FragmentSpread:
			if !e.included(s.Directives) || s.Definition == nil {
				continue
			}
			var err error
			if out, err = e.collect(s.Definition.SelectionSet, out, seen); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

func (e *fastExec) included(ds ast.DirectiveList) bool {
	for _, d := range ds {
		if d.Name != "skip" && d.Name != "include" {
			continue
		}
		v, _ := d.ArgumentMap(e.vars)["if"].(bool)
		if (d.Name == "skip") == v {
			return false
		}
	}
	return true
}

func (e *fastExec) obj(o fastObj, ss ast.SelectionSet) error {
	if len(ss) == 0 {
		e.b = append(e.b, "{}"...)
		return nil
	}
	fields, ok := e.fields[&ss[0]]
	if !ok {
		var err error
		if fields, err = e.collect(ss, nil, map[string]bool{}); err != nil {
			return err
		}
		e.fields[&ss[0]] = fields
	}
	e.b = append(e.b, '{')
	for i, f := range fields {
		if i > 0 {
			e.b = append(e.b, ',')
		}
		e.str(f.Alias)
		e.b = append(e.b, ':')
		if f.Name == "__typename" {
			e.str(o.typeName())
			continue
		}
		if err := o.field(e, f); err != nil {
			return err
		}
	}
	e.b = append(e.b, '}')
	return nil
}

// optObj writes o, or null when absent.
func (e *fastExec) optObj(o fastObj, present bool, ss ast.SelectionSet) error {
	if !present {
		e.null()
		return nil
	}
	return e.obj(o, ss)
}

func list[T fastObj](e *fastExec, items []T, ss ast.SelectionSet) error {
	e.b = append(e.b, '[')
	for i, it := range items {
		if i > 0 {
			e.b = append(e.b, ',')
		}
		if err := e.obj(it, ss); err != nil {
			return err
		}
	}
	e.b = append(e.b, ']')
	return nil
}

func (e *fastExec) null() { e.b = append(e.b, "null"...) }

func (e *fastExec) bool(v bool) { e.b = strconv.AppendBool(e.b, v) }

func (e *fastExec) int(v int) { e.b = strconv.AppendInt(e.b, int64(v), 10) }

func (e *fastExec) optStr(s *string) {
	if s == nil {
		e.null()
		return
	}
	e.str(*s)
}

func (e *fastExec) optUUID(u *gqlUUID) {
	if u == nil {
		e.null()
		return
	}
	e.str(string(*u))
}

func (e *fastExec) optTime(t *dateTimeOut) {
	if t == nil {
		e.null()
		return
	}
	e.str(string(*t))
}

const hexDigits = "0123456789abcdef"

// str appends s as a JSON string (as encoding/json does, minus HTML escaping).
func (e *fastExec) str(s string) {
	b := append(e.b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	e.b = append(b, '"')
}

// ---- argument decoding ----

func (e *fastExec) args(f *ast.Field) map[string]any {
	m, ok := e.argMaps[f]
	if !ok {
		m = f.ArgumentMap(e.vars)
		e.argMaps[f] = m
	}
	return m
}

// time writes a DateTime, formatting each instant once per request.
func (e *fastExec) time(t time.Time) {
	k := t.Unix()
	s, ok := e.times[k]
	if !ok {
		s = string(formatDateTime(t))
		e.times[k] = s
	}
	e.str(s)
}

func asList(v any) []any {
	switch l := v.(type) {
	case nil:
		return nil
	case []any:
		return l
	default:
		return []any{v}
	}
}

func uuidList(v any) (*[]gqlUUID, error) {
	out := []gqlUUID{}
	for _, x := range asList(v) {
		var u gqlUUID
		if err := u.UnmarshalGraphQL(x); err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return &out, nil
}

func strList(v any) (*[]string, error) {
	out := []string{}
	for _, x := range asList(v) {
		s, ok := x.(string)
		if !ok {
			return nil, fmt.Errorf("expected string")
		}
		out = append(out, s)
	}
	return &out, nil
}

// toFilter decodes a filter argument the way graphql-go fills objFilter.
func toFilter(v any) (*objFilter, error) {
	m, ok := v.(map[string]any)
	if !ok {
		if v == nil {
			return nil, nil
		}
		return nil, errFallback
	}
	f := &objFilter{}
	var err error
	for k, val := range m {
		if val == nil && k != "from_date" && k != "to_date" {
			continue
		}
		switch k {
		case "uuids":
			f.UUIDs, err = uuidList(val)
		case "user_keys":
			f.UserKeys, err = strList(val)
		case "from_date":
			err = f.FromDate.UnmarshalGraphQL(val)
		case "to_date":
			err = f.ToDate.UnmarshalGraphQL(val)
		case "query":
			s, _ := val.(string)
			f.Query = &s
		case "cpr_numbers":
			l := []gqlCPR{}
			for _, x := range asList(val) {
				var c gqlCPR
				if err = c.UnmarshalGraphQL(x); err != nil {
					break
				}
				l = append(l, c)
			}
			f.CPRNumbers = &l
		case "names":
			f.Names, err = strList(val)
		case "name":
			f.Name, err = strList(val)
		case "parent":
			f.Parent, err = toFilter(val)
		case "parents":
			f.Parents, err = uuidList(val)
		case "descendant":
			f.Descendant, err = toFilter(val)
		case "ancestor":
			f.Ancestor, err = toFilter(val)
		case "facet":
			f.Facet, err = toFilter(val)
		case "facet_user_keys":
			f.FacetUserKeys, err = strList(val)
		case "scope":
			f.Scope, err = strList(val)
		case "employee":
			f.Employee, err = toFilter(val)
		case "employees":
			f.Employees, err = uuidList(val)
		case "org_unit":
			f.OrgUnit, err = toFilter(val)
		case "org_units":
			f.OrgUnits, err = uuidList(val)
		case "address_type":
			f.AddressType, err = toFilter(val)
		case "address_types":
			f.AddressTypes, err = uuidList(val)
		case "address_type_user_keys":
			f.AddressTypeUserKeys, err = strList(val)
		case "engagement":
			f.Engagement, err = toFilter(val)
		case "visibility":
			f.Visibility, err = toFilter(val)
		case "itsystem":
			f.Itsystem, err = toFilter(val)
		case "itsystem_uuids":
			f.ItsystemUUIDs, err = uuidList(val)
		case "external_ids":
			f.ExternalIDs, err = strList(val)
		case "job_function":
			f.JobFunction, err = toFilter(val)
		case "engagement_type":
			f.EngagementType, err = toFilter(val)
		default:
			return nil, errFallback
		}
		if err != nil {
			return nil, errFallback
		}
	}
	return f, nil
}

func toLimit(v any) (*gqlInt, error) {
	if v == nil {
		return nil, nil
	}
	if n, ok := v.(json.Number); ok {
		v = string(n)
	}
	var n gqlInt
	if err := n.UnmarshalGraphQL(v); err != nil {
		return nil, errFallback
	}
	return &n, nil
}

func toCursor(v any) *gqlCursor {
	s, ok := v.(string)
	if !ok {
		return nil
	}
	c := gqlCursor(s)
	return &c
}

func toTime(v any) (*gqlDateTime, error) {
	if v == nil {
		return nil, nil
	}
	var t gqlDateTime
	if err := t.UnmarshalGraphQL(v); err != nil {
		return nil, errFallback
	}
	return &t, nil
}

func (e *fastExec) listArgs(f *ast.Field) (listArgs, bool, error) {
	if c, ok := e.lists[f]; ok {
		return c.a, c.inherit, nil
	}
	a, inherit, err := e.decodeListArgs(f)
	if err == nil {
		e.lists[f] = cachedListArgs{a, inherit}
	}
	return a, inherit, err
}

func (e *fastExec) decodeListArgs(f *ast.Field) (listArgs, bool, error) {
	a := e.args(f)
	filter, err := toFilter(a["filter"])
	if err != nil {
		return listArgs{}, false, err
	}
	limit, err := toLimit(a["limit"])
	if err != nil {
		return listArgs{}, false, err
	}
	inherit, _ := a["inherit"].(bool)
	return listArgs{Filter: filter, Limit: limit, Cursor: toCursor(a["cursor"])}, inherit, nil
}

func (e *fastExec) startEnd(f *ast.Field) (startEnd, error) {
	a := e.args(f)
	s, err := toTime(a["start"])
	if err != nil {
		return startEnd{}, err
	}
	en, err := toTime(a["end"])
	return startEnd{s, en}, err
}

// ---- object types ----

type queryRoot struct{}

func (queryRoot) typeName() string { return "Query" }

func (queryRoot) field(e *fastExec, f *ast.Field) error {
	if f.Name == "org" {
		return e.obj(organisation{e.q.x.d}, f.SelectionSet)
	}
	if f.Name == "version" {
		return e.obj(version{e.q.moVersion}, f.SelectionSet)
	}
	a, inherit, err := e.listArgs(f)
	if err != nil {
		return err
	}
	qa := queryArgs{Filter: a.Filter, Limit: a.Limit, Cursor: a.Cursor}
	x, q := e.q.x, e.q
	switch f.Name {
	case "employees", "persons":
		p, err := employeesPage(q, qa)
		return pagedOut(e, p, err, f)
	case "org_units":
		list := sortedCandidates(qa.Filter, x.units, x.unitBy, unitID)
		p, err := page(q, qa.Filter, qa.Limit, qa.Cursor, list, x.matchUnit, unitID, unitVal, q.unit, true)
		return pagedOut(e, p, err, f)
	case "addresses":
		list := ownerCandidates(qa.Filter, sortedCandidates(qa.Filter, x.addrs, x.addrBy, addrID), x.addrsByPerson, addrID)
		p, err := page(q, qa.Filter, qa.Limit, qa.Cursor, list, x.matchAddress, addrID, addrVal, q.address, true)
		return pagedOut(e, p, err, f)
	case "itusers":
		list := ownerCandidates(qa.Filter, sortedCandidates(qa.Filter, x.itus, x.ituBy, ituID), x.itusByPerson, ituID)
		p, err := page(q, qa.Filter, qa.Limit, qa.Cursor, list, x.matchITUser, ituID, ituVal, q.ituser, true)
		return pagedOut(e, p, err, f)
	case "engagements":
		list := sortedCandidates(qa.Filter, x.engs, x.engBy, engID)
		p, err := page(q, qa.Filter, qa.Limit, qa.Cursor, list, x.matchEngagement, engID, engVal, q.engagement, true)
		return pagedOut(e, p, err, f)
	case "managers":
		p, err := managersPage(q, qa, inherit)
		return pagedOut(e, p, err, f)
	case "classes":
		list := sortedCandidates(qa.Filter, x.classes, x.classBy, classID)
		p, err := page(q, qa.Filter, qa.Limit, qa.Cursor, list, x.matchClass, classID, openVal[Class], q.classOf, true)
		return pagedOut(e, p, err, f)
	case "facets":
		list := sortedCandidates(qa.Filter, x.facets, x.facetBy, facetID)
		p, err := page(q, qa.Filter, qa.Limit, qa.Cursor, list, matchFacet, facetID, openVal[Facet], q.facet, true)
		return pagedOut(e, p, err, f)
	case "itsystems":
		list := sortedCandidates(qa.Filter, x.itsys, x.itsysBy, itsysID)
		p, err := page(q, qa.Filter, qa.Limit, qa.Cursor, list, x.matchITSystem, itsysID, itsysVal, q.itsystem, true)
		return pagedOut(e, p, err, f)
	}
	return errFallback
}

func pagedOut[R fastObj](e *fastExec, p *paged[*response[R]], err error, f *ast.Field) error {
	if err != nil {
		return err
	}
	return e.obj(p, f.SelectionSet)
}

func (p *paged[T]) typeName() string {
	var zero T
	if o, ok := any(zero).(fastObj); ok {
		return o.typeName() + "Paged"
	}
	return "Paged"
}

func (p *paged[T]) field(e *fastExec, f *ast.Field) error {
	switch f.Name {
	case "objects":
		e.b = append(e.b, '[')
		for i, o := range p.objs {
			if i > 0 {
				e.b = append(e.b, ',')
			}
			fo, ok := any(o).(fastObj)
			if !ok {
				return errFallback
			}
			if err := e.obj(fo, f.SelectionSet); err != nil {
				return err
			}
		}
		e.b = append(e.b, ']')
		return nil
	case "page_info":
		return e.obj(pageInfo{p.next}, f.SelectionSet)
	}
	return errFallback
}

func (p pageInfo) typeName() string { return "PageInfo" }

func (p pageInfo) field(e *fastExec, f *ast.Field) error {
	if f.Name != "next_cursor" {
		return errFallback
	}
	if p.next == nil {
		e.null()
	} else {
		e.str(string(*p.next))
	}
	return nil
}

func (r *response[T]) typeName() string {
	var zero T
	if o, ok := any(zero).(fastObj); ok {
		return o.typeName() + "Response"
	}
	return "Response"
}

func (r *response[T]) field(e *fastExec, f *ast.Field) error {
	obj, ok := any(r.obj).(fastObj)
	if !ok {
		return errFallback
	}
	switch f.Name {
	case "uuid":
		e.str(r.id)
		return nil
	case "current":
		at, err := toTime(e.args(f)["at"])
		if err != nil {
			return err
		}
		t := r.q.now
		if at != nil {
			t = at.Time
		}
		return e.optObj(obj, r.v.ActiveAt(t), f.SelectionSet)
	case "validities", "objects":
		se, err := e.startEnd(f)
		if err != nil {
			return err
		}
		if len(r.Validities(se)) == 0 {
			e.b = append(e.b, "[]"...)
			return nil
		}
		e.b = append(e.b, '[')
		if err := e.obj(obj, f.SelectionSet); err != nil {
			return err
		}
		e.b = append(e.b, ']')
		return nil
	}
	return errFallback
}

func (v validity) typeName() string { return "Validity" }

func (v validity) field(e *fastExec, f *ast.Field) error {
	switch f.Name {
	case "from":
		if v.v.From.IsZero() {
			e.null()
		} else {
			e.time(v.v.From)
		}
	case "to":
		switch {
		case v.v.To.IsZero():
			e.null()
		case v.q.ver < 29:
			e.time(v.v.To.AddDate(0, 0, -1))
		default:
			e.time(v.v.To)
		}
	default:
		return errFallback
	}
	return nil
}

func (v openValidity) typeName() string { return "OpenValidity" }

func (o organisation) typeName() string { return "Organisation" }

func (o organisation) field(e *fastExec, f *ast.Field) error {
	switch f.Name {
	case "uuid":
		e.str(o.d.OrgUUID)
	case "user_key":
		e.str(o.d.OrgUserKey)
	case "name":
		e.str(o.d.OrgName)
	default:
		return errFallback
	}
	return nil
}

func (v version) typeName() string { return "Version" }

func (v version) field(e *fastExec, f *ast.Field) error {
	switch f.Name {
	case "mo_version":
		e.optStr(v.MoVersion())
	case "mo_hash":
		e.optStr(v.MoHash())
	default:
		return errFallback
	}
	return nil
}

func relList[T fastObj](e *fastExec, f *ast.Field, get func(listArgs) ([]T, error)) error {
	a, _, err := e.listArgs(f)
	if err != nil {
		return err
	}
	items, err := get(a)
	if err != nil {
		return err
	}
	return list(e, items, f.SelectionSet)
}

func (p *employee) typeName() string { return "Employee" }

func (p *employee) field(e *fastExec, f *ast.Field) error {
	switch f.Name {
	case "uuid":
		e.str(p.p.UUID)
	case "user_key":
		e.str(p.p.UserKey)
	case "cpr_number", "cpr_no":
		if p.p.CPR == "" {
			e.null()
		} else {
			e.str(p.p.CPR)
		}
	case "name":
		e.str(p.p.Name())
	case "given_name", "givenname":
		e.str(p.p.GivenName)
	case "surname":
		e.str(p.p.Surname)
	case "nickname":
		e.str(p.p.Nickname())
	case "nickname_given_name", "nickname_givenname":
		e.str(p.p.NicknameGivenName)
	case "nickname_surname":
		e.str(p.p.NicknameSurname)
	case "seniority":
		e.null()
	case "validity":
		return e.obj(openValidity{validity{p.q, p.p.Validity}}, f.SelectionSet)
	case "engagements":
		return relList(e, f, p.Engagements)
	case "addresses":
		return relList(e, f, p.Addresses)
	case "itusers":
		return relList(e, f, p.Itusers)
	case "manager_roles":
		return relList(e, f, func(a listArgs) ([]*manager, error) { return p.ManagerRoles(listArgsInherit{Filter: a.Filter}) })
	case "engagements_response":
		a, _, err := e.listArgs(f)
		if err != nil {
			return err
		}
		r, err := p.EngagementsResponse(a)
		return pagedOut(e, r, err, f)
	case "addresses_response":
		a, _, err := e.listArgs(f)
		if err != nil {
			return err
		}
		r, err := p.AddressesResponse(a)
		return pagedOut(e, r, err, f)
	case "itusers_response":
		a, _, err := e.listArgs(f)
		if err != nil {
			return err
		}
		r, err := p.ItusersResponse(a)
		return pagedOut(e, r, err, f)
	default:
		return errFallback
	}
	return nil
}

func (o *orgUnit) typeName() string { return "OrganisationUnit" }

func (o *orgUnit) field(e *fastExec, f *ast.Field) error {
	switch f.Name {
	case "uuid":
		e.str(o.u.UUID)
	case "user_key":
		e.str(o.u.UserKey)
	case "name":
		e.str(o.u.Name)
	case "validity":
		return e.obj(validity{o.q, o.u.Validity}, f.SelectionSet)
	case "parent_uuid":
		e.optUUID(o.ParentUUID())
	case "parent":
		p := o.Parent()
		return e.optObj(p, p != nil, f.SelectionSet)
	case "parent_response":
		p := o.ParentResponse()
		return e.optObj(p, p != nil, f.SelectionSet)
	case "ancestors":
		return list(e, o.Ancestors(), f.SelectionSet)
	case "children":
		return relList(e, f, o.Children)
	case "child_count", "has_children":
		filter, err := toFilter(e.args(f)["filter"])
		if err != nil {
			return err
		}
		n, err := o.ChildCount(struct{ Filter *objFilter }{filter})
		if err != nil {
			return err
		}
		if f.Name == "has_children" {
			e.bool(n > 0)
		} else {
			e.int(int(n))
		}
	case "unit_type":
		c := o.UnitType()
		return e.optObj(c, c != nil, f.SelectionSet)
	case "unit_type_uuid":
		e.optUUID(o.UnitTypeUUID())
	case "org_unit_level":
		c := o.OrgUnitLevel()
		return e.optObj(c, c != nil, f.SelectionSet)
	case "org_unit_level_uuid":
		e.optUUID(o.OrgUnitLevelUUID())
	case "engagements":
		return relList(e, f, o.Engagements)
	case "addresses":
		return relList(e, f, o.Addresses)
	case "itusers":
		return relList(e, f, o.Itusers)
	case "managers":
		a, inherit, err := e.listArgs(f)
		if err != nil {
			return err
		}
		m, err := o.Managers(listArgsInherit{Filter: a.Filter, Inherit: inherit})
		if err != nil {
			return err
		}
		return list(e, m, f.SelectionSet)
	default:
		return errFallback
	}
	return nil
}

func (a *address) typeName() string { return "Address" }

func (a *address) field(e *fastExec, f *ast.Field) error {
	switch f.Name {
	case "uuid":
		e.str(a.a.UUID)
	case "user_key":
		e.str(a.a.UserKey)
	case "value":
		e.str(a.a.Value)
	case "value2":
		e.null()
	case "name":
		e.optStr(a.Name())
	case "href":
		e.optStr(a.Href())
	case "validity":
		return e.obj(validity{a.q, a.a.Validity}, f.SelectionSet)
	case "address_type":
		c := a.AddressType()
		return e.optObj(c, c != nil, f.SelectionSet)
	case "address_type_uuid":
		e.str(a.a.AddressTypeUUID)
	case "visibility":
		c := a.Visibility()
		return e.optObj(c, c != nil, f.SelectionSet)
	case "visibility_uuid":
		e.optUUID(a.VisibilityUUID())
	case "employee_uuid":
		e.optUUID(a.EmployeeUUID())
	case "org_unit_uuid":
		e.optUUID(a.OrgUnitUUID())
	case "engagement_uuid":
		e.optUUID(a.EngagementUUID())
	case "ituser_uuid":
		e.null()
	default:
		return errFallback
	}
	return nil
}

func (i *ituser) typeName() string { return "ITUser" }

func (i *ituser) field(e *fastExec, f *ast.Field) error {
	switch f.Name {
	case "uuid":
		e.str(i.i.UUID)
	case "user_key":
		e.str(i.i.UserKey)
	case "external_id":
		e.optStr(i.ExternalID())
	case "binding_type", "primary_uuid":
		e.null()
	case "validity":
		return e.obj(validity{i.q, i.i.Validity}, f.SelectionSet)
	case "itsystem":
		return e.obj(i.Itsystem(), f.SelectionSet)
	case "itsystem_uuid":
		e.str(i.i.ITSystemUUID)
	case "employee_uuid":
		e.optUUID(i.EmployeeUUID())
	case "org_unit_uuid":
		e.optUUID(i.OrgUnitUUID())
	case "engagement_uuid":
		e.optUUID(i.EngagementUUID())
	case "engagement_uuids":
		e.b = append(e.b, '[')
		for k, u := range i.EngagementUUIDs() {
			if k > 0 {
				e.b = append(e.b, ',')
			}
			e.str(string(u))
		}
		e.b = append(e.b, ']')
	default:
		return errFallback
	}
	return nil
}

func (g *engagement) typeName() string { return "Engagement" }

func (g *engagement) field(e *fastExec, f *ast.Field) error {
	switch f.Name {
	case "uuid":
		e.str(g.e.UUID)
	case "user_key":
		e.str(g.e.UserKey)
	case "validity":
		return e.obj(validity{g.q, g.e.Validity}, f.SelectionSet)
	case "fraction":
		if g.e.Fraction == 0 {
			e.null()
		} else {
			e.int(g.e.Fraction)
		}
	case "is_primary":
		e.bool(g.IsPrimary())
	case "extension_1", "extension_2", "extension_3", "extension_4", "extension_5",
		"extension_6", "extension_7", "extension_8", "extension_9", "extension_10":
		n, _ := strconv.Atoi(strings.TrimPrefix(f.Name, "extension_"))
		e.optStr(strPtr(g.e.Extensions[n-1]))
	case "job_function":
		c := g.JobFunction()
		return e.optObj(c, c != nil, f.SelectionSet)
	case "job_function_uuid":
		e.str(g.e.JobFunctionUUID)
	case "engagement_type":
		c := g.EngagementType()
		return e.optObj(c, c != nil, f.SelectionSet)
	case "engagement_type_uuid":
		e.str(g.e.EngagementTypeUUID)
	case "primary":
		c := g.Primary()
		return e.optObj(c, c != nil, f.SelectionSet)
	case "primary_uuid":
		e.optUUID(g.PrimaryUUID())
	case "employee_uuid":
		e.str(g.e.PersonUUID)
	case "org_unit_uuid":
		e.str(g.e.UnitUUID)
	default:
		return errFallback
	}
	return nil
}

func (m *manager) typeName() string { return "Manager" }

func (m *manager) field(e *fastExec, f *ast.Field) error {
	switch f.Name {
	case "uuid":
		e.str(m.m.UUID)
	case "user_key":
		e.str(m.m.UserKey)
	case "validity":
		return e.obj(validity{m.q, m.m.Validity}, f.SelectionSet)
	case "employee_uuid":
		e.optUUID(m.EmployeeUUID())
	case "org_unit_uuid":
		e.str(m.m.UnitUUID)
	case "manager_type":
		c := m.ManagerType()
		return e.optObj(c, c != nil, f.SelectionSet)
	case "manager_type_uuid":
		e.optUUID(m.ManagerTypeUUID())
	case "manager_level":
		c := m.ManagerLevel()
		return e.optObj(c, c != nil, f.SelectionSet)
	case "manager_level_uuid":
		e.optUUID(m.ManagerLevelUUID())
	case "responsibilities":
		return list(e, m.Responsibilities(), f.SelectionSet)
	case "responsibility_uuids":
		e.b = append(e.b, '[')
		for k, u := range m.m.ResponsibilityUUIDs {
			if k > 0 {
				e.b = append(e.b, ',')
			}
			e.str(u)
		}
		e.b = append(e.b, ']')
	default:
		return errFallback
	}
	return nil
}

func (c *class) typeName() string { return "Class" }

func (c *class) field(e *fastExec, f *ast.Field) error {
	switch f.Name {
	case "uuid":
		e.str(c.c.UUID)
	case "user_key":
		e.str(c.c.UserKey)
	case "name", "full_name":
		e.str(c.c.Name)
	case "scope":
		e.optStr(c.Scope())
	case "published":
		e.optStr(c.Published())
	case "example", "owner":
		e.null()
	case "facet_uuid":
		e.str(c.c.FacetUUID)
	case "facet", "top_level_facet":
		return e.obj(c.Facet(), f.SelectionSet)
	case "validity":
		return e.obj(openValidity{validity{c.q, engine0}}, f.SelectionSet)
	default:
		return errFallback
	}
	return nil
}

func (fa *facet) typeName() string { return "Facet" }

func (fa *facet) field(e *fastExec, f *ast.Field) error {
	switch f.Name {
	case "uuid":
		e.str(fa.f.UUID)
	case "user_key":
		e.str(fa.f.UserKey)
	case "published":
		e.str("Publiceret")
	case "description":
		e.str(fa.f.Description)
	case "validity":
		return e.obj(openValidity{validity{fa.q, engine0}}, f.SelectionSet)
	default:
		return errFallback
	}
	return nil
}

func (s *itsystem) typeName() string { return "ITSystem" }

func (s *itsystem) field(e *fastExec, f *ast.Field) error {
	switch f.Name {
	case "uuid":
		e.str(s.s.UUID)
	case "user_key":
		e.str(s.s.UserKey)
	case "name":
		e.str(s.s.Name)
	case "system_type":
		e.optStr(s.SystemType())
	case "validity":
		return e.obj(openValidity{validity{s.q, s.s.Validity}}, f.SelectionSet)
	default:
		return errFallback
	}
	return nil
}
