package watch

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// health is what /healthz reports: the processing loop's last turn.
type health struct {
	lastLoop  atomic.Int64 // unix nanos
	lastEvent atomic.Int64
	interval  time.Duration
}

func (h *health) beat(t time.Time) { h.lastLoop.Store(t.UnixNano()) }

// Serve serves /healthz and /metrics on addr until ctx is done. /healthz
// answers 200 while the processing loop has turned within three poll
// intervals (and at least 30 s), else 503.
func (w *Watcher) Serve(ctx context.Context, addr string) error {
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(w.cfg.Metrics.Registry, promhttp.HandlerOpts{}))
	mux.HandleFunc("/healthz", func(rw http.ResponseWriter, r *http.Request) {
		now := w.cfg.Now()
		last := time.Unix(0, w.health.lastLoop.Load())
		limit := max(3*w.cfg.PollInterval, 30*time.Second)
		ok := w.health.lastLoop.Load() != 0 && now.Sub(last) < limit
		body := map[string]any{"status": "ok", "last_loop": last.UTC().Format(time.RFC3339Nano)}
		if le := w.health.lastEvent.Load(); le != 0 {
			body["last_event"] = time.Unix(0, le).UTC().Format(time.RFC3339Nano)
		}
		rw.Header().Set("Content-Type", "application/json")
		if !ok {
			body["status"] = "stalled"
			rw.WriteHeader(http.StatusServiceUnavailable)
		}
		json.NewEncoder(rw).Encode(body)
	})
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("watch: WATCH_HTTP_ADDR %s: %w", addr, err)
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(sctx)
	}()
	w.cfg.Log.Info("watch: serving /healthz and /metrics", "addr", ln.Addr().String())
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("watch: http: %w", err)
	}
	return nil
}
