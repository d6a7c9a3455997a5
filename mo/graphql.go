package mo

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
)

// gqlError is one entry of a GraphQL answer's "errors".
type gqlError struct {
	Message    string `json:"message"`
	Path       []any  `json:"path"`
	Extensions struct {
		ErrorContext *struct {
			Status      int    `json:"status"`
			ErrorKey    string `json:"error_key"`
			Description string `json:"description"`
		} `json:"error_context"`
	} `json:"extensions"`
}

// gqlAPIError turns the answer's errors into one *APIError: the first error
// with an error_context wins, else the first error; the others are counted.
func gqlAPIError(errs []gqlError) *APIError {
	pick := &errs[0]
	for i := range errs {
		if errs[i].Extensions.ErrorContext != nil {
			pick = &errs[i]
			break
		}
	}
	ae := &APIError{Message: pick.Message}
	if ec := pick.Extensions.ErrorContext; ec != nil {
		ae.Status, ae.ErrorKey, ae.Description = ec.Status, ec.ErrorKey, ec.Description
	}
	if len(pick.Path) > 0 {
		ae.Message = fmt.Sprintf("%s (at %v)", ae.Message, pathString(pick.Path))
	}
	if len(errs) > 1 {
		ae.Message += fmt.Sprintf(" (and %d more errors)", len(errs)-1)
	}
	return ae
}

func pathString(p []any) string {
	parts := make([]string, len(p))
	for i, e := range p {
		parts[i] = fmt.Sprint(e)
	}
	return strings.Join(parts, ".")
}

// gqlRequest is the POST body of a GraphQL call.
type gqlRequest struct {
	Query         string         `json:"query"`
	Variables     map[string]any `json:"variables,omitempty"`
	OperationName string         `json:"operationName,omitempty"`
}

// graphql sends one operation and decodes its data into out. A query is
// retried like any read; a mutation is never retried (except once with a
// fresh token when MO says the caller is not authenticated).
func (c *Client) graphql(ctx context.Context, op string, doc operation, vars map[string]any, out any) error {
	raw, err := c.graphqlRaw(ctx, op, doc, vars)
	if err != nil {
		return err
	}
	return c.decodeGraphQL(op, doc, raw, out)
}

func (c *Client) gqlEndpoint(doc operation) string {
	return "POST " + pathOf(c.cfg.GraphQLURL) + " (" + doc.name + ")"
}

// graphqlRaw sends one operation and returns the answer's body.
func (c *Client) graphqlRaw(ctx context.Context, op string, doc operation, vars map[string]any) ([]byte, error) {
	endpoint := c.gqlEndpoint(doc)
	body, err := json.Marshal(gqlRequest{Query: doc.text, Variables: vars, OperationName: doc.name})
	if err != nil {
		return nil, classify(op, endpoint, fmt.Errorf("encoding request: %w", err))
	}
	r := &request{
		method: http.MethodPost, url: c.cfg.GraphQLURL, endpoint: endpoint, body: body,
		idempotent: !doc.mutation, notAuthenticated: gqlNotAuthenticated,
	}
	raw, err := c.do(ctx, r)
	if err != nil {
		return nil, classify(op, endpoint, err)
	}
	return raw, nil
}

// decodeGraphQL decodes an answer's data into out; GraphQL errors become an
// *APIError, even when partial data came with them. An answer without
// "data" leaves out as it was: every out holds its fields by pointer or
// map, so that the caller's check finds them missing.
func (c *Client) decodeGraphQL(op string, doc operation, raw []byte, out any) error {
	endpoint := c.gqlEndpoint(doc)
	env := struct {
		Data   any        `json:"data"`
		Errors []gqlError `json:"errors"`
	}{Data: out}
	if err := json.Unmarshal(raw, &env); err != nil {
		return classify(op, endpoint, fmt.Errorf("%w: %w", errMalformed, err))
	}
	if len(env.Errors) > 0 {
		return classify(op, endpoint, gqlAPIError(env.Errors))
	}
	if env.Data == nil {
		return classify(op, endpoint, fmt.Errorf("%w: no data and no errors", errMalformed))
	}
	return nil
}

// gqlNotAuthenticated reports whether a GraphQL answer is MO's refusal of a
// missing or expired token (HTTP 200, "User is not authenticated").
func gqlNotAuthenticated(body []byte) bool {
	if !bytes.Contains(body, []byte(msgNotAuthenticated)) {
		return false
	}
	var env struct {
		Errors []gqlError `json:"errors"`
	}
	if json.Unmarshal(body, &env) != nil {
		return false
	}
	for _, e := range env.Errors {
		if e.Message == msgNotAuthenticated {
			return true
		}
	}
	return false
}

// pathOf is the path of an URL, for naming endpoints without host or query.
func pathOf(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.Path == "" {
		return s
	}
	return u.Path
}

// paged is one page of a paged GraphQL collection. page_info, its
// next_cursor (null on the last page) and objects are always sent; a page
// without them would end the read early, as if it were the last.
type paged[T any] struct {
	PageInfo *struct {
		NextCursor wstr `json:"next_cursor"`
	} `json:"page_info"`
	Objects *[]T `json:"objects"`
}

