package motest

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"slices"
	"strings"
)

// The GraphQL face of the event system: the queries event_fetch, events,
// event_listeners and event_namespaces, the mutations
// event_listener_declare, event_listener_delete, event_acknowledge,
// employee_refresh and org_unit_refresh, with MO's v29 types.

// eventToken is the EventToken scalar.
type eventToken string

func (eventToken) ImplementsGraphQLType(name string) bool { return name == "EventToken" }

func (t *eventToken) UnmarshalGraphQL(input any) error {
	s, ok := input.(string)
	if !ok {
		return errBadToken
	}
	if _, _, err := parseEventToken(s); err != nil {
		return err
	}
	*t = eventToken(s)
	return nil
}

// Inputs.
type (
	eventFilter struct{ Listener gqlUUID }

	namespaceFilter struct {
		Names  *[]string
		Owners *[]gqlUUID
		Public *bool
	}
	listenerFilter struct {
		UUIDs       *[]gqlUUID
		UserKeys    *[]string
		Owners      *[]gqlUUID
		RoutingKeys *[]string
		Namespaces  *namespaceFilter
	}
	fullEventFilter struct {
		Listeners  *listenerFilter
		Subjects   *[]string
		Priorities *[]int32
		Silenced   *bool
	}
	listenerCreateInput struct {
		Namespace  string
		UserKey    string
		RoutingKey string
	}
	listenerDeleteInput struct {
		UUID                gqlUUID
		DeletePendingEvents bool
	}
	eventAckInput struct{ Token eventToken }

	eventListArgs struct {
		Filter *fullEventFilter
		Limit  *gqlInt
		Cursor *gqlCursor
	}
	listenerListArgs struct {
		Filter *listenerFilter
		Limit  *gqlInt
		Cursor *gqlCursor
	}
	namespaceListArgs struct {
		Filter *namespaceFilter
		Limit  *gqlInt
		Cursor *gqlCursor
	}
	refreshArgs struct {
		Filter   *objFilter
		Limit    *gqlInt
		Cursor   *gqlCursor
		Queue    *string
		Exchange *string
		Listener *gqlUUID
		Owner    *gqlUUID
		Priority int32
	}
)

func (f *namespaceFilter) match(name, owner string, public bool) bool {
	return f == nil || (inStrings(f.Names, name) && inUUIDs(f.Owners, owner) && (f.Public == nil || *f.Public == public))
}

func (f *listenerFilter) match(v *listenerView) bool {
	if f == nil {
		return true
	}
	return inUUIDs(f.UUIDs, v.UUID) && inStrings(f.UserKeys, v.UserKey) && inUUIDs(f.Owners, v.Owner) &&
		inStrings(f.RoutingKeys, v.RoutingKey) && f.Namespaces.match(v.Namespace, namespaceOwner, true)
}

// matchEvent is the event part of FullEventFilter (and of the listener-bound
// filter, which has the same fields but listeners).
func matchEvent(subjects *[]string, priorities *[]int32, silenced *bool, v *eventView) bool {
	return inStrings(subjects, v.Subject) && (priorities == nil || slices.Contains(*priorities, int32(v.Priority))) &&
		(silenced == nil || !*silenced) // the fake never silences
}

// offsetCursor is the events collections' cursor: MO pages them by offset.
func offsetCursor(n int) *gqlCursor {
	b, _ := json.Marshal(map[string]int{"offset": n})
	c := gqlCursor("e1v2t3:" + base64.StdEncoding.EncodeToString(b))
	return &c
}

func (c *gqlCursor) offset() (int, error) {
	if c == nil {
		return 0, nil
	}
	_, enc, ok := strings.Cut(string(*c), ":")
	b, err := base64.StdEncoding.DecodeString(enc)
	var v struct {
		Offset *int `json:"offset"`
	}
	if !ok || err != nil || json.Unmarshal(b, &v) != nil || v.Offset == nil || *v.Offset < 0 {
		return 0, errors.New("Invalid cursor")
	}
	return *v.Offset, nil
}

