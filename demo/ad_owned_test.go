package demo

import (
	"context"
	"strings"
	"testing"

	"moxsync/engine"
	"moxsync/mo"
	"moxsync/wiring"
)

// applyPlan applies every change of p in w, each approved by id (deletes
// allowed), failing the test on a change that is not written.
func applyPlan(t *testing.T, w *World, p *engine.Plan) engine.Summary {
	t.Helper()
	o, closeAudit, err := w.ApplyOptions(true)
	if err != nil {
		t.Fatal(err)
	}
	defer closeAudit()
	// A plan made in this run: a username AD says is taken since (another
	// run on the same DC) takes the generator's next candidate.
	o.UsernameClash = engine.ClashNextCandidate
	for i := range p.Changes {
		if engine.Destructive(&p.Changes[i]) {
			o.AllowDeletes++
		}
		o.Only = append(o.Only, p.Changes[i].ID) // each approved (people from AD need it)
	}
	sum, err := engine.Apply(context.Background(), p, o)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range sum.Results {
		if r.Status != engine.ResultOK {
			t.Errorf("%s %s %s: %s: %s", r.System, r.Op, r.Subject, r.Status, r.Error)
		}
	}
	return sum
}

func newWorld(t *testing.T, settings map[string]string) *World {
	t.Helper()
	w, err := New(context.Background(), Options{Seed: 4, Settings: settings})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	return w
}

// converge applies the first plan and returns it; the rerun must plan
// nothing (zero writes).
func converge(t *testing.T, w *World) *engine.Plan {
	t.Helper()
	ctx := context.Background()
	p, err := w.MakePlan(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	applyPlan(t, w, p)
	again, err := w.MakePlan(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(again.Changes) != 0 {
		for i, c := range again.Changes {
			if i < 5 {
				t.Errorf("rerun: %s %s %s %+v", c.System, c.Op, c.Subject, c.Fields)
				for _, f := range p.Changes {
					if f.Subject == c.Subject {
						t.Logf("  first plan: %s %s %+v %+v", f.System, f.Op, f.Fields, f.Engagement)
					}
				}
			}
		}
		t.Fatalf("the rerun plans %d changes, want 0", len(again.Changes))
	}
	return p
}

// TestADOwnedDirectionsOnTheFakes: against the fake MO (GraphQL) and the
// fake AD, each AD → MO direction (and accountExpires from MO's end date)
// plans MO changes naming the AD attribute they come from, applies them
// through MO's mutations, and the rerun writes nothing.
func TestADOwnedDirectionsOnTheFakes(t *testing.T) {
	tests := []struct {
		name    string
		mapping string
		attr    string // the MO field (or AD attribute) the changes write
		source  string
		system  engine.System
	}{
		{"title onto the job function", "title = ad engagement.job_function", "job_function", "ad title", engine.SystemMO},
		{"phone onto the phone address", "telephoneNumber = ad address.BrugerTelefon", "address.BrugerTelefon", "ad telephoneNumber", engine.SystemMO},
		{"mail onto the e-mail address", "mail = ad address.EMAIL", "address.EMAIL", "ad mail", engine.SystemMO},
		{"end date to accountExpires", "accountExpires = mo engagement.end_date", "accountExpires", "mo engagement.end_date", engine.SystemAD},
		{"an extension field to AD", "division = mo engagement.extension_1", "division", "mo engagement.extension_1", engine.SystemAD},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t, map[string]string{"AD_MAPPING": tt.mapping})
			p := converge(t, w)
			n := 0
			for _, c := range p.Changes {
				for _, f := range c.Fields {
					if c.System == tt.system && f.Attr == tt.attr && f.Source == tt.source {
						n++
						if tt.system == engine.SystemMO && f.Before == f.After {
							t.Errorf("%s: %q → %q", c.Subject, f.Before, f.After)
						}
					}
				}
			}
			if n == 0 {
				t.Errorf("the first plan has no %s change of %s from %s", tt.system, tt.attr, tt.source)
			}
		})
	}
}

