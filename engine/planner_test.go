package engine_test

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"moxsync/engine"
)

func bySubjectOp(p *engine.Plan) map[string]*engine.Change {
	out := map[string]*engine.Change{}
	for i := range p.Changes {
		c := &p.Changes[i]
		out[string(c.System)+" "+string(c.Op)+" "+c.MOUUID] = c
	}
	return out
}

func fieldMap(c *engine.Change) map[string]engine.Field {
	m := map[string]engine.Field{}
	for _, f := range c.Fields {
		m[f.Attr] = f
	}
	return m
}

func warningCodes(p *engine.Plan) map[string][]string {
	out := map[string][]string{}
	for _, w := range p.Warnings {
		out[w.Code] = append(out[w.Code], w.Subject)
	}
	return out
}

func TestPlanScenario(t *testing.T) {
	f := newFixture(t)
	p := f.plan(t, f.options())
	cs := bySubjectOp(p)

	var keys []string
	for k := range cs {
		if !strings.HasPrefix(k, "sts ") {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	want := []string{
		"ad create p1", "ad create p7", "ad create p8", "ad disable p3", "ad enable p4", "ad update p2",
		"mo create p1", "mo create p2", "mo create p3", "mo create p4", "mo create p7", "mo create p8",
	}
	if !slices.Equal(keys, want) {
		t.Fatalf("AD/MO changes:\n got %v\nwant %v", keys, want)
	}

	// The create of Jens Hansen: username (jhans is taken by a group), CN,
	// DN, UPN, mapped attributes with the DAR split, and the trace.
	c := cs["ad create p1"]
	fm := fieldMap(c)
	checks := map[string]string{
		"sAMAccountName": "jhans2", "userPrincipalName": "jhans2@kommune.dk", "cn": "Jens Hansen",
		"givenName": "Jens", "sn": "Hansen", "employeeID": "0101801234", "title": "Sagsbehandler",
		"mail": "jens@kommune.dk", "telephoneNumber": "12 34 56 78", "streetAddress": "Parkvej 1234",
		"postalCode": "8000", "l": "Aarhus C", "postalAddress": "Parkvej 1234, 8000 Aarhus C", "countryCode": "208",
	}
	for attr, v := range checks {
		if fm[attr].After != v {
			t.Errorf("create p1 %s = %q, want %q", attr, fm[attr].After, v)
		}
	}
	if c.Target.DN != "CN=Jens Hansen,OU=Nye brugere,DC=test,DC=local" {
		t.Errorf("DN = %q", c.Target.DN)
	}
	if c.Username == nil || c.Username.Username != "jhans2" || len(c.Username.Trace) == 0 {
		t.Errorf("username decision = %+v", c.Username)
	}
	// The second Jens Hansen (future engagement) gets the next name and CN.
	c8 := fieldMap(cs["ad create p8"])
	if c8["sAMAccountName"].After != "jhans3" || c8["cn"].After != "Jens Hansen_2" {
		t.Errorf("second Jens Hansen: %q %q", c8["sAMAccountName"].After, c8["cn"].After)
	}
	// countryCode from a non-integer engagement user_key: a warning, and the
	// account is created without it.
	if _, ok := fieldMap(cs["ad create p7"])["countryCode"]; ok {
		t.Error("create p7 carries the invalid countryCode")
	}
	// The write-back depends on the create and waits for the GUID.
	wb := cs["mo create p1"]
	if wb.DependsOn != c.ID {
		t.Errorf("write-back DependsOn = %q, want %q", wb.DependsOn, c.ID)
	}
	wf := fieldMap(wb)
	if wf["user_key"].After != "jhans2" || wf["external_id"].After != engine.KnownAfterApply {
		t.Errorf("write-back fields = %+v", wb.Fields)
	}
	if wb.ITUser == nil || wb.ITUser.ITSystemUUID != adSys || wb.ITUser.PersonUUID != "p1" {
		t.Errorf("write-back payload = %+v", wb.ITUser)
	}
	// Anne: only the title differs after normalising whitespace, case of
	// mail and the CPR format.
	up := cs["ad update p2"]
	if len(up.Fields) != 1 || up.Fields[0].Attr != "title" || up.Fields[0].Before != "Sagsbehandler" || up.Fields[0].After != "Teamleder" ||
		up.Fields[0].Source != "mo engagement.job_function" || up.Target.GUID != f.guid["anne"] {
		t.Errorf("update p2 = %+v", up)
	}
	if wf := fieldMap(cs["mo create p2"]); wf["external_id"].After != f.guid["anne"] || wf["user_key"].After != "aberg" {
		t.Errorf("write-back p2 = %+v", cs["mo create p2"].Fields)
	}
	if d := cs["ad disable p3"]; d.Fields[0].Before != "512" || d.Fields[0].After != "514" {
		t.Errorf("disable p3 = %+v", d.Fields)
	}
	if e := cs["ad enable p4"]; e.Fields[0].Before != "514" || e.Fields[0].After != "512" {
		t.Errorf("enable p4 = %+v", e.Fields)
	}

	w := warningCodes(p)
	for code, subj := range map[string]string{
		engine.WarnMissingCPR: "Uden Cpr", engine.WarnDuplicateCPR: "050580-xxxx", engine.WarnInvalidValue: "Kirsten Holm",
		engine.WarnOrphanAccount: "gammel",
	} {
		if !slices.Contains(w[code], subj) {
			t.Errorf("warning %s for %q missing; warnings: %v", code, subj, w)
		}
	}
	if len(w[engine.WarnOrphanAccount]) != 1 {
		t.Errorf("orphans: %v (the duplicate-CPR accounts are a conflict, not orphans)", w[engine.WarnOrphanAccount])
	}
	// Never a raw CPR in a warning.
	b, _ := json.Marshal(p.Warnings)
	if strings.Contains(string(b), "0505803333") || strings.Contains(string(b), "0808806666") {
		t.Errorf("unmasked CPR in warnings: %s", b)
	}
	// Neither duplicate account is touched, and no account is created for them.
	for _, ch := range p.Changes {
		if ch.System != engine.SystemSTS && ch.MOUUID == "p6" || ch.Target.GUID == f.guid["dup1"] || ch.Target.GUID == f.guid["dup2"] || ch.Target.GUID == f.guid["orphan"] {
			t.Errorf("conflicting or orphan account touched: %+v", ch)
		}
	}
	if p.Inventory.ADAccounts != 6 || p.Inventory.MOPeople != 8 || p.Inventory.MOUnits != 2 {
		t.Errorf("inventory = %+v", p.Inventory)
	}
}

func TestPlanIDsStableAcrossReads(t *testing.T) {
	f := newFixture(t)
	p1 := f.plan(t, f.options())

	// A second read returning everything in another order, an hour later.
	ctx := context.Background()
	snap, _ := f.mo.Snapshot(ctx)
	r := rand.New(rand.NewPCG(1, 2))
	r.Shuffle(len(snap.People), func(i, j int) { snap.People[i], snap.People[j] = snap.People[j], snap.People[i] })
	accts, _ := f.dir.Accounts(ctx, engine.DefaultMapping().ReadAttributes())
	r.Shuffle(len(accts), func(i, j int) { accts[i], accts[j] = accts[j], accts[i] })
	taken, _ := f.dir.TakenNames(ctx)
	o := f.options()
	o.Now = testNow.Add(3600e9)
	p2, err := engine.BuildPlan(ctx, engine.PlanInput{MO: snap, AD: accts, Taken: taken, ADRead: true, Options: o,
		STS: engine.NewSTSPlanner(engine.STSMapOptions{TopUnitUUID: topUnit, Now: testNow}, f.sts.Record())})
	if err != nil {
		t.Fatal(err)
	}
	ids := func(p *engine.Plan) []string {
		var out []string
		for _, c := range p.Changes {
			out = append(out, c.ID)
		}
		return out
	}
	if !slices.Equal(ids(p1), ids(p2)) {
		t.Errorf("change ids differ between reads:\n%v\n%v", ids(p1), ids(p2))
	}
	if p1.ID == p2.ID {
		t.Error("two plans made at different times share a plan id")
	}
	// A different intent gives a different id.
	f.mo.Update(func(s *engine.Snapshot) { s.People[1].Engagements[0].JobFunction = "Chef" })
	p3 := f.plan(t, f.options())
	if bySubjectOp(p3)["ad update p2"].ID == bySubjectOp(p1)["ad update p2"].ID {
		t.Error("a new intended value kept the change id")
	}
}

func TestPlanSortedDeterministically(t *testing.T) {
	f := newFixture(t)
	p := f.plan(t, f.options())
	sys := map[engine.System]int{engine.SystemAD: 0, engine.SystemSTS: 1, engine.SystemMO: 2}
	op := map[engine.Op]int{engine.OpCreate: 0, engine.OpUpdate: 1, engine.OpRename: 2, engine.OpEnable: 3, engine.OpDisable: 4, engine.OpDelete: 5}
	for i := 1; i < len(p.Changes); i++ {
		a, b := p.Changes[i-1], p.Changes[i]
		ka := []int{sys[a.System], op[a.Op]}
		kb := []int{sys[b.System], op[b.Op]}
		if c := slices.Compare(ka, kb); c > 0 || c == 0 && a.Subject > b.Subject {
			t.Fatalf("changes %d and %d out of order: %s %s %q / %s %s %q", i-1, i, a.System, a.Op, a.Subject, b.System, b.Op, b.Subject)
		}
	}
}

func TestPlanRenameAndMatchByGUID(t *testing.T) {
	f := newFixture(t)
	o := f.options()
	m, err := engine.ParseMapping(engine.DefaultMappingText + "\ncn = mo common_name")
	if err != nil {
		t.Fatal(err)
	}
	o.Mapping = m
	f.mo.Update(func(s *engine.Snapshot) { s.People[1].Surname = "Berg-Nielsen" })
	p := f.plan(t, o)
	rn := bySubjectOp(p)["ad rename p2"]
	if rn == nil || rn.Fields[0].Before != "Anne Berg" || rn.Fields[0].After != "Anne Berg-Nielsen" {
		t.Fatalf("rename = %+v", rn)
	}

	// By objectGUID: Anne's IT user points at her account; Ole's at a GUID
	// AD does not have (warned, nothing created).
	f.mo.Update(func(s *engine.Snapshot) {
		s.People[1].ITUsers = []engine.ITUser{{UUID: "it2", UserKey: "aberg", ExternalID: f.guid["anne"], ITSystemUUID: adSys, Validity: engine.Validity{From: day(-10)}}}
		s.People[2].ITUsers = []engine.ITUser{{UUID: "it3", UserKey: "olund", ExternalID: "99999999-0000-4000-8000-000000000000", ITSystemUUID: adSys, Validity: engine.Validity{From: day(-10)}}}
	})
	o = f.options()
	o.MatchBy = engine.MatchByObjectGUID
	p = f.plan(t, o)
	cs := bySubjectOp(p)
	if cs["ad update p2"] == nil || cs["mo create p2"] != nil || cs["mo update p2"] != nil {
		t.Errorf("by GUID, Anne: update %v, write-back create %v update %v", cs["ad update p2"] != nil, cs["mo create p2"], cs["mo update p2"])
	}
	if cs["ad create p3"] != nil || !slices.Contains(warningCodes(p)[engine.WarnITUserAccountGone], "Ole Lund") {
		t.Errorf("Ole with a dangling GUID: create %v, warnings %v", cs["ad create p3"] != nil, warningCodes(p))
	}
}

func TestPlanOnlySystems(t *testing.T) {
	f := newFixture(t)
	o := f.options()
	o.Systems = []engine.System{engine.SystemMO}
	p := f.plan(t, o)
	for _, c := range p.Changes {
		if c.System != engine.SystemMO || c.DependsOn != "" {
			t.Errorf("--only mo kept %s %s %s (depends on %q)", c.System, c.Op, c.Subject, c.DependsOn)
		}
	}
	if len(p.Changes) == 0 {
		t.Error("--only mo dropped the write-backs of existing accounts")
	}
	if !slices.Equal(p.Systems, []engine.System{engine.SystemMO}) {
		t.Errorf("--only mo: plan covers %v", p.Systems)
	}
	o.Systems = nil
	if all := f.plan(t, o); !slices.Equal(all.Systems, []engine.System{engine.SystemAD, engine.SystemSTS, engine.SystemMO}) {
		t.Errorf("without --only: plan covers %v, want ad, sts, mo", all.Systems)
	}
}

func TestPlanJSONRoundTrip(t *testing.T) {
	f := newFixture(t)
	p := f.plan(t, f.options())
	b, err := engine.MarshalPlan(p)
	if err != nil {
		t.Fatal(err)
	}
	q, err := engine.UnmarshalPlan(b)
	if err != nil {
		t.Fatal(err)
	}
	b2, _ := engine.MarshalPlan(q)
	if string(b) != string(b2) {
		t.Error("plan does not round-trip through JSON")
	}
	bad := []struct{ name, in, want string }{
		{"not json", "{", "not a plan"},
		{"no version", `{"changes":[]}`, "no format_version"},
		{"newer version", `{"format_version":99}`, "format_version 99 is not supported"},
		{"unknown field", `{"format_version":1,"surprise":true}`, "unknown field"},
		{"dup id", `{"format_version":1,"changes":[{"id":"a","system":"ad","op":"update"},{"id":"a","system":"ad","op":"update"}]}`, "duplicate change id"},
		{"bad op", `{"format_version":1,"changes":[{"id":"a","system":"ad","op":"explode"}]}`, "unknown op"},
		{"dangling dep", `{"format_version":1,"changes":[{"id":"a","system":"mo","op":"create","depends_on":"b"}]}`, "not in the plan"},
	}
	for _, tt := range bad {
		if _, err := engine.UnmarshalPlan([]byte(tt.in)); err == nil || !strings.Contains(err.Error(), tt.want) || engine.KindOf(err) != engine.KindInvalid {
			t.Errorf("%s: err = %v, want KindInvalid containing %q", tt.name, err, tt.want)
		}
	}
}

func TestSetUsername(t *testing.T) {
	f := newFixture(t)
	p := f.plan(t, f.options())
	cs := bySubjectOp(p)
	create, wb := cs["ad create p1"], cs["mo create p1"]
	oldID := create.ID
	if _, err := p.SetUsername(oldID, "jhans3"); engine.KindOf(err) != engine.KindConflict {
		t.Errorf("a name another create uses: err = %v", err)
	}
	newID, err := p.SetUsername(oldID, "jensh")
	if err != nil {
		t.Fatal(err)
	}
	cs = bySubjectOp(p)
	create, wb = cs["ad create p1"], cs["mo create p1"]
	if newID == oldID || create.ID != newID || wb.DependsOn != newID {
		t.Errorf("ids: old %s new %s create %s depends %s", oldID, newID, create.ID, wb.DependsOn)
	}
	fm := fieldMap(create)
	if fm["sAMAccountName"].After != "jensh" || fm["userPrincipalName"].After != "jensh@kommune.dk" || !create.Username.Override {
		t.Errorf("create after override: %+v %+v", create.Fields, create.Username)
	}
	if fieldMap(wb)["user_key"].After != "jensh" || wb.ITUser.UserKey != "jensh" {
		t.Errorf("write-back after override: %+v", wb.Fields)
	}
	if err := engine.ValidatePlan(p); err != nil {
		t.Fatal(err)
	}
	if _, err := p.SetUsername(cs["ad update p2"].ID, "x"); engine.KindOf(err) != engine.KindInvalid {
		t.Errorf("override of an update: %v", err)
	}
}
