package demo

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"moxsync/engine"
)

// TestSettingsDescribeTheServers: the demo's systems are ordinary settings,
// read from no file even when the directory holds a settings.ini.
func TestSettingsDescribeTheServers(t *testing.T) {
	srv, err := Start(Options{Seed: 1}, false)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	ep := srv.Endpoints()
	// A settings.ini that would fail validation if it were read.
	if err := os.WriteFile(filepath.Join(ep.Dir, "settings.ini"), []byte("[settings]\nNO_SUCH_KEY = 1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := ep.Settings()
	if err != nil {
		t.Fatal(err)
	}
	if s.Path != "" {
		t.Errorf("settings read %s; want no file", s.Path)
	}
	for _, c := range []struct{ name, got, want string }{
		{"OS2MO_SERVICE_URL", s.MO.ServiceURL, srv.MOURL + "/service"},
		{"OS2MO_TOP_UNIT_UUID", s.MO.TopUnitUUID, srv.Dataset.TopUnitUUID},
		{"AD_URL", s.AD.URL, srv.AD.URL},
		{"AD_SEARCH_BASE", s.AD.SearchBase, srv.AD.SearchBase},
		{"AD_BIND_PASSWORD", s.AD.BindPassword, srv.AD.Password},
		{"STSORGSYNC_API_URL", s.STS.APIURL, srv.STSURL},
		{"STSORGSYNC_MUNICIPALITY", s.STS.Municipality, CVR},
		{"AUDIT_LOG", s.AuditLog, filepath.Join(ep.Dir, "audit.jsonl")},
	} {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
		}
	}
	if !s.MO.Configured() || !s.AD.Configured() || !s.STS.Configured() {
		t.Errorf("configured MO/AD/STS = %v/%v/%v, want all", s.MO.Configured(), s.AD.Configured(), s.STS.Configured())
	}
}

// TestWorldPlansApplyConverge: the world opened through wiring plans,
// applies and then has nothing left to do.
func TestWorldPlansApplyConverge(t *testing.T) {
	ctx := context.Background()
	w, err := New(ctx, Options{Seed: 4})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	p, err := w.MakePlan(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Changes) == 0 {
		t.Fatal("first plan is empty")
	}
	o, closeAudit, err := w.ApplyOptions(true)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for i := range p.Changes {
		if engine.Destructive(&p.Changes[i]) {
			n++
		}
	}
	o.AllowDeletes = n
	sum, err := engine.Apply(ctx, p, o)
	closeAudit()
	if err != nil || sum.Failed > 0 {
		t.Fatalf("apply: %+v, %v", sum, err)
	}
	again, err := w.MakePlan(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(again.Changes) != 0 {
		t.Errorf("second plan has %d changes, want 0", len(again.Changes))
	}
	if st, err := os.Stat(w.Audit); err != nil || st.Size() == 0 {
		t.Errorf("audit log %s: %v (size %v)", w.Audit, err, st)
	}
}
