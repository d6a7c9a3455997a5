package adtest

import (
	"fmt"
	"strings"

	"moxsync/mo/motest"
)

// SeedOptions shape SeedFromMO. The zero value gives the defaults.
type SeedOptions struct {
	// OU is the RDN(s) under the base DN holding the accounts; default
	// "OU=Brugere". It is created when missing.
	OU string
	// UPNDomain is the userPrincipalName suffix; default the dataset's Domain.
	UPNDomain string
	// DriftEvery gives every n-th matched account a drifted title or mail;
	// default 10, negative for none.
	DriftEvery int
	// Orphans is the number of accounts without an MO person; default
	// max(3, matched/50), negative for none.
	Orphans int
	// NoDuplicateCPR leaves out the second account that shares a CPR.
	NoDuplicateCPR bool
	// ADOwnedEvery gives every n-th matched account (none of the drifted
	// ones) another job function MO has as its title and another phone
	// number, written with spaces ("+45 21 00 00 07"), so rules that make
	// AD the authority for titles and phones (title = ad
	// engagement.job_function, telephoneNumber = ad address.PHONE) have MO
	// changes to show; 0 or negative for none.
	ADOwnedEvery int
}

// SeedReport says what SeedFromMO created, by DN.
type SeedReport struct {
	OU      string
	Matched []string // accounts of MO people (incl. drifted ones)
	Drifted []string // matched accounts whose title or mail differs from MO
	Orphans []string // accounts with no MO person
	// DuplicateCPR is the extra account sharing a CPR with Matched[0] ("" when none).
	DuplicateCPR string
	// ADOwned are matched accounts whose title and phone differ from MO
	// with values MO can take (SeedOptions.ADOwnedEvery).
	ADOwned []string
}

