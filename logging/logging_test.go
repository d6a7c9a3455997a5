package logging

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLevel(t *testing.T) {
	tests := []struct {
		python int
		want   slog.Level
		name   string
	}{
		{-5, slog.LevelDebug, "DEBUG"},
		{0, slog.LevelDebug, "DEBUG"},
		{5, slog.LevelDebug, "DEBUG"},
		{10, slog.LevelDebug, "DEBUG"},
		{15, slog.LevelDebug, "DEBUG"},
		{20, slog.LevelInfo, "INFO"},
		{29, slog.LevelInfo, "INFO"},
		{30, slog.LevelWarn, "WARNING"},
		{40, slog.LevelError, "ERROR"},
		{45, slog.LevelError, "ERROR"},
		{50, LevelCritical, "CRITICAL"},
		{99, LevelCritical, "CRITICAL"},
	}
	for _, tt := range tests {
		if got := Level(tt.python); got != tt.want || levelName(got) != tt.name {
			t.Errorf("Level(%d) = %v (%s), want %v (%s)", tt.python, got, levelName(got), tt.want, tt.name)
		}
	}
}

// TestLevelFilters checks what each Python level lets through, end to end.
func TestLevelFilters(t *testing.T) {
	tests := []struct {
		python int
		want   string // levels that appear, in order
	}{
		{10, "DEBUG INFO WARNING ERROR CRITICAL"},
		{20, "INFO WARNING ERROR CRITICAL"},
		{30, "WARNING ERROR CRITICAL"},
		{35, "WARNING ERROR CRITICAL"},
		{40, "ERROR CRITICAL"},
		{50, "CRITICAL"},
	}
	for _, tt := range tests {
		var buf bytes.Buffer
		log, closeFn, err := New(Options{Level: tt.python, Stderr: &buf})
		if err != nil {
			t.Fatal(err)
		}
		log.Debug("d")
		log.Info("i")
		log.Warn("w")
		log.Error("e")
		log.Log(t.Context(), LevelCritical, "c")
		closeFn()
		var got []string
		for _, line := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
			for _, f := range strings.Fields(line) {
				if l, ok := strings.CutPrefix(f, "level="); ok {
					got = append(got, l)
				}
			}
		}
		if strings.Join(got, " ") != tt.want {
			t.Errorf("level %d let through %q, want %q", tt.python, got, tt.want)
		}
	}
}

func TestFileAppendAndMode(t *testing.T) {
	p := filepath.Join(t.TempDir(), "moxsync.log")
	for i, msg := range []string{"first run", "second run"} {
		var stderr bytes.Buffer
		log, closeFn, err := New(Options{Level: 20, File: p, Stderr: &stderr})
		if err != nil {
			t.Fatal(err)
		}
		log.Info(msg, "run", i)
		if err := closeFn(); err != nil {
			t.Fatal(err)
		}
		if stderr.Len() != 0 {
			t.Errorf("stderr got %q while logging to a file", stderr.String())
		}
	}
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), "first run") || !strings.Contains(string(data), "second run") {
		t.Errorf("log file does not hold both runs:\n%s", data)
	}
	st, _ := os.Stat(p)
	if st.Mode().Perm() != 0o600 {
		t.Errorf("mode = %v, want 0600", st.Mode().Perm())
	}
	if _, _, err := New(Options{File: filepath.Join(p, "sub", "x.log")}); err == nil || !strings.Contains(err.Error(), "MOX_LOG_FILE") {
		t.Errorf("unwritable log file: err = %v", err)
	}
}

type credentials struct{ User, Password string }

func TestSecretsNeverReachTheLog(t *testing.T) {
	secrets := []string{"hunter2", "tok-ABC-123", "hunter2-long"}
	tests := []struct {
		name string
		log  func(l *slog.Logger)
	}{
		{"message", func(l *slog.Logger) { l.Info("binding with hunter2-long and hunter2") }},
		{"string attr", func(l *slog.Logger) { l.Info("bind", "password", "hunter2") }},
		{"error attr", func(l *slog.Logger) {
			l.Error("request failed", "err", fmt.Errorf("POST token: %w", errors.New("bad secret tok-ABC-123")))
		}},
		{"struct attr", func(l *slog.Logger) { l.Info("creds", "c", credentials{"svc", "hunter2"}) }},
		{"bytes attr", func(l *slog.Logger) { l.Info("body", "b", []byte("token=tok-ABC-123")) }},
		{"group", func(l *slog.Logger) { l.Info("g", slog.Group("auth", "token", "tok-ABC-123")) }},
		{"With", func(l *slog.Logger) { l.With("session", "tok-ABC-123").WithGroup("x").Info("call", "p", "hunter2") }},
		{"debug", func(l *slog.Logger) { l.Debug("header SESSION: tok-ABC-123") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			log, _, err := New(Options{Level: 10, Stderr: &buf, Secrets: secrets})
			if err != nil {
				t.Fatal(err)
			}
			tt.log(log)
			out := buf.String()
			if out == "" {
				t.Fatal("nothing logged")
			}
			for _, s := range []string{"hunter2", "tok-ABC-123"} {
				if strings.Contains(out, s) {
					t.Errorf("secret %q in log: %s", s, out)
				}
			}
			if !strings.Contains(out, Redacted) {
				t.Errorf("no %s marker: %s", Redacted, out)
			}
		})
	}
}

func TestNoSecretsIsPassThrough(t *testing.T) {
	h := slog.NewTextHandler(&bytes.Buffer{}, nil)
	if Redact(h, nil) != h || Redact(h, []string{""}) != h {
		t.Error("Redact without secrets should return the handler itself")
	}
}

// TestRedactTextShortSecrets: a secret too short to tell from ordinary text
// is left in free text (masked by key elsewhere), so output is not garbled
// and the masks do not trace the secret; a long one is always replaced, by
// a mask of one length whatever the secret's.
func TestRedactTextShortSecrets(t *testing.T) {
	for _, c := range []struct {
		name    string
		text    string
		secrets []string
		want    string
	}{
		{"one letter", "bound as Administrator@TEST.LOCAL", []string{"T"}, "bound as Administrator@TEST.LOCAL"},
		{"five letters", "Admin logged in", []string{"Admin"}, "Admin logged in"},
		{"at the limit", "token=abcdef here", []string{"abcdef"}, "token=" + Redacted + " here"},
		{"long", "SESSION saml-Session-token-42 sent", []string{"saml-Session-token-42"}, "SESSION " + Redacted + " sent"},
		{"longest first", "x=kc-S3cret-value-2", []string{"kc-S3cret", "kc-S3cret-value-2"}, "x=" + Redacted},
		{"short and long", "T: tok-ABC-123", []string{"T", "tok-ABC-123"}, "T: " + Redacted},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := RedactText(c.text, c.secrets); got != c.want {
				t.Errorf("RedactText(%q) = %q, want %q", c.text, got, c.want)
			}
		})
	}
	short := RedactText("a=abcdefgh", []string{"abcdefgh"})
	long := RedactText("a=abcdefghijklmnopqrstuvwxyz", []string{"abcdefghijklmnopqrstuvwxyz"})
	if short != long {
		t.Errorf("masks differ by secret length: %q vs %q", short, long)
	}
}
