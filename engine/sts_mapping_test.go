package engine

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

var stsNow = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

// Hand-picked uuids: the top unit T, its child A, A's child B (whose uuid
// sorts before A's, to prove parent-first order), and X outside the tree.
const (
	uTop   = "0000000a-0000-4000-8000-000000000000"
	uA     = "0000000b-0000-4000-8000-000000000000"
	uB     = "00000001-0000-4000-8000-000000000000"
	uOut   = "0000000f-0000-4000-8000-000000000000"
	uOutCh = "0000000e-0000-4000-8000-000000000000"
	pJens  = "10000000-0000-4000-8000-000000000001"
	pAne   = "10000000-0000-4000-8000-000000000002"
)

func since(y int) Validity { return Validity{From: time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)} }

func stsTestSnapshot() *Snapshot {
	return &Snapshot{
		ReadAt:  stsNow,
		TopUnit: uTop,
		Units: []Unit{
			{UUID: uB, Name: "Borgerservice", ParentUUID: uA, Validity: since(2020)},
			{UUID: uTop, Name: "Kommune", ParentUUID: "99999999-0000-4000-8000-000000000000", Validity: since(2010)},
			{UUID: uA, Name: "Administration", ParentUUID: uTop, Validity: since(2010)},
			{UUID: uOut, Name: "Udenfor", Validity: since(2010)},
			{UUID: uOutCh, Name: "Udenfor barn", ParentUUID: uOut, Validity: since(2010)},
		},
	}
}

func addr(uuid, scope, typeKey, name, vis string) Address {
	return Address{UUID: uuid, Scope: scope, TypeUUID: "type-" + typeKey, TypeUserKey: typeKey, Name: name, Value: name, Visibility: vis, Validity: since(2020)}
}

