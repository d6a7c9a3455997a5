package settings

import (
	"net/url"
	"strings"
	"time"
)

// Settings is the effective, validated configuration. Paths in it are
// absolute: a relative path read from the file is relative to the file's
// directory; one from the environment or a default, to the current directory.
type Settings struct {
	// Path is the settings file that was read, "" when none was found and
	// only defaults and the environment apply.
	Path string

	LogLevel int    // MOX_LOG_LEVEL, Python numbers (10 debug … 50 critical)
	LogFile  string // MOX_LOG_FILE, "" = stderr

	MO     MO
	AD     AD
	STS    STS
	Safety Safety
	Watch  Watch

	ReadOnly bool   // READONLY: nothing is written
	AuditLog string // AUDIT_LOG: JSON Lines audit log path

	values []Value // one per known key, in key-table order
}

// MO holds the OS2MO keys.
type MO struct {
	ServiceURL     string        // OS2MO_SERVICE_URL, ends in /service (no trailing slash)
	SAMLToken      string        // OS2MO_SAML_TOKEN (secret), sent as header SESSION by REST
	OrgUUID        string        // OS2MO_ORG_UUID, "" = ask the server
	CABundle       string        // OS2MO_CA_BUNDLE, for TLSConfig
	TopUnitUUID    string        // OS2MO_TOP_UNIT_UUID
	API            string        // OS2MO_API: "graphql" or "rest"
	GraphQLURL     string        // OS2MO_GRAPHQL_URL, or derived from ServiceURL and GraphQLVersion
	GraphQLVersion int           // OS2MO_GRAPHQL_VERSION
	PageSize       int           // OS2MO_PAGE_SIZE
	AuthServer     string        // OS2MO_AUTH_SERVER, Keycloak base URL; "" = no Keycloak
	AuthRealm      string        // OS2MO_AUTH_REALM
	ClientID       string        // OS2MO_CLIENT_ID
	ClientSecret   string        // OS2MO_CLIENT_SECRET (secret)
	Timeout        time.Duration // OS2MO_TIMEOUT
	ADITSystem     string        // OS2MO_AD_ITSYSTEM: user_key or name of the IT system holding AD accounts
	// AddressVisibility is OS2MO_ADDRESS_VISIBILITY: the visibility class
	// (user_key, name or scope) of addresses created from AD; "" = MO's default.
	AddressVisibility string
}

// Configured reports whether OS2MO was given a real address (not blank and
// not the placeholder host of the original example).
func (m MO) Configured() bool {
	return isRealURL(m.ServiceURL) || isRealURL(m.GraphQLURL) && m.API == "graphql"
}

// TokenURL is the Keycloak client-credentials token endpoint, "" without Keycloak.
func (m MO) TokenURL() string {
	if m.AuthServer == "" {
		return ""
	}
	return strings.TrimRight(m.AuthServer, "/") + "/realms/" + url.PathEscape(m.AuthRealm) + "/protocol/openid-connect/token"
}

// AD holds the Active Directory keys.
type AD struct {
	URL               string        // AD_URL, ldap:// or ldaps://; "" = AD not configured
	StartTLS          bool          // AD_START_TLS
	BindDN            string        // AD_BIND_DN, DN or UPN
	BindPassword      string        // AD_BIND_PASSWORD (secret)
	SearchBase        string        // AD_SEARCH_BASE
	UPNNamingContexts []string      // AD_UPN_NAMING_CONTEXTS
	NewUserOU         string        // AD_NEW_USER_OU, relative to SearchBase
	CABundle          string        // AD_CA_BUNDLE, for TLSConfig
	CPRAttribute      string        // AD_CPR_ATTRIBUTE
	MatchBy           string        // AD_MATCH_BY: "cpr" or "objectguid" (lower case)
	UPNSuffix         string        // AD_UPN_SUFFIX, "" = no UPN
	Timeout           time.Duration // AD_TIMEOUT
	Mapping           string        // AD_MAPPING, raw; parsed by the engine
	UsernameGenerator string        // USERNAME_GENERATOR: inline JSON, absolute path, or "" = seed example
	// CreateJobFunctions is AD_CREATE_JOB_FUNCTIONS: a title AD owns that
	// MO has no job function class of is created as one (else a warning).
	CreateJobFunctions bool
	// CreateMOPeople is AD_CREATE_MO_PEOPLE: accounts under
	// CreateMOPeopleOUs (AD_CREATE_MO_PEOPLE_OUS) that no MO person
	// matches become MO people, queued for approval.
	CreateMOPeople    bool
	CreateMOPeopleOUs []string
}

// Configured reports whether AD_URL is set.
func (a AD) Configured() bool { return a.URL != "" }

