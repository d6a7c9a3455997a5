package ad

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/go-ldap/ldap/v3"

	"moxsync/engine"
)

// BenchmarkChangedSince40k times one change poll over 40,000 person
// accounts: "idle" with nothing changed (one rootDSE read and one search
// returning nothing) and "10changed" with 10 titles edited by another
// connection before each poll (not timed). The accounts are seeded as
// BenchmarkAccounts10k seeds them (against Samba that takes minutes; run it
// on purpose: go test ./ad -run '^$' -bench ChangedSince40k -benchtime 20x).
func BenchmarkChangedSince40k(b *testing.B) {
	const n = 40000
	for _, s := range testServers(b) {
		b.Run(s.name, func(b *testing.B) {
			e := newEnv(b, s)
			seedOU := "OU=Bench," + e.ou
			e.addOU(b, seedOU)
			start := time.Now()
			e.seedAccounts(b, seedOU, n, e.prefix+"b")
			b.Logf("%s: seeded %d users in %.1f s", s.name, n, time.Since(start).Seconds())
			ctx := context.Background()
			start = time.Now()
			first, err := e.dir.ChangedSince(ctx, engine.ADPosition{}, pollAttrs)
			if err != nil || !first.Reset || len(first.Accounts) != n {
				b.Fatalf("first poll: %d accounts, reset %v, %v", len(first.Accounts), first.Reset, err)
			}
			b.Logf("%s: first poll (a full read of %d accounts) took %v", s.name, n, time.Since(start))
			pos := first.Position

			b.Run("idle", func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					ch, err := e.dir.ChangedSince(ctx, pos, pollAttrs)
					if err != nil || len(ch.Accounts) != 0 || ch.Position != pos {
						b.Fatalf("idle poll: %d accounts, position %+v (was %+v), %v", len(ch.Accounts), ch.Position, pos, err)
					}
				}
			})
			run := 0
			b.Run("10changed", func(b *testing.B) {
				run++
				for i := 0; i < b.N; i++ {
					b.StopTimer()
					for k := range 10 {
						dn := fmt.Sprintf("CN=Seed User %05d,%s", (i*10+k)*97%n, seedOU)
						e.adminModify(b, dn, "title", fmt.Sprintf("Run %d poll %d", run, i))
					}
					b.StartTimer()
					ch, err := e.dir.ChangedSince(ctx, pos, pollAttrs)
					if err != nil || len(ch.Accounts) != 10 {
						b.Fatalf("poll after 10 edits: %d accounts, %v", len(ch.Accounts), err)
					}
					pos = ch.Position
				}
			})
		})
	}
}

// seedAccounts adds n users under parent as seed does. Against Samba they
// are deleted one by one before the OU's tree delete (faster there); adtest
// needs no more than the tree delete.
func (e *testEnv) seedAccounts(tb testing.TB, parent string, n int, prefix string) {
	tb.Helper()
	if e.srv.name != "adtest" {
		e.seed(tb, parent, n, prefix)
		return
	}
	e.parallel(tb, n, func(c *ldap.Conn, i int) error {
		sam := fmt.Sprintf("%s%05d", prefix, i)
		req := ldap.NewAddRequest(fmt.Sprintf("CN=Seed User %05d,%s", i, parent), nil)
		req.Attribute("objectClass", []string{"user"})
		req.Attribute("sAMAccountName", []string{sam})
		req.Attribute("userPrincipalName", []string{sam + "@" + e.srv.upnRealm})
		req.Attribute("employeeID", []string{fmt.Sprintf("0101%02d-%04d", i%100, i%10000)})
		req.Attribute("title", []string{"Seeded"})
		return c.Add(req)
	})
}
