package adtest

import (
	"crypto/rand"
	"encoding/hex"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// attrInput is an attribute as a client sent it.
type attrInput struct {
	name string
	vals []string
}

// addEntry creates an entry with AD's rules. system allows writing
// system-only attributes (objectGUID, whenCreated, …), as seeding does.
func (d *directory) addEntry(dnStr string, in []attrInput, system bool) (*entry, *ldapError) {
	dn, lerr := parseDN(dnStr)
	if lerr != nil {
		return nil, lerr
	}
	if len(dn) == 0 {
		return nil, errf(resultUnwillingToPerform, "00002089: cannot add the root DSE")
	}
	dnStr = dn.String()
	if d.byKey[dn.key()] != nil {
		return nil, errf(resultEntryAlreadyExists, "Entry %s already exists", dnStr)
	}
	var parent *entry
	if dn.key() != d.baseKey {
		parent = d.byKey[dn.parent().key()]
		if parent == nil {
			e := errf(resultNoSuchObject, "00002030: objectclass: Cannot add %s, parent does not exist!", dnStr)
			e.matched = d.matchedDN(dn)
			return nil, e
		}
		dnStr = dn[0].String() + "," + parent.dnStr
	}

	e := &entry{dn: dn, dnStr: dnStr, key: dn.key(), parent: parent, children: map[*entry]struct{}{}}
	var password *string
	var guid []byte
	for _, a := range in {
		if len(a.vals) == 0 {
			continue
		}
		t := adSchema.attr(a.name)
		if t == nil {
			return nil, errf(resultNoSuchAttribute, "0000200A: objectclass_attrs: attribute '%s' on entry '%s' was not found in the schema!", a.name, dnStr)
		}
		switch {
		case t == atUnicodePwd:
			pw, lerr := decodePassword(a.vals[0])
			if lerr != nil {
				return nil, lerr
			}
			password = &pw
			continue
		case t == atObjectGUID && system:
			guid = []byte(a.vals[0])
			continue
		case t == atDistinguishedName || t == atInstanceType:
			continue
		case systemAttrs[strings.ToLower(t.name)] && !system:
			return nil, errf(resultConstraintViolation, "0000202F: objectclass_attrs: attribute '%s' on entry '%s' can only be modified as system", t.name, dnStr)
		}
		vals := append(e.get(t), a.vals...)
		for i, v := range vals {
			if valueIndex(t, vals[:i], v) >= 0 {
				return nil, errf(resultAttributeOrValueExists, "00002083: objectclass_attrs: attribute '%s' on entry '%s' has duplicate values", t.name, dnStr)
			}
		}
		e.set(t, vals)
	}

	// Check every value's syntax and every single-valued attribute.
	for i := range e.attrs {
		a := &e.attrs[i]
		if a.t.single && len(a.vals) > 1 {
			return nil, errf(resultConstraintViolation, "0000202F: SINGLE-VALUE attribute %s on %s specified more than once", a.t.name, dnStr)
		}
		for j, v := range a.vals {
			if !validValue(a.t, v) {
				return nil, invalidSyntax(a.t, dnStr)
			}
			nv, lerr := canonicalValue(a.t, v, "LDB_ADD")
			if lerr != nil {
				return nil, lerr
			}
			a.vals[j], v = nv, nv
			if a.t.syntax == syntaxDN && a.t != atObjectCategory {
				nv, lerr := d.resolveDNValue(v)
				if lerr != nil {
					return nil, lerr
				}
				a.vals[j] = nv
			}
		}
	}

	// Object classes: expand each to its superclass chain, top first.
	classes, structural, lerr := expandClasses(e.get(atObjectClass), dnStr)
	if lerr != nil {
		return nil, lerr
	}
	e.set(atObjectClass, classes)

	// The RDN attribute must agree with the DN.
	rdnT := adSchema.attr(dn[0].typ)
	if rdnT == nil {
		return nil, errf(resultNamingViolation, "00002016: RDN attribute %s of %s is not in the schema", dn[0].typ, dnStr)
	}
	if v := e.get(rdnT); len(v) > 0 && valueIndex(rdnT, v, dn[0].value) < 0 {
		return nil, errf(resultInvalidDNSyntax, "00002032: RDN mismatch on %s: %s (%s) should match one of: (%s)", dnStr, dn[0].typ, dn[0].value, strings.Join(v, ", "))
	}
	e.set(rdnT, []string{dn[0].value})
	e.set(atName, []string{dn[0].value})
	e.set(atDistinguishedName, []string{dnStr})

	// AD's generated attributes.
	now := d.now()
	ts := generalizedTime(now)
	d.usn++
	usn := strconv.FormatUint(d.usn, 10)
	if len(guid) == 16 {
		copy(e.guid[:], guid)
		if d.byGUID[e.guid] != nil {
			return nil, errf(resultEntryAlreadyExists, "objectGUID %s already in use", GUIDString(guid))
		}
	} else {
		e.guid = newGUID()
	}
	setDefault := func(t *attrType, v string) {
		if len(e.get(t)) == 0 {
			e.set(t, []string{v})
		}
	}
	e.set(atObjectGUID, []string{string(e.guid[:])})
	setDefault(atInstanceType, "4")
	setDefault(atWhenCreated, ts)
	setDefault(atWhenChanged, ts)
	setDefault(atCreateTimestamp, ts)
	setDefault(atModifyTimestamp, ts)
	setDefault(atUSNCreated, usn)
	setDefault(atUSNChanged, usn)
	setDefault(atObjectCategory, "CN="+structural.category+","+d.schemaDN())

	isUser := e.hasClass("user")
	isGroup := e.hasClass("group")
	if isUser || isGroup {
		sam := e.get(atSAMAccountName)
		if len(sam) == 0 {
			sam = []string{randomSAM()}
			e.set(atSAMAccountName, sam)
		}

		if len(e.get(atObjectSid)) == 0 {
			e.set(atObjectSid, []string{userSID(d.sid, d.nextRID)})
			d.nextRID++
		}
	}
	if lerr := d.checkAccountNames(e, e); lerr != nil {
		return nil, lerr
	}
	if isUser {
		setDefault(atUAC, "546")
		accountType := "805306368"
		if e.hasClass("computer") {
			accountType = "805306369"
		}
		setDefault(atSAMAccountType, accountType)
		setDefault(atPrimaryGroupID, "513")
		for _, name := range []string{"badPwdCount", "codePage", "countryCode", "badPasswordTime", "lastLogoff", "lastLogon", "logonCount"} {
			setDefault(adSchema.attr(name), "0")
		}
		setDefault(atPwdLastSet, "0")
		setDefault(adSchema.attr("accountExpires"), "9223372036854775807")
		if password != nil {
			e.password = *password
			e.set(atPwdLastSet, []string{fileTime(now)})
		}
	} else if password != nil {
		return nil, errf(resultConstraintViolation, "0000202F: objectclass_attrs: attribute 'unicodePwd' is not allowed on entry '%s'", dnStr)
	}
	if isGroup {
		setDefault(atGroupType, "-2147483646")
		setDefault(atSAMAccountType, "268435456")
	}

	d.seq++
	e.seq = d.seq
	if parent != nil {
		parent.children[e] = struct{}{}
	}
	d.index(e)
	if len(e.get(atMember)) > 0 {
		d.syncMemberOf(e, nil)
	}
	return e, nil
}

// expandClasses validates the objectClass values and returns the full
// hierarchy (top first, most specific last) plus the most specific class.
func expandClasses(vals []string, dnStr string) ([]string, *classType, *ldapError) {
	if len(vals) == 0 {
		return nil, nil, errf(resultObjectClassViolation, "00002014: objectclass: Cannot add %s, no objectclass specified!", dnStr)
	}
	type ranked struct {
		c     *classType
		depth int
	}
	seen := map[string]ranked{}
	var most *classType
	mostDepth := -1
	for _, v := range vals {
		c := adSchema.class(v)
		if c == nil {
			return nil, nil, errf(resultNoSuchAttribute, "0000200A: objectclass %s is not a valid objectClass in schema", v)
		}
		chain := adSchema.chain(c)
		for i, x := range chain {
			seen[strings.ToLower(x.name)] = ranked{x, i}
		}
		if len(chain) > mostDepth {
			most, mostDepth = c, len(chain)
		}
	}
	list := make([]ranked, 0, len(seen))
	for _, r := range seen {
		list = append(list, r)
	}
	sort.Slice(list, func(i, j int) bool {
		if list[i].depth != list[j].depth {
			return list[i].depth < list[j].depth
		}
		return list[i].c.name < list[j].c.name
	})
	out := make([]string, len(list))
	for i, r := range list {
		out[i] = r.c.name
	}
	return out, most, nil
}

// resolveDNValue checks a DN-syntax value. A DN under the domain must name
// an existing object (AD keeps these as links) and is stored in that
// object's spelling; other DNs are stored as given.
func (d *directory) resolveDNValue(v string) (string, *ldapError) {
	dn, lerr := parseDN(v)
	if lerr != nil || len(dn) == 0 {
		return "", errf(resultInvalidAttributeSyntax, "0000200B: invalid DN value %q", v)
	}
	k := dn.key()
	if k != d.baseKey && !strings.HasSuffix(k, ","+d.baseKey) {
		return v, nil
	}
	if strings.HasSuffix(k, ",cn=configuration,"+d.baseKey) {
		return v, nil
	}
	t := d.byKey[k]
	if t == nil {
		return "", errf(resultConstraintViolation, "000020B5: Referenced object not found")
	}
	return t.dnStr, nil
}

// samInUse is Samba's answer for a duplicate sAMAccountName.
func samInUse(sam string) *ldapError {
	return errf(resultEntryAlreadyExists, "00002071: samldb: samAccountName '%s' already in use!", sam)
}

// invalidSyntax is Samba's answer for a value the attribute's syntax rejects.
func invalidSyntax(t *attrType, dnStr string) *ldapError {
	return errf(resultInvalidAttributeSyntax, "0000200B: objectclass_attrs: attribute '%s' on entry '%s' contains at least one invalid value!", t.name, dnStr)
}

// randomSAM is the name AD invents for an account added without one.
func randomSAM() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	h := strings.ToUpper(hex.EncodeToString(b[:]))
	return "$" + h[:8] + "-" + h[8:23]
}