func TestMapSTSUnitAddresses(t *testing.T) {
	unitAddrs := []Address{
		addr("a0000000-0000-4000-8000-000000000001", "EMAIL", "EmailUnit", "bs@kommune.dk", ""),
		addr("a0000000-0000-4000-8000-000000000002", "PHONE", "PhoneUnit", "44 44 44 44", "PUBLIC"),
		addr("a0000000-0000-4000-8000-000000000003", "PHONE", "PhoneUnit", "11 11 11 11", "SECRET"), // smaller uuid, but secret
		addr("a0000000-0000-4000-8000-000000000004", "EAN", "EAN", "5798000000001", ""),
		addr("a0000000-0000-4000-8000-000000000005", "PNUMBER", "Pnummer", "1003456789", ""),
		{UUID: "a0000000-0000-4000-8000-000000000006", Scope: "DAR", TypeUserKey: "AdressePost", Value: "0a3f50a0-23c9-32b8-e044-0003ba298018", Name: "Rådhusvej 1, 2920 Charlottenlund", Validity: since(2020)},
		addr("a0000000-0000-4000-8000-000000000007", "TEXT", "ContactOpenHours", "Man-fre 9-15", ""),
		addr("a0000000-0000-4000-8000-000000000008", "TEXT", "Fritekst", "Stuen, dør 3", ""),
		addr("a0000000-0000-4000-8000-000000000009", "WWW", "Url", "https://kommune.dk/bs", ""),
		{UUID: "a0000000-0000-4000-8000-00000000000a", Scope: "EMAIL", Name: "old@kommune.dk", Validity: Validity{From: since(2000).From, To: since(2020).From}}, // ended
	}
	withTextOnly := []Address{addr("a0000000-0000-4000-8000-000000000008", "TEXT", "Fritekst", "Stuen, dør 3", "")}
	tests := []struct {
		name    string
		dialect string
		addrs   []Address
		want    STSUnit
	}{
		{"v1_1 every scope", STSDialectV11, unitAddrs, STSUnit{
			UUID: uB, Name: "Borgerservice", ParentUUID: uA,
			Email:            &STSAddress{UUID: "a0000000-0000-4000-8000-000000000001", Value: "bs@kommune.dk"},
			Phone:            &STSAddress{UUID: "a0000000-0000-4000-8000-000000000002", Value: "44 44 44 44"},
			Ean:              &STSAddress{UUID: "a0000000-0000-4000-8000-000000000004", Value: "5798000000001"},
			Location:         &STSAddress{UUID: "a0000000-0000-4000-8000-000000000005", Value: "1003456789"},
			Post:             &STSAddress{UUID: "a0000000-0000-4000-8000-000000000006", Value: "Rådhusvej 1, 2920 Charlottenlund"},
			ContactOpenHours: &STSAddress{UUID: "a0000000-0000-4000-8000-000000000007", Value: "Man-fre 9-15"},
			ITSystemUUIDs:    []string{"c0000000-0000-4000-8000-000000000001", "c0000000-0000-4000-8000-000000000002"},
		}},
		{"os2sync every scope", STSDialectOS2sync, unitAddrs, STSUnit{
			UUID: uB, Name: "Borgerservice", ParentUUID: uA,
			Email:            &STSAddress{Value: "bs@kommune.dk"},
			Phone:            &STSAddress{Value: "44 44 44 44"},
			Ean:              &STSAddress{Value: "5798000000001"},
			Location:         &STSAddress{Value: "1003456789"},
			Post:             &STSAddress{Value: "Rådhusvej 1, 2920 Charlottenlund"},
			ContactOpenHours: &STSAddress{Value: "Man-fre 9-15"},
			URL:              &STSAddress{Value: "https://kommune.dk/bs"},
			ITSystemUUIDs:    []string{"c0000000-0000-4000-8000-000000000001", "c0000000-0000-4000-8000-000000000002"},
		}},
		{"TEXT goes to Location without a P-number", STSDialectV11, withTextOnly, STSUnit{
			UUID: uB, Name: "Borgerservice", ParentUUID: uA,
			Location:      &STSAddress{UUID: "a0000000-0000-4000-8000-000000000008", Value: "Stuen, dør 3"},
			ITSystemUUIDs: []string{"c0000000-0000-4000-8000-000000000001", "c0000000-0000-4000-8000-000000000002"},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			snap := stsTestSnapshot()
			snap.Units[0].Addresses = tc.addrs
			snap.Units[0].ITSystemUUIDs = []string{"C0000000-0000-4000-8000-000000000002", "c0000000-0000-4000-8000-000000000001"}
			d, _ := MapSTS(snap, STSMapOptions{Dialect: tc.dialect})
			got := findUnit(t, d, uB)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("unit:\n got %s\nwant %s", jsonOf(got), jsonOf(tc.want))
			}
		})
	}
}

func TestMapSTSSubtreeOrderAndCase(t *testing.T) {
	snap := stsTestSnapshot()
	snap.Units[1].UUID = strings.ToUpper(uTop) // MO may hand out upper case
	snap.People = []Person{{UUID: pJens, GivenName: "Jens", Surname: "Hansen",
		Engagements: []Engagement{{UUID: "e1", UnitUUID: uOut, JobFunction: "Pedel", Validity: since(2020)}}}}
	d, warns := MapSTS(snap, STSMapOptions{TopUnitUUID: strings.ToUpper(uTop)})
	var order []string
	for _, u := range d.Units {
		order = append(order, u.UUID)
	}
	if want := []string{uTop, uA, uB}; !reflect.DeepEqual(order, want) {
		t.Fatalf("units = %v, want %v (parent first, outside units left out)", order, want)
	}
	if d.Units[0].ParentUUID != "" {
		t.Errorf("top unit parent = %q, want none", d.Units[0].ParentUUID)
	}
	if d.Units[2].ParentUUID != uA {
		t.Errorf("B parent = %q, want %q", d.Units[2].ParentUUID, uA)
	}
	if len(d.Users) != 0 || len(d.Unposted) != 1 || d.Unposted[0] != (STSRef{UUID: pJens, Name: "Jens Hansen"}) {
		t.Errorf("person engaged only outside the tree: users %v unposted %v", d.Users, d.Unposted)
	}
	if !d.InMO[uOut] || !d.InMO[uOutCh] || d.MOUnits != 5 || d.MOPeople != 1 {
		t.Errorf("InMO/counters wrong: %v %d %d", d.InMO, d.MOUnits, d.MOPeople)
	}
	if len(warns) != 0 {
		t.Errorf("warnings: %v", warns)
	}
}

