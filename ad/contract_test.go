package ad

import (
	"context"
	"crypto/x509"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/go-ldap/ldap/v3"

	"moxsync/engine"
)

// The contract suite of the engine's directory port. Every test runs against
// each available server (see contract_env_test.go) in its own OU.

func wantKind(t *testing.T, err error, kind engine.Kind, mentions ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want %v", kind)
	}
	t.Logf("error: %v", err)
	if got := engine.KindOf(err); got != kind {
		t.Fatalf("kind = %v, want %v; error: %v", got, kind, err)
	}
	for _, m := range mentions {
		if !strings.Contains(err.Error(), m) {
			t.Errorf("error %q does not mention %q", err, m)
		}
	}
}

func TestContractCreate(t *testing.T) {
	eachServer(t, func(t *testing.T, e *testEnv) {
		ctx := context.Background()
		sam := e.prefix + "jdoe"
		a := e.create(t, "Jane Doe, Jr.", sam, map[string][]string{
			"givenname":  {"Jane"},
			"sn":         {"Doe"},
			"title":      {"Sagsbehandler"},
			"employeeid": {"010203-1234"},
			"mail":       {""},        // empty: omitted
			"cn":         {"Ignored"}, // the RDN comes from the DN
		})
		wantDN := `CN=Jane Doe\, Jr.,` + e.newUsers
		if !strings.EqualFold(a.DN, wantDN) || a.CN != "Jane Doe, Jr." {
			t.Errorf("DN, CN = %q, %q; want %q, %q", a.DN, a.CN, wantDN, "Jane Doe, Jr.")
		}
		if a.UserAccountControl != engine.UACCreatedNoPasswd || !a.Disabled() {
			t.Errorf("userAccountControl = %d, want %d (created disabled)", a.UserAccountControl, engine.UACCreatedNoPasswd)
		}
		if a.SAMAccountName != sam || a.UPN != sam+"@"+e.srv.upnRealm {
			t.Errorf("sAMAccountName, UPN = %q, %q", a.SAMAccountName, a.UPN)
		}
		if a.CPR != "0102031234" {
			t.Errorf("CPR = %q, want digits only", a.CPR)
		}
		if got := a.Attr("title"); got != "Sagsbehandler" {
			t.Errorf("title = %q", got)
		}
		if _, ok := a.Attrs["mail"]; ok {
			t.Errorf("empty mail was written: %v", a.Attrs["mail"])
		}
		if e.read(t, a.DN, "mail") != nil && len(e.read(t, a.DN, "mail")) > 0 {
			t.Errorf("mail present in AD")
		}

		// GUID byte order: the raw bytes decode to the GUID the adapter
		// reported, and both lookups find the same entry.
		raw := rawGUID(t, e, a.DN)
		if g, _ := GUIDString(raw); g != a.GUID {
			t.Fatalf("GUIDString(raw %x) = %s, adapter said %s", raw, g, a.GUID)
		}
		byGUID, err := e.dir.AccountByGUID(ctx, strings.ToUpper(a.GUID), []string{"Title"})
		if err != nil {
			t.Fatalf("AccountByGUID: %v", err)
		}
		if !strings.EqualFold(byGUID.DN, a.DN) || byGUID.GUID != a.GUID || byGUID.Attr("title") != "Sagsbehandler" {
			t.Errorf("AccountByGUID = %+v, want %+v", byGUID, a)
		}
		filter, _ := GUIDFilter(a.GUID)
		res, err := e.admin.Search(ldap.NewSearchRequest(e.ou, ldap.ScopeWholeSubtree, 0, 0, 0, false, filter, []string{"cn"}, nil))
		if err != nil || len(res.Entries) != 1 || !strings.EqualFold(res.Entries[0].DN, a.DN) {
			t.Fatalf("search %s: %v, %d entries", filter, err, len(res.Entries))
		}
	})
}

func rawGUID(t *testing.T, e *testEnv, dn string) []byte {
	t.Helper()
	res, err := e.admin.Search(ldap.NewSearchRequest(dn, ldap.ScopeBaseObject, 0, 0, 0, false, "(objectClass=*)", []string{"objectGUID"}, nil))
	if err != nil || len(res.Entries) != 1 {
		t.Fatalf("read objectGUID of %s: %v", dn, err)
	}
	return res.Entries[0].GetRawAttributeValue("objectGUID")
}

func TestContractAccountByGUIDMissing(t *testing.T) {
	eachServer(t, func(t *testing.T, e *testEnv) {
		_, err := e.dir.AccountByGUID(context.Background(), "e5e19767-b5ec-4f15-960f-865c28c015fa", nil)
		wantKind(t, err, engine.KindNotFound, "e5e19767-b5ec-4f15-960f-865c28c015fa")
		_, err = e.dir.AccountByGUID(context.Background(), "e5e19767>,CN=x", nil)
		wantKind(t, err, engine.KindInvalid)
	})
}

