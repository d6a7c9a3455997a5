package engine

import (
	"context"
	"fmt"
)

// STSObjectKind says whether an STS change concerns a unit ("orgunit") or a
// user ("user"), from the payload DiffSTS attaches; "" when it has none.
func STSObjectKind(c *Change) string {
	switch {
	case c.STSUnit != nil:
		return "orgunit"
	case c.STSUser != nil:
		return "user"
	}
	return ""
}

// ApplySTSChange sends one STS change (as made by DiffSTS) to t: create and
// update become an upsert of the attached payload, delete a delete of
// Target.UUID.
func ApplySTSChange(ctx context.Context, t STSTarget, c *Change) error {
	if c.System != SystemSTS {
		return E(KindInvalid, "sts: apply", c.Target.UUID, fmt.Errorf("change %s is for system %q", c.ID, c.System))
	}
	kind := STSObjectKind(c)
	switch {
	case c.Op == OpDelete && kind == "orgunit":
		return t.DeleteUnit(ctx, c.Target.UUID)
	case c.Op == OpDelete && kind == "user":
		return t.DeleteUser(ctx, c.Target.UUID)
	case (c.Op == OpCreate || c.Op == OpUpdate) && kind == "orgunit":
		return t.UpsertUnit(ctx, *c.STSUnit)
	case (c.Op == OpCreate || c.Op == OpUpdate) && kind == "user":
		return t.UpsertUser(ctx, *c.STSUser)
	}
	return E(KindInvalid, "sts: apply", c.Target.UUID, fmt.Errorf("change %s: op %q without an STS payload", c.ID, c.Op))
}
