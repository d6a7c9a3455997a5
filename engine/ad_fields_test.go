package engine_test

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"moxsync/engine"
)

const (
	jfSagsbehandler = "c0000000-0000-4000-8000-000000000001"
	jfTeamleder     = "c0000000-0000-4000-8000-000000000002"
	atEmail         = "c0000000-0000-4000-8000-000000000011"
	atPhone         = "c0000000-0000-4000-8000-000000000012"
	atMobile        = "c0000000-0000-4000-8000-000000000013"
	visPublic       = "c0000000-0000-4000-8000-000000000021"
	visSecret       = "c0000000-0000-4000-8000-000000000022"
)

// fieldFixture is the planner fixture with MO's classes (job functions,
// address types, visibilities) and the engagements and addresses typed.
func fieldFixture(t testing.TB) *fixture {
	f := newFixture(t)
	f.mo.Update(func(s *engine.Snapshot) {
		s.Classes = append(s.Classes,
			engine.Class{UUID: jfSagsbehandler, UserKey: "Sagsbehandler", Name: "Sagsbehandler", FacetUserKey: engine.FacetJobFunction},
			engine.Class{UUID: jfTeamleder, UserKey: "Teamleder", Name: "Teamleder", FacetUserKey: engine.FacetJobFunction},
			engine.Class{UUID: atEmail, UserKey: "BrugerEmail", Name: "Email", Scope: "EMAIL", FacetUserKey: engine.FacetEmployeeAddressType},
			engine.Class{UUID: atPhone, UserKey: "BrugerTelefon", Name: "Telefon", Scope: "PHONE", FacetUserKey: engine.FacetEmployeeAddressType},
			engine.Class{UUID: atMobile, UserKey: "BrugerMobil", Name: "Mobil", Scope: "PHONE", FacetUserKey: engine.FacetEmployeeAddressType},
			engine.Class{UUID: visPublic, UserKey: "Public", Name: "Må vises eksternt", Scope: "PUBLIC", FacetUserKey: engine.FacetVisibility},
			engine.Class{UUID: visSecret, UserKey: "Secret", Name: "Hemmelig", Scope: "SECRET", FacetUserKey: engine.FacetVisibility},
		)
		for i := range s.People {
			p := &s.People[i]
			for j := range p.Engagements {
				if p.Engagements[j].JobFunction == "Teamleder" {
					p.Engagements[j].JobFunctionUUID = jfTeamleder
				}
			}
			for j := range p.Addresses {
				if a := &p.Addresses[j]; a.Scope == "EMAIL" {
					a.TypeUUID, a.TypeUserKey = atEmail, "BrugerEmail"
				}
			}
		}
	})
	return f
}

func fieldOptions(f *fixture, mapping string) engine.PlanOptions {
	o := f.options()
	m, err := engine.ParseMapping(mapping)
	if err != nil {
		panic(err)
	}
	o.Mapping = m
	return o
}

// moChanges are the plan's MO changes other than IT-user write-backs, as
// "op subject attr: before → after (source)".
func moChanges(p *engine.Plan) []string {
	var out []string
	for _, c := range p.Changes {
		if c.System != engine.SystemMO || (c.ITUser != nil && c.Person == nil) {
			continue
		}
		for _, fl := range c.Fields {
			out = append(out, string(c.Op)+" "+c.Subject+" "+fl.Attr+": "+fl.Before+" → "+fl.After+" ("+fl.Source+")")
		}
	}
	slices.Sort(out)
	return out
}

func applyAll(t *testing.T, f *fixture, p *engine.Plan) engine.Summary {
	t.Helper()
	o := f.applyOptions(nil)
	o.Thresholds = engine.Thresholds{MaxDeletes: 1000, MaxPercent: 100}
	sum, err := engine.Apply(context.Background(), p, o)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range sum.Results {
		if r.Status != engine.ResultOK {
			t.Errorf("%s %s %s: %s %s", r.System, r.Op, r.Subject, r.Status, r.Error)
		}
	}
	return sum
}

