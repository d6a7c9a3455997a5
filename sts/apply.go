package sts

import (
	"context"
	"fmt"
	"sync"

	"moxsync/engine"
)

// DefaultConcurrency is how many STS writes run at a time unless told
// otherwise (STSORGSYNC_CONCURRENCY): the real middleware is slow, and
// queues the writes anyway.
const DefaultConcurrency = 4

// ApplyChanges sends STS changes (as made by engine.DiffSTS) to t with at
// most concurrency requests in flight, in an order that keeps the
// middleware's queue sound: unit upserts level by level (a parent before
// its children), then user upserts, then user deletes, then unit deletes
// level by level from the leaves. Within a level the order is free. A change
// whose DependsOn change failed is not sent; it reports an error of
// engine.KindRefused. done, when not nil, is called once per change with
// its outcome; calls are serialised. It returns the number of failed (or
// skipped) changes. Changes of other systems are ignored.
func ApplyChanges(ctx context.Context, t engine.STSTarget, changes []engine.Change, concurrency int, done func(c *engine.Change, err error)) int {
	if concurrency <= 0 {
		concurrency = DefaultConcurrency
	}
	var (
		mu     sync.Mutex
		failed = map[string]bool{}
		nfail  int
	)
	report := func(c *engine.Change, err error) {
		mu.Lock()
		defer mu.Unlock()
		if err != nil {
			failed[c.ID] = true
			nfail++
		}
		if done != nil {
			done(c, err)
		}
	}
	for _, group := range applyGroups(changes) {
		sem := make(chan struct{}, concurrency)
		var wg sync.WaitGroup
		for _, c := range group {
			mu.Lock()
			blocked := c.DependsOn != "" && failed[c.DependsOn]
			mu.Unlock()
			if blocked {
				report(c, engine.E(engine.KindRefused, "sts: apply", c.Target.UUID, fmt.Errorf("not sent: change %s it depends on failed", c.DependsOn)))
				continue
			}
			if err := ctx.Err(); err != nil {
				report(c, engine.E(engine.KindUnavailable, "sts: apply", c.Target.UUID, err))
				continue
			}
			sem <- struct{}{}
			wg.Go(func() {
				defer func() { <-sem }()
				report(c, engine.ApplySTSChange(ctx, t, c))
			})
		}
		wg.Wait()
	}
	return nfail
}

// applyGroups splits the STS changes into groups that must run one after
// the other.
func applyGroups(changes []engine.Change) [][]*engine.Change {
	upUnits := map[string]*engine.Change{}
	var users, userDel []*engine.Change
	var upOrder, delOrder []*engine.Change
	for i := range changes {
		c := &changes[i]
		if c.System != engine.SystemSTS {
			continue
		}
		kind := engine.STSObjectKind(c)
		switch {
		case kind == "orgunit" && c.Op == engine.OpDelete:
			delOrder = append(delOrder, c)
		case kind == "orgunit":
			upUnits[c.Target.UUID] = c
			upOrder = append(upOrder, c)
		case kind == "user" && c.Op == engine.OpDelete:
			userDel = append(userDel, c)
		default:
			users = append(users, c)
		}
	}
	var groups [][]*engine.Change
	// Upserts: level = number of ancestors that are upserted too.
	level := func(c *engine.Change) int {
		n := 0
		seen := map[string]bool{}
		for p := c.STSUnit.ParentUUID; p != "" && !seen[p]; n++ {
			seen[p] = true
			pc, ok := upUnits[p]
			if !ok {
				break
			}
			p = pc.STSUnit.ParentUUID
		}
		return n
	}
	groups = appendLevels(groups, upOrder, level)
	groups = append(groups, users, userDel)
	// Unit deletes last, in DiffSTS's order (leaves first); they run
	// concurrently, because a soft delete does not look at children.
	groups = append(groups, delOrder)
	out := groups[:0]
	for _, g := range groups {
		if len(g) > 0 {
			out = append(out, g)
		}
	}
	return out
}

func appendLevels(groups [][]*engine.Change, cs []*engine.Change, level func(*engine.Change) int) [][]*engine.Change {
	byLevel := map[int][]*engine.Change{}
	maxL := -1
	for _, c := range cs {
		l := level(c)
		byLevel[l] = append(byLevel[l], c)
		maxL = max(maxL, l)
	}
	for l := 0; l <= maxL; l++ {
		groups = append(groups, byLevel[l])
	}
	return groups
}