func TestContractAccountsPaging(t *testing.T) {
	eachServer(t, func(t *testing.T, e *testEnv) {
		if testing.Short() && e.srv.name == "samba" {
			t.Skip("seeds 1,100 users into Samba (~9 s); runs without -short")
		}
		const n = 1100
		seedOU := "OU=Seed," + e.ou
		e.addOU(t, seedOU)
		start := time.Now()
		sams := e.seed(t, seedOU, n, e.prefix+"s")
		t.Logf("seeded %d users in %v", n, time.Since(start))
		// Objects that are not person accounts must not be read.
		for _, o := range []struct{ dn, class, sam string }{
			{"CN=PC1," + e.ou, "computer", e.prefix + "pc$"},
			{"CN=Group1," + e.ou, "group", e.prefix + "grp"},
			{"CN=Contact1," + e.ou, "contact", ""},
		} {
			req := ldap.NewAddRequest(o.dn, nil)
			req.Attribute("objectClass", []string{o.class})
			if o.sam != "" {
				req.Attribute("sAMAccountName", []string{o.sam})
			}
			if err := e.admin.Add(req); err != nil {
				t.Fatalf("add %s: %v", o.dn, err)
			}
		}

		accts, err := e.dir.Accounts(context.Background(), []string{"Title", "employeeID"})
		if err != nil {
			t.Fatalf("Accounts: %v", err)
		}
		if len(accts) != n {
			t.Fatalf("Accounts returned %d, want %d", len(accts), n)
		}
		seen := map[string]bool{}
		guids := map[string]bool{}
		for _, a := range accts {
			seen[a.SAMAccountName] = true
			guids[a.GUID] = true
			if a.Attr("title") != "Seeded" || len(a.Attrs["title"]) != 1 {
				t.Fatalf("%s: attrs = %v", a.DN, a.Attrs)
			}
			if len(a.CPR) != 10 || a.UserAccountControl != engine.UACCreatedNoPasswd {
				t.Fatalf("%s: CPR %q, uac %d", a.DN, engine.MaskCPR(a.CPR), a.UserAccountControl)
			}
		}
		for _, s := range sams {
			if !seen[s] {
				t.Fatalf("account %s missing", s)
			}
		}
		if len(guids) != n {
			t.Fatalf("%d distinct GUIDs for %d accounts", len(guids), n)
		}
	})
}

func TestContractDuplicateSAMAccountName(t *testing.T) {
	eachServer(t, func(t *testing.T, e *testEnv) {
		sam := e.prefix + "dup"
		e.create(t, "First Person", sam, nil)
		second := e.newAccount("Second Person", strings.ToUpper(sam), nil)
		_, err := e.dir.Create(context.Background(), second)
		wantKind(t, err, engine.KindConflict, second.DN)
		if e.exists(t, second.DN) {
			t.Errorf("%s was created", second.DN)
		}
		// Same CN, new sAMAccountName: the DN is taken.
		third := e.newAccount("First Person", e.prefix+"dup2", nil)
		_, err = e.dir.Create(context.Background(), third)
		wantKind(t, err, engine.KindConflict, third.DN)
	})
}

