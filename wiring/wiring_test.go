package wiring

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"moxsync/engine"
	"moxsync/settings"
)

func load(t *testing.T, values map[string]string) *settings.Settings {
	t.Helper()
	s, err := settings.Load(settings.LoadOptions{NoFile: true, Getenv: func(k string) string { return values[k] }, Cwd: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestParseSystems(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []engine.System
		err  string
	}{
		{"", nil, ""},
		{"ad", []engine.System{engine.SystemAD}, ""},
		{" AD , sts,mo", []engine.System{engine.SystemAD, engine.SystemSTS, engine.SystemMO}, ""},
		{"ad,ldap", nil, `--only "ldap": want ad, sts or mo`},
	} {
		got, err := ParseSystems(c.in)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("ParseSystems(%q) error = %v, want %q", c.in, err, c.err)
			}
			continue
		}
		if err != nil || strings.Join(sys(got), ",") != strings.Join(sys(c.want), ",") {
			t.Errorf("ParseSystems(%q) = %v, %v; want %v", c.in, got, err, c.want)
		}
	}
}

func sys(s []engine.System) []string {
	var out []string
	for _, x := range s {
		out = append(out, string(x))
	}
	return out
}

func TestWantsSystem(t *testing.T) {
	if !WantsSystem(nil, engine.SystemSTS) {
		t.Error("no systems given must mean all")
	}
	if WantsSystem([]engine.System{engine.SystemAD}, engine.SystemSTS) {
		t.Error("ad only must not want sts")
	}
}

func TestPlanOptionsFromSettings(t *testing.T) {
	s := load(t, map[string]string{"AD_NEW_USER_OU": "OU=Nye", "AD_UPN_SUFFIX": "kommune.dk", "AD_MATCH_BY": "objectGUID"})
	po, err := PlanOptions(s)
	if err != nil {
		t.Fatal(err)
	}
	if po.NewUserOU != "OU=Nye" || po.UPNSuffix != "kommune.dk" || po.MatchBy != engine.MatchByObjectGUID || po.Usernames == nil || po.ToolVersion == "" {
		t.Errorf("PlanOptions = %+v", po)
	}
	if po.CPRAttr != "employeeID" {
		t.Errorf("CPRAttr = %q, want the default employeeID", po.CPRAttr)
	}
}

func TestUsernameConfigSources(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "gen.json")
	if err := os.WriteFile(file, []byte(engine.DefaultUsernameConfigJSON), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name     string
		flag     string
		values   map[string]string
		wantKind string
		wantErr  string
	}{
		{"built in", "", nil, "builtin", ""},
		{"flag", file, nil, "flag", ""},
		{"flag file missing", filepath.Join(dir, "nope.json"), nil, "flag", "read --generator file"},
		{"setting inline", "", map[string]string{"USERNAME_GENERATOR": engine.DefaultUsernameConfigJSON}, "settings", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, src, err := UsernameConfig(c.flag, load(t, c.values))
			if src.Kind != c.wantKind {
				t.Errorf("source kind = %q, want %q", src.Kind, c.wantKind)
			}
			if c.wantErr == "" && err != nil || c.wantErr != "" && (err == nil || !strings.Contains(err.Error(), c.wantErr)) {
				t.Errorf("error = %v, want %q", err, c.wantErr)
			}
		})
	}
}

func TestOpenNeedsMO(t *testing.T) {
	_, err := Open(context.Background(), load(t, nil), Options{})
	if err == nil || !strings.Contains(err.Error(), "OS2MO is not configured") {
		t.Fatalf("Open without MO: %v", err)
	}
}

func TestMOAddress(t *testing.T) {
	rest := load(t, map[string]string{"OS2MO_SERVICE_URL": "https://mo.example/service", "OS2MO_API": "rest"})
	if got := MOAddress(rest); got != "https://mo.example/service" {
		t.Errorf("REST MOAddress = %q", got)
	}
	gql := load(t, map[string]string{"OS2MO_SERVICE_URL": "https://mo.example/service"})
	if got := MOAddress(gql); !strings.Contains(got, "/graphql/v") {
		t.Errorf("GraphQL MOAddress = %q", got)
	}
}
