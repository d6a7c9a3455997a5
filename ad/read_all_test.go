package ad

import (
	"context"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/go-ldap/ldap/v3"

	"moxsync/engine"
)

// TestContractAccountsAndTakenNames checks that the bulk read returns
// exactly what Accounts and TakenNames return, over several pages, with
// objects that are not person accounts, names outside ASCII, and over
// LDAPS and StartTLS.
func TestContractAccountsAndTakenNames(t *testing.T) {
	eachServer(t, func(t *testing.T, e *testEnv) {
		ctx := context.Background()
		n := 1100 // more than one page of 1,000
		if testing.Short() && e.srv.name == "samba" {
			n = 30
		}
		seedOU := "OU=Seed," + e.ou
		e.addOU(t, seedOU)
		e.seed(t, seedOU, n, e.prefix+"s")
		acc := e.newAccount("Søren Ærø Ølgaard", e.prefix+"SÖR", map[string][]string{"title": {"Overlæge"}, "mail": {"soeren@example.org"}})
		acc.UPN = e.prefix + "Søren.Ølgaard@" + e.srv.upnRealm
		if _, err := e.dir.Create(ctx, acc); err != nil {
			t.Fatal(err)
		}
		for _, o := range []struct{ dn, class, sam string }{
			{"CN=PC1," + e.ou, "computer", e.prefix + "pc$"},
			{"CN=Group Æ," + e.ou, "group", e.prefix + "grp"},
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
		attrs := []string{"Title", "employeeID", "mail", "givenName"}
		wantAcc, err := e.dir.Accounts(ctx, attrs)
		if err != nil {
			t.Fatalf("Accounts: %v", err)
		}
		wantTaken, err := e.dir.TakenNames(ctx)
		if err != nil {
			t.Fatalf("TakenNames: %v", err)
		}
		if len(wantAcc) != n+1 {
			t.Fatalf("Accounts returned %d, want %d", len(wantAcc), n+1)
		}
		byGUID := func(a, b engine.Account) int { return strings.Compare(a.GUID, b.GUID) }
		slices.SortFunc(wantAcc, byGUID)

		ca := e.srv.rootCAs(t)
		tests := []struct {
			name     string
			url      string
			startTLS bool
		}{
			{"ldap", e.srv.url, false},
			{"ldaps", e.srv.ldapsURL, false},
			{"starttls", e.srv.url, true},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				if tt.url == "" {
					t.Skip("no LDAPS URL")
				}
				cfg := e.config()
				cfg.URL, cfg.StartTLS, cfg.TLS = tt.url, tt.startTLS, tlsWith(ca, "")
				d := e.dial(t, cfg)
				gotAcc, gotTaken, err := d.AccountsAndTakenNames(ctx, attrs)
				if err != nil {
					t.Fatalf("AccountsAndTakenNames: %v", err)
				}
				slices.SortFunc(gotAcc, byGUID)
				if !reflect.DeepEqual(gotAcc, wantAcc) {
					for i := range min(len(gotAcc), len(wantAcc)) {
						if !reflect.DeepEqual(gotAcc[i], wantAcc[i]) {
							t.Fatalf("account %d differs:\n got %+v\nwant %+v", i, gotAcc[i], wantAcc[i])
						}
					}
					t.Fatalf("%d accounts, want %d", len(gotAcc), len(wantAcc))
				}
				// Taken names are read domain-wide, where other test packages
				// may be writing at the same time (go test runs packages in
				// parallel against the one DC): compare the names of this
				// test's prefix exactly, and that every CN read before is
				// still read.
				if g, w := withPrefix(gotTaken.Usernames, e.prefix), withPrefix(wantTaken.Usernames, e.prefix); !reflect.DeepEqual(g, w) {
					t.Fatalf("taken names with prefix %q differ: got %d, want %d", e.prefix, len(g), len(w))
				}
				for _, a := range wantAcc {
					if cn := strings.ToLower(cnOf(a.DN)); cn != "" {
						if _, ok := gotTaken.CNs[cn]; !ok {
							t.Fatalf("CN %q of %s is not among the taken CNs", cn, a.DN)
						}
					}
				}
				for _, u := range []string{e.prefix + "sör", e.prefix + "søren.ølgaard", e.prefix + "grp", e.prefix + "pc$"} {
					if !gotTaken.HasUsername(u) {
						t.Errorf("username %q not taken", u)
					}
				}
				if _, ok := gotTaken.CNs["group æ"]; !ok {
					t.Error(`CN "group æ" not taken`)
				}
			})
		}
	})
}

func TestAccountsAndTakenNamesErrors(t *testing.T) {
	eachServer(t, func(t *testing.T, e *testEnv) {
		t.Run("wrong password", func(t *testing.T) {
			cfg := e.config()
			d := e.dial(t, cfg)
			d.cfg.Password = "wrong-" + randomHex(4) // as if changed since Dial
			_, _, err := d.AccountsAndTakenNames(context.Background(), nil)
			wantKind(t, err, engine.KindAuth, e.srv.bindDN)
		})
		t.Run("missing base", func(t *testing.T) {
			cfg := e.config()
			cfg.SearchBase = "OU=gone-" + randomHex(4) + "," + e.srv.base
			d := e.dial(t, cfg)
			_, _, err := d.AccountsAndTakenNames(context.Background(), nil)
			wantKind(t, err, engine.KindNotFound, cfg.SearchBase)
		})
		t.Run("cancelled", func(t *testing.T) {
			d := e.dial(t, e.config())
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			_, _, err := d.AccountsAndTakenNames(ctx, nil)
			if err == nil {
				t.Fatal("no error from a cancelled read")
			}
		})
	})
}

// withPrefix returns the names of set that start with prefix (any case).
func withPrefix(set map[string]struct{}, prefix string) map[string]struct{} {
	out := map[string]struct{}{}
	p := strings.ToLower(prefix)
	for n := range set {
		if strings.HasPrefix(n, p) {
			out[n] = struct{}{}
		}
	}
	return out
}

// cnOf is the value of a DN's first RDN when it is a CN ("" otherwise).
func cnOf(dn string) string {
	dn2, err := ldap.ParseDN(dn)
	if err != nil || len(dn2.RDNs) == 0 || len(dn2.RDNs[0].Attributes) == 0 || !strings.EqualFold(dn2.RDNs[0].Attributes[0].Type, "cn") {
		return ""
	}
	return dn2.RDNs[0].Attributes[0].Value
}
