package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"time"

	"moxsync/ad"
	"moxsync/ad/adtest"
	"moxsync/engine"
	"moxsync/mo"
	"moxsync/mo/motest"
	"moxsync/sts"
	"moxsync/sts/ststest"
)

// demoOptions shape the generated demo municipality.
type demoOptions struct {
	Size motest.Size
	Seed int64
	// ADURL, when set, uses that AD (e.g. a Samba DC from .ci/ad-dc.sh) with
	// ADBind/ADPassword/ADBase instead of an in-process adtest server; the
	// accounts are created under OU=<ADOU> (made fresh).
	ADURL, ADBind, ADPassword, ADBase string
	ADCAFile                          string
	// Log receives the adapters' logs; nil means each client's default
	// (MO and STS: slog.Default; AD: discarded).
	Log *slog.Logger
}

// demoServers are the in-process fakes of the demo: OS2MO (motest over
// loopback HTTP), an AD-like LDAP server (adtest) seeded from the same data
// (or a real AD, see demoOptions.ADURL), and STSOrgSync (ststest).
type demoServers struct {
	Dataset *motest.Dataset
	Now     time.Time
	MOURL   string // base URL; REST at /service, GraphQL at /graphql/vN
	STSURL  string // API root, …/api/v1_1
	AD      ad.Config
	ADSeed  *adtest.SeedReport
	Tmp     string // a temporary directory, removed by Close
	stsSrv  *ststest.Server
	moSrv   *motest.Server
	closers []func() error
}

// UpdateMO changes the MO data under the fake server (between runs).
func (s *demoServers) UpdateMO(f func(ds *motest.Dataset)) {
	f(s.Dataset)
	s.moSrv.Reload()
}

// Close stops the servers and removes the temporary directory.
func (s *demoServers) Close() error {
	var first error
	for i := len(s.closers) - 1; i >= 0; i-- {
		if err := s.closers[i](); err != nil && first == nil {
			first = err
		}
	}
	s.closers = nil
	return first
}

// STSRequests is the number of requests the fake STSOrgSync received.
func (s *demoServers) STSRequests() int { return len(s.stsSrv.Requests()) }

// startDemoServers generates the data and starts the fakes. With
// realClock the data is moved to today and the servers use the real clock
// (for the commands, which read the clock); otherwise time stands still at
// the data set's Today 10:00.
func startDemoServers(o demoOptions, realClock bool) (_ *demoServers, err error) {
	if o.Size == "" {
		o.Size = motest.SizeDemo
	}
	ds := motest.Generate(o.Size, o.Seed)
	clock := func() time.Time { return ds.Today.Add(10 * time.Hour) }
	if realClock {
		ds.Rebase(time.Now())
		clock = time.Now
	}
	s := &demoServers{Dataset: ds, Now: clock()}
	defer func() {
		if err != nil {
			s.Close()
		}
	}()
	s.Tmp, err = os.MkdirTemp("", "moxsync-demo-")
	if err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	s.closers = append(s.closers, func() error { return os.RemoveAll(s.Tmp) })

	s.moSrv = motest.NewServer(ds, motest.Options{Now: clock})
	moHTTP := httptest.NewServer(s.moSrv)
	s.closers = append(s.closers, func() error { moHTTP.Close(); return nil })
	s.MOURL = moHTTP.URL

	s.AD, err = s.startAD(o, ds)
	if err != nil {
		return nil, err
	}

	s.stsSrv = ststest.New(ststest.Options{})
	stsHTTP := httptest.NewServer(s.stsSrv)
	s.closers = append(s.closers, func() error { stsHTTP.Close(); return nil })
	s.STSURL = stsHTTP.URL + "/api/v1_1"
	return s, nil
}

// startAD starts the in-process AD (or prepares the real one of o.ADURL)
// and returns the adapter's configuration for it.
func (s *demoServers) startAD(o demoOptions, ds *motest.Dataset) (ad.Config, error) {
	if o.ADURL != "" {
		return s.startRealAD(o, ds)
	}
	srv, err := adtest.New(adtest.Options{})
	if err != nil {
		return ad.Config{}, fmt.Errorf("demo: start AD: %w", err)
	}
	s.closers = append(s.closers, srv.Close)
	s.ADSeed, err = srv.SeedFromMO(ds, adtest.SeedOptions{UPNDomain: ds.Domain})
	if err != nil {
		return ad.Config{}, fmt.Errorf("demo: seed AD: %w", err)
	}
	if err := srv.AddEntry("OU=Nye brugere,"+srv.BaseDN(), map[string][]string{"objectClass": {"organizationalUnit"}}); err != nil {
		return ad.Config{}, fmt.Errorf("demo: AD OU for new users: %w", err)
	}
	return ad.Config{URL: srv.URL(), BindDN: srv.BindDN(), Password: srv.Password(), SearchBase: srv.BaseDN(),
		NewUserOU: "OU=Nye brugere", UPNSuffix: ds.Domain, CPRAttribute: "employeeID"}, nil
}

