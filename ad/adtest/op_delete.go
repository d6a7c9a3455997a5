package adtest

// deleteEntry removes an entry; with tree set (the tree-delete control
// 1.2.840.113556.1.4.805) it removes the whole subtree.
func (d *directory) deleteEntry(target string, tree bool) *ldapError {
	e, _, lerr := d.lookupDN(target)
	if lerr != nil {
		return lerr
	}
	if e == nil {
		return errf(resultNoSuchObject, "00002030: objectclass: Cannot delete %s, entry does not exist!", target)
	}
	if e.parent == nil {
		return errf(resultUnwillingToPerform, "00002089: cannot delete the domain object %s", e.dnStr)
	}
	if n := len(e.children); n > 0 && !tree {
		return errf(resultNotAllowedOnNonLeaf, "00002015: subtree_delete: Unable to delete a non-leaf node (it has %d children)!", n)
	}
	gone := map[string]string{}
	walk(e, func(x *entry) {
		d.unindex(x)
		x.deleted = true
		gone[x.key] = ""
		d.usn++ // AD writes a tombstone per object, each with a USN of its own
	})
	delete(e.parent.children, e)
	d.fixLinks(gone)
	return nil
}
