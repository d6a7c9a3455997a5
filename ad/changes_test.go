package ad

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/go-ldap/ldap/v3"

	"moxsync/engine"
)

// The change poll (ChangedSince, events.md §2) against each server. Edits
// are made with the admin connection, as another LDAP client would.

var pollAttrs = []string{"title", "employeeID"}

// adminModify replaces attr of dn with vals over the admin connection.
func (e *testEnv) adminModify(tb testing.TB, dn, attr string, vals ...string) {
	tb.Helper()
	m := ldap.NewModifyRequest(dn, nil)
	m.Replace(attr, vals)
	if err := e.admin.Modify(m); err != nil {
		tb.Fatalf("modify %s of %s: %v", attr, dn, err)
	}
}

// usnChanged reads dn's uSNChanged with the admin connection.
func (e *testEnv) usnChanged(tb testing.TB, dn string) int64 {
	tb.Helper()
	v := e.read(tb, dn, "uSNChanged")
	if len(v) != 1 {
		tb.Fatalf("uSNChanged of %s: %v", dn, v)
	}
	n, err := strconv.ParseInt(v[0], 10, 64)
	if err != nil {
		tb.Fatalf("uSNChanged of %s: %v", dn, err)
	}
	return n
}

// poll runs ChangedSince and fails tb on an error.
func poll(tb testing.TB, d *Directory, pos engine.ADPosition) engine.ADChanges {
	tb.Helper()
	ch, err := d.ChangedSince(context.Background(), pos, pollAttrs)
	if err != nil {
		tb.Fatalf("ChangedSince(%+v): %v", pos, err)
	}
	return ch
}

func guids(accts []engine.Account) []string {
	out := make([]string, len(accts))
	for i, a := range accts {
		out[i] = a.GUID
	}
	slices.Sort(out)
	return out
}

// rootDC reads the rootDSE's dsServiceName with the admin connection.
func (e *testEnv) rootDC(tb testing.TB) string {
	tb.Helper()
	v := e.read(tb, "", "dsServiceName")
	if len(v) != 1 || !strings.HasPrefix(v[0], "CN=NTDS Settings,") {
		tb.Fatalf("dsServiceName = %v", v)
	}
	return v[0]
}

