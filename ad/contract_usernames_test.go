package ad

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/go-ldap/ldap/v3"

	"moxsync/engine"
)

// otherOU adds a sibling OU of the env's search base (under the domain
// root, outside AD_SEARCH_BASE), removed when the test ends.
func (e *testEnv) otherOU(tb testing.TB) string {
	tb.Helper()
	dn := "OU=mxt-other-" + randomHex(4) + "," + e.srv.base
	e.addOU(tb, dn)
	tb.Cleanup(func() {
		err := e.admin.Del(ldap.NewDelRequest(dn, []ldap.Control{ldap.NewControlSubtreeDelete()}))
		if err != nil && !ldap.IsErrorWithCode(err, ldap.LDAPResultNoSuchObject) {
			tb.Errorf("tree-delete %s: %v", dn, err)
		}
	})
	return dn
}

// addUserIn adds a user account with sam (and a UPN upn@realm, unless upn
// is empty) under parent with the admin connection.
func (e *testEnv) addUserIn(tb testing.TB, parent, cn, sam, upn string) {
	tb.Helper()
	req := ldap.NewAddRequest("CN="+EscapeRDNValue(cn)+","+parent, nil)
	req.Attribute("objectClass", []string{"user"})
	req.Attribute("sAMAccountName", []string{sam})
	if upn != "" {
		req.Attribute("userPrincipalName", []string{upn + "@" + e.srv.upnRealm})
	}
	if err := e.admin.Add(req); err != nil {
		tb.Fatalf("add %s under %s: %v", sam, parent, err)
	}
}

// TestContractTakenNamesDomainWide: names held by accounts outside the
// search base are taken (sAMAccountName in the domain, UPN in the forest),
// by both reads, while their accounts and CNs stay out of the plan's view;
// a create AD refuses for such a name says so (engine.ErrUsernameTaken),
// and a DN that exists does not.
func TestContractTakenNamesDomainWide(t *testing.T) {
	eachServer(t, func(t *testing.T, e *testEnv) {
		ctx := context.Background()
		other := e.otherOU(t)
		e.addUserIn(t, other, "Elsewhere Person", e.prefix+"else", e.prefix+"upn.else")
		taken, err := e.dir.TakenNames(ctx)
		if err != nil {
			t.Fatal(err)
		}
		accts, bulk, err := e.dir.AccountsAndTakenNames(ctx, []string{"employeeID"})
		if err != nil {
			t.Fatal(err)
		}
		for name, tn := range map[string]engine.TakenNames{"TakenNames": taken, "AccountsAndTakenNames": bulk} {
			for _, u := range []string{e.prefix + "else", e.prefix + "upn.else"} {
				if !tn.HasUsername(u) {
					t.Errorf("%s: %q, held outside the search base, is not taken", name, u)
				}
			}
			if _, ok := tn.CNs["elsewhere person"]; ok {
				t.Errorf("%s: a CN outside the search base counts as taken", name)
			}
		}
		for _, a := range accts {
			if strings.EqualFold(a.SAMAccountName, e.prefix+"else") {
				t.Error("an account outside the search base was read")
			}
		}

		na := e.newAccount("New Person", e.prefix+"else", nil)
		na.UPN = e.prefix + "fresh@" + e.srv.upnRealm
		_, err = e.dir.Create(ctx, na)
		if !errors.Is(err, engine.ErrUsernameTaken) || engine.KindOf(err) != engine.KindConflict {
			t.Errorf("create with a sAMAccountName held elsewhere: %v", err)
		}
		na = e.newAccount("New Person", e.prefix+"fresh", nil)
		na.UPN = e.prefix + "upn.else@" + e.srv.upnRealm
		_, err = e.dir.Create(ctx, na)
		if !errors.Is(err, engine.ErrUsernameTaken) || engine.KindOf(err) != engine.KindConflict {
			t.Errorf("create with a UPN held elsewhere: %v", err)
		}
		e.create(t, "Same Cn", e.prefix+"cn1", nil)
		_, err = e.dir.Create(ctx, e.newAccount("Same Cn", e.prefix+"cn2", nil))
		if errors.Is(err, engine.ErrUsernameTaken) || engine.KindOf(err) != engine.KindConflict {
			t.Errorf("create of a DN that exists: %v (want a conflict that is not a taken username)", err)
		}
	})
}

