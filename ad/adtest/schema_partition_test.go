package adtest

import (
	"strings"
	"testing"

	"github.com/go-ldap/ldap/v3"
)

// TestSchemaPartition: the schema naming context of the rootDSE holds one
// attributeSchema object per schema attribute, with Samba's values, in a
// partition of its own that searches from the domain root do not reach
// and writes do not find (noSuchObject; a deviation from Samba).
func TestSchemaPartition(t *testing.T) {
	s := newServer(t, Options{})
	c := admin(t, s)
	root, err := c.Search(ldap.NewSearchRequest("", ldap.ScopeBaseObject, 0, 0, 0, false, "(objectClass=*)", []string{"schemaNamingContext"}, nil))
	if err != nil {
		t.Fatal(err)
	}
	nc := root.Entries[0].GetAttributeValue("schemaNamingContext")
	if nc != "CN=Schema,CN=Configuration,"+s.BaseDN() {
		t.Fatalf("schemaNamingContext = %q", nc)
	}

	all, err := c.SearchWithPaging(ldap.NewSearchRequest(nc, ldap.ScopeSingleLevel, 0, 0, 0, false, "(objectClass=attributeSchema)",
		[]string{"lDAPDisplayName"}, nil), 500)
	if err != nil {
		t.Fatal(err)
	}
	if len(all.Entries) != len(adSchema.attrs) {
		t.Errorf("%d attributeSchema objects, the schema has %d attributes", len(all.Entries), len(adSchema.attrs))
	}

	r, err := c.Search(ldap.NewSearchRequest(nc, ldap.ScopeWholeSubtree, 0, 0, 0, false, "(lDAPDisplayName=title)", nil, nil))
	if err != nil || len(r.Entries) != 1 {
		t.Fatalf("title: %v, %+v", err, r)
	}
	e := r.Entries[0]
	got := map[string]string{}
	for _, a := range e.Attributes {
		got[a.Name] = strings.Join(a.Values, "|")
	}
	// As Samba 4.17 answers for CN=Title (binary values left out).
	for k, v := range map[string]string{
		"objectClass": "top|attributeSchema", "cn": "Title", "name": "Title", "lDAPDisplayName": "title",
		"attributeID": "2.5.4.12", "attributeSyntax": "2.5.5.12", "oMSyntax": "64", "isSingleValued": "TRUE",
		"rangeLower": "1", "rangeUpper": "128", "systemOnly": "FALSE", "systemFlags": "16", "searchFlags": "0",
		"adminDisplayName": "Title", "showInAdvancedViewOnly": "TRUE", "instanceType": "4",
		"objectCategory":    "CN=Attribute-Schema," + nc,
		"distinguishedName": "CN=Title," + nc,
	} {
		if got[k] != v {
			t.Errorf("title %s = %q, want %q", k, got[k], v)
		}
	}
	if e.DN != "CN=Title,"+nc || len(e.GetRawAttributeValue("schemaIDGUID")) != 16 {
		t.Errorf("title DN %q, schemaIDGUID %x", e.DN, e.GetRawAttributeValue("schemaIDGUID"))
	}
	r, err = c.Search(ldap.NewSearchRequest(nc, ldap.ScopeSingleLevel, 0, 0, 0, false, "(&(objectClass=attributeSchema)(linkID=3))", []string{"lDAPDisplayName", "systemOnly"}, nil))
	if err != nil || len(r.Entries) != 1 || r.Entries[0].GetAttributeValue("lDAPDisplayName") != "memberOf" || r.Entries[0].GetAttributeValue("systemOnly") != "TRUE" {
		t.Errorf("linkID=3: %v %+v", err, r)
	}

	// Not reached from the domain root; missing objects name the container.
	r, err = c.SearchWithPaging(ldap.NewSearchRequest(s.BaseDN(), ldap.ScopeWholeSubtree, 0, 0, 0, false, "(objectClass=attributeSchema)", []string{"1.1"}, nil), 500)
	if err != nil || len(r.Entries) != 0 {
		t.Errorf("domain root: %v, %d entries", err, len(r.Entries))
	}
	_, err = c.Search(ldap.NewSearchRequest("CN=No-Such-Attribute,"+nc, ldap.ScopeBaseObject, 0, 0, 0, false, "(objectClass=*)", nil, nil))
	if code(err) != ldap.LDAPResultNoSuchObject || !strings.Contains(err.Error(), nc) {
		t.Errorf("missing schema object: %v", err)
	}
	mod := ldap.NewModifyRequest("CN=Title,"+nc, nil)
	mod.Replace("rangeUpper", []string{"64"})
	if err := c.Modify(mod); code(err) != ldap.LDAPResultNoSuchObject {
		t.Errorf("modify of a schema object: %v", err)
	}
}
