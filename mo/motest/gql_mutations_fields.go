package motest

import (
	"context"

	"moxsync/engine"
)

// The mutations of AD-owned MO fields (issue #14), with v29's input types
// (TestSchemaIsSubsetOfMO checks them against MO's schema).

type engagementUpdateInput struct {
	UUID           gqlUUID
	UserKey        *string
	Primary        *gqlUUID
	Validity       raValidity
	Extension1     *string
	Extension2     *string
	Extension3     *string
	Extension4     *string
	Extension5     *string
	Extension6     *string
	Extension7     *string
	Extension8     *string
	Extension9     *string
	Extension10    *string
	Person         *gqlUUID
	Employee       *gqlUUID
	OrgUnit        *gqlUUID
	EngagementType *gqlUUID
	JobFunction    *gqlUUID
}

type addressTerminateInput struct {
	From *gqlDateTime
	To   gqlDateTime
	UUID gqlUUID
}

type validityInput struct {
	From *gqlDateTime
	To   *gqlDateTime
}

type classCreateInput struct {
	UUID      *gqlUUID
	Name      string
	UserKey   string
	FacetUUID gqlUUID
	Scope     *string
	Published string
	Validity  validityInput
}

type employeeCreateInput struct {
	UUID              *gqlUUID
	UserKey           *string
	NicknameGivenName *string
	NicknameSurname   *string
	CprNumber         *gqlCPR
	GivenName         string
	Surname           string
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func (r *gqlRoot) EngagementUpdate(ctx context.Context, a struct{ Input engagementUpdateInput }) (*response[*engagement], error) {
	ver, err := r.ver(ctx)
	if err != nil {
		return nil, err
	}
	in := a.Input
	person := str(in.Person)
	if person == "" {
		person = str(in.Employee)
	}
	w := engWrite{UUID: string(in.UUID), UserKey: in.UserKey, JobFunction: str(in.JobFunction),
		Extensions: [10]*string{in.Extension1, in.Extension2, in.Extension3, in.Extension4, in.Extension5,
			in.Extension6, in.Extension7, in.Extension8, in.Extension9, in.Extension10},
		EngagementType: str(in.EngagementType), Primary: str(in.Primary), Person: person, Unit: str(in.OrgUnit),
		Validity: in.Validity.validity(ver),
		obj:      map[string]any{"uuid": string(in.UUID), "user_key": in.UserKey, "job_function": str(in.JobFunction)}}
	if e := r.s.updateEngagement(w); e != nil {
		return nil, e
	}
	q := r.s.reqState(ver)
	v := q.x.engBy[w.UUID]
	return &response[*engagement]{q, w.UUID, v.Validity, q.engagement(v)}, nil
}

func (r *gqlRoot) AddressTerminate(ctx context.Context, a struct{ Input addressTerminateInput }) (*response[*address], error) {
	ver, err := r.ver(ctx)
	if err != nil {
		return nil, err
	}
	in := a.Input
	to := raValidity{From: in.To, To: &in.To}.validity(ver)
	id := string(in.UUID)
	if e := r.s.terminateAddress(id, engine.Validity{To: to.To}, map[string]any{"uuid": id, "to": in.To.Time}); e != nil {
		return nil, e
	}
	return r.addrResult(ver, id), nil
}

func (r *gqlRoot) EngagementTerminate(ctx context.Context, a struct{ Input addressTerminateInput }) (*response[*engagement], error) {
	ver, err := r.ver(ctx)
	if err != nil {
		return nil, err
	}
	in := a.Input
	to := raValidity{From: in.To, To: &in.To}.validity(ver)
	id := string(in.UUID)
	if e := r.s.terminateEngagement(id, to.To, map[string]any{"uuid": id, "to": in.To.Time}); e != nil {
		return nil, e
	}
	q := r.s.reqState(ver)
	v := q.x.engBy[id]
	return &response[*engagement]{q, id, v.Validity, q.engagement(v)}, nil
}

func (r *gqlRoot) ClassCreate(ctx context.Context, a struct{ Input classCreateInput }) (*response[*class], error) {
	ver, err := r.ver(ctx)
	if err != nil {
		return nil, err
	}
	in := a.Input
	id, e := r.s.createClass(classWrite{UUID: str(in.UUID), Name: in.Name, UserKey: in.UserKey, Facet: string(in.FacetUUID), Scope: deref(in.Scope)})
	if e != nil {
		return nil, e
	}
	q := r.s.reqState(ver)
	return &response[*class]{q, id, engine.Validity{}, q.classOf(q.x.classBy[id])}, nil
}

func (r *gqlRoot) EmployeeCreate(ctx context.Context, a struct{ Input employeeCreateInput }) (*response[*employee], error) {
	ver, err := r.ver(ctx)
	if err != nil {
		return nil, err
	}
	in := a.Input
	w := personWrite{UUID: str(in.UUID), UserKey: deref(in.UserKey), GivenName: in.GivenName, Surname: in.Surname,
		NicknameGivenName: deref(in.NicknameGivenName), NicknameSurname: deref(in.NicknameSurname)}
	if in.CprNumber != nil {
		w.CPR = string(*in.CprNumber)
	}
	id, e := r.s.createPerson(w)
	if e != nil {
		return nil, e
	}
	q := r.s.reqState(ver)
	p := q.x.personBy[id]
	return &response[*employee]{q, id, p.Validity, q.person(p)}, nil
}