func TestMapSTSUnknownTopUnit(t *testing.T) {
	d, warns := MapSTS(stsTestSnapshot(), STSMapOptions{TopUnitUUID: "ffffffff-0000-4000-8000-000000000000"})
	if len(d.Units) != 0 || len(warns) != 1 || warns[0].Code != WarnSTSNoTopUnit {
		t.Fatalf("units %v warnings %v", d.Units, warns)
	}
}

func person(uuid, given, sur string, engs []Engagement, addrs []Address, its []ITUser) Person {
	return Person{UUID: uuid, GivenName: given, Surname: sur, Engagements: engs, Addresses: addrs, ITUsers: its}
}

func TestMapSTSUsers(t *testing.T) {
	eng := func(uuid, unit, title string, primary bool) Engagement {
		return Engagement{UUID: uuid, UnitUUID: unit, JobFunction: title, IsPrimary: primary, Validity: since(2020)}
	}
	ad := func(key string) ITUser {
		return ITUser{UUID: "it-" + key, UserKey: key, ITSystemName: "Active Directory", Validity: since(2020)}
	}
	phonePub := addr("b0000000-0000-4000-8000-000000000002", "PHONE", "PhoneEmployee", "40 40 40 40", "PUBLIC")
	phoneSecret := addr("b0000000-0000-4000-8000-000000000001", "PHONE", "PhoneEmployee", "22 22 22 22", "SECRET")
	mobileSecret := addr("b0000000-0000-4000-8000-000000000003", "PHONE", "MobileEmployee", "33 33 33 33", "SECRET")
	mail := addr("b0000000-0000-4000-8000-000000000004", "EMAIL", "EmailEmployee", "jh@kommune.dk", "")
	home := Address{UUID: "b0000000-0000-4000-8000-000000000005", Scope: "DAR", Value: "dar-uuid", Name: "Vej 2, 2900 Hellerup", Validity: since(2020)}

	tests := []struct {
		name      string
		opts      STSMapOptions
		p         Person
		want      *STSUser // nil: unposted
		wantWarns []string
	}{
		{
			name: "two engagements in one unit: primary wins, one position per unit",
			opts: STSMapOptions{},
			p: person(pJens, "Jens", "Hansen", []Engagement{
				eng("e3", uB, "Sagsbehandler", false),
				eng("e2", uB, "Teamleder", true),
				eng("e1", uA, "Konsulent", false),
				eng("e0", uOut, "Pedel", true),                                            // outside the tree
				{UUID: "e9", UnitUUID: uA, JobFunction: "Fremtid", Validity: since(2030)}, // future
			}, nil, nil),
			want: &STSUser{UUID: pJens, UserID: pJens, Person: STSPerson{UUID: pJens, Name: "Jens Hansen"},
				Positions: []STSPosition{
					{UUID: "e2", Name: "Teamleder", OrgUnitUUID: uB},
					{UUID: "e1", Name: "Konsulent", OrgUnitUUID: uA},
				}},
			wantWarns: []string{WarnSTSMergedPos},
		},
		{
			name: "two non-primary engagements: smallest uuid wins",
			p: person(pJens, "Jens", "Hansen", []Engagement{
				eng("e7", uB, "B-titel", false), eng("e5", uB, "A-titel", false),
			}, nil, nil),
			want: &STSUser{UUID: pJens, UserID: pJens, Person: STSPerson{UUID: pJens, Name: "Jens Hansen"},
				Positions: []STSPosition{{UUID: "e5", Name: "A-titel", OrgUnitUUID: uB}}},
			wantWarns: []string{WarnSTSMergedPos},
		},
		{
			name: "secret phone never sent; public one chosen; AD UserId; CPR when enabled",
			opts: STSMapOptions{UserIDFromAD: true, SyncCPR: true},
			p: func() Person {
				p := person(pJens, "Jens", "Hansen", []Engagement{eng("e1", uA, "Konsulent", true)},
					[]Address{phoneSecret, phonePub, mobileSecret, mail, home}, []ITUser{ad("jha")})
				p.CPR = "0101801234"
				return p
			}(),
			want: &STSUser{UUID: pJens, UserID: "jha", Person: STSPerson{UUID: pJens, Name: "Jens Hansen", CPR: "0101801234"},
				Phone:     &STSAddress{UUID: phonePub.UUID, Value: "40 40 40 40"},
				Email:     &STSAddress{UUID: mail.UUID, Value: "jh@kommune.dk"},
				Location:  &STSAddress{UUID: home.UUID, Value: "Vej 2, 2900 Hellerup"},
				Positions: []STSPosition{{UUID: "e1", Name: "Konsulent", OrgUnitUUID: uA}}},
		},
		{
			name: "only a secret phone: no Phone at all",
			p:    person(pJens, "Jens", "Hansen", []Engagement{eng("e1", uA, "Konsulent", true)}, []Address{phoneSecret, mobileSecret}, nil),
			want: &STSUser{UUID: pJens, UserID: pJens, Person: STSPerson{UUID: pJens, Name: "Jens Hansen"},
				Positions: []STSPosition{{UUID: "e1", Name: "Konsulent", OrgUnitUUID: uA}}},
		},
		{
			name: "class list: listed secret class skipped, next listed public class chosen; unlisted never",
			opts: STSMapOptions{PhoneScopeClasses: []string{"type-MobileEmployee", "type-PhoneEmployee"}, EmailScopeClasses: []string{"type-Other"}},
			p:    person(pJens, "Jens", "Hansen", []Engagement{eng("e1", uA, "Konsulent", true)}, []Address{phoneSecret, phonePub, mobileSecret, mail}, nil),
			want: &STSUser{UUID: pJens, UserID: pJens, Person: STSPerson{UUID: pJens, Name: "Jens Hansen"},
				Phone:     &STSAddress{UUID: phonePub.UUID, Value: "40 40 40 40"},
				Positions: []STSPosition{{UUID: "e1", Name: "Konsulent", OrgUnitUUID: uA}}},
		},
		{
			name: "person without CPR, SyncCPR on, os2sync: no Cpr, no generated uuids",
			opts: STSMapOptions{SyncCPR: true, Dialect: STSDialectOS2sync},
			p:    person(pAne, "Ane", "Jensen", []Engagement{eng("e1", uA, "Konsulent", true)}, []Address{phonePub}, nil),
			want: &STSUser{UUID: pAne, UserID: pAne, Person: STSPerson{Name: "Ane Jensen"},
				Phone:     &STSAddress{Value: "40 40 40 40"},
				Positions: []STSPosition{{Name: "Konsulent", OrgUnitUUID: uA}}},
		},
		{
			name: "CPR held back unless SyncCPR",
			p: func() Person {
				p := person(pAne, "Ane", "Jensen", []Engagement{eng("e1", uA, "Konsulent", true)}, nil, nil)
				p.CPR = "0101801234"
				return p
			}(),
			want: &STSUser{UUID: pAne, UserID: pAne, Person: STSPerson{UUID: pAne, Name: "Ane Jensen"},
				Positions: []STSPosition{{UUID: "e1", Name: "Konsulent", OrgUnitUUID: uA}}},
		},
		{
			name: "two AD accounts: UserId falls back to the uuid",
			opts: STSMapOptions{UserIDFromAD: true},
			p:    person(pAne, "Ane", "Jensen", []Engagement{eng("e1", uA, "Konsulent", true)}, nil, []ITUser{ad("aje"), ad("aje2")}),
			want: &STSUser{UUID: pAne, UserID: pAne, Person: STSPerson{UUID: pAne, Name: "Ane Jensen"},
				Positions: []STSPosition{{UUID: "e1", Name: "Konsulent", OrgUnitUUID: uA}}},
			wantWarns: []string{WarnSTSUserIDAmbig},
		},
		{
			name: "no engagement in an exported unit: unposted",
			p:    person(pAne, "Ane", "Jensen", []Engagement{eng("e1", uOutCh, "Pedel", true)}, nil, nil),
		},
		{
			name:      "engagement without job title gives no position",
			p:         person(pAne, "Ane", "Jensen", []Engagement{eng("e1", uA, " ", true)}, nil, nil),
			wantWarns: []string{WarnSTSNoJobTitle},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			snap := stsTestSnapshot()
			snap.People = []Person{tc.p}
			d, warns := MapSTS(snap, tc.opts)
			if tc.want == nil {
				if len(d.Users) != 0 || len(d.Unposted) != 1 || d.Unposted[0].UUID != tc.p.UUID {
					t.Fatalf("want unposted, got users %s unposted %v", jsonOf(d.Users), d.Unposted)
				}
			} else {
				if len(d.Users) != 1 {
					t.Fatalf("users = %s", jsonOf(d.Users))
				}
				if !reflect.DeepEqual(d.Users[0], *tc.want) {
					t.Errorf("user:\n got %s\nwant %s", jsonOf(d.Users[0]), jsonOf(*tc.want))
				}
			}
			var codes []string
			for _, w := range warns {
				codes = append(codes, w.Code)
				if strings.Contains(w.Message, "0101801234") {
					t.Errorf("warning leaks a CPR: %s", w.Message)
				}
			}
			if !reflect.DeepEqual(codes, tc.wantWarns) {
				t.Errorf("warnings = %v, want %v", warns, tc.wantWarns)
			}
		})
	}
}