func TestADOwnedMOFields(t *testing.T) {
	tests := []struct {
		name    string
		mapping string
		opts    func(*engine.PlanOptions)
		setup   func(f *fixture)
		want    []string // MO changes of the first plan
		warn    map[string]string
		adAfter map[string]string // AD value an account holds after the apply (name → attr=value)
	}{
		{name: "title onto the job function", mapping: "title = ad engagement.job_function",
			want: []string{"update Anne Berg job_function: Teamleder → Sagsbehandler (ad title)"}},
		{name: "title compared normalised", mapping: "title = ad engagement.job_function",
			setup: func(f *fixture) { f.dir.Set(f.guid["anne"], "title", "  teamLEDER ") }},
		{name: "title MO has no class of: a warning, nothing written", mapping: "title = ad engagement.job_function",
			setup: func(f *fixture) { f.dir.Set(f.guid["anne"], "title", "Overlæge") },
			warn:  map[string]string{engine.WarnUnknownJobFunction: `title "Overlæge" in AD is no job function in MO`}},
		{name: "title MO has no class of, created with the setting", mapping: "title = ad engagement.job_function",
			opts:  func(o *engine.PlanOptions) { o.CreateJobFunctions = true },
			setup: func(f *fixture) { f.dir.Set(f.guid["anne"], "title", "Overlæge") },
			want: []string{"create job function \"Overlæge\" facet:  → engagement_job_function (AD_CREATE_JOB_FUNCTIONS)",
				"create job function \"Overlæge\" name:  → Overlæge (ad title)",
				"update Anne Berg job_function: Teamleder → Overlæge (ad title)"}},
		{name: "engagement user_key", mapping: "employeeNumber = ad engagement.user_key",
			setup: func(f *fixture) { f.dir.Set(f.guid["anne"], "employeenumber", "A-17") },
			want:  []string{"update Anne Berg user_key: 208 → A-17 (ad employeeNumber)"}},
		{name: "an extension field", mapping: "extensionAttribute1 = ad engagement.extension_1\nextensionAttribute2 = mo engagement.extension_1",
			setup:   func(f *fixture) { f.dir.Set(f.guid["anne"], "extensionattribute1", "Overenskomst 47.11") },
			want:    []string{"update Anne Berg extension_1:  → Overenskomst 47.11 (ad extensionAttribute1)"},
			adAfter: map[string]string{"anne": "extensionattribute2=Overenskomst 47.11"}},
		{name: "end date from accountExpires", mapping: "accountExpires = ad engagement.end_date",
			setup: func(f *fixture) {
				f.dir.Set(f.guid["anne"], "accountexpires", strconv.FormatInt(engine.FileTime(day(40)), 10))
				f.dir.Set(f.guid["mette"], "accountexpires", "0")
			},
			want: []string{"update Anne Berg end_date:  → 2027-01-01 (ad accountExpires)"}},
		{name: "never in AD reopens an engagement MO ends", mapping: "accountExpires = ad engagement.end_date",
			setup: func(f *fixture) {
				f.dir.Set(f.guid["mette"], "accountexpires", engine.FileTimeNever)
				f.mo.Update(func(s *engine.Snapshot) {
					for i := range s.People {
						if s.People[i].UUID == "p4" {
							s.People[i].Engagements[0].Validity.To = day(31)
						}
					}
				})
			},
			want: []string{"update Mette Dahl end_date: 2026-12-23 →  (ad accountExpires)"}},
		{name: "expiry before the ends of two engagements ends both", mapping: "accountExpires = ad engagement.end_date",
			setup: func(f *fixture) {
				f.dir.Set(f.guid["anne"], "accountexpires", strconv.FormatInt(engine.FileTime(day(50)), 10))
				f.mo.Update(func(s *engine.Snapshot) {
					for i := range s.People {
						if s.People[i].UUID == "p2" {
							s.People[i].Engagements = append(s.People[i].Engagements, engagement("e2b", "Teamleder", "209", false, -10, 100))
						}
					}
				})
			},
			want: []string{"update Anne Berg end_date:  → 2027-01-11 (ad accountExpires)", "update Anne Berg end_date: 2027-03-02 → 2027-01-11 (ad accountExpires)"}},
		{name: "expiry after the engagement's end extends it", mapping: "accountExpires = ad engagement.end_date",
			setup: func(f *fixture) {
				f.dir.Set(f.guid["anne"], "accountexpires", strconv.FormatInt(engine.FileTime(day(40)), 10))
				f.mo.Update(func(s *engine.Snapshot) {
					for i := range s.People {
						if s.People[i].UUID == "p2" {
							s.People[i].Engagements[0].Validity.To = day(20)
						}
					}
				})
			},
			want: []string{"update Anne Berg end_date: 2026-12-12 → 2027-01-01 (ad accountExpires)"}},
		{name: "an expiry that is no FILETIME: a warning", mapping: "accountExpires = ad engagement.end_date",
			setup: func(f *fixture) { f.dir.Set(f.guid["anne"], "accountexpires", "snart") },
			warn:  map[string]string{engine.WarnMOValueRejected: `accountExpires "snart" in AD is no FILETIME`}},
		{name: "mail compared without case: no change", mapping: "mail = ad address.EMAIL"},
		{name: "mail created", mapping: "mail = ad address.EMAIL",
			setup: func(f *fixture) { f.dir.Set(f.guid["mette"], "mail", "mette@kommune.dk") },
			want:  []string{"create Mette Dahl address.EMAIL:  → mette@kommune.dk (ad mail)"}},
		{name: "mail updated", mapping: "mail = ad address.EMAIL",
			setup: func(f *fixture) { f.dir.Set(f.guid["anne"], "mail", "anne.berg@kommune.dk") },
			want:  []string{"update Anne Berg address.EMAIL: anne@kommune.dk → anne.berg@kommune.dk (ad mail)"}},
		{name: "mail of a second address of the type: no change (the pick would flip)", mapping: "mail = ad address.EMAIL",
			setup: func(f *fixture) {
				f.dir.Set(f.guid["anne"], "mail", "anne.berg@kommune.dk")
				f.mo.Update(func(s *engine.Snapshot) {
					for i := range s.People {
						if p := &s.People[i]; p.UUID == "p2" {
							for _, a := range p.Addresses {
								if a.Scope == "EMAIL" {
									a.UUID, a.Value, a.Validity.From = "a-second-mail", "anne.berg@kommune.dk", a.Validity.From.AddDate(0, 0, 1)
									p.Addresses = append(p.Addresses, a)
									break
								}
							}
						}
					}
				})
			}},
		{name: "mail cleared in AD terminates MO's", mapping: "mail = ad address.EMAIL",
			setup: func(f *fixture) { f.dir.Set(f.guid["anne"], "mail") },
			want:  []string{"delete Anne Berg address.EMAIL: anne@kommune.dk →  (ad mail is empty)"}},
		{name: "phone normalised for MO, by type user_key", mapping: "telephoneNumber = ad address.BrugerTelefon",
			setup: func(f *fixture) { f.dir.Set(f.guid["anne"], "telephonenumber", "+45 12 34-56 78") },
			want:  []string{"create Anne Berg address.BrugerTelefon:  → +4512345678 (ad telephoneNumber)"}},
		{name: "phone by scope with two types: a warning", mapping: "telephoneNumber = ad address.PHONE",
			setup: func(f *fixture) { f.dir.Set(f.guid["anne"], "telephonenumber", "12345678") },
			warn:  map[string]string{engine.WarnAddressType: "2 employee address types of scope PHONE (BrugerTelefon, BrugerMobil)"}},
		{name: "phone MO would reject: a warning", mapping: "telephoneNumber = ad address.BrugerTelefon",
			setup: func(f *fixture) { f.dir.Set(f.guid["anne"], "telephonenumber", "12 34 ab") },
			warn:  map[string]string{engine.WarnMOValueRejected: `telephoneNumber "12 34 ab" in AD is not a phone number MO accepts`}},
		{name: "secret address never touched", mapping: "mail = ad address.EMAIL",
			setup: func(f *fixture) {
				f.dir.Set(f.guid["anne"], "mail", "x@kommune.dk")
				f.mo.Update(func(s *engine.Snapshot) {
					for i := range s.People {
						if s.People[i].UUID == "p2" {
							s.People[i].Addresses[0].Visibility, s.People[i].Addresses[0].VisibilityUUID = "SECRET", visSecret
						}
					}
				})
			},
			warn: map[string]string{engine.WarnSecretAddress: "MO holds a secret address.EMAIL"}},
		{name: "a future address is updated from its start", mapping: "mail = ad address.EMAIL",
			setup: func(f *fixture) { futureMail(f); f.dir.Set(f.guid["anne"], "mail", "anne.b@kommune.dk") },
			want:  []string{"update Anne Berg address.EMAIL: anne@kommune.dk → anne.b@kommune.dk (ad mail)"}},
		{name: "a future address is not terminated by an empty AD value", mapping: "mail = ad address.EMAIL",
			setup: func(f *fixture) { futureMail(f); f.dir.Set(f.guid["anne"], "mail") }},
		{name: "new address with the visibility setting", mapping: "mail = ad address.EMAIL",
			opts:  func(o *engine.PlanOptions) { o.AddressVisibility = "public" },
			setup: func(f *fixture) { f.dir.Set(f.guid["mette"], "mail", "mette@kommune.dk") },
			want:  []string{"create Mette Dahl address.EMAIL:  → mette@kommune.dk (ad mail)"}},
		{name: "end date to accountExpires as a FILETIME", mapping: "accountExpires = mo engagement.end_date",
			setup: func(f *fixture) {
				f.mo.Update(func(s *engine.Snapshot) {
					for i := range s.People {
						if s.People[i].UUID == "p4" {
							s.People[i].Engagements[0].Validity.To = day(31)
						}
					}
				})
				f.dir.Set(f.guid["anne"], "accountexpires", engine.FileTimeNever)
			},
			adAfter: map[string]string{"mette": "accountexpires=" + strconv.FormatInt(engine.FileTime(day(31)), 10), "anne": "accountexpires=" + engine.FileTimeNever}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := fieldFixture(t)
			if tt.setup != nil {
				tt.setup(f)
			}
			o := fieldOptions(f, tt.mapping)
			if tt.opts != nil {
				tt.opts(&o)
			}
			p := f.plan(t, o)
			if got := moChanges(p); !slices.Equal(got, tt.want) {
				t.Errorf("MO changes:\n got %q\nwant %q", got, tt.want)
			}
			for code, text := range tt.warn {
				found := false
				for _, w := range p.Warnings {
					found = found || (w.Code == code && strings.Contains(w.Message, text) && w.Subject == "Anne Berg")
				}
				if !found {
					t.Errorf("no warning %s naming Anne Berg and %q in %v", code, text, p.Warnings)
				}
			}
			applyAll(t, f, p)
			for name, kv := range tt.adAfter {
				attr, want, _ := strings.Cut(kv, "=")
				a, err := f.dir.AccountByGUID(context.Background(), f.guid[name], []string{attr})
				if err != nil {
					t.Fatal(err)
				}
				if got := strings.Join(a.Attrs[attr], ";"); got != want {
					t.Errorf("%s %s = %q, want %q", name, attr, got, want)
				}
			}
			// The rerun writes nothing: no change of any system.
			again := f.plan(t, o)
			if len(again.Changes) != 0 {
				t.Errorf("rerun plans %d changes: %v", len(again.Changes), again.Changes)
			}
			before := f.mo.Writes()
			applyAll(t, f, again)
			if f.mo.Writes() != before {
				t.Errorf("the no-op rerun wrote %d times to MO", f.mo.Writes()-before)
			}
		})
	}
}

