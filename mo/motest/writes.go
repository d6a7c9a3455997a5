package motest

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/google/uuid"

	"moxsync/engine"
)

// itWrite is an IT user create or edit, from REST or GraphQL. Nil pointers
// are fields the request left out.
type itWrite struct {
	UUID       string
	UserKey    *string
	ExternalID *string
	ITSystem   string
	Person     string
	Unit       string
	Engagement string
	Validity   engine.Validity // From zero: missing start date
	obj        any             // the request object, echoed in errors
}

// addrWrite is an address create or edit.
type addrWrite struct {
	UUID        string
	Value       *string
	UserKey     *string
	AddressType string
	Visibility  string
	Person      string
	Unit        string
	Engagement  string
	Validity    engine.Validity
	Force       bool
	obj         any
}

func checkValidity(v engine.Validity, obj any) *moError {
	if v.From.IsZero() {
		return errMissingStart(obj)
	}
	if !v.To.IsZero() && !v.To.After(v.From) {
		return errEndBeforeStart(obj)
	}
	return nil
}

// owner checks the exactly-one-of person/org_unit rule and that the owner
// exists.
func (x *index) owner(person, unit string) *moError {
	if (person == "") == (unit == "") {
		return errInvalidInput("Must supply exactly one org_unit or person UUID")
	}
	if person != "" && x.personBy[person] == nil {
		return errUserNotFound(person)
	}
	if unit != "" && x.unitBy[unit] == nil {
		return errOrgUnitNotFound(unit)
	}
	return nil
}

// The writes below change s.d and the index together; the caller holds
// s.rw exclusively.

func (s *Server) createITUser(w itWrite) (string, *moError) {
	x := s.idx.Load()
	if e := checkValidity(w.Validity, w.obj); e != nil {
		return "", e
	}
	if w.ITSystem == "" {
		return "", errMissing("itsystem", w.obj)
	}
	if x.itsysBy[w.ITSystem] == nil {
		return "", errNotFound("itsystem_uuid", w.ITSystem)
	}
	if e := x.owner(w.Person, w.Unit); e != nil {
		return "", e
	}
	if w.Engagement != "" && x.engBy[w.Engagement] == nil {
		return "", errNotFound("engagement_uuid", w.Engagement)
	}
	id := w.UUID
	if id == "" {
		id = uuid.NewString()
	} else if x.ituBy[id] != nil {
		return "", errInvalidInput("Object with uuid already exists", "uuid", id)
	}
	it := ITUser{UUID: id, UserKey: id, ITSystemUUID: w.ITSystem, PersonUUID: w.Person, UnitUUID: w.Unit, EngagementUUID: w.Engagement, Validity: w.Validity}
	if w.UserKey != nil && *w.UserKey != "" {
		it.UserKey = *w.UserKey
	}
	if w.ExternalID != nil {
		it.ExternalID = *w.ExternalID
	}
	if e := x.duplicateITUser(&it); e != nil {
		return "", e
	}
	s.pos.itu[id] = len(s.d.ITUsers)
	s.d.ITUsers = append(s.d.ITUsers, it)
	x.putITUser(it)
	s.emitWrite("ituser", id, it.Validity)
	return id, nil
}

// duplicateITUser rejects a second account with the same name in the same
// IT system for the same owner at overlapping times.
func (x *index) duplicateITUser(it *ITUser) *moError {
	owner := it.PersonUUID + it.UnitUUID
	candidates := x.itus
	switch {
	case it.PersonUUID != "" && it.UnitUUID == "":
		candidates = x.itusByPerson[it.PersonUUID]
	case it.UnitUUID != "" && it.PersonUUID == "":
		candidates = x.itusByUnit[it.UnitUUID]
	}
	for _, o := range candidates {
		if o.UUID != it.UUID && o.ITSystemUUID == it.ITSystemUUID && o.UserKey == it.UserKey && o.PersonUUID+o.UnitUUID == owner &&
			(span{o.Validity.From, o.Validity.To}).overlaps(it.Validity) {
			return newMOError(400, "V_DUPLICATED_IT_USER", "Duplicated IT user.", "user_key", it.UserKey)
		}
	}
	return nil
}

// updateITUser applies an edit: the changed fields hold from the edit's
// start; the fake keeps no history, so the object's validity becomes the
// edit's.
func (s *Server) updateITUser(w itWrite) *moError {
	x := s.idx.Load()
	i, ok := s.pos.itu[w.UUID]
	if !ok {
		return errNotFound("uuid", w.UUID)
	}
	if e := checkValidity(w.Validity, w.obj); e != nil {
		return e
	}
	it := s.d.ITUsers[i]
	if w.UserKey != nil {
		it.UserKey = *w.UserKey
	}
	if w.ExternalID != nil {
		it.ExternalID = *w.ExternalID
	}
	if w.ITSystem != "" {
		if x.itsysBy[w.ITSystem] == nil {
			return errNotFound("itsystem_uuid", w.ITSystem)
		}
		it.ITSystemUUID = w.ITSystem
	}
	if w.Person != "" || w.Unit != "" {
		if e := x.owner(w.Person, w.Unit); e != nil {
			return e
		}
		it.PersonUUID, it.UnitUUID = w.Person, w.Unit
	}
	if w.Engagement != "" {
		if x.engBy[w.Engagement] == nil {
			return errNotFound("engagement_uuid", w.Engagement)
		}
		it.EngagementUUID = w.Engagement
	}
	it.Validity = w.Validity
	if e := x.duplicateITUser(&it); e != nil {
		return e
	}
	s.d.ITUsers[i] = it
	x.putITUser(it)
	s.emitWrite("ituser", it.UUID, it.Validity)
	return nil
}

