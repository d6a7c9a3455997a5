package watch_test

import (
	"context"
	"strings"
	"testing"

	"moxsync/engine"
	"moxsync/mo/motest"
	"moxsync/store"
)

// An MO title change reaches AD on its own, once, and the event is
// acknowledged.
func TestMOEditAppliesAtOnce(t *testing.T) {
	r := newRig(t, nil)
	r.start(nil)
	r.waitFor("start-up reconciliation", r.reconciled)
	p, e := r.employee(0)
	job := r.jobOtherThan(e)
	d := r.dir()
	acct, _ := r.account(d, p.CPR)
	before := r.writes(engine.SystemAD, acct.GUID)
	if err := r.srv.MO().SetJobFunction(e.UUID, job); err != nil {
		t.Fatal(err)
	}
	r.waitFor("the title in AD", func() bool {
		a, _ := r.account(d, p.CPR)
		return a.Attr("title") == job
	})
	r.waitFor("the event acknowledged", func() bool { return r.pending() == 0 })
	if got := r.writes(engine.SystemAD, acct.GUID) - before; got != 1 {
		t.Errorf("AD writes of the account = %d, want 1", got)
	}
	if tot := r.w.Totals(); tot.Events == 0 || len(tot.Latencies) == 0 {
		t.Errorf("totals %+v: no event counted", tot)
	}
}

// pending is how many events wait in MO for the watcher's listeners.
func (r *rig) pending() int {
	r.t.Helper()
	ls, err := r.cfg.Events.Listeners(context.Background(), r.s.Watch.ListenerPrefix)
	if err != nil {
		r.t.Fatal(err)
	}
	n := 0
	for _, l := range ls {
		n += l.Pending
	}
	return n
}

// Each routing key resolves to its person or unit and re-plans it: a new
// hire queues an AD create (a create waits), a new phone number of a
// person reaches AD at once.
func TestRoutingKeys(t *testing.T) {
	r := newRig(t, nil)
	r.start(nil)
	r.waitFor("start-up reconciliation", r.reconciled)
	ds := r.srv.Dataset
	mo := r.srv.MO()

	// person + engagement: a hire waits in the queue as an AD create.
	pid, _, err := mo.Hire(motestHire(ds))
	if err != nil {
		t.Fatal(err)
	}
	r.waitFor("the hire's AD create queued", func() bool {
		for _, it := range r.queue(store.Pending) {
			if it.Change.System == engine.SystemAD && it.Change.Op == engine.OpCreate && it.Change.MOUUID == pid {
				if !strings.Contains(it.Rule, "WATCH_APPLY_AT_ONCE") || !strings.Contains(it.Event, "MO event") {
					t.Errorf("rule %q, event %q", it.Rule, it.Event)
				}
				return true
			}
		}
		return false
	})

	// address: a phone number reaches AD.
	p, _ := r.employee(1)
	d := r.dir()
	phone := "+45 11 22 33 44"
	setPhone(t, mo, p.UUID, phone)
	r.waitFor("the phone number in AD", func() bool {
		a, _ := r.account(d, p.CPR)
		return a.Attr("telephoneNumber") == phone
	})
	r.waitFor("every event acknowledged", func() bool { return r.pending() == 0 })
}

func motestHire(ds *motest.Dataset) motest.Hire {
	return motest.Hire{GivenName: "Nanna", Surname: "Nyansat", CPR: "0101901234", UnitUUID: ds.TopUnitUUID}
}

// setPhone gives the person the phone number: their BrugerTelefon address
// changes, or one is added.
func setPhone(t *testing.T, srv *motest.Server, person, phone string) {
	t.Helper()
	done := false
	srv.Edit(func(d *motest.Dataset) {
		typ := d.ClassByUserKey(motest.FacetEmployeeAddressType, "BrugerTelefon")
		for i := range d.Addresses {
			if a := &d.Addresses[i]; a.PersonUUID == person && a.AddressTypeUUID == typ.UUID {
				a.Value, done = phone, true
			}
		}
	})
	if done {
		return
	}
	typ := srv.Dataset().ClassByUserKey(motest.FacetEmployeeAddressType, "BrugerTelefon")
	if _, err := srv.AddAddress(motest.Address{PersonUUID: person, AddressTypeUUID: typ.UUID, Value: phone}); err != nil {
		t.Fatal(err)
	}
}
