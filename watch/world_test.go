package watch

import (
	"slices"
	"testing"

	"moxsync/engine"
	"moxsync/wiring"
)

// The world's indexes follow its patches: a person replaced with another
// CPR, a person added, a person gone, an account's CPR changed; and its
// part holds who shares a CPR with the keys.
func TestWorldIndexesFollowPatches(t *testing.T) {
	w := newWorld(wiring.ReadResult{
		Snap: &engine.Snapshot{People: []engine.Person{{UUID: "a", CPR: "0101010001"}, {UUID: "b", CPR: "0101010002"}, {UUID: "c", CPR: "0101010003"}},
			Units: []engine.Unit{{UUID: "u"}}},
		Accounts: []engine.Account{{GUID: "G1", CPR: "0101010001"}, {GUID: "g2", CPR: "0101010002"}, {GUID: "g9", CPR: "0101010009"}},
	})
	check := func(what string, got, want []string) {
		t.Helper()
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("%s = %v, want %v", what, got, want)
		}
	}
	check("accounts of a, b", w.accountsOf([]string{"a", "b"}), []string{"g1", "g2"})

	// b takes a's CPR: b now shares the account of a (a CPR held twice).
	w.patchMO(&engine.PartialSnapshot{People: []engine.Person{{UUID: "b", CPR: "0101010001"}}})
	check("people of 0101010001", w.byCPR["0101010001"], []string{"a", "b"})
	check("people of 0101010002", w.byCPR["0101010002"], nil)
	check("accounts of b", w.accountsOf([]string{"b"}), []string{"g1"})
	r, n := w.part([]string{"a"})
	if n != 2 || len(r.Accounts) != 1 || r.Accounts[0].GUID != "G1" || !slices.Equal(r.STSUsers, []string{"a", "b"}) {
		t.Errorf("part of a: %d people, accounts %v, STS users %v; want a and b with G1", n, r.Accounts, r.STSUsers)
	}

	// d comes, c goes.
	w.patchMO(&engine.PartialSnapshot{People: []engine.Person{{UUID: "d", CPR: "0101010009"}}, MissingPeople: []string{"c"}})
	if _, ok := w.person["c"]; ok || len(w.snap.People) != 3 {
		t.Errorf("c still indexed, or %d people", len(w.snap.People))
	}
	check("accounts of d", w.accountsOf([]string{"d"}), []string{"g9"})

	// g9 gets c's old CPR, a new account comes for d.
	w.patchAD([]engine.Account{{GUID: "g9", CPR: "0101010003"}, {GUID: "g10", CPR: "0101010009"}}, w.adAt)
	check("accounts of d after", w.accountsOf([]string{"d"}), []string{"g10"})
	if got := w.acctsByCPR["0101010003"]; len(got) != 1 || w.accounts[got[0]].GUID != "g9" {
		t.Errorf("accounts of 0101010003 = %v", got)
	}
	r, _ = w.part([]string{"g9"})
	if len(r.Snap.People) != 0 || len(r.Accounts) != 1 {
		t.Errorf("part of g9: people %v, accounts %v; want no person, g9", r.Snap.People, r.Accounts)
	}
}
