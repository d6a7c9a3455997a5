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

// notModifiable are attributes Modify refuses: the RDN (use Rename) and
// server-owned ones.
var notModifiable = map[string]bool{
	"cn": true, "name": true, "distinguishedname": true, "objectguid": true, "objectsid": true, "objectclass": true,
}

// Modify writes only the given attributes, as one LDAP modify. Each change
// deletes exactly the values the engine read (Before) and adds the wanted
// ones (After); an empty After clears the attribute. If an attribute no
// longer holds its Before values, AD answers noSuchAttribute and applies
// nothing: that is KindStale. When Before was empty the new values are
// added, so a single-valued attribute that gained a value meanwhile fails
// with attributeOrValueExists, also KindStale. (A multi-valued attribute that
// was empty and gained values meanwhile is not detected; see doc.go.)
func (d *Directory) Modify(ctx context.Context, dn string, changes []engine.AttrChange) error {
	req, names, err := modifyRequest(dn, changes)
	if err != nil {
		return err
	}
	if len(req.Changes) == 0 {
		return nil
	}
	c, err := d.get(ctx)
	if err != nil {
		return err
	}
	if err := c.Modify(req); err != nil {
		if why := notStale(req, err); why != "" {
			return engine.E(engine.KindInvalid, opModify, dn, fmt.Errorf("AD rejected the change of %s: %s; nothing was written: %w", strings.Join(names, ", "), why, err))
		}
		return modifyError(opModify, dn, strings.Join(names, ", "), err)
	}
	return nil
}

// notStale recognises the noSuchAttribute and attributeOrValueExists
// answers that are not about a concurrent change: an attribute missing from
// the schema (Samba answers 16 for it) and several values for a
// single-valued attribute (20, with the same text AD uses when a value
// appeared meanwhile, hence the check of how many values were sent).
func notStale(req *ldap.ModifyRequest, err error) string {
	msg := err.Error()
	switch resultCode(err) {
	case ldap.LDAPResultNoSuchAttribute:
		if strings.Contains(msg, "not found in the schema") {
			return "an attribute is not in AD's schema"
		}
	case ldap.LDAPResultAttributeOrValueExists:
		const marker = "SINGLE-VALUE attribute "
		i := strings.Index(msg, marker)
		if i < 0 {
			return ""
		}
		attr, _, _ := strings.Cut(msg[i+len(marker):], " ")
		for _, ch := range req.Changes {
			if ch.Operation == ldap.AddAttribute && strings.EqualFold(ch.Modification.Type, attr) && len(ch.Modification.Vals) > 1 {
				return fmt.Sprintf("%s is single-valued but was given %d values", ch.Modification.Type, len(ch.Modification.Vals))
			}
		}
	}
	return ""
}

// modifyRequest builds the delete-old/add-new modify for changes and
// returns the names of the attributes it touches.
func modifyRequest(dn string, changes []engine.AttrChange) (*ldap.ModifyRequest, []string, error) {
	req := ldap.NewModifyRequest(dn, nil)
	var names []string
	for _, ch := range changes {
		name := strings.TrimSpace(ch.Attr)
		if name == "" {
			return nil, nil, engine.E(engine.KindInvalid, opModify, dn, fmt.Errorf("a change names no attribute"))
		}
		if notModifiable[strings.ToLower(name)] {
			return nil, nil, engine.E(engine.KindInvalid, opModify, dn, fmt.Errorf("attribute %s cannot be modified (the CN changes with a rename)", name))
		}
		before, after := cleanValues(ch.Before), cleanValues(ch.After)
		if sameValues(before, after) {
			continue
		}
		if len(before) > 0 {
			req.Delete(name, before)
		}
		if len(after) > 0 {
			req.Add(name, after)
		}
		names = append(names, name)
	}
	return req, names, nil
}

// SetDisabled sets or clears the ACCOUNTDISABLE bit. uac is the value the
// engine read; the modify deletes exactly that value and adds the new one, so
// a concurrent change fails as KindStale with nothing written.
func (d *Directory) SetDisabled(ctx context.Context, dn string, uac int, disabled bool) error {
	next := newUAC(uac, disabled)
	if next == uac {
		return nil
	}
	req := ldap.NewModifyRequest(dn, nil)
	req.Delete("userAccountControl", []string{strconv.Itoa(uac)})
	req.Add("userAccountControl", []string{strconv.Itoa(next)})
	c, err := d.get(ctx)
	if err != nil {
		return err
	}
	if err := c.Modify(req); err != nil {
		return modifyError(opDisable, dn, fmt.Sprintf("userAccountControl (read as %d)", uac), err)
	}
	return nil
}

// newUAC returns uac with the ACCOUNTDISABLE bit set or cleared.
func newUAC(uac int, disabled bool) int {
	if disabled {
		return uac | engine.UACAccountDisable
	}
	return uac &^ engine.UACAccountDisable
}

// modifyError explains a failed modify of attrs on dn.
func modifyError(op, dn, attrs string, err error) error {
	switch resultCode(err) {
	case ldap.LDAPResultNoSuchAttribute:
		return engine.E(engine.KindStale, op, dn, fmt.Errorf("changed in AD since it was read: a value read of %s is gone; nothing was written: %w", attrs, err))
	case ldap.LDAPResultAttributeOrValueExists:
		return engine.E(engine.KindStale, op, dn, fmt.Errorf("changed in AD since it was read: %s holds a value it did not hold then; nothing was written: %w", attrs, err))
	case ldap.LDAPResultNoSuchObject:
		return engine.E(engine.KindNotFound, op, dn, fmt.Errorf("no object at this DN (moved or deleted since it was read?): %w", err))
	case ldap.LDAPResultInvalidAttributeSyntax, ldap.LDAPResultConstraintViolation,
		ldap.LDAPResultUndefinedAttributeType, ldap.LDAPResultObjectClassViolation,
		ldap.LDAPResultUnwillingToPerform, ldap.LDAPResultNotAllowedOnRDN:
		return engine.E(engine.KindInvalid, op, dn, fmt.Errorf("AD rejected a value of %s; nothing was written: %w", attrs, err))
	}
	return classify(op, dn, err)
}

// sameValues reports whether a and b hold the same values, in any order.
func sameValues(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	x, y := slices.Clone(a), slices.Clone(b)
	slices.Sort(x)
	slices.Sort(y)
	return slices.Equal(x, y)
}
