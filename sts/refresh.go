package sts

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"

	"moxsync/engine"
)

// RefreshStats counts what a Refresh did.
type RefreshStats struct {
	Read     int // objects read back and recorded
	NotFound int // objects STS does not have (forgotten)
	Failed   int // reads that failed (entry left as it was)
	// HeldUnits and HeldUsers are how many units and users STS said it
	// holds, and Via which reads said so (Holdings.Via); set by Rebuild.
	HeldUnits, HeldUsers int
	Via                  string
}

// Refresh repairs the record from STS itself: it reads every given unit and
// user, plus every object already recorded, by uuid, with at most
// concurrency reads at a time (default 4). A found object replaces its
// entry with what STS holds; a 404 removes the entry; a failed read leaves
// the entry alone and is reported in the joined error. Save afterwards.
// Rebuild (--refresh-sts) adds what STS's own lists name.
func (s *State) Refresh(ctx context.Context, t engine.STSTarget, units, users []string, concurrency int) (RefreshStats, error) {
	if concurrency <= 0 {
		concurrency = 4
	}
	s.mu.Lock()
	uset := make(map[string]bool, len(units)+len(s.units))
	for id := range s.units {
		uset[id] = true
	}
	pset := make(map[string]bool, len(users)+len(s.users))
	for id := range s.users {
		pset[id] = true
	}
	s.mu.Unlock()
	for _, id := range units {
		uset[strings.ToLower(id)] = true
	}
	for _, id := range users {
		pset[strings.ToLower(id)] = true
	}
	type job struct {
		unit bool
		id   string
	}
	jobs := make(chan job)
	var (
		mu    sync.Mutex
		st    RefreshStats
		errs  []error
		wg    sync.WaitGroup
		count = func(f func()) { mu.Lock(); f(); mu.Unlock() }
	)
	for range concurrency {
		wg.Go(func() {
			for j := range jobs {
				var err error
				if j.unit {
					var u engine.STSUnit
					if u, err = t.GetUnit(ctx, j.id); err == nil {
						u.UUID = j.id
						s.PutUnit(u)
					} else if engine.KindOf(err) == engine.KindNotFound {
						s.RemoveUnit(j.id)
					}
				} else {
					var u engine.STSUser
					if u, err = t.GetUser(ctx, j.id); err == nil {
						u.UUID = j.id
						s.PutUser(u)
					} else if engine.KindOf(err) == engine.KindNotFound {
						s.RemoveUser(j.id)
					}
				}
				switch {
				case err == nil:
					count(func() { st.Read++ })
				case engine.KindOf(err) == engine.KindNotFound:
					count(func() { st.NotFound++ })
				default:
					count(func() { st.Failed++; errs = append(errs, err) })
				}
			}
		})
	}
feed:
	for _, id := range slices.Sorted(maps.Keys(uset)) {
		select {
		case jobs <- job{unit: true, id: id}:
		case <-ctx.Done():
			break feed
		}
	}
	if ctx.Err() == nil {
	feedUsers:
		for _, id := range slices.Sorted(maps.Keys(pset)) {
			select {
			case jobs <- job{id: id}:
			case <-ctx.Done():
				break feedUsers
			}
		}
	}
	close(jobs)
	wg.Wait()
	if ctx.Err() != nil {
		errs = append(errs, fmt.Errorf("sts: refresh interrupted: %w", ctx.Err()))
	}
	if len(errs) > 10 {
		errs = append(errs[:10], fmt.Errorf("and %d more failed reads", len(errs)-10))
	}
	return st, errors.Join(errs...)
}
