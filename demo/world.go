package demo

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"strconv"
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
	srv, err := Start(o, false)
	if err != nil {
		return nil, err
	}
	srv.StaleSTS = seedStaleSTS(srv.stsSrv, srv.STSDialect, srv.Dataset, srv.Dataset.Snapshot(srv.Now, srv.Dataset.TopUnitUUID))
	ep := srv.Endpoints()
	ep.Log = o.Log
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
}

// Endpoints describes how to reach the servers.
func (s *Servers) Endpoints() Endpoints {
	return Endpoints{MOURL: s.MOURL, STSURL: s.STSURL, STSDialect: s.STSDialect, AD: s.AD, ADCAFile: s.ADCAFile, Now: s.Now,
		TopUnit: s.Dataset.TopUnitUUID, Domain: s.Dataset.Domain, Dir: s.Tmp}
}

// Values are the settings of the demo's systems, by key, as they would
// stand in a settings.ini.
func (ep Endpoints) Values() map[string]string {
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
// wiring of settings to clients, with time standing still at ep.Now.
// Close it.
func Connect(ctx context.Context, ep Endpoints) (*wiring.Env, error) {
	s, err := ep.Settings()
	if err != nil {
		return nil, err
	}
	now := ep.Now
	env, err := wiring.Open(ctx, s, wiring.Options{Log: ep.Log, Now: func() time.Time { return now }})
	if err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	return env, nil
}

// CVR is the municipality CVR the demo sends to its STSOrgSync.
const CVR = "29189846"
