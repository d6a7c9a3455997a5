package motest

import (
	"net/http"
)

// moError is MO's HTTPException: REST answers it with its status and body;
// GraphQL reports it as "ErrorCodes.<key>" with the body in
// extensions.error_context.
type moError struct {
	Status int
	Key    string
	Desc   string
	Extra  map[string]any
}

func (e *moError) Error() string { return "ErrorCodes." + e.Key }

func (e *moError) body() map[string]any {
	b := map[string]any{"error": true, "status": e.Status, "error_key": e.Key, "description": e.Desc}
	for k, v := range e.Extra {
		b[k] = v
	}
	return b
}

// Extensions makes graphql-go put the body into the error's extensions.
func (e *moError) Extensions() map[string]any {
	return map[string]any{"error_context": e.body()}
}

func newMOError(status int, key, desc string, extra ...any) *moError {
	e := &moError{Status: status, Key: key, Desc: desc}
	if len(extra) > 0 {
		e.Extra = map[string]any{}
		for i := 0; i+1 < len(extra); i += 2 {
			e.Extra[extra[i].(string)] = extra[i+1]
		}
	}
	return e
}

func errUserNotFound(id string) *moError {
	return newMOError(404, "E_USER_NOT_FOUND", "User not found.", "employee_uuid", id)
}

func errOrgUnitNotFound(id string) *moError {
	return newMOError(404, "E_ORG_UNIT_NOT_FOUND", "Org unit not found.", "org_unit_uuid", id)
}

func errNotFound(key, id string) *moError {
	return newMOError(404, "E_NOT_FOUND", "Not found.", key, id)
}

func errNoSuchEndpoint() *moError {
	return newMOError(404, "E_NO_SUCH_ENDPOINT", "No such endpoint.")
}

func errInvalidInput(desc string, extra ...any) *moError {
	return newMOError(400, "E_INVALID_INPUT", desc, extra...)
}

func errMissing(key string, obj any) *moError {
	return newMOError(400, "V_MISSING_REQUIRED_VALUE", "Missing "+key, "key", key, "obj", obj)
}

func errMissingStart(obj any) *moError {
	return newMOError(400, "V_MISSING_START_DATE", "Missing start date.", "obj", obj)
}

func errEndBeforeStart(obj any) *moError {
	return newMOError(400, "V_END_BEFORE_START", "End date is before start date.", "obj", obj)
}

func errUnknown(desc string) *moError {
	return newMOError(500, "E_UNKNOWN", desc)
}

func writeMOError(w http.ResponseWriter, e *moError) {
	writeJSON(w, e.Status, e.body())
}
