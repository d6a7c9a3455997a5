package ad

import (
	"context"
	"fmt"
	"slices"
	"strconv"

	"github.com/go-ldap/ldap/v3"

	"moxsync/engine"
)

// OIDs of controls the adapter relies on or reports.
const (
	OIDPagedResults = ldap.ControlTypePaging        // 1.2.840.113556.1.4.319
	OIDTreeDelete   = ldap.ControlTypeSubtreeDelete // 1.2.840.113556.1.4.805
	OIDAssertion    = "1.3.6.1.1.12"                // RFC 4528; AD and Samba do not list it
	OIDDirSync      = ldap.ControlTypeDirSync       // 1.2.840.113556.1.4.841
)

// ServerInfo is what Probe learned from the domain controller's rootDSE.
type ServerInfo struct {
	Vendor               string   // vendorName; empty on Windows AD
	DNSHostName          string   // dnsHostName of the DC answering
	DefaultNamingContext string   // e.g. DC=test,DC=local
	HighestCommittedUSN  int64    // a freshness marker for plans
	SupportedControls    []string // supportedControl OIDs
}

// Supports reports whether the server lists the control oid.
func (s ServerInfo) Supports(oid string) bool { return slices.Contains(s.SupportedControls, oid) }

// Probe checks the connection for `moxsync check`: it reads the rootDSE,
// requires the paged-results control, and checks that the search base and
// the OU for new users exist. Errors name what is missing.
func (d *Directory) Probe(ctx context.Context) (ServerInfo, error) {
	var info ServerInfo
	e, err := d.readEntry(ctx, opProbe, "", []string{"vendorName", "dnsHostName", "defaultNamingContext", "highestCommittedUSN", "supportedControl"})
	if err != nil {
		return info, engine.E(engine.KindOf(err), opProbe, d.cfg.URL, fmt.Errorf("reading the rootDSE: %w", cause(err)))
	}
	info = ServerInfo{
		Vendor:               e.GetAttributeValue("vendorName"),
		DNSHostName:          e.GetAttributeValue("dnsHostName"),
		DefaultNamingContext: e.GetAttributeValue("defaultNamingContext"),
		SupportedControls:    e.GetAttributeValues("supportedControl"),
	}
	info.HighestCommittedUSN, _ = strconv.ParseInt(e.GetAttributeValue("highestCommittedUSN"), 10, 64)
	if !info.Supports(OIDPagedResults) {
		return info, engine.E(engine.KindInvalid, opProbe, d.cfg.URL, fmt.Errorf("the server does not support the paged results control %s", OIDPagedResults))
	}
	if _, err := d.readEntry(ctx, opProbe, d.cfg.SearchBase, []string{"objectClass"}); err != nil {
		return info, engine.E(engine.KindOf(err), opProbe, d.cfg.SearchBase, fmt.Errorf("the search base does not exist or cannot be read: %w", cause(err)))
	}
	if p := d.cfg.NewUserParent(); p != d.cfg.SearchBase {
		if _, err := d.readEntry(ctx, opProbe, p, []string{"objectClass"}); err != nil {
			return info, engine.E(engine.KindOf(err), opProbe, p, fmt.Errorf("the OU for new users does not exist or cannot be read: %w", cause(err)))
		}
	}
	return info, nil
}
