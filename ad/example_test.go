package ad_test

import (
	"context"
	"fmt"
	"log"

	"moxsync/ad"
	"moxsync/ad/adtest"
	"moxsync/engine"
)

// Dial a domain controller (here the in-process adtest server), create a
// user in the OU for new users and read it back by objectGUID.
func ExampleDial() {
	srv, err := adtest.New(adtest.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	if err := srv.AddEntry("OU=Nye brugere,"+srv.BaseDN(), map[string][]string{"objectClass": {"organizationalUnit"}}); err != nil {
		log.Fatal(err)
	}

	ctx := context.Background()
	cfg := ad.Config{
		URL:        srv.URL(),
		BindDN:     srv.BindUPN(),
		Password:   srv.Password(),
		SearchBase: srv.BaseDN(),
		NewUserOU:  "OU=Nye brugere",
	}
	dir, err := ad.Dial(ctx, cfg)
	if err != nil {
		log.Fatal(err)
	}
	defer dir.Close()

	created, err := dir.Create(ctx, engine.NewAccount{
		DN:             "CN=" + ad.EscapeRDNValue("Hansen, Jens") + "," + cfg.NewUserParent(),
		SAMAccountName: "jeha",
		UPN:            "jeha@" + srv.Domain(),
		Attrs:          map[string][]string{"title": {"Sagsbehandler"}, "employeeid": {"010203-1234"}},
	})
	if err != nil {
		log.Fatal(err)
	}
	got, err := dir.AccountByGUID(ctx, created.GUID, []string{"title"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(got.DN)
	fmt.Println(got.SAMAccountName, got.UserAccountControl, got.Disabled(), engine.MaskCPR(got.CPR), got.Attr("title"))
	// Output:
	// CN=Hansen\, Jens,OU=Nye brugere,DC=test,DC=local
	// jeha 546 true 010203-xxxx Sagsbehandler
}
