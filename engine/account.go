package engine

import "strings"

// userAccountControl bits used by the engine.
const (
	UACAccountDisable  = 0x0002
	UACPasswdNotReqd   = 0x0020
	UACNormalAccount   = 0x0200
	UACCreatedNoPasswd = UACNormalAccount | UACPasswdNotReqd | UACAccountDisable // 546
)

// Account is an AD user account as the directory adapter reads it.
type Account struct {
	DN   string `json:"dn"`
	GUID string `json:"guid"` // objectGUID as a lower-case UUID string (Microsoft byte order decoded)
	CN   string `json:"cn"`
	// SAMAccountName and UPN are as AD holds them (original case).
	SAMAccountName     string `json:"sam_account_name"`
	UPN                string `json:"upn,omitempty"`
	UserAccountControl int    `json:"user_account_control"`
	// CPR is the configured CPR attribute reduced to its digits ("" if absent).
	CPR string `json:"cpr,omitempty"`
	// Attrs holds the mapped attributes, keyed by lower-case attribute name.
	Attrs map[string][]string `json:"attrs,omitempty"`
}

// Disabled reports whether the ACCOUNTDISABLE bit is set.
func (a Account) Disabled() bool { return a.UserAccountControl&UACAccountDisable != 0 }

// Attr returns the first value of attribute name (case-insensitive), or "".
func (a Account) Attr(name string) string {
	if v := a.Attrs[strings.ToLower(name)]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// NewAccount is what the engine asks the directory to create. The DN is
// built by the engine (CN escaped, see CommonName and UserDN).
type NewAccount struct {
	DN             string              `json:"dn"`
	CN             string              `json:"cn"`
	SAMAccountName string              `json:"sam_account_name"`
	UPN            string              `json:"upn,omitempty"`
	Attrs          map[string][]string `json:"attrs,omitempty"` // lower-case attribute names
}

// AttrChange is one attribute of a modify: the values the engine read
// (Before, used to detect a stale write) and the values it wants (After; an
// empty After clears the attribute).
type AttrChange struct {
	Attr   string   `json:"attr"`
	Before []string `json:"before,omitempty"`
	After  []string `json:"after,omitempty"`
}

// TakenNames is the bulk read of every name in use under the whole AD search
// base, lower-cased: sAMAccountNames plus UPN prefixes, and CNs.
type TakenNames struct {
	Usernames map[string]struct{}
	CNs       map[string]struct{}
}

// HasUsername reports whether name is taken (case-insensitive).
func (t TakenNames) HasUsername(name string) bool {
	_, ok := t.Usernames[strings.ToLower(name)]
	return ok
}
