package mo

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"time"

	"moxsync/engine"
)

// The writes of engine.MOFieldWriter (issue #14: AD as the authority for
// chosen MO fields) and the re-reads of engine.MOPersonReader, by GraphQL
// mutations or, where the REST API has them, /details/edit,
// /details/terminate and /e/create. A class is created only by GraphQL
// (REST has no class create; settings say so when loaded).

var (
	_ engine.MOFieldWriter  = (*Client)(nil)
	_ engine.MOPersonReader = (*Client)(nil)
)

// extensionKey is the name of an engagement extension field.
var extensionKey = regexp.MustCompile(`^extension_([1-9]|10)$`)

// ErrFieldWritesNeedGraphQL is the error of a write the REST API does not
// have (a class create) on a REST-configured client.
var ErrFieldWritesNeedGraphQL = errors.New("creating an MO class needs OS2MO's GraphQL API (the REST API has no class create); set OS2MO_API = graphql")

func (c *Client) needGraphQLFields(op, key string) error {
	if c.cfg.API == APIREST {
		return engine.E(engine.KindInvalid, op, key, ErrFieldWritesNeedGraphQL)
	}
	return nil
}

// The mutations and reads of this file (mo-api.md §2.5; v29 input types).
var (
	opEngagementUpdate    = operation{name: "EngagementUpdate", mutation: true, text: `mutation EngagementUpdate($input: EngagementUpdateInput!) { engagement_update(input: $input) { uuid } }`}
	opEngagementTerminate = operation{name: "EngagementTerminate", mutation: true, text: `mutation EngagementTerminate($input: EngagementTerminateInput!) { engagement_terminate(input: $input) { uuid } }`}
	opAddressTerminate    = operation{name: "AddressTerminate", mutation: true, text: `mutation AddressTerminate($input: AddressTerminateInput!) { address_terminate(input: $input) { uuid } }`}
	opClassCreate         = operation{name: "ClassCreate", mutation: true, text: `mutation ClassCreate($input: ClassCreateInput!) { class_create(input: $input) { uuid } }`}
	opEmployeeCreate      = operation{name: "EmployeeCreate", mutation: true, text: `mutation EmployeeCreate($input: EmployeeCreateInput!) { employee_create(input: $input) { uuid } }`}
	opFacetByUserKey      = operation{name: "FacetByUserKey", text: `
query FacetByUserKey($keys: [String!]) {
  facets(filter: {user_keys: $keys}) { objects { uuid } }
}`}
	opPeopleByCPR = operation{name: "PeopleByCPR", text: `
query PeopleByCPR($cpr: [CPR!]) {
  employees(filter: {cpr_numbers: $cpr, from_date: null, to_date: null}) { objects { uuid } }
}`}
)

// fieldOperations are the documents of this file, for the schema test.
func fieldOperations() []operation {
	return []operation{opEngagementUpdate, opEngagementTerminate, opAddressTerminate, opClassCreate, opEmployeeCreate, opFacetByUserKey, opPeopleByCPR}
}

// UpdateEngagement changes an engagement's user_key and job function from
// w.Validity.From on (w.Validity.To keeps its end).
func (c *Client) UpdateEngagement(ctx context.Context, w engine.EngagementWrite) error {
	const op = "mo: update engagement"
	if err := need(op, w.UUID, "engagement uuid"); err != nil {
		return err
	}
	if w.UserKey == "" && w.JobFunctionUUID == "" && len(w.Extensions) == 0 && !w.SetEnd {
		return engine.E(engine.KindInvalid, op, w.UUID, errors.New("nothing to change"))
	}
	rest := c.cfg.API == APIREST
	in := map[string]any{"uuid": w.UUID, "validity": c.gqlValidity(w.Validity)}
	if rest {
		in = map[string]any{"validity": c.restValidity(w.Validity)}
	}
	setIf(in, "user_key", w.UserKey)
	if w.JobFunctionUUID != "" {
		in["job_function"] = w.JobFunctionUUID
		if rest {
			in["job_function"] = ref(w.JobFunctionUUID)
		}
	}
	for k, v := range w.Extensions {
		if !extensionKey.MatchString(k) {
			return engine.E(engine.KindInvalid, op, w.UUID, fmt.Errorf("%q is no engagement extension field", k))
		}
		in[k] = v // "" empties the field
	}
	if rest {
		_, err := c.restWrite(ctx, op, "/details/edit", map[string]any{"type": "engagement", "uuid": w.UUID, "data": in})
		return err
	}
	_, err := c.mutate(ctx, op, opEngagementUpdate, "engagement_update", in)
	return err
}