// protocolGap is the error of an answer to doc that lacks g (nil when g is
// ok), classified for op.
func (c *Client) protocolGap(op string, doc operation, g gap) error {
	if g.ok() {
		return nil
	}
	return classify(op, c.gqlEndpoint(doc), g.err())
}

// readPages reads every page of the collection field of doc, calling each
// for every page's objects. check is the gap of one object (check_gql.go):
// a page that lacks a field of its query fails the read. Pages may be
// short or empty before the end; the loop stops only on a null
// next_cursor. A cursor that repeats is an error, never an endless loop.
//
// Pages are fetched one after the other (the cursor of one is needed for
// the next), but the next page is requested as soon as the current page's
// cursor is peeked from the start of its answer, and decoded meanwhile by a
// decoder goroutine. each is called from the caller's goroutine, one page
// at a time.
func readPages[T any](ctx context.Context, c *Client, op string, doc operation, field string, vars map[string]any,
	check func(*T) gap, each func([]T) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type result struct {
		objs []T
		err  error
	}
	// fetched is a page to decode, or a result the fetcher has already (an
	// error, a page it decoded itself). Both go through raws, so that with
	// one decoder the results come in page order: the error of page 1 is
	// never overtaken by the error of asking for page 2 with the cursor
	// peeked from page 1.
	type fetched struct {
		raw []byte
		res *result
	}
	endpoint := c.gqlEndpoint(doc)
	workers := 1 // on a busy 2-core machine more decoders did not help; more would reorder
	raws := make(chan fetched, workers)
	results := make(chan result, workers)
	put := func(f fetched) bool {
		select {
		case raws <- f:
			return f.res == nil || f.res.err == nil
		case <-ctx.Done():
			return false
		}
	}
	send := func(r result) bool {
		select {
		case results <- r:
			return r.err == nil
		case <-ctx.Done():
			return false
		}
	}
	decode := func(raw []byte) ([]T, *string, error) {
		var data map[string]*paged[T]
		if err := c.decodeGraphQL(op, doc, raw, &data); err != nil {
			return nil, nil, err
		}
		p := data[field]
		if p == nil {
			return nil, nil, c.protocolGap(op, doc, gap{key: field, at: "data"})
		}
		if err := c.protocolGap(op, doc, checkPage(field, p, check)); err != nil {
			return nil, nil, err
		}
		var next *string
		if !p.PageInfo.NextCursor.null {
			next = &p.PageInfo.NextCursor.v
		}
		return *p.Objects, next, nil
	}
	var wg sync.WaitGroup
	wg.Add(1 + workers)
	go func() { // the fetcher
		defer wg.Done()
		defer close(raws)
		seen := map[string]bool{}
		var cursor *string
		for {
			v := make(map[string]any, len(vars)+2)
			for k, x := range vars {
				v[k] = x
			}
			v["limit"], v["cursor"] = c.cfg.PageSize, cursor
			raw, err := c.graphqlRaw(ctx, op, doc, v)
			if err != nil {
				put(fetched{res: &result{err: err}})
				return
			}
			next, peeked := peekNextCursor(raw, field)
			if peeked {
				if !put(fetched{raw: raw}) {
					return
				}
			} else { // decode it here to learn the cursor
				objs, n, err := decode(raw)
				if !put(fetched{res: &result{objs, err}}) {
					return
				}
				next = n
			}
			if next == nil {
				return
			}
			if seen[*next] {
				put(fetched{res: &result{err: classify(op, endpoint, fmt.Errorf("%w: cursor %q repeats", errMalformed, *next))}})
				return
			}
			seen[*next] = true
			cursor = next
		}
	}()
	for w := 0; w < workers; w++ {
		go func() { // the decoders
			defer wg.Done()
			for f := range raws {
				r := f.res
				if r == nil {
					objs, _, err := decode(f.raw)
					r = &result{objs, err}
				}
				if !send(*r) {
					return
				}
			}
		}()
	}
	go func() { wg.Wait(); close(results) }()
	for r := range results {
		if r.err != nil {
			return r.err // the deferred cancel stops the others
		}
		if err := each(r.objs); err != nil {
			return err
		}
	}
	return ctx.Err()
}

// peekNextCursor reads data.<field>.page_info.next_cursor from the start of
// an answer without decoding the page. ok is false when the answer is not
// laid out that way (errors first, objects before page_info, no
// next_cursor); the caller then decodes (and checks) the whole page first.
func peekNextCursor(raw []byte, field string) (next *string, ok bool) {
	d := json.NewDecoder(bytes.NewReader(raw))
	for _, want := range []string{"data", field, "page_info"} {
		if t, err := d.Token(); err != nil || t != json.Delim('{') {
			return nil, false
		}
		if t, err := d.Token(); err != nil || t != want {
			return nil, false
		}
	}
	var pi struct {
		NextCursor wstr `json:"next_cursor"`
	}
	if d.Decode(&pi) != nil || !pi.NextCursor.set {
		return nil, false
	}
	if pi.NextCursor.null {
		return nil, true
	}
	return &pi.NextCursor.v, true
}
