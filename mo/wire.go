package mo

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"unicode/utf8"
)

// The field types of MO's answers. encoding/json leaves a field at its zero
// value both when the key is absent and when it is null, so a response that
// lacks a field would read as an empty name, a unit without parent or an
// unbounded validity. These types remember whether the key was there (its
// UnmarshalJSON is called only for a key that is present, also for null),
// so each answer can be checked for the fields MO always sends (see gap).

// wstr is a string field: v is its value, set says the key was present,
// null that its value was JSON null.
type wstr struct {
	v         string
	set, null bool
}

// str is a present, non-null wstr, for tests and literals.
func str(s string) wstr { return wstr{v: s, set: true} }

// UnmarshalJSON takes a string or null. A string without escapes is taken
// as it is, without a second decoder run (most of MO's strings).
func (w *wstr) UnmarshalJSON(b []byte) error {
	w.set, w.null, w.v = true, false, ""
	if len(b) > 0 && b[0] == 'n' { // the input is valid JSON: null
		w.null = true
		return nil
	}
	if len(b) >= 2 && b[0] == '"' {
		in := b[1 : len(b)-1]
		if bytes.IndexByte(in, '\\') < 0 && utf8.Valid(in) {
			w.v = string(in)
			return nil
		}
	}
	return json.Unmarshal(b, &w.v)
}

// wbool is a boolean field, like wstr.
type wbool struct {
	v         bool
	set, null bool
}

// UnmarshalJSON takes true, false or null.
func (w *wbool) UnmarshalJSON(b []byte) error {
	w.set, w.null, w.v = true, false, false
	switch string(b) {
	case "null":
		w.null = true
	case "true":
		w.v = true
	case "false":
	default:
		return fmt.Errorf("want a boolean, got %s", snippet(b))
	}
	return nil
}

// wopt is an object field that MO always sends but that may be null: v is
// nil for null, set says the key was present.
type wopt[T any] struct {
	v   *T
	set bool
}

// UnmarshalJSON takes an object or null.
func (o *wopt[T]) UnmarshalJSON(b []byte) error {
	o.set, o.v = true, nil
	if string(b) == "null" {
		return nil
	}
	o.v = new(T)
	return json.Unmarshal(b, o.v)
}

// gap is the first field an answer lacks (zero when it lacks none): the
// key, whether it was there but null where MO never sends null, where in
// the answer the object that lacks it is (e.g. "items[3].parent"), and that
// object's uuid when it has one. It names keys and uuids, never values, so
// no CPR number can reach a message.
type gap struct {
	key  string
	null bool
	at   string
	uuid string
}

func (g gap) ok() bool { return g.key == "" }

// under places g inside loc: the field or element of the enclosing object
// that holds the object that lacks the key.
func (g gap) under(loc string) gap {
	switch {
	case g.at == "":
		g.at = loc
	case g.at[0] == '[':
		g.at = loc + g.at
	default:
		g.at = loc + "." + g.at
	}
	return g
}

// item places g in element i of the list loc ("" for a list that is the
// whole answer).
func (g gap) item(loc string, i int) gap {
	return g.under(loc + "[" + strconv.Itoa(i) + "]")
}

// of names the object that lacks the key by its uuid, unless an inner
// object with a uuid field already did (or could not: its uuid is what is
// missing, and the location names it).
func (g gap) of(uuid wstr) gap {
	if g.ok() || g.uuid != "" {
		return g
	}
	g.uuid = noUUID
	if uuid.set && !uuid.null && uuid.v != "" {
		g.uuid = uuid.v
	}
	return g
}

// noUUID marks a gap in an object whose uuid is not known.
const noUUID = "-"

// first is the first of gs that is not ok.
func first(gs ...gap) gap {
	for _, g := range gs {
		if !g.ok() {
			return g
		}
	}
	return gap{}
}

// needStr: the key is always sent, never null.
func needStr(key string, s wstr) gap {
	switch {
	case !s.set:
		return gap{key: key}
	case s.null:
		return gap{key: key, null: true}
	}
	return gap{}
}

// needBool: the key is always sent, never null.
func needBool(key string, b wbool) gap { return needStr(key, wstr{set: b.set, null: b.null}) }

// sent: the key is always sent; null is allowed.
func sent(key string, set bool) gap {
	if !set {
		return gap{key: key}
	}
	return gap{}
}

// needObj: an object (or list) that is always sent and never null, held by
// a pointer: nil is a gap.
func needObj(key string, present bool) gap {
	if !present {
		return gap{key: key}
	}
	return gap{}
}

// nested checks an object field that may be null: the key must be there,
// and a non-null object must pass check.
func nested[T any](key string, o wopt[T], check func(*T) gap) gap {
	if !o.set {
		return gap{key: key}
	}
	if o.v == nil {
		return gap{}
	}
	if g := check(o.v); !g.ok() {
		return g.under(key)
	}
	return gap{}
}

// eachOf checks every element of list, named loc.
func eachOf[T any](loc string, list []T, check func(*T) gap) gap {
	for i := range list {
		if g := check(&list[i]); !g.ok() {
			return g.item(loc, i)
		}
	}
	return gap{}
}

// err is g as an error.
func (g gap) err() error { return &missingError{g} }

// missingError is a 2xx answer that lacks a field MO always sends (or has
// null where MO never sends null): a protocol error. It says which field,
// and where; the operation and endpoint are its *engine.Error's.
type missingError struct{ g gap }

func (e *missingError) Error() string {
	g := e.g
	verb := "lacks"
	if g.null {
		verb = "has null for"
	}
	msg := fmt.Sprintf("%s: response %s %q", errProtocol, verb, g.key)
	if g.at != "" {
		msg += " at " + g.at
	}
	if g.uuid != "" && g.uuid != noUUID {
		msg += " (object " + g.uuid + ")"
	}
	return msg
}

func (e *missingError) Unwrap() error { return errProtocol }
