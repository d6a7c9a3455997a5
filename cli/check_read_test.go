package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/go-ldap/ldap/v3"

	"moxsync/engine"
)

// adCounts counts, straight over LDAP (not through the adapter), the person
// accounts under the base, the disabled ones, and the distinct user names
// in use (sAMAccountName and userPrincipalName prefixes, lower-cased).
func adCounts(t *testing.T, cfg struct{ URL, BindDN, Password, Base string }) (accounts, disabled, names int) {
	t.Helper()
	c, err := ldap.DialURL(cfg.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Bind(cfg.BindDN, cfg.Password); err != nil {
		t.Fatal(err)
	}
	res, err := c.SearchWithPaging(ldap.NewSearchRequest(cfg.Base, ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, 0, 0, false,
		"(&(objectClass=user)(objectCategory=person))", []string{"userAccountControl"}, nil), 500)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range res.Entries {
		accounts++
		var uac int
		fmt.Sscan(e.GetAttributeValue("userAccountControl"), &uac)
		if uac&2 != 0 {
			disabled++
		}
	}
	res, err = c.SearchWithPaging(ldap.NewSearchRequest(cfg.Base, ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, 0, 0, false,
		"(|(sAMAccountName=*)(userPrincipalName=*))", []string{"sAMAccountName", "userPrincipalName"}, nil), 500)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, e := range res.Entries {
		if v := e.GetAttributeValue("sAMAccountName"); v != "" {
			seen[strings.ToLower(v)] = true
		}
		if v := e.GetAttributeValue("userPrincipalName"); v != "" {
			seen[strings.ToLower(v[:strings.LastIndex(v, "@")])] = true
		}
	}
	return accounts, disabled, len(seen)
}

// TestCheckFullRead: check reads MO, AD and the STS record in full and
// prints counts that agree with the fakes' own data; --quick skips it; a
// full read that fails is reported and exits 1.
func TestCheckFullRead(t *testing.T) {
	w := newCLIWorld(t)
	adCfg := struct{ URL, BindDN, Password, Base string }{w.srv.AD.URL, w.srv.AD.BindDN, w.srv.AD.Password, w.srv.AD.SearchBase}

	// What MO holds, by the fake's own view of its data.
	snap := w.srv.Dataset.Snapshot(time.Now(), w.srv.Dataset.TopUnitUUID)
	adSys := engine.FindITSystem(snap, "Active Directory")
	engagements, itusers := 0, 0
	for _, p := range snap.People {
		engagements += len(p.Engagements)
		for _, it := range p.ITUsers {
			if it.ITSystemUUID == adSys {
				itusers++
			}
		}
	}
	if adSys == "" || itusers == 0 || engagements == 0 {
		t.Fatalf("the demo data lacks what this test counts: system %q, %d IT users, %d engagements", adSys, itusers, engagements)
	}
	accounts, disabled, names := adCounts(t, adCfg)

	// Say which reads are still running every millisecond, so that even
	// this small read shows the progress lines of a long one.
	tick := fullReadTick
	fullReadTick = time.Millisecond
	t.Cleanup(func() { fullReadTick = tick })

	r := w.run(t, "check")
	if r.code != exitOK {
		t.Fatalf("check: exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	wantLines := []string{
		"All 3 configured systems answered.",
		"Full read (--quick skips it):",
		fmt.Sprintf("  MO          ok              %d units under the top unit, %d people, %d engagements, %d IT users in \"Active Directory\"",
			len(snap.Units), len(snap.People), engagements, itusers),
		fmt.Sprintf("  AD          ok              %d accounts under %s, %d disabled, %d names taken (read in ", accounts, adCfg.Base, disabled, names),
		"  STSOrgSync  ok              record " + filepath.Join(w.dir, "sts_state.json") + ": 0 units, 0 users recorded (",
		"; the middleware answers: " + w.srv.STSURL + " answered HTTP 404 (read in ",
		"Every configured system was read in full.",
	}
	for _, l := range wantLines {
		if !strings.Contains(r.stdout, l) {
			t.Errorf("stdout lacks %q:\n%s", l, r.stdout)
		}
	}
	if !regexp.MustCompile(`(?m)^  MO .*, \d+ requests \(read in [0-9.]+m?s\)$`).MatchString(r.stdout) {
		t.Errorf("MO line lacks its request count and time:\n%s", r.stdout)
	}
	for _, l := range []string{"moxsync check: reading MO…", "moxsync check: reading AD…", "moxsync check: reading STSOrgSync…",
		"moxsync check: read MO in ", "moxsync check: read AD in ", "moxsync check: read STSOrgSync in ",
		"moxsync check: still reading MO ("} {
		if !strings.Contains(r.stderr, l) {
			t.Errorf("stderr lacks progress line %q:\n%s", l, r.stderr)
		}
	}
	checkMasked(t, "check output", r.stdout+r.stderr)
	// The MO client logs through the configured log (MOX_LOG_FILE), with
	// this snapshot's own request count.
	logData, err := os.ReadFile(filepath.Join(w.dir, "moxsync.log"))
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`read MO snapshot.*system=mo.*requests=\d+`).Match(logData) {
		t.Errorf("the MO client's snapshot line is not in MOX_LOG_FILE:\n%s", logData)
	}
	if strings.Contains(string(logData), w.srv.AD.Password) {
		t.Error("AD password in the log")
	}

	// --quick: connections only.
	r = w.run(t, "check", "--quick")
	if r.code != exitOK || strings.Contains(r.stdout, "Full read") || strings.Contains(r.stderr, "reading MO") {
		t.Errorf("--quick: exit %d, stdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}

	// After an apply, the counts follow: the STS record holds what the fake
	// STSOrgSync holds, and AD has the new accounts.
	if r := w.run(t, "apply", "--auto-approve"); r.code != exitOK {
		t.Fatalf("apply: exit %d\n%s", r.code, r.stderr)
	}
	stsUnits, stsUsers := w.srv.STS().Active()
	accounts2, disabled2, names2 := adCounts(t, adCfg)
	if stsUnits == 0 || stsUsers == 0 || accounts2 <= accounts {
		t.Fatalf("apply changed too little: STS %d units %d users, AD %d → %d accounts", stsUnits, stsUsers, accounts, accounts2)
	}
	r = w.run(t, "check")
	for _, l := range []string{
		fmt.Sprintf("record %s: %d units, %d users recorded;", filepath.Join(w.dir, "sts_state.json"), stsUnits, stsUsers),
		fmt.Sprintf("%d accounts under %s, %d disabled, %d names taken", accounts2, adCfg.Base, disabled2, names2),
	} {
		if r.code != exitOK || !strings.Contains(r.stdout, l) {
			t.Errorf("after apply: exit %d, stdout lacks %q:\n%s", r.code, l, r.stdout)
		}
	}
}

// TestCheckFullReadFailure: a system that answers the probe but cannot be
// read in full (here: MO without the IT system the AD mapping writes to)
// fails the check with a line saying why.
func TestCheckFullReadFailure(t *testing.T) {
	w := newCLIWorld(t)
	ini := filepath.Join(w.dir, "settings.ini")
	b, err := os.ReadFile(ini)
	if err != nil {
		t.Fatal(err)
	}
	b = []byte(strings.Replace(string(b), "OS2MO_AD_ITSYSTEM = Active Directory", "OS2MO_AD_ITSYSTEM = No Such System", 1))
	if err := os.WriteFile(ini, b, 0o600); err != nil {
		t.Fatal(err)
	}
	r := w.run(t, "check")
	if r.code != exitError {
		t.Errorf("exit %d, want %d", r.code, exitError)
	}
	for _, l := range []string{
		"  MO          FAILED          MO has ",
		"but no IT system \"No Such System\" (OS2MO_AD_ITSYSTEM), which the AD mapping writes to (read in ",
		"  AD          ok              ",
		"The full read of 1 of 3 systems failed.",
	} {
		if !strings.Contains(r.stdout, l) {
			t.Errorf("stdout lacks %q:\n%s", l, r.stdout)
		}
	}
	if !strings.Contains(r.stderr, "moxsync check: reading MO failed after ") {
		t.Errorf("stderr:\n%s", r.stderr)
	}
}

func TestRoundDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		1234567 * time.Nanosecond: "1ms", 850 * time.Millisecond: "850ms",
		1234 * time.Millisecond: "1.2s", 123 * time.Second: "2m3s",
	} {
		if got := roundDuration(d); got != want {
			t.Errorf("roundDuration(%v) = %q, want %q", d, got, want)
		}
	}
}

// TestCheckFullReadAgainstSamba: the full read of a real DC. Other tests
// change the DC's accounts at the same time, so only the shape of the line
// is checked, and that the counts are plausible.
func TestCheckFullReadAgainstSamba(t *testing.T) {
	if os.Getenv("AD_LDAP_URL") == "" {
		t.Skip("AD_LDAP_URL not set (see .ci/ad-dc.sh)")
	}
	dir := t.TempDir()
	ini := "[settings]\nMOX_LOG_LEVEL = 40\nAD_TIMEOUT = 60s\nAD_URL = " + os.Getenv("AD_LDAPS_URL") + "\nAD_CA_BUNDLE = " + os.Getenv("AD_CA_FILE") +
		"\nAD_BIND_DN = " + os.Getenv("AD_BIND") + "\nAD_SEARCH_BASE = " + os.Getenv("AD_BASE_DN") + "\n"
	if err := os.WriteFile(filepath.Join(dir, "settings.ini"), []byte(ini), 0o600); err != nil {
		t.Fatal(err)
	}
	r := runIn(t, dir, map[string]string{"AD_BIND_PASSWORD": os.Getenv("AD_PASS")}, "check", "--timeout", "60s")
	re := regexp.MustCompile(`(?m)^  AD          ok              (\d+) accounts under ` + regexp.QuoteMeta(os.Getenv("AD_BASE_DN")) + `, (\d+) disabled, (\d+) names taken \(read in `)
	m := re.FindStringSubmatch(r.stdout)
	if r.code != exitOK || m == nil {
		t.Fatalf("exit %d, no AD count line:\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	var accounts, disabled, names int
	fmt.Sscan(m[1], &accounts)
	fmt.Sscan(m[2], &disabled)
	fmt.Sscan(m[3], &names)
	// Administrator and Guest at least; every account has a name.
	if accounts < 2 || disabled > accounts || names < accounts {
		t.Errorf("implausible counts %d accounts, %d disabled, %d names", accounts, disabled, names)
	}
	if strings.Contains(r.stdout+r.stderr, os.Getenv("AD_PASS")) {
		t.Error("password in output")
	}
}
