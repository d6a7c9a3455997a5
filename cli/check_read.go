package cli

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"regexp"
	"strings"
	"sync"
	"time"

	"moxsync/engine"
	"moxsync/settings"
	"moxsync/sts"
	"moxsync/wiring"
)

// The second part of `moxsync check`: when every configured system
// answered, a full read of each, as plan reads them, with counts.

// readOutcome is the full read of one system.
type readOutcome struct {
	system  string
	summary string
	err     error
	elapsed time.Duration
}

// fullReadTick is how often check says on stderr which reads are still
// running.
var fullReadTick = 5 * time.Second

// runFullRead reads every configured system at the same time, with progress
// lines on progress (stderr), and returns the outcomes in probes() order.
// stsAnswer is the STSOrgSync probe's line (whether the middleware answers).
func runFullRead(ctx context.Context, s *settings.Settings, log *slog.Logger, progress io.Writer, stsAnswer string) []readOutcome {
	type reader struct {
		system string
		read   func(ctx context.Context) (string, error)
	}
	var rs []reader
	if s.MO.Configured() {
		rs = append(rs, reader{"MO", func(ctx context.Context) (string, error) { return readMOCounts(ctx, s, log) }})
	}
	if s.AD.Configured() {
		rs = append(rs, reader{"AD", func(ctx context.Context) (string, error) { return readADCounts(ctx, s, log) }})
	}
	if s.STS.Configured() {
		rs = append(rs, reader{"STSOrgSync", func(context.Context) (string, error) { return readSTSRecord(s, stsAnswer) }})
	}
	out := make([]readOutcome, len(rs))
	var (
		mu      sync.Mutex
		running = map[string]time.Time{}
		wg      sync.WaitGroup
	)
	say := func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(progress, "moxsync check: "+format+"\n", args...)
	}
	for i, r := range rs {
		out[i].system = r.system
		mu.Lock()
		running[r.system] = time.Now()
		mu.Unlock()
		say("reading %s…", r.system)
		wg.Go(func() {
			start := time.Now()
			out[i].summary, out[i].err = r.read(ctx)
			out[i].elapsed = time.Since(start)
			mu.Lock()
			delete(running, r.system)
			mu.Unlock()
			if out[i].err != nil {
				say("reading %s failed after %s", r.system, roundDuration(out[i].elapsed))
			} else {
				say("read %s in %s", r.system, roundDuration(out[i].elapsed))
			}
		})
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	tick := time.NewTicker(fullReadTick)
	defer tick.Stop()
	for {
		select {
		case <-done:
			return out
		case <-tick.C:
			mu.Lock()
			var still []string
			for _, r := range rs {
				if start, ok := running[r.system]; ok {
					still = append(still, fmt.Sprintf("%s (%s)", r.system, roundDuration(time.Since(start))))
				}
			}
			mu.Unlock()
			if len(still) > 0 {
				say("still reading %s", strings.Join(still, ", "))
			}
		}
	}
}

// readMOCounts reads the MO snapshot plan reads and counts what is in it.
func readMOCounts(ctx context.Context, s *settings.Settings, log *slog.Logger) (string, error) {
	mc, err := wiring.NewMOClient(s, log)
	if err != nil {
		return "", err
	}
	defer mc.Close()
	snap, err := mc.Snapshot(ctx)
	if err != nil {
		return "", err
	}
	engagements, itusers := 0, 0
	adSystem := engine.FindITSystem(snap, s.MO.ADITSystem)
	for _, p := range snap.People {
		engagements += len(p.Engagements)
		for _, it := range p.ITUsers {
			if adSystem != "" && it.ITSystemUUID == adSystem {
				itusers++
			}
		}
	}
	units := fmt.Sprintf("%d units", len(snap.Units))
	if s.MO.TopUnitUUID != "" {
		units += " under the top unit"
	}
	its := fmt.Sprintf("%d IT users in %q", itusers, s.MO.ADITSystem)
	if adSystem == "" {
		its = fmt.Sprintf("no IT system %q (OS2MO_AD_ITSYSTEM)", s.MO.ADITSystem)
		if m, err := engine.ParseMapping(s.AD.Mapping); s.AD.Configured() && err == nil &&
			(len(m.ADToMO()) > 0 || strings.EqualFold(s.AD.MatchBy, string(engine.MatchByObjectGUID))) {
			return "", fmt.Errorf("MO has %s, %d people; but no IT system %q (OS2MO_AD_ITSYSTEM), which the AD mapping writes to",
				units, len(snap.People), s.MO.ADITSystem)
		}
	}
	sum := fmt.Sprintf("%s, %d people, %d engagements, %s", units, len(snap.People), engagements, its)
	if n := len(snap.Warnings); n > 0 {
		sum += fmt.Sprintf(", %d %s", n, pluralS(n, "warning", "warnings"))
	}
	n := int(mc.Requests())
	return sum + fmt.Sprintf(", %d %s", n, pluralS(n, "request", "requests")), nil
}

// readADCounts reads AD's accounts and names in use as plan does.
func readADCounts(ctx context.Context, s *settings.Settings, log *slog.Logger) (string, error) {
	m, err := engine.ParseMapping(s.AD.Mapping)
	if err != nil {
		return "", fmt.Errorf("AD_MAPPING: %w", err)
	}
	d, err := wiring.DialAD(ctx, s, log)
	if err != nil {
		return "", err
	}
	defer d.Close()
	accounts, taken, err := wiring.ReadAD(ctx, d, m.ReadAttributes()) // as a plan reads
	if err != nil {
		return "", err
	}
	disabled := 0
	for _, a := range accounts {
		if a.Disabled() {
			disabled++
		}
	}
	return fmt.Sprintf("%d accounts under %s, %d disabled, %d names taken", len(accounts), s.AD.SearchBase, disabled, len(taken.Usernames)), nil
}

// readSTSRecord reads the local record of what STS holds (STS itself
// cannot be listed) and adds whether the middleware answered the probe.
func readSTSRecord(s *settings.Settings, stsAnswer string) (string, error) {
	state, warns, err := sts.LoadState(s.STS.HashCache)
	if err != nil {
		return "", fmt.Errorf("STSORGSYNC_HASH_CACHE: %w", err)
	}
	units, users := state.Len()
	sum := fmt.Sprintf("record %s: %d units, %d users recorded", s.STS.HashCache, units, users)
	for _, w := range warns {
		sum += " (" + w.Message + ")"
	}
	if stsAnswer != "" {
		sum += "; the middleware answers: " + probeTiming.ReplaceAllString(stsAnswer, "")
	}
	return sum, nil
}

// probeTiming is the " (N ms)" a probe's line ends in.
var probeTiming = regexp.MustCompile(` \(\d+ ms\)$`)

// roundDuration shows a duration as people read it: 850ms, 1.2s, 2m3s.
func roundDuration(d time.Duration) string {
	switch {
	case d < time.Second:
		return d.Round(time.Millisecond).String()
	case d < time.Minute:
		return d.Round(100 * time.Millisecond).String()
	}
	return d.Round(time.Second).String()
}