// TestADOwnedConflictOnTheFakes: AD owns the title. Both sides are edited
// after a plan: MO's job function changes, so apply finds the MO
// engagement stale (re-read before the write) and writes nothing; the
// next plan shows MO corrected from its new value to AD's, and after it
// nothing is left.
func TestADOwnedConflictOnTheFakes(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, map[string]string{"AD_MAPPING": "title = ad engagement.job_function"})
	p, err := w.MakePlan(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	var c *engine.Change
	for i := range p.Changes {
		if p.Changes[i].Engagement != nil && p.Changes[i].Engagement.JobFunctionUUID != "" {
			c = &p.Changes[i]
			break
		}
	}
	if c == nil {
		t.Fatal("no job function change in the plan")
	}
	adTitle := c.Fields[0].After
	mine := ""
	for _, name := range []string{"Pædagog", "Sagsbehandler", "Lærer"} {
		if name != adTitle && name != c.Fields[0].Before {
			mine = name
			break
		}
	}
	if err := w.Servers.MO().SetJobFunction(c.Target.UUID, mine); err != nil {
		t.Fatal(err)
	}
	o, closeAudit, err := w.ApplyOptions(true)
	if err != nil {
		t.Fatal(err)
	}
	o.Only = []string{c.ID}
	sum, err := engine.Apply(ctx, p, o)
	closeAudit()
	if err != nil || sum.Stale != 1 || !strings.Contains(sum.Results[0].Error, `is "`+mine+`" in MO, the plan expected`) {
		t.Fatalf("apply of the stale change: %+v %v", sum.Results, err)
	}
	next, err := w.MakePlan(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, n := range next.Changes {
		if n.Target.UUID == c.Target.UUID && n.Engagement != nil {
			found = n.Fields[0].Before == mine && n.Fields[0].After == adTitle && n.Fields[0].Source == "ad title"
		}
	}
	if !found {
		t.Errorf("the next plan does not correct MO from %q to AD's %q", mine, adTitle)
	}
	applyPlan(t, w, next)
	if last, _ := w.MakePlan(ctx, nil); len(last.Changes) != 0 {
		t.Errorf("after the correction %d changes remain", len(last.Changes))
	}
}

// TestADOwnedNoWriteLoopOnTheFakes: AD owns the title and the e-mail,
// description takes the job function from MO: one apply converges and
// MO → AD planning after the AD → MO write-back plans nothing.
func TestADOwnedNoWriteLoopOnTheFakes(t *testing.T) {
	w := newWorld(t, map[string]string{"AD_MAPPING": "title = ad engagement.job_function\nmail = ad address.EMAIL\ndescription = mo engagement.job_function"})
	converge(t, w)
}

// TestPeopleFromADOnTheFakes: with AD_CREATE_MO_PEOPLE, the demo's
// accounts that no MO person matches become MO people with their AD IT
// user (the service account without a CPR is a warning); the rerun
// leaves them alone.
func TestPeopleFromADOnTheFakes(t *testing.T) {
	w := newWorld(t, map[string]string{"AD_CREATE_MO_PEOPLE": "true", "AD_CREATE_MO_PEOPLE_OUS": "OU=Brugere"})
	p := converge(t, w)
	people, itUsers := 0, 0
	for _, c := range p.Changes {
		switch {
		case c.Person != nil:
			people++
			if !strings.HasPrefix(c.Subject, "Fratrådt Medarbejder") {
				t.Errorf("person made from %s", c.Subject)
			}
		case c.ITUser != nil && c.ITUser.PersonUUID == engine.KnownAfterApply:
			itUsers++
		}
	}
	if people == 0 || itUsers != people {
		t.Errorf("%d people and %d IT users created", people, itUsers)
	}
	warned := false
	for _, wn := range p.Warnings {
		warned = warned || (wn.Code == engine.WarnADPersonCPR && wn.Subject == "svc-backup")
	}
	if !warned {
		t.Error("no warning for the service account without a CPR")
	}
}

// TestADOwnedExtensionOnTheFakes: AD owns extension_2 (employeeType), and
// division takes it from MO. An admin sets employeeType: one plan writes
// MO's extension_2 and AD's division from it, and the rerun is empty.
func TestADOwnedExtensionOnTheFakes(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, map[string]string{"AD_MAPPING": "employeeType = ad engagement.extension_2\ndivision = mo engagement.extension_2"})
	converge(t, w)
	accts, err := w.Dir.Accounts(ctx, w.PlanOptions.Mapping.ReadAttributes())
	if err != nil {
		t.Fatal(err)
	}
	cprs := map[string]int{}
	for _, x := range accts {
		cprs[x.CPR]++
	}
	var a *engine.Account
	for i := range accts {
		if !accts[i].Disabled() && accts[i].CPR != "" && cprs[accts[i].CPR] == 1 && len(accts[i].Attrs["employeetype"]) == 0 {
			a = &accts[i]
			break
		}
	}
	if a == nil {
		t.Fatal("no enabled account")
	}
	if err := w.Dir.Modify(ctx, a.DN, []engine.AttrChange{{Attr: "employeetype", After: []string{"Vikar"}}}); err != nil {
		t.Fatal(err)
	}
	p, err := w.MakePlan(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	var moSet, adSet bool
	for _, c := range p.Changes {
		for _, f := range c.Fields {
			moSet = moSet || (c.System == engine.SystemMO && f.Attr == "extension_2" && f.After == "Vikar" && f.Source == "ad employeeType")
			adSet = adSet || (c.System == engine.SystemAD && c.Target.GUID == a.GUID && f.Attr == "division" && f.After == "Vikar")
		}
	}
	if !moSet || !adSet {
		for _, c := range p.Changes {
			t.Logf("%s %s %s %+v", c.System, c.Op, c.Subject, c.Fields)
		}
		t.Fatalf("plan: MO extension_2 from AD %v, AD division from it %v (account %s)", moSet, adSet, a.DN)
	}
	applyPlan(t, w, p)
	if again, _ := w.MakePlan(ctx, nil); len(again.Changes) != 0 {
		t.Errorf("the rerun plans %d changes", len(again.Changes))
	}
}

// The settings of AD-owned fields reach the demo through Options.Settings
// (demo --config), as any sync-shaping key does.
func TestDemoTakesADOwnedSettings(t *testing.T) {
	extra := map[string]string{"AD_MAPPING": "title = ad engagement.job_function", "AD_CREATE_JOB_FUNCTIONS": "true",
		"OS2MO_ADDRESS_VISIBILITY": "Public", "AD_CREATE_MO_PEOPLE": "true", "AD_CREATE_MO_PEOPLE_OUS": "OU=Eksterne"}
	v := Endpoints{Extra: extra}.Values()
	for k, want := range extra {
		if v[k] != want {
			t.Errorf("%s = %q, want %q", k, v[k], want)
		}
	}
}

// TestADOwnedOverRESTOnTheFakes: the same directions with MO reached by
// its REST API (/details/edit, /details/terminate): the plan is made from
// a REST read, applied through REST with the REST re-reads, and the rerun
// is empty. (The demo's own settings pin GraphQL; the MO ports are swapped.)
func TestADOwnedOverRESTOnTheFakes(t *testing.T) {
	w := newWorld(t, map[string]string{"AD_MAPPING": "* = off\ngivenName = mo given_name\nsn = mo surname\nemployeeID = mo cpr\n" +
		"title = ad engagement.job_function\ntelephoneNumber = ad address.BrugerTelefon\nmail = ad address.EMAIL\naccountExpires = ad engagement.end_date"})
	s := *w.Settings
	s.MO.API = "rest"
	cfg, err := wiring.MOConfig(&s, nil)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Now = w.Env.Now // the demo's clock, as the GraphQL client has it
	c, err := mo.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	w.Env.MO, w.Env.MOWriter = c, c
	p := converge(t, w)
	n := 0
	for _, ch := range p.Changes {
		if ch.System == engine.SystemMO && (ch.Engagement != nil || ch.Address != nil) {
			n++
		}
	}
	if n == 0 {
		t.Error("no MO field writes planned over REST")
	}
}
