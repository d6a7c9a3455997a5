package demo

import (
	"context"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"moxsync/engine"
)

// The AD-owned directions (#14) as a contract over the demo's real
// adapters: against adtest always, and against a real DC (Samba, from
// .ci/ad-dc.sh) when AD_LDAP_URL is set, where the demo starts with an
// empty OU of its own and creates the accounts first. The seeds differ
// from cli's TestDemoAgainstSamba (9): usernames are domain-wide, and the
// packages' tests may run at once against one DC.

const contractMapping = "title = ad engagement.job_function\ntelephoneNumber = ad address.BrugerTelefon\nmail = ad address.EMAIL\n" +
	"accountExpires = mo engagement.end_date"

func TestADOwnedContractAdtest(t *testing.T) {
	w := newWorld(t, map[string]string{"AD_MAPPING": contractMapping})
	runADOwnedContract(t, w)
}

func TestADOwnedContractSamba(t *testing.T) {
	url := os.Getenv("AD_LDAP_URL")
	if url == "" {
		t.Skip("AD_LDAP_URL not set (run .ci/ad-dc.sh and source /tmp/ci-samba-ad/env)")
	}
	w, err := New(context.Background(), Options{Seed: 14, ADURL: url, ADBind: os.Getenv("AD_BIND"), ADPassword: os.Getenv("AD_PASS"),
		ADBase: os.Getenv("AD_BASE_DN"), ADCAFile: os.Getenv("AD_CA_FILE"), Settings: map[string]string{"AD_MAPPING": contractMapping}})
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := w.Close(); err != nil {
			t.Error(err)
		}
	}()
	runADOwnedContract(t, w)
}