// TerminateEngagement ends an engagement so it no longer holds from w.End
// on (sent the way the API version shows an end date).
func (c *Client) TerminateEngagement(ctx context.Context, w engine.EngagementWrite) error {
	const op = "mo: terminate engagement"
	if err := need(op, w.UUID, "engagement uuid"); err != nil {
		return err
	}
	if w.End.IsZero() {
		return engine.E(engine.KindInvalid, op, w.UUID, errors.New("no end date"))
	}
	if c.cfg.API == APIREST {
		return c.restTerminate(ctx, op, "engagement", w.UUID, w.End)
	}
	_, to := writeValidity(engine.Validity{From: w.End, To: w.End}, c.cfg.GraphQLVersion < 29, false)
	_, err := c.mutate(ctx, op, opEngagementTerminate, "engagement_terminate", map[string]any{"uuid": w.UUID, "to": *to})
	return err
}

// TerminateAddress ends an address so it no longer holds from
// a.Validity.To on (sent the way the API version shows an end date).
func (c *Client) TerminateAddress(ctx context.Context, a engine.AddressWrite) error {
	const op = "mo: terminate address"
	if err := need(op, a.UUID, "address uuid"); err != nil {
		return err
	}
	if a.Validity.To.IsZero() {
		return engine.E(engine.KindInvalid, op, a.UUID, errors.New("no end date"))
	}
	if c.cfg.API == APIREST {
		return c.restTerminate(ctx, op, "address", a.UUID, a.Validity.To)
	}
	_, to := writeValidity(engine.Validity{From: a.Validity.To, To: a.Validity.To}, c.cfg.GraphQLVersion < 29, false)
	_, err := c.mutate(ctx, op, opAddressTerminate, "address_terminate", map[string]any{"uuid": a.UUID, "to": *to})
	return err
}

// CreateClass creates a class in the facet with user_key k.FacetUserKey.
func (c *Client) CreateClass(ctx context.Context, k engine.ClassWrite) (string, error) {
	const op = "mo: create class"
	if err := c.needGraphQLFields(op, k.Name); err != nil {
		return "", err
	}
	if err := need(op, k.Name, "class name", k.UserKey, "class user_key", k.FacetUserKey, "facet"); err != nil {
		return "", err
	}
	facets, err := c.uuidList(ctx, op, opFacetByUserKey, "facets", map[string]any{"keys": []string{k.FacetUserKey}})
	if err != nil {
		return "", err
	}
	if len(facets) == 0 {
		return "", engine.E(engine.KindNotFound, op, k.FacetUserKey, errors.New("MO has no facet with this user_key"))
	}
	in := map[string]any{"name": k.Name, "user_key": k.UserKey, "facet_uuid": facets[0],
		"validity": map[string]any{"from": formatDateTime(c.writeStart(engine.Validity{}).From)}}
	return c.mutate(ctx, op, opClassCreate, "class_create", in)
}

// CreatePerson creates an MO person with names and CPR number.
func (c *Client) CreatePerson(ctx context.Context, p engine.PersonWrite) (string, error) {
	const op = "mo: create person"
	key := engine.MaskCPR(p.CPR)
	if p.GivenName == "" && p.Surname == "" {
		return "", engine.E(engine.KindInvalid, op, key, errors.New("no name"))
	}
	if c.cfg.API == APIREST {
		org, err := c.org(ctx)
		if err != nil {
			return "", err
		}
		body := map[string]any{"givenname": p.GivenName, "surname": p.Surname, "org": ref(org)}
		setIf(body, "cpr_no", p.CPR)
		return c.restWrite(ctx, op, "/e/create", body)
	}
	in := map[string]any{"given_name": p.GivenName, "surname": p.Surname}
	setIf(in, "cpr_number", p.CPR)
	return c.mutate(ctx, op, opEmployeeCreate, "employee_create", in)
}

