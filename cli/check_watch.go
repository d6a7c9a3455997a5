package cli

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"moxsync/engine"
	"moxsync/settings"
	"moxsync/store"
	"moxsync/wiring"
)

// checkWatch is check's part on the continuous mode: the review queue in
// WATCH_STORE and whether a watch process is running, and MO's event
// listeners of WATCH_LISTENER_PREFIX with their pending events. It prints
// one line when neither exists, and writes nothing (the store is opened
// read-only, no listener is declared).
func checkWatch(ctx context.Context, a *app, s *settings.Settings) {
	fmt.Fprintf(a.stdout, "\nContinuous mode (moxsync watch):\n")
	queueLine(ctx, a, s)
	if s.MO.API == "rest" {
		fmt.Fprintln(a.stdout, "  MO listeners    not readable: MO's event system needs OS2MO_API = graphql")
		return
	}
	mc, err := wiring.NewMOClient(s, a.logger())
	if err != nil {
		fmt.Fprintf(a.stdout, "  MO listeners    %s\n", redact(err.Error(), s))
		return
	}
	defer mc.Close()
	ls, err := mc.Listeners(ctx, s.Watch.ListenerPrefix)
	if err != nil {
		fmt.Fprintf(a.stdout, "  MO listeners    cannot list them: %s\n", redact(engine.MaskCPRs(err.Error()), s))
		return
	}
	if len(ls) == 0 {
		fmt.Fprintf(a.stdout, "  MO listeners    none with the prefix %q (watch declares them when it starts)\n", s.Watch.ListenerPrefix)
		return
	}
	total := 0
	var parts []string
	for _, l := range ls {
		n := ""
		if l.Pending >= 0 {
			total += l.Pending
			n = fmt.Sprintf(" %d", l.Pending)
		}
		parts = append(parts, l.RoutingKey+n)
	}
	fmt.Fprintf(a.stdout, "  MO listeners    %d with the prefix %q, %d %s pending (%s)\n", len(ls), s.Watch.ListenerPrefix, total,
		pluralS(total, "event", "events"), strings.Join(parts, ", "))
}

// queueLine prints the store's queue and the watch process's heartbeat.
func queueLine(ctx context.Context, a *app, s *settings.Settings) {
	if _, err := os.Stat(s.Watch.Store); err != nil {
		fmt.Fprintf(a.stdout, "  review queue    none yet (%s does not exist; watch creates it)\n", s.Watch.Store)
		return
	}
	st, err := store.Open(ctx, s.Watch.Store, store.Options{ReadOnly: true})
	if err != nil {
		fmt.Fprintf(a.stdout, "  review queue    cannot read it: %s\n", err)
		return
	}
	defer st.Close()
	counts, err := st.Count(ctx)
	if err != nil {
		fmt.Fprintf(a.stdout, "  review queue    cannot read it: %s\n", err)
		return
	}
	fmt.Fprintf(a.stdout, "  review queue    %s: %d pending, %d approved, %d rejected, %d applying\n", s.Watch.Store,
		counts[store.Pending], counts[store.Approved], counts[store.Rejected], counts[store.Applying])
	hb, ok, err := st.Watch(ctx)
	switch {
	case err != nil:
		fmt.Fprintf(a.stdout, "  watch process   cannot tell: %s\n", err)
	case !ok:
		fmt.Fprintln(a.stdout, "  watch process   has never run with this store")
	default:
		fmt.Fprintf(a.stdout, "  watch process   %s\n", describeHeartbeat(hb, time.Now()))
	}
}

// describeHeartbeat says whether the watch process runs, and since when it
// last processed an event.
func describeHeartbeat(hb store.Heartbeat, now time.Time) string {
	var b strings.Builder
	switch {
	case hb.Alive(now):
		fmt.Fprintf(&b, "running (pid %d on %s, since %s)", hb.PID, hb.Host, hb.Started.Local().Format("2006-01-02 15:04:05"))
	case hb.Stopped:
		fmt.Fprintf(&b, "not running (stopped %s)", hb.Beat.Local().Format("2006-01-02 15:04:05"))
	default:
		fmt.Fprintf(&b, "not running (pid %d on %s fell silent %s: killed or crashed; the next watch resumes)", hb.PID, hb.Host, hb.Beat.Local().Format("2006-01-02 15:04:05"))
	}
	if !hb.LastEvent.IsZero() {
		fmt.Fprintf(&b, "; last event processed %s", hb.LastEvent.Local().Format("2006-01-02 15:04:05"))
	}
	return b.String()
}
