package sts

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"moxsync/engine"
)

// Holdings is what STS itself says it holds: the uuids of its units and
// users (lower-case, sorted, unique), learned from the middleware's list
// reads, not from the local record.
type Holdings struct {
	Units []string
	Users []string
	// UnitsCapped and UsersCapped say that a v1_1 list came back at the
	// cap of STS's search (ListCap): STS may hold more than it listed.
	UnitsCapped, UsersCapped bool
	// Via names the reads used: "list" (v1_1 GET orgunit and user),
	// "hierarchy" (OS2sync), "hierarchy+all" (OS2sync 4.x, which also has
	// GET orgUnit/all and user/all).
	Via string
}

// HoldingsReader reads what STS holds; *Client is one.
type HoldingsReader interface {
	Holdings(ctx context.Context) (Holdings, error)
}

var _ HoldingsReader = (*Client)(nil)

// Holdings learns what STS holds (sts-api.md §1.2):
//
//   - v1_1: GET {base}/orgunit and GET {base}/user, JSON arrays of uuids.
//     STS's search stops at 500 (ListCap); a list that long is flagged as
//     capped.
//   - os2sync: the asynchronous hierarchy read (GET {base}/hierarchy starts
//     it and answers a request uuid as plain text; GET
//     {base}/hierarchy/{id} answers 404 until it is ready, then the whole
//     tree once — the entry is gone after that read), polled every
//     Config.HierarchyPoll for at most Config.HierarchyWait. The hierarchy
//     holds the units under the organisation's root and the users with a
//     position in one of them, so GET {base}/orgUnit/all and {base}/user/all
//     (OS2sync 4.x) are read too and added; where they do not exist (a 4xx
//     answer from an older OS2sync) the hierarchy alone counts.
//
// Any failed read is an error: what STS holds is then unknown, and nothing
// must be deleted on the strength of it.
func (c *Client) Holdings(ctx context.Context) (Holdings, error) {
	if c.cfg.Dialect != DialectOS2sync {
		return c.listHoldings(ctx)
	}
	return c.hierarchyHoldings(ctx)
}

func (c *Client) listHoldings(ctx context.Context) (Holdings, error) {
	var (
		units, users       List
		unitsErr, usersErr error
		wg                 sync.WaitGroup
	)
	wg.Go(func() { units, unitsErr = c.ListUnits(ctx) })
	wg.Go(func() { users, usersErr = c.ListUsers(ctx) })
	wg.Wait()
	if err := errors.Join(unitsErr, usersErr); err != nil {
		return Holdings{}, err
	}
	return Holdings{Units: uniq(units.UUIDs), Users: uniq(users.UUIDs),
		UnitsCapped: units.MaybeTruncated, UsersCapped: users.MaybeTruncated, Via: "list"}, nil
}

func (c *Client) hierarchyHoldings(ctx context.Context) (Holdings, error) {
	var (
		h                  hierarchyResult
		hErr               error
		units, users       List
		unitsSt, usersSt   int
		unitsErr, usersErr error
		wg                 sync.WaitGroup
	)
	wg.Go(func() { h, hErr = c.readHierarchy(ctx) })
	wg.Go(func() { units, unitsSt, unitsErr = c.listStatus(ctx, "sts: list units", "orgunit") })
	wg.Go(func() { users, usersSt, usersErr = c.listStatus(ctx, "sts: list users", "user") })
	wg.Wait()
	if hErr != nil {
		return Holdings{}, hErr
	}
	out := Holdings{Via: "hierarchy"}
	for _, ou := range h.OUs {
		out.Units = append(out.Units, ou.Uuid)
	}
	for _, u := range h.Users {
		if !u.inactive() {
			out.Users = append(out.Users, u.Uuid)
		}
	}
	all := 0
	for _, l := range []struct {
		list   List
		status int
		err    error
		to     *[]string
	}{{units, unitsSt, unitsErr, &out.Units}, {users, usersSt, usersErr, &out.Users}} {
		switch {
		case l.err == nil:
			*l.to = append(*l.to, l.list.UUIDs...)
			all++
		case noAllRoute(l.status):
			// An OS2sync before 4.x has no …/all route: the hierarchy
			// alone counts.
		default:
			return Holdings{}, l.err
		}
	}
	if all == 2 {
		out.Via = "hierarchy+all"
	}
	out.Units, out.Users = uniq(out.Units), uniq(out.Users)
	return out, nil
}

