package adtest

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/go-ldap/ldap/v3"
)

// filterFixture holds three users, a group and a contact in OU=F.
func filterFixture(t *testing.T) (*Server, *ldap.Conn, string) {
	s := newServer(t, Options{})
	c := admin(t, s)
	o := ou(t, s, "F")
	add := func(cn string, attrs map[string][]string) {
		t.Helper()
		mustAdd(t, c, "CN="+cn+","+o, attrs)
	}
	a := user("anna", "0101801234")
	a["title"] = []string{"Sagsbehandler"}
	a["userAccountControl"] = []string{"512"}
	add("Anna", a)
	b := user("bent", "0202802345")
	b["title"] = []string{"Leder"}
	b["countryCode"] = []string{"208"}
	b["userAccountControl"] = []string{"514"}
	b["carLicense"] = []string{"AB 12 345", "CD 67 890"}
	add("Bent", b)
	add("Carl", user("CARL", "0303803456")) // 546
	add("Gruppe", map[string][]string{"objectClass": {"group"}, "sAMAccountName": {"gruppe"}, "description": {"Alle (*) brugere"}})
	add("Kontakt", map[string][]string{"objectClass": {"contact"}, "mail": {"ext@example.com"}})
	return s, c, o
}

func TestFilters(t *testing.T) {
	s, c, o := filterFixture(t)
	guid, err := s.Entry("CN=Anna," + o)
	if err != nil {
		t.Fatal(err)
	}
	rawGUID := guid["objectGUID"][0]
	var esc strings.Builder
	for i := 0; i < len(rawGUID); i++ {
		fmt.Fprintf(&esc, "\\%02x", rawGUID[i])
	}
	tests := []struct {
		filter string
		want   []string // CNs, sorted
	}{
		{"(objectClass=*)", []string{"Anna", "Bent", "Carl", "F", "Gruppe", "Kontakt"}},
		{"(objectClass=user)", []string{"Anna", "Bent", "Carl"}},
		{"(objectClass=USER)", []string{"Anna", "Bent", "Carl"}},
		{"(objectClass=organizationalPerson)", []string{"Anna", "Bent", "Carl", "Kontakt"}},
		{"(objectCategory=person)", []string{"Anna", "Bent", "Carl", "Kontakt"}},
		{"(objectCategory=CN=Group,CN=Schema,CN=Configuration,DC=test,DC=local)", []string{"Gruppe"}},
		{"(&(objectCategory=person)(objectClass=user))", []string{"Anna", "Bent", "Carl"}},
		{"(sAMAccountName=carl)", []string{"Carl"}},
		{"(sAMAccountName=ANNA)", []string{"Anna"}},
		{"(employeeID=0202802345)", []string{"Bent"}},
		{"(title=sagsbehandler)", []string{"Anna"}},
		{"(carLicense=cd 67 890)", []string{"Bent"}},
		{"(|(title=Leder)(sAMAccountName=carl))", []string{"Bent", "Carl"}},
		{"(&(objectClass=user)(!(title=Leder)))", []string{"Anna", "Carl"}},
		{"(!(objectClass=user))", []string{"F", "Gruppe", "Kontakt"}},
		{"(title=*)", []string{"Anna", "Bent"}},
		{"(&(objectClass=user)(!(title=*)))", []string{"Carl"}},
		{"(sAMAccountName=*n*)", []string{"Anna", "Bent"}},
		{"(sAMAccountName=a*)", []string{"Anna"}},
		{"(sAMAccountName=*L)", []string{"Carl"}},
		{"(mail=*@test.local)", []string{"Anna", "Bent", "Carl"}},
		{"(mail=a*a*@*.LOCAL)", []string{"Anna"}},
		{"(description=*\\28\\2a\\29*)", []string{"Gruppe"}},
		{"(userAccountControl=512)", []string{"Anna"}},
		{"(userAccountControl>=514)", []string{"Bent", "Carl"}},
		{"(userAccountControl<=514)", []string{"Anna", "Bent"}},
		{"(countryCode>=100)", []string{"Bent"}},
		{"(userAccountControl:1.2.840.113556.1.4.803:=2)", []string{"Bent", "Carl"}},
		{"(userAccountControl:1.2.840.113556.1.4.803:=34)", []string{"Carl"}},
		{"(&(objectClass=user)(!(userAccountControl:1.2.840.113556.1.4.803:=2)))", []string{"Anna"}},
		{"(userAccountControl:1.2.840.113556.1.4.804:=34)", []string{"Bent", "Carl"}},
		{"(groupType:1.2.840.113556.1.4.803:=2147483648)", []string{"Gruppe"}},
		{"(sAMAccountName:=anna)", []string{"Anna"}},
		{"(objectGUID=" + esc.String() + ")", []string{"Anna"}},
		{"(objectGUID=" + strings.ToUpper(esc.String()) + ")", []string{"Anna"}},
		{"(distinguishedName=cn=anna," + strings.ToLower(o) + ")", []string{"Anna"}},
		{"(whenCreated>=20000101000000.0Z)", []string{"Anna", "Bent", "Carl", "F", "Gruppe", "Kontakt"}},
		{"(modifyTimestamp<=20000101000000.0Z)", nil},
		{"(fooBar=x)", nil},
		{"(!(fooBar=x))", []string{"Anna", "Bent", "Carl", "F", "Gruppe", "Kontakt"}},
		{"(userAccountControl=abc)", nil},
		{"(sAMAccountName~=anna)", []string{"Anna"}},
	}
	for _, tt := range tests {
		t.Run(tt.filter, func(t *testing.T) {
			r, err := c.Search(ldap.NewSearchRequest(o, ldap.ScopeWholeSubtree, 0, 0, 0, false, tt.filter, []string{"name"}, nil))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, e := range r.Entries {
				got = append(got, e.GetAttributeValue("name"))
			}
			slices.Sort(got)
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}