var (
	reEmail = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s.]+$`)
	rePhone = regexp.MustCompile(`^\+?\d+$`)
	reEAN   = regexp.MustCompile(`^\d{13}$`)
	rePNum  = regexp.MustCompile(`^\d{10}$`)
)

// checkAddressValue is MO's per-scope value validation (skipped with force).
func checkAddressValue(scope, value string) *moError {
	bad := func(key, desc string) *moError {
		return newMOError(400, "V_INVALID_ADDRESS_"+key, desc, "value", value)
	}
	switch scope {
	case "EMAIL":
		if !reEmail.MatchString(value) {
			return bad("EMAIL", "Invalid email address.")
		}
	case "PHONE":
		if !rePhone.MatchString(value) {
			return bad("PHONE", "Invalid phone number.")
		}
	case "EAN":
		if !reEAN.MatchString(value) {
			return bad("EAN", "Invalid EAN number.")
		}
	case "PNUMBER":
		if !rePNum.MatchString(value) {
			return bad("PNUMBER", "Invalid P-number.")
		}
	case "WWW":
		u, err := url.Parse(value)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return bad("WWW", "Invalid web address.")
		}
	case "DAR":
		if _, err := uuid.Parse(value); err != nil {
			return bad("DAR", "Invalid DAR address.")
		}
	}
	return nil
}

// darText finds the text of a DAR address uuid among the known addresses
// (the fake's stand-in for a DAR lookup).
func (x *index) darText(value string) string {
	for _, a := range x.addrs {
		if a.Value == value && a.DARText != "" {
			return a.DARText
		}
	}
	return ""
}

func (s *Server) createAddress(w addrWrite) (string, *moError) {
	x := s.idx.Load()
	if e := checkValidity(w.Validity, w.obj); e != nil {
		return "", e
	}
	if w.AddressType == "" {
		return "", errMissing("address_type", w.obj)
	}
	if w.Value == nil {
		return "", errMissing("value", w.obj)
	}
	typ := x.classBy[w.AddressType]
	if typ == nil {
		return "", errNotFound("address_type_uuid", w.AddressType)
	}
	if w.Visibility != "" && x.classBy[w.Visibility] == nil {
		return "", errNotFound("visibility_uuid", w.Visibility)
	}
	if e := x.owner(w.Person, w.Unit); e != nil {
		return "", e
	}
	if w.Engagement != "" && x.engBy[w.Engagement] == nil {
		return "", errNotFound("engagement_uuid", w.Engagement)
	}
	if !w.Force {
		if e := checkAddressValue(typ.Scope, *w.Value); e != nil {
			return "", e
		}
	}
	id := w.UUID
	if id == "" {
		id = uuid.NewString()
	} else if x.addrBy[id] != nil {
		return "", errInvalidInput("Object with uuid already exists", "uuid", id)
	}
	a := Address{UUID: id, Value: *w.Value, AddressTypeUUID: w.AddressType, VisibilityUUID: w.Visibility,
		PersonUUID: w.Person, UnitUUID: w.Unit, EngagementUUID: w.Engagement, Validity: w.Validity}
	if typ.Scope == "DAR" {
		a.DARText = x.darText(a.Value)
	}
	a.UserKey = x.addressName(&a)
	if w.UserKey != nil && *w.UserKey != "" {
		a.UserKey = *w.UserKey
	}
	s.pos.addr[id] = len(s.d.Addresses)
	s.d.Addresses = append(s.d.Addresses, a)
	x.putAddress(a)
	s.emitWrite("address", id, a.Validity)
	return id, nil
}

func (s *Server) updateAddress(w addrWrite) *moError {
	x := s.idx.Load()
	i, ok := s.pos.addr[w.UUID]
	if !ok {
		return errNotFound("uuid", w.UUID)
	}
	if e := checkValidity(w.Validity, w.obj); e != nil {
		return e
	}
	if w.Value != nil && w.AddressType == "" {
		return errMissing("address_type", w.obj)
	}
	a := s.d.Addresses[i]
	if w.AddressType != "" {
		if x.classBy[w.AddressType] == nil {
			return errNotFound("address_type_uuid", w.AddressType)
		}
		a.AddressTypeUUID = w.AddressType
	}
	if w.Value != nil {
		if !w.Force {
			if e := checkAddressValue(x.classBy[a.AddressTypeUUID].Scope, *w.Value); e != nil {
				return e
			}
		}
		a.Value = *w.Value
		a.DARText = ""
		if x.classBy[a.AddressTypeUUID].Scope == "DAR" {
			a.DARText = x.darText(a.Value)
		}
	}
	if w.Visibility != "" {
		if x.classBy[w.Visibility] == nil {
			return errNotFound("visibility_uuid", w.Visibility)
		}
		a.VisibilityUUID = w.Visibility
	}
	if w.Person != "" || w.Unit != "" {
		if e := x.owner(w.Person, w.Unit); e != nil {
			return e
		}
		a.PersonUUID, a.UnitUUID = w.Person, w.Unit
	}
	if w.Engagement != "" {
		a.EngagementUUID = w.Engagement
	}
	if w.UserKey != nil {
		a.UserKey = *w.UserKey
	}
	a.Validity = w.Validity
	s.d.Addresses[i] = a
	x.putAddress(a)
	s.emitWrite("address", a.UUID, a.Validity)
	return nil
}

// midnight checks that a written date is at local midnight, as MO's REST
// API requires.
func midnight(t time.Time) *moError {
	if t.IsZero() {
		return nil
	}
	l := t.In(copenhagen)
	if l.Hour() != 0 || l.Minute() != 0 || l.Second() != 0 || l.Nanosecond() != 0 {
		return errInvalidInput(fmt.Sprintf("%s is not at midnight!", strings.TrimSpace(l.Format(time.RFC3339))))
	}
	return nil
}
