package ad

import (
	"crypto/tls"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"moxsync/engine"
)

// Defaults applied by Dial to a zero Config field.
const (
	DefaultTimeout      = 10 * time.Second
	DefaultPageSize     = 1000
	DefaultCPRAttribute = "employeeID"
	minPageSize         = 500
	maxPageSize         = 1000
)

// Config says how to reach and use one domain controller. main builds it
// from settings; TLS is the *tls.Config the settings CA helper built (nil
// means the system roots).
type Config struct {
	// URL is ldap://host[:port] or ldaps://host[:port].
	URL string
	// StartTLS upgrades an ldap:// connection before binding.
	StartTLS bool
	// BindDN is a DN or a UPN (user@REALM).
	BindDN   string
	Password string
	// SearchBase is the DN every read of accounts is confined to. Taken
	// usernames are read from the whole domain (the rootDSE's
	// defaultNamingContext), as AD requires them unique there.
	SearchBase string
	// UPNNamingContexts are further naming contexts (other domains of the
	// forest) whose userPrincipalNames count as taken: AD requires a UPN
	// unique in the forest.
	UPNNamingContexts []string
	// NewUserOU is where new users go, relative to SearchBase
	// (e.g. "OU=Nye brugere"); empty means SearchBase itself.
	NewUserOU string
	// UPNSuffix is the part after @ in new users' userPrincipalName.
	UPNSuffix string
	// CPRAttribute holds the CPR number (default employeeID).
	CPRAttribute string
	TLS          *tls.Config
	// Timeout bounds the dial and every single LDAP request (default 10 s).
	Timeout time.Duration
	// PageSize is the paged-results page size, 500–1000 (default 1000).
	PageSize int
	// Logger receives debug logs of searches and info logs of redials;
	// nil discards them.
	Logger *slog.Logger
}

// NewUserParent is the DN new users are created under: NewUserOU,SearchBase
// with empty pieces left out.
func (c Config) NewUserParent() string {
	if strings.TrimSpace(c.NewUserOU) == "" {
		return c.SearchBase
	}
	return c.NewUserOU + "," + c.SearchBase
}

// withDefaults validates c and fills in the defaults. Errors are KindInvalid
// and name the field.
func (c Config) withDefaults() (Config, *url.URL, error) {
	const op = "ad: settings"
	u, err := url.Parse(c.URL)
	if err != nil || c.URL == "" {
		return c, nil, engine.E(engine.KindInvalid, op, "url", fmt.Errorf("%q is not an ldap:// or ldaps:// URL", c.URL))
	}
	switch u.Scheme {
	case "ldap":
	case "ldaps":
		if c.StartTLS {
			return c, nil, engine.E(engine.KindInvalid, op, "starttls", fmt.Errorf("StartTLS cannot be used with ldaps:// (%s), which is TLS already", c.URL))
		}
	default:
		return c, nil, engine.E(engine.KindInvalid, op, "url", fmt.Errorf("scheme %q in %q: want ldap:// or ldaps://", u.Scheme, c.URL))
	}
	if u.Host == "" {
		return c, nil, engine.E(engine.KindInvalid, op, "url", fmt.Errorf("%q names no host", c.URL))
	}
	if c.BindDN == "" {
		return c, nil, engine.E(engine.KindInvalid, op, "bind", fmt.Errorf("no bind name (DN or UPN) configured; anonymous binds are not used"))
	}
	if c.SearchBase == "" {
		return c, nil, engine.E(engine.KindInvalid, op, "search base", fmt.Errorf("no search base configured"))
	}
	if c.CPRAttribute == "" {
		c.CPRAttribute = DefaultCPRAttribute
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.Timeout <= 0 {
		c.Timeout = DefaultTimeout
	}
	switch {
	case c.PageSize == 0:
		c.PageSize = DefaultPageSize
	case c.PageSize < minPageSize || c.PageSize > maxPageSize:
		return c, nil, engine.E(engine.KindInvalid, op, "page size", fmt.Errorf("page size %d is outside %d–%d", c.PageSize, minPageSize, maxPageSize))
	}
	return c, u, nil
}

// tlsConfig returns the TLS configuration for host: a clone of c.TLS (or a
// fresh one using the system roots) with ServerName set when empty, which
// StartTLS needs to verify the certificate's name.
func (c Config) tlsConfig(host string) *tls.Config {
	var tc *tls.Config
	if c.TLS != nil {
		tc = c.TLS.Clone()
	} else {
		tc = &tls.Config{MinVersion: tls.VersionTLS12}
	}
	if tc.ServerName == "" {
		tc.ServerName = host
	}
	return tc
}
