package mo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"

	"moxsync/engine"
)

// The continuous mode's port to MO's event system (engine.MOEvents,
// events.md §1). Events exist only in MO's GraphQL API; with OS2MO_API =
// rest every method fails with KindInvalid.

var (
	_ engine.MOEvents        = (*Client)(nil)
	_ engine.MOPartialReader = (*Client)(nil)
)

// eventState is what the client remembers between event calls.
type eventState struct {
	mu    sync.Mutex
	owner string      // the actor MO made owner of our listeners
	vocab *vocabulary // classes and IT systems for partial reads (partial.go)
}

// errNeedsGraphQL is the error of an event call on a REST-configured
// client.
var errNeedsGraphQL = errors.New("the continuous mode needs OS2MO's GraphQL API; set OS2MO_API = graphql")

func (c *Client) needGraphQL(op string) error {
	if c.cfg.API == APIREST {
		return engine.E(engine.KindInvalid, op, "", errNeedsGraphQL)
	}
	return nil
}

// Answer shapes.
type (
	gqlListener struct {
		UUID       wstr            `json:"uuid"`
		Owner      wstr            `json:"owner"`
		UserKey    wstr            `json:"user_key"`
		RoutingKey wstr            `json:"routing_key"`
		Events     *[]gqlEventSeen `json:"events"`
	}
	gqlEventSeen struct {
		Priority *int `json:"priority"`
	}
	gqlEvent struct {
		Subject  wstr `json:"subject"`
		Priority *int `json:"priority"`
		Token    wstr `json:"token"`
	}
)

// check checks a listener for uuid, user_key, routing_key and, as
// selected, owner and events.
func (l *gqlListener) check(owner, events bool) gap {
	g := first(needStr("uuid", l.UUID), needStr("routing_key", l.RoutingKey))
	if g.ok() && owner {
		g = first(needStr("owner", l.Owner), needStr("user_key", l.UserKey))
	}
	if g.ok() && events {
		g = needObj("events", l.Events != nil)
		if g.ok() {
			g = eachOf("events", *l.Events, func(e *gqlEventSeen) gap { return needObj("priority", e.Priority != nil) })
		}
	}
	return g.of(l.UUID)
}

func (e *gqlEvent) check() gap {
	return first(needStr("subject", e.Subject), needObj("priority", e.Priority != nil), needStr("token", e.Token))
}

// graphqlIdempotent is graphql for a mutation that may be sent again
// (declaring listeners, acknowledging): it is retried like a read.
func (c *Client) graphqlIdempotent(ctx context.Context, op string, doc operation, vars map[string]any, out any) error {
	endpoint := c.gqlEndpoint(doc)
	body, err := json.Marshal(gqlRequest{Query: doc.text, Variables: vars, OperationName: doc.name})
	if err != nil {
		return classify(op, endpoint, fmt.Errorf("encoding request: %w", err))
	}
	raw, err := c.do(ctx, &request{method: http.MethodPost, url: c.cfg.GraphQLURL, endpoint: endpoint, body: body,
		idempotent: true, notAuthenticated: gqlNotAuthenticated})
	if err != nil {
		return classify(op, endpoint, err)
	}
	return c.decodeGraphQL(op, doc, raw, out)
}

// DeclareListeners declares one listener per routing key in namespace
// "mo", user key prefix+routing key, in one request (MO's declare is
// idempotent: the same uuids come back every time).
func (c *Client) DeclareListeners(ctx context.Context, prefix string, routingKeys []string) ([]engine.MOListener, error) {
	const op = "mo: declare event listeners"
	if err := c.needGraphQL(op); err != nil {
		return nil, err
	}
	if len(routingKeys) == 0 {
		return nil, nil
	}
	doc := declareListenersQuery(len(routingKeys))
	vars := make(map[string]any, len(routingKeys))
	for i, rk := range routingKeys {
		if rk == "" || strings.TrimSpace(prefix+rk) != prefix+rk {
			return nil, engine.E(engine.KindInvalid, op, prefix+rk, fmt.Errorf("routing key %q with prefix %q: want a non-blank user key", rk, prefix))
		}
		vars[fmt.Sprintf("l%d", i)] = map[string]any{"namespace": eventNamespace, "user_key": prefix + rk, "routing_key": rk}
	}
	var data map[string]*gqlListener
	if err := c.graphqlIdempotent(ctx, op, doc, vars, &data); err != nil {
		return nil, err
	}
	out := make([]engine.MOListener, 0, len(routingKeys))
	var owner string
	for i, rk := range routingKeys {
		field := fmt.Sprintf("l%d", i)
		l := data[field]
		if l == nil {
			return nil, c.protocolGap(op, doc, gap{key: field, at: "data"})
		}
		if err := c.protocolGap(op, doc, l.check(true, false).under(field)); err != nil {
			return nil, err
		}
		if l.RoutingKey.v != rk || l.UserKey.v != prefix+rk {
			return nil, classify(op, c.gqlEndpoint(doc), fmt.Errorf("%w: declared %s/%s, MO answered %s/%s", errMalformed, prefix+rk, rk, l.UserKey.v, l.RoutingKey.v))
		}
		out = append(out, engine.MOListener{UUID: l.UUID.v, UserKey: l.UserKey.v, RoutingKey: l.RoutingKey.v, Pending: -1})
		owner = l.Owner.v
	}
	c.ev.mu.Lock()
	c.ev.owner = owner
	c.ev.mu.Unlock()
	c.log.DebugContext(ctx, "declared event listeners", "listeners", len(out), "owner", owner)
	return out, nil
}

