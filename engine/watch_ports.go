package engine

import (
	"context"
	"time"
)

// The ports of the continuous mode (moxsync watch, events.md). The batch
// ports above stay as they are; an adapter implements these beside them.

// MOEvent is one event fetched from one of MO's event listeners
// (events.md §1): Subject is the UUID of the affected object, whose type
// RoutingKey names ("person", "engagement", "address", "ituser",
// "org_unit", …). Token acknowledges it.
type MOEvent struct {
	Listener   string `json:"listener"`
	RoutingKey string `json:"routing_key"`
	Subject    string `json:"subject"`
	Priority   int    `json:"priority"`
	Token      string `json:"token"`
}

// MOListener is one declared event listener.
type MOListener struct {
	UUID       string `json:"uuid"`
	UserKey    string `json:"user_key"`
	RoutingKey string `json:"routing_key"`
	// Pending is the number of events waiting for the listener, when MO
	// tells (-1 when unknown).
	Pending int `json:"pending"`
}

// MOEvents is MO's event system as the continuous mode uses it.
type MOEvents interface {
	// DeclareListeners declares, idempotently, one listener in namespace
	// "mo" per routing key, with user key prefix+routing key, and returns
	// them (in the order of routingKeys).
	DeclareListeners(ctx context.Context, prefix string, routingKeys []string) ([]MOListener, error)
	// FetchEvent fetches one event for the listener; nil, nil when there is
	// none. A listener MO no longer knows is an *Error of KindNotFound.
	FetchEvent(ctx context.Context, listener string) (*MOEvent, error)
	// AckEvent acknowledges an event by its token.
	AckEvent(ctx context.Context, token string) error
	// Listeners lists the integration's listeners with their pending
	// counts (for check).
	Listeners(ctx context.Context, prefix string) ([]MOListener, error)
}

// Subjects are the people and units an event (or a batch of them) concerns.
// Full asks for a full re-plan (a class, IT system or facet changed).
type Subjects struct {
	People []string `json:"people,omitempty"`
	Units  []string `json:"units,omitempty"`
	Full   bool     `json:"full,omitempty"`
}

// MOPartialReader reads what the planner needs of a few people and units.
type MOPartialReader interface {
	// Resolve maps event subjects of one routing key to the people and
	// units they concern (events.md §1's table): a terminated engagement
	// or address still resolves to its person. A subject MO does not know
	// at all resolves to nothing.
	Resolve(ctx context.Context, routingKey string, subjects []string) (Subjects, error)
	// Partial reads the given people and units, as Snapshot would read
	// them, in one batched read per object kind (never the whole of MO).
	// People or units MO no longer holds (or that lie outside the top
	// unit) are listed in Missing, so the caller can drop them from what
	// it holds.
	Partial(ctx context.Context, people, units []string) (*PartialSnapshot, error)
}

// PartialSnapshot is the answer of MOPartialReader.Partial.
type PartialSnapshot struct {
	ReadAt        time.Time `json:"read_at"`
	People        []Person  `json:"people"`
	Units         []Unit    `json:"units"`
	MissingPeople []string  `json:"missing_people,omitempty"`
	MissingUnits  []string  `json:"missing_units,omitempty"`
	Warnings      []Warning `json:"warnings,omitempty"`
}

// ADPosition is how far the AD change poll has read on one domain
// controller: its identity (the rootDSE's dsServiceName) and the highest
// uSNChanged seen, both from the server.
type ADPosition struct {
	DC  string `json:"dc"`
	USN int64  `json:"usn"`
}

// ADChanges is one AD change poll.
type ADChanges struct {
	Accounts []Account
	// Position is where the next poll starts.
	Position ADPosition
	// Reset is set when the stored position was meaningless (another DC,
	// the USN went backwards, or none yet): Accounts then holds every
	// person account (a full read), and the caller replaces what it holds.
	Reset bool
	// Why says why a reset happened ("first poll", "the DC changed from
	// X to Y", "the USN went back from N to M").
	Why string
}

// ADChangeSource polls one domain controller for changed accounts.
type ADChangeSource interface {
	// ChangedSince reads the person accounts under the search base whose
	// uSNChanged is above pos.USN, with the given mapped attributes, and
	// the new position.
	ChangedSince(ctx context.Context, pos ADPosition, attrs []string) (ADChanges, error)
}
