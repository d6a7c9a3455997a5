package mo

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"moxsync/engine"
)

// Client talks to one OS2MO. It is safe for concurrent use.
type Client struct {
	cfg    Config
	hc     *http.Client
	tokens *tokenSource // nil without client credentials
	log    *slog.Logger

	requests atomic.Int64 // HTTP requests sent to MO (not to Keycloak)

	orgMu    sync.Mutex
	orgUID   string // cached organisation uuid
	adSystem string // cached uuid of the AD IT system

	ev eventState // the continuous mode's caches (events.go)
}

var (
	_ engine.MOSource = (*Client)(nil)
	_ engine.MOWriter = (*Client)(nil)
)

// New checks cfg and returns a client. It does no I/O.
func New(cfg Config) (*Client, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConns = 2*cfg.Concurrency + 8
	tr.MaxIdleConnsPerHost = cfg.Concurrency + 4
	if cfg.TLS != nil {
		tr.TLSClientConfig = cfg.TLS.Clone()
	}
	hc := &http.Client{Transport: tr, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse // MO never redirects an API call; a redirect is a misconfigured URL
	}}
	c := &Client{cfg: cfg, hc: hc, log: cfg.Logger.With("system", "mo"), orgUID: cfg.OrgUUID}
	if cfg.ClientID != "" {
		c.tokens = newTokenSource(cfg, hc)
	}
	return c, nil
}

// Requests is the number of HTTP requests the client has sent to MO,
// retries included (token requests to Keycloak are not counted).
func (c *Client) Requests() int64 { return c.requests.Load() }

// Close releases idle connections.
func (c *Client) Close() { c.hc.CloseIdleConnections() }

// request is one HTTP call to MO.
type request struct {
	method     string
	url        string // full URL
	endpoint   string // what errors name: method and path, no secrets
	body       []byte // JSON, or nil
	idempotent bool   // may be retried on 5xx and network errors
	// notAuthenticated reports whether a 200 answer is GraphQL's "User is
	// not authenticated"; the request is then sent once more with a fresh
	// token.
	notAuthenticated func(body []byte) bool
}

// do sends r, retrying idempotent requests on 5xx and network errors with
// exponential backoff, and once with a fresh token on a 401. It returns the
// body of a 2xx answer; any other answer is an *APIError.
func (c *Client) do(ctx context.Context, r *request) ([]byte, error) {
	var stale string
	renewed := false
	for attempt := 0; ; {
		body, tok, err := c.attempt(ctx, r, stale)
		var ae *APIError
		authFail := errors.As(err, &ae) && ae.Status == http.StatusUnauthorized ||
			err == nil && r.notAuthenticated != nil && r.notAuthenticated(body)
		if authFail && c.tokens != nil && !renewed {
			renewed, stale = true, tok
			c.log.DebugContext(ctx, "token refused; renewing", "endpoint", r.endpoint)
			continue
		}
		if err == nil {
			return body, nil
		}
		if ctx.Err() != nil {
			return nil, fmt.Errorf("%w (%w)", ctx.Err(), err)
		}
		if !r.idempotent || attempt >= c.cfg.Retries || !retryable(err) {
			if attempt > 0 {
				return nil, fmt.Errorf("after %d attempts: %w", attempt+1, err)
			}
			return nil, err
		}
		wait := c.cfg.RetryBackoff << attempt
		wait = wait/2 + rand.N(wait/2+1)
		c.log.DebugContext(ctx, "retrying", "endpoint", r.endpoint, "attempt", attempt+1, "wait", wait, "err", err)
		attempt++
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, fmt.Errorf("%w (%w)", ctx.Err(), err)
		case <-t.C:
		}
	}
}

// retryable reports whether a failed read may succeed when sent again.
func retryable(err error) bool {
	var ae *APIError
	if errors.As(err, &ae) {
		return ae.Status >= 500 || ae.Status == http.StatusTooManyRequests
	}
	return !errors.Is(err, errMalformed) && !errors.Is(err, errAuthServer)
}

// attempt sends r once, under the per-call timeout. It returns the token it
// used (for renewal on refusal).
func (c *Client) attempt(ctx context.Context, r *request, stale string) ([]byte, string, error) {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	var rd io.Reader
	if r.body != nil {
		rd = bytes.NewReader(r.body)
	}
	req, err := http.NewRequestWithContext(ctx, r.method, r.url, rd)
	if err != nil {
		return nil, "", err
	}
	req.Header.Set("Accept", "application/json")
	if r.body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	var tok string
	switch {
	case c.tokens != nil:
		tok, err = c.tokens.Token(ctx, stale)
		if err != nil {
			return nil, "", err
		}
		req.Header.Set("Authorization", "Bearer "+tok)
	case c.cfg.SAMLToken != "":
		req.Header.Set("SESSION", c.cfg.SAMLToken)
	}
	c.requests.Add(1)
	countRequest(ctx)
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, tok, unwrapURLError(err)
	}
	defer resp.Body.Close()
	body, err := readBody(resp)
	if err != nil {
		return nil, tok, fmt.Errorf("reading answer: %w", err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, tok, parseErrorBody(resp.StatusCode, body)
	}
	return body, tok, nil
}

// readBody reads a whole answer, in one allocation when the length is known
// (pages of a large municipality are megabytes).
func readBody(resp *http.Response) ([]byte, error) {
	if n := resp.ContentLength; n > 0 && n < 1<<30 {
		buf := make([]byte, n)
		_, err := io.ReadFull(resp.Body, buf)
		return buf, err
	}
	return io.ReadAll(resp.Body)
}

// unwrapURLError drops the *url.Error wrapper, whose text repeats the whole
// URL (the endpoint is named by the caller already).
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		if ue.Timeout() {
			return fmt.Errorf("timeout: %w", ue.Err)
		}
		return ue.Err
	}
	return err
}
