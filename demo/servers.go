package demo

import (
	"fmt"
	"log/slog"
	"net/http/httptest"
	"os"
	"time"

	"moxsync/ad"
	"moxsync/ad/adtest"
	"moxsync/mo/motest"
	"moxsync/sts/ststest"
)

// Options shape the generated demo municipality.
type Options struct {
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
	// STSDialect is the dialect of the demo's STSOrgSync: "v1_1" (the
	// default, as mox) or "os2sync" (OS2sync 4.x, with its hierarchy read).
	STSDialect string
	// MOEventRetryDelay is how long the fake MO waits before it hands out
	// again an event fetched but not acknowledged (0: MO's 3 minutes).
	MOEventRetryDelay time.Duration
	// RealClock moves the data to today and runs the servers and the
	// adapters on the real clock (demo --watch: events happen in real
	// time); otherwise time stands still at the data set's Today 10:00.
	RealClock bool
	// Settings override the demo's settings by key (demo --config FILE:
	// the mapping, username, safety and watch keys of a settings file);
	// the keys that say where the systems are stay the demo's.
	Settings map[string]string
}

// Servers are the in-process fakes of the demo: OS2MO (motest over
// loopback HTTP), an AD-like LDAP server (adtest) seeded from the same data
// (or a real AD, see Options.ADURL), and STSOrgSync (ststest).
type Servers struct {
	Dataset *motest.Dataset
	Now     time.Time
	MOURL   string // base URL; REST at /service, GraphQL at /graphql/vN
	STSURL  string // API root, …/api/v1_1 (or …/api for os2sync)
	// STSDialect is the dialect STSURL speaks ("v1_1" or "os2sync").
	STSDialect string
	// StaleSTS is what the fake STSOrgSync held at the start that MO does
	// not want there (the demo world of New has it; Start alone starts
	// with an empty STS); the first plan removes it.
	StaleSTS StaleSTS
	AD       ad.Config
	// ADCAFile is the CA file that verifies a real AD's certificate ("" for
	// the in-process one).
	ADCAFile string
	ADSeed   *adtest.SeedReport
	Tmp      string // a temporary directory, removed by Close
	stsSrv   *ststest.Server
	moSrv    *motest.Server
	adSrv    *adtest.Server
	closers  []func() error
}

// UpdateMO changes the MO data under the fake server (between runs).
func (s *Servers) UpdateMO(f func(ds *motest.Dataset)) {
	f(s.Dataset)
	s.moSrv.Reload()
}

// Close stops the servers and removes the temporary directory.
func (s *Servers) Close() error {
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
func (s *Servers) STSRequests() int { return len(s.stsSrv.Requests()) }

// Start generates the data and starts the fakes. With
// realClock the data is moved to today and the servers use the real clock
// (for the commands, which read the clock); otherwise time stands still at
// the data set's Today 10:00.
func Start(o Options, realClock bool) (_ *Servers, err error) {
	if o.Size == "" {
		o.Size = motest.SizeDemo
	}
	ds := motest.Generate(o.Size, o.Seed)
	clock := func() time.Time { return ds.Today.Add(10 * time.Hour) }
	if realClock {
		ds.Rebase(time.Now())
		clock = time.Now
	}
	s := &Servers{Dataset: ds, Now: clock()}
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

	s.moSrv = motest.NewServer(ds, motest.Options{Now: clock, EventRetryDelay: o.MOEventRetryDelay})
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
	s.STSDialect, s.STSURL = "v1_1", stsHTTP.URL+"/api/v1_1"
	if o.STSDialect == "os2sync" {
		s.STSDialect, s.STSURL = "os2sync", stsHTTP.URL+"/api"
	}
	return s, nil
}

// startAD starts the in-process AD (or prepares the real one of o.ADURL)
// and returns the adapter's configuration for it.
func (s *Servers) startAD(o Options, ds *motest.Dataset) (ad.Config, error) {
	if o.ADURL != "" {
		s.ADCAFile = o.ADCAFile
		return s.startRealAD(o, ds)
	}
	srv, err := adtest.New(adtest.Options{})
	if err != nil {
		return ad.Config{}, fmt.Errorf("demo: start AD: %w", err)
	}
	s.closers = append(s.closers, srv.Close)
	s.adSrv = srv
	// Every 25th account holds another title and phone than MO, values MO
	// can take: rules that make AD the authority for them show MO changes.
	s.ADSeed, err = srv.SeedFromMO(ds, adtest.SeedOptions{UPNDomain: ds.Domain, ADOwnedEvery: 25})
	if err != nil {
		return ad.Config{}, fmt.Errorf("demo: seed AD: %w", err)
	}
	if err := srv.AddEntry("OU=Nye brugere,"+srv.BaseDN(), map[string][]string{"objectClass": {"organizationalUnit"}}); err != nil {
		return ad.Config{}, fmt.Errorf("demo: AD OU for new users: %w", err)
	}
	return ad.Config{URL: srv.URL(), BindDN: srv.BindDN(), Password: srv.Password(), SearchBase: srv.BaseDN(),
		NewUserOU: "OU=Nye brugere", UPNSuffix: ds.Domain, CPRAttribute: "employeeID"}, nil
}

// MO is the fake OS2MO, to edit its data as MO's users would (Edit, Hire,
// SetJobFunction, …: each emits MO's events).
func (s *Servers) MO() *motest.Server { return s.moSrv }

// ADServer is the in-process AD (nil when the demo runs against a real DC).
func (s *Servers) ADServer() *adtest.Server { return s.adSrv }

// STS is the fake STSOrgSync, to look at what it holds.
func (s *Servers) STS() *ststest.Server { return s.stsSrv }
