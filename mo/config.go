package mo

import (
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"
)

// The APIs Config.API can name.
const (
	APIGraphQL = "graphql"
	APIREST    = "rest"
)

// Defaults used when a Config field is zero.
const (
	DefaultGraphQLVersion = 29
	DefaultADITSystem     = "Active Directory"
	DefaultRealm          = "mo"
	DefaultPageSize       = 500
	DefaultTimeout        = 60 * time.Second
	DefaultRetries        = 3
	DefaultConcurrency    = 16
	DefaultRetryBackoff   = 200 * time.Millisecond
)

// minGraphQLVersion is the oldest GraphQL version whose filters and nested
// date semantics the queries here rely on (v21: date filters are no longer
// inherited by nested fields).
const minGraphQLVersion = 21

// Config is everything the client needs. main fills it from settings.
type Config struct {
	// ServiceURL is the REST base URL; it must end in /service
	// (OS2MO_SERVICE_URL).
	ServiceURL string
	// GraphQLURL is the GraphQL endpoint. Blank: ServiceURL without /service,
	// plus /graphql/v<GraphQLVersion>.
	GraphQLURL string
	// GraphQLVersion is the pinned GraphQL version (default 29, as OS2MO's
	// own AD integration pins; 29 is also the first with external_id). It also
	// decides the date semantics: before 29 the shown end date is inclusive.
	GraphQLVersion int
	// API is "graphql" (default) or "rest".
	API string

	// SAMLToken is the legacy API token, sent as the SESSION header when no
	// client credentials are configured (OS2MO_SAML_TOKEN).
	SAMLToken string
	// AuthServer is the Keycloak base URL (".../auth"). Blank: the MO root
	// plus /auth.
	AuthServer   string
	Realm        string // default "mo"
	ClientID     string
	ClientSecret string

	// OrgUUID is the organisation; blank asks the server (OS2MO_ORG_UUID).
	OrgUUID string
	// TopUnitUUID limits the units to this unit and its descendants.
	TopUnitUUID string
	// ADITSystem is the user_key or name of the IT system that holds the AD
	// accounts (default "Active Directory").
	ADITSystem string
	// EngagementExtensions are the engagement extension fields (1..10) to
	// read with each engagement: those the AD mapping uses
	// (engine.Mapping.EngagementExtensions); none by default.
	EngagementExtensions []int

	PageSize    int           // objects per page (default 500)
	Timeout     time.Duration // per HTTP call (default 60 s)
	Retries     int           // extra attempts for failed reads (default 3; negative = none)
	Concurrency int           // parallel REST detail calls (default 16)
	// RetryBackoff is the wait before the first retry; it doubles per retry
	// (default 200 ms).
	RetryBackoff time.Duration
	TLS          *tls.Config
	// Now is the clock (default time.Now); the snapshot is read as at Now.
	Now func() time.Time
	// Logger receives the client's logs (default slog.Default()), with
	// system=mo added. Secrets and CPR numbers are never logged.
	Logger *slog.Logger
}

// withDefaults validates c and returns a copy with every default filled in.
func (c Config) withDefaults() (Config, error) {
	var errs []error
	if c.API == "" {
		c.API = APIGraphQL
	}
	c.API = strings.ToLower(c.API)
	if c.API != APIGraphQL && c.API != APIREST {
		errs = append(errs, fmt.Errorf("API %q: want %q or %q", c.API, APIGraphQL, APIREST))
	}
	if c.GraphQLVersion == 0 {
		c.GraphQLVersion = DefaultGraphQLVersion
	}
	if c.GraphQLVersion < minGraphQLVersion {
		errs = append(errs, fmt.Errorf("GraphQL version %d: versions before %d are not supported; use API %q", c.GraphQLVersion, minGraphQLVersion, APIREST))
	}
	c.ServiceURL = strings.TrimRight(c.ServiceURL, "/")
	switch {
	case c.ServiceURL == "" && c.API == APIREST:
		errs = append(errs, errors.New("service URL is empty"))
	case c.ServiceURL == "" && c.GraphQLURL == "":
		errs = append(errs, errors.New("service URL and GraphQL URL are both empty"))
	case c.ServiceURL != "":
		if !strings.HasSuffix(c.ServiceURL, "/service") {
			errs = append(errs, fmt.Errorf("service URL %q must end in /service", c.ServiceURL))
		} else if err := checkHTTPURL(c.ServiceURL); err != nil {
			errs = append(errs, fmt.Errorf("service URL: %w", err))
		}
	}
	root := strings.TrimSuffix(c.ServiceURL, "/service")
	if c.GraphQLURL == "" && root != "" {
		c.GraphQLURL = fmt.Sprintf("%s/graphql/v%d", root, c.GraphQLVersion)
	} else if c.GraphQLURL != "" {
		if err := checkHTTPURL(c.GraphQLURL); err != nil {
			errs = append(errs, fmt.Errorf("GraphQL URL: %w", err))
		}
		if root == "" {
			root = c.GraphQLURL[:strings.Index(c.GraphQLURL, "/graphql")+1]
			root = strings.TrimRight(root, "/")
		}
	}
	if c.ClientID != "" {
		if c.ClientSecret == "" {
			errs = append(errs, errors.New("client ID is set but client secret is empty"))
		}
		if c.AuthServer == "" {
			c.AuthServer = root + "/auth"
		}
		c.AuthServer = strings.TrimRight(c.AuthServer, "/")
		if err := checkHTTPURL(c.AuthServer); err != nil {
			errs = append(errs, fmt.Errorf("auth server: %w", err))
		}
	}
	if c.Realm == "" {
		c.Realm = DefaultRealm
	}
	if c.ADITSystem == "" {
		c.ADITSystem = DefaultADITSystem
	}
	if c.PageSize <= 0 {
		c.PageSize = DefaultPageSize
	}
	if c.Timeout <= 0 {
		c.Timeout = DefaultTimeout
	}
	if c.Retries == 0 {
		c.Retries = DefaultRetries
	} else if c.Retries < 0 {
		c.Retries = 0
	}
	if c.Concurrency <= 0 {
		c.Concurrency = DefaultConcurrency
	}
	if c.RetryBackoff <= 0 {
		c.RetryBackoff = DefaultRetryBackoff
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	for _, u := range []struct{ name, v string }{{"org UUID", c.OrgUUID}, {"top unit UUID", c.TopUnitUUID}} {
		if u.v != "" && !isUUID(u.v) {
			errs = append(errs, fmt.Errorf("%s %q is not a UUID", u.name, u.v))
		}
	}
	if len(errs) > 0 {
		return c, fmt.Errorf("mo: config: %w", errors.Join(errs...))
	}
	return c, nil
}

func checkHTTPURL(s string) error {
	u, err := url.Parse(s)
	if err != nil {
		return err
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return fmt.Errorf("%q is not an http(s) URL", s)
	}
	return nil
}

// isUUID reports whether s has the 8-4-4-4-12 hex form.
func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
				return false
			}
		}
	}
	return true
}
