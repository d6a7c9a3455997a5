package adtest

import (
	"crypto/tls"
	"strings"
	"testing"

	"github.com/go-ldap/ldap/v3"
)

func TestBind(t *testing.T) {
	s := newServer(t, Options{BindUPN: "admin@kommune.dk"})
	c := admin(t, s)
	o := ou(t, s, "B")
	a := user("jens", "1")
	a["userPrincipalName"] = []string{"jens.hansen@kommune.dk"}
	a["unicodePwd"] = []string{EncodePassword("Jens-Passw0rd")}
	a["userAccountControl"] = []string{"512"}
	mustAdd(t, c, "CN=Jens,"+o, a)
	d := user("dis", "2")
	d["unicodePwd"] = []string{EncodePassword("Dis-Passw0rd")}
	mustAdd(t, c, "CN=Dis,"+o, d) // 546: disabled
	tests := []struct {
		name, user, password string
		code                 int
		msg                  string
	}{
		{"admin DN", s.BindDN(), s.Password(), 0, ""},
		{"admin DN lower case", strings.ToLower(s.BindDN()), s.Password(), 0, ""},
		{"admin implicit UPN", "Administrator@TEST.LOCAL", s.Password(), 0, ""},
		{"admin explicit UPN", "ADMIN@kommune.dk", s.Password(), 0, ""},
		{"admin NetBIOS", `TEST\administrator`, s.Password(), 0, ""},
		{"user DN", "CN=Jens," + o, "Jens-Passw0rd", 0, ""},
		{"user UPN", "jens.hansen@kommune.dk", "Jens-Passw0rd", 0, ""},
		{"wrong password", "Administrator@TEST.LOCAL", "wrong", 49, msgBadCreds},
		{"unknown user", "nobody@TEST.LOCAL", "wrong", 49, msgBadCreds},
		{"unknown DN", "CN=Nobody," + o, "wrong", 49, msgBadCreds},
		{"no password set", "CN=Dis," + o, "", 0, ""}, // empty password: anonymous, as AD
		{"disabled account", "CN=Dis," + o, "Dis-Passw0rd", 49, "data 533"},
		{"wrong realm", "jens@other.local", "Jens-Passw0rd", 49, msgBadCreds},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := dial(t, s)
			var err error
			if tt.password == "" {
				err = c.UnauthenticatedBind(tt.user)
			} else {
				err = c.Bind(tt.user, tt.password)
			}
			if code(err) != tt.code || !strings.Contains(errString(err), tt.msg) {
				t.Errorf("got %v, want %d %q", err, tt.code, tt.msg)
			}
		})
	}
	// After a failed bind the connection is anonymous again.
	c2 := dial(t, s)
	if err := c2.Bind(s.BindDN(), s.Password()); err != nil {
		t.Fatal(err)
	}
	if err := c2.Bind(s.BindDN(), "wrong"); code(err) != 49 {
		t.Fatal(err)
	}
	if _, err := c2.Search(ldap.NewSearchRequest(s.BaseDN(), 0, 0, 0, 0, false, "(objectClass=*)", nil, nil)); code(err) != 1 {
		t.Errorf("search after failed bind: %v, want 1", err)
	}
	// WhoAmI is unsupported, as on Samba.
	if _, err := c.WhoAmI(nil); code(err) != ldap.LDAPResultProtocolError {
		t.Errorf("WhoAmI: %v, want protocol error", err)
	}
}

func TestPasswordOverLDAP(t *testing.T) {
	s := newServer(t, Options{})
	c := admin(t, s)
	o := ou(t, s, "P")
	mustAdd(t, c, "CN=P,"+o, user("pw", "1"))
	r := ldap.NewModifyRequest("CN=P,"+o, nil)
	r.Replace("unicodePwd", []string{EncodePassword("New-Passw0rd")})
	r.Replace("userAccountControl", []string{"512"})
	if err := c.Modify(r); err != nil {
		t.Fatal(err)
	}
	e, _ := s.Entry("CN=P," + o)
	if e["pwdLastSet"][0] == "0" || e["unicodePwd"] != nil {
		t.Errorf("pwdLastSet %v, unicodePwd visible %v", e["pwdLastSet"], e["unicodePwd"] != nil)
	}
	if err := dial(t, s).Bind("pw@test.local", "New-Passw0rd"); err != nil {
		t.Errorf("bind with new password: %v", err)
	}
	r = ldap.NewModifyRequest("CN=P,"+o, nil)
	r.Replace("unicodePwd", []string{EncodePassword("short")})
	if err := c.Modify(r); code(err) != 19 {
		t.Errorf("short password: %v", err)
	}
}

func TestTLS(t *testing.T) {
	s := newServer(t, Options{TLS: true, RequireStrongAuth: true})
	// StartTLS on the plain port, verified with the CA.
	c := dial(t, s)
	if err := c.Bind(s.BindDN(), s.Password()); code(err) != ldap.LDAPResultStrongAuthRequired {
		t.Errorf("plain bind with strong auth required: %v", err)
	}
	if err := c.StartTLS(tlsConfig(s)); err != nil {
		t.Fatalf("StartTLS: %v", err)
	}
	if err := c.Bind(s.BindDN(), s.Password()); err != nil {
		t.Fatalf("bind after StartTLS: %v", err)
	}
	if got := search(t, c, s.BaseDN(), ldap.ScopeBaseObject, "(objectClass=*)"); len(got) != 1 {
		t.Errorf("search after StartTLS: %v", got)
	}
	// LDAPS with the CA file.
	if !strings.HasPrefix(s.LDAPSURL(), "ldaps://127.0.0.1:") {
		t.Fatalf("LDAPSURL %q", s.LDAPSURL())
	}
	lc, err := ldap.DialURL(s.LDAPSURL(), ldap.DialWithTLSConfig(tlsConfig(s)))
	if err != nil {
		t.Fatalf("dial LDAPS: %v", err)
	}
	defer lc.Close()
	if err := lc.Bind("Administrator@test.local", s.Password()); err != nil {
		t.Errorf("bind over LDAPS: %v", err)
	}
	// Also by host name, and the CA file is written for file-based settings.
	cfg := tlsConfig(s)
	cfg.ServerName = "localhost"
	if lc2, err := ldap.DialURL(s.LDAPSURL(), ldap.DialWithTLSConfig(cfg)); err != nil {
		t.Errorf("dial LDAPS as localhost: %v", err)
	} else {
		lc2.Close()
	}
	if p := s.CAFile(t); p == "" {
		t.Error("no CA file")
	}
	// Without the CA the handshake fails.
	if bad, err := ldap.DialURL(s.LDAPSURL(), ldap.DialWithTLSConfig(&tls.Config{ServerName: "127.0.0.1"})); err == nil {
		bad.Close()
		t.Error("LDAPS verified without the CA")
	}
	c3 := dial(t, s)
	if err := c3.StartTLS(&tls.Config{ServerName: "127.0.0.1"}); err == nil {
		t.Error("StartTLS verified without the CA")
	}
}
