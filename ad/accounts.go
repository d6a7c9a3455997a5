package ad

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/go-ldap/ldap/v3"

	"moxsync/engine"
)

// personFilter selects user accounts of people: computer accounts are
// objectClass user too, but have objectCategory computer.
const personFilter = "(&(objectClass=user)(objectCategory=person))"

// identityAttrs are read for every Account besides the mapped attributes.
var identityAttrs = []string{"objectGUID", "sAMAccountName", "userPrincipalName", "userAccountControl", "cn"}

// Accounts reads every person account under the search base in one paged
// search: the identity attributes, the CPR attribute and attrs (mapped
// attributes, returned keyed lower-case). A failure part-way returns an
// error, never a partial list.
func (d *Directory) Accounts(ctx context.Context, attrs []string) ([]engine.Account, error) {
	want := lowerAll(attrs)
	var out []engine.Account
	err := d.pagedSearch(ctx, d.cfg.SearchBase, ldap.ScopeWholeSubtree, personFilter, d.readAttrs(want), func(e *ldap.Entry) error {
		a, err := d.toAccount(e, want)
		if err != nil {
			return engine.E(engine.KindOther, opRead, e.DN, err)
		}
		out = append(out, a)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// AccountByGUID reads one object by objectGUID through AD's <GUID=…> base.
func (d *Directory) AccountByGUID(ctx context.Context, guid string, attrs []string) (engine.Account, error) {
	g, err := canonicalGUID(guid)
	if err != nil {
		return engine.Account{}, engine.E(engine.KindInvalid, opReadByGUID, guid, err)
	}
	want := lowerAll(attrs)
	e, err := d.readEntry(ctx, opReadByGUID, "<GUID="+g+">", d.readAttrs(want))
	if err != nil {
		if engine.KindOf(err) == engine.KindNotFound {
			return engine.Account{}, engine.E(engine.KindNotFound, opReadByGUID, g, fmt.Errorf("no object with objectGUID %s in AD", g))
		}
		return engine.Account{}, err
	}
	a, err := d.toAccount(e, want)
	if err != nil {
		return engine.Account{}, engine.E(engine.KindOther, opReadByGUID, e.DN, err)
	}
	return a, nil
}

// readAttrs is the attribute list of a search: identity, CPR and mapped.
func (d *Directory) readAttrs(mapped []string) []string {
	out := make([]string, 0, len(identityAttrs)+1+len(mapped))
	out = append(out, identityAttrs...)
	out = append(out, d.cfg.CPRAttribute)
	for _, m := range mapped {
		if !slices.ContainsFunc(out, func(a string) bool { return strings.EqualFold(a, m) }) {
			out = append(out, m)
		}
	}
	return out
}

// toAccount converts an entry; want holds the mapped attribute names,
// lower-case.
func (d *Directory) toAccount(e *ldap.Entry, want []string) (engine.Account, error) {
	a := engine.Account{DN: e.DN}
	cpr := strings.ToLower(d.cfg.CPRAttribute)
	for _, at := range e.Attributes {
		name := strings.ToLower(at.Name)
		switch name {
		case "objectguid":
			if len(at.ByteValues) > 0 {
				g, err := GUIDString(at.ByteValues[0])
				if err != nil {
					return a, err
				}
				a.GUID = g
			}
		case "samaccountname":
			a.SAMAccountName = first(at.Values)
		case "userprincipalname":
			a.UPN = first(at.Values)
		case "cn":
			a.CN = first(at.Values)
		case "useraccountcontrol":
			if v := first(at.Values); v != "" {
				n, err := strconv.Atoi(v)
				if err != nil {
					return a, fmt.Errorf("userAccountControl %q is not a number", v)
				}
				a.UserAccountControl = n
			}
		}
		if name == cpr {
			a.CPR = engine.DigitsOnly(first(at.Values))
		}
		if len(at.Values) > 0 && contains(want, name) {
			if a.Attrs == nil {
				a.Attrs = make(map[string][]string, len(want))
			}
			a.Attrs[name] = append(a.Attrs[name], at.Values...)
		}
	}
	if a.GUID == "" {
		return a, fmt.Errorf("entry has no objectGUID")
	}
	return a, nil
}

func first(v []string) string {
	if len(v) == 0 {
		return ""
	}
	return v[0]
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
