package engine

// Warning is a problem the engine reports instead of silently skipping:
// a duplicate CPR in AD, a person without a valid CPR, a value AD would
// reject, an orphan AD account, a truncated STS value.
type Warning struct {
	Code    string `json:"code"`              // stable machine code, e.g. "duplicate_cpr"
	System  string `json:"system,omitempty"`  // ad | sts | mo
	Subject string `json:"subject,omitempty"` // person or unit name, DN, or uuid
	Key     string `json:"key,omitempty"`     // uuid or DN
	Message string `json:"message"`           // human text; CPR masked
}
