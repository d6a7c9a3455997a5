package demo

import (
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"fmt"
	"os"

	"github.com/go-ldap/ldap/v3"

	"moxsync/ad"
	"moxsync/mo/motest"
)

// startRealAD prepares a real AD (a Samba DC in CI) for the demo: a fresh
// OU under o.ADBase holding "OU=Nye brugere", which becomes the search base,
// so the run sees only its own accounts. The OU is removed with the
// tree-delete control on Close.
func (s *Servers) startRealAD(o Options, ds *motest.Dataset) (ad.Config, error) {
	unlock, err := lockRealAD(o.ADURL)
	if err != nil {
		return ad.Config{}, err
	}
	s.closers = append(s.closers, unlock)
	var tc *tls.Config
	if o.ADCAFile != "" {
		pem, err := os.ReadFile(o.ADCAFile)
		if err != nil {
			return ad.Config{}, fmt.Errorf("demo: AD CA file: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return ad.Config{}, fmt.Errorf("demo: AD CA file %s holds no certificate", o.ADCAFile)
		}
		tc = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	}
	conn, err := ldap.DialURL(o.ADURL, ldap.DialWithTLSConfig(tc))
	if err != nil {
		return ad.Config{}, fmt.Errorf("demo: dial %s: %w", o.ADURL, err)
	}
	if err := conn.Bind(o.ADBind, o.ADPassword); err != nil {
		conn.Close()
		return ad.Config{}, fmt.Errorf("demo: bind %s: %w", o.ADBind, err)
	}
	var rnd [4]byte
	_, _ = rand.Read(rnd[:])
	ou := "OU=moxsync-demo-" + hex.EncodeToString(rnd[:]) + "," + o.ADBase
	for _, dn := range []string{ou, "OU=Nye brugere," + ou} {
		req := ldap.NewAddRequest(dn, nil)
		req.Attribute("objectClass", []string{"top", "organizationalUnit"})
		if err := conn.Add(req); err != nil {
			conn.Close()
			return ad.Config{}, fmt.Errorf("demo: create %s: %w", dn, err)
		}
	}
	s.closers = append(s.closers, func() error {
		defer conn.Close()
		req := ldap.NewDelRequest(ou, []ldap.Control{ldap.NewControlSubtreeDelete()})
		if err := conn.Del(req); err != nil {
			return fmt.Errorf("demo: remove %s: %w", ou, err)
		}
		return nil
	})
	return ad.Config{URL: o.ADURL, BindDN: o.ADBind, Password: o.ADPassword, SearchBase: ou, NewUserOU: "OU=Nye brugere",
		UPNSuffix: ds.Domain, CPRAttribute: "employeeID", TLS: tc}, nil
}