func TestContractModify(t *testing.T) {
	eachServer(t, func(t *testing.T, e *testEnv) {
		ctx := context.Background()
		a := e.create(t, "Mod Person", e.prefix+"mod", map[string][]string{"title": {"Sagsbehandler"}, "department": {"IT"}})

		// Changed and cleared and newly set in one modify.
		err := e.dir.Modify(ctx, a.DN, []engine.AttrChange{
			{Attr: "title", Before: []string{"Sagsbehandler"}, After: []string{"Teamleder"}},
			{Attr: "department", Before: []string{"IT"}},
			{Attr: "physicalDeliveryOfficeName", After: []string{"Rådhuset"}},
			{Attr: "description", Before: []string{"x"}, After: []string{"x"}}, // unchanged: not sent
		})
		if err != nil {
			t.Fatalf("Modify: %v", err)
		}
		got, err := e.dir.AccountByGUID(ctx, a.GUID, []string{"title", "department", "physicalDeliveryOfficeName"})
		if err != nil {
			t.Fatal(err)
		}
		if got.Attr("title") != "Teamleder" || got.Attr("department") != "" || got.Attr("physicaldeliveryofficename") != "Rådhuset" {
			t.Fatalf("after modify: %v", got.Attrs)
		}

		// Stale: title is no longer what the engine read. Nothing is
		// written, not even the other attribute of the same modify.
		err = e.dir.Modify(ctx, a.DN, []engine.AttrChange{
			{Attr: "department", After: []string{"HR"}},
			{Attr: "title", Before: []string{"Sagsbehandler"}, After: []string{"Chef"}},
		})
		wantKind(t, err, engine.KindStale, a.DN, "title")
		if v := e.read(t, a.DN, "title"); len(v) != 1 || v[0] != "Teamleder" {
			t.Errorf("title after stale modify = %v", v)
		}
		if v := e.read(t, a.DN, "department"); len(v) != 0 {
			t.Errorf("department written by a failed modify: %v", v)
		}

		// Stale: the engine read no value, but one has appeared.
		err = e.dir.Modify(ctx, a.DN, []engine.AttrChange{{Attr: "title", After: []string{"Chef"}}})
		wantKind(t, err, engine.KindStale, "title")

		// Stale clear.
		err = e.dir.Modify(ctx, a.DN, []engine.AttrChange{{Attr: "title", Before: []string{"Old"}}})
		wantKind(t, err, engine.KindStale, "title")

		// Value comparison is AD's (case-insensitive for strings).
		if err := e.dir.Modify(ctx, a.DN, []engine.AttrChange{{Attr: "title", Before: []string{"teamleder"}, After: []string{"Chef"}}}); err != nil {
			t.Fatalf("case-insensitive Before: %v", err)
		}

		// Not stale but invalid: an attribute AD does not know (Samba
		// answers 16 for it), two values for a single-valued attribute.
		err = e.dir.Modify(ctx, a.DN, []engine.AttrChange{{Attr: "department", After: []string{"HR"}}, {Attr: "noSuchAttr", After: []string{"x"}}})
		wantKind(t, err, engine.KindInvalid, a.DN, "noSuchAttr", "nothing was written")
		err = e.dir.Modify(ctx, a.DN, []engine.AttrChange{{Attr: "title", Before: []string{"Chef"}, After: []string{"A", "B"}}})
		wantKind(t, err, engine.KindInvalid, a.DN, "single-valued")
		if v := e.read(t, a.DN, "department"); len(v) != 0 {
			t.Errorf("department written by a failed modify: %v", v)
		}

		// Missing entry and refused attributes.
		err = e.dir.Modify(ctx, "CN=Nobody,"+e.newUsers, []engine.AttrChange{{Attr: "title", After: []string{"x"}}})
		wantKind(t, err, engine.KindNotFound, "CN=Nobody,"+e.newUsers)
		err = e.dir.Modify(ctx, a.DN, []engine.AttrChange{{Attr: "cn", Before: []string{"Mod Person"}, After: []string{"x"}}})
		wantKind(t, err, engine.KindInvalid, "cn")
	})
}

func TestContractSetDisabled(t *testing.T) {
	eachServer(t, func(t *testing.T, e *testEnv) {
		ctx := context.Background()
		a := e.create(t, "Uac Person", e.prefix+"uac", nil)
		uac := func() string { return strings.Join(e.read(t, a.DN, "userAccountControl"), ",") }

		if err := e.dir.SetDisabled(ctx, a.DN, 546, false); err != nil {
			t.Fatalf("enable: %v", err)
		}
		if got := uac(); got != "544" {
			t.Fatalf("after enable: uac %s, want 544", got)
		}
		// Stale: the engine still believes 512 (someone else enabled it
		// differently meanwhile).
		err := e.dir.SetDisabled(ctx, a.DN, 512, true)
		wantKind(t, err, engine.KindStale, a.DN, "userAccountControl")
		if got := uac(); got != "544" {
			t.Fatalf("stale disable wrote: uac %s", got)
		}
		if err := e.dir.SetDisabled(ctx, a.DN, 544, true); err != nil {
			t.Fatalf("disable: %v", err)
		}
		if got := uac(); got != "546" {
			t.Fatalf("after disable: uac %s, want 546", got)
		}
		// Already disabled: nothing to write.
		if err := e.dir.SetDisabled(ctx, a.DN, 546, true); err != nil {
			t.Fatalf("no-op disable: %v", err)
		}
		acc, err := e.dir.AccountByGUID(ctx, a.GUID, nil)
		if err != nil || !acc.Disabled() {
			t.Fatalf("AccountByGUID after disable: %+v, %v", acc, err)
		}
	})
}

