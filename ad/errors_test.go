package ad

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"

	"github.com/go-ldap/ldap/v3"

	"moxsync/engine"
)

func TestClassify(t *testing.T) {
	ldapErr := func(code uint16, msg string) error { return ldap.NewError(code, errors.New(msg)) }
	tests := []struct {
		name string
		err  error
		kind engine.Kind
		says string
	}{
		{"no such object", ldapErr(32, "no such"), engine.KindNotFound, "no such object"},
		{"entry exists", ldapErr(68, "exists"), engine.KindConflict, "already exists"},
		{"value exists", ldapErr(20, "exists"), engine.KindConflict, "value exists"},
		{"no such attribute", ldapErr(16, "gone"), engine.KindStale, "not present"},
		{"constraint", ldapErr(19, "x"), engine.KindInvalid, "rejected"},
		{"syntax", ldapErr(21, "x"), engine.KindInvalid, "rejected"},
		{"unwilling", ldapErr(53, "x"), engine.KindInvalid, "rejected"},
		{"objectclass violation", ldapErr(65, "x"), engine.KindInvalid, "rejected"},
		{"naming violation", ldapErr(64, "x"), engine.KindInvalid, "rejected"},
		{"strong auth", ldapErr(8, "x"), engine.KindInvalid, "encrypted connection"},
		{"access", ldapErr(50, "x"), engine.KindPermission, "may not"},
		{"credentials", ldapErr(49, "data 52e"), engine.KindAuth, "wrong bind name or password"},
		{"busy", ldapErr(51, "x"), engine.KindUnavailable, "unavailable"},
		{"unavailable", ldapErr(52, "x"), engine.KindUnavailable, "unavailable"},
		{"other", ldapErr(80, "x"), engine.KindUnavailable, "unavailable"},
		{"closed", ldapErr(ldap.ErrorNetwork, "ldap: connection closed"), engine.KindUnavailable, "was closed"},
		{"timeout", ldapErr(ldap.ErrorNetwork, "ldap: connection timed out"), engine.KindUnavailable, "timed out"},
		{"refused", &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}, engine.KindUnavailable, "cannot reach"},
		{"unknown CA", fmt.Errorf("TLS handshake failed (%w)", x509.UnknownAuthorityError{}), engine.KindUnavailable, "TLS: the domain controller's certificate is not trusted"},
		{"hostname", x509.HostnameError{Certificate: &x509.Certificate{}, Host: "dc"}, engine.KindUnavailable, "name mismatch"},
		{"starttls text", ldapErr(ldap.ErrorNetwork, "TLS handshake failed (tls: failed to verify certificate: x509: certificate signed by unknown authority)"), engine.KindUnavailable, "not trusted"},
		{"deadline", context.DeadlineExceeded, engine.KindUnavailable, "timed out"},
		{"cancelled", context.Canceled, engine.KindOther, "cancelled"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := classify("ad: test", "CN=x,DC=y", tt.err)
			if engine.KindOf(err) != tt.kind {
				t.Errorf("kind %v, want %v (%v)", engine.KindOf(err), tt.kind, err)
			}
			if !strings.Contains(err.Error(), tt.says) || !strings.Contains(err.Error(), "CN=x,DC=y") {
				t.Errorf("error %q does not say %q and the key", err, tt.says)
			}
			if !errors.Is(err, tt.err) {
				t.Errorf("cause lost: %v", err)
			}
		})
	}
	pass := engine.E(engine.KindStale, "op", "k", nil)
	if got := classify("ad: x", "y", pass); got != error(pass) {
		t.Errorf("an *engine.Error was re-wrapped: %v", got)
	}
}
