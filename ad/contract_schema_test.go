package ad

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"moxsync/engine"
)

// TestContractReadSchema: ReadSchema reads the schema naming context's
// attributeSchema objects with the facts AD states, and the mapping checks
// against them.
func TestContractReadSchema(t *testing.T) {
	eachServer(t, func(t *testing.T, e *testEnv) {
		start := time.Now()
		s, err := e.dir.ReadSchema(context.Background())
		if err != nil {
			t.Fatalf("ReadSchema: %v", err)
		}
		t.Logf("%s: %d schema attributes read in %s", e.srv.name, s.Len(), time.Since(start))
		if s.Builtin || s.Len() < 1400 {
			t.Fatalf("schema: builtin %v, %d attributes", s.Builtin, s.Len())
		}
		n := func(n int64) *int64 { return &n }
		for _, tt := range []struct {
			name         string
			syntax       string
			om           int
			single       bool
			lower, upper *int64
			writable     bool
			constructed  bool
			backLink     bool
		}{
			{"title", engine.SyntaxUnicode, 64, true, n(1), n(128), true, false, false},
			{"sAMAccountName", engine.SyntaxUnicode, 64, true, n(0), n(256), true, false, false},
			{"givenName", engine.SyntaxUnicode, 64, true, n(1), n(64), true, false, false},
			{"countryCode", engine.SyntaxInteger, 2, true, n(0), n(65535), true, false, false},
			{"description", engine.SyntaxUnicode, 64, false, n(0), n(1024), true, false, false},
			{"objectGUID", engine.SyntaxOctet, 4, true, n(16), n(16), false, false, false},
			{"memberOf", engine.SyntaxDN, 127, false, nil, nil, false, false, true},
			{"manager", engine.SyntaxDN, 127, true, nil, nil, true, false, false},
			{"canonicalName", engine.SyntaxUnicode, 64, false, nil, nil, false, true, false},
			{"tokenGroups", "2.5.5.17", 4, false, nil, nil, false, true, false},
		} {
			a, ok := s.Lookup(tt.name)
			if !ok {
				t.Errorf("%s missing", tt.name)
				continue
			}
			got := fmt.Sprintf("%s %s %d single=%v lower=%v upper=%v writable=%v constructed=%v backlink=%v",
				a.Name, a.Syntax, a.OMSyntax, a.SingleValued, bound(a.RangeLower, a.HasRangeLower), bound(a.RangeUpper, a.HasRangeUpper),
				a.Writable(), a.Constructed, a.BackLink)
			want := fmt.Sprintf("%s %s %d single=%v lower=%v upper=%v writable=%v constructed=%v backlink=%v",
				tt.name, tt.syntax, tt.om, tt.single, ptrBound(tt.lower), ptrBound(tt.upper), tt.writable, tt.constructed, tt.backLink)
			if got != want {
				t.Errorf("%s:\n got %s\nwant %s", tt.name, got, want)
			}
		}
		if _, ok := s.Lookup("fooBarAttr"); ok {
			t.Error("fooBarAttr in the schema")
		}
		if err := engine.DefaultMapping().ValidateSchema(s); err != nil {
			t.Errorf("default mapping: %v", err)
		}
		m, err := engine.ParseMapping("fooBarAttr = mo given_name")
		if err != nil {
			t.Fatal(err)
		}
		if err := m.ValidateSchema(s); err == nil || err.Error() != "AD_MAPPING: fooBarAttr = mo given_name: AD's schema has no attribute fooBarAttr" {
			t.Errorf("fooBarAttr: %v", err)
		}
	})
}

func bound(n int64, ok bool) string {
	if !ok {
		return "-"
	}
	return fmt.Sprint(n)
}

func ptrBound(p *int64) string {
	if p == nil {
		return "-"
	}
	return fmt.Sprint(*p)
}

// TestReadSchemaCancelled: a cancelled read returns an error, no schema.
func TestReadSchemaCancelled(t *testing.T) {
	e := newEnv(t, adtestServer(t))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	s, err := e.dir.ReadSchema(ctx)
	if err == nil || s != nil {
		t.Fatalf("ReadSchema(cancelled) = %v, %v", s, err)
	}
}

// TestSchemaAdtestLikeSamba: adtest serves the schema Samba does, fact for
// fact (needs AD_LDAP_URL).
func TestSchemaAdtestLikeSamba(t *testing.T) {
	samba := sambaServer(t)
	if samba == nil {
		t.Skip("AD_LDAP_URL not set")
	}
	read := func(s *testServer) *engine.ADSchema {
		sc, err := newEnv(t, s).dir.ReadSchema(context.Background())
		if err != nil {
			t.Fatalf("%s: ReadSchema: %v", s.name, err)
		}
		return sc
	}
	want, got := read(samba), read(adtestServer(t))
	var diffs []string
	for k, w := range want.Attributes {
		if g, ok := got.Attributes[k]; !ok {
			diffs = append(diffs, "missing "+w.Name)
		} else if g != w {
			diffs = append(diffs, fmt.Sprintf("%s: adtest %+v, samba %+v", w.Name, g, w))
		}
	}
	for k, g := range got.Attributes {
		if _, ok := want.Attributes[k]; !ok {
			diffs = append(diffs, "extra "+g.Name)
		}
	}
	slices.Sort(diffs)
	for _, d := range diffs {
		t.Error(d)
	}
	t.Logf("%d attributes compared", len(want.Attributes))
}

// BenchmarkReadSchema: one ReadSchema against adtest (the partition built
// before the timer starts).
func BenchmarkReadSchema(b *testing.B) {
	e := newEnv(b, adtestServer(b))
	if _, err := e.dir.ReadSchema(context.Background()); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := e.dir.ReadSchema(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
}
