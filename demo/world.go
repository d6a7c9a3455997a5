package demo

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"moxsync/ad"
	"moxsync/settings"
	"moxsync/wiring"
)

// World is a whole municipality in one process: the demo servers, reached
// through the real adapters as wired from ordinary settings (Settings) —
// the same code paths as production.
type World struct {
	*wiring.Env
	*Servers
	// Audit is the audit log of the demo (in the temporary directory).
	Audit string
	// Settings describe the demo's systems, as a settings.ini would.
	Settings *settings.Settings
}

// Close closes the adapters, then the servers.
func (w *World) Close() error {
	err := w.Env.Close()
	if serr := w.Servers.Close(); err == nil {
		err = serr
	}
	return err
}

// New starts the fakes, with a few objects in STS that MO does not want
// there (Servers.StaleSTS: what a municipality's STS holds after mox and
// other systems), and connects the adapters to them. Close it.
func New(ctx context.Context, o Options) (*World, error) {
	srv, err := Start(o, o.RealClock)
	if err != nil {
		return nil, err
	}
	srv.StaleSTS = seedStaleSTS(srv.stsSrv, srv.STSDialect, srv.Dataset, srv.Dataset.Snapshot(srv.Now, srv.Dataset.TopUnitUUID))
	ep := srv.Endpoints()
	ep.Log = o.Log
	if o.RealClock {
		ep.Clock = time.Now
	}
	ep.Extra = o.Settings
	s, err := ep.Settings()
	if err != nil {
		srv.Close()
		return nil, err
	}
	env, err := Connect(ctx, ep)
	if err != nil {
		srv.Close()
		return nil, err
	}
	return &World{Servers: srv, Env: env, Audit: env.AuditPath, Settings: s}, nil
}

// Endpoints is what the adapters need to reach a demo's fakes, which may
// run in another process (the benchmarks do that).
type Endpoints struct {
	MOURL, STSURL   string
	STSDialect      string // "" = v1_1
	AD              ad.Config
	ADCAFile        string // verifies a real AD's certificate; "" = none
	Now             time.Time
	TopUnit, Domain string
	Dir             string       // where the STS record and the audit log go
	Log             *slog.Logger // the adapters' logs; nil = their defaults
	// Clock is the adapters' clock; nil = time stands still at Now.
	Clock func() time.Time
	// Extra are settings that override Values by key (but not the keys
	// that say where the systems are).
	Extra map[string]string
}

// Endpoints describes how to reach the servers.
func (s *Servers) Endpoints() Endpoints {
	return Endpoints{MOURL: s.MOURL, STSURL: s.STSURL, STSDialect: s.STSDialect, AD: s.AD, ADCAFile: s.ADCAFile, Now: s.Now,
		TopUnit: s.Dataset.TopUnitUUID, Domain: s.Dataset.Domain, Dir: s.Tmp}
}

// Values are the settings of the demo's systems, by key, as they would
// stand in a settings.ini.
func (ep Endpoints) Values() map[string]string {
	v := ep.systemValues()
	for k, x := range ep.Extra {
		if _, where := v[k]; (!where && !placeKey(k)) || demoOverridable[k] {
			v[k] = x
		}
	}
	return v
}

// placeKey reports whether a settings key says where something is — a
// system, a secret, a file the demo must not touch (WATCH_STORE,
// MOX_LOG_FILE, …) — rather than how the sync behaves; the demo keeps its
// own for those.
func placeKey(k string) bool {
	for _, part := range []string{"URL", "PASSWORD", "SECRET", "TOKEN", "CA_BUNDLE", "BIND", "SEARCH_BASE", "USER_OU", "NAMING_CONTEXTS",
		"STORE", "LOG_FILE", "AUDIT", "HASH_CACHE", "HTTP_ADDR", "CLIENT_ID", "ORG_UUID", "TOP_UNIT", "MUNICIPALITY", "DIALECT",
		"OS2MO_API", "GRAPHQL_VERSION", "UPN_SUFFIX", "LISTENER_PREFIX", "REALM", "AUTH"} {
		if strings.Contains(k, part) {
			return true
		}
	}
	return false
}

// demoOverridable are keys of systemValues that Extra may override: they
// shape the sync, not where the systems are.
var demoOverridable = map[string]bool{
	"OS2MO_AD_ITSYSTEM": true, "AD_CPR_ATTRIBUTE": true, "STSORGSYNC_USERID_FROM_AD": true, "STSORGSYNC_CONCURRENCY": true,
}

// systemValues are the settings that point the adapters at the demo's
// systems.
func (ep Endpoints) systemValues() map[string]string {
	return map[string]string{
		"OS2MO_SERVICE_URL":         ep.MOURL + "/service",
		"OS2MO_GRAPHQL_VERSION":     "29",
		"OS2MO_TOP_UNIT_UUID":       ep.TopUnit,
		"OS2MO_AD_ITSYSTEM":         "Active Directory",
		"AD_URL":                    ep.AD.URL,
		"AD_BIND_DN":                ep.AD.BindDN,
		"AD_BIND_PASSWORD":          ep.AD.Password,
		"AD_SEARCH_BASE":            ep.AD.SearchBase,
		"AD_NEW_USER_OU":            ep.AD.NewUserOU,
		"AD_UPN_SUFFIX":             ep.Domain,
		"AD_CPR_ATTRIBUTE":          "employeeID",
		"AD_CA_BUNDLE":              ep.ADCAFile,
		"STSORGSYNC_API_URL":        ep.STSURL,
		"STSORGSYNC_DIALECT":        cmp.Or(ep.STSDialect, "v1_1"),
		"STSORGSYNC_MUNICIPALITY":   CVR,
		"STSORGSYNC_HASH_CACHE":     filepath.Join(ep.Dir, "stsorgsync_state.json"),
		"STSORGSYNC_USERID_FROM_AD": "true",
		"STSORGSYNC_CONCURRENCY":    strconv.Itoa(4),
		"AUDIT_LOG":                 filepath.Join(ep.Dir, "audit.jsonl"),
	}
}

// Settings are the demo's systems as validated settings (no settings file,
// no environment).
func (ep Endpoints) Settings() (*settings.Settings, error) {
	v := ep.Values()
	s, err := settings.Load(settings.LoadOptions{NoFile: true, Getenv: func(k string) string { return v[k] }, Cwd: ep.Dir})
	if err != nil {
		return nil, fmt.Errorf("demo: settings: %w", err)
	}
	return s, nil
}

// Connect connects the real adapters to the demo's fakes through the one
// wiring of settings to clients, with time standing still at ep.Now
// (unless ep.Clock is set). Close it.
func Connect(ctx context.Context, ep Endpoints) (*wiring.Env, error) {
	s, err := ep.Settings()
	if err != nil {
		return nil, err
	}
	now := ep.Now
	clock := ep.Clock
	if clock == nil {
		clock = func() time.Time { return now }
	}
	env, err := wiring.Open(ctx, s, wiring.Options{Log: ep.Log, Now: clock})
	if err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	return env, nil
}

// CVR is the municipality CVR the demo sends to its STSOrgSync.
const CVR = "29189846"