func TestContractChangePosition(t *testing.T) {
	eachServer(t, func(t *testing.T, e *testEnv) {
		ctx := context.Background()
		p, err := e.dir.ChangePosition(ctx)
		if err != nil {
			t.Fatal(err)
		}
		info, err := e.dir.Probe(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if p.DC != e.rootDC(t) || p.USN <= 0 || p.USN > info.HighestCommittedUSN {
			t.Errorf("ChangePosition = %+v; rootDSE dsServiceName %q, highestCommittedUSN %d after", p, e.rootDC(t), info.HighestCommittedUSN)
		}
		a := e.create(t, "Position Person", e.prefix+"pos", nil)
		q, err := e.dir.ChangePosition(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if q.DC != p.DC || q.USN < e.usnChanged(t, a.DN) {
			t.Errorf("after a create: %+v, want DC %s and USN ≥ the account's uSNChanged %d", q, p.DC, e.usnChanged(t, a.DN))
		}
	})
}

func TestContractChangedSinceFirstPoll(t *testing.T) {
	eachServer(t, func(t *testing.T, e *testEnv) {
		ctx := context.Background()
		for i := range 3 {
			e.create(t, fmt.Sprintf("First Poll %d", i), fmt.Sprintf("%sfp%d", e.prefix, i), map[string][]string{"title": {"T"}})
		}
		before, err := e.dir.ChangePosition(ctx)
		if err != nil {
			t.Fatal(err)
		}
		ch := poll(t, e.dir, engine.ADPosition{})
		after, err := e.dir.ChangePosition(ctx)
		if err != nil {
			t.Fatal(err)
		}
		all, err := e.dir.Accounts(ctx, pollAttrs)
		if err != nil {
			t.Fatal(err)
		}
		if !ch.Reset || ch.Why != "first poll" {
			t.Errorf("Reset, Why = %v, %q; want a reset for the first poll", ch.Reset, ch.Why)
		}
		if got, want := guids(ch.Accounts), guids(all); len(got) != 3 || !slices.Equal(got, want) {
			t.Errorf("accounts %v, want all %v", got, want)
		}
		if ch.Accounts[0].Attr("title") != "T" {
			t.Errorf("title not read: %+v", ch.Accounts[0])
		}
		// The position is the highestCommittedUSN read before the search
		// (other tests may write to Samba meanwhile, elsewhere).
		if ch.Position.DC != e.rootDC(t) || ch.Position.USN < before.USN || ch.Position.USN > after.USN {
			t.Errorf("position %+v, want DC %s and USN in [%d, %d]", ch.Position, e.rootDC(t), before.USN, after.USN)
		}
	})
}

func TestContractChangedSinceSeesEdits(t *testing.T) {
	eachServer(t, func(t *testing.T, e *testEnv) {
		a := e.create(t, "Edit One", e.prefix+"ed1", map[string][]string{"title": {"Old"}})
		b := e.create(t, "Edit Two", e.prefix+"ed2", map[string][]string{"title": {"Old"}})
		pos := poll(t, e.dir, engine.ADPosition{}).Position

		step := func(name string, edit func() string, check func(t *testing.T, got engine.Account)) {
			t.Run(name, func(t *testing.T) {
				dn := edit()
				ch := poll(t, e.dir, pos)
				if ch.Reset {
					t.Fatalf("reset: %s", ch.Why)
				}
				if len(ch.Accounts) != 1 || ch.Accounts[0].GUID != b.GUID {
					t.Fatalf("accounts %+v, want exactly %s", ch.Accounts, b.DN)
				}
				if !strings.EqualFold(ch.Accounts[0].DN, dn) {
					t.Errorf("DN %q, want %q", ch.Accounts[0].DN, dn)
				}
				check(t, ch.Accounts[0])
				if want := e.usnChanged(t, dn); ch.Position != (engine.ADPosition{DC: pos.DC, USN: want}) {
					t.Errorf("position %+v, want %s at the account's uSNChanged %d", ch.Position, pos.DC, want)
				}
				pos = ch.Position

				idle := poll(t, e.dir, pos)
				if len(idle.Accounts) != 0 || idle.Reset || idle.Position != pos {
					t.Errorf("poll without changes = %+v, want none at %+v", idle, pos)
				}
			})
		}
		step("title", func() string {
			e.adminModify(t, b.DN, "title", "New")
			return b.DN
		}, func(t *testing.T, got engine.Account) {
			if got.Attr("title") != "New" {
				t.Errorf("title %q", got.Attr("title"))
			}
		})
		renamed := "CN=Edit Renamed," + e.newUsers
		step("rename", func() string {
			if err := e.admin.ModifyDN(ldap.NewModifyDNRequest(b.DN, "CN=Edit Renamed", true, "")); err != nil {
				t.Fatal(err)
			}
			return renamed
		}, func(t *testing.T, got engine.Account) {
			if got.CN != "Edit Renamed" {
				t.Errorf("CN %q", got.CN)
			}
		})
		step("enable", func() string {
			e.adminModify(t, renamed, "userAccountControl", "544")
			return renamed
		}, func(t *testing.T, got engine.Account) {
			if got.Disabled() {
				t.Errorf("userAccountControl %d, want enabled", got.UserAccountControl)
			}
		})
		step("disable", func() string {
			e.adminModify(t, renamed, "userAccountControl", "546")
			return renamed
		}, func(t *testing.T, got engine.Account) {
			if !got.Disabled() {
				t.Errorf("userAccountControl %d, want disabled", got.UserAccountControl)
			}
		})
		t.Run("objects that are not person accounts", func(t *testing.T) {
			g := ldap.NewAddRequest("CN=Poll Group,"+e.ou, nil)
			g.Attribute("objectClass", []string{"group"})
			g.Attribute("member", []string{a.DN})
			if err := e.admin.Add(g); err != nil {
				t.Fatal(err)
			}
			c := ldap.NewAddRequest("CN=Poll Contact,"+e.ou, nil)
			c.Attribute("objectClass", []string{"contact"})
			if err := e.admin.Add(c); err != nil {
				t.Fatal(err)
			}
			ch := poll(t, e.dir, pos)
			if len(ch.Accounts) != 0 || ch.Position != pos {
				t.Errorf("after adding a group (with %s as member) and a contact: %+v, want none at %+v", a.DN, ch, pos)
			}
		})
	})
}

func TestContractChangedSinceResets(t *testing.T) {
	eachServer(t, func(t *testing.T, e *testEnv) {
		ctx := context.Background()
		e.create(t, "Reset One", e.prefix+"rs1", nil)
		e.create(t, "Reset Two", e.prefix+"rs2", nil)
		now, err := e.dir.ChangePosition(ctx)
		if err != nil {
			t.Fatal(err)
		}
		other := "CN=NTDS Settings,CN=DC2,CN=Servers,CN=Default-First-Site-Name,CN=Sites,CN=Configuration," + e.srv.base
		tests := []struct {
			name string
			pos  engine.ADPosition
			why  string
		}{
			{"another domain controller", engine.ADPosition{DC: other, USN: 1}, "the domain controller changed from " + other + " to " + now.DC},
			{"a USN from the future", engine.ADPosition{DC: now.DC, USN: now.USN + 1_000_000}, fmt.Sprintf("the USN went back from %d to ", now.USN+1_000_000)},
			{"a negative USN", engine.ADPosition{DC: now.DC, USN: -5}, "the stored USN -5 is not a USN"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				ch := poll(t, e.dir, tt.pos)
				if !ch.Reset || !strings.HasPrefix(ch.Why, tt.why) {
					t.Errorf("Reset, Why = %v, %q; want a reset saying %q", ch.Reset, ch.Why, tt.why)
				}
				if len(ch.Accounts) != 2 {
					t.Errorf("%d accounts, want all 2", len(ch.Accounts))
				}
				if ch.Position.DC != now.DC || ch.Position.USN < now.USN {
					t.Errorf("position %+v, want %s at ≥ %d", ch.Position, now.DC, now.USN)
				}
			})
		}
		// The DC's identity is a DN: its case does not matter.
		ch := poll(t, e.dir, engine.ADPosition{DC: strings.ToUpper(now.DC), USN: now.USN})
		if ch.Reset {
			t.Errorf("reset for the same DC in upper case: %s", ch.Why)
		}
	})
}

// hookConn wraps the Directory's connection, recording each search and
// calling after (when set) with its request and result.
type hookConn struct {
	ldapConn
	mu       sync.Mutex
	searches []string // filter and entries returned, one per search
	after    func(req *ldap.SearchRequest, res *ldap.SearchResult)
}

func (h *hookConn) Search(req *ldap.SearchRequest) (*ldap.SearchResult, error) {
	res, err := h.ldapConn.Search(req)
	if err == nil {
		h.mu.Lock()
		h.searches = append(h.searches, fmt.Sprintf("%s base %q → %d entries", req.Filter, req.BaseDN, len(res.Entries)))
		h.mu.Unlock()
		if h.after != nil {
			h.after(req, res)
		}
	}
	return res, err
}

func hook(d *Directory) *hookConn {
	d.mu.Lock()
	defer d.mu.Unlock()
	h := &hookConn{ldapConn: d.conn}
	d.conn = h
	return h
}

// TestContractChangedSinceIdleIsCheap: a poll with nothing changed is one
// rootDSE read and one search that returns nothing.
func TestContractChangedSinceIdleIsCheap(t *testing.T) {
	eachServer(t, func(t *testing.T, e *testEnv) {
		for i := range 5 {
			e.create(t, fmt.Sprintf("Idle %d", i), fmt.Sprintf("%sidle%d", e.prefix, i), nil)
		}
		pos := poll(t, e.dir, engine.ADPosition{}).Position
		h := hook(e.dir)
		poll(t, e.dir, pos)
		want := []string{
			`(objectClass=*) base "" → 1 entries`,
			changedFilter(pos.USN) + fmt.Sprintf(" base %q → 0 entries", e.ou),
		}
		if !slices.Equal(h.searches, want) {
			t.Errorf("searches of an idle poll:\n%s\nwant\n%s", strings.Join(h.searches, "\n"), strings.Join(want, "\n"))
		}
	})
}

// TestContractChangedSinceWriteDuringSearch: writes committed while a
// poll's paged search runs are not lost. 501 accounts changed (two pages);
// after the first page, an account on it is changed again and then the one
// on the second page, so the second page shows a USN above the write the
// search already passed. Starting the next poll after the highest USN seen
// would skip that write.
func TestContractChangedSinceWriteDuringSearch(t *testing.T) {
	eachServer(t, func(t *testing.T, e *testEnv) {
		const n = 501 // the page size is at least 500
		cfg := e.config()
		cfg.PageSize = 500
		d := e.dial(t, cfg)
		pos := poll(t, d, engine.ADPosition{}).Position
		seedOU := "OU=Race," + e.ou
		e.addOU(t, seedOU)
		e.seed(t, seedOU, n, e.prefix+"r")

		h := hook(d)
		var first, second string // DNs: one on the first page, the one on the second
		h.after = func(req *ldap.SearchRequest, res *ldap.SearchResult) {
			if first != "" || !strings.Contains(req.Filter, "uSNChanged") || len(res.Entries) != n-1 {
				return
			}
			onFirst := map[string]bool{}
			for _, x := range res.Entries {
				onFirst[strings.ToLower(x.DN)] = true
			}
			for i := range n {
				if dn := fmt.Sprintf("CN=Seed User %05d,%s", i, seedOU); !onFirst[strings.ToLower(dn)] {
					second = dn
				}
			}
			first = res.Entries[0].DN
			e.adminModify(t, first, "title", "Raced")
			e.adminModify(t, second, "title", "Raced")
		}
		ch := poll(t, d, pos)
		h.after = nil
		if first == "" || second == "" {
			t.Fatalf("the poll's search had no first page of %d entries: %v", n-1, h.searches)
		}
		if len(ch.Accounts) != n {
			t.Fatalf("racing poll: %d accounts, want %d", len(ch.Accounts), n)
		}
		next := poll(t, d, ch.Position)
		var seen bool
		for _, a := range next.Accounts {
			if strings.EqualFold(a.DN, first) {
				seen = a.Attr("title") == "Raced"
			}
		}
		if !seen {
			t.Errorf("the write to %s during the search (uSNChanged %d) was skipped: the racing poll moved to %d, the next one read %d accounts",
				first, e.usnChanged(t, first), ch.Position.USN, len(next.Accounts))
		}
		if last := poll(t, d, next.Position); len(last.Accounts) != 0 {
			t.Errorf("a third poll still returns %d accounts", len(last.Accounts))
		}
	})
}

func TestNextUSN(t *testing.T) {
	tests := []struct {
		name                  string
		from, seen, committed int64
		want                  int64
	}{
		{"nothing changed: keep the position", 100, 0, 250, 100},
		{"changes up to the committed USN", 100, 180, 250, 180},
		{"a change written during the search: stop at the committed USN", 100, 260, 250, 250},
		{"nothing seen and nothing committed since", 100, 0, 100, 100},
		{"never backwards", 100, 90, 250, 100},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := nextUSN(tt.from, tt.seen, tt.committed); got != tt.want {
				t.Errorf("nextUSN(%d, %d, %d) = %d, want %d", tt.from, tt.seen, tt.committed, got, tt.want)
			}
		})
	}
}

func TestChangedFilter(t *testing.T) {
	if got, want := changedFilter(41), "(&(uSNChanged>=42)(objectClass=user)(objectCategory=person))"; got != want {
		t.Errorf("changedFilter(41) = %q, want %q", got, want)
	}
	if _, err := ldap.CompileFilter(changedFilter(1 << 62)); err != nil {
		t.Errorf("changedFilter does not compile: %v", err)
	}
}
