package engine

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"hash"
	"slices"
	"strings"
	"time"
)

// ChangeKey is the identity of a change's target: the objectGUID of an AD
// account, the uuid of an MO or STS object, or — for an object that does
// not exist yet — the MO person or unit it is made for.
func ChangeKey(c *Change) string {
	switch {
	case c.Target.GUID != "":
		return "guid:" + strings.ToLower(c.Target.GUID)
	case c.Target.UUID != "":
		return "uuid:" + strings.ToLower(c.Target.UUID)
	case c.MOUUID != "":
		return "mo:" + strings.ToLower(c.MOUUID)
	}
	return "dn:" + strings.ToLower(c.Target.DN)
}

// ChangeID is the stable id of c: a hash of system, op, target key and the
// intended values (each field's attribute and After, in attribute order,
// plus the STS payload). Before values and dates are left out, so the same
// intent read twice gets the same id, and a saved plan can be matched
// against a new read.
func ChangeID(c *Change) string {
	h := sha256.New()
	write := func(s string) { h.Write([]byte(s)); h.Write([]byte{0}) }
	write(string(c.System))
	write(string(c.Op))
	write(ChangeKey(c))
	fs := slices.Clone(c.Fields)
	slices.SortFunc(fs, func(a, b Field) int { return strings.Compare(strings.ToLower(a.Attr), strings.ToLower(b.Attr)) })
	for _, f := range fs {
		write(strings.ToLower(f.Attr))
		write(f.After)
	}
	writeJSON(h, c.STSUnit)
	writeJSON(h, c.STSUser)
	return hex.EncodeToString(h.Sum(nil)[:8])
}

func writeJSON(h hash.Hash, v any) {
	b, err := json.Marshal(v)
	if err == nil {
		h.Write(b)
	}
	h.Write([]byte{0})
}

// PlanID identifies one plan: a hash of its creation time, settings hash
// and change ids. It names the plan in the audit log.
func PlanID(p *Plan) string {
	h := sha256.New()
	h.Write([]byte(p.CreatedAt.UTC().Format(time.RFC3339Nano)))
	h.Write([]byte{0})
	h.Write([]byte(p.SettingsHash))
	for _, c := range p.Changes {
		h.Write([]byte{0})
		h.Write([]byte(c.ID))
	}
	return hex.EncodeToString(h.Sum(nil)[:8])
}