func TestMapSTSTruncation(t *testing.T) {
	long := strings.Repeat("æ", 250) // multi-byte: limits count characters
	tests := []struct {
		name                        string
		opts                        STSMapOptions
		unitName, personName, title int
		phone, userID               int
		wantTruncations             int
	}{
		{"os2sync limits", STSMapOptions{}, 200, 100, 200, 200, 200, 5},
		{"classic MSSQL: 64 for everything", STSMapOptions{ClassicMSSQL: true}, 64, 64, 64, 64, 64, 5},
		{"STSORGSYNC_TRUNCATE=10 is raised to 36", STSMapOptions{TruncateLength: 10}, 36, 36, 36, 36, 36, 5},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			snap := stsTestSnapshot()
			snap.Units[2].Name = long
			snap.People = []Person{person(pJens, long[:2*150], "", []Engagement{{UUID: "e1", UnitUUID: uA, JobFunction: long, Validity: since(2020)}},
				[]Address{addr("b1", "PHONE", "Phone", long, "")},
				[]ITUser{{UserKey: long, ITSystemName: "active directory", Validity: since(2020)}})}
			tc.opts.UserIDFromAD = true
			d, warns := MapSTS(snap, tc.opts)
			u := d.Users[0]
			got := []int{runes(findUnit(t, d, uA).Name), runes(u.Person.Name), runes(u.Positions[0].Name), runes(u.Phone.Value), runes(u.UserID)}
			want := []int{tc.unitName, tc.personName, tc.title, tc.phone, tc.userID}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("lengths = %v, want %v", got, want)
			}
			n := 0
			for _, w := range warns {
				if w.Code == WarnSTSTruncated {
					n++
					if w.Key == "" || !strings.Contains(w.Message, "truncated to") {
						t.Errorf("truncation warning without key or text: %+v", w)
					}
				}
			}
			if n != tc.wantTruncations {
				t.Errorf("%d truncation warnings, want %d: %v", n, tc.wantTruncations, warns)
			}
		})
	}
}

func TestMapSTSDeterministic(t *testing.T) {
	a, _ := MapSTS(stsBigSnapshot(30, 300), STSMapOptions{})
	b, _ := MapSTS(stsBigSnapshot(30, 300), STSMapOptions{})
	if jsonOf(a) != jsonOf(b) {
		t.Fatal("two mappings of the same snapshot differ")
	}
}

func runes(s string) int { return len([]rune(s)) }

func findUnit(t *testing.T, d STSDesired, id string) STSUnit {
	t.Helper()
	for _, u := range d.Units {
		if u.UUID == id {
			return u
		}
	}
	t.Fatalf("unit %s not mapped; units: %s", id, jsonOf(d.Units))
	return STSUnit{}
}
