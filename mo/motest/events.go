package motest

import (
	"container/heap"
	"encoding/base64"
	"errors"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
)

// The fake's event system, as OS2MO's (events.md §1; MO's db/events.py and
// graphapi events.py): listeners in namespace "mo", one pending event per
// listener and subject, fetched one at a time, acknowledged by token.
//
//   - An emit for a subject already pending for a listener is merged into
//     it, as MO's upsert does: the lower priority wins, the generation
//     changes (so an acknowledgement of the token fetched before the merge
//     removes nothing and the new change is not lost), and the event is
//     ready at once again (its backoff is reset).
//   - event_fetch hands out the ready event with the lowest (priority,
//     times fetched), marks it tried and holds it back until
//     lastTried + max(Options.EventRetryDelay, min(2^fetched s, 17 h)),
//     MO's backoff (3 minutes for the first seven tries).
//   - event_acknowledge deletes the event when the token's generation is
//     still the event's; any other token is accepted and changes nothing.
//
// Retry delays are measured on Options.EventNow (default: the wall clock),
// not on Options.Now, so redelivery also happens in a demo whose data
// clock stands still; tests pass a controllable clock.

// DefaultEventRetryDelay is MO's shortest wait before a fetched but
// unacknowledged event is handed out again.
const DefaultEventRetryDelay = 3 * time.Minute

// DefaultEventPriority is the priority of MO's own events.
const DefaultEventPriority = 10000

// maxEventBackoff caps the exponential backoff, as MO does.
const maxEventBackoff = 17 * time.Hour

// moNamespace is the public namespace MO's own objects emit events in;
// namespaceOwner is the owner MO reports for it.
const (
	moNamespace    = "mo"
	namespaceOwner = "00000000-0000-0000-0000-000000000000"
)

// eventBus holds the listeners and their pending events.
type eventBus struct {
	retryDelay time.Duration
	clock      func() time.Time // for retry delays

	mu        sync.Mutex
	listeners map[string]*listener // by uuid
	order     []*listener          // in declaration order
	byPK      map[string]*event    // pending events by their pk
	seq       int64
	sched     *schedule // validity boundaries; nil until the first listener
}

func newEventBus(o Options) *eventBus {
	b := &eventBus{retryDelay: o.EventRetryDelay, clock: o.EventNow,
		listeners: map[string]*listener{}, byPK: map[string]*event{}}
	if b.retryDelay <= 0 {
		b.retryDelay = DefaultEventRetryDelay
	}
	if b.clock == nil {
		b.clock = time.Now
	}
	return b
}

// listener is one declared event listener.
type listener struct {
	UUID, Owner, Namespace, UserKey, RoutingKey string

	events  map[string]*event // pending, by subject
	ready   evHeap            // may be fetched now
	waiting evHeap            // fetched, not acknowledged: by retryAt
}

// event is one pending event of one listener.
type event struct {
	pk, generation string
	l              *listener
	subject        string
	priority       int
	fetched        int
	lastTried      time.Time // zero: never tried (or merged since)
	retryAt        time.Time
	seq            int64 // emit order, the last tie-breaker

	idx     int // position in its heap
	waiting bool
}

// token is the event's EventToken, as MO builds it: base64 of
// "<pk>.<generation>".
func (e *event) token() string {
	return base64.StdEncoding.EncodeToString([]byte(e.pk + "." + e.generation))
}

// parseEventToken reads a token back; MO answers a token it cannot read
// with "Could not parse EventToken".
func parseEventToken(s string) (pk, generation string, err error) {
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return "", "", errBadToken
	}
	pk, generation, ok := strings.Cut(string(b), ".")
	if !ok {
		return "", "", errBadToken
	}
	if _, err := uuid.Parse(pk); err != nil {
		return "", "", errBadToken
	}
	if _, err := uuid.Parse(generation); err != nil {
		return "", "", errBadToken
	}
	return pk, generation, nil
}

var errBadToken = errors.New("Could not parse EventToken")

// evHeap is a heap of events with its own order.
type evHeap struct {
	items []*event
	less  func(a, b *event) bool
}

