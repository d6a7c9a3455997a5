package motest

import (
	"context"

	"moxsync/engine"
)

type raValidity struct {
	From gqlDateTime
	To   *gqlDateTime
}

// validity converts a mutation's validity: before v29 "to" is an inclusive
// day, so the stored end is one day later.
func (v raValidity) validity(ver int) engine.Validity {
	out := engine.Validity{From: v.From.Time}
	if v.To != nil {
		out.To = v.To.Time
		if ver < 29 {
			out.To = out.To.AddDate(0, 0, 1)
		}
	}
	return out
}

type itUserInput struct {
	UUID        gqlUUID
	ExternalID  *string
	BindingType *string
	Person      *gqlUUID
	OrgUnit     *gqlUUID
	Engagement  *gqlUUID
	Validity    raValidity
	UserKey     *string
	Itsystem    *gqlUUID
	Note        *string
}

type itUserCreateInput struct {
	UUID        *gqlUUID
	ExternalID  *string
	BindingType *string
	Person      *gqlUUID
	OrgUnit     *gqlUUID
	Engagement  *gqlUUID
	Validity    raValidity
	UserKey     string
	Itsystem    gqlUUID
	Note        *string
}

func (in itUserCreateInput) update() itUserInput {
	return itUserInput{UUID: gqlUUID(str(in.UUID)), ExternalID: in.ExternalID, BindingType: in.BindingType, Person: in.Person,
		OrgUnit: in.OrgUnit, Engagement: in.Engagement, Validity: in.Validity, UserKey: &in.UserKey, Itsystem: &in.Itsystem, Note: in.Note}
}

type addressCreateInput struct {
	UUID        *gqlUUID
	OrgUnit     *gqlUUID
	Person      *gqlUUID
	Employee    *gqlUUID
	Engagement  *gqlUUID
	Visibility  *gqlUUID
	Validity    raValidity
	UserKey     *string
	Value       string
	AddressType gqlUUID
}

func (in addressCreateInput) update() addressInput {
	return addressInput{UUID: gqlUUID(str(in.UUID)), OrgUnit: in.OrgUnit, Person: in.Person, Employee: in.Employee, Engagement: in.Engagement,
		Visibility: in.Visibility, Validity: in.Validity, UserKey: in.UserKey, Value: &in.Value, AddressType: &in.AddressType}
}

type addressInput struct {
	UUID        gqlUUID
	OrgUnit     *gqlUUID
	Person      *gqlUUID
	Employee    *gqlUUID
	Engagement  *gqlUUID
	Visibility  *gqlUUID
	Validity    raValidity
	UserKey     *string
	Value       *string
	AddressType *gqlUUID
}

func str(u *gqlUUID) string {
	if u == nil {
		return ""
	}
	return string(*u)
}

// itResult and addrResult read the written object back for the mutation's
// response.
func (r *gqlRoot) itResult(ver int, id string) *response[*ituser] {
	q := r.s.reqState(ver)
	v := q.x.ituBy[id]
	return &response[*ituser]{q, id, v.Validity, q.ituser(v)}
}

func (r *gqlRoot) addrResult(ver int, id string) *response[*address] {
	q := r.s.reqState(ver)
	v := q.x.addrBy[id]
	return &response[*address]{q, id, v.Validity, q.address(v)}
}

func (in itUserInput) write(ver int) itWrite {
	return itWrite{
		UUID: string(in.UUID), UserKey: in.UserKey, ExternalID: in.ExternalID, ITSystem: str(in.Itsystem),
		Person: str(in.Person), Unit: str(in.OrgUnit), Engagement: str(in.Engagement),
		Validity: in.Validity.validity(ver), obj: in.obj(),
	}
}

func (in itUserInput) obj() map[string]any {
	return map[string]any{"uuid": string(in.UUID), "user_key": in.UserKey, "itsystem": str(in.Itsystem), "person": str(in.Person)}
}

func (in addressInput) write(ver int) addrWrite {
	person := str(in.Person)
	if person == "" {
		person = str(in.Employee)
	}
	return addrWrite{
		UUID: string(in.UUID), Value: in.Value, UserKey: in.UserKey, AddressType: str(in.AddressType),
		Visibility: str(in.Visibility), Person: person, Unit: str(in.OrgUnit), Engagement: str(in.Engagement),
		Validity: in.Validity.validity(ver),
		obj:      map[string]any{"uuid": string(in.UUID), "value": in.Value, "address_type": str(in.AddressType)},
	}
}

// ver returns the request's API version after the auth check.
func (r *gqlRoot) ver(ctx context.Context) (int, error) {
	q, err := r.req(ctx)
	if err != nil {
		return 0, err
	}
	return q.ver, nil
}

func (r *gqlRoot) ItuserCreate(ctx context.Context, a struct{ Input itUserCreateInput }) (*response[*ituser], error) {
	ver, err := r.ver(ctx)
	if err != nil {
		return nil, err
	}
	id, e := r.s.createITUser(a.Input.update().write(ver))
	if e != nil {
		return nil, e
	}
	return r.itResult(ver, id), nil
}

func (r *gqlRoot) ItuserUpdate(ctx context.Context, a struct{ Input itUserInput }) (*response[*ituser], error) {
	ver, err := r.ver(ctx)
	if err != nil {
		return nil, err
	}
	w := a.Input.write(ver)
	if e := r.s.updateITUser(w); e != nil {
		return nil, e
	}
	return r.itResult(ver, w.UUID), nil
}

func (r *gqlRoot) AddressCreate(ctx context.Context, a struct{ Input addressCreateInput }) (*response[*address], error) {
	ver, err := r.ver(ctx)
	if err != nil {
		return nil, err
	}
	id, e := r.s.createAddress(a.Input.update().write(ver))
	if e != nil {
		return nil, e
	}
	return r.addrResult(ver, id), nil
}

func (r *gqlRoot) AddressUpdate(ctx context.Context, a struct{ Input addressInput }) (*response[*address], error) {
	ver, err := r.ver(ctx)
	if err != nil {
		return nil, err
	}
	w := a.Input.write(ver)
	if e := r.s.updateAddress(w); e != nil {
		return nil, e
	}
	return r.addrResult(ver, w.UUID), nil
}
