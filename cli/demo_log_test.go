package cli

import (
	"bytes"
	"context"
	"log/slog"
	"moxsync/demo"
	"strings"
	"sync"
	"testing"
)

// syncBuffer is a bytes.Buffer safe for the concurrent writes of a logger.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestDemoEnvLogsToGivenLogger: the demo's adapters log to the logger in
// demoOptions, not to slog.Default.
func TestDemoEnvLogsToGivenLogger(t *testing.T) {
	var buf, deflt syncBuffer
	old := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&deflt, nil)))
	t.Cleanup(func() { slog.SetDefault(old) })

	env, err := demo.New(context.Background(), demo.Options{Seed: 2, Log: slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	if err != nil {
		t.Fatal(err)
	}
	defer env.Close()
	if _, err := env.MakePlan(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `msg="read MO snapshot" system=mo`) {
		t.Errorf("the MO client's snapshot line is not in the given log:\n%s", buf.String())
	}
	if strings.Contains(deflt.String(), "read MO snapshot") {
		t.Errorf("logged to slog.Default:\n%s", deflt.String())
	}
}
