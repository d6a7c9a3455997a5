package ad

import (
	"context"
	"strings"
	"testing"

	"moxsync/engine"
)

// Connection behaviour: bind forms, the whole-domain base (with Samba's
// referral to the Configuration partition), redial, cancellation, Probe.

func TestContractBindWithDN(t *testing.T) {
	eachServer(t, func(t *testing.T, e *testEnv) {
		cfg := e.config()
		cfg.BindDN = e.srv.bindDN2
		d := e.dial(t, cfg)
		if _, err := d.TakenNames(context.Background()); err != nil {
			t.Fatalf("TakenNames after binding as %s: %v", cfg.BindDN, err)
		}
	})
}

func TestContractWholeDomainBase(t *testing.T) {
	eachServer(t, func(t *testing.T, e *testEnv) {
		ctx := context.Background()
		a := e.create(t, "Whole Base", e.prefix+"whole", nil)
		cfg := e.config()
		cfg.SearchBase = e.srv.base
		d := e.dial(t, cfg)
		accts, err := d.Accounts(ctx, nil)
		if err != nil {
			t.Fatalf("Accounts over %s: %v", cfg.SearchBase, err)
		}
		found, admin := false, false
		for _, x := range accts {
			found = found || x.GUID == a.GUID
			admin = admin || strings.EqualFold(x.SAMAccountName, "Administrator")
			if strings.HasSuffix(x.SAMAccountName, "$") && strings.Contains(strings.ToUpper(x.DN), "OU=DOMAIN CONTROLLERS") {
				t.Errorf("computer account read as a person: %s", x.DN)
			}
		}
		if !found || !admin {
			t.Errorf("Accounts over the domain: new user found %v, Administrator found %v (%d accounts)", found, admin, len(accts))
		}
		taken, err := d.TakenNames(ctx)
		if err != nil {
			t.Fatalf("TakenNames over %s: %v", cfg.SearchBase, err)
		}
		if !taken.HasUsername("administrator") || !taken.HasUsername(e.prefix+"whole") {
			t.Errorf("TakenNames over the domain misses administrator or %swhole", e.prefix)
		}
	})
}

func TestContractRedial(t *testing.T) {
	eachServer(t, func(t *testing.T, e *testEnv) {
		ctx := context.Background()
		e.create(t, "Redial Person", e.prefix+"redial", nil)
		// The server (or an idle timeout) closes the connection.
		e.dir.mu.Lock()
		e.dir.conn.Close()
		e.dir.mu.Unlock()
		accts, err := e.dir.Accounts(ctx, nil)
		if err != nil || len(accts) != 1 {
			t.Fatalf("Accounts after the connection closed: %d, %v", len(accts), err)
		}
	})
}

func TestContractCancelled(t *testing.T) {
	eachServer(t, func(t *testing.T, e *testEnv) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := e.dir.Create(ctx, e.newAccount("Never Made", e.prefix+"never", nil))
		if err == nil || engine.KindOf(err) != engine.KindOther || !strings.Contains(err.Error(), "cancelled") {
			t.Fatalf("Create with a cancelled context: %v", err)
		}
		if e.exists(t, "CN=Never Made,"+e.newUsers) {
			t.Error("created despite the cancelled context")
		}
	})
}

func TestContractProbe(t *testing.T) {
	eachServer(t, func(t *testing.T, e *testEnv) {
		info, err := e.dir.Probe(context.Background())
		if err != nil {
			t.Fatalf("Probe: %v", err)
		}
		if !info.Supports(OIDPagedResults) || info.HighestCommittedUSN <= 0 || info.DefaultNamingContext == "" {
			t.Errorf("Probe = %+v", info)
		}
		cfg := e.config()
		cfg.SearchBase = "OU=Missing," + e.ou
		_, err = e.dial(t, cfg).Probe(context.Background())
		wantKind(t, err, engine.KindNotFound, cfg.SearchBase, "search base")
	})
}
