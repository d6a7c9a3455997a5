package ad

import (
	"testing"

	"moxsync/ad/adtest"
)

// The in-process adtest server: always available, one per test.
func init() { serverMakers = append(serverMakers, adtestServer) }

func adtestServer(tb testing.TB) *testServer {
	srv, err := adtest.New(adtest.Options{TLS: true})
	if err != nil {
		tb.Fatalf("adtest.New: %v", err)
	}
	tb.Cleanup(func() { srv.Close() })
	return &testServer{
		name:     "adtest",
		url:      srv.URL(),
		ldapsURL: srv.LDAPSURL(),
		bindDN:   srv.BindUPN(),
		bindDN2:  srv.BindDN(),
		password: srv.Password(),
		base:     srv.BaseDN(),
		caPEM:    srv.CACertPEM(),
		upnRealm: srv.Domain(),
	}
}
