package motest

import (
	"context"
	"testing"
)

const benchEmployeesQuery = `query P($limit: int, $cursor: Cursor, $now: DateTime) { employees(limit: $limit, cursor: $cursor) { page_info { next_cursor } objects { uuid current { user_key cpr_number given_name surname nickname_given_name nickname_surname
	  engagements(filter: {from_date: $now, to_date: null}) { uuid user_key org_unit_uuid is_primary job_function { name } engagement_type { name } validity { from to } }
	  addresses(filter: {from_date: $now, to_date: null}) { uuid value name address_type { uuid user_key scope } visibility { uuid scope } engagement_uuid validity { from to } }
	  itusers(filter: {from_date: $now, to_date: null}) { uuid user_key external_id itsystem_uuid validity { from to } }
	} } } }`

func BenchmarkGraphQLEmployeesPage500(b *testing.B) {
	d := Generate(SizeLarge, 1)
	s := NewServer(d, Options{})
	vars := map[string]any{"limit": 500, "now": "2026-03-02T10:00:00+01:00"}
	ctx := context.WithValue(context.Background(), ctxAuthed, true)
	ctx = context.WithValue(ctx, ctxReq, s.reqState(29))
	sc := s.schema(29)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		out := sc.Exec(ctx, benchEmployeesQuery, "", vars)
		if len(out.Errors) > 0 {
			b.Fatal(out.Errors)
		}
		b.SetBytes(int64(len(out.Data)))
	}
}

func BenchmarkGraphQLFastEmployeesPage500(b *testing.B) {
	d := Generate(SizeLarge, 1)
	s := NewServer(d, Options{})
	vars := map[string]any{"limit": 500.0, "now": "2026-03-02T10:00:00+01:00"}
	q := s.reqState(29)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		out, err := execFast(q, benchEmployeesQuery, "", vars)
		if err != nil {
			b.Fatal(err)
		}
		b.SetBytes(int64(len(out)))
	}
}

func BenchmarkGenerateLarge(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		Generate(SizeLarge, int64(i))
	}
}

// BenchmarkGraphQLReadLarge reads the whole large data set over loopback the
// way a client does (pages of 1,000, relations nested) and reports requests.
func BenchmarkGraphQLReadLarge(b *testing.B) {
	d := Generate(SizeLarge, 1)
	s := NewServer(d, Options{})
	hs := s.Start()
	defer hs.Close()
	now := s.opts.Now()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		snap, reqs := readSnapshot(b, hs.URL+"/graphql/v29", 29, now, d.TopUnitUUID, 1000)
		b.ReportMetric(float64(reqs), "requests/op")
		if len(snap.People) != len(d.People) {
			b.Fatalf("read %d people", len(snap.People))
		}
	}
}

// BenchmarkRESTReadTypical reads the typical data set over REST the N+1
// way, one request at a time.
func BenchmarkRESTReadTypical(b *testing.B) {
	d := Generate(SizeTypical, 1)
	s := NewServer(d, Options{})
	hs := s.Start()
	defer hs.Close()
	now := s.opts.Now()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s.Reset()
		snap := readSnapshotREST(b, hs.URL+"/service", now, d.TopUnitUUID)
		b.ReportMetric(float64(s.TotalRequests()), "requests/op")
		if len(snap.People) != len(d.People) {
			b.Fatalf("read %d people", len(snap.People))
		}
	}
}
