package adtest

import "fmt"

// LDAP result codes used by the server (RFC 4511 §4.1.9).
const (
	resultSuccess                = 0
	resultOperationsError        = 1
	resultProtocolError          = 2
	resultSizeLimitExceeded      = 4
	resultAuthMethodNotSupported = 7
	resultStrongAuthRequired     = 8
	resultNoSuchAttribute        = 16
	resultConstraintViolation    = 19
	resultAttributeOrValueExists = 20
	resultInvalidAttributeSyntax = 21
	resultNoSuchObject           = 32
	resultInvalidDNSyntax        = 34
	resultInvalidCredentials     = 49
	resultUnwillingToPerform     = 53
	resultNamingViolation        = 64
	resultObjectClassViolation   = 65
	resultNotAllowedOnNonLeaf    = 66
	resultNotAllowedOnRDN        = 67
	resultEntryAlreadyExists     = 68
	resultOther                  = 80
)

// AD diagnostic messages that clients match on.
const (
	msgNeedBind = "000004DC: LdapErr: DSID-0C090A5C, comment: In order to perform this operation a successful bind must be completed on the connection., data 0, v4563"
	msgBadCreds = "80090308: LdapErr: DSID-0C0903A9, comment: AcceptSecurityContext error, data 52e, v1db1"
	msgDisabled = "80090308: LdapErr: DSID-0C0903A9, comment: AcceptSecurityContext error, data 533, v1db1"
)

// ldapError is an LDAP result other than success: the code, the matched DN
// (for noSuchObject) and the diagnostic message sent to the client.
type ldapError struct {
	code    int
	matched string
	msg     string
}

func (e *ldapError) Error() string {
	return fmt.Sprintf("LDAP result %d: %s", e.code, e.msg)
}

func errf(code int, format string, args ...any) *ldapError {
	return &ldapError{code: code, msg: fmt.Sprintf(format, args...)}
}
