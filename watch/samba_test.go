package watch_test

import (
	"context"
	"os"
	"testing"
	"time"

	"moxsync/demo"
	"moxsync/engine"
	"moxsync/store"
)

// Against the real Samba AD DC of .ci/run (AD_LDAP_URL): an account the
// watcher created on approval is edited by an admin over a separate LDAP
// connection; the uSNChanged poll sees it and the watcher corrects it.
func TestSambaADEditIsCorrected(t *testing.T) {
	url := os.Getenv("AD_LDAP_URL")
	if url == "" {
		t.Skip("AD_LDAP_URL not set (the Samba DC of .ci/run)")
	}
	if u := os.Getenv("AD_LDAPS_URL"); u != "" && os.Getenv("AD_CA_FILE") != "" {
		url = u
	}
	r := newRigWith(t, demo.Options{Seed: 3, MOEventRetryDelay: 300 * time.Millisecond, ADURL: url, ADBind: os.Getenv("AD_BIND"),
		ADPassword: os.Getenv("AD_PASS"), ADBase: os.Getenv("AD_BASE_DN"), ADCAFile: os.Getenv("AD_CA_FILE")}, nil)
	r.start(nil)
	r.waitFor("start-up reconciliation", r.reconciled)
	ctx := context.Background()
	var create store.Item
	for _, it := range r.queue(store.Pending) {
		if it.Change.System == engine.SystemAD && it.Change.Op == engine.OpCreate {
			create = it
			break
		}
	}
	if create.Change.ID == "" {
		t.Fatal("no AD create queued against the empty OU")
	}
	if err := r.st.Decide(ctx, time.Now(), create.Change.ID, true, "anne@kommune"); err != nil {
		t.Fatal(err)
	}
	r.waitFor("the create applied", func() bool {
		it, _, _ := r.st.Get(ctx, create.Change.ID)
		return it.Status == store.Applied
	})
	d := r.dir()
	var acct engine.Account
	r.waitFor("the account with its title", func() bool {
		accts, err := d.Accounts(ctx, []string{"title"})
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range accts {
			if a.Attr("title") != "" {
				acct = a
				return true
			}
		}
		return false
	})
	want := acct.Attr("title")
	pos, _, _ := r.st.ADPosition(ctx)
	start := time.Now()
	if err := d.Modify(ctx, acct.DN, []engine.AttrChange{{Attr: "title", Before: []string{want}, After: []string{"Manuelt rettet"}}}); err != nil {
		t.Fatal(err)
	}
	r.waitFor("the title corrected", func() bool {
		a, err := d.AccountByGUID(ctx, acct.GUID, []string{"title"})
		return err == nil && a.Attr("title") == want
	})
	t.Logf("Samba: corrected after %v; the poll started at USN %d on %s", time.Since(start).Round(time.Millisecond), pos.USN, pos.DC)
}
