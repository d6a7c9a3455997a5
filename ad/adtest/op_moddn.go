package adtest

import "strings"

// renameEntry is ModifyDN: a new RDN, optionally under a new parent.
// The RDN attribute (cn, ou, …) and name follow the new RDN.
func (d *directory) renameEntry(target, newRDN string, deleteOld bool, newSuperior string) *ldapError {
	// Samba checks the new parent before the entry itself.
	var parent *entry
	if newSuperior != "" {
		p, _, lerr := d.lookupDN(newSuperior)
		if lerr != nil {
			return lerr
		}
		if p == nil {
			return errf(resultOther, "00002095: objectclass: Cannot rename %s, parent does not exist!", target)
		}
		parent = p
	}
	e, _, lerr := d.lookupDN(target)
	if lerr != nil {
		return lerr
	}
	if e == nil {
		return errf(resultNoSuchObject, "00002030: objectclass: Cannot rename %s, entry does not exist!", target)
	}
	if e.parent == nil {
		return errf(resultUnwillingToPerform, "00002089: cannot rename the domain object %s", e.dnStr)
	}
	r, lerr := parseDN(newRDN)
	if lerr != nil {
		return lerr
	}
	if len(r) != 1 {
		return errf(resultInvalidDNSyntax, "00002081: new RDN %q must be a single RDN", newRDN)
	}
	if !strings.EqualFold(r[0].typ, e.dn[0].typ) {
		return errf(resultNamingViolation, "00002016: new RDN %s of %s must use the attribute %s", newRDN, e.dnStr, e.dn[0].typ)
	}
	if parent == nil {
		parent = e.parent
	}
	for x := parent; x != nil; x = x.parent {
		if x == e {
			return errf(resultUnwillingToPerform, "00002089: cannot move %s below itself", e.dnStr)
		}
	}
	newDN := append(parsedDN{r[0]}, parent.dn...)
	if other := d.byKey[newDN.key()]; other != nil && other != e {
		return errf(resultEntryAlreadyExists, "Entry %s already exists", r[0].String()+","+parent.dnStr)
	}

	// Re-key the entry and its subtree.
	var subtree []*entry
	walk(e, func(x *entry) { subtree = append(subtree, x) })
	oldKeys := make([]string, len(subtree))
	for i, x := range subtree {
		d.unindex(x)
		oldKeys[i] = x.key
	}
	delete(e.parent.children, e)
	e.parent = parent
	parent.children[e] = struct{}{}
	e.dn = newDN
	rdnT := adSchema.attr(r[0].typ)
	work := &entry{attrs: e.cloneAttrs()}
	old := work.get(rdnT)
	if deleteOld || rdnT.single || len(old) == 0 {
		work.set(rdnT, []string{r[0].value})
	} else if valueIndex(rdnT, old, r[0].value) < 0 {
		work.set(rdnT, append(old, r[0].value))
	}
	work.set(atName, []string{r[0].value})
	d.touch(e, &work.attrs)
	e.attrs = work.attrs
	for _, x := range subtree {
		if x != e {
			x.dn = append(parsedDN{x.dn[0]}, x.parent.dn...)
		}
		x.key = x.dn.key()
		x.dnStr = x.dn[0].String() + "," + x.parent.dnStr
		x.set(atDistinguishedName, []string{x.dnStr})
		d.index(x)
	}
	moved := make(map[string]string, len(subtree))
	for i, x := range subtree {
		if oldKeys[i] != x.key {
			moved[oldKeys[i]] = x.dnStr
		}
	}
	d.fixLinks(moved)
	return nil
}
