package adtest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/go-ldap/ldap/v3"
)

// TestIntegerValuesAsSamba: integer values are checked and stored as Samba
// 4.17 does (TestDifferentialAgainstSamba measures the same cases against
// the real DC): a leading zero reads as octal, so "01310" is stored as 712
// and "0208" is refused with 21; trailing space and hex are refused.
func TestIntegerValuesAsSamba(t *testing.T) {
	s := newServer(t, Options{})
	c := admin(t, s)
	base := ou(t, s, "ints")
	tests := []struct {
		value      string
		wantCode   int    // LDAP result code
		wantStored string // countryCode read back
		wantMsg    string
	}{
		{"1310", 0, "1310", ""},
		{"01310", 0, "712", ""},
		{"+045", 0, "37", ""},
		{" 45", 0, "45", ""},
		{"00", 0, "0", ""},
		{"0", 0, "0", ""},
		{"-0", 0, "0", ""},
		{"0208", 21, "", "Invalid attribute syntax during LDB_"},
		{"+0208", 21, "", "Invalid attribute syntax during LDB_"},
		{"01389", 21, "", "Invalid attribute syntax during LDB_"},
		{"45 ", 21, "", "contains at least one invalid value"},
		{"0x1F", 21, "", "contains at least one invalid value"},
		{"abc", 21, "", "contains at least one invalid value"},
		{"65536", 21, "", "contains at least one invalid value"},
	}
	for i, tt := range tests {
		for _, how := range []string{"add", "modify"} {
			t.Run(fmt.Sprintf("%s %q", how, tt.value), func(t *testing.T) {
				dn := fmt.Sprintf("CN=I%d%s,%s", i, how, base)
				var err error
				if how == "add" {
					err = c.Add(addReq(dn, map[string][]string{"objectClass": {"user"}, "sAMAccountName": {fmt.Sprintf("i%d%s", i, how)}, "countryCode": {tt.value}}))
				} else {
					mustAdd(t, c, dn, map[string][]string{"objectClass": {"user"}, "sAMAccountName": {fmt.Sprintf("i%d%s", i, how)}, "countryCode": {"5"}})
					m := ldap.NewModifyRequest(dn, nil)
					m.Replace("countryCode", []string{tt.value})
					err = c.Modify(m)
				}
				if code(err) != tt.wantCode || tt.wantMsg != "" && !strings.Contains(err.Error(), tt.wantMsg) {
					t.Fatalf("err = %v, want code %d with %q", err, tt.wantCode, tt.wantMsg)
				}
				if tt.wantCode != 0 {
					return
				}
				r, err := c.Search(ldap.NewSearchRequest(dn, ldap.ScopeBaseObject, ldap.NeverDerefAliases, 0, 0, false, "(objectClass=*)", []string{"countryCode"}, nil))
				if err != nil || len(r.Entries) != 1 {
					t.Fatalf("read back: %v", err)
				}
				if got := r.Entries[0].GetAttributeValue("countryCode"); got != tt.wantStored {
					t.Errorf("stored %q, want %q", got, tt.wantStored)
				}
				// The stored value is what filters match.
				if got := search(t, c, base, ldap.ScopeWholeSubtree, "(countryCode="+tt.wantStored+")"); len(got) == 0 {
					t.Errorf("(countryCode=%s) finds nothing", tt.wantStored)
				}
			})
		}
	}
}

// fakeTB is a TB that is not from package testing.
type fakeTB struct {
	dir    string
	failed string
}

func (f *fakeTB) Helper()                        {}
func (f *fakeTB) TempDir() string                { return f.dir }
func (f *fakeTB) Fatalf(format string, a ...any) { f.failed = fmt.Sprintf(format, a...) }

// TestCAFileTakesAnyTB: CAFile works with any TB, so the package does not
// need package testing outside its tests.
func TestCAFileTakesAnyTB(t *testing.T) {
	s := newServer(t, Options{})
	f := &fakeTB{dir: t.TempDir()}
	p := s.CAFile(f)
	if f.failed != "" || !strings.HasPrefix(p, f.dir) {
		t.Fatalf("CAFile = %q, failed %q", p, f.failed)
	}
	bad := &fakeTB{dir: "/nonexistent/dir"}
	s.CAFile(bad)
	if !strings.Contains(bad.failed, "adtest: write CA file") {
		t.Errorf("an unwritable directory is not reported: %q", bad.failed)
	}
}