func TestContractRename(t *testing.T) {
	eachServer(t, func(t *testing.T, e *testEnv) {
		ctx := context.Background()
		a := e.create(t, "Aage Bach Klarskov", e.prefix+"ren", nil)
		e.create(t, "Taken Name", e.prefix+"ren2", nil)

		newDN, err := e.dir.Rename(ctx, a.DN, "Aage Klareng, Jr.")
		if err != nil {
			t.Fatalf("Rename: %v", err)
		}
		if want := `CN=Aage Klareng\, Jr.,` + e.newUsers; newDN != want {
			t.Errorf("new DN %q, want %q", newDN, want)
		}
		got, err := e.dir.AccountByGUID(ctx, a.GUID, nil)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.EqualFold(got.DN, newDN) || got.CN != "Aage Klareng, Jr." {
			t.Errorf("after rename: DN %q CN %q", got.DN, got.CN)
		}
		if e.exists(t, a.DN) {
			t.Errorf("old DN %s still exists", a.DN)
		}
		_, err = e.dir.Rename(ctx, newDN, "Taken Name")
		wantKind(t, err, engine.KindConflict, newDN)
		_, err = e.dir.Rename(ctx, a.DN, "Whatever")
		wantKind(t, err, engine.KindNotFound, a.DN)
	})
}

func TestContractTakenNames(t *testing.T) {
	eachServer(t, func(t *testing.T, e *testEnv) {
		acc := e.newAccount("Nick Johnson", e.prefix+"NiJo", nil)
		acc.UPN = e.prefix + "Nick.Johnson@" + e.srv.upnRealm
		if _, err := e.dir.Create(context.Background(), acc); err != nil {
			t.Fatal(err)
		}
		// Not person accounts, but their names are taken too.
		grp := ldap.NewAddRequest("CN=Some Group,"+e.ou, nil)
		grp.Attribute("objectClass", []string{"group"})
		grp.Attribute("sAMAccountName", []string{e.prefix + "Grp"})
		if err := e.admin.Add(grp); err != nil {
			t.Fatal(err)
		}
		taken, err := e.dir.TakenNames(context.Background())
		if err != nil {
			t.Fatalf("TakenNames: %v", err)
		}
		for _, u := range []string{e.prefix + "nijo", strings.ToUpper(e.prefix + "nijo"), e.prefix + "nick.johnson", e.prefix + "grp"} {
			if !taken.HasUsername(u) {
				t.Errorf("username %q not taken; have %v", u, taken.Usernames)
			}
		}
		for _, cn := range []string{"nick johnson", "some group"} {
			if _, ok := taken.CNs[cn]; !ok {
				t.Errorf("CN %q not taken; have %v", cn, taken.CNs)
			}
		}
		if taken.HasUsername(e.prefix + "free") {
			t.Error("a free name is taken")
		}
		for u := range taken.Usernames {
			if u != strings.ToLower(u) || strings.Contains(u, "@") {
				t.Errorf("username %q not lower-cased prefix", u)
			}
		}
	})
}

func TestContractTLS(t *testing.T) {
	eachServer(t, func(t *testing.T, e *testEnv) {
		if e.srv.ldapsURL == "" || e.srv.caPEM == nil {
			t.Skip("no LDAPS URL or CA")
		}
		ca := e.srv.rootCAs(t)
		tests := []struct {
			name     string
			url      string
			startTLS bool
			tls      *tlsSpec
			kind     engine.Kind
			mentions []string
		}{
			{"ldaps with CA", e.srv.ldapsURL, false, &tlsSpec{pool: ca}, 0, nil},
			{"starttls with CA", e.srv.url, true, &tlsSpec{pool: ca}, 0, nil},
			{"ldaps wrong CA", e.srv.ldapsURL, false, &tlsSpec{pool: wrongCA(t)}, engine.KindUnavailable, []string{"TLS", "not trusted", e.srv.ldapsURL[len("ldaps://"):]}},
			{"starttls wrong CA", e.srv.url, true, &tlsSpec{pool: wrongCA(t)}, engine.KindUnavailable, []string{"TLS", "not trusted", "StartTLS"}},
			{"ldaps name mismatch", e.srv.ldapsURL, false, &tlsSpec{pool: ca, name: "wrong.example.org"}, engine.KindUnavailable, []string{"TLS", "name mismatch"}},
			{"ldaps to the plain port", strings.Replace(e.srv.url, "ldap://", "ldaps://", 1), false, &tlsSpec{pool: ca}, engine.KindUnavailable, []string{"TLS"}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				cfg := e.config()
				cfg.URL, cfg.StartTLS = tt.url, tt.startTLS
				cfg.TLS = tlsWith(tt.tls.pool, tt.tls.name)
				d, err := Dial(context.Background(), cfg)
				if tt.kind != 0 {
					wantKind(t, err, tt.kind, tt.mentions...)
					return
				}
				if err != nil {
					t.Fatalf("Dial: %v", err)
				}
				defer d.Close()
				a := e.create(t, "TLS "+tt.name, e.prefix+fmt.Sprint(len(tt.name)), nil)
				got, err := d.AccountByGUID(context.Background(), a.GUID, nil)
				if err != nil || got.DN != a.DN {
					t.Fatalf("read over TLS: %+v, %v", got, err)
				}
			})
		}
	})
}

type tlsSpec struct {
	pool *x509.CertPool
	name string // ServerName; "" means the URL's host
}