// A conflicting edit on both sides: AD owns the title. MO is edited after
// the plan: apply refuses the write as stale (the re-read MO engagement
// no longer holds the plan's Before); the next plan shows MO corrected to
// AD's value, and the run after writes nothing.
func TestADOwnedConflictOwnerWins(t *testing.T) {
	f := fieldFixture(t)
	o := fieldOptions(f, "title = ad engagement.job_function")
	p := f.plan(t, o)
	f.mo.Update(func(s *engine.Snapshot) {
		for i := range s.People {
			if s.People[i].UUID == "p2" {
				s.People[i].Engagements[0].JobFunction, s.People[i].Engagements[0].JobFunctionUUID = "Konsulent", ""
			}
		}
	})
	ao := f.applyOptions(nil)
	for _, c := range p.Changes {
		if c.Engagement != nil {
			ao.Only = append(ao.Only, c.ID)
		}
	}
	sum, err := engine.Apply(context.Background(), p, ao)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Stale != 1 || !strings.Contains(sum.Results[0].Error, `the engagement's job_function is "Konsulent" in MO, the plan expected "Teamleder"`) {
		t.Fatalf("apply: %+v", sum.Results)
	}
	next := f.plan(t, o)
	if got, want := moChanges(next), []string{"update Anne Berg job_function: Konsulent → Sagsbehandler (ad title)"}; !slices.Equal(got, want) {
		t.Fatalf("next plan: %q, want %q", got, want)
	}
	applyAll(t, f, next)
	if again := f.plan(t, o); len(again.Changes) != 0 {
		t.Errorf("third plan: %v", again.Changes)
	}
}

