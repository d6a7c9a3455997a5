package sts

import (
	"crypto/tls"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"moxsync/engine"
)

// Dialects and delete styles.
const (
	DialectV11     = engine.STSDialectV11     // classic / docker STSOrgSync, /api/v1_1
	DialectOS2sync = engine.STSDialectOS2sync // OS2sync 2.x–4.x, /api
	DeletePath     = "path"                   // DELETE {base}/orgunit/{uuid}
	DeleteQuery    = "query"                  // DELETE {base}/orgunit?uuid={uuid} (classic)
)

// Config is what the client needs; main fills it from the settings
// (STSORGSYNC_API_URL, _DIALECT, _DELETE_STYLE, _MUNICIPALITY, _API_KEY,
// _CA_BUNDLE, _TIMEOUT).
type Config struct {
	// BaseURL is the middleware's API root, e.g. https://host:9010/api/v1_1
	// or http://os2sync:5000/api. A trailing slash is ignored.
	BaseURL string
	// Dialect is DialectV11 (default) or DialectOS2sync.
	Dialect string
	// DeleteStyle is DeletePath (default) or DeleteQuery (v1_1 only; it is
	// also used for GET by uuid).
	DeleteStyle string
	// CVR is the municipality's 8-digit CVR number, sent as header CVR.
	CVR string
	// APIKey, when set, is sent as header apiKey (OS2sync).
	APIKey string
	// TLS configures HTTPS (CA bundle, verification); nil means Go's
	// defaults (system CAs).
	TLS *tls.Config
	// Timeout bounds each HTTP request (default 30 s, OS2sync is slow).
	Timeout time.Duration
	// Retries is how often a request is repeated after a network error,
	// 429 or 5xx (default 3; negative means none).
	Retries int
	// Backoff is the wait before the first retry; it doubles per retry up
	// to 30 s, with ±20 % jitter (default 1 s).
	Backoff time.Duration
	// HierarchyPoll is the wait between two polls of an OS2sync hierarchy
	// read (default 5 s, as os2sync-export polls); HierarchyWait bounds the
	// whole read (default 10 min).
	HierarchyPoll time.Duration
	HierarchyWait time.Duration
	// UserAgent is sent as User-Agent (default "moxsync").
	UserAgent string
	// Logger receives request debug lines and delete warnings (default
	// slog.Default()). Payloads are never logged.
	Logger *slog.Logger
}

func (c Config) withDefaults() (Config, error) {
	c.BaseURL = strings.TrimRight(strings.TrimSpace(c.BaseURL), "/")
	u, err := url.Parse(c.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return c, fmt.Errorf("sts: base URL %q: want an http(s) URL such as https://host:9010/api/v1_1", c.BaseURL)
	}
	switch c.Dialect {
	case "":
		c.Dialect = DialectV11
	case DialectV11, DialectOS2sync:
	default:
		return c, fmt.Errorf("sts: dialect %q: want %q or %q", c.Dialect, DialectV11, DialectOS2sync)
	}
	switch c.DeleteStyle {
	case "":
		c.DeleteStyle = DeletePath
	case DeletePath, DeleteQuery:
	default:
		return c, fmt.Errorf("sts: delete style %q: want %q or %q", c.DeleteStyle, DeletePath, DeleteQuery)
	}
	if c.Dialect == DialectOS2sync && c.DeleteStyle == DeleteQuery {
		return c, fmt.Errorf("sts: delete style %q exists only in dialect %q", DeleteQuery, DialectV11)
	}
	if c.Timeout <= 0 {
		c.Timeout = 30 * time.Second
	}
	if c.Retries == 0 {
		c.Retries = 3
	} else if c.Retries < 0 {
		c.Retries = 0
	}
	if c.Backoff <= 0 {
		c.Backoff = time.Second
	}
	if c.HierarchyPoll <= 0 {
		c.HierarchyPoll = 5 * time.Second
	}
	if c.HierarchyWait <= 0 {
		c.HierarchyWait = 10 * time.Minute
	}
	if c.UserAgent == "" {
		c.UserAgent = "moxsync"
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	return c, nil
}
