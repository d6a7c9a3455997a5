package ad

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"strings"

	"github.com/go-ldap/ldap/v3"

	"moxsync/engine"
)

// Operation names used in errors.
const (
	opConnect    = "ad: connect"
	opBind       = "ad: bind"
	opSearch     = "ad: search"
	opRead       = "ad: read"
	opCreate     = "ad: create"
	opModify     = "ad: modify"
	opDisable    = "ad: set userAccountControl"
	opRename     = "ad: rename"
	opProbe      = "ad: probe"
	opReadByGUID = "ad: read by objectGUID"
)

// classify turns an error from go-ldap or the network into an *engine.Error
// of the right Kind, with key (a DN or the URL) in the message. It is applied
// once, at the package boundary; an *engine.Error passes through unchanged.
func classify(op, key string, err error) error {
	if err == nil {
		return nil
	}
	var ee *engine.Error
	if errors.As(err, &ee) {
		return err
	}
	kind, why := kindOf(err)
	if why != "" {
		err = fmt.Errorf("%s: %w", why, err)
	}
	return engine.E(kind, op, key, err)
}

// kindOf maps err to a Kind and, where the raw error is cryptic, a short
// explanation for people.
func kindOf(err error) (engine.Kind, string) {
	switch {
	case errors.Is(err, context.Canceled):
		return engine.KindOther, "cancelled"
	case errors.Is(err, context.DeadlineExceeded):
		return engine.KindUnavailable, "timed out"
	}
	if why := tlsProblem(err); why != "" {
		return engine.KindUnavailable, why
	}
	var le *ldap.Error
	if !errors.As(err, &le) {
		var ne net.Error
		if errors.As(err, &ne) {
			return engine.KindUnavailable, "cannot reach the domain controller"
		}
		return engine.KindOther, ""
	}
	switch le.ResultCode {
	case ldap.LDAPResultNoSuchObject:
		return engine.KindNotFound, "no such object"
	case ldap.LDAPResultEntryAlreadyExists:
		return engine.KindConflict, "already exists"
	case ldap.LDAPResultAttributeOrValueExists:
		return engine.KindConflict, "attribute value exists"
	case ldap.LDAPResultNoSuchAttribute:
		return engine.KindStale, "attribute value not present"
	case ldap.LDAPResultConstraintViolation, ldap.LDAPResultInvalidAttributeSyntax,
		ldap.LDAPResultUnwillingToPerform, ldap.LDAPResultObjectClassViolation,
		ldap.LDAPResultNamingViolation, ldap.LDAPResultUndefinedAttributeType,
		ldap.LDAPResultInvalidDNSyntax, ldap.LDAPResultNotAllowedOnRDN,
		ldap.LDAPResultNotAllowedOnNonLeaf, ldap.LDAPResultObjectClassModsProhibited:
		return engine.KindInvalid, "rejected by AD"
	case ldap.LDAPResultStrongAuthRequired, ldap.LDAPResultConfidentialityRequired:
		return engine.KindInvalid, "the domain controller requires an encrypted connection (use ldaps:// or StartTLS)"
	case ldap.LDAPResultInsufficientAccessRights:
		return engine.KindPermission, "the bind account may not do this"
	case ldap.LDAPResultInvalidCredentials, ldap.LDAPResultInappropriateAuthentication:
		return engine.KindAuth, "wrong bind name or password"
	case ldap.ErrorEmptyPassword:
		return engine.KindAuth, "no bind password configured"
	case ldap.LDAPResultBusy, ldap.LDAPResultUnavailable, ldap.LDAPResultOther,
		ldap.LDAPResultServerDown, ldap.LDAPResultTimeLimitExceeded, ldap.LDAPResultTimeout,
		ldap.LDAPResultConnectError, ldap.ErrorNetwork:
		var ne net.Error
		switch {
		case errors.As(err, &ne) && ne.Timeout(), strings.Contains(err.Error(), "timed out"):
			return engine.KindUnavailable, "timed out waiting for the domain controller"
		case errors.As(err, &ne):
			return engine.KindUnavailable, "cannot reach the domain controller"
		case strings.Contains(err.Error(), "connection closed"):
			return engine.KindUnavailable, "the connection to the domain controller was closed"
		}
		return engine.KindUnavailable, "domain controller unavailable"
	}
	return engine.KindOther, ""
}

// tlsProblem explains a TLS failure, or returns "" if err is not one.
// LDAPS dial errors keep their types; go-ldap's StartTLS flattens the
// handshake error into text, so the text is checked too.
func tlsProblem(err error) string {
	var (
		ua   x509.UnknownAuthorityError
		he   x509.HostnameError
		ci   x509.CertificateInvalidError
		rh   tls.RecordHeaderError
		cve  *tls.CertificateVerificationError
		msg  = err.Error()
		hand = strings.Contains(msg, "TLS handshake failed")
	)
	switch {
	case errors.As(err, &ua) || strings.Contains(msg, "certificate signed by unknown authority"):
		return "TLS: the domain controller's certificate is not trusted (it is not signed by the configured CA file or the system roots)"
	case errors.As(err, &he) || strings.Contains(msg, "x509: certificate is valid for") || strings.Contains(msg, "certificate is not valid for any names"):
		return "TLS: the certificate does not match the host name in the URL (name mismatch)"
	case errors.As(err, &ci) || (hand && strings.Contains(msg, "x509: certificate has expired")):
		return "TLS: the domain controller's certificate is not valid (expired or not for server use)"
	case errors.As(err, &rh) || strings.Contains(msg, "first record does not look like a TLS handshake"):
		return "TLS: the server did not answer with TLS (is this the LDAPS port?)"
	case errors.As(err, &cve) || hand || strings.Contains(msg, "tls: "):
		return "TLS: handshake failed (is the port right for ldaps:// or StartTLS?)"
	}
	return ""
}

// cause strips the Op and Key of an *engine.Error, so that it can be
// re-wrapped under another operation without repeating them.
func cause(err error) error {
	var ee *engine.Error
	if errors.As(err, &ee) && ee.Err != nil {
		return ee.Err
	}
	return err
}

// resultCode returns the LDAP result code in err, or 0.
func resultCode(err error) uint16 {
	var le *ldap.Error
	if errors.As(err, &le) {
		return le.ResultCode
	}
	return 0
}