// FetchEvent fetches one event of the listener, nil when there is none. In
// the same request it asks for the listener: MO answers an unknown
// listener with null, so a listener deleted behind our back is told from
// an idle one only so; it is an *engine.Error of KindNotFound.
func (c *Client) FetchEvent(ctx context.Context, listener string) (*engine.MOEvent, error) {
	const op = "mo: fetch event"
	if err := c.needGraphQL(op); err != nil {
		return nil, err
	}
	if !isUUID(listener) {
		return nil, engine.E(engine.KindInvalid, op, listener, errors.New("a listener is named by its uuid"))
	}
	var data struct {
		Fetch     wopt[gqlEvent] `json:"event_fetch"`
		Listeners *struct {
			Objects *[]gqlListener `json:"objects"`
		} `json:"event_listeners"`
	}
	if err := c.graphql(ctx, op, opFetchEvent, map[string]any{"listener": listener}, &data); err != nil {
		return nil, err
	}
	g := nested("event_fetch", data.Fetch, (*gqlEvent).check)
	if g.ok() {
		g = needObj("event_listeners", data.Listeners != nil)
	}
	if g.ok() {
		g = needObj("objects", data.Listeners.Objects != nil).under("event_listeners")
	}
	if g.ok() {
		g = eachOf("event_listeners.objects", *data.Listeners.Objects, func(l *gqlListener) gap { return l.check(false, false) })
	}
	if err := c.protocolGap(op, opFetchEvent, g.under("data")); err != nil {
		return nil, err
	}
	var routingKey string
	for _, l := range *data.Listeners.Objects {
		if strings.EqualFold(l.UUID.v, listener) {
			routingKey = l.RoutingKey.v
		}
	}
	if routingKey == "" {
		return nil, engine.E(engine.KindNotFound, op, listener, errors.New("MO has no event listener with this uuid (deleted?); declare the listeners again"))
	}
	e := data.Fetch.v
	if e == nil {
		return nil, nil
	}
	return &engine.MOEvent{Listener: listener, RoutingKey: routingKey, Subject: e.Subject.v, Priority: *e.Priority, Token: e.Token.v}, nil
}

// AckEvent acknowledges an event by its token. MO accepts any well-formed
// token (one already acknowledged, or of an event that changed since it
// was fetched, removes nothing), so an acknowledgement may be sent again.
func (c *Client) AckEvent(ctx context.Context, token string) error {
	const op = "mo: acknowledge event"
	if err := c.needGraphQL(op); err != nil {
		return err
	}
	if token == "" {
		return engine.E(engine.KindInvalid, op, "", errors.New("empty event token"))
	}
	var data struct {
		Ack *bool `json:"event_acknowledge"`
	}
	if err := c.graphqlIdempotent(ctx, op, opAckEvent, map[string]any{"token": token}, &data); err != nil {
		return err
	}
	if data.Ack == nil {
		return c.protocolGap(op, opAckEvent, gap{key: "event_acknowledge", at: "data"})
	}
	return nil
}

// Listeners lists the listeners in namespace "mo" whose user key starts
// with prefix (and, after DeclareListeners, that we own), with the number
// of events pending for each, by user key.
func (c *Client) Listeners(ctx context.Context, prefix string) ([]engine.MOListener, error) {
	const op = "mo: list event listeners"
	if err := c.needGraphQL(op); err != nil {
		return nil, err
	}
	c.ev.mu.Lock()
	owner := c.ev.owner
	c.ev.mu.Unlock()
	var out []engine.MOListener
	err := readPages(ctx, c, op, opListeners, "event_listeners", nil, func(l *gqlListener) gap { return l.check(true, true) }, func(ls []gqlListener) error {
		for _, l := range ls {
			if !strings.HasPrefix(l.UserKey.v, prefix) || (owner != "" && l.Owner.v != owner) {
				continue
			}
			out = append(out, engine.MOListener{UUID: l.UUID.v, UserKey: l.UserKey.v, RoutingKey: l.RoutingKey.v, Pending: len(*l.Events)})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Slice(out, func(i, j int) bool { return out[i].UserKey < out[j].UserKey })
	return out, nil
}

// Refresh asks MO to emit an event to our listeners (after
// DeclareListeners) for every current person (routing key "person") or
// unit ("org_unit"), or for those of uuids when given, as MO's refresh
// mutators do at a first deployment. It returns how many MO named.
func (c *Client) Refresh(ctx context.Context, routingKey string, uuids []string) (int, error) {
	const op = "mo: refresh"
	if err := c.needGraphQL(op); err != nil {
		return 0, err
	}
	doc, field := opRefreshPeople, "employee_refresh"
	switch routingKey {
	case "person":
	case "org_unit":
		doc, field = opRefreshUnits, "org_unit_refresh"
	default:
		return 0, engine.E(engine.KindInvalid, op, routingKey, errors.New(`only "person" and "org_unit" can be refreshed`))
	}
	c.ev.mu.Lock()
	owner := c.ev.owner
	c.ev.mu.Unlock()
	if owner == "" {
		return 0, engine.E(engine.KindInvalid, op, routingKey, errors.New("declare the listeners first (the refresh goes to their owner)"))
	}
	vars := map[string]any{"owner": owner}
	if uuids != nil {
		vars["uuids"] = uuids
	}
	n := 0
	err := readPages(ctx, c, op, doc, field, vars, func(s *wstr) gap { return needStr("uuid", *s) }, func(ids []wstr) error {
		n += len(ids)
		return nil
	})
	return n, err
}
