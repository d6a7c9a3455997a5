package ad

import (
	"context"
	"fmt"
	"strings"

	"github.com/go-ldap/ldap/v3"

	"moxsync/engine"
)

// takenFilter matches every object that carries one of the names: users,
// computers, groups, contacts and other CN-named objects.
const takenFilter = "(|(sAMAccountName=*)(userPrincipalName=*)(cn=*))"

// domainNamesFilter and upnFilter are the reads of names outside the
// search base: AD requires sAMAccountName unique in the domain and
// userPrincipalName in the forest, wherever the account sits.
const (
	domainNamesFilter = "(|(sAMAccountName=*)(userPrincipalName=*))"
	upnFilter         = "(userPrincipalName=*)"
)

// TakenNames reads every sAMAccountName and userPrincipalName prefix (the
// part before @) in the whole domain, and every CN under the search base,
// lower-cased, all object classes: one paged search over the search base,
// and, when the search base is below the domain root (the rootDSE's
// defaultNamingContext), one more over the domain root for the two name
// attributes only; then one per naming context in Config.UPNNamingContexts
// for userPrincipalName.
func (d *Directory) TakenNames(ctx context.Context) (engine.TakenNames, error) {
	t := engine.TakenNames{Usernames: map[string]struct{}{}, CNs: map[string]struct{}{}}
	err := d.pagedSearch(ctx, d.cfg.SearchBase, ldap.ScopeWholeSubtree, takenFilter,
		[]string{"sAMAccountName", "userPrincipalName", "cn"}, func(e *ldap.Entry) error {
			addTaken(&t, e)
			return nil
		})
	if err != nil {
		return engine.TakenNames{}, err
	}
	bases, err := d.nameBases(ctx)
	if err != nil {
		return engine.TakenNames{}, err
	}
	for _, b := range bases {
		err := d.pagedSearch(ctx, b.dn, ldap.ScopeWholeSubtree, b.filter, b.attrs, func(e *ldap.Entry) error {
			addTaken(&t, e)
			return nil
		})
		if err != nil {
			return engine.TakenNames{}, err
		}
	}
	return t, nil
}

// addTaken adds the names of e to t.
func addTaken(t *engine.TakenNames, e *ldap.Entry) {
	for _, at := range e.Attributes {
		for _, v := range at.Values {
			switch strings.ToLower(at.Name) {
			case "samaccountname":
				t.Usernames[strings.ToLower(v)] = struct{}{}
			case "userprincipalname":
				prefix := v
				if i := strings.LastIndexByte(v, '@'); i >= 0 {
					prefix = v[:i]
				}
				if prefix != "" {
					t.Usernames[strings.ToLower(prefix)] = struct{}{}
				}
			case "cn":
				t.CNs[strings.ToLower(v)] = struct{}{}
			}
		}
	}
}

// nameBase is one read of names outside the search base.
type nameBase struct {
	dn, filter string
	attrs      []string
}

// nameBases are the reads of names beyond the search base: the domain root
// (unless the search base is the domain root) and the configured naming
// contexts for UPNs.
func (d *Directory) nameBases(ctx context.Context) ([]nameBase, error) {
	root, err := d.domainRoot(ctx)
	if err != nil {
		return nil, err
	}
	var out []nameBase
	if !sameDN(root, d.cfg.SearchBase) {
		out = append(out, nameBase{root, domainNamesFilter, []string{"sAMAccountName", "userPrincipalName"}})
	}
	for _, nc := range d.cfg.UPNNamingContexts {
		if nc = strings.TrimSpace(nc); nc != "" && !sameDN(nc, root) {
			out = append(out, nameBase{nc, upnFilter, []string{"userPrincipalName"}})
		}
	}
	return out, nil
}

// domainRoot is the rootDSE's defaultNamingContext, read once per
// Directory. A DC that does not name one (not AD) leaves the search base
// as the whole scope.
func (d *Directory) domainRoot(ctx context.Context) (string, error) {
	d.rootMu.Lock()
	defer d.rootMu.Unlock()
	if d.root != "" {
		return d.root, nil
	}
	e, err := d.readEntry(ctx, opRead, "", []string{"defaultNamingContext"})
	if err != nil {
		return "", engine.E(engine.KindOf(err), opRead, d.cfg.URL, fmt.Errorf("reading the rootDSE for the domain root: %w", cause(err)))
	}
	d.root = e.GetAttributeValue("defaultNamingContext")
	if d.root == "" {
		d.root = d.cfg.SearchBase
	}
	return d.root, nil
}

// sameDN compares two DNs as AD does: case-insensitively, ignoring spaces
// after the commas.
func sameDN(a, b string) bool {
	pa, errA := ldap.ParseDN(a)
	pb, errB := ldap.ParseDN(b)
	if errA != nil || errB != nil {
		return strings.EqualFold(a, b)
	}
	return pa.EqualFold(pb)
}