// No write loop: AD owns the title; description takes the job function
// from MO. One plan writes MO from AD and AD's description from the value
// MO will hold, so the rerun plans nothing in either direction.
func TestADOwnedNoWriteLoop(t *testing.T) {
	f := fieldFixture(t)
	o := fieldOptions(f, "title = ad engagement.job_function\ndescription = mo engagement.job_function\nmail = ad address.EMAIL")
	f.dir.Set(f.guid["anne"], "mail", "berg@kommune.dk")
	p := f.plan(t, o)
	var desc string
	for _, c := range p.Changes {
		for _, fl := range c.Fields {
			if c.System == engine.SystemAD && fl.Attr == "description" && c.Subject == "Anne Berg" {
				desc = fl.After
			}
		}
	}
	if desc != "Sagsbehandler" {
		t.Errorf("Anne's description is planned as %q, want AD's title Sagsbehandler", desc)
	}
	applyAll(t, f, p)
	for i := 0; i < 2; i++ {
		if again := f.plan(t, o); len(again.Changes) != 0 {
			t.Fatalf("run %d after the apply plans %v", i+2, again.Changes)
		}
	}
}

// People created from AD: an account under the configured OU that no MO
// person matches becomes an MO person with its AD IT user, a "create MO"
// that the watch policy never applies at once; an account without a valid
// CPR is a warning; the new person is not disabled for lacking an
// engagement, and the rerun writes nothing.
func TestPeopleCreatedFromAD(t *testing.T) {
	f := fieldFixture(t)
	f.dir.Add(engine.Account{DN: "CN=Ingen Cpr,OU=Brugere," + base, CN: "Ingen Cpr", SAMAccountName: "icpr", UserAccountControl: 512,
		Attrs: map[string][]string{"employeeid": {"31139912"}, "givenname": {"Ingen"}, "sn": {"Cpr"}}})
	f.dir.Add(engine.Account{DN: "CN=Uden For,OU=Andre," + base, CN: "Uden For", SAMAccountName: "ufor", UserAccountControl: 512,
		Attrs: map[string][]string{"employeeid": {"0909901234"}, "givenname": {"Uden"}, "sn": {"For"}}})
	o := f.options()
	o.CreateMOPeople, o.CreateMOPeopleOUs = true, []string{"ou=brugere, dc=test, dc=local"}
	f.dir.Set(f.guid["orphan"], "givenname", "Gammel")
	f.dir.Set(f.guid["orphan"], "sn", "Bruger")
	p := f.plan(t, o)
	var person, itUser *engine.Change
	for i := range p.Changes {
		c := &p.Changes[i]
		if c.System == engine.SystemMO && c.Person != nil {
			person = c
		}
		if c.System == engine.SystemMO && c.ITUser != nil && c.ITUser.PersonUUID == engine.KnownAfterApply {
			itUser = c
		}
	}
	if person == nil || person.Subject != "Gammel Bruger" || person.Person.CPR != "0808806666" || itUser == nil || itUser.DependsOn != person.ID ||
		itUser.ITUser.UserKey != "gammel" || itUser.ITUser.ExternalID != f.guid["orphan"] {
		t.Fatalf("person %+v, IT user %+v", person, itUser)
	}
	codes := warningCodes(p)
	if !slices.Contains(codes[engine.WarnADPersonCPR], "icpr") {
		t.Errorf("no invalid-CPR warning for icpr: %v", codes)
	}
	if slices.Contains(codes[engine.WarnOrphanAccount], "gammel") || !slices.Contains(codes[engine.WarnOrphanAccount], "ufor") {
		t.Errorf("orphans: %v (gammel is created, ufor lies outside the OU)", codes[engine.WarnOrphanAccount])
	}
	d := engine.WatchPolicy{AtOnce: []engine.Op{engine.OpCreate, engine.OpUpdate}}.Decide(p)
	if d[person.ID].AtOnce || d[itUser.ID].AtOnce || !strings.Contains(d[person.ID].Rule, "always waits") {
		t.Errorf("watch decides %+v / %+v for the person and its IT user", d[person.ID], d[itUser.ID])
	}
	// Applied without naming it (apply --auto-approve, a cron run): refused,
	// and its IT user skipped; nothing is written to MO.
	before := f.mo.Writes()
	o2 := f.applyOptions(nil)
	o2.Only = []string{"mo"}
	sum, err := engine.Apply(context.Background(), p, o2)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range sum.Results {
		if r.ChangeID == person.ID && (r.Status != engine.ResultRefused || !strings.Contains(r.Error, "never applied automatically")) {
			t.Errorf("person create applied without approval: %+v", r)
		}
	}
	if sum.Refused != 1 || f.mo.Writes() != before+sum.OK {
		t.Errorf("refused %d, MO writes %d for %d ok", sum.Refused, f.mo.Writes()-before, sum.OK)
	}
	// Approved by id, with its IT user: written.
	o3 := f.applyOptions(nil)
	o3.Only = []string{person.ID, itUser.ID}
	if sum, err := engine.Apply(context.Background(), p, o3); err != nil || sum.OK != 2 {
		t.Fatalf("approved apply: %+v %v", sum, err)
	}
	snap, _ := f.mo.Snapshot(context.Background())
	var made *engine.Person
	for i := range snap.People {
		if snap.People[i].CPR == "0808806666" {
			made = &snap.People[i]
		}
	}
	if made == nil || made.GivenName != "Gammel" || made.Surname != "Bruger" || len(made.ITUsers) != 1 || made.ITUsers[0].UserKey != "gammel" {
		t.Fatalf("MO person made from AD: %+v", made)
	}
	again := f.plan(t, o)
	for _, c := range again.Changes {
		if c.MOUUID == made.UUID || c.Target.GUID == f.guid["orphan"] {
			t.Errorf("rerun changes the person made from AD: %+v", c)
		}
	}
}

