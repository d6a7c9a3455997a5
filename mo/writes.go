package mo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"moxsync/engine"
)

// The writes of engine.MOWriter: IT users and addresses, by GraphQL
// mutations or by REST /details/create and /details/edit. Writes are never
// retried (only re-sent once with a fresh token when MO refused the token).
// Dates are sent as MO wants them: local midnight; an end date the way the
// API shows it (inclusive for REST and GraphQL before v29).

// CreateITUser creates an IT user of a person and returns its uuid.
func (c *Client) CreateITUser(ctx context.Context, u engine.ITUserWrite) (string, error) {
	const op = "mo: create IT user"
	if u.ITSystemUUID == "" {
		var err error
		if u.ITSystemUUID, err = c.ADITSystemUUID(ctx); err != nil {
			return "", err
		}
	}
	if err := need(op, u.PersonUUID, "person uuid", u.ITSystemUUID, "IT system uuid", u.UserKey, "user key"); err != nil {
		return "", err
	}
	if err := c.checkExternalID(op, u); err != nil {
		return "", err
	}
	if c.cfg.API == APIREST {
		body := map[string]any{"type": "it", "user_key": u.UserKey, "itsystem": ref(u.ITSystemUUID),
			"person": ref(u.PersonUUID), "validity": c.restValidity(u.Validity)}
		setIf(body, "uuid", u.UUID)
		setIf(body, "external_id", u.ExternalID)
		return c.restWrite(ctx, op, "/details/create", body)
	}
	in := map[string]any{"user_key": u.UserKey, "itsystem": u.ITSystemUUID, "person": u.PersonUUID, "validity": c.gqlValidity(u.Validity)}
	setIf(in, "uuid", u.UUID)
	setIf(in, "external_id", u.ExternalID)
	return c.mutate(ctx, op, opITUserCreate, "ituser_create", in)
}

// UpdateITUser changes an IT user from u.Validity.From on; fields left
// empty are unchanged.
func (c *Client) UpdateITUser(ctx context.Context, u engine.ITUserWrite) error {
	const op = "mo: update IT user"
	if err := need(op, u.UUID, "IT user uuid"); err != nil {
		return err
	}
	if err := c.checkExternalID(op, u); err != nil {
		return err
	}
	if c.cfg.API == APIREST {
		data := map[string]any{"validity": c.restValidity(u.Validity)}
		setIf(data, "user_key", u.UserKey)
		setIf(data, "external_id", u.ExternalID)
		if u.ITSystemUUID != "" {
			data["itsystem"] = ref(u.ITSystemUUID)
		}
		if u.PersonUUID != "" {
			data["person"] = ref(u.PersonUUID)
		}
		_, err := c.restWrite(ctx, op, "/details/edit", map[string]any{"type": "it", "uuid": u.UUID, "data": data})
		return err
	}
	in := map[string]any{"uuid": u.UUID, "validity": c.gqlValidity(u.Validity)}
	setIf(in, "user_key", u.UserKey)
	setIf(in, "external_id", u.ExternalID)
	setIf(in, "itsystem", u.ITSystemUUID)
	setIf(in, "person", u.PersonUUID)
	_, err := c.mutate(ctx, op, opITUserUpdate, "ituser_update", in)
	return err
}

// CreateAddress creates an address of a person or a unit.
func (c *Client) CreateAddress(ctx context.Context, a engine.AddressWrite) (string, error) {
	const op = "mo: create address"
	if err := need(op, a.TypeUUID, "address type uuid"); err != nil {
		return "", err
	}
	if (a.PersonUUID == "") == (a.UnitUUID == "") {
		return "", engine.E(engine.KindInvalid, op, a.UUID, errors.New("exactly one of person and unit must be set"))
	}
	if c.cfg.API == APIREST {
		body := map[string]any{"type": "address", "value": a.Value, "address_type": ref(a.TypeUUID), "validity": c.restValidity(a.Validity)}
		c.addressOwner(body, a, true)
		setIf(body, "uuid", a.UUID)
		return c.restWrite(ctx, op, "/details/create", body)
	}
	in := map[string]any{"value": a.Value, "address_type": a.TypeUUID, "validity": c.gqlValidity(a.Validity)}
	c.addressOwner(in, a, false)
	setIf(in, "uuid", a.UUID)
	return c.mutate(ctx, op, opAddressCreate, "address_create", in)
}

// UpdateAddress changes an address from a.Validity.From on. The value is
// always sent with its address type, as MO requires.
func (c *Client) UpdateAddress(ctx context.Context, a engine.AddressWrite) error {
	const op = "mo: update address"
	if err := need(op, a.UUID, "address uuid", a.TypeUUID, "address type uuid"); err != nil {
		return err
	}
	if c.cfg.API == APIREST {
		data := map[string]any{"value": a.Value, "address_type": ref(a.TypeUUID), "validity": c.restValidity(a.Validity)}
		c.addressOwner(data, a, true)
		_, err := c.restWrite(ctx, op, "/details/edit", map[string]any{"type": "address", "uuid": a.UUID, "data": data})
		return err
	}
	in := map[string]any{"uuid": a.UUID, "value": a.Value, "address_type": a.TypeUUID, "validity": c.gqlValidity(a.Validity)}
	c.addressOwner(in, a, false)
	_, err := c.mutate(ctx, op, opAddressUpdate, "address_update", in)
	return err
}