// validValue checks v against the attribute's syntax and range.
func validValue(t *attrType, v string) bool {
	switch t.syntax {
	case syntaxInteger:
		n, ok := decimalInt(v)
		return ok && n >= -1<<31 && n < 1<<32 && t.inRange(n)
	case syntaxLargeInteger:
		n, ok := decimalInt(v)
		return ok && t.inRange(n)
	case syntaxOctet, syntaxSID, syntaxSecDesc:
		return t.inRange(int64(len(v)))
	case syntaxBoolean:
		return v == "TRUE" || v == "FALSE"
	case syntaxTime:
		_, ok := parseTime(v)
		return ok
	case syntaxNumeric:
		for _, c := range v {
			if (c < '0' || c > '9') && c != ' ' {
				return false
			}
		}
	case syntaxUnicode, syntaxTeletex, syntaxIA5, syntaxCaseExact:
		return v != "" && t.inRange(int64(utf8.RuneCountInString(v)))
	}
	return true
}

// samInvalidChars are refused in sAMAccountName (Samba's samldb).
const samInvalidChars = `"[]:;|=+*?<>/\,`

// checkAccountNames enforces Samba's rules for sAMAccountName characters and
// userPrincipalName uniqueness on e (being added or modified).
func (d *directory) checkAccountNames(e *entry, attrs *entry) *ldapError {
	if v := attrs.get(atSAMAccountName); len(v) > 0 {
		if i := strings.IndexAny(v[0], samInvalidChars); i >= 0 {
			return errf(resultConstraintViolation, "0000202F: samldb: sAMAccountName contains invalid '%c' character\n", v[0][i])
		}
		if other := d.bySAM[strings.ToLower(v[0])]; other != nil && other != e {
			return samInUse(v[0])
		}
	}
	if v := attrs.get(atUPN); len(v) > 0 {
		if other := d.byUPN[strings.ToLower(v[0])]; other != nil && other != e {
			return errf(resultConstraintViolation, "0000202F: samldb: userPrincipalName '%s' is already in use ", v[0])
		}
	}
	return nil
}
