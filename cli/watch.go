package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"time"

	"moxsync/engine"
	"moxsync/settings"
	"moxsync/store"
	"moxsync/watch"
	"moxsync/wiring"
)

func watchCommand() command {
	return command{name: "watch", summary: "sync continuously: react to MO events and AD changes within seconds", run: runWatch}
}

const watchHelp = `Usage: moxsync watch [--readonly] [--http ADDR] [--for DURATION] [--config FILE]

Runs until stopped (SIGTERM or Ctrl-C: the change in flight is finished, then
it exits 0). It declares MO event listeners (WATCH_LISTENER_PREFIX + the
routing key: person, engagement, address, ituser, org_unit, manager, leave),
fetches their events, re-plans only the people and units they concern (one
batched MO read, never a full one) and polls AD for accounts whose uSNChanged
grew, so an AD edit of an MO-owned attribute is corrected back. Changes of
the exported units and people go to STSOrgSync as they happen.

What is applied at once is WATCH_APPLY_AT_ONCE (default: attribute updates);
everything else waits in the review queue in WATCH_STORE, which the TUI
("moxsync") shows live for a person to approve or reject. The delete and
disable thresholds hold for the automatic part per WATCH_SAFETY_WINDOW.
READONLY (or --readonly) queues everything and writes nothing.

A full plan runs at start (WATCH_RECONCILE_AT_START) and every
WATCH_RECONCILE_INTERVAL, through the same policy. An event is acknowledged
only after its changes are applied or queued; MO hands out again what was
not. Killed at any point, a restart resumes from the store: nothing is lost
and the staleness check before each write keeps anything from being written
twice. Logs are structured (MOX_LOG_LEVEL, MOX_LOG_FILE), with a status line
every minute; WATCH_HTTP_ADDR (or --http) serves /healthz and /metrics.
MO must be reached through GraphQL (OS2MO_API = graphql): MO's event system
has no REST API. One watch runs per store.

Flags:
`

func runWatch(ctx context.Context, a *app, args []string) int {
	fs := flag.NewFlagSet("watch", flag.ContinueOnError)
	fs.SetOutput(a.stderr)
	readOnly := fs.Bool("readonly", false, "write nothing (as READONLY = true): every change waits in the queue")
	httpAddr := fs.String("http", "", "serve /healthz and /metrics on `ADDR` (host:port; overrides WATCH_HTTP_ADDR)")
	runFor := fs.Duration("for", 0, "stop after `DURATION` (a trial run; 0 = until stopped)")
	config := addConfigFlag(fs)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), watchHelp)
		fs.PrintDefaults()
		fmt.Fprint(fs.Output(), "\nExit codes: 0 stopped by a signal (or --for), 1 could not start (settings, store, MO).\n")
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitError
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(a.stderr, "moxsync watch: unexpected argument %q\n", fs.Arg(0))
		return exitError
	}
	s, err := a.loadSettings(*config)
	if err != nil {
		return exitError
	}
	defer a.closeAppLog()
	if *httpAddr != "" {
		s.Watch.HTTPAddr = *httpAddr
	}
	if s.MO.API == "rest" {
		fmt.Fprint(a.stderr, "moxsync watch: OS2MO_API = rest: MO's event system is reached only through GraphQL; set OS2MO_API = graphql (and OS2MO_GRAPHQL_URL if needed)\n")
		return exitError
	}
	if *runFor > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, *runFor)
		defer cancel()
	}
	st, err := store.Open(ctx, s.Watch.Store, store.Options{Exclusive: true})
	if err != nil {
		fmt.Fprintf(a.stderr, "moxsync watch: %s\n", err)
		return exitError
	}
	defer st.Close()
	env, err := wiring.Open(ctx, s, wiring.Options{Log: a.logger()})
	if err != nil {
		fmt.Fprintf(a.stderr, "moxsync watch: %s\n", engine.MaskCPRs(err.Error()))
		return exitError
	}
	defer env.Close()
	env.ReadOnly = env.ReadOnly || *readOnly
	// Intents an earlier apply (or watch) left without a result are checked
	// and recorded first, as apply does.
	checks := checkUnfinished(ctx, a, env)
	if len(checks) > 0 {
		o, closeAudit, err := env.ApplyOptions(true)
		if err == nil {
			var sink engine.AuditSink
			if o.Audit != nil && !env.ReadOnly {
				sink = o.Audit
			}
			recordUnfinished(ctx, a, env, checks, sink)
			closeAudit()
		}
	}
	cfg, err := watchConfig(s, env, st)
	if err != nil {
		fmt.Fprintf(a.stderr, "moxsync watch: %s\n", err)
		return exitError
	}
	cfg.Log = a.logger()
	return runWatcher(ctx, a, watch.New(cfg), s.Watch.HTTPAddr)
}

// runWatcher runs w (and its HTTP side when addr is set) until ctx is done.
func runWatcher(ctx context.Context, a *app, w *watch.Watcher, addr string) int {
	httpErr := make(chan error, 1)
	httpCtx, stopHTTP := context.WithCancel(context.WithoutCancel(ctx))
	defer stopHTTP()
	if addr != "" {
		go func() { httpErr <- w.Serve(httpCtx, addr) }()
	}
	runCtx, stopRun := context.WithCancel(ctx)
	defer stopRun()
	done := make(chan error, 1)
	go func() { done <- w.Run(runCtx) }()
	var err error
	select {
	case err = <-done:
	case err = <-httpErr:
		if err != nil {
			stopRun()
			<-done
		}
	}
	if err != nil {
		fmt.Fprintf(a.stderr, "moxsync watch: %s\n", engine.MaskCPRs(err.Error()))
		return exitError
	}
	return exitOK
}

// watchConfig turns the settings and an open Env into the watcher's
// configuration (cli watch and demo --watch).
func watchConfig(s *settings.Settings, env *wiring.Env, st *store.Store) (watch.Config, error) {
	events, ok := env.MO.(engine.MOEvents)
	partial, ok2 := env.MO.(engine.MOPartialReader)
	if !ok || !ok2 {
		return watch.Config{}, errors.New("the MO client cannot read events (OS2MO_API = graphql is needed)")
	}
	var poll engine.ADChangeSource
	if env.Dir != nil {
		poll, _ = env.Dir.(engine.ADChangeSource)
	}
	ops := make([]engine.Op, 0, len(s.Watch.ApplyAtOnce))
	for _, o := range s.Watch.ApplyAtOnce {
		ops = append(ops, engine.Op(o))
	}
	return watch.Config{
		Env: env, Events: events, Partial: partial, ADPoll: poll, Store: st,
		Policy:           engine.WatchPolicy{AtOnce: ops, ReadOnly: env.ReadOnly, Thresholds: env.Thresholds, Setting: "WATCH_APPLY_AT_ONCE"},
		Window:           s.Watch.SafetyWindow,
		PollInterval:     s.Watch.PollInterval,
		Coalesce:         s.Watch.Coalesce,
		ReconcileAtStart: s.Watch.ReconcileAtStart,
		ReconcileEvery:   s.Watch.ReconcileInterval,
		ListenerPrefix:   s.Watch.ListenerPrefix,
		Now:              env.Now,
		StatusEvery:      time.Minute,
	}, nil
}
