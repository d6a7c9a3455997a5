package sts

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"time"

	"moxsync/engine"
)

// Client talks to one STSOrgSync / OS2sync middleware. It is safe for
// concurrent use.
type Client struct {
	cfg  Config
	http *http.Client
}

var _ engine.STSTarget = (*Client)(nil)

// New checks cfg and returns a client.
func New(cfg Config) (*Client, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	if cfg.TLS != nil {
		tr.TLSClientConfig = cfg.TLS.Clone()
	}
	tr.MaxIdleConnsPerHost = 16
	return &Client{cfg: cfg, http: &http.Client{Transport: tr, Timeout: cfg.Timeout}}, nil
}

// Dialect returns the dialect the client speaks.
func (c *Client) Dialect() string { return c.cfg.Dialect }

// kindPath is the path segment of an object kind in the dialect.
func (c *Client) kindPath(kind string) string {
	if kind == "orgunit" && c.cfg.Dialect == DialectOS2sync {
		return "orgUnit"
	}
	return kind
}

// postURL: v1_1 units go to {base}/orgunit/ (with the slash, as mox and the
// classic route do), users to {base}/user; os2sync to {base}/orgUnit and
// {base}/user.
func (c *Client) postURL(kind string) string {
	u := c.cfg.BaseURL + "/" + c.kindPath(kind)
	if kind == "orgunit" && c.cfg.Dialect == DialectV11 {
		u += "/"
	}
	return u
}

// objectURL addresses one object for DELETE and GET.
func (c *Client) objectURL(kind, id string) string {
	if c.cfg.DeleteStyle == DeleteQuery {
		return c.cfg.BaseURL + "/" + c.kindPath(kind) + "?uuid=" + url.QueryEscape(id)
	}
	return c.cfg.BaseURL + "/" + c.kindPath(kind) + "/" + url.PathEscape(id)
}

// UpsertUnit POSTs the full desired state of a unit.
func (c *Client) UpsertUnit(ctx context.Context, u engine.STSUnit) error {
	const op = "sts: upsert unit"
	body, err := encodeUnit(c.cfg.Dialect, u)
	if err != nil {
		return engine.E(engine.KindInvalid, op, u.UUID, err)
	}
	if err := checkUUID(op, u.UUID); err != nil {
		return err
	}
	_, _, err = c.do(ctx, op, u.UUID, http.MethodPost, c.postURL("orgunit"), body)
	return err
}

// UpsertUser POSTs the full desired state of a user.
func (c *Client) UpsertUser(ctx context.Context, u engine.STSUser) error {
	const op = "sts: upsert user"
	body, err := encodeUser(c.cfg.Dialect, u)
	if err != nil {
		return engine.E(engine.KindInvalid, op, u.UUID, err)
	}
	if err := checkUUID(op, u.UUID); err != nil {
		return err
	}
	_, _, err = c.do(ctx, op, u.UUID, http.MethodPost, c.postURL("user"), body)
	return err
}

// DeleteUnit asks the middleware to deactivate a unit.
func (c *Client) DeleteUnit(ctx context.Context, id string) error {
	return c.delete(ctx, "sts: delete unit", "orgunit", id)
}

// DeleteUser asks the middleware to deactivate a user.
func (c *Client) DeleteUser(ctx context.Context, id string) error {
	return c.delete(ctx, "sts: delete user", "user", id)
}

func (c *Client) delete(ctx context.Context, op, kind, id string) error {
	id = strings.ToLower(strings.TrimSpace(id))
	if err := checkUUID(op, id); err != nil {
		return err
	}
	_, _, err := c.do(ctx, op, id, http.MethodDelete, c.objectURL(kind, id), nil)
	if engine.KindOf(err) == engine.KindNotFound {
		// A classic server has no /{uuid} route (404 for a path-style
		// delete), and a 404 also means "already gone": warn, carry on.
		c.cfg.Logger.WarnContext(ctx, "sts: delete answered 404; counted as already gone", "kind", kind, "uuid", id,
			"hint", "a classic STSOrgSync needs STSORGSYNC_DELETE_STYLE=query")
		return nil
	}
	return err
}

// GetUnit reads one unit back (KindNotFound if the middleware answers 404).
func (c *Client) GetUnit(ctx context.Context, id string) (engine.STSUnit, error) {
	const op = "sts: read unit"
	id = strings.ToLower(strings.TrimSpace(id))
	if err := checkUUID(op, id); err != nil {
		return engine.STSUnit{}, err
	}
	_, body, err := c.do(ctx, op, id, http.MethodGet, c.objectURL("orgunit", id), nil)
	if err != nil {
		return engine.STSUnit{}, err
	}
	u, err := decodeUnit(c.cfg.Dialect, body)
	if err != nil {
		return engine.STSUnit{}, engine.E(engine.KindOther, op, id, fmt.Errorf("decode answer: %w", err))
	}
	return u, nil
}