// offsetPage cuts one page out of items; next_cursor is null after the
// last.
func offsetPage[T any](items []T, limit *gqlInt, cur *gqlCursor) (*paged[T], error) {
	off, err := cur.offset()
	if err != nil {
		return nil, err
	}
	items = items[min(off, len(items)):]
	out := &paged[T]{objs: items}
	if limit != nil && int(*limit) < len(items) {
		out.objs = items[:*limit]
		out.next = offsetCursor(off + int(*limit))
	}
	if out.objs == nil {
		out.objs = []T{}
	}
	return out, nil
}

// Objects.

type gqlEvent struct{ f *fetched }

func (e *gqlEvent) Subject() string   { return e.f.subject }
func (e *gqlEvent) Priority() int32   { return int32(e.f.priority) }
func (e *gqlEvent) Token() eventToken { return eventToken(e.f.token) }

type gqlListener struct {
	s     *Server
	v     listenerView
	actor string
}

func (l *gqlListener) UUID() gqlUUID      { return gqlUUID(l.v.UUID) }
func (l *gqlListener) Owner() gqlUUID     { return gqlUUID(l.v.Owner) }
func (l *gqlListener) UserKey() string    { return l.v.UserKey }
func (l *gqlListener) RoutingKey() string { return l.v.RoutingKey }

func (l *gqlListener) Namespace() *gqlNamespace { return &gqlNamespace{l.s, l.actor} }

func (l *gqlListener) Events(a struct {
	Filter *struct {
		Subjects   *[]string
		Priorities *[]int32
		Silenced   *bool
	}
	Limit  *gqlInt
	Cursor *gqlCursor
}) ([]*gqlFullEvent, error) {
	f := a.Filter
	evs := l.s.ev.eventsWhere(func(v *listenerView) bool { return v.UUID == l.v.UUID && v.Owner == l.actor }, func(v *eventView) bool {
		return f == nil || matchEvent(f.Subjects, f.Priorities, f.Silenced, v)
	})
	p, err := offsetPage(wrapEvents(l.s, l.actor, evs), a.Limit, a.Cursor)
	if err != nil {
		return nil, err
	}
	return p.objs, nil
}

type gqlFullEvent struct {
	s     *Server
	v     eventView
	actor string
}

func (e *gqlFullEvent) Subject() string        { return e.v.Subject }
func (e *gqlFullEvent) Priority() int32        { return int32(e.v.Priority) }
func (e *gqlFullEvent) Silenced() bool         { return false }
func (e *gqlFullEvent) Listener() *gqlListener { return &gqlListener{e.s, e.v.Listener, e.actor} }
func wrapEvents(s *Server, actor string, evs []eventView) []*gqlFullEvent {
	out := make([]*gqlFullEvent, len(evs))
	for i := range evs {
		out[i] = &gqlFullEvent{s, evs[i], actor}
	}
	return out
}

type gqlNamespace struct {
	s     *Server
	actor string
}

func (n *gqlNamespace) Name() string   { return moNamespace }
func (n *gqlNamespace) Owner() gqlUUID { return namespaceOwner }
func (n *gqlNamespace) Public() bool   { return true }

func (n *gqlNamespace) Listeners(a struct {
	Filter *struct {
		UUIDs       *[]gqlUUID
		UserKeys    *[]string
		Owners      *[]gqlUUID
		RoutingKeys *[]string
	}
	Limit  *gqlInt
	Cursor *gqlCursor
}) ([]*gqlListener, error) {
	var f *listenerFilter
	if a.Filter != nil {
		f = &listenerFilter{UUIDs: a.Filter.UUIDs, UserKeys: a.Filter.UserKeys, Owners: a.Filter.Owners, RoutingKeys: a.Filter.RoutingKeys}
	}
	p, err := offsetPage(n.s.listeners(f, n.actor), a.Limit, a.Cursor)
	if err != nil {
		return nil, err
	}
	return p.objs, nil
}

