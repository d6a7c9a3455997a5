package mo_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"moxsync/engine"
	"moxsync/mo"
	"moxsync/mo/motest"
)

// TestFieldWritesAgainstFake: the writes of AD-owned MO fields through the
// GraphQL mutations of v29 (and v22, whose end dates are inclusive) and
// REST's /details/edit, /details/terminate and /e/create, as MO answers
// them: the write is read back by PersonNow (the stale check's re-read),
// MO's errors come back classified with MO's key, and each write emits
// MO's event of its routing key. REST has no class create.
func TestFieldWritesAgainstFake(t *testing.T) {
	for _, v := range []struct {
		api string
		ver int
	}{{mo.APIGraphQL, 29}, {mo.APIGraphQL, 22}, {mo.APIREST, 29}} {
		ver := v.ver
		t.Run(v.api+strconv.Itoa(ver), func(t *testing.T) {
			f := startFake(t, motest.SizeDemo, motest.Options{})
			c := f.client(t, v.api, ver, func(cfg *mo.Config) { cfg.EngagementExtensions = []int{3} })
			ev := f.client(t, mo.APIGraphQL, 29, nil) // MO's events are GraphQL's
			ctx := context.Background()
			ls, err := ev.DeclareListeners(ctx, "t14", []string{"engagement", "address", "class", "person"})
			if err != nil {
				t.Fatal(err)
			}
			listener := map[string]string{}
			for _, l := range ls {
				listener[l.RoutingKey] = l.UUID
			}
			before, err := c.Snapshot(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var p *engine.Person
			var addr *engine.Address
			for i := range before.People {
				q := &before.People[i]
				if len(q.Engagements) == 1 && q.Engagements[0].Validity.To.IsZero() && q.CPR != "" {
					for j := range q.Addresses {
						if q.Addresses[j].Scope == "EMAIL" && q.Addresses[j].Validity.From.Before(f.now.AddDate(0, 0, -2)) {
							p, addr = q, &q.Addresses[j]
						}
					}
				}
				if p != nil {
					break
				}
			}
			if p == nil {
				t.Fatal("no person with one open engagement and an e-mail address")
			}
			today := time.Date(f.now.Year(), f.now.Month(), f.now.Day(), 0, 0, 0, 0, f.now.Location())
			eng := p.Engagements[0]
			wantEvent := func(key, subject string) {
				t.Helper()
				f.srv.Tick()
				for i := 0; i < 50; i++ {
					e, err := ev.FetchEvent(ctx, listener[key])
					if err != nil {
						t.Fatal(err)
					}
					if e == nil {
						break
					}
					_ = ev.AckEvent(ctx, e.Token)
					if e.Subject == subject {
						return
					}
				}
				t.Errorf("no %s event for %s", key, subject)
			}

			// class_create, then engagement_update onto the new class.
			cls, err := ev.CreateClass(ctx, engine.ClassWrite{FacetUserKey: engine.FacetJobFunction, UserKey: "Ny titel", Name: "Ny titel"})
			if err != nil {
				t.Fatal(err)
			}
			wantEvent("class", cls)
			if _, err := c.CreateClass(ctx, engine.ClassWrite{FacetUserKey: engine.FacetJobFunction, UserKey: "x", Name: "x"}); v.api == mo.APIREST &&
				!errors.Is(err, mo.ErrFieldWritesNeedGraphQL) {
				t.Errorf("class create over REST: %v", err)
			}
			if err := c.UpdateEngagement(ctx, engine.EngagementWrite{UUID: eng.UUID, PersonUUID: p.UUID, JobFunctionUUID: cls, UserKey: "E-14",
				Extensions: map[string]string{"extension_3": "Fra AD"}, Validity: engine.Validity{From: today}}); err != nil {
				t.Fatal(err)
			}
			wantEvent("engagement", eng.UUID)
			if err := c.TerminateAddress(ctx, engine.AddressWrite{UUID: addr.UUID, PersonUUID: p.UUID, Validity: engine.Validity{To: today}}); err != nil {
				t.Fatal(err)
			}
			wantEvent("address", addr.UUID)
			got, err := c.PersonNow(ctx, p.UUID)
			if err != nil || got == nil {
				t.Fatalf("PersonNow: %v %v", got, err)
			}
			if e := got.Engagements[0]; e.JobFunction != "Ny titel" || e.JobFunctionUUID != cls || e.UserKey != "E-14" || !e.Validity.To.IsZero() ||
				len(e.Extensions) != 1 || e.Extensions["extension_3"] != "Fra AD" {
				t.Errorf("engagement after the update: %+v", e)
			}
			for _, a := range got.Addresses {
				if a.UUID == addr.UUID {
					t.Errorf("the terminated address is still current or future: %+v", a)
				}
			}

			// engagement_terminate, then reopened by an update without an end.
			end := today.AddDate(0, 1, 0)
			if err := c.TerminateEngagement(ctx, engine.EngagementWrite{UUID: eng.UUID, End: end, SetEnd: true}); err != nil {
				t.Fatal(err)
			}
			wantEvent("engagement", eng.UUID)
			if got, err := c.PersonNow(ctx, p.UUID); err != nil || !got.Engagements[0].Validity.To.Equal(end) {
				t.Fatalf("after the termination at %s: %+v %v", end, got.Engagements, err)
			}
			if err := c.UpdateEngagement(ctx, engine.EngagementWrite{UUID: eng.UUID, SetEnd: true, Validity: engine.Validity{From: today}}); err != nil {
				t.Fatal(err)
			}
			if got, err := c.PersonNow(ctx, p.UUID); err != nil || !got.Engagements[0].Validity.To.IsZero() {
				t.Fatalf("after reopening: %+v %v", got.Engagements, err)
			}

			// employee_create, found by its CPR afterwards.
			cpr := "0101901234"
			if ids, err := c.PeopleByCPR(ctx, cpr); err != nil || len(ids) != 0 {
				t.Fatalf("before: %v %v", ids, err)
			}
			pid, err := c.CreatePerson(ctx, engine.PersonWrite{GivenName: "Ny", Surname: "Person", CPR: cpr})
			if err != nil {
				t.Fatal(err)
			}
			wantEvent("person", pid)
			if ids, err := c.PeopleByCPR(ctx, cpr); err != nil || len(ids) != 1 || ids[0] != pid {
				t.Errorf("after: %v %v", ids, err)
			}

			// MO's errors, classified once, with MO's key.
			errs := []struct {
				name string
				do   func() error
				kind engine.Kind
				key  string
			}{
				{"a class uuid that does not exist", func() error {
					return c.UpdateEngagement(ctx, engine.EngagementWrite{UUID: eng.UUID, JobFunctionUUID: "00000000-0000-4000-8000-00000000dead", Validity: engine.Validity{From: today}})
				}, engine.KindNotFound, "E_NOT_FOUND"},
				{"a class of another facet", func() error {
					var other string
					for _, k := range before.Classes {
						if k.FacetUserKey == engine.FacetVisibility {
							other = k.UUID
						}
					}
					return c.UpdateEngagement(ctx, engine.EngagementWrite{UUID: eng.UUID, JobFunctionUUID: other, Validity: engine.Validity{From: today}})
				}, engine.KindInvalid, "E_INVALID_INPUT"},
				{"a phone number MO rejects", func() error {
					var phone string
					for _, k := range before.Classes {
						if k.UserKey == "BrugerTelefon" {
							phone = k.UUID
						}
					}
					_, err := c.CreateAddress(ctx, engine.AddressWrite{PersonUUID: p.UUID, TypeUUID: phone, Value: "+45 12 34", Validity: engine.Validity{From: today}})
					return err
				}, engine.KindInvalid, "V_INVALID_ADDRESS_PHONE"},
				{"an existing CPR", func() error {
					_, err := c.CreatePerson(ctx, engine.PersonWrite{GivenName: "To", Surname: "Gange", CPR: cpr})
					return err
				}, engine.KindConflict, "V_EXISTING_CPR"},
				{"a facet MO lacks", func() error {
					_, err := ev.CreateClass(ctx, engine.ClassWrite{FacetUserKey: "no_such_facet", UserKey: "x", Name: "x"})
					return err
				}, engine.KindNotFound, "no facet"},
				{"an address uuid that does not exist", func() error {
					return c.TerminateAddress(ctx, engine.AddressWrite{UUID: "00000000-0000-4000-8000-00000000beef", Validity: engine.Validity{To: today}})
				}, engine.KindNotFound, "E_NOT_FOUND"},
			}
			for _, e := range errs {
				err := e.do()
				if engine.KindOf(err) != e.kind || !strings.Contains(err.Error(), e.key) {
					t.Errorf("%s: %v (kind %v), want kind %v naming %s", e.name, err, engine.KindOf(err), e.kind, e.key)
				}
				if err != nil && strings.Contains(err.Error(), cpr) {
					t.Errorf("%s: the error shows the CPR number: %v", e.name, err)
				}
			}
		})
	}
}

// TestEngagementExtensionsRead: the extension fields the mapping uses are
// read with each engagement, the same by GraphQL and REST, and only those.
func TestEngagementExtensionsRead(t *testing.T) {
	f := startFake(t, motest.SizeDemo, motest.Options{})
	var withExt *motest.Engagement
	for i := range f.ds.Engagements {
		if e := &f.ds.Engagements[i]; e.Extensions[0] != "" && e.Validity.ActiveAt(f.now) {
			withExt = e
			break
		}
	}
	if withExt == nil {
		t.Fatal("the demo data has no engagement with extension_1")
	}
	f.srv.Edit(func(d *motest.Dataset) {
		for i := range d.Engagements {
			if d.Engagements[i].UUID == withExt.UUID {
				d.Engagements[i].Extensions[9] = "Tiende"
			}
		}
	})
	ctx := context.Background()
	read := func(api string, exts []int) map[string]string {
		t.Helper()
		c := f.client(t, api, 29, func(cfg *mo.Config) { cfg.EngagementExtensions = exts })
		s, err := c.Snapshot(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range s.People {
			for _, e := range p.Engagements {
				if e.UUID == withExt.UUID {
					return e.Extensions
				}
			}
		}
		t.Fatalf("%s: engagement %s not read", api, withExt.UUID)
		return nil
	}
	want := map[string]string{"extension_1": withExt.Extensions[0], "extension_10": "Tiende"}
	for _, api := range []string{mo.APIGraphQL, mo.APIREST} {
		if got := read(api, []int{1, 10}); len(got) != 2 || got["extension_1"] != want["extension_1"] || got["extension_10"] != "Tiende" {
			t.Errorf("%s with extensions 1 and 10: %v, want %v", api, got, want)
		}
		if got := read(api, nil); got != nil {
			t.Errorf("%s without extensions: %v", api, got)
		}
	}
}