// TestContractUsernameClash is the field test's run at small scale: an
// account in another OU holds the name the generator would give a new
// person, so the plan gives the next one; a third account takes that one
// between plan and apply, so the apply creates the account with the
// generator's next candidate; the rerun plans nothing.
func TestContractUsernameClash(t *testing.T) {
	eachServer(t, func(t *testing.T, e *testEnv) {
		ctx := context.Background()
		gen, err := engine.NewUsernameGenerator(engine.DefaultUsernameConfig())
		if err != nil {
			t.Fatal(err)
		}
		// A surname of random letters keeps the names of this run apart
		// from anything else in a shared domain.
		surname := "Hx" + strings.Map(func(r rune) rune { return 'a' + (r % 26) }, randomHex(4))
		person := engine.Person{UUID: "9e2c1a00-0000-4000-8000-000000000001", GivenName: "Jens", Surname: surname, CPR: "0101801234",
			Engagements: []engine.Engagement{{UUID: "e1", UserKey: "208", UnitUUID: "u1", JobFunction: "Sagsbehandler", IsPrimary: true,
				Validity: engine.Validity{From: time.Now().AddDate(-1, 0, 0)}}}}
		candidates := func(n int) []string {
			taken := engine.TakenNames{Usernames: map[string]struct{}{}, CNs: map[string]struct{}{}}
			var out []string
			for range n {
				r, err := gen.NewBatch(taken, nil).Generate(person.GivenName, person.Surname, person.UUID)
				if err != nil {
					t.Fatal(err)
				}
				out = append(out, r.Username)
				taken.Usernames[strings.ToLower(r.Username)] = struct{}{}
			}
			return out
		}
		names := candidates(3)
		other := e.otherOU(t)
		e.addUserIn(t, other, "Holder One", names[0], "")

		snap := &engine.Snapshot{ReadAt: time.Now(), TopUnit: "u1",
			Units:  []engine.Unit{{UUID: "u1", Name: "Kommune", Validity: engine.Validity{From: time.Now().AddDate(-5, 0, 0)}}},
			People: []engine.Person{person}}
		opts := engine.PlanOptions{Mapping: engine.DefaultMapping(), MatchBy: engine.MatchByCPR, CPRAttr: "employeeID",
			NewUserOU: "OU=Nye brugere", SearchBase: e.ou, UPNSuffix: e.srv.upnRealm, TopUnit: "u1", Now: time.Now(),
			Usernames: gen, Systems: []engine.System{engine.SystemAD}}
		plan := func() *engine.Plan {
			t.Helper()
			accts, taken, err := e.dir.AccountsAndTakenNames(ctx, opts.Mapping.ReadAttributes())
			if err != nil {
				t.Fatal(err)
			}
			p, err := engine.BuildPlan(ctx, engine.PlanInput{MO: snap, AD: accts, Taken: taken, ADRead: true, Options: opts})
			if err != nil {
				t.Fatal(err)
			}
			return p
		}
		p := plan()
		if len(p.Changes) != 1 || p.Changes[0].Op != engine.OpCreate || p.Changes[0].Username == nil || p.Changes[0].Username.Username != names[1] {
			t.Fatalf("plan: want one create as %s (%s is held in another OU); got %+v", names[1], names[0], p.Changes)
		}
		e.addUserIn(t, other, "Holder Two", names[1], "")
		sum, err := engine.Apply(ctx, p, engine.ApplyOptions{Directory: e.dir, Usernames: gen, UsernameClash: engine.ClashNextCandidate})
		if err != nil {
			t.Fatal(err)
		}
		if sum.OK != 1 || !strings.Contains(sum.Results[0].Note, "created as "+names[2]) {
			t.Fatalf("apply: %+v", sum.Results)
		}
		if got := e.read(t, "CN=Jens "+surname+","+e.newUsers, "sAMAccountName"); len(got) != 1 || !strings.EqualFold(got[0], names[2]) {
			t.Errorf("the account's sAMAccountName is %v, want %s", got, names[2])
		}
		if again := plan(); len(again.Changes) != 0 {
			t.Errorf("rerun plans %d changes: %+v", len(again.Changes), again.Changes)
		}
	})
}