// STS holds the STSOrgSync keys.
type STS struct {
	APIURL            string        // STSORGSYNC_API_URL
	CABundle          string        // STSORGSYNC_CA_BUNDLE, for TLSConfig
	Municipality      string        // STSORGSYNC_MUNICIPALITY, CVR, 8 digits; header CVR
	HashCache         string        // STSORGSYNC_HASH_CACHE, state file path
	PhoneScopeClasses []string      // STSORGSYNC_PHONE_SCOPE_CLASSES, UUIDs in priority order
	EmailScopeClasses []string      // STSORGSYNC_EMAIL_SCOPE_CLASSES
	Truncate          int           // STSORGSYNC_TRUNCATE as given; see TruncateLength
	Dialect           string        // STSORGSYNC_DIALECT: "v1_1" or "os2sync"
	DeleteStyle       string        // STSORGSYNC_DELETE_STYLE: "path" or "query"
	APIKey            string        // STSORGSYNC_API_KEY (secret)
	SyncCPR           bool          // STSORGSYNC_SYNC_CPR
	UserIDFromAD      bool          // STSORGSYNC_USERID_FROM_AD
	ClassicMSSQL      bool          // STSORGSYNC_CLASSIC_MSSQL
	Concurrency       int           // STSORGSYNC_CONCURRENCY
	Timeout           time.Duration // STSORGSYNC_TIMEOUT
	Clean             string        // STSORGSYNC_CLEAN: "both", "users", "units" or "none"
}

// Configured reports whether STSORGSYNC_API_URL names a real server (not the
// placeholder host of the original example).
func (s STS) Configured() bool { return isRealURL(s.APIURL) }

// TruncateLength is the effective truncation length: max(36, STSORGSYNC_TRUNCATE).
func (s STS) TruncateLength() int { return max(36, s.Truncate) }

// Safety holds the delete/disable thresholds.
type Safety struct {
	MaxDeletes       int // SAFETY_MAX_DELETES
	MaxDeletePercent int // SAFETY_MAX_DELETE_PERCENT
}

// Watch holds the keys of the continuous mode (moxsync watch).
type Watch struct {
	Store             string        // WATCH_STORE: the SQLite file of the queue and the AD position
	ApplyAtOnce       []string      // WATCH_APPLY_AT_ONCE: operations applied without approval (create, update, disable, enable, rename, delete); empty = none
	PollInterval      time.Duration // WATCH_POLL_INTERVAL: wait after an empty MO fetch and between AD polls
	Coalesce          time.Duration // WATCH_COALESCE: events gathered into one re-plan after the first
	ReconcileAtStart  bool          // WATCH_RECONCILE_AT_START
	ReconcileInterval time.Duration // WATCH_RECONCILE_INTERVAL: 0 = off
	SafetyWindow      time.Duration // WATCH_SAFETY_WINDOW: the rolling window of the safety thresholds
	ListenerPrefix    string        // WATCH_LISTENER_PREFIX: the user_key prefix of the MO listeners
	HTTPAddr          string        // WATCH_HTTP_ADDR: host:port of /healthz and /metrics; "" = off
}

// SourceKind says where a value came from.
type SourceKind int

const (
	FromDefault SourceKind = iota
	FromFile
	FromEnv
)

// Source is where one effective value came from.
type Source struct {
	Kind SourceKind
	File string // FromFile only
	Line int    // FromFile only
}

func (s Source) String() string {
	switch s.Kind {
	case FromFile:
		return s.File + ":" + itoa(s.Line)
	case FromEnv:
		return "environment"
	}
	return "default"
}

// Value is one key's effective raw value and its origin, for `check`.
type Value struct {
	Key     string
	Raw     string // never print this for a secret; use Display
	Secret  bool
	Source  Source
	Display string // Raw with secrets masked (Mask) and URL passwords redacted
}

// Values returns every known key's effective value, in documentation order.
func (s *Settings) Values() []Value { return append([]Value(nil), s.values...) }

// Mask is what a secret looks like in output.
const Mask = "********"

// Secrets returns every non-empty secret value (secret keys and passwords
// inside URLs), for redacting logs.
func (s *Settings) Secrets() []string {
	var out []string
	for _, v := range s.values {
		if v.Raw == "" {
			continue
		}
		if v.Secret {
			out = append(out, v.Raw)
		} else if p := urlPassword(v.Raw); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func isRealURL(s string) bool {
	if s == "" {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && u.Host != "" && !placeholderHosts[u.Hostname()]
}

// placeholderHosts are the example hosts of the original mox documentation;
// a URL on them means "not configured".
var placeholderHosts = map[string]bool{"some-os2mo-url": true, "some-stsorgsync-url": true}

func urlPassword(s string) string {
	if !strings.Contains(s, "@") {
		return ""
	}
	u, err := url.Parse(s)
	if err != nil || u.User == nil {
		return ""
	}
	p, _ := u.User.Password()
	return p
}

// display masks secrets and redacts URL passwords.
func display(raw string, secret bool) string {
	if secret && raw != "" {
		return Mask
	}
	if p := urlPassword(raw); p != "" {
		return strings.ReplaceAll(raw, ":"+p+"@", ":"+Mask+"@")
	}
	return raw
}
