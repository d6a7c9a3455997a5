package engine

// SkipReason says why a username pattern or candidate was passed over.
type SkipReason string

// The reasons a pattern or a candidate is passed over, as shown in traces.
const (
	SkipTooFewParts   SkipReason = "name has fewer than 2 parts"
	SkipMissingMiddle SkipReason = "missing middle name"
	SkipEmptyPart     SkipReason = "empty name part"
	SkipTooShort      SkipReason = "part too short"
	SkipForbidden     SkipReason = "forbidden"
	SkipTakenAD       SkipReason = "taken in AD"
	SkipReservedMO    SkipReason = "reserved in MO"
	SkipChosenInBatch SkipReason = "chosen earlier in this batch"
)

// CandidateTrace is one candidate tried for a pattern. Reason is "" for the
// candidate that was chosen.
type CandidateTrace struct {
	Username string     `json:"username"`
	Reason   SkipReason `json:"reason,omitempty"`
}

// PatternTrace is what happened to one pattern: either it was skipped as a
// whole (Skipped set, Detail saying which part), or its candidates were tried.
type PatternTrace struct {
	Pattern string `json:"pattern"`
	// Result is what the pattern gave before numbering (X still literal);
	// empty when the pattern could not be filled.
	Result     string           `json:"result,omitempty"`
	Skipped    SkipReason       `json:"skipped,omitempty"`
	Detail     string           `json:"detail,omitempty"`
	Candidates []CandidateTrace `json:"candidates,omitempty"`
}

// UsernameResult is a username decision: the chosen name (or "" when none
// fits), the pattern that produced it and the whole trace.
type UsernameResult struct {
	Username string         `json:"username"`
	Pattern  string         `json:"pattern,omitempty"`
	Trace    []PatternTrace `json:"trace"`
	// Parts are the name parts after cleaning: first name, middle names,
	// surname.
	Parts []string `json:"parts,omitempty"`
	// Override is set when an operator replaced the generated name.
	Override bool `json:"override,omitempty"`
	// GivenName and Surname are the MO names the username was generated
	// from (in a plan), so that apply can take the generator's next
	// candidate when AD says the name is in use.
	GivenName string `json:"given_name,omitempty"`
	Surname   string `json:"surname,omitempty"`
}
