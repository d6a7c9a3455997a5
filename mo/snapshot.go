package mo

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"

	"moxsync/engine"
)

// Snapshot reads everything the engine needs from MO, as at Config.Now, by
// the configured API. It returns an error, never a partial snapshot.
func (c *Client) Snapshot(ctx context.Context) (*engine.Snapshot, error) {
	now := c.cfg.Now().In(copenhagen)
	var requests atomic.Int64
	ctx = withRequestCounter(ctx, &requests)
	start := time.Now()
	var (
		res *readResult
		err error
	)
	if c.cfg.API == APIREST {
		res, err = c.snapshotREST(ctx, now)
	} else {
		res, err = c.snapshotGraphQL(ctx, now)
	}
	if err != nil {
		return nil, classify("mo: read snapshot", "", err)
	}
	s, err := assemble(now, c.cfg.TopUnitUUID, res)
	if err != nil {
		return nil, err
	}
	c.log.InfoContext(ctx, "read MO snapshot", "api", c.cfg.API, "units", len(s.Units), "people", len(s.People),
		"classes", len(s.Classes), "warnings", len(s.Warnings), "requests", requests.Load(), "took", time.Since(start).Round(time.Millisecond))
	return s, nil
}

// org is the organisation uuid: Config.OrgUUID, else asked once from MO.
func (c *Client) org(ctx context.Context) (string, error) {
	c.orgMu.Lock()
	defer c.orgMu.Unlock()
	if c.orgUID != "" {
		return c.orgUID, nil
	}
	var uid string
	if c.cfg.API == APIREST {
		var orgs restList[restOrg]
		if err := c.restGet(ctx, "mo: read organisation", "/o/", nil, &orgs); err != nil {
			return "", err
		}
		if len(orgs) != 1 {
			return "", engine.E(engine.KindNotFound, "mo: read organisation", "GET "+pathOf(c.cfg.ServiceURL)+"/o/", fmt.Errorf("MO has %d organisations, want 1; set the organisation UUID", len(orgs)))
		}
		uid = orgs[0].UUID.v
	} else {
		var data gqlOrgData
		if err := c.graphql(ctx, "mo: read organisation", opOrg, nil, &data); err != nil {
			return "", err
		}
		if err := c.protocolGap("mo: read organisation", opOrg, checkOrg(data.Org)); err != nil {
			return "", err
		}
		uid = data.Org.UUID.v
	}
	if !isUUID(uid) {
		return "", engine.E(engine.KindProtocol, "mo: read organisation", "", fmt.Errorf("%w: organisation uuid %q", errMalformed, uid))
	}
	c.orgUID = uid
	return uid, nil
}

// Probe proves that MO answers with our credentials, with one cheap read
// (the organisation) by the configured API. It is what `moxsync check` runs.
func (c *Client) Probe(ctx context.Context) error {
	if c.cfg.API == APIREST {
		var orgs restList[restOrg]
		return c.restGet(ctx, "mo: probe", "/o/", nil, &orgs)
	}
	var data gqlOrgData
	if err := c.graphql(ctx, "mo: probe", opProbe, nil, &data); err != nil {
		return err
	}
	return c.protocolGap("mo: probe", opProbe, checkOrg(data.Org))
}

// gqlOrgData is the data of the Org and Probe queries: org { uuid }.
type gqlOrgData struct {
	Org *gqlOrg `json:"org"`
}

type gqlOrg struct {
	UUID wstr `json:"uuid"`
}
