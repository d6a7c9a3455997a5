package engine

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// referenceChangeID is ChangeID as first written (hashing piece by piece,
// sorting a clone of the fields with lower-casing comparisons). Change IDs
// are stable across versions: saved plans and approvals name them.
func referenceChangeID(c *Change) string {
	h := sha256.New()
	write := func(s string) { h.Write([]byte(s)); h.Write([]byte{0}) }
	write(string(c.System))
	write(string(c.Op))
	write(ChangeKey(c))
	fs := slices.Clone(c.Fields)
	slices.SortFunc(fs, func(a, b Field) int { return strings.Compare(strings.ToLower(a.Attr), strings.ToLower(b.Attr)) })
	for _, f := range fs {
		write(strings.ToLower(f.Attr))
		write(f.After)
	}
	refWriteJSON(h, c.STSUnit)
	refWriteJSON(h, c.STSUser)
	return hex.EncodeToString(h.Sum(nil)[:8])
}

func refWriteJSON(h hash.Hash, v any) {
	b, err := json.Marshal(v)
	if err == nil {
		h.Write(b)
	}
	h.Write([]byte{0})
}

// referenceSortChanges is SortChanges as first written.
func referenceSortChanges(cs []Change) {
	slices.SortStableFunc(cs, func(a, b Change) int {
		return cmp.Or(
			cmp.Compare(systemOrder[a.System], systemOrder[b.System]),
			cmp.Compare(opOrder[a.Op], opOrder[b.Op]),
			strings.Compare(a.Subject, b.Subject),
			strings.Compare(a.ID, b.ID),
		)
	})
}

// randomChanges makes changes with the shapes plans have: AD updates with
// many fields (some attributes differing only in case), STS payloads with
// characters JSON escapes, and many equal sort keys.
func randomChanges(r *rand.Rand, n int) []Change {
	attrs := []string{"givenName", "sn", "Title", "title", "mail", "telephoneNumber", "postalCode", "l", "UserId", "Positions[x].Name", "Positions[X]_Uuid"}
	rare := []string{"ÆrøAttr", "ærøattr", "Økse"} // non-ASCII names take the other path
	systems := []System{SystemAD, SystemSTS, SystemMO}
	ops := []Op{OpCreate, OpUpdate, OpRename, OpEnable, OpDisable, OpDelete}
	out := make([]Change, n)
	for i := range out {
		c := Change{System: systems[r.IntN(3)], Op: ops[r.IntN(len(ops))], Subject: fmt.Sprintf("Person %d", r.IntN(n/3+1))}
		switch r.IntN(4) { // each kind of ChangeKey
		case 0:
			c.Target = Target{GUID: fmt.Sprintf("%08X-GUID", r.IntN(1000)), UUID: fmt.Sprintf("uuid-%d", i)}
		case 1:
			c.Target.UUID = fmt.Sprintf("UUID-%d", i)
		case 2:
			c.MOUUID = fmt.Sprintf("Mo-%d", i)
		default:
			c.Target.DN = fmt.Sprintf("CN=Søren %d,OU=Æ", i)
		}
		for range r.IntN(25) {
			a := attrs[r.IntN(len(attrs))]
			if r.IntN(10) == 0 {
				a = rare[r.IntN(len(rare))]
			}
			c.Fields = append(c.Fields, Field{Attr: a, Before: "b", After: fmt.Sprintf("v<%d>&\u2028", r.IntN(5))})
		}
		switch r.IntN(3) {
		case 0:
			c.STSUser = &STSUser{UUID: c.Target.UUID, UserID: "u<1>", Person: STSPerson{Name: "Æ & Ø", CPR: "0101011234"},
				Positions: []STSPosition{{OrgUnitUUID: "o1", Name: "Læge"}}}
		case 1:
			c.STSUnit = &STSUnit{UUID: c.Target.UUID, Name: "Enhed <1>", ITSystemUUIDs: []string{"b", "A"}}
		}
		c.ID = fmt.Sprintf("id%03d", r.IntN(50)) // duplicates on purpose: stability shows
		out[i] = c
	}
	return out
}

func TestChangeIDMatchesReference(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i, c := range randomChanges(r, 2000) {
		if got, want := ChangeID(&c), referenceChangeID(&c); got != want {
			t.Fatalf("change %d: ChangeID = %s, reference %s", i, got, want)
		}
	}
}

func TestSortChangesMatchesReference(t *testing.T) {
	for _, n := range []int{0, 1, 2, 7, 100, 3000} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			cs := randomChanges(rand.New(rand.NewPCG(uint64(n), 3)), max(n, 1))[:n]
			for i := range cs {
				cs[i].MOUUID = fmt.Sprint(i) // tells equal-keyed changes apart
			}
			want := slices.Clone(cs)
			referenceSortChanges(want)
			SortChanges(cs)
			for i := range cs {
				if cs[i].MOUUID != want[i].MOUUID {
					t.Fatalf("position %d: change %s, reference %s", i, cs[i].MOUUID, want[i].MOUUID)
				}
			}
		})
	}
}

func BenchmarkChangeID(b *testing.B) {
	cs := randomChanges(rand.New(rand.NewPCG(1, 2)), 1000)
	b.ReportAllocs()
	for b.Loop() {
		for i := range cs {
			ChangeID(&cs[i])
		}
	}
}