// GetUser reads one user back (KindNotFound if the middleware answers 404).
func (c *Client) GetUser(ctx context.Context, id string) (engine.STSUser, error) {
	const op = "sts: read user"
	id = strings.ToLower(strings.TrimSpace(id))
	if err := checkUUID(op, id); err != nil {
		return engine.STSUser{}, err
	}
	_, body, err := c.do(ctx, op, id, http.MethodGet, c.objectURL("user", id), nil)
	if err != nil {
		return engine.STSUser{}, err
	}
	u, err := decodeUser(c.cfg.Dialect, body)
	if err != nil {
		return engine.STSUser{}, engine.E(engine.KindOther, op, id, fmt.Errorf("decode answer: %w", err))
	}
	return u, nil
}

// ListCap is the page size of STS's search behind the list endpoints
// (sts-api.md §1.7): a list this long or longer is probably cut off.
const ListCap = 500

// List is the answer of a list read.
type List struct {
	UUIDs []string
	// MaybeTruncated is set when a v1_1 list holds ListCap or more uuids:
	// the middleware's STS search stops there, so STS may hold more.
	MaybeTruncated bool
}

// ListUnits reads the uuids of the units STS holds (GET {base}/orgunit, or
// {base}/orgUnit/all for OS2sync 4.x). Treat the result as incomplete.
func (c *Client) ListUnits(ctx context.Context) (List, error) {
	return c.list(ctx, "sts: list units", "orgunit")
}

// ListUsers reads the uuids of the users STS holds. Treat the result as
// incomplete.
func (c *Client) ListUsers(ctx context.Context) (List, error) {
	return c.list(ctx, "sts: list users", "user")
}

func (c *Client) list(ctx context.Context, op, kind string) (List, error) {
	l, _, err := c.listStatus(ctx, op, kind)
	return l, err
}

// listStatus is list, with the HTTP status of a failed read (0 when there
// was no answer).
func (c *Client) listStatus(ctx context.Context, op, kind string) (List, int, error) {
	u := c.cfg.BaseURL + "/" + c.kindPath(kind)
	if c.cfg.Dialect == DialectOS2sync {
		u += "/all"
	}
	status, body, err := c.do(ctx, op, "", http.MethodGet, u, nil)
	if err != nil {
		return List{}, status, err
	}
	var l List
	if err := json.Unmarshal(body, &l.UUIDs); err != nil {
		return List{}, status, engine.E(engine.KindOther, op, u, fmt.Errorf("decode answer: %w", err))
	}
	for i := range l.UUIDs {
		l.UUIDs[i] = strings.ToLower(l.UUIDs[i])
	}
	// OS2sync 4.x's …/all lists are meant for its cleanup, which compares
	// them with all local uuids: they are read as complete.
	l.MaybeTruncated = c.cfg.Dialect != DialectOS2sync && len(l.UUIDs) >= ListCap
	if l.MaybeTruncated {
		c.cfg.Logger.WarnContext(ctx, "sts: list read may be truncated", "kind", kind, "n", len(l.UUIDs))
	}
	return l, status, nil
}

func checkUUID(op, id string) error {
	if strings.TrimSpace(id) == "" {
		return engine.E(engine.KindInvalid, op, "", errors.New("empty uuid"))
	}
	return nil
}

// do sends one request, retrying network errors, 429 and 5xx with
// backoff, and classifies the outcome.
func (c *Client) do(ctx context.Context, op, key, method, u string, body []byte) (int, []byte, error) {
	var lastErr error
	for attempt := 0; ; attempt++ {
		status, resp, err := c.once(ctx, method, u, body)
		if err == nil && status/100 == 2 {
			return status, resp, nil
		}
		retry := false
		switch {
		case err != nil:
			if ctx.Err() != nil {
				return 0, nil, engine.E(engine.KindUnavailable, op, key, ctx.Err())
			}
			lastErr = engine.E(engine.KindUnavailable, op, key, fmt.Errorf("%s %s: %w", method, redact(u), err))
			retry = true
		default:
			lastErr = statusError(op, key, method, u, status, resp)
			retry = status == http.StatusTooManyRequests || status >= 500
		}
		if !retry || attempt >= c.cfg.Retries {
			return status, resp, lastErr
		}
		wait := c.backoff(attempt)
		c.cfg.Logger.DebugContext(ctx, "sts: retrying", "op", op, "key", key, "attempt", attempt+1, "wait", wait, "error", lastErr)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return 0, nil, engine.E(engine.KindUnavailable, op, key, fmt.Errorf("%w (after: %v)", ctx.Err(), lastErr))
		case <-t.C:
		}
	}
}

