package watch

import (
	"log/slog"
	"time"

	"moxsync/engine"
	"moxsync/store"
	"moxsync/wiring"
)

// DefaultRoutingKeys are the MO object types whose events the watcher
// listens to: what the AD mapping and the STS export read.
var DefaultRoutingKeys = []string{"person", "engagement", "address", "ituser", "org_unit", "manager", "leave"}

// Config is what a Watcher needs; cli/watch.go builds it from settings.
type Config struct {
	// Env holds the clients, the plan options and the apply options.
	Env *wiring.Env
	// Events and Partial are MO's event system and partial reads (the
	// mo.Client); ADPoll the AD change poll (nil without AD).
	Events  engine.MOEvents
	Partial engine.MOPartialReader
	ADPoll  engine.ADChangeSource
	Store   *store.Store
	// Policy decides what is applied at once (its WindowDestructive is
	// filled in per decision).
	Policy engine.WatchPolicy
	// Window is the rolling window of the safety thresholds (default 1 h).
	Window time.Duration
	// PollInterval is the wait after an empty event fetch and between AD
	// polls (default 1 s).
	PollInterval time.Duration
	// Coalesce is how long events are gathered into one batch after the
	// first arrives (default 250 ms); a batch holds at most MaxBatch
	// events (default 5000).
	Coalesce time.Duration
	MaxBatch int
	// ReconcileAtStart makes a full plan when the watcher starts;
	// ReconcileEvery repeats it (0 = never).
	ReconcileAtStart bool
	ReconcileEvery   time.Duration
	// RoutingKeys and ListenerPrefix name the listeners (default
	// DefaultRoutingKeys, "moxsync-").
	RoutingKeys    []string
	ListenerPrefix string
	// WholePlans makes every re-plan a plan of the whole world, never of
	// the part the event's subjects concern (tests compare the two).
	WholePlans bool
	// StatusEvery is how often a status line is logged (default 1 min).
	StatusEvery time.Duration
	Log         *slog.Logger
	Metrics     *Metrics
	// Operator names who approved nothing: the audit's OS user for the
	// automatic part.
	Now func() time.Time
	// OnBatch, when set, is called after each processed batch (tests and
	// the demo's summary).
	OnBatch func(BatchReport)
}

func (c Config) withDefaults() Config {
	if c.Window <= 0 {
		c.Window = time.Hour
	}
	if c.PollInterval <= 0 {
		c.PollInterval = time.Second
	}
	if c.Coalesce <= 0 {
		c.Coalesce = 250 * time.Millisecond
	}
	if c.MaxBatch <= 0 {
		c.MaxBatch = 5000
	}
	if len(c.RoutingKeys) == 0 {
		c.RoutingKeys = DefaultRoutingKeys
	}
	if c.ListenerPrefix == "" {
		c.ListenerPrefix = "moxsync-"
	}
	if c.StatusEvery <= 0 {
		c.StatusEvery = time.Minute
	}
	if c.Log == nil {
		c.Log = slog.Default()
	}
	if c.Metrics == nil {
		c.Metrics = NewMetrics()
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return c
}

// BatchReport is what one processed batch did.
type BatchReport struct {
	Trigger  string // "events", "ad", "approved", "reconcile"
	Events   int
	Subjects int
	Applied  int
	Queued   int
	Failed   int
	Took     time.Duration
	// Latencies are, per event, the time from its fetch to its ack.
	Latencies []time.Duration
	Err       error
}
