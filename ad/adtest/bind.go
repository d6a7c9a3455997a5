package adtest

import (
	"strconv"
	"strings"
)

// authenticate checks a simple bind. name may be a DN, a UPN (explicit
// userPrincipalName or the implicit sAMAccountName@realm) or DOMAIN\sam.
// It returns the bound entry, or AD's invalidCredentials error.
func (d *directory) authenticate(name, password string) (*entry, *ldapError) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	e := d.principal(name)
	if e == nil || e.password == "" || e.password != password {
		return nil, &ldapError{code: resultInvalidCredentials, msg: msgBadCreds}
	}
	if uac, _ := strconv.ParseInt(e.first("userAccountControl"), 10, 64); uac&2 != 0 {
		return nil, &ldapError{code: resultInvalidCredentials, msg: msgDisabled}
	}
	return e, nil
}

// principal finds the account a bind name refers to.
func (d *directory) principal(name string) *entry {
	lname := strings.ToLower(strings.TrimSpace(name))
	if i := strings.IndexByte(lname, '\\'); i > 0 {
		if strings.EqualFold(lname[:i], d.netbios) || strings.EqualFold(lname[:i], d.domain) {
			return d.bySAM[lname[i+1:]]
		}
		return nil
	}
	if strings.Contains(lname, "=") {
		if dn, err := parseDN(name); err == nil {
			return d.byKey[dn.key()]
		}
		return nil
	}
	if e := d.byUPN[lname]; e != nil {
		return e
	}
	if at := strings.LastIndexByte(lname, '@'); at > 0 {
		realm := lname[at+1:]
		if realm == d.domain {
			return d.bySAM[lname[:at]]
		}
	}
	return nil
}
