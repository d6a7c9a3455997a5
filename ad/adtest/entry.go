package adtest

import "strings"

// attribute is one attribute of an entry; name is the schema's canonical
// spelling, values are raw (strings may hold binary data).
type attribute struct {
	t    *attrType
	vals []string
}

// entry is one directory object. Its fields are guarded by the directory lock.
type entry struct {
	dn       parsedDN
	dnStr    string
	key      string
	parent   *entry
	children map[*entry]struct{}
	attrs    []attribute
	guid     [16]byte
	seq      uint64 // creation order, for stable result order
	password string // clear-text password set through unicodePwd
	deleted  bool
}

// get returns the values of the attribute t, or nil.
func (e *entry) get(t *attrType) []string {
	for i := range e.attrs {
		if e.attrs[i].t == t {
			return e.attrs[i].vals
		}
	}
	return nil
}

// first returns the first value of the named attribute, or "".
func (e *entry) first(name string) string {
	if v := e.get(adSchema.attr(name)); len(v) > 0 {
		return v[0]
	}
	return ""
}

// set replaces the values of t; nil or empty removes it.
func (e *entry) set(t *attrType, vals []string) {
	for i := range e.attrs {
		if e.attrs[i].t == t {
			if len(vals) == 0 {
				e.attrs = append(e.attrs[:i], e.attrs[i+1:]...)
			} else {
				e.attrs[i].vals = vals
			}
			return
		}
	}
	if len(vals) > 0 {
		e.attrs = append(e.attrs, attribute{t: t, vals: vals})
	}
}

// cloneAttrs copies the attribute list so a modify can be applied atomically.
func (e *entry) cloneAttrs() []attribute {
	out := make([]attribute, len(e.attrs))
	for i, a := range e.attrs {
		out[i] = attribute{t: a.t, vals: append([]string(nil), a.vals...)}
	}
	return out
}

// hasClass reports whether objectClass contains name (case-insensitive).
func (e *entry) hasClass(name string) bool {
	for _, v := range e.get(atObjectClass) {
		if strings.EqualFold(v, name) {
			return true
		}
	}
	return false
}

// isUserLike reports whether the entry gets AD's account attributes.
func (e *entry) isUserLike() bool { return e.hasClass("user") }

// valueIndex returns the index of v in vals compared with t's matching rule.
func valueIndex(t *attrType, vals []string, v string) int {
	for i, x := range vals {
		if valuesEqual(t, x, v) {
			return i
		}
	}
	return -1
}

// valuesEqual compares two values with the attribute's equality rule.
func valuesEqual(t *attrType, a, b string) bool {
	switch {
	case t.syntax == syntaxDN:
		if strings.EqualFold(a, b) {
			return true
		}
		ka, kb := normDNKey(a), normDNKey(b)
		return ka != "" && ka == kb
	case t.numeric():
		x, ok1 := parseInt(a)
		y, ok2 := parseInt(b)
		return ok1 && ok2 && x == y
	case t.caseFold():
		return strings.EqualFold(a, b)
	}
	return a == b
}

// Well-known attribute types, resolved once.
var (
	atObjectClass       = adSchema.attr("objectClass")
	atObjectCategory    = adSchema.attr("objectCategory")
	atObjectGUID        = adSchema.attr("objectGUID")
	atObjectSid         = adSchema.attr("objectSid")
	atSAMAccountName    = adSchema.attr("sAMAccountName")
	atUPN               = adSchema.attr("userPrincipalName")
	atUAC               = adSchema.attr("userAccountControl")
	atDistinguishedName = adSchema.attr("distinguishedName")
	atName              = adSchema.attr("name")
	atWhenCreated       = adSchema.attr("whenCreated")
	atWhenChanged       = adSchema.attr("whenChanged")
	atCreateTimestamp   = adSchema.attr("createTimeStamp")
	atModifyTimestamp   = adSchema.attr("modifyTimeStamp")
	atUSNCreated        = adSchema.attr("uSNCreated")
	atUSNChanged        = adSchema.attr("uSNChanged")
	atInstanceType      = adSchema.attr("instanceType")
	atUnicodePwd        = adSchema.attr("unicodePwd")
	atPwdLastSet        = adSchema.attr("pwdLastSet")
	atSAMAccountType    = adSchema.attr("sAMAccountType")
	atGroupType         = adSchema.attr("groupType")
	atPrimaryGroupID    = adSchema.attr("primaryGroupID")
	atMember            = adSchema.attr("member")
	atMemberOf          = adSchema.attr("memberOf")
)