// SeedFromMO fills the directory with the AD accounts that belong to an MO
// dataset, as a municipality's AD would look before a sync:
//   - every person with a current or future "Active Directory" IT user gets an
//     account: sAMAccountName = the IT user's user_key, objectGUID = its
//     external ID, employeeID = CPR (a few written DDMMYY-XXXX), names,
//     mail, phone and title from MO; enabled (512) while the person has a
//     current engagement, else disabled (514);
//   - every DriftEvery-th of them has a title or mail that differs from MO;
//   - orphans: accounts whose CPR no MO person has, and one service account
//     without employeeID;
//   - one extra account (an admin account) sharing the first person's CPR.
//
// People without an AD IT user get no account: the sync engine creates those.
func (s *Server) SeedFromMO(ds *motest.Dataset, opts SeedOptions) (*SeedReport, error) {
	if opts.OU == "" {
		opts.OU = "OU=Brugere"
	}
	if opts.UPNDomain == "" {
		opts.UPNDomain = ds.Domain
	}
	if opts.DriftEvery == 0 {
		opts.DriftEvery = 10
	}
	ouDN := opts.OU + "," + s.BaseDN()
	rep := &SeedReport{OU: ouDN}
	if _, err := s.Entry(ouDN); err != nil {
		if err := s.AddEntry(ouDN, map[string][]string{"objectClass": {"organizationalUnit"}}); err != nil {
			return nil, fmt.Errorf("seed from MO: %w", err)
		}
	}

	m := newMOView(ds)
	usedCN := map[string]bool{}
	uniqueCN := func(name string) string {
		cn := name
		if len(cn) > 60 {
			cn = cn[:60]
		}
		for i := 2; usedCN[strings.ToLower(cn)]; i++ {
			cn = fmt.Sprintf("%s_%d", name, i)
		}
		usedCN[strings.ToLower(cn)] = true
		return cn
	}
	add := func(cn string, attrs map[string][]string) (string, error) {
		dn := "CN=" + escapeRDNValue(cn) + "," + ouDN
		if err := s.AddEntry(dn, attrs); err != nil {
			return "", fmt.Errorf("seed from MO: %w", err)
		}
		return dn, nil
	}

	var first *motest.Person
	var firstSAM string
	for i := range ds.People {
		p := &ds.People[i]
		it := m.adITUser(p.UUID)
		if it == nil {
			continue
		}
		attrs := map[string][]string{
			"objectClass":        {"user"},
			"sAMAccountName":     {it.UserKey},
			"userPrincipalName":  {it.UserKey + "@" + opts.UPNDomain},
			"givenName":          {p.GivenName},
			"sn":                 {p.Surname},
			"displayName":        {p.Name()},
			"userAccountControl": {"514"},
		}
		if g, err := ParseGUID(it.ExternalID); err == nil {
			attrs["objectGUID"] = []string{string(g[:])}
		}
		if p.CPR != "" {
			cpr := p.CPR
			if len(rep.Matched)%20 == 3 {
				cpr = cpr[:6] + "-" + cpr[6:]
			}
			attrs["employeeID"] = []string{cpr}
		}
		title, active := m.title(p.UUID)
		if active {
			attrs["userAccountControl"] = []string{"512"}
		}
		if title != "" {
			attrs["title"] = []string{title}
		}
		if v := m.address(p.UUID, "BrugerEmail"); v != "" {
			attrs["mail"] = []string{v}
		}
		if v := m.address(p.UUID, "BrugerTelefon"); v != "" {
			attrs["telephoneNumber"] = []string{v}
		}
		drift := opts.DriftEvery > 0 && len(rep.Matched)%opts.DriftEvery == opts.DriftEvery-1
		if drift {
			if len(rep.Drifted)%2 == 0 {
				attrs["title"] = []string{"Tidligere " + strings.ToLower(firstNonEmpty(title, "stilling"))}
			} else {
				attrs["mail"] = []string{it.UserKey + ".gammel@" + opts.UPNDomain}
			}
		}
		owned := !drift && opts.ADOwnedEvery > 0 && len(rep.Matched)%opts.ADOwnedEvery == opts.ADOwnedEvery/2
		if owned {
			if other := m.otherJobFunction(title, len(rep.ADOwned)); other != "" {
				attrs["title"] = []string{other}
			}
			n := len(rep.ADOwned)
			attrs["telephoneNumber"] = []string{fmt.Sprintf("+45 21 %02d %02d %02d", n/10000%100, n/100%100, n%100)}
		}
		dn, err := add(uniqueCN(p.Name()), attrs)
		if err != nil {
			return nil, err
		}
		rep.Matched = append(rep.Matched, dn)
		if drift {
			rep.Drifted = append(rep.Drifted, dn)
		}
		if owned {
			rep.ADOwned = append(rep.ADOwned, dn)
		}
		if first == nil && p.CPR != "" {
			first, firstSAM = p, it.UserKey
		}
	}

	if !opts.NoDuplicateCPR && first != nil {
		sam := firstSAM
		if len(sam) > 17 {
			sam = sam[:17]
		}
		dn, err := add(uniqueCN(first.Name()+" (admin)"), map[string][]string{
			"objectClass": {"user"}, "sAMAccountName": {sam + "adm"}, "givenName": {first.GivenName},
			"sn": {first.Surname}, "employeeID": {first.CPR}, "userAccountControl": {"512"},
			"userPrincipalName": {sam + "adm@" + opts.UPNDomain}, "description": {"Administratorkonto"},
		})
		if err != nil {
			return nil, err
		}
		rep.DuplicateCPR = dn
	}

	orphans := opts.Orphans
	if orphans == 0 {
		orphans = max(3, len(rep.Matched)/50)
	}
	for i := 0; i < orphans; i++ {
		attrs := map[string][]string{"objectClass": {"user"}, "userAccountControl": {"512"}}
		var cn string
		if i == 0 {
			cn = "Backup Service"
			attrs["sAMAccountName"] = []string{"svc-backup"}
			attrs["description"] = []string{"Servicekonto"}
		} else {
			sam := fmt.Sprintf("fratr%03d", i)
			cpr := m.unusedCPR(i)
			cn = fmt.Sprintf("Fratrådt Medarbejder %d", i)
			attrs["sAMAccountName"] = []string{sam}
			attrs["givenName"] = []string{"Fratrådt"}
			attrs["sn"] = []string{fmt.Sprintf("Medarbejder %d", i)}
			attrs["employeeID"] = []string{cpr}
			attrs["userPrincipalName"] = []string{sam + "@" + opts.UPNDomain}
			attrs["title"] = []string{"Sagsbehandler"}
			if i%2 == 0 {
				attrs["userAccountControl"] = []string{"514"}
			}
		}
		dn, err := add(uniqueCN(cn), attrs)
		if err != nil {
			return nil, err
		}
		rep.Orphans = append(rep.Orphans, dn)
	}
	return rep, nil
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// escapeRDNValue escapes a CN for use in a DN string (RFC 4514).
func escapeRDNValue(v string) string { return rdn{typ: "CN", value: v}.String()[3:] }
