package mo_test

import (
	"bytes"
	"context"
	"log/slog"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"moxsync/engine"
	"moxsync/mo"
	"moxsync/mo/motest"
)

func sortedITUsers(its []engine.ITUser) []engine.ITUser {
	out := slices.Clone(its)
	slices.SortFunc(out, func(a, b engine.ITUser) int { return strings.Compare(a.UUID, b.UUID) })
	return out
}

// TestITUsersMatchSnapshot: a person's IT users read one by one are those
// of the snapshot, field for field, by every API; writes are seen at once.
func TestITUsersMatchSnapshot(t *testing.T) {
	f := startFake(t, motest.SizeDemo, motest.Options{})
	ctx := context.Background()
	var _ engine.MOITUserReader = (*mo.Client)(nil)
	for _, tc := range []struct {
		api          string
		version      int
		wantRequests int64
	}{
		{mo.APIGraphQL, 29, 1}, {mo.APIGraphQL, 22, 1}, {mo.APIREST, 0, 2},
	} {
		t.Run(tc.api+strconv.Itoa(tc.version), func(t *testing.T) {
			c := f.client(t, tc.api, tc.version, nil)
			snap, err := c.Snapshot(ctx)
			if err != nil {
				t.Fatal(err)
			}
			checked, withExt := 0, 0
			for _, p := range snap.People {
				if checked >= 25 && len(p.ITUsers) == 0 {
					continue
				}
				before := c.Requests()
				got, err := c.ITUsers(ctx, p.UUID)
				if err != nil {
					t.Fatalf("%s: %v", p.UUID, err)
				}
				if n := c.Requests() - before; n != tc.wantRequests {
					t.Errorf("%d requests for one person, want %d", n, tc.wantRequests)
				}
				if want := sortedITUsers(p.ITUsers); !equalITUsers(sortedITUsers(got), want) {
					t.Fatalf("person %s:\n got %+v\nwant %+v", p.UUID, sortedITUsers(got), want)
				}
				for _, it := range got {
					if it.ExternalID != "" {
						withExt++
					}
				}
				if checked++; checked >= 60 {
					break
				}
			}
			// GraphQL before v29 has no external_id; REST reads it only when
			// MO sends it (the fake does, like newer MO's extension field).
			if tc.api == mo.APIGraphQL && (withExt > 0) != (tc.version >= 29) {
				t.Errorf("%d IT users with external_id at v%d", withExt, tc.version)
			}

			// A write is seen by the next read.
			p := snap.People[0]
			ad, err := c.ADITSystemUUID(ctx)
			if err != nil {
				t.Fatal(err)
			}
			w := engine.ITUserWrite{PersonUUID: p.UUID, ITSystemUUID: ad, UserKey: "readback" + strconv.Itoa(tc.version),
				Validity: engine.Validity{From: f.now.Truncate(24 * time.Hour)}}
			if c.SupportsExternalID() {
				w.ExternalID = "5b7c6d1e-0000-4000-8000-00000000abcd"
			}
			id, err := c.CreateITUser(ctx, w)
			if err != nil {
				t.Fatal(err)
			}
			got, err := c.ITUsers(ctx, p.UUID)
			if err != nil {
				t.Fatal(err)
			}
			i := slices.IndexFunc(got, func(it engine.ITUser) bool { return it.UUID == id })
			if i < 0 || got[i].UserKey != w.UserKey || got[i].ExternalID != w.ExternalID || got[i].ITSystemUUID != ad || !got[i].Validity.To.IsZero() {
				t.Errorf("created IT user %s not read back: %+v", id, got)
			}
			if i >= 0 && (got[i].ITSystemName != "Active Directory" && got[i].ITSystemUserKey != "Active Directory") {
				t.Errorf("IT system names missing: %+v", got[i])
			}

			// A person MO does not know has none; a malformed uuid is refused.
			if its, err := c.ITUsers(ctx, "0b1e2c3d-0000-4000-8000-000000000000"); err != nil || len(its) != 0 {
				t.Errorf("unknown person: %v, %v", its, err)
			}
			if _, err := c.ITUsers(ctx, "not-a-uuid"); engine.KindOf(err) != engine.KindInvalid {
				t.Errorf("malformed uuid: %v", err)
			}
		})
	}
}

func equalITUsers(a, b []engine.ITUser) bool {
	return slices.EqualFunc(a, b, func(x, y engine.ITUser) bool {
		return x.UUID == y.UUID && x.UserKey == y.UserKey && x.ExternalID == y.ExternalID && x.ITSystemUUID == y.ITSystemUUID &&
			x.Validity.From.Equal(y.Validity.From) && x.Validity.To.Equal(y.Validity.To)
	})
}

// TestSnapshotLogsItsOwnRequests: the "read MO snapshot" line goes to the
// configured logger and counts that snapshot's requests, not the client's
// running total.
func TestSnapshotLogsItsOwnRequests(t *testing.T) {
	f := startFake(t, motest.SizeDemo, motest.Options{})
	for _, api := range []string{mo.APIGraphQL, mo.APIREST} {
		t.Run(api, func(t *testing.T) {
			var buf bytes.Buffer
			log := slog.New(slog.NewTextHandler(&buf, nil))
			var deflt bytes.Buffer
			old := slog.Default()
			slog.SetDefault(slog.New(slog.NewTextHandler(&deflt, nil)))
			t.Cleanup(func() { slog.SetDefault(old) })

			c := f.client(t, api, 29, func(c *mo.Config) { c.Logger = log })
			var perSnap []int64
			for range 2 {
				before := c.Requests()
				if _, err := c.Snapshot(context.Background()); err != nil {
					t.Fatal(err)
				}
				perSnap = append(perSnap, c.Requests()-before)
			}
			m := regexp.MustCompile(`msg="read MO snapshot" .*requests=(\d+)`).FindAllStringSubmatch(buf.String(), -1)
			if len(m) != 2 {
				t.Fatalf("want 2 snapshot lines in the configured log, got:\n%s", buf.String())
			}
			for i, sub := range m {
				if n, _ := strconv.ParseInt(sub[1], 10, 64); n != perSnap[i] || n == 0 {
					t.Errorf("snapshot %d logged requests=%d, it sent %d", i+1, n, perSnap[i])
				}
			}
			if !strings.Contains(buf.String(), "system=mo") {
				t.Errorf("no system=mo in:\n%s", buf.String())
			}
			if strings.Contains(deflt.String(), "system=mo") {
				t.Errorf("logged to slog.Default although a logger was configured:\n%s", deflt.String())
			}
		})
	}
}