// demoEnv is a whole world in one process: the demo servers, reached
// through the real adapters — the same code paths as production.
type demoEnv struct {
	*syncEnv
	*demoServers
	// Audit is the audit log of the demo (in the temporary directory).
	Audit string
}

// Close closes the adapters, then the servers.
func (d *demoEnv) Close() error {
	err := d.syncEnv.Close()
	if serr := d.demoServers.Close(); err == nil {
		err = serr
	}
	return err
}

// newDemoEnv starts the fakes and connects the adapters to them. Close it.
func newDemoEnv(ctx context.Context, o demoOptions) (*demoEnv, error) {
	srv, err := startDemoServers(o, false)
	if err != nil {
		return nil, err
	}
	ep := srv.endpoints()
	ep.Log = o.Log
	env, err := connectDemo(ctx, ep)
	if err != nil {
		srv.Close()
		return nil, err
	}
	return &demoEnv{demoServers: srv, syncEnv: env, Audit: env.auditPath}, nil
}

// demoEndpoints is what the adapters need to reach a demo's fakes, which
// may run in another process (the benchmarks do that).
type demoEndpoints struct {
	MOURL, STSURL   string
	AD              ad.Config
	Now             time.Time
	TopUnit, Domain string
	Dir             string       // where the STS record and the audit log go
	Log             *slog.Logger // the adapters' logs; nil = their defaults
}

// endpoints describes how to reach the servers.
func (s *demoServers) endpoints() demoEndpoints {
	return demoEndpoints{MOURL: s.MOURL, STSURL: s.STSURL, AD: s.AD, Now: s.Now,
		TopUnit: s.Dataset.TopUnitUUID, Domain: s.Dataset.Domain, Dir: s.Tmp}
}

// connectDemo connects the real adapters to the demo's fakes, with time
// standing still at ep.Now. Close it.
func connectDemo(ctx context.Context, ep demoEndpoints) (_ *syncEnv, err error) {
	now := ep.Now
	d := &syncEnv{now: func() time.Time { return now }}
	defer func() {
		if err != nil {
			d.Close()
		}
	}()
	d.auditPath = filepath.Join(ep.Dir, "audit.jsonl")

	mc, err := mo.New(mo.Config{ServiceURL: ep.MOURL + "/service", GraphQLVersion: 29, TopUnitUUID: ep.TopUnit,
		ADITSystem: "Active Directory", Now: d.now, Logger: ep.Log})
	if err != nil {
		return nil, fmt.Errorf("demo: MO client: %w", err)
	}
	d.mo, d.moWriter = mc, mc
	d.closers = append(d.closers, func() error { mc.Close(); return nil })

	adCfg := ep.AD
	adCfg.Logger = ep.Log
	dir, err := ad.Dial(ctx, adCfg)
	if err != nil {
		return nil, fmt.Errorf("demo: connect to AD: %w", err)
	}
	d.dir = dir
	d.closers = append(d.closers, dir.Close)

	client, err := sts.New(sts.Config{BaseURL: ep.STSURL, Dialect: sts.DialectV11, CVR: demoCVR, Retries: -1, Logger: ep.Log})
	if err != nil {
		return nil, fmt.Errorf("demo: STS client: %w", err)
	}
	if err := d.useSTS(client, filepath.Join(ep.Dir, "stsorgsync_state.json")); err != nil {
		return nil, err
	}
	d.setRecorderLog(ep.Log)

	gen, err := engine.NewUsernameGenerator(engine.DefaultUsernameConfig())
	if err != nil {
		return nil, err
	}
	d.plan = engine.PlanOptions{
		Mapping: engine.DefaultMapping(), MatchBy: engine.MatchByCPR, CPRAttr: "employeeID",
		NewUserOU: ep.AD.NewUserOU, SearchBase: ep.AD.SearchBase, UPNSuffix: ep.Domain, Usernames: gen,
		TopUnit: ep.TopUnit, ToolVersion: toolVersion(),
	}
	d.stsOpts = engine.STSMapOptions{TopUnitUUID: ep.TopUnit, ADITSystem: "Active Directory", UserIDFromAD: true}
	d.adITSystem = "Active Directory"
	d.thresholds = engine.DefaultThresholds
	d.concurrency = map[engine.System]int{engine.SystemAD: 4, engine.SystemMO: 4, engine.SystemSTS: 4}
	return d, nil
}

// demoCVR is the municipality CVR the demo sends to its STSOrgSync.
const demoCVR = "29189846"