// addressOwner sets person or org_unit, and visibility, as REST references
// ({"uuid": ...}) or GraphQL uuids.
func (c *Client) addressOwner(m map[string]any, a engine.AddressWrite, rest bool) {
	set := func(k, v string) {
		if v == "" {
			return
		}
		if rest {
			m[k] = ref(v)
		} else {
			m[k] = v
		}
	}
	set("person", a.PersonUUID)
	set("org_unit", a.UnitUUID)
	set("visibility", a.VisibilityUUID)
}

// ADITSystemUUID is the uuid of the IT system named by Config.ADITSystem
// (user_key, else name), read once and cached. KindNotFound when MO has no
// such IT system.
func (c *Client) ADITSystemUUID(ctx context.Context) (string, error) {
	c.orgMu.Lock()
	cached := c.adSystem
	c.orgMu.Unlock()
	if cached != "" {
		return cached, nil
	}
	const op = "mo: read IT systems"
	var systems []engine.ITSystem
	if c.cfg.API == APIREST {
		org, err := c.org(ctx)
		if err != nil {
			return "", err
		}
		if systems, err = c.restITSystems(ctx, op, org); err != nil {
			return "", err
		}
	} else {
		vars := map[string]any{"now": formatDateTime(c.cfg.Now())}
		err := readPages(ctx, c, op, opITSystems, "itsystems", vars, checkCurrentITSystem, func(objs []gqlTemporal[gqlITSystem]) error {
			for _, o := range objs {
				if s := o.Current.v; s != nil {
					systems = append(systems, s.system())
				}
			}
			return nil
		})
		if err != nil {
			return "", err
		}
	}
	uid := findITSystem(systems, c.cfg.ADITSystem)
	if uid == "" {
		return "", engine.E(engine.KindNotFound, op, c.cfg.ADITSystem, fmt.Errorf("MO has no IT system with user_key or name %q", c.cfg.ADITSystem))
	}
	c.orgMu.Lock()
	c.adSystem = uid
	c.orgMu.Unlock()
	return uid, nil
}

// mutate runs a mutation whose result is {field: {uuid}}; an answer
// without the uuid is a protocol error (the write may have been done).
func (c *Client) mutate(ctx context.Context, op string, doc operation, field string, input map[string]any) (string, error) {
	var data map[string]*struct {
		UUID wstr `json:"uuid"`
	}
	if err := c.graphql(ctx, op, doc, map[string]any{"input": input}, &data); err != nil {
		return "", err
	}
	r := data[field]
	g := needObj(field, r != nil)
	if g.ok() {
		if g = needStr("uuid", r.UUID); !g.ok() {
			g = g.under(field)
		}
	}
	if err := c.protocolGap(op, doc, g); err != nil {
		return "", err
	}
	return r.UUID.v, nil
}

// restWrite posts a write to path (/details/create or /details/edit); MO
// answers with the object's uuid, a JSON string. An answer without it is
// a protocol error (the write may have been done).
func (c *Client) restWrite(ctx context.Context, op, path string, body any) (string, error) {
	var uuid wstr
	if err := c.restPost(ctx, op, path, nil, body, &uuid); err != nil {
		return "", err
	}
	if g := needStr("uuid", uuid); !g.ok() || uuid.v == "" {
		return "", classify(op, "POST "+pathOf(c.cfg.ServiceURL)+path, gap{key: "uuid", null: g.null}.err())
	}
	return uuid.v, nil
}

// writeStart is the day a write takes effect: v.From, or today, as a
// Copenhagen date (MO refuses times that are not at midnight).
func (c *Client) writeStart(v engine.Validity) engine.Validity {
	from := v.From
	if from.IsZero() {
		from = c.cfg.Now()
	}
	y, m, d := from.In(copenhagen).Date()
	v.From = time.Date(y, m, d, 0, 0, 0, 0, copenhagen)
	return v
}

func (c *Client) restValidity(v engine.Validity) map[string]any {
	from, to := writeValidity(c.writeStart(v), true, true)
	return map[string]any{"from": from, "to": to}
}

func (c *Client) gqlValidity(v engine.Validity) map[string]any {
	from, to := writeValidity(c.writeStart(v), c.cfg.GraphQLVersion < 29, false)
	return map[string]any{"from": from, "to": to}
}

func ref(uuid string) map[string]string { return map[string]string{"uuid": uuid} }

func setIf(m map[string]any, k, v string) {
	if v != "" {
		m[k] = v
	}
}

// need checks required values, given as value, name pairs.
func need(op string, pairs ...string) error {
	for i := 0; i+1 < len(pairs); i += 2 {
		if pairs[i] == "" {
			return engine.E(engine.KindInvalid, op, "", errors.New(pairs[i+1]+" is empty"))
		}
	}
	return nil
}
