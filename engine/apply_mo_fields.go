package engine

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// executeMOField applies an MO write of a field an AD rule owns: an
// engagement update, an address create, update or terminate, a new job
// function class, a person made from AD. The MO object is re-read first
// (MOPersonReader) and the change is stale when it no longer holds the
// plan's Before values.
func (ap *applier) executeMOField(ctx context.Context, c *Change, r Result) Result {
	fw, ok := ap.o.MO.(MOFieldWriter)
	if !ok {
		return r.with(ResultFailed, KindInvalid, errors.New("this MO writer cannot write engagements, addresses, classes or people"))
	}
	reader, _ := ap.o.MO.(MOPersonReader)
	switch {
	case c.Class != nil:
		if c.Op != OpCreate {
			break
		}
		uuid, err := fw.CreateClass(ctx, *c.Class)
		if err != nil {
			return outcome(r, err)
		}
		ap.setCreatedMO(c.ID, uuid)
		r.NewKey, r.Status = uuid, ResultOK
		return r
	case c.Person != nil:
		if c.Op != OpCreate {
			break
		}
		if reader != nil && c.Person.CPR != "" {
			ids, err := reader.PeopleByCPR(ctx, c.Person.CPR)
			if err != nil {
				return outcome(r, err)
			}
			if len(ids) > 0 {
				return stale(r, "MO has a person with CPR %s already (%s)", MaskCPR(c.Person.CPR), strings.Join(ids, ", "))
			}
		}
		uuid, err := fw.CreatePerson(ctx, *c.Person)
		if err != nil {
			return outcome(r, err)
		}
		ap.setCreatedMO(c.ID, uuid)
		r.NewKey, r.Status = uuid, ResultOK
		return r
	case c.Engagement != nil:
		if c.Op != OpUpdate {
			break
		}
		w := *c.Engagement
		if w.JobFunctionUUID == KnownAfterApply {
			ap.mu.Lock()
			w.JobFunctionUUID = ap.createdMO[c.DependsOn]
			ap.mu.Unlock()
			if w.JobFunctionUUID == "" {
				return r.with(ResultFailed, KindInvalid, errors.New("the job function class this update names was not created in this run"))
			}
		}
		if reader != nil {
			p, err := reader.PersonNow(ctx, w.PersonUUID)
			if err != nil {
				return outcome(r, err)
			}
			if w.SetEnd && endsAt(p, w.UUID, w.End) {
				// The engagement's other update of this run, which carries
				// the same end, was applied first.
				r.Status, r.Note = ResultOK, "MO already ends the engagement as planned; nothing written"
				return r
			}
			if why := engagementStale(c, p, w.UUID); why != "" {
				return stale(r, "%s", why)
			}
		}
		r.filled = map[string]string{"job_function": w.JobFunctionUUID}
		if w.JobFunctionUUID == c.Engagement.JobFunctionUUID {
			r.filled = nil
		}
		if w.SetEnd && !w.End.IsZero() {
			if w.EndBefore.IsZero() || w.End.Before(w.EndBefore) {
				return outcome(r, fw.TerminateEngagement(ctx, w))
			}
			w.Validity.To = w.End // later than MO's end: extended to it
		}
		return outcome(r, fw.UpdateEngagement(ctx, w))
	case c.Address != nil:
		w := *c.Address
		if reader != nil {
			p, err := reader.PersonNow(ctx, w.PersonUUID)
			if err != nil {
				return outcome(r, err)
			}
			if why := addressStale(c, p); why != "" {
				return stale(r, "%s", why)
			}
		}
		switch c.Op {
		case OpCreate:
			uuid, err := ap.o.MO.CreateAddress(ctx, w)
			if err != nil {
				return outcome(r, err)
			}
			r.NewKey, r.Status = uuid, ResultOK
			return r
		case OpUpdate:
			return outcome(r, ap.o.MO.UpdateAddress(ctx, w))
		case OpDelete:
			return outcome(r, fw.TerminateAddress(ctx, w))
		}
	default:
		return r.with(ResultFailed, KindInvalid, errors.New("MO change without a payload"))
	}
	return r.with(ResultFailed, KindInvalid, fmt.Errorf("unsupported MO operation %q", c.Op))
}

func (ap *applier) setCreatedMO(id, uuid string) {
	ap.mu.Lock()
	ap.createdMO[id] = uuid
	ap.mu.Unlock()
}

// engagementStale says why the engagement update c no longer fits what
// MO holds (p as re-read), or "".
func engagementStale(c *Change, p *Person, uuid string) string {
	if p == nil {
		return "the person " + c.MOUUID + " no longer exists in MO"
	}
	var e *Engagement
	for i := range p.Engagements {
		if p.Engagements[i].UUID == uuid {
			e = &p.Engagements[i]
		}
	}
	if e == nil {
		return "the engagement " + uuid + " no longer exists in MO"
	}
	for _, f := range c.Fields {
		now := ""
		switch f.Attr {
		case "job_function":
			now = e.JobFunction
		case "user_key":
			now = e.UserKey
		case "end_date":
			if !e.Validity.To.Equal(c.Engagement.EndBefore) {
				return fmt.Sprintf("the engagement's end is %s in MO, not as planned (%q)", e.Validity.To.Format(time.RFC3339), f.Before)
			}
			continue
		default:
			if !strings.HasPrefix(f.Attr, "extension_") {
				continue
			}
			now = e.Extensions[f.Attr]
		}
		if now != f.Before {
			return fmt.Sprintf("the engagement's %s is %q in MO, the plan expected %q", f.Attr, now, f.Before)
		}
	}
	return ""
}

// addressStale says why the address write c no longer fits what MO holds
// (p as re-read), or "": the address changed or went away, or, for a
// create, the person has an address of the type already.
func addressStale(c *Change, p *Person) string {
	if p == nil {
		return "the person " + c.MOUUID + " no longer exists in MO"
	}
	w := c.Address
	if c.Op == OpCreate {
		for _, a := range p.Addresses {
			if a.TypeUUID == w.TypeUUID && a.Validity.CurrentOrFuture(w.Validity.From) && !a.secret() {
				return "MO has an address of this type already (" + a.UUID + ")"
			}
		}
		return ""
	}
	for _, a := range p.Addresses {
		if a.UUID != w.UUID {
			continue
		}
		if len(c.Fields) == 1 && a.Value != c.Fields[0].Before {
			return fmt.Sprintf("the address is %q in MO, the plan expected %q", a.Value, c.Fields[0].Before)
		}
		return ""
	}
	return "the address " + w.UUID + " no longer exists in MO"
}

// endsAt reports whether p's engagement uuid ends at end (zero: open).
func endsAt(p *Person, uuid string, end time.Time) bool {
	if p == nil {
		return false
	}
	for i := range p.Engagements {
		if p.Engagements[i].UUID == uuid {
			return p.Engagements[i].Validity.To.Equal(end)
		}
	}
	return false
}
