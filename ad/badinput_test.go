package ad

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"moxsync/engine"
)

// Bad input: each case gives a clear error naming the DN, URL or attribute,
// and leaves nothing half-written.

func TestUnreachableDC(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // now nothing listens there
	for _, url := range []string{"ldap://" + addr, "ldaps://" + addr} {
		start := time.Now()
		_, err := Dial(context.Background(), Config{URL: url, BindDN: "x@y", Password: "secret-pw", SearchBase: "DC=x", Timeout: 2 * time.Second})
		wantKind(t, err, engine.KindUnavailable, addr, "cannot reach the domain controller")
		if strings.Contains(err.Error(), "secret-pw") {
			t.Errorf("error shows the password: %v", err)
		}
		if time.Since(start) > 3*time.Second {
			t.Errorf("took %v", time.Since(start))
		}
	}
}

func TestDialTimeout(t *testing.T) {
	// A listener that accepts but never answers: the bind must time out.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			defer c.Close()
		}
	}()
	start := time.Now()
	_, err = Dial(context.Background(), Config{URL: "ldap://" + ln.Addr().String(), BindDN: "x@y", Password: "p", SearchBase: "DC=x", Timeout: 300 * time.Millisecond})
	wantKind(t, err, engine.KindUnavailable, "timed out")
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("took %v", d)
	}
}

func TestWrongPassword(t *testing.T) {
	eachServer(t, func(t *testing.T, e *testEnv) {
		cfg := e.config()
		cfg.Password = "not-the-password"
		_, err := Dial(context.Background(), cfg)
		wantKind(t, err, engine.KindAuth, "wrong bind name or password", cfg.BindDN)
		if strings.Contains(err.Error(), cfg.Password) {
			t.Errorf("error shows the password: %v", err)
		}
	})
}

func TestMissingNewUserOU(t *testing.T) {
	eachServer(t, func(t *testing.T, e *testEnv) {
		parent := "OU=Findes Ikke," + e.ou
		acc := engine.NewAccount{DN: "CN=Lost Person," + parent, CN: "Lost Person", SAMAccountName: e.prefix + "lost"}
		_, err := e.dir.Create(context.Background(), acc)
		wantKind(t, err, engine.KindNotFound, acc.DN, "OU for new users", parent)
		taken, err := e.dir.TakenNames(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if taken.HasUsername(acc.SAMAccountName) {
			t.Error("the failed create left its sAMAccountName behind")
		}

		cfg := e.config()
		cfg.NewUserOU = "OU=Findes Ikke"
		_, err = e.dial(t, cfg).Probe(context.Background())
		wantKind(t, err, engine.KindNotFound, parent, "OU for new users")
	})
}

func TestRejectedAttributeValue(t *testing.T) {
	eachServer(t, func(t *testing.T, e *testEnv) {
		ctx := context.Background()
		acc := e.newAccount("Bad Country", e.prefix+"bad", map[string][]string{"title": {"x"}, "countryCode": {"Danmark"}})
		_, err := e.dir.Create(ctx, acc)
		wantKind(t, err, engine.KindInvalid, acc.DN, "countrycode", "nothing was created")
		if e.exists(t, acc.DN) {
			t.Errorf("%s was left behind", acc.DN)
		}

		unknown := e.newAccount("Unknown Attr", e.prefix+"unk", map[string][]string{"noSuchAttr": {"x"}})
		_, err = e.dir.Create(ctx, unknown)
		wantKind(t, err, engine.KindInvalid, unknown.DN, "nosuchattr", "nothing was created")
		if e.exists(t, unknown.DN) {
			t.Errorf("%s was left behind", unknown.DN)
		}

		a := e.create(t, "Good Country", e.prefix+"good", map[string][]string{"title": {"x"}, "countryCode": {"208"}})
		err = e.dir.Modify(ctx, a.DN, []engine.AttrChange{
			{Attr: "title", Before: []string{"x"}, After: []string{"y"}},
			{Attr: "countryCode", Before: []string{"208"}, After: []string{"DK"}},
		})
		wantKind(t, err, engine.KindInvalid, a.DN, "countryCode", "nothing was written")
		if v := e.read(t, a.DN, "title"); len(v) != 1 || v[0] != "x" {
			t.Errorf("title after the rejected modify = %v", v)
		}
	})
}

func TestSettingsRejected(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		key  string
	}{
		{"no url", Config{BindDN: "a", SearchBase: "DC=x"}, "url"},
		{"http url", Config{URL: "http://dc", BindDN: "a", SearchBase: "DC=x"}, "url"},
		{"starttls on ldaps", Config{URL: "ldaps://dc", StartTLS: true, BindDN: "a", SearchBase: "DC=x"}, "starttls"},
		{"no bind", Config{URL: "ldap://dc", SearchBase: "DC=x"}, "bind"},
		{"no base", Config{URL: "ldap://dc", BindDN: "a"}, "search base"},
		{"page too small", Config{URL: "ldap://dc", BindDN: "a", SearchBase: "DC=x", PageSize: 100}, "page size"},
		{"page too big", Config{URL: "ldap://dc", BindDN: "a", SearchBase: "DC=x", PageSize: 5000}, "page size"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Dial(context.Background(), tt.cfg)
			wantKind(t, err, engine.KindInvalid, tt.key)
		})
	}
}
