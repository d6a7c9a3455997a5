package adtest

import (
	_ "embed"
	"encoding/hex"
	"strconv"
	"strings"
	"sync"
)

// The schema naming context (the rootDSE's schemaNamingContext): the
// container CN=Schema,CN=Configuration,<base> and one attributeSchema
// object per attribute of the schema below it, with the values a Samba 4.17
// DC gives them (schema_attributes.txt and schema_objects.txt). Like
// Samba's, it is a partition of its own: a search from the domain root does
// not reach it (it gets the Configuration referral), a search based at or
// under the container does. It is read-only: writes do not find its
// objects (noSuchObject), where Samba lets a schema admin change them.

//go:embed schema_objects.txt
var schemaObjectsText string

// schemaPart is the schema partition for one base: the container and its
// children by key.
type schemaPart struct {
	container *entry
	byKey     map[string]*entry
}

// schemaParts caches the partition per base key; its entries never change.
var schemaParts sync.Map // base key → *schemaPart

// schemaPartition returns the schema partition of d's base.
func (d *directory) schemaPartition() *schemaPart {
	if p, ok := schemaParts.Load(d.baseKey); ok {
		return p.(*schemaPart)
	}
	p, _ := schemaParts.LoadOrStore(d.baseKey, buildSchemaPartition(d.schemaDN()))
	return p.(*schemaPart)
}

// lookupSearchBase is lookupDN for a search: it also finds the entries of
// the schema partition.
func (d *directory) lookupSearchBase(s string) (*entry, string, *ldapError) {
	e, matched, lerr := d.lookupDN(s)
	if e != nil || lerr != nil || strings.HasPrefix(s, "<") {
		return e, matched, lerr
	}
	dn, lerr := parseDN(s)
	if lerr != nil {
		return nil, "", lerr
	}
	p := d.schemaPartition()
	if e := p.byKey[dn.key()]; e != nil {
		return e, "", nil
	}
	if dn.parent().key() == p.container.key {
		return nil, p.container.dnStr, nil
	}
	return nil, matched, nil
}

// buildSchemaPartition makes the container schemaDN and its attributeSchema
// objects.
func buildSchemaPartition(schemaDN string) *schemaPart {
	dn, _ := parseDN(schemaDN)
	seq := uint64(0)
	newEntry := func(dn parsedDN, parent *entry) *entry {
		seq++
		e := &entry{dn: dn, dnStr: dn.String(), key: dn.key(), parent: parent, children: map[*entry]struct{}{}, seq: seq}
		if parent != nil {
			parent.children[e] = struct{}{}
		}
		return e
	}
	c := newEntry(dn, nil)
	c.attrs = schemaAttrValues(
		"objectClass", "top", "objectClass", "dMD", "cn", "Schema", "name", "Schema",
		"distinguishedName", c.dnStr, "objectCategory", "CN=DMD,"+schemaDN, "instanceType", "13")
	p := &schemaPart{container: c, byKey: map[string]*entry{c.key: c}}
	for _, line := range strings.Split(schemaObjectsText, "\n") {
		f := strings.Split(line, "\t")
		if len(f) != 14 || strings.HasPrefix(line, "#") {
			continue
		}
		t := adSchema.attr(f[0])
		if t == nil {
			continue
		}
		e := newEntry(append(parsedDN{{typ: "CN", value: f[1]}}, dn...), c)
		kv := []string{
			"objectClass", "top", "objectClass", "attributeSchema", "cn", f[1], "name", f[1],
			"distinguishedName", e.dnStr, "objectCategory", "CN=Attribute-Schema," + schemaDN, "instanceType", "4",
			"lDAPDisplayName", f[0], "attributeID", f[2], "attributeSyntax", "2.5.5." + strconv.Itoa(int(t.syntax)),
			"oMSyntax", f[3], "isSingleValued", strings.ToUpper(strconv.FormatBool(t.single)),
		}
		if t.hasLower {
			kv = append(kv, "rangeLower", strconv.FormatInt(t.lower, 10))
		}
		if t.hasUpper {
			kv = append(kv, "rangeUpper", strconv.FormatInt(t.upper, 10))
		}
		adminName := f[11]
		if adminName == "-" {
			adminName = f[1]
		}
		kv = append(kv, "adminDisplayName", adminName)
		for _, c := range schemaColumns {
			switch v := f[c.col]; {
			case v == "-":
			case c.hex:
				if b, err := hex.DecodeString(v); err == nil && len(b) > 0 {
					kv = append(kv, c.name, string(b))
				}
			default:
				kv = append(kv, c.name, v)
			}
		}
		e.attrs = schemaAttrValues(kv...)
		p.byKey[e.key] = e
	}
	return p
}

// schemaColumns are the columns of schema_objects.txt copied as they are
// (hex: binary values written in hex).
var schemaColumns = []struct {
	col  int
	name string
	hex  bool
}{
	{4, "systemOnly", false}, {5, "systemFlags", false}, {6, "searchFlags", false}, {7, "linkID", false},
	{8, "schemaIDGUID", true}, {9, "attributeSecurityGUID", true}, {10, "oMObjectClass", true},
	{12, "isMemberOfPartialAttributeSet", false}, {13, "showInAdvancedViewOnly", false},
}

// schemaAttrValues makes an attribute list of name, value pairs; a name
// given again adds a value.
func schemaAttrValues(kv ...string) []attribute {
	var out []attribute
	for i := 0; i+1 < len(kv); i += 2 {
		t := adSchema.attr(kv[i])
		if t == nil {
			panic("adtest: schema partition: no attribute " + kv[i])
		}
		if n := len(out); n > 0 && out[n-1].t == t {
			out[n-1].vals = append(out[n-1].vals, kv[i+1])
			continue
		}
		out = append(out, attribute{t: t, vals: []string{kv[i+1]}})
	}
	return out
}
