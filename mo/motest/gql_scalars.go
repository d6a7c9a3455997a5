package motest

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
)

// The GraphQL scalars of MO's schema: UUID, DateTime, Date, CPR, Cursor and
// the lower-case int used for limit.

type gqlUUID string

func (gqlUUID) ImplementsGraphQLType(name string) bool { return name == "UUID" }

func (u *gqlUUID) UnmarshalGraphQL(input any) error {
	s, ok := input.(string)
	if !ok {
		return fmt.Errorf("UUID must be a string, got %T", input)
	}
	p, err := uuid.Parse(s)
	if err != nil {
		return fmt.Errorf("badly formed hexadecimal UUID string")
	}
	*u = gqlUUID(p.String())
	return nil
}

func optUUID(s string) *gqlUUID {
	if s == "" {
		return nil
	}
	u := gqlUUID(s)
	return &u
}

// gqlDateTime is a DateTime argument. Dates without a time and times without
// an offset are read in Europe/Copenhagen, as MO does.
type gqlDateTime struct{ time.Time }

func (gqlDateTime) ImplementsGraphQLType(name string) bool { return name == "DateTime" }

func (t *gqlDateTime) UnmarshalGraphQL(input any) error {
	s, ok := input.(string)
	if !ok {
		return fmt.Errorf("DateTime must be a string, got %T", input)
	}
	v, err := parseMOTime(s)
	if err != nil {
		return err
	}
	t.Time = v
	return nil
}

// parseMOTime reads an ISO 8601 date or date-time.
func parseMOTime(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999Z0700"} {
		if v, err := time.Parse(layout, s); err == nil {
			return v, nil
		}
	}
	for _, layout := range []string{"2006-01-02T15:04:05.999999999", "2006-01-02T15:04", "2006-01-02"} {
		if v, err := time.ParseInLocation(layout, s, copenhagen); err == nil {
			return v, nil
		}
	}
	return time.Time{}, fmt.Errorf("Invalid isoformat string: %q", s)
}

// nullDateTime is a DateTime input field that tells "omitted" (Set false)
// from an explicit null (Set true, Value nil).
type nullDateTime struct {
	Value *time.Time
	Set   bool
}

func (nullDateTime) ImplementsGraphQLType(name string) bool { return name == "DateTime" }

func (t *nullDateTime) UnmarshalGraphQL(input any) error {
	t.Set = true
	if input == nil {
		return nil
	}
	var v gqlDateTime
	if err := v.UnmarshalGraphQL(input); err != nil {
		return err
	}
	t.Value = &v.Time
	return nil
}

func (t *nullDateTime) Nullable() {}

// dateTimeOut is a DateTime result, already formatted.
type dateTimeOut string

func (dateTimeOut) ImplementsGraphQLType(name string) bool { return name == "DateTime" }
func (t *dateTimeOut) UnmarshalGraphQL(input any) error {
	return fmt.Errorf("dateTimeOut is output only")
}

func (t dateTimeOut) MarshalJSON() ([]byte, error) { return json.Marshal(string(t)) }

// formatDateTime formats an instant as MO does: ISO with the Copenhagen offset.
func formatDateTime(t time.Time) dateTimeOut {
	return dateTimeOut(t.In(copenhagen).Format("2006-01-02T15:04:05-07:00"))
}

type dateOut string

func (dateOut) ImplementsGraphQLType(name string) bool { return name == "Date" }
func (t *dateOut) UnmarshalGraphQL(input any) error {
	s, ok := input.(string)
	if !ok {
		return fmt.Errorf("Date must be a string")
	}
	*t = dateOut(s)
	return nil
}

type gqlCPR string

func (gqlCPR) ImplementsGraphQLType(name string) bool { return name == "CPR" }

func (c *gqlCPR) UnmarshalGraphQL(input any) error {
	s, ok := input.(string)
	if !ok {
		return fmt.Errorf("CPR must be a string, got %T", input)
	}
	if len(s) != 10 {
		return fmt.Errorf("Invalid length")
	}
	if !ValidCPR(s) {
		return fmt.Errorf("Invalid CPR number")
	}
	*c = gqlCPR(s)
	return nil
}

// gqlCursor is the opaque paging cursor: a short tag, a colon, and base64 of
// {"last": <uuid>} (the keyset form of MO ≥ 58).
type gqlCursor string

func (gqlCursor) ImplementsGraphQLType(name string) bool { return name == "Cursor" }

func (c *gqlCursor) UnmarshalGraphQL(input any) error {
	s, ok := input.(string)
	if !ok {
		return fmt.Errorf("Cursor must be a string, got %T", input)
	}
	*c = gqlCursor(s)
	return nil
}

func makeCursor(last string) *gqlCursor {
	b, _ := json.Marshal(map[string]string{"last": last})
	c := gqlCursor("a1b2c3:" + base64.StdEncoding.EncodeToString(b))
	return &c
}

// last decodes the uuid the cursor points after.
func (c *gqlCursor) last() (string, error) {
	if c == nil {
		return "", nil
	}
	_, enc, ok := strings.Cut(string(*c), ":")
	if !ok {
		return "", fmt.Errorf("Invalid cursor")
	}
	b, err := base64.StdEncoding.DecodeString(enc)
	if err != nil {
		return "", fmt.Errorf("Invalid cursor")
	}
	var v struct {
		Last string `json:"last"`
	}
	if err := json.Unmarshal(b, &v); err != nil || v.Last == "" {
		return "", fmt.Errorf("Invalid cursor")
	}
	return v.Last, nil
}

// gqlInt is MO's lower-case "int" scalar used for limit.
type gqlInt int

func (gqlInt) ImplementsGraphQLType(name string) bool { return name == "int" }

func (n *gqlInt) UnmarshalGraphQL(input any) error {
	switch v := input.(type) {
	case int32:
		*n = gqlInt(v)
	case int:
		*n = gqlInt(v)
	case int64:
		*n = gqlInt(v)
	case float64:
		if v != float64(int(v)) {
			return fmt.Errorf("int must be a whole number")
		}
		*n = gqlInt(v)
	case string: // MO's int scalar also parses numeric strings
		var i int
		if _, err := fmt.Sscan(v, &i); err != nil {
			return fmt.Errorf("int cannot represent %q", v)
		}
		*n = gqlInt(i)
	default:
		return fmt.Errorf("int cannot represent %T", input)
	}
	if *n < 0 {
		return fmt.Errorf("limit must be non-negative")
	}
	return nil
}
