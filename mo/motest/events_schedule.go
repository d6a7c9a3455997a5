package motest

import (
	"container/heap"
	"time"

	"moxsync/engine"
)

// MO emits an event when an object goes into or out of effect, not only
// when it is written: a future-dated engagement produces one on its start
// date. The fake keeps the coming validity boundaries (starts and ends
// after the clock) of every object in a heap, built from the Dataset when
// the first listener is declared and extended by every write; when the
// fake's clock (Options.Now) has passed a boundary, the object's event is
// emitted. That happens lazily before event_fetch, events and
// event_listeners answer, and on Server.Tick. A boundary that an edit made
// obsolete still emits once (MO's events may carry no change, too).

// boundary is one coming validity edge of one object.
type boundary struct {
	at                  time.Time
	routingKey, subject string
}

type boundaryHeap []boundary

func (h boundaryHeap) Len() int           { return len(h) }
func (h boundaryHeap) Less(i, j int) bool { return h[i].at.Before(h[j].at) }
func (h boundaryHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *boundaryHeap) Push(x any)        { *h = append(*h, x.(boundary)) }
func (h *boundaryHeap) Pop() any {
	old := *h
	b := old[len(old)-1]
	*h = old[:len(old)-1]
	return b
}

// schedule is the heap and how far the clock has been seen.
type schedule struct {
	h    boundaryHeap
	last time.Time
}

// add schedules v's start and end when they lie after the last tick.
func (s *schedule) add(routingKey, subject string, v engine.Validity) {
	for _, t := range []time.Time{v.From, v.To} {
		if !t.IsZero() && t.After(s.last) {
			heap.Push(&s.h, boundary{t, routingKey, subject})
		}
	}
}

// eachObject calls fn for every object of d that emits events, with its
// routing key (MO's names) and validity.
func eachObject(d *Dataset, fn func(routingKey, subject string, v engine.Validity)) {
	for i := range d.Units {
		fn("org_unit", d.Units[i].UUID, d.Units[i].Validity)
	}
	for i := range d.People {
		fn("person", d.People[i].UUID, d.People[i].Validity)
	}
	for i := range d.Engagements {
		fn("engagement", d.Engagements[i].UUID, d.Engagements[i].Validity)
	}
	for i := range d.Addresses {
		fn("address", d.Addresses[i].UUID, d.Addresses[i].Validity)
	}
	for i := range d.ITUsers {
		fn("ituser", d.ITUsers[i].UUID, d.ITUsers[i].Validity)
	}
	for i := range d.Managers {
		fn("manager", d.Managers[i].UUID, d.Managers[i].Validity)
	}
	for i := range d.ITSystems {
		fn("itsystem", d.ITSystems[i].UUID, d.ITSystems[i].Validity)
	}
}

// buildSchedule makes the schedule of d's boundaries after now.
func buildSchedule(d *Dataset, now time.Time) *schedule {
	s := &schedule{last: now}
	eachObject(d, func(rk, id string, v engine.Validity) {
		for _, t := range []time.Time{v.From, v.To} {
			if !t.IsZero() && t.After(now) {
				s.h = append(s.h, boundary{t, rk, id})
			}
		}
	})
	heap.Init(&s.h)
	return s
}

// ensureSchedule builds the schedule at the first listener. The caller
// holds the server's lock (it reads d) and b.mu.
func (b *eventBus) ensureScheduleLocked(d *Dataset, now time.Time) {
	if b.sched == nil {
		b.sched = buildSchedule(d, now)
	}
}

// tickLocked emits the events of the boundaries the clock has passed.
func (b *eventBus) tickLocked(now time.Time) int {
	s := b.sched
	if s == nil {
		return 0
	}
	n := 0
	for s.h.Len() > 0 && !s.h[0].at.After(now) {
		bd := heap.Pop(&s.h).(boundary)
		b.emitLocked(bd.routingKey, bd.subject, DefaultEventPriority, target{})
		n++
	}
	if now.After(s.last) {
		s.last = now
	}
	return n
}

// tick is tickLocked taking the lock.
func (b *eventBus) tick(now time.Time) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.tickLocked(now)
}

// Tick emits the events of objects that went into or out of effect since
// the last tick, by the server's clock (Options.Now), and returns how many
// it emitted. event_fetch and the events collections tick by themselves;
// tests call Tick to see the events in a Server method at once.
func (s *Server) Tick() int {
	return s.ev.tick(s.opts.Now())
}

// emitWrite emits the event of an object the server wrote (routing key and
// uuid) and schedules its new validity boundaries. The caller holds s.rw
// exclusively.
func (s *Server) emitWrite(routingKey, id string, v engine.Validity) {
	b := s.ev
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.order) == 0 {
		return // nobody listens; the schedule is built at the first listener
	}
	b.emitLocked(routingKey, id, DefaultEventPriority, target{})
	if b.sched != nil {
		b.sched.add(routingKey, id, v)
	}
}

// rescheduleLocked rebuilds the schedule after the Dataset was replaced
// (Reload). The caller holds s.rw exclusively.
func (s *Server) reschedule() {
	b := s.ev
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.sched != nil {
		b.sched = buildSchedule(s.d, b.sched.last)
	}
}
