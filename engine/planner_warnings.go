package engine

// Warning codes the planner reports (Warning.Code). They are part of the
// JSON plan contract.
const (
	WarnDuplicateCPR      = "duplicate_cpr"          // two or more AD accounts share one CPR: none is touched
	WarnDuplicateMOCPR    = "duplicate_mo_cpr"       // two MO people share one CPR: neither is matched
	WarnDuplicateMatch    = "duplicate_match"        // two MO people point to one AD account (objectGUID)
	WarnMissingCPR        = "missing_cpr"            // an engaged person has no valid CPR: cannot be matched by CPR
	WarnInvalidCPR        = "invalid_cpr"            // a person's CPR is not 10 digits
	WarnInvalidValue      = "invalid_value"          // a mapped value AD's syntax would reject: attribute left unchanged
	WarnUnparsedAddress   = "unparsable_address"     // an address that does not split into street, postal code, city
	WarnOrphanAccount     = "orphan_account"         // an AD account no MO person matches: reported, not touched
	WarnUsernameFailed    = "username_failed"        // no username pattern fits: no account is created
	WarnCommonNameFailed  = "common_name_failed"     // no free CN: no account is created / renamed
	WarnITUserAccountGone = "ituser_account_missing" // an AD IT user points to an objectGUID AD does not have
)

// warn builds a planner warning; msg must already have CPRs masked.
func warn(code string, system System, subject, key, msg string) Warning {
	return Warning{Code: code, System: string(system), Subject: subject, Key: key, Message: msg}
}
