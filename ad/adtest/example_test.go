package adtest_test

import (
	"fmt"
	"log"

	"github.com/go-ldap/ldap/v3"

	"moxsync/ad/adtest"
)

func Example() {
	srv, err := adtest.New(adtest.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()

	// Seed directly, bypassing the protocol.
	ou := "OU=Brugere," + srv.BaseDN()
	if err := srv.AddEntry(ou, map[string][]string{"objectClass": {"organizationalUnit"}}); err != nil {
		log.Fatal(err)
	}

	// Talk LDAP to it like to a domain controller.
	c, err := ldap.DialURL(srv.URL())
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	if err := c.Bind("Administrator@TEST.LOCAL", srv.Password()); err != nil {
		log.Fatal(err)
	}
	add := ldap.NewAddRequest("CN=Jens Hansen,"+ou, nil)
	add.Attribute("objectClass", []string{"user"})
	add.Attribute("sAMAccountName", []string{"jhans"})
	if err := c.Add(add); err != nil {
		log.Fatal(err)
	}
	r, err := c.SearchWithPaging(ldap.NewSearchRequest(ou, ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, 0, 0, false,
		"(&(objectCategory=person)(sAMAccountName=JHANS))", []string{"userAccountControl", "objectGUID"}, nil), 500)
	if err != nil {
		log.Fatal(err)
	}
	e := r.Entries[0]
	fmt.Println(e.DN, e.GetAttributeValue("userAccountControl"), len(e.GetRawAttributeValue("objectGUID")))

	// A second account with the same sAMAccountName is refused as by AD.
	dup := ldap.NewAddRequest("CN=Jens Hansen 2,"+ou, nil)
	dup.Attribute("objectClass", []string{"user"})
	dup.Attribute("sAMAccountName", []string{"JHans"})
	fmt.Println(c.Add(dup))
	// Output:
	// CN=Jens Hansen,OU=Brugere,DC=test,DC=local 546 16
	// LDAP Result Code 68 "Entry Already Exists": 00002071: samldb: samAccountName 'JHans' already in use!
}
