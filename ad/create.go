package ad

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/go-ldap/ldap/v3"

	"moxsync/engine"
)

// notWrittenOnCreate are attributes Create never sends from NewAccount.Attrs:
// the RDN (it comes from the DN; a differing value would fail the add),
// server-owned attributes, the identity attributes that have their own
// fields, and userAccountControl (a new account is always created disabled).
var notWrittenOnCreate = map[string]bool{
	"cn": true, "name": true, "distinguishedname": true, "objectguid": true, "objectsid": true,
	"objectclass": true, "samaccountname": true, "userprincipalname": true, "useraccountcontrol": true,
}

// Create adds a user with objectClass user, no password (so AD creates it
// disabled, userAccountControl 546), sAMAccountName, userPrincipalName and
// the mapped attributes with empty values left out. It reads the entry back
// and returns it with its server-assigned objectGUID. An add is atomic: when
// AD rejects it, nothing is left behind.
func (d *Directory) Create(ctx context.Context, a engine.NewAccount) (engine.Account, error) {
	if a.DN == "" {
		return engine.Account{}, engine.E(engine.KindInvalid, opCreate, a.SAMAccountName, fmt.Errorf("no DN given"))
	}
	if a.SAMAccountName == "" {
		return engine.Account{}, engine.E(engine.KindInvalid, opCreate, a.DN, fmt.Errorf("no sAMAccountName given"))
	}
	req := ldap.NewAddRequest(a.DN, nil)
	req.Attribute("objectClass", []string{"user"})
	req.Attribute("sAMAccountName", []string{a.SAMAccountName})
	sent := []string{"sAMAccountName"}
	if a.UPN != "" {
		req.Attribute("userPrincipalName", []string{a.UPN})
		sent = append(sent, "userPrincipalName")
	}
	names := make([]string, 0, len(a.Attrs))
	for n := range a.Attrs {
		names = append(names, n)
	}
	sort.Strings(names)
	var mapped []string
	for _, n := range names {
		l := strings.ToLower(strings.TrimSpace(n))
		if notWrittenOnCreate[l] {
			continue
		}
		mapped = append(mapped, l)
		if vals := cleanValues(a.Attrs[n]); len(vals) > 0 {
			req.Attribute(l, vals)
			sent = append(sent, l)
		}
	}

	c, err := d.get(ctx)
	if err != nil {
		return engine.Account{}, err
	}
	if err := c.Add(req); err != nil {
		return engine.Account{}, d.createError(ctx, a, sent, err)
	}
	e, err := d.readEntry(ctx, opCreate, a.DN, d.readAttrs(mapped))
	if err != nil {
		return engine.Account{}, engine.E(engine.KindOf(err), opCreate, a.DN, fmt.Errorf("created, but reading it back failed: %w", cause(err)))
	}
	acc, err := d.toAccount(e, mapped)
	if err != nil {
		return engine.Account{}, engine.E(engine.KindOther, opCreate, a.DN, fmt.Errorf("created, but reading it back failed: %w", err))
	}
	return acc, nil
}

// createError explains a failed add. A name in use is told apart from a DN
// that exists (engine.ErrUsernameTaken): Samba names the attribute
// ("samldb: samAccountName 'u1' already in use!", "userPrincipalName 'x'
// is already in use"); Windows answers ENTRY_EXISTS for both a DN and a
// sAMAccountName, so the DN is looked up.
func (d *Directory) createError(ctx context.Context, a engine.NewAccount, sent []string, err error) error {
	_, parent := splitDN(a.DN)
	msg := strings.ToLower(err.Error())
	switch resultCode(err) {
	case ldap.LDAPResultNoSuchObject:
		return engine.E(engine.KindNotFound, opCreate, a.DN, fmt.Errorf("the OU for new users %q does not exist: %w", parent, err))
	case ldap.LDAPResultEntryAlreadyExists:
		if strings.Contains(msg, "samaccountname") || !d.dnExists(ctx, a.DN) {
			return engine.E(engine.KindConflict, opCreate, a.DN, fmt.Errorf("sAMAccountName %q is already in use in the domain: %w: %w", a.SAMAccountName, engine.ErrUsernameTaken, err))
		}
		return engine.E(engine.KindConflict, opCreate, a.DN, fmt.Errorf("an object with this DN exists: %w", err))
	case ldap.LDAPResultConstraintViolation:
		if strings.Contains(msg, "userprincipalname") && strings.Contains(msg, "in use") {
			return engine.E(engine.KindConflict, opCreate, a.DN, fmt.Errorf("userPrincipalName %q is already in use in the forest: %w: %w", a.UPN, engine.ErrUsernameTaken, err))
		}
		return engine.E(engine.KindInvalid, opCreate, a.DN, fmt.Errorf("AD rejected the new account (attributes sent: %s); nothing was created: %w", strings.Join(sent, ", "), err))
	case ldap.LDAPResultInvalidAttributeSyntax,
		ldap.LDAPResultUndefinedAttributeType, ldap.LDAPResultObjectClassViolation,
		ldap.LDAPResultUnwillingToPerform, ldap.LDAPResultAttributeOrValueExists,
		ldap.LDAPResultNoSuchAttribute, ldap.LDAPResultInvalidDNSyntax, ldap.LDAPResultNamingViolation:
		// Samba answers 16 for an attribute missing from the schema.
		return engine.E(engine.KindInvalid, opCreate, a.DN, fmt.Errorf("AD rejected the new account (attributes sent: %s); nothing was created: %w", strings.Join(sent, ", "), err))
	}
	return classify(opCreate, a.DN, err)
}

// cleanValues drops empty values and exact duplicates, keeping order.
func cleanValues(vals []string) []string {
	out := make([]string, 0, len(vals))
	for _, v := range vals {
		if v != "" && !contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// dnExists reports whether an object with dn exists; a failed lookup counts
// as existing (the answer then stays "this DN exists", the cautious one).
func (d *Directory) dnExists(ctx context.Context, dn string) bool {
	_, err := d.readEntry(ctx, opCreate, dn, []string{"objectClass"})
	return err == nil || engine.KindOf(err) != engine.KindNotFound
}