// futureMail makes Anne's e-mail address start in five days.
func futureMail(f *fixture) {
	f.mo.Update(func(s *engine.Snapshot) {
		for i := range s.People {
			if s.People[i].UUID == "p2" {
				s.People[i].Addresses[0].Validity.From = day(5)
			}
		}
	})
}

func TestValidCPR(t *testing.T) {
	for cpr, want := range map[string]bool{
		"0101801234": true, "2902004321": true, // 29 Feb 2000 (serial 4, yy 00 → 2000)
		"2902011234": false, // 1901 is no leap year
		"3102801234": false, "0013801234": false, "0000801234": false,
		"010180123": false, "01018012345": false, "010180-1234": false, "31139912": false,
	} {
		if got := engine.ValidCPR(cpr); got != want {
			t.Errorf("ValidCPR(%s) = %v, want %v", engine.MaskCPR(cpr), got, want)
		}
	}
}

// An end date to a text attribute is the last day in MO's zone, though
// the snapshot holds UTC instants.
func TestEndDateAsTextInMOsZone(t *testing.T) {
	cph, err := time.LoadLocation("Europe/Copenhagen")
	if err != nil {
		t.Skip(err)
	}
	f := fieldFixture(t)
	end := time.Date(2027, 1, 1, 0, 0, 0, 0, cph).UTC() // 2026-12-31 23:00 UTC
	f.mo.Update(func(s *engine.Snapshot) {
		for i := range s.People {
			if s.People[i].UUID == "p2" {
				s.People[i].Engagements[0].Validity.To = end
			}
		}
	})
	o := fieldOptions(f, "extensionAttribute3 = mo engagement.end_date")
	o.Location = cph
	p := f.plan(t, o)
	for _, c := range p.Changes {
		for _, fl := range c.Fields {
			if c.Subject == "Anne Berg" && fl.Attr == "extensionAttribute3" {
				if fl.After != "2026-12-31" {
					t.Errorf("extensionAttribute3 = %q, want the last day 2026-12-31", fl.After)
				}
				return
			}
		}
	}
	t.Error("no extensionAttribute3 change for Anne Berg")
}

