package adtest

import (
	"strconv"
	"strings"
)

// Controls the server implements, as listed in the rootDSE.
const (
	oidPaging           = "1.2.840.113556.1.4.319"
	oidTreeDelete       = "1.2.840.113556.1.4.805"
	oidPermissiveModify = "1.2.840.113556.1.4.1413"
	oidStartTLS         = "1.3.6.1.4.1.1466.20037"
)

// rootDSE builds the entry returned for base "" scope base.
func (d *directory) rootDSE() *entry {
	base := d.base.String()
	config := "CN=Configuration," + base
	server := "CN=DC1,CN=Servers,CN=Default-First-Site-Name,CN=Sites," + config
	e := &entry{dnStr: ""}
	add := func(name string, vals ...string) {
		e.attrs = append(e.attrs, attribute{t: &attrType{name: name, syntax: syntaxUnicode}, vals: vals})
	}
	add("configurationNamingContext", config)
	add("defaultNamingContext", base)
	add("rootDomainNamingContext", base)
	add("schemaNamingContext", d.schemaDN())
	add("subschemaSubentry", "CN=Aggregate,"+d.schemaDN())
	add("supportedCapabilities", "1.2.840.113556.1.4.800", "1.2.840.113556.1.4.1670", "1.2.840.113556.1.4.1791")
	add("supportedLDAPVersion", "2", "3")
	add("vendorName", "moxsync adtest")
	add("isSynchronized", "TRUE")
	add("dsServiceName", "CN=NTDS Settings,"+server)
	add("serverName", server)
	add("dnsHostName", "dc1."+d.domain)
	add("ldapServiceName", d.domain+":dc1$@"+d.realm)
	add("currentTime", generalizedTime(d.now()))
	add("supportedControl", oidPaging, oidTreeDelete, oidPermissiveModify)
	add("supportedExtension", oidStartTLS)
	add("namingContexts", base, config, d.schemaDN())
	add("supportedSASLMechanisms")
	add("highestCommittedUSN", strconv.FormatUint(d.usn, 10))
	add("domainFunctionality", "4")
	add("forestFunctionality", "4")
	add("domainControllerFunctionality", "4")
	add("isGlobalCatalogReady", "TRUE")
	return e
}

// rootSelection picks rootDSE attributes by name: the rootDSE attributes are
// not in the schema, so they match by spelling, case-insensitively.
func rootSelection(e *entry, names []string) *entry {
	all := len(names) == 0
	want := map[string]bool{}
	for _, n := range names {
		if n == "*" || n == "+" {
			all = true
		}
		want[strings.ToLower(n)] = true
	}
	out := &entry{dnStr: ""}
	for _, a := range e.attrs {
		if len(a.vals) > 0 && (all || want[strings.ToLower(a.t.name)]) {
			out.attrs = append(out.attrs, a)
		}
	}
	return out
}