func (c *Client) backoff(attempt int) time.Duration {
	d := c.cfg.Backoff << attempt
	if d > 30*time.Second || d <= 0 {
		d = 30 * time.Second
	}
	jitter := 0.8 + 0.4*rand.Float64()
	return time.Duration(float64(d) * jitter)
}

func (c *Client) once(ctx context.Context, method, u string, body []byte) (int, []byte, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, rd)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("CVR", c.cfg.CVR)
	if c.cfg.APIKey != "" {
		req.Header.Set("apiKey", c.cfg.APIKey)
	}
	req.Header.Set("User-Agent", c.cfg.UserAgent)
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	start := time.Now()
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	c.cfg.Logger.DebugContext(ctx, "sts: request", "method", method, "url", redact(u), "status", resp.StatusCode, "duration", time.Since(start))
	if err != nil {
		return 0, nil, fmt.Errorf("read answer: %w", err)
	}
	return resp.StatusCode, b, nil
}

// statusError classifies a non-2xx answer. 400 carries the middleware's
// plain-text message (CPR-like numbers masked).
func statusError(op, key, method, u string, status int, body []byte) error {
	msg := cleanMessage(body)
	var kind engine.Kind
	switch {
	case status == http.StatusBadRequest:
		kind = engine.KindInvalid
		if msg == "" {
			msg = "rejected without a message (a classic STSOrgSync answers so when a required field is empty or a value is longer than its MSSQL column)"
		}
	case status == http.StatusNotFound:
		kind = engine.KindNotFound
	case status == http.StatusUnauthorized:
		kind = engine.KindAuth
	case status == http.StatusForbidden:
		kind = engine.KindPermission
	case status == http.StatusConflict:
		kind = engine.KindConflict
	case status == http.StatusTooManyRequests || status >= 500:
		kind = engine.KindUnavailable
	}
	text := fmt.Sprintf("%s %s: HTTP %d", method, redact(u), status)
	if msg != "" {
		text += ": " + msg
	}
	return engine.E(kind, op, key, errors.New(text))
}

// cleanMessage makes an answer body fit for an error message: JSON strings
// unquoted, whitespace collapsed, CPR-like numbers masked, at most 500
// characters.
func cleanMessage(b []byte) string {
	s := strings.TrimSpace(string(b))
	var js string
	if json.Unmarshal([]byte(s), &js) == nil {
		s = js
	}
	s = strings.Join(strings.Fields(s), " ")
	s = maskCPRs(s)
	if r := []rune(s); len(r) > 500 {
		s = string(r[:500]) + "…"
	}
	return s
}

// maskCPRs replaces every run of 10 digits, or 6 digits, a dash and 4
// digits, by engine.MaskCPR of it.
func maskCPRs(s string) string {
	var out strings.Builder
	i := 0
	for i < len(s) {
		if n := cprAt(s, i); n > 0 {
			out.WriteString(engine.MaskCPR(s[i : i+n]))
			i += n
			continue
		}
		out.WriteByte(s[i])
		i++
	}
	return out.String()
}

func cprAt(s string, i int) int {
	if i > 0 && isDigit(s[i-1]) {
		return 0
	}
	d := 0
	j := i
	for j < len(s) && isDigit(s[j]) {
		d++
		j++
	}
	switch {
	case d == 10:
		return 10
	case d == 6 && j+5 <= len(s) && s[j] == '-' && digits(s[j+1:j+5]) && (j+5 == len(s) || !isDigit(s[j+5])):
		return 11
	}
	return 0
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// redact drops user info from a URL for messages.
func redact(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return u
	}
	p.User = nil
	return p.String()
}

// Check tells whether the middleware answers and accepts our headers, for
// `moxsync check`: it reads a unit that cannot exist (the nil uuid), so a
// 404 — or, improbably, a unit — means reachable. Neither dialect has a
// cheap health endpoint (the classic one has none at all), and the list
// reads start a full STS search, so this costs one STS read.
func (c *Client) Check(ctx context.Context) error {
	_, err := c.GetUnit(ctx, "00000000-0000-0000-0000-000000000000")
	if err == nil || engine.KindOf(err) == engine.KindNotFound {
		return nil
	}
	return err
}
