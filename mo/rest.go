package mo

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
)

// restGet reads path (relative to the service URL, with MO's exact trailing
// slash) into out. Reads are retried on 5xx and network errors. An out
// that is a restAnswer is checked for the fields MO always sends
// (check_rest.go); a null answer is never taken as an empty one.
func (c *Client) restGet(ctx context.Context, op, path string, q url.Values, out any) error {
	u := c.cfg.ServiceURL + path
	endpoint := "GET " + pathOf(c.cfg.ServiceURL) + path
	if len(q) > 0 {
		enc := "?" + q.Encode()
		u += enc
		endpoint += enc
	}
	body, err := c.do(ctx, &request{method: http.MethodGet, url: u, endpoint: endpoint, idempotent: true})
	if err != nil {
		return classify(op, endpoint, err)
	}
	if err := json.Unmarshal(body, out); err != nil {
		return classify(op, endpoint, fmt.Errorf("%w: %w", errMalformed, err))
	}
	if string(bytes.TrimSpace(body)) == "null" {
		return classify(op, endpoint, fmt.Errorf("%w: the answer is null", errMalformed))
	}
	if a, ok := out.(restAnswer); ok {
		if g := a.checkAnswer(); !g.ok() {
			return classify(op, endpoint, g.err())
		}
	}
	return nil
}

// restPost writes to path; it is never retried.
func (c *Client) restPost(ctx context.Context, op, path string, q url.Values, in, out any) error {
	u := c.cfg.ServiceURL + path
	endpoint := "POST " + pathOf(c.cfg.ServiceURL) + path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	body, err := json.Marshal(in)
	if err != nil {
		return fmt.Errorf("%s: encoding request: %w", op, err)
	}
	resp, err := c.do(ctx, &request{method: http.MethodPost, url: u, endpoint: endpoint, body: body})
	if err != nil {
		return classify(op, endpoint, err)
	}
	if err := json.Unmarshal(resp, out); err != nil {
		return classify(op, endpoint, fmt.Errorf("%w: %w", errMalformed, err))
	}
	return nil
}

// restPage is MO's paging wrapper of /o/{org}/e/ and /o/{org}/ou/.
type restPage[T restItem] struct {
	Total  *int `json:"total"`
	Offset *int `json:"offset"`
	Items  *[]T `json:"items"`
}

// restPages reads every page of a paged list, start/limit, until total.
func restPages[T restItem](ctx context.Context, c *Client, op, path string, q url.Values, each func([]T) error) error {
	start := 0
	for {
		pq := url.Values{}
		for k, v := range q {
			pq[k] = v
		}
		pq.Set("start", strconv.Itoa(start))
		pq.Set("limit", strconv.Itoa(c.cfg.PageSize))
		var p restPage[T]
		if err := c.restGet(ctx, op, path, pq, &p); err != nil {
			return err
		}
		endpoint := "GET " + pathOf(c.cfg.ServiceURL) + path + "?" + pq.Encode()
		if *p.Offset != start {
			return classify(op, endpoint, fmt.Errorf("%w: page offset %d, asked for %d", errMalformed, *p.Offset, start))
		}
		items := *p.Items
		if err := each(items); err != nil {
			return err
		}
		start += len(items)
		if start >= *p.Total {
			return nil
		}
		if len(items) == 0 {
			return classify(op, endpoint, fmt.Errorf("%w: empty page at %d of %d", errMalformed, start, *p.Total))
		}
	}
}
