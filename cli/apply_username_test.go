package cli

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-ldap/ldap/v3"

	"moxsync/engine"
)

// TestApplySavedPlanUsernameTaken: a username a saved plan approved is
// taken in AD (by an account the plan did not see) before `apply FILE`.
// The create is reported stale with the generator's next candidate named,
// nothing is created under another name, and the next plan proposes that
// candidate.
func TestApplySavedPlanUsernameTaken(t *testing.T) {
	w := newCLIWorld(t)
	if r := w.run(t, "plan", "--out", "plan.json"); r.code != exitOK {
		t.Fatalf("plan: exit %d: %s", r.code, r.stderr)
	}
	p := readPlanFile(t, filepath.Join(w.dir, "plan.json"))
	var create *engine.Change
	for i := range p.Changes {
		if c := &p.Changes[i]; c.System == engine.SystemAD && c.Op == engine.OpCreate && c.Username != nil {
			create = c
			break
		}
	}
	if create == nil {
		t.Fatal("the demo plan has no AD create")
	}
	name := create.Username.Username
	c, err := ldap.DialURL(w.srv.AD.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Bind(w.srv.AD.BindDN, w.srv.AD.Password); err != nil {
		t.Fatal(err)
	}
	add := ldap.NewAddRequest("CN=Name Holder,"+w.srv.AD.SearchBase, nil)
	add.Attribute("objectClass", []string{"group"})
	add.Attribute("sAMAccountName", []string{name})
	if err := c.Add(add); err != nil {
		t.Fatal(err)
	}

	r := w.run(t, "apply", "plan.json", "--allow-deletes", "0", "--only", create.ID)
	want := "the username " + name + " was taken in AD since the plan was made; the generator's next candidate is "
	if !strings.Contains(r.stderr, want) {
		t.Fatalf("apply: exit %d; stderr lacks %q:\n%s", r.code, want, r.stderr)
	}
	if r.code == exitOK {
		t.Error("apply exits 0 though the create was not made")
	}
	candidate := strings.Fields(r.stderr[strings.Index(r.stderr, want)+len(want):])[0]
	res, err := c.Search(ldap.NewSearchRequest(w.srv.AD.SearchBase, ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, 0, 0, false,
		"(sAMAccountName="+ldap.EscapeFilter(candidate)+")", []string{"dn"}, nil))
	if err != nil || len(res.Entries) != 0 {
		t.Errorf("an account %s exists after a refused create (%v)", candidate, err)
	}
	if r := w.run(t, "plan", "--json", "--out", "again.json"); r.code != exitOK {
		t.Fatalf("second plan: exit %d", r.code)
	}
	again := readPlanFile(t, filepath.Join(w.dir, "again.json"))
	for _, c := range again.Changes {
		if c.MOUUID == create.MOUUID && c.System == engine.SystemAD && c.Op == engine.OpCreate {
			if c.Username.Username != candidate {
				t.Errorf("the next plan proposes %s, apply named %s", c.Username.Username, candidate)
			}
			return
		}
	}
	t.Error("the next plan has no create for the person")
}
