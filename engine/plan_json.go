package engine

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// MarshalPlan encodes p as the JSON plan contract (docs/plan-format.md):
// indented, with a trailing newline. The plan holds personal data (CPR
// numbers in employeeID values): write it with mode 0600.
func MarshalPlan(p *Plan) ([]byte, error) {
	if p.FormatVersion == 0 {
		return nil, E(KindInvalid, "plan: encode", p.ID, errors.New("format_version is not set"))
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(p); err != nil {
		return nil, fmt.Errorf("plan: encode %s: %w", p.ID, err)
	}
	return buf.Bytes(), nil
}

// UnmarshalPlan decodes and checks a plan written by MarshalPlan: the
// format_version must be PlanFormatVersion, every change needs a unique id,
// a known system and op, and a DependsOn naming a change of the plan.
// Unknown fields are rejected, so a plan from a newer tool is never
// half-understood.
func UnmarshalPlan(b []byte) (*Plan, error) {
	const op = "plan: decode"
	var probe struct {
		FormatVersion *int `json:"format_version"`
	}
	if err := json.Unmarshal(b, &probe); err != nil {
		return nil, E(KindInvalid, op, "", fmt.Errorf("not a plan: %w", err))
	}
	if probe.FormatVersion == nil {
		return nil, E(KindInvalid, op, "", errors.New("not a plan: no format_version"))
	}
	if *probe.FormatVersion != PlanFormatVersion {
		return nil, E(KindInvalid, op, "", fmt.Errorf("format_version %d is not supported (this tool reads %d)", *probe.FormatVersion, PlanFormatVersion))
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var p Plan
	if err := dec.Decode(&p); err != nil {
		return nil, E(KindInvalid, op, "", err)
	}
	if err := ValidatePlan(&p); err != nil {
		return nil, err
	}
	return &p, nil
}

// ValidatePlan checks the invariants of a plan: unique non-empty change
// ids, known systems and ops, dependencies inside the plan.
func ValidatePlan(p *Plan) error {
	const op = "plan: check"
	ids := make(map[string]bool, len(p.Changes))
	for i := range p.Changes {
		c := &p.Changes[i]
		switch {
		case c.ID == "":
			return E(KindInvalid, op, fmt.Sprintf("change %d", i), errors.New("no id"))
		case ids[c.ID]:
			return E(KindInvalid, op, c.ID, errors.New("duplicate change id"))
		}
		ids[c.ID] = true
		if _, ok := systemOrder[c.System]; !ok {
			return E(KindInvalid, op, c.ID, fmt.Errorf("unknown system %q", c.System))
		}
		if _, ok := opOrder[c.Op]; !ok {
			return E(KindInvalid, op, c.ID, fmt.Errorf("unknown op %q", c.Op))
		}
	}
	for i := range p.Changes {
		if d := p.Changes[i].DependsOn; d != "" && !ids[d] {
			return E(KindInvalid, op, p.Changes[i].ID, fmt.Errorf("depends on %s, which is not in the plan", d))
		}
	}
	return nil
}