// A new address gets the visibility OS2MO_ADDRESS_VISIBILITY names (by
// user_key, name or scope), none without it; a name MO lacks is a warning
// and nothing is created.
func TestNewAddressVisibility(t *testing.T) {
	for _, tt := range []struct{ setting, want, warn string }{
		{"", "", ""},
		{"public", visPublic, ""},
		{"Hemmelig", visSecret, ""},
		{"Ukendt", "", "OS2MO_ADDRESS_VISIBILITY \"Ukendt\" names no class"},
	} {
		f := fieldFixture(t)
		f.dir.Set(f.guid["mette"], "mail", "mette@kommune.dk")
		o := fieldOptions(f, "mail = ad address.EMAIL")
		o.AddressVisibility = tt.setting
		p := f.plan(t, o)
		var got *engine.AddressWrite
		for _, c := range p.Changes {
			if c.Address != nil && c.Op == engine.OpCreate {
				got = c.Address
			}
		}
		switch {
		case tt.warn != "":
			warned := false
			for _, w := range p.Warnings {
				warned = warned || strings.Contains(w.Message, tt.warn)
			}
			if got != nil || !warned {
				t.Errorf("%q: created %+v, warned %v", tt.setting, got, warned)
			}
		case got == nil || got.VisibilityUUID != tt.want || got.TypeUUID != atEmail || got.UUID == "":
			t.Errorf("%q: address %+v, want visibility %q", tt.setting, got, tt.want)
		}
	}
}