func (s *Server) listeners(f *listenerFilter, actor string) []*gqlListener {
	vs := s.ev.listenersWhere(f.match)
	out := make([]*gqlListener, len(vs))
	for i := range vs {
		out[i] = &gqlListener{s, vs[i], actor}
	}
	return out
}

type uuidPaged struct {
	objs []gqlUUID
	next *gqlCursor
}

func (p *uuidPaged) Objects() []gqlUUID { return p.objs }
func (p *uuidPaged) PageInfo() pageInfo { return pageInfo{p.next} }

// Queries.

func (r *gqlRoot) EventFetch(ctx context.Context, a struct{ Filter eventFilter }) (*gqlEvent, error) {
	q, err := r.req(ctx)
	if err != nil {
		return nil, err
	}
	r.s.ev.tick(q.now)
	f := r.s.ev.fetch(actorOf(ctx), string(a.Filter.Listener))
	if f == nil {
		return nil, nil
	}
	return &gqlEvent{f}, nil
}

func (r *gqlRoot) Events(ctx context.Context, a eventListArgs) (*paged[*gqlFullEvent], error) {
	q, err := r.req(ctx)
	if err != nil {
		return nil, err
	}
	r.s.ev.tick(q.now)
	act := actorOf(ctx)
	f := a.Filter
	if f == nil {
		f = &fullEventFilter{}
	}
	evs := r.s.ev.eventsWhere(func(v *listenerView) bool { return v.Owner == act && f.Listeners.match(v) },
		func(v *eventView) bool { return matchEvent(f.Subjects, f.Priorities, f.Silenced, v) })
	return offsetPage(wrapEvents(r.s, act, evs), a.Limit, a.Cursor)
}

func (r *gqlRoot) EventListeners(ctx context.Context, a listenerListArgs) (*paged[*gqlListener], error) {
	q, err := r.req(ctx)
	if err != nil {
		return nil, err
	}
	r.s.ev.tick(q.now)
	return offsetPage(r.s.listeners(a.Filter, actorOf(ctx)), a.Limit, a.Cursor)
}

func (r *gqlRoot) EventNamespaces(ctx context.Context, a namespaceListArgs) (*paged[*gqlNamespace], error) {
	if _, err := r.req(ctx); err != nil {
		return nil, err
	}
	var all []*gqlNamespace
	if a.Filter.match(moNamespace, namespaceOwner, true) {
		all = append(all, &gqlNamespace{r.s, actorOf(ctx)})
	}
	return offsetPage(all, a.Limit, a.Cursor)
}

// Mutations. They run under the server's write lock.

func (r *gqlRoot) EventListenerDeclare(ctx context.Context, a struct{ Input listenerCreateInput }) (*gqlListener, error) {
	q, err := r.req(ctx)
	if err != nil {
		return nil, err
	}
	act := actorOf(ctx)
	l, err := r.s.ev.declare(act, a.Input.Namespace, a.Input.UserKey, a.Input.RoutingKey)
	if err != nil {
		return nil, err
	}
	r.s.ev.mu.Lock()
	r.s.ev.ensureScheduleLocked(r.s.d, q.now)
	v := l.view()
	r.s.ev.mu.Unlock()
	return &gqlListener{r.s, v, act}, nil
}

func (r *gqlRoot) EventListenerDelete(ctx context.Context, a struct{ Input listenerDeleteInput }) (bool, error) {
	if _, err := r.req(ctx); err != nil {
		return false, err
	}
	if err := r.s.ev.deleteListener(string(a.Input.UUID), a.Input.DeletePendingEvents); err != nil {
		return false, err
	}
	return true, nil
}

func (r *gqlRoot) EventAcknowledge(ctx context.Context, a struct{ Input eventAckInput }) (bool, error) {
	if _, err := r.req(ctx); err != nil {
		return false, err
	}
	if _, err := r.s.ev.ack(actorOf(ctx), string(a.Input.Token)); err != nil {
		return false, err
	}
	return true, nil
}

