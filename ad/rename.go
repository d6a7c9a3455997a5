package ad

import (
	"context"
	"fmt"
	"strings"

	"github.com/go-ldap/ldap/v3"

	"moxsync/engine"
)

// Rename gives the entry at dn the CN newCN (a ModifyDN with the new RDN,
// deleting the old one; the entry stays in its OU) and returns the new DN.
func (d *Directory) Rename(ctx context.Context, dn, newCN string) (string, error) {
	if strings.TrimSpace(newCN) == "" {
		return "", engine.E(engine.KindInvalid, opRename, dn, fmt.Errorf("the new CN is empty"))
	}
	oldRDN, parent := splitDN(dn)
	rdn := "CN=" + EscapeRDNValue(newCN)
	if rdn == oldRDN {
		return dn, nil
	}
	newDN := rdn
	if parent != "" {
		newDN += "," + parent
	}
	c, err := d.get(ctx)
	if err != nil {
		return "", err
	}
	if err := c.ModifyDN(ldap.NewModifyDNRequest(dn, rdn, true, "")); err != nil {
		switch resultCode(err) {
		case ldap.LDAPResultEntryAlreadyExists:
			return "", engine.E(engine.KindConflict, opRename, dn, fmt.Errorf("cannot rename to %s: that DN is taken: %w", newDN, err))
		case ldap.LDAPResultNoSuchObject:
			return "", engine.E(engine.KindNotFound, opRename, dn, fmt.Errorf("no object at this DN (moved or deleted since it was read?): %w", err))
		}
		return "", classify(opRename, dn, err)
	}
	return newDN, nil
}
