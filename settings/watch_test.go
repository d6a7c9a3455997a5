package settings

import (
	"path/filepath"
	"slices"
	"testing"
	"time"
)

func TestWatchKeys(t *testing.T) {
	tests := []struct {
		name string
		body string
		want Watch
	}{
		{"defaults", "", Watch{Store: "moxsync-watch.db", ApplyAtOnce: []string{"update"}, PollInterval: time.Second, Coalesce: 250 * time.Millisecond,
			ReconcileAtStart: true, ReconcileInterval: 24 * time.Hour, SafetyWindow: time.Hour, ListenerPrefix: "moxsync-"}},
		{"set", "WATCH_STORE = /var/lib/moxsync/q.db\nWATCH_APPLY_AT_ONCE = Update, disable,update\nWATCH_POLL_INTERVAL = 5\nWATCH_COALESCE = 1s\n" +
			"WATCH_RECONCILE_AT_START = no\nWATCH_RECONCILE_INTERVAL = off\nWATCH_SAFETY_WINDOW = 30m\nWATCH_LISTENER_PREFIX = kommune.a_\nWATCH_HTTP_ADDR = 127.0.0.1:9464",
			Watch{Store: "/var/lib/moxsync/q.db", ApplyAtOnce: []string{"update", "disable"}, PollInterval: 5 * time.Second, Coalesce: time.Second,
				ReconcileInterval: 0, SafetyWindow: 30 * time.Minute, ListenerPrefix: "kommune.a_", HTTPAddr: "127.0.0.1:9464"}},
		{"none at once", "WATCH_APPLY_AT_ONCE = none", Watch{Store: "moxsync-watch.db", PollInterval: time.Second, Coalesce: 250 * time.Millisecond,
			ReconcileAtStart: true, ReconcileInterval: 24 * time.Hour, SafetyWindow: time.Hour, ListenerPrefix: "moxsync-"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			write(t, dir, "settings.ini", "[settings]\n"+tt.body+"\n")
			s, err := Load(LoadOptions{Cwd: dir})
			if err != nil {
				t.Fatal(err)
			}
			got := s.Watch
			if !filepath.IsAbs(tt.want.Store) {
				tt.want.Store = filepath.Join(dir, tt.want.Store)
			}
			if got.Store != tt.want.Store || !slices.Equal(got.ApplyAtOnce, tt.want.ApplyAtOnce) || got.PollInterval != tt.want.PollInterval ||
				got.Coalesce != tt.want.Coalesce || got.ReconcileAtStart != tt.want.ReconcileAtStart || got.ReconcileInterval != tt.want.ReconcileInterval ||
				got.SafetyWindow != tt.want.SafetyWindow || got.ListenerPrefix != tt.want.ListenerPrefix || got.HTTPAddr != tt.want.HTTPAddr {
				t.Errorf("Watch =\n %+v\nwant\n %+v", got, tt.want)
			}
		})
	}
}
