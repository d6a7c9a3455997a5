package sts

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"moxsync/engine"
)

func TestStateSaveLoad(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "sts-state.json")
	s := NewState(path)
	unit, user := testUnit(), testUser(DialectV11)
	s.PutUnit(unit)
	s.PutUser(user)
	s.PutUser(engine.STSUser{UUID: "0000000b-0000-4000-8000-000000000002", UserID: "x", Person: engine.STSPerson{Name: "X"}})
	s.RemoveUser("0000000B-0000-4000-8000-000000000002")
	if err := s.Save(); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600 (the file holds personal data)", fi.Mode().Perm())
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("temporary files left behind: %v", entries)
	}
	b, _ := os.ReadFile(path)
	if !strings.Contains(string(b), `"/orgunit/`+ou1+`":`) || !strings.Contains(string(b), `"/user/`+usr1+`":`) {
		t.Errorf("keys are not /orgunit/<uuid> and /user/<uuid>:\n%s", b)
	}
	got, warns, err := LoadState(path)
	if err != nil || len(warns) != 0 {
		t.Fatalf("load: %v %v", err, warns)
	}
	want := engine.STSRecord{Units: map[string]engine.STSUnit{ou1: unit}, Users: map[string]engine.STSUser{usr1: user}}
	if rec := got.Record(); !reflect.DeepEqual(rec, want) {
		t.Errorf("record after load:\n got %+v\nwant %+v", rec, want)
	}
	// A second save replaces the file whole.
	got.RemoveUnit(ou1)
	if err := got.Save(); err != nil {
		t.Fatal(err)
	}
	again, _, _ := LoadState(path)
	if u, p := again.Len(); u != 0 || p != 1 {
		t.Errorf("after second save: %d units %d users", u, p)
	}
}

func TestStateLoadProblemsAreWarnings(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	tests := []struct {
		name, path, code string
	}{
		{"missing", filepath.Join(dir, "nope.json"), WarnStateMissing},
		{"truncated JSON", write("half.json", `{"format_version":1,"objects":{"/user/`), WarnStateCorrupt},
		{"empty file", write("empty.json", ``), WarnStateCorrupt},
		{"bad key", write("key.json", `{"format_version":1,"objects":{"/thing/x":{}}}`), WarnStateCorrupt},
		{"entry under the wrong uuid", write("wrong.json", `{"format_version":1,"objects":{"/user/`+usr1+`":{"uuid":"other"}}}`), WarnStateCorrupt},
		{"newer format", write("new.json", `{"format_version":99,"objects":{}}`), WarnStateCorrupt},
		{"mox hash cache", write("stsorgsync_hash_cache", `{"/user/`+usr1+`": "5c2b1b0c0b5f3f2e0a4f1a2d0c1e2b3a4d5e6f708192a3b4c5d6e7f8"}`), WarnStateMox},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, warns, err := LoadState(tc.path)
			if err != nil {
				t.Fatalf("err = %v", err)
			}
			if len(warns) != 1 || warns[0].Code != tc.code || !strings.Contains(warns[0].Message, "not yet sent") {
				t.Fatalf("warnings = %+v", warns)
			}
			if u, p := s.Len(); u != 0 || p != 0 {
				t.Errorf("state not empty: %d %d", u, p)
			}
			if s.Path() != tc.path {
				t.Errorf("path %q", s.Path())
			}
		})
	}
	if _, _, err := LoadState(dir); err == nil {
		t.Error("a directory must be an error: it could not be saved either")
	}
}

func TestStateSaveFailureKeepsOldFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "state.json")
	s := NewState(path)
	s.PutUnit(testUnit())
	if err := s.Save(); err != nil {
		t.Fatal(err)
	}
	old, _ := os.ReadFile(path)
	// Make the rename fail: the target name becomes a non-empty directory.
	s2 := NewState(filepath.Join(dir, "blocked"))
	if err := os.MkdirAll(filepath.Join(dir, "blocked", "x"), 0o700); err != nil {
		t.Fatal(err)
	}
	s2.PutUnit(testUnit())
	if err := s2.Save(); err == nil {
		t.Fatal("save over a directory succeeded")
	}
	if s2.Dirty() == 0 {
		t.Error("a failed save must keep the changes dirty")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Errorf("temporary file left behind: %v", entries)
	}
	if now, _ := os.ReadFile(path); string(now) != string(old) {
		t.Error("other state file changed")
	}
}

func TestSaveIfDirty(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.json")
	s := NewState(path)
	s.PutUnit(testUnit())
	if err := s.SaveIfDirty(2, 1<<62); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatal("saved before the batch was full")
	}
	s.PutUser(testUser(DialectV11))
	if err := s.SaveIfDirty(2, 1<<62); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); err != nil || s.Dirty() != 0 {
		t.Fatalf("not saved at a full batch: %v", err)
	}
}
