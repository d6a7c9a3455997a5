package engine

// The reasons of an STS delete (DiffSTS), shown as the Source of each of
// its fields: in the plan text, the TUI and the JSON plan.
const (
	// STSReasonNotInMO: STS holds an object MO does not know (an erased
	// person, a closed unit, something another system or mox left).
	STSReasonNotInMO = "not in MO"
	// STSReasonOutsideTop: a unit MO has, but not in the subtree under the
	// top unit (or not active there).
	STSReasonOutsideTop = "outside the top unit"
	// STSReasonNoEngagement: a person MO has, without a current engagement
	// in a unit under the top unit.
	STSReasonNoEngagement = "no engagement under the top unit"
)

// The values of STSMapOptions.Clean (STSORGSYNC_CLEAN): which kinds of STS
// objects that MO does not want there are deleted.
const (
	STSCleanBoth  = "both" // users and units (the default, as mox)
	STSCleanUsers = "users"
	STSCleanUnits = "units"
	STSCleanNone  = "none"
)

// WarnSTSCleanOff says how many deletes STSORGSYNC_CLEAN held back.
const WarnSTSCleanOff = "sts_clean_off"

// cleans reports whether the clean setting lets STS objects of kind
// ("users" or "units") be deleted. An empty or unknown setting cleans
// both, as mox did.
func cleans(clean, kind string) bool {
	switch clean {
	case STSCleanNone:
		return false
	case STSCleanUsers, STSCleanUnits:
		return clean == kind
	}
	return true
}
