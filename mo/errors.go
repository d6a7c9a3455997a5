package mo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"moxsync/engine"
)

// APIError is an error answer from MO: an HTTP status other than 2xx, or a
// GraphQL error. ErrorKey and Description come from MO's error body
// ({"error": true, "error_key", "description", "status"}) or from a GraphQL
// error's extensions.error_context; Message holds any other text MO sent.
type APIError struct {
	Status      int    // HTTP status, or error_context.status for GraphQL
	ErrorKey    string // e.g. E_USER_NOT_FOUND, V_MISSING_REQUIRED_VALUE
	Description string
	Message     string // GraphQL message, or the msg / bare string of auth errors
}

func (e *APIError) Error() string {
	var parts []string
	if e.Status != 0 {
		parts = append(parts, fmt.Sprintf("HTTP %d", e.Status))
	}
	for _, p := range []string{e.ErrorKey, e.Description} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	// GraphQL's message for a REST-style error is "ErrorCodes.<key>":
	// nothing new once the key is shown.
	if m := e.Message; m != "" && m != e.Description && (e.ErrorKey == "" || !strings.Contains(m, e.ErrorKey)) {
		parts = append(parts, m)
	}
	return strings.Join(parts, ": ")
}

// kind classifies an MO answer.
func (e *APIError) kind() engine.Kind {
	switch {
	case e.Status == http.StatusUnauthorized || strings.Contains(e.Message, msgNotAuthenticated):
		return engine.KindAuth
	case e.Status == http.StatusForbidden || strings.Contains(e.Message, "No policy approved"):
		return engine.KindPermission
	case e.Status == http.StatusNotFound || strings.HasSuffix(e.ErrorKey, "NOT_FOUND"):
		return engine.KindNotFound
	case e.Status == http.StatusConflict || e.ErrorKey == "V_EXISTING_CPR" || e.ErrorKey == "V_DUPLICATED_IT_USER":
		return engine.KindConflict
	case e.Status == http.StatusTooManyRequests || e.Status >= 500:
		return engine.KindUnavailable
	case e.Status >= 400 || strings.HasPrefix(e.ErrorKey, "V_") || strings.HasPrefix(e.ErrorKey, "E_INVALID"):
		return engine.KindInvalid
	}
	return engine.KindOther
}

// msgNotAuthenticated is GraphQL's answer to a missing or invalid token.
const msgNotAuthenticated = "User is not authenticated"

// parseErrorBody reads MO's REST error body, in any of its forms: the
// {"error": true, ...} object, {"status", "msg"} of auth errors, or a bare
// JSON string ("Not authenticated").
func parseErrorBody(status int, body []byte) *APIError {
	e := &APIError{Status: status}
	var obj struct {
		ErrorKey    string `json:"error_key"`
		Description string `json:"description"`
		Msg         string `json:"msg"`
		Detail      any    `json:"detail"`
	}
	var s string
	switch {
	case json.Unmarshal(body, &obj) == nil:
		e.ErrorKey, e.Description, e.Message = obj.ErrorKey, obj.Description, obj.Msg
		if e.Message == "" && obj.Detail != nil {
			e.Message = fmt.Sprint(obj.Detail)
		}
	case json.Unmarshal(body, &s) == nil:
		e.Message = s
	default:
		e.Message = snippet(body)
	}
	if e.ErrorKey == "" && e.Description == "" && e.Message == "" {
		e.Message = http.StatusText(status)
	}
	return e
}

// snippet is a short, single-line excerpt of a body for error messages.
func snippet(b []byte) string {
	s := strings.Join(strings.Fields(string(b)), " ")
	if len(s) > 120 {
		s = s[:120] + "…"
	}
	return s
}

// errProtocol marks a 2xx answer that is not what MO sends: a body that is
// not MO's JSON (errMalformed), or one that lacks a field MO always sends
// (missingError). classify makes it engine.KindProtocol: a snapshot is
// never read from such an answer.
var errProtocol = errors.New("MO protocol error")

// errMalformed marks a 2xx answer whose body is not what MO sends.
var errMalformed = fmt.Errorf("%w: malformed response", errProtocol)

// classify wraps err, met while calling endpoint for op, into an
// *engine.Error with the right Kind. An *engine.Error passes through.
func classify(op, endpoint string, err error) error {
	if err == nil {
		return nil
	}
	var ee *engine.Error
	if errors.As(err, &ee) {
		return err
	}
	var ae *APIError
	switch {
	case errors.As(err, &ae):
		return engine.E(ae.kind(), op, endpoint, err)
	case errors.Is(err, context.Canceled):
		return engine.E(engine.KindOther, op, endpoint, err)
	case errors.Is(err, errProtocol):
		return engine.E(engine.KindProtocol, op, endpoint, err)
	case errors.Is(err, errAuthServer):
		return engine.E(engine.KindAuth, op, endpoint, err)
	}
	// Network errors, timeouts and anything else on the wire.
	return engine.E(engine.KindUnavailable, op, endpoint, err)
}
