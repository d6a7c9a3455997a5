package mo

import (
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2"
)

// TestITUsersQueryValidates checks the IT user read against the real v29
// schema, and that external_id is asked for only from v29.
func TestITUsersQueryValidates(t *testing.T) {
	for _, v := range []int{22, 28, 29, 30} {
		op := itUsersQuery(v)
		if got := strings.Contains(op.text, "external_id"); got != (v >= 29) {
			t.Errorf("v%d: asks for external_id: %v", v, got)
		}
	}
	schema := realSchema(t)
	for _, v := range []int{22, 29} {
		op := itUsersQuery(v)
		doc, errs := gqlparser.LoadQuery(schema, op.text)
		if errs != nil {
			t.Fatalf("v%d does not validate: %v\n%s", v, errs, op.text)
		}
		if len(doc.Operations) != 1 || doc.Operations[0].Name != op.name {
			t.Errorf("want one operation named %s", op.name)
		}
	}
}