func (h *evHeap) Len() int           { return len(h.items) }
func (h *evHeap) Less(i, j int) bool { return h.less(h.items[i], h.items[j]) }
func (h *evHeap) Swap(i, j int) {
	h.items[i], h.items[j] = h.items[j], h.items[i]
	h.items[i].idx, h.items[j].idx = i, j
}
func (h *evHeap) Push(x any) { e := x.(*event); e.idx = len(h.items); h.items = append(h.items, e) }
func (h *evHeap) Pop() any {
	n := len(h.items) - 1
	e := h.items[n]
	h.items[n] = nil
	h.items = h.items[:n]
	e.idx = -1
	return e
}

func readyFirst(a, b *event) bool {
	if a.priority != b.priority {
		return a.priority < b.priority
	}
	if a.fetched != b.fetched {
		return a.fetched < b.fetched
	}
	return a.seq < b.seq
}

func retryFirst(a, b *event) bool {
	if !a.retryAt.Equal(b.retryAt) {
		return a.retryAt.Before(b.retryAt)
	}
	return a.seq < b.seq
}

func newListener(owner, namespace, userKey, routingKey string) *listener {
	return &listener{UUID: uuid.NewString(), Owner: owner, Namespace: namespace, UserKey: userKey, RoutingKey: routingKey,
		events: map[string]*event{}, ready: evHeap{less: readyFirst}, waiting: evHeap{less: retryFirst}}
}

func (l *listener) heapOf(e *event) *evHeap {
	if e.waiting {
		return &l.waiting
	}
	return &l.ready
}

// remove takes e out of its heap.
func (l *listener) remove(e *event) { heap.Remove(l.heapOf(e), e.idx) }

// declare returns the listener of owner with userKey in namespace, made
// now if there is none (MO's event_listener_declare). A listener with that
// user key but another routing key is an error, as in MO.
func (b *eventBus) declare(owner, namespace, userKey, routingKey string) (*listener, error) {
	if namespace != moNamespace {
		return nil, errors.New("Namespace does not exist")
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, l := range b.order {
		if l.Owner == owner && l.Namespace == namespace && l.UserKey == userKey {
			if l.RoutingKey != routingKey {
				return nil, errors.New("There already exists a listener with this user_key and a different routing_key")
			}
			return l, nil
		}
	}
	l := newListener(owner, namespace, userKey, routingKey)
	b.listeners[l.UUID] = l
	b.order = append(b.order, l)
	return l, nil
}

// deleteListener removes a listener. With pending events it refuses,
// unless deletePending, as MO does.
func (b *eventBus) deleteListener(id string, deletePending bool) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	l := b.listeners[id]
	if l == nil {
		return nil
	}
	if len(l.events) > 0 && !deletePending {
		return errors.New("There are pending events for this listener. Consider carefully if these need to be handled first. You can delete the listener anyway with `delete_pending_events`.")
	}
	for _, e := range l.events {
		delete(b.byPK, e.pk)
	}
	delete(b.listeners, id)
	for i, o := range b.order {
		if o == l {
			b.order = append(b.order[:i], b.order[i+1:]...)
			break
		}
	}
	return nil
}

// target selects the listeners an emit reaches: all in namespace "mo" with
// the routing key, or only those of one owner, or one listener.
type target struct {
	owner, listener string
}

// emit adds or merges an event for subject to every listener the target
// selects. The caller holds b.mu.
func (b *eventBus) emitLocked(routingKey, subject string, priority int, t target) {
	for _, l := range b.order {
		if l.Namespace != moNamespace || l.RoutingKey != routingKey ||
			(t.owner != "" && l.Owner != t.owner) || (t.listener != "" && l.UUID != t.listener) {
			continue
		}
		b.seq++
		if e := l.events[subject]; e != nil {
			l.remove(e)
			e.generation = uuid.NewString()
			e.priority = min(e.priority, priority)
			e.fetched, e.lastTried, e.retryAt, e.waiting = 0, time.Time{}, time.Time{}, false
			heap.Push(&l.ready, e)
			continue
		}
		e := &event{pk: uuid.NewString(), generation: uuid.NewString(), l: l, subject: subject, priority: priority, seq: b.seq}
		l.events[subject] = e
		b.byPK[e.pk] = e
		heap.Push(&l.ready, e)
	}
}