// noAllRoute tells the answer of an OS2sync without GET …/all (before
// 4.x): the path then reaches GET {uuid} with "all" as the uuid, or no
// route at all.
func noAllRoute(status int) bool {
	return status == http.StatusNotFound || status == http.StatusBadRequest || status == http.StatusMethodNotAllowed
}

// hierarchyResult is the Result of a hierarchy read (OS2sync's
// dto/read/Hierarchy.cs).
type hierarchyResult struct {
	OUs []struct {
		Uuid     string `json:"Uuid"`
		Name     string `json:"Name"`
		ParentOU string `json:"ParentOU"`
	} `json:"OUs"`
	Users []hierarchyUser `json:"Users"`
}

type hierarchyUser struct {
	Uuid      string `json:"Uuid"`
	UserId    string `json:"UserId"`
	Name      string `json:"Name"`
	Email     string `json:"Email"`
	Telephone string `json:"Telephone"`
	Positions []struct {
		Uuid string `json:"Uuid"` // the unit's uuid
		Name string `json:"Name"`
	} `json:"Positions"`
	// Status is UNKNOWN, ACTIVE or INACTIVE (0, 1, 2 as a number).
	Status json.RawMessage `json:"Status"`
}

func (u hierarchyUser) inactive() bool {
	s := strings.Trim(strings.TrimSpace(string(u.Status)), `"`)
	return s == "2" || strings.EqualFold(s, "INACTIVE")
}

// hierarchyAnswer is the answer of GET {base}/hierarchy/{id}: Status 0
// (SUCCESS) with a Result, or 1 (FAILURE) with Result null. The enum may
// come as a number or, behind a StringEnumConverter, as its name.
type hierarchyAnswer struct {
	Created time.Time        `json:"Created"`
	Result  *hierarchyResult `json:"Result"`
	Status  json.RawMessage  `json:"Status"`
}

func (a hierarchyAnswer) failed() bool {
	s := strings.Trim(strings.TrimSpace(string(a.Status)), `"`)
	return !(s == "0" || strings.EqualFold(s, "SUCCESS")) || a.Result == nil
}

// readHierarchy runs OS2sync's asynchronous hierarchy read: it starts the
// read, polls until the result is ready (404 until then) and reads it once.
func (c *Client) readHierarchy(ctx context.Context) (hierarchyResult, error) {
	const op = "sts: read hierarchy"
	start := c.cfg.BaseURL + "/hierarchy"
	_, body, err := c.do(ctx, op, "", http.MethodGet, start, nil)
	if err != nil {
		return hierarchyResult{}, err
	}
	id := strings.ToLower(strings.Trim(strings.TrimSpace(string(body)), `"`))
	if id == "" || strings.ContainsAny(id, "/?# ") {
		return hierarchyResult{}, engine.E(engine.KindOther, op, start, fmt.Errorf("the middleware answered no request id (%q)", cleanMessage(body)))
	}
	poll := start + "/" + id
	deadline := time.Now().Add(c.cfg.HierarchyWait)
	for {
		_, body, err := c.do(ctx, op, id, http.MethodGet, poll, nil)
		switch {
		case err == nil:
			var a hierarchyAnswer
			if err := json.Unmarshal(body, &a); err != nil {
				return hierarchyResult{}, engine.E(engine.KindOther, op, id, fmt.Errorf("decode answer: %w", err))
			}
			if a.failed() {
				return hierarchyResult{}, engine.E(engine.KindUnavailable, op, id, errors.New("the middleware could not read the hierarchy from STS (Status FAILURE); see its log"))
			}
			return *a.Result, nil
		case engine.KindOf(err) != engine.KindNotFound:
			return hierarchyResult{}, err
		}
		if time.Now().After(deadline) {
			return hierarchyResult{}, engine.E(engine.KindUnavailable, op, id, fmt.Errorf("not ready after %s", c.cfg.HierarchyWait))
		}
		t := time.NewTimer(c.cfg.HierarchyPoll)
		select {
		case <-ctx.Done():
			t.Stop()
			return hierarchyResult{}, engine.E(engine.KindUnavailable, op, id, ctx.Err())
		case <-t.C:
		}
	}
}

// uniq lower-cases, sorts and de-duplicates uuids, dropping empty ones.
func uniq(ids []string) []string {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if id = strings.ToLower(strings.TrimSpace(id)); id != "" {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// NoHoldings is the HoldingsReader of a target that cannot list STS: it
// says STS holds nothing beyond what is read back by uuid, so nothing
// unknown is removed.
type NoHoldings struct{}

// Holdings returns an empty Holdings.
func (NoHoldings) Holdings(context.Context) (Holdings, error) { return Holdings{Via: "none"}, nil }
