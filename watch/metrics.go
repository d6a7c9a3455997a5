package watch

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// Metrics are the watcher's Prometheus metrics, on a registry of their own
// (served at /metrics with the Go runtime's).
type Metrics struct {
	Registry *prometheus.Registry

	Events    *prometheus.CounterVec // by routing key and outcome
	Latency   prometheus.Histogram   // fetch → ack, seconds
	Applied   *prometheus.CounterVec // by system and op
	Queued    prometheus.Counter
	QueueLen  prometheus.Gauge // pending items
	ADUSN     prometheus.Gauge
	Errors    *prometheus.CounterVec // by system
	Batches   *prometheus.CounterVec // by trigger
	LastEvent prometheus.Gauge       // unix seconds
}

// NewMetrics makes the metrics and their registry.
func NewMetrics() *Metrics {
	m := &Metrics{
		Registry: prometheus.NewRegistry(),
		Events: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "moxsync_watch_events_total",
			Help: "MO events processed, by routing key and outcome (acked, failed)."}, []string{"routing_key", "outcome"}),
		Latency: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "moxsync_watch_event_latency_seconds",
			Help:    "Time from fetching an MO event to acknowledging it, its changes applied or queued.",
			Buckets: []float64{.01, .025, .05, .1, .25, .5, 1, 2, 4, 8, 16, 32}}),
		Applied: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "moxsync_watch_applied_total",
			Help: "Changes applied (at once or approved), by system and op."}, []string{"system", "op"}),
		Queued: prometheus.NewCounter(prometheus.CounterOpts{Name: "moxsync_watch_queued_total",
			Help: "Changes put in the review queue."}),
		QueueLen: prometheus.NewGauge(prometheus.GaugeOpts{Name: "moxsync_watch_queue_length",
			Help: "Changes waiting in the review queue (pending or approved)."}),
		ADUSN: prometheus.NewGauge(prometheus.GaugeOpts{Name: "moxsync_watch_ad_usn",
			Help: "The highest uSNChanged the AD poll has read."}),
		Errors: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "moxsync_watch_errors_total",
			Help: "Errors, by system (mo, ad, sts, store)."}, []string{"system"}),
		Batches: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "moxsync_watch_batches_total",
			Help: "Re-plans, by what triggered them (events, ad, approved, reconcile)."}, []string{"trigger"}),
		LastEvent: prometheus.NewGauge(prometheus.GaugeOpts{Name: "moxsync_watch_last_event_timestamp_seconds",
			Help: "When the last MO event or AD change was processed (unix time)."}),
	}
	m.Registry.MustRegister(m.Events, m.Latency, m.Applied, m.Queued, m.QueueLen, m.ADUSN, m.Errors, m.Batches, m.LastEvent,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}