// refresh emits an event per uuid of the page to the listeners of owner
// (or to one listener), as MO's refresh mutators do; it answers the page.
// MO's AMQP exchange is not faked: with only an exchange nothing is sent.
func (r *gqlRoot) refresh(routingKey string, a refreshArgs, page func() ([]string, *gqlCursor, error)) (*uuidPaged, error) {
	if a.Owner == nil && a.Exchange == nil && a.Listener == nil {
		return nil, errors.New("You must refresh with and owner or an exchange")
	}
	ids, next, err := page()
	if err != nil {
		return nil, err
	}
	out := &uuidPaged{objs: make([]gqlUUID, len(ids)), next: next}
	for i, id := range ids {
		out.objs[i] = gqlUUID(id)
	}
	if a.Owner == nil && a.Listener == nil {
		return out, nil
	}
	t := target{owner: str(a.Owner), listener: str(a.Listener)}
	b := r.s.ev
	b.mu.Lock()
	for _, id := range ids {
		b.emitLocked(routingKey, id, int(a.Priority), t)
	}
	b.mu.Unlock()
	return out, nil
}

func pageIDs[R any](p *paged[*response[R]], err error) ([]string, *gqlCursor, error) {
	if err != nil {
		return nil, nil, err
	}
	ids := make([]string, len(p.objs))
	for i, o := range p.objs {
		ids[i] = o.id
	}
	return ids, p.next, nil
}

func (r *gqlRoot) EmployeeRefresh(ctx context.Context, a refreshArgs) (*uuidPaged, error) {
	q, err := r.req(ctx)
	if err != nil {
		return nil, err
	}
	return r.refresh("person", a, func() ([]string, *gqlCursor, error) {
		return pageIDs(employeesPage(q, queryArgs{a.Filter, a.Limit, a.Cursor}))
	})
}

func (r *gqlRoot) OrgUnitRefresh(ctx context.Context, a refreshArgs) (*uuidPaged, error) {
	q, err := r.req(ctx)
	if err != nil {
		return nil, err
	}
	x := q.x
	return r.refresh("org_unit", a, func() ([]string, *gqlCursor, error) {
		list := sortedCandidates(a.Filter, x.units, x.unitBy, unitID)
		return pageIDs(page(q, a.Filter, a.Limit, a.Cursor, list, x.matchUnit, unitID, unitVal, q.unit, true))
	})
}

// DeleteListener deletes a listener with its pending events, as an
// administrator would behind the integration's back; false when there is
// no such listener.
func (s *Server) DeleteListener(id string) bool {
	s.ev.mu.Lock()
	_, ok := s.ev.listeners[id]
	s.ev.mu.Unlock()
	return ok && s.ev.deleteListener(id, true) == nil
}

// Listener is a declared listener with its pending events, for tests.
type Listener struct {
	UUID, Owner, UserKey, RoutingKey string
	// Pending are the subjects of its pending events, in no order.
	Pending []string
}

// Listeners lists the declared listeners, after a Tick.
func (s *Server) Listeners() []Listener {
	s.Tick()
	b := s.ev
	b.mu.Lock()
	defer b.mu.Unlock()
	out := make([]Listener, 0, len(b.order))
	for _, l := range b.order {
		ls := Listener{UUID: l.UUID, Owner: l.Owner, UserKey: l.UserKey, RoutingKey: l.RoutingKey}
		for subj := range l.events {
			ls.Pending = append(ls.Pending, subj)
		}
		slices.Sort(ls.Pending)
		out = append(out, ls)
	}
	return out
}

// Emit sends an event for subject to every listener of the routing key,
// as MO does for a change of that object (for tests that need an event
// without a change).
func (s *Server) Emit(routingKey, subject string) {
	s.ev.emit(routingKey, subject, DefaultEventPriority, target{})
}