// emit is emitLocked for one subject, taking the lock.
func (b *eventBus) emit(routingKey, subject string, priority int, t target) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.emitLocked(routingKey, subject, priority, t)
}

// backoff is how long an event fetched n times is held back.
func (b *eventBus) backoff(n int) time.Duration {
	exp := maxEventBackoff
	if n < 32 {
		if d := time.Duration(1<<n) * time.Second; d < exp {
			exp = d
		}
	}
	return max(b.retryDelay, exp)
}

// fetched is what event_fetch hands out.
type fetched struct {
	subject  string
	priority int
	token    string
}

// fetch hands out one event of the listener (owned by owner), or nil: an
// unknown listener, one of another owner, or nothing ready.
func (b *eventBus) fetch(owner, id string) *fetched {
	b.mu.Lock()
	defer b.mu.Unlock()
	l := b.listeners[id]
	if l == nil || l.Owner != owner {
		return nil
	}
	now := b.clock()
	for l.waiting.Len() > 0 && !l.waiting.items[0].retryAt.After(now) {
		e := heap.Pop(&l.waiting).(*event)
		e.waiting = false
		heap.Push(&l.ready, e)
	}
	if l.ready.Len() == 0 {
		return nil
	}
	e := heap.Pop(&l.ready).(*event)
	e.fetched++
	e.lastTried = now
	e.retryAt = now.Add(b.backoff(e.fetched))
	e.waiting = true
	heap.Push(&l.waiting, e)
	return &fetched{subject: e.subject, priority: e.priority, token: e.token()}
}

// ack deletes the event a token names, when its generation is current and
// owner owns its listener. It reports whether an event was deleted.
func (b *eventBus) ack(owner, token string) (bool, error) {
	pk, gen, err := parseEventToken(token)
	if err != nil {
		return false, err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	e := b.byPK[pk]
	if e == nil || e.generation != gen || e.l.Owner != owner {
		return false, nil
	}
	e.l.remove(e)
	delete(e.l.events, e.subject)
	delete(b.byPK, pk)
	return true, nil
}

// listenerView is a copy of a listener's identity, safe to use unlocked.
type listenerView struct {
	UUID, Owner, Namespace, UserKey, RoutingKey string
}

func (l *listener) view() listenerView {
	return listenerView{l.UUID, l.Owner, l.Namespace, l.UserKey, l.RoutingKey}
}

// eventView is a pending event as the events collection shows it.
type eventView struct {
	Subject   string
	Priority  int
	Listener  listenerView
	lastTried time.Time
	seq       int64
}

// listenersWhere lists the listeners match accepts, in declaration order.
func (b *eventBus) listenersWhere(match func(*listenerView) bool) []listenerView {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []listenerView
	for _, l := range b.order {
		if v := l.view(); match(&v) {
			out = append(out, v)
		}
	}
	return out
}

// eventsWhere lists the pending events of the listeners matchListener
// accepts that match accepts, ordered as MO orders them (priority, then
// last tried).
func (b *eventBus) eventsWhere(matchListener func(*listenerView) bool, match func(*eventView) bool) []eventView {
	b.mu.Lock()
	var out []eventView
	for _, l := range b.order {
		lv := l.view()
		if !matchListener(&lv) {
			continue
		}
		for _, e := range l.events {
			v := eventView{Subject: e.subject, Priority: e.priority, Listener: lv, lastTried: e.lastTried, seq: e.seq}
			if match(&v) {
				out = append(out, v)
			}
		}
	}
	b.mu.Unlock()
	sort.Slice(out, func(i, j int) bool {
		a, c := &out[i], &out[j]
		if a.Priority != c.Priority {
			return a.Priority < c.Priority
		}
		if !a.lastTried.Equal(c.lastTried) {
			return a.lastTried.Before(c.lastTried)
		}
		return a.seq < c.seq
	})
	return out
}

// hasListeners reports whether any listener exists (emits are free
// without).
func (b *eventBus) hasListeners() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.order) > 0
}
