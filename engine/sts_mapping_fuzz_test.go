package engine

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// fuzzMaxSTSValue bounds each string of FuzzMapSTS: past the largest STS
// limit (200) longer values only slow the fuzzer's minimizing.
const fuzzMaxSTSValue = 300

// FuzzMapSTS builds STS payloads from a snapshot whose unit name, person
// names, job function, address text, AD username and child unit uuid are
// arbitrary. MapSTS must never panic and is deterministic; every string it
// sends is trimmed, at most as long as the limit the options imply (in
// characters), a prefix of the value it came from, valid UTF-8 when the MO
// values were, and every cut is warned about; a CPR is digits only.
func FuzzMapSTS(f *testing.F) {
	for _, s := range []struct {
		unit, given, surname, job, addr, user, child string
		truncate                                     int
		flags                                        uint8
	}{
		{"Borgerservice", "Jens", "Hansen", "Sagsbehandler", "bs@kommune.dk", "jhans", uA, 0, 0},
		{"Rådhus & Borgerservice  ", " Søren Åge", "Ølholm ", "Pædagog", "Rådhusvej 1, 2920 Charlottenlund", "sølh", uA, 36, flagSTSOS2sync | flagSTSFromAD},
		{strings.Repeat("Ældreområdet ", 20), strings.Repeat("Anne ", 30), "Berg", strings.Repeat("x", 250), strings.Repeat("é", 201), "ab", uA, 64, flagSTSClassic | flagSTSCPR},
		{"", "", "", "", "", "", "", -5, 0xff},
		{"\t\n", "\u00a0", "\u2028", " ", "\x00", " jhans ", strings.ToUpper(uA), 200, flagSTSFromAD | flagSTSPrimary},
		{"\xff\xfe", "J\xc3", "\xe2\x82", "Job\x80", "a\xffb", "\xff", uTop, 37, 0},
		{"Unit", "Jens", "Hansen", "Job", "x", "y", "  " + uA + "  ", 1 << 30, flagSTSFromAD},
	} {
		f.Add(s.unit, s.given, s.surname, s.job, s.addr, s.user, s.child, s.truncate, s.flags)
	}
	f.Fuzz(func(t *testing.T, unitName, given, surname, job, addrText, userKey, child string, truncate int, flags uint8) {
		for _, s := range []*string{&unitName, &given, &surname, &job, &addrText, &userKey, &child} {
			*s = (*s)[:min(len(*s), fuzzMaxSTSValue)]
		}
		snap := fuzzSTSSnapshot(unitName, given, surname, job, addrText, userKey, child, flags)
		opts := STSMapOptions{
			TruncateLength: truncate,
			ClassicMSSQL:   flags&flagSTSClassic != 0,
			UserIDFromAD:   flags&flagSTSFromAD != 0,
			SyncCPR:        flags&flagSTSCPR != 0,
		}
		if flags&flagSTSOS2sync != 0 {
			opts.Dialect = STSDialectOS2sync
		}
		d, warns := MapSTS(snap, opts)
		d2, warns2 := MapSTS(snap, opts)
		if !reflect.DeepEqual(d, d2) || !reflect.DeepEqual(warns, warns2) {
			t.Fatalf("MapSTS is not deterministic")
		}
		validIn := true
		for _, s := range []string{unitName, given, surname, job, addrText, userKey, child} {
			validIn = validIn && utf8.ValidString(s)
		}
		sources := []string{unitName, unitName + " " + job, snap.People[0].Name(), job, job + " 2", addrText, userKey, pJens}
		truncated := false
		for _, w := range warns {
			truncated = truncated || w.Code == WarnSTSTruncated
		}
		lim := opts.Limits()
		check := func(field, v string, limit int) {
			t.Helper()
			trimmed := strings.TrimSpace(v) == v
			fromSource := false
			for _, s := range sources {
				fromSource = fromSource || strings.HasPrefix(strings.TrimSpace(s), v)
			}
			switch {
			case utf8.RuneCountInString(v) > limit:
				t.Fatalf("%s has %d characters, limit %d: %q", field, utf8.RuneCountInString(v), limit, v)
			case !trimmed:
				t.Fatalf("%s is not trimmed: %q", field, v)
			case !fromSource:
				t.Fatalf("%s = %q is no prefix of an MO value", field, v)
			case validIn && !utf8.ValidString(v):
				t.Fatalf("%s is not valid UTF-8: %q", field, v)
			}
		}
		checkAddr := func(field string, a *STSAddress) {
			t.Helper()
			if a != nil {
				check(field, a.Value, lim.Address)
			}
		}
		for _, u := range d.Units {
			check("unit Name", u.Name, lim.Name)
			for field, a := range map[string]*STSAddress{"Email": u.Email, "Phone": u.Phone, "Ean": u.Ean, "Post": u.Post,
				"Location": u.Location, "ContactOpenHours": u.ContactOpenHours, "Url": u.URL} {
				checkAddr("unit "+field, a)
			}
		}
		for _, u := range d.Users {
			check("UserId", u.UserID, lim.UserID)
			check("Person.Name", u.Person.Name, lim.PersonName)
			for _, p := range u.Positions {
				check("position Name", p.Name, lim.PositionName)
				if p.Name == "" {
					t.Fatalf("position without a name: %+v", p)
				}
			}
			checkAddr("user Phone", u.Phone)
			checkAddr("user Email", u.Email)
			checkAddr("user Location", u.Location)
			if u.Person.CPR != "" && DigitsOnly(u.Person.CPR) != u.Person.CPR {
				t.Fatalf("CPR %q is not digits only", u.Person.CPR)
			}
		}
		for _, v := range []struct {
			s     string
			limit int
		}{{unitName, lim.Name}, {job, lim.PositionName}, {addrText, lim.Address}} {
			if utf8.RuneCountInString(strings.TrimSpace(v.s)) > v.limit && !truncated {
				t.Fatalf("%d characters (limit %d) sent without a truncation warning", utf8.RuneCountInString(strings.TrimSpace(v.s)), v.limit)
			}
		}
	})
}