// Two writes onto one engagement (the title and the end, from AD) agree on
// the end, so they converge in whichever order apply runs them.
func TestEngagementWritesAgreeOnTheEnd(t *testing.T) {
	f := fieldFixture(t)
	f.dir.Set(f.guid["anne"], "accountexpires", strconv.FormatInt(engine.FileTime(day(50)), 10))
	o := fieldOptions(f, "title = ad engagement.job_function\naccountExpires = ad engagement.end_date")
	p := f.plan(t, o)
	var title, end *engine.Change
	for i := range p.Changes {
		c := &p.Changes[i]
		if c.Engagement == nil {
			continue
		}
		if c.Engagement.SetEnd {
			end = c
		} else {
			title = c
		}
	}
	if title == nil || end == nil || !title.Engagement.Validity.To.Equal(day(50)) || !end.Engagement.End.Equal(day(50)) {
		t.Fatalf("title %+v, end %+v", title, end)
	}
	for _, order := range [][]string{{title.ID, end.ID}, {end.ID, title.ID}} {
		g := fieldFixture(t)
		g.dir.Set(g.guid["anne"], "accountexpires", strconv.FormatInt(engine.FileTime(day(50)), 10))
		q := g.plan(t, o)
		for _, id := range order {
			ao := g.applyOptions(nil)
			ao.Only = []string{id}
			if sum, err := engine.Apply(context.Background(), q, ao); err != nil || sum.OK != 1 {
				t.Fatalf("apply %s: %+v %v", id, sum, err)
			}
		}
		if again := g.plan(t, o); len(moChanges(again)) != 0 {
			t.Errorf("order %v: the rerun plans %v", order, moChanges(again))
		}
	}
}