// PersonNow reads one person as a full snapshot has it (Partial); nil
// when MO has no current or future slice of the person.
func (c *Client) PersonNow(ctx context.Context, uuid string) (*engine.Person, error) {
	if c.cfg.API == APIREST {
		return c.personREST(ctx, uuid)
	}
	ps, err := c.Partial(ctx, []string{uuid}, nil)
	if err != nil {
		return nil, err
	}
	for i := range ps.People {
		if ps.People[i].UUID == uuid {
			return &ps.People[i], nil
		}
	}
	return nil, nil
}

// PeopleByCPR returns the uuids of the people MO has with this CPR number
// (at any time).
func (c *Client) PeopleByCPR(ctx context.Context, cpr string) ([]string, error) {
	const op = "mo: read people by CPR"
	if c.cfg.API == APIREST {
		return c.peopleByCPRREST(ctx, op, cpr)
	}
	return c.uuidList(ctx, op, opPeopleByCPR, "employees", map[string]any{"cpr": []string{cpr}})
}

// uuidList runs doc, whose answer is {field: {objects: [{uuid}]}}, and
// returns the uuids; an answer lacking any of those is a protocol error.
func (c *Client) uuidList(ctx context.Context, op string, doc operation, field string, vars map[string]any) ([]string, error) {
	var data map[string]*struct {
		Objects *[]struct {
			UUID wstr `json:"uuid"`
		} `json:"objects"`
	}
	if err := c.graphql(ctx, op, doc, vars, &data); err != nil {
		return nil, err
	}
	r := data[field]
	g := needObj(field, r != nil)
	if g.ok() {
		g = needObj("objects", r.Objects != nil).under(field)
	}
	if g.ok() {
		for i, o := range *r.Objects {
			if g = needStr("uuid", o.UUID); !g.ok() {
				g = g.item("objects", i).under(field)
				break
			}
		}
	}
	if err := c.protocolGap(op, doc, g); err != nil {
		return nil, err
	}
	out := make([]string, 0, len(*r.Objects))
	for _, o := range *r.Objects {
		out = append(out, o.UUID.v)
	}
	return out, nil
}

// restTerminate is POST /details/terminate of an address or engagement
// that no longer holds from end on (REST's `to` is the last day).
func (c *Client) restTerminate(ctx context.Context, op, typ, uuid string, end time.Time) error {
	_, to := writeValidity(engine.Validity{From: end, To: end}, true, true)
	_, err := c.restWrite(ctx, op, "/details/terminate", map[string]any{"type": typ, "uuid": uuid, "validity": map[string]any{"to": *to}})
	return err
}

// personREST reads one person's current and future engagements and
// addresses by REST (/e/{id}/details/engagement and /address, present and
// future, with nested objects), merged as a snapshot merges them.
func (c *Client) personREST(ctx context.Context, uuid string) (*engine.Person, error) {
	const op = "mo: read person"
	if !isUUID(uuid) {
		return nil, engine.E(engine.KindInvalid, op, uuid, errors.New("person uuid is not a UUID"))
	}
	now := c.cfg.Now().In(copenhagen)
	r := &restReader{c: c, at: formatDateTime(now)} // no class index: classes come nested
	owner := "/e/" + uuid
	engs, err := details(ctx, r, owner, "engagement", url.Values{"calculate_primary": {"1"}}, r.engagements)
	if engine.KindOf(err) == engine.KindNotFound {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	addrs, err := details(ctx, r, owner, "address", nil, r.addresses)
	if err != nil {
		return nil, err
	}
	return &engine.Person{UUID: uuid, Engagements: mergeSlices(now, engs, engKey), Addresses: mergeSlices(now, addrs, addrKey)}, nil
}

// peopleByCPRREST is GET /o/{org}/e/?query=<cpr>: MO matches a 10-digit
// CPR exactly.
func (c *Client) peopleByCPRREST(ctx context.Context, op, cpr string) ([]string, error) {
	org, err := c.org(ctx)
	if err != nil {
		return nil, err
	}
	var page struct {
		Items []struct {
			UUID wstr `json:"uuid"`
		} `json:"items"`
	}
	if err := c.restGet(ctx, op, "/o/"+org+"/e/", url.Values{"query": {cpr}}, &page); err != nil {
		return nil, err
	}
	out := make([]string, 0, len(page.Items))
	for _, it := range page.Items {
		out = append(out, it.UUID.v)
	}
	return out, nil
}