// The flags of FuzzMapSTS.
const (
	flagSTSOS2sync = 1 << iota
	flagSTSClassic
	flagSTSFromAD
	flagSTSCPR
	flagSTSPrimary
)

// fuzzSTSSnapshot is the top unit T named unitName with a child unit (uuid
// child), and Jens, engaged in both with job function job, holding an AD
// account userKey; every unit and person address of every scope is
// addrText.
func fuzzSTSSnapshot(unitName, given, surname, job, addrText, userKey, child string, flags uint8) *Snapshot {
	var unitAddrs, personAddrs []Address
	for i, scope := range []string{"EMAIL", "PHONE", "EAN", "PNUMBER", "DAR", "TEXT", "WWW"} {
		unitAddrs = append(unitAddrs, addr("a0000000-0000-4000-8000-00000000000"+string(rune('a'+i)), scope, "Type"+scope, addrText, ""))
		// A person's address has only a value when the name is empty.
		pa := addr("b0000000-0000-4000-8000-00000000000"+string(rune('a'+i)), scope, "Type"+scope, "", "PUBLIC")
		pa.Value = addrText
		personAddrs = append(personAddrs, pa)
	}
	unitAddrs = append(unitAddrs, addr("a0000000-0000-4000-8000-000000000001", "TEXT", "ContactOpenHours", addrText, ""))
	return &Snapshot{
		ReadAt:  stsNow,
		TopUnit: uTop,
		Units: []Unit{
			{UUID: uTop, Name: unitName, Validity: since(2010), Addresses: unitAddrs, ITSystemUUIDs: []string{child, " " + uTop}},
			{UUID: child, Name: unitName + " " + job, ParentUUID: uTop, Validity: since(2010), Addresses: unitAddrs},
		},
		People: []Person{{
			UUID: pJens, UserKey: userKey, CPR: "0101701234", GivenName: given, Surname: surname,
			Engagements: []Engagement{
				{UUID: "e0000000-0000-4000-8000-000000000002", UnitUUID: uTop, JobFunction: job, Validity: since(2020)},
				{UUID: "e0000000-0000-4000-8000-000000000001", UnitUUID: uTop, JobFunction: job + " 2", IsPrimary: flags&flagSTSPrimary != 0, Validity: since(2020)},
				{UUID: "e0000000-0000-4000-8000-000000000003", UnitUUID: child, JobFunction: job, Validity: since(2020)},
			},
			Addresses: personAddrs,
			ITUsers: []ITUser{
				{UUID: "f0000000-0000-4000-8000-000000000001", UserKey: userKey, ITSystemName: "Active Directory", Validity: since(2020)},
			},
		}},
	}
}

// TestMapSTSWarningsStable is the regression of the first FuzzMapSTS find:
// the warnings about a person's positions came in map order, so two runs on
// the same snapshot differed. They come in unit order.
func TestMapSTSWarningsStable(t *testing.T) {
	long := strings.Repeat("Sagsbehandler ", 20) // > 200 characters: truncated in each unit
	snap := fuzzSTSSnapshot("Kommune", "Jens", "Hansen", long, "x", "jhans", uA, 0)
	first, firstWarns := MapSTS(snap, STSMapOptions{})
	var units []string
	for _, w := range firstWarns {
		if w.Code == WarnSTSTruncated && strings.Contains(w.Message, "Positions[") {
			units = append(units, w.Message)
		}
	}
	if len(units) != 2 || units[0] > units[1] {
		t.Fatalf("position warnings not in unit order: %q", units)
	}
	for range 30 {
		d, warns := MapSTS(snap, STSMapOptions{})
		if !reflect.DeepEqual(d, first) || !reflect.DeepEqual(warns, firstWarns) {
			t.Fatalf("MapSTS differs between runs:\n%v\n%v", firstWarns, warns)
		}
	}
}
