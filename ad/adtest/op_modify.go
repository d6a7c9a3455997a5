package adtest

import (
	"strings"
)

// Modify operations (RFC 4511 §4.6).
const (
	modAdd     = 0
	modDelete  = 1
	modReplace = 2
)

// change is one modification of a Modify request.
type change struct {
	op   int
	name string
	vals []string
}

// modifyEntry applies changes atomically with AD's rules. permissive is
// the LDAP_SERVER_PERMISSIVE_MODIFY control: adding a present value or
// deleting an absent one is then not an error.
func (d *directory) modifyEntry(target string, changes []change, system, permissive bool) *ldapError {
	e, matched, lerr := d.lookupDN(target)
	if lerr != nil {
		return lerr
	}
	if e == nil {
		return &ldapError{code: resultNoSuchObject, matched: matched, msg: "00002030: No such Base DN: " + target}
	}
	dnStr := e.dnStr
	work := &entry{attrs: e.cloneAttrs()}
	var newPassword *string
	rdnT := adSchema.attr(e.dn[0].typ)

	for _, c := range changes {
		t := adSchema.attr(c.name)
		if t == nil {
			return errf(resultNoSuchAttribute, "acl_modify: attribute '%s' on entry '%s' was not found in the schema!", c.name, dnStr)
		}
		if t == atUnicodePwd {
			if c.op == modDelete {
				// The delete half of a password change must name the current password.
				if len(c.vals) == 0 {
					return errf(resultConstraintViolation, "0000052D: Constraint violation - the old password must be given")
				}
				old, lerr := decodePassword(c.vals[0])
				if lerr != nil || old != e.password {
					return errf(resultConstraintViolation, "0000052D: Constraint violation - check_password_restrictions: the old password is wrong")
				}
				continue
			}
			if len(c.vals) != 1 {
				return errf(resultConstraintViolation, "0000052D: Constraint violation - exactly one unicodePwd value is required")
			}
			pw, lerr := decodePassword(c.vals[0])
			if lerr != nil {
				return lerr
			}
			newPassword = &pw
			continue
		}
		if t == atMemberOf && !system {
			return errf(resultUnwillingToPerform, "00002035: objectclass_attrs: attribute 'memberOf' on entry '%s' must not be modified directly, it is a linked attribute", dnStr)
		}
		if !system && (systemAttrs[strings.ToLower(t.name)] || t == atObjectClass) {
			return errf(resultConstraintViolation, "0000202F: objectclass_attrs: attribute '%s' on entry '%s' can only be modified as system", t.name, dnStr)
		}
		vals := make([]string, 0, len(c.vals))
		for _, v := range c.vals {
			if !validValue(t, v) {
				return invalidSyntax(t, dnStr)
			}
			v, lerr := canonicalValue(t, v, "LDB_MODIFY")
			if lerr != nil {
				return lerr
			}
			if t.syntax == syntaxDN && t != atObjectCategory {
				nv, lerr := d.resolveDNValue(v)
				if lerr != nil {
					return lerr
				}
				v = nv
			}
			vals = append(vals, v)
		}
		cur := work.get(t)
		switch c.op {
		case modAdd:
			next := append([]string(nil), cur...)
			for _, v := range vals {
				if valueIndex(t, next, v) >= 0 {
					if permissive {
						continue
					}
					return errf(resultAttributeOrValueExists, "00002083: attribute '%s': value #0 on '%s' provided more than once in ADD", t.name, dnStr)
				}
				next = append(next, v)
			}
			if t.single && len(next) > 1 {
				return errf(resultAttributeOrValueExists, "0000200D: SINGLE-VALUE attribute %s on %s specified more than once", t.name, dnStr)
			}
			work.set(t, next)
		case modDelete:
			if len(vals) == 0 {
				if len(cur) == 0 && !permissive {
					return errf(resultNoSuchAttribute, "attribute '%s': no such attribute for delete on '%s'", t.name, dnStr)
				}
				work.set(t, nil)
				continue
			}
			next := append([]string(nil), cur...)
			for _, v := range vals {
				i := valueIndex(t, next, v)
				if i < 0 {
					if permissive {
						continue
					}
					return errf(resultNoSuchAttribute, "attribute '%s': no matching attribute value while deleting attribute on '%s'", t.name, dnStr)
				}
				next = append(next[:i], next[i+1:]...)
			}
			work.set(t, next)
		case modReplace:
			if t.single && len(vals) > 1 {
				return errf(resultConstraintViolation, "0000202F: SINGLE-VALUE attribute %s on %s specified more than once", t.name, dnStr)
			}
			for i, v := range vals {
				if valueIndex(t, vals[:i], v) >= 0 {
					return errf(resultAttributeOrValueExists, "00002083: attribute '%s': value provided more than once in REPLACE on '%s'", t.name, dnStr)
				}
			}
			work.set(t, vals)
		default:
			return errf(resultProtocolError, "unknown modify operation %d", c.op)
		}
		if t == rdnT || t == atName {
			if v := work.get(t); len(v) != 1 || !valuesEqual(t, v[0], e.dn[0].value) {
				return errf(resultNotAllowedOnRDN, "00002016: Modify of RDN '%s' on %s not permitted, must use 'rename' operation instead", e.dn[0].typ, dnStr)
			}
		}
	}

	// sAMAccountName stays unique and present on accounts.
	oldSAM, newSAM := e.get(atSAMAccountName), work.get(atSAMAccountName)
	if len(oldSAM) > 0 && len(newSAM) == 0 {
		return errf(resultUnwillingToPerform, "0000209A: samldb: sAMAccountName must not be removed from '%s'", dnStr)
	}
	if lerr := d.checkAccountNames(e, work); lerr != nil {
		return lerr
	}
	if e.isUserLike() && len(work.get(atUAC)) == 0 {
		return errf(resultUnwillingToPerform, "0000209A: samldb: userAccountControl must not be removed from '%s'", dnStr)
	}

	if newPassword != nil {
		if !e.isUserLike() {
			return errf(resultConstraintViolation, "0000202F: objectclass_attrs: attribute 'unicodePwd' is not allowed on entry '%s'", dnStr)
		}
		work.set(atPwdLastSet, []string{fileTime(d.now())})
	}
	d.touch(e, &work.attrs)
	d.unindex(e)
	members := e.get(atMember)
	e.attrs = work.attrs
	if newPassword != nil {
		e.password = *newPassword
	}
	d.index(e)
	d.syncMemberOf(e, members)
	return nil
}