// runADOwnedContract: converge; then an admin edits AD (a title MO has, a
// phone with spaces, a mail cleared) and MO (an engagement ends): one plan
// writes MO from AD and accountExpires from MO, and the rerun is empty; then
// a conflicting edit on both sides (AD's title and MO's job function) is
// won by AD, shown in the plan, and the rerun is empty again.
func runADOwnedContract(t *testing.T, w *World) {
	ctx := context.Background()
	converge(t, w)
	snap, err := w.Env.MO.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	accts, err := w.Dir.Accounts(ctx, w.PlanOptions.Mapping.ReadAttributes())
	if err != nil {
		t.Fatal(err)
	}
	byCPR := map[string]*engine.Account{}
	for i := range accts {
		byCPR[accts[i].CPR] = &accts[i]
	}
	// Three engaged people with an account, an e-mail and a phone.
	type subject struct {
		p *engine.Person
		a *engine.Account
	}
	var subs []subject
	for i := range snap.People {
		p := &snap.People[i]
		a := byCPR[p.CPR]
		e := engine.PrimaryEngagement(p, snap.ReadAt)
		if a == nil || e == nil || !e.Validity.To.IsZero() || len(p.Engagements) != 1 || len(a.Attrs["mail"]) == 0 || len(a.Attrs["telephonenumber"]) == 0 {
			continue
		}
		subs = append(subs, subject{p, a})
		if len(subs) == 3 {
			break
		}
	}
	if len(subs) < 3 {
		t.Fatalf("only %d people with an account, mail and phone", len(subs))
	}
	modify := func(a *engine.Account, attr string, after ...string) {
		t.Helper()
		cur, err := w.Dir.AccountByGUID(ctx, a.GUID, []string{attr})
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Dir.Modify(ctx, cur.DN, []engine.AttrChange{{Attr: attr, Before: cur.Attrs[attr], After: after}}); err != nil {
			t.Fatalf("modify %s of %s: %v", attr, cur.DN, err)
		}
	}
	otherTitle := func(not string) string {
		for _, c := range snap.Classes {
			if c.FacetUserKey == engine.FacetJobFunction && c.Name != not {
				return c.Name
			}
		}
		t.Fatal("MO has one job function")
		return ""
	}
	p0, p1, p2 := subs[0], subs[1], subs[2]
	newTitle := otherTitle(p0.p.Engagements[0].JobFunction)
	modify(p0.a, "title", newTitle)
	modify(p1.a, "telephonenumber", "+45 21 99 88 77")
	modify(p2.a, "mail")
	end := time.Date(snap.ReadAt.Year()+1, 1, 1, 0, 0, 0, 0, time.Local)
	if err := w.Servers.MO().EndEngagement(p2.p.Engagements[0].UUID, end); err != nil {
		t.Fatal(err)
	}
	p, err := w.MakePlan(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{
		p0.p.UUID + " job_function → " + newTitle:                    false,
		p1.p.UUID + " address.BrugerTelefon → +4521998877":           false,
		p2.p.UUID + " address.EMAIL → ":                              false,
		p2.p.UUID + " accountExpires → " + fileTime(t, w, p2.p.UUID): false,
	}
	for _, c := range p.Changes {
		for _, f := range c.Fields {
			k := c.MOUUID + " " + f.Attr + " → " + f.After
			if _, ok := want[k]; ok {
				want[k] = true
			}
		}
	}
	for k, seen := range want {
		if !seen {
			t.Errorf("the plan lacks %s", k)
		}
	}
	applyPlan(t, w, p)
	if again, _ := w.MakePlan(ctx, nil); len(again.Changes) != 0 {
		t.Fatalf("after the edits' apply %d changes remain: %+v", len(again.Changes), again.Changes[0])
	}
	got, err := w.Dir.AccountByGUID(ctx, p2.a.GUID, []string{"accountexpires"})
	if err != nil || len(got.Attrs["accountexpires"]) != 1 || got.Attrs["accountexpires"][0] != strconv.FormatInt(engine.FileTime(end), 10) {
		t.Errorf("accountExpires in AD: %v %v, want the FILETIME of %s", got.Attrs["accountexpires"], err, end)
	}

	// Both sides edited: AD's title and MO's job function. AD owns it.
	adTitle, moTitle := otherTitle(newTitle), ""
	for _, c := range snap.Classes {
		if c.FacetUserKey == engine.FacetJobFunction && c.Name != newTitle && c.Name != adTitle {
			moTitle = c.Name
			break
		}
	}
	modify(p0.a, "title", adTitle)
	if err := w.Servers.MO().SetJobFunction(p0.p.Engagements[0].UUID, moTitle); err != nil {
		t.Fatal(err)
	}
	p, err = w.MakePlan(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	shown, adMO := false, 0
	for _, c := range p.Changes {
		if c.System != engine.SystemSTS {
			adMO++ // STS follows MO's new job function in the same apply
		}
		for _, f := range c.Fields {
			shown = shown || (c.System == engine.SystemMO && f.Attr == "job_function" && f.Before == moTitle && f.After == adTitle && strings.HasPrefix(f.Source, "ad "))
		}
	}
	if !shown || adMO != 1 {
		t.Fatalf("the plan after both sides' edits should correct MO %q → %q only, got %d AD and MO changes", moTitle, adTitle, adMO)
	}
	applyPlan(t, w, p)
	if again, _ := w.MakePlan(ctx, nil); len(again.Changes) != 0 {
		t.Errorf("after the conflict %d changes remain", len(again.Changes))
	}
}

// fileTime is the accountExpires the person's engagements' end gives.
func fileTime(t *testing.T, w *World, person string) string {
	t.Helper()
	snap, err := w.Env.MO.Snapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for i := range snap.People {
		if snap.People[i].UUID == person {
			end, open, ok := engine.EngagementsEnd(&snap.People[i], snap.ReadAt)
			if ok && !open {
				return strconv.FormatInt(engine.FileTime(end), 10)
			}
		}
	}
	return "(no end)"
}

func TestPeopleFromADContractAdtest(t *testing.T) {
	runPeopleFromADContract(t, newWorld(t, peopleSettings))
}

func TestPeopleFromADContractSamba(t *testing.T) {
	url := os.Getenv("AD_LDAP_URL")
	if url == "" {
		t.Skip("AD_LDAP_URL not set (run .ci/ad-dc.sh and source /tmp/ci-samba-ad/env)")
	}
	w, err := New(context.Background(), Options{Seed: 15, ADURL: url, ADBind: os.Getenv("AD_BIND"), ADPassword: os.Getenv("AD_PASS"),
		ADBase: os.Getenv("AD_BASE_DN"), ADCAFile: os.Getenv("AD_CA_FILE"), Settings: peopleSettings})
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := w.Close(); err != nil {
			t.Error(err)
		}
	}()
	runPeopleFromADContract(t, w)
}

var peopleSettings = map[string]string{"AD_CREATE_MO_PEOPLE": "true", "AD_CREATE_MO_PEOPLE_OUS": "OU=Nye brugere"}

// runPeopleFromADContract: after a converged run, an admin creates two
// accounts in the OU of people from AD, one with a CPR MO does not know
// and one without; the plan makes an MO person (names, CPR) with its AD IT
// user of the first and warns about the second; after the apply MO holds
// the person and the rerun is empty.
func runPeopleFromADContract(t *testing.T, w *World) {
	ctx := context.Background()
	converge(t, w)
	base := w.Settings.AD.SearchBase
	const cpr = "0101451234"
	made, err := w.Dir.Create(ctx, engine.NewAccount{DN: "CN=Ekstern Konsulent,OU=Nye brugere," + base, CN: "Ekstern Konsulent", SAMAccountName: "ekskon14",
		Attrs: map[string][]string{"employeeid": {cpr}, "givenname": {"Ekstern"}, "sn": {"Konsulent"}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Dir.Create(ctx, engine.NewAccount{DN: "CN=Uden Cpr,OU=Nye brugere," + base, CN: "Uden Cpr", SAMAccountName: "udencpr14",
		Attrs: map[string][]string{"givenname": {"Uden"}, "sn": {"Cpr"}}}); err != nil {
		t.Fatal(err)
	}
	p, err := w.MakePlan(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	var person *engine.Change
	for i := range p.Changes {
		if p.Changes[i].Person != nil {
			if person != nil {
				t.Fatalf("two people planned: %s and %s", person.Subject, p.Changes[i].Subject)
			}
			person = &p.Changes[i]
		}
	}
	if person == nil || person.Subject != "Ekstern Konsulent" || person.Person.CPR != cpr {
		t.Fatalf("person planned: %+v", person)
	}
	warned := false
	for _, wn := range p.Warnings {
		warned = warned || (wn.Code == engine.WarnADPersonCPR && wn.Subject == "udencpr14")
	}
	if !warned {
		t.Error("no warning for the account without a CPR")
	}
	applyPlan(t, w, p)
	snap, err := w.Env.MO.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, q := range snap.People {
		if q.CPR == cpr {
			for _, it := range q.ITUsers {
				found = found || (it.UserKey == "ekskon14" && strings.EqualFold(it.ExternalID, made.GUID))
			}
			if q.GivenName != "Ekstern" || q.Surname != "Konsulent" {
				t.Errorf("MO person %s %s", q.GivenName, q.Surname)
			}
		}
	}
	if !found {
		t.Error("MO has no person with the account's CPR and AD IT user")
	}
	if again, _ := w.MakePlan(ctx, nil); len(again.Changes) != 0 {
		t.Errorf("the rerun plans %d changes: %+v", len(again.Changes), again.Changes[0])
	}
}

func TestEndDateFromADContractAdtest(t *testing.T) {
	runEndDateFromADContract(t, newWorld(t, map[string]string{"AD_MAPPING": "accountExpires = ad engagement.end_date"}))
}

func TestEndDateFromADContractSamba(t *testing.T) {
	url := os.Getenv("AD_LDAP_URL")
	if url == "" {
		t.Skip("AD_LDAP_URL not set (run .ci/ad-dc.sh and source /tmp/ci-samba-ad/env)")
	}
	w, err := New(context.Background(), Options{Seed: 16, ADURL: url, ADBind: os.Getenv("AD_BIND"), ADPassword: os.Getenv("AD_PASS"),
		ADBase: os.Getenv("AD_BASE_DN"), ADCAFile: os.Getenv("AD_CA_FILE"), Settings: map[string]string{"AD_MAPPING": "accountExpires = ad engagement.end_date"}})
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := w.Close(); err != nil {
			t.Error(err)
		}
	}()
	runEndDateFromADContract(t, w)
}

// runEndDateFromADContract: AD owns the engagement's end
// (accountExpires = ad engagement.end_date). An admin sets an account to
// expire: the plan ends the MO engagement on the day before (MO's
// engagement_terminate), the rerun is empty; the admin sets it to never
// expire: the engagement is open-ended again, and the rerun is empty.
func runEndDateFromADContract(t *testing.T, w *World) {
	ctx := context.Background()
	converge(t, w)
	snap, err := w.Env.MO.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	accts, err := w.Dir.Accounts(ctx, w.PlanOptions.Mapping.ReadAttributes())
	if err != nil {
		t.Fatal(err)
	}
	cprs := map[string]int{}
	for _, a := range accts {
		cprs[a.CPR]++
	}
	var a *engine.Account
	var person *engine.Person
	for i := range snap.People {
		p := &snap.People[i]
		if len(p.Engagements) != 1 || !p.Engagements[0].Validity.To.IsZero() || !p.Engagements[0].Validity.ActiveAt(snap.ReadAt) {
			continue
		}
		for j := range accts {
			if accts[j].CPR == p.CPR && cprs[p.CPR] == 1 {
				a, person = &accts[j], p
			}
		}
		if a != nil {
			break
		}
	}
	if a == nil {
		t.Fatal("no person with one open engagement and an account")
	}
	loc, err := time.LoadLocation("Europe/Copenhagen") // MO's days
	if err != nil {
		t.Fatal(err)
	}
	today := snap.ReadAt.In(loc)
	expires := time.Date(today.Year(), today.Month(), today.Day()+60, 0, 0, 0, 0, loc) // the first day without access
	set := func(v string) {
		t.Helper()
		cur, err := w.Dir.AccountByGUID(ctx, a.GUID, []string{"accountexpires"})
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Dir.Modify(ctx, cur.DN, []engine.AttrChange{{Attr: "accountexpires", Before: cur.Attrs["accountexpires"], After: []string{v}}}); err != nil {
			t.Fatal(err)
		}
	}
	step := func(want string) {
		t.Helper()
		p, err := w.MakePlan(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, c := range p.Changes {
			for _, f := range c.Fields {
				found = found || (c.MOUUID == person.UUID && f.Attr == "end_date" && f.After == want && f.Source == "ad accountExpires")
			}
		}
		if !found {
			t.Fatalf("the plan does not set %s's end date to %q", person.Name(), want)
		}
		applyPlan(t, w, p)
		if again, _ := w.MakePlan(ctx, nil); len(again.Changes) != 0 {
			t.Fatalf("the rerun plans %d changes: %+v", len(again.Changes), again.Changes[0])
		}
	}
	set(strconv.FormatInt(engine.FileTime(expires), 10))
	step(expires.AddDate(0, 0, -1).Format(time.DateOnly))
	set(engine.FileTimeNever)
	step("")
}
