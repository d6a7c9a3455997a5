package ad

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// BenchmarkAccounts10k reads 10,000 accounts (paged) from each server. The
// accounts are seeded once per server into the benchmark's own OU and
// removed with the tree-delete control afterwards (against Samba the seed
// and the delete take about a minute; run it on purpose:
// go test ./ad -run '^$' -bench Accounts10k -benchtime 3x).
func BenchmarkAccounts10k(b *testing.B) {
	const n = 10000
	for _, s := range testServers(b) {
		b.Run(s.name, func(b *testing.B) {
			e := newEnv(b, s)
			seedOU := "OU=Bench," + e.ou
			e.addOU(b, seedOU)
			start := time.Now()
			e.seed(b, seedOU, n, e.prefix+"b")
			took := time.Since(start)
			b.Logf("%s: seeded %d users in %.1f s (%.0f adds/s over 3 connections)", s.name, n, took.Seconds(), n/took.Seconds())
			b.Run("read", func(b *testing.B) {
				ctx := context.Background()
				for i := 0; i < b.N; i++ {
					accts, err := e.dir.Accounts(ctx, []string{"title", "employeeID"})
					if err != nil {
						b.Fatal(err)
					}
					if len(accts) != n {
						b.Fatalf("read %d accounts, want %d", len(accts), n)
					}
				}
				b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "accounts/s")
			})
		})
	}
}

// BenchmarkCreate creates users one by one through the adapter (each a
// add plus a read-back). Use -benchtime 1000x for the 1,000 of issue 5.
func BenchmarkCreate(b *testing.B) {
	for _, s := range testServers(b) {
		b.Run(s.name, func(b *testing.B) {
			e := newEnv(b, s)
			run := 0
			b.Run("create", func(b *testing.B) {
				run++
				ctx := context.Background()
				for i := 0; i < b.N; i++ {
					cn := fmt.Sprintf("Bench User %d %d", run, i)
					a := e.newAccount(cn, fmt.Sprintf("%sc%d_%d", e.prefix, run, i), map[string][]string{
						"givenname": {"Bench"}, "sn": {"User"}, "title": {"Sagsbehandler"}, "employeeid": {"010203-1234"},
					})
					if _, err := e.dir.Create(ctx, a); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "creates/s")
			})
		})
	}
}
