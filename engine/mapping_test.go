package engine

import (
	"strings"
	"testing"
	"time"
)

func TestDefaultMappingIsSeedTable(t *testing.T) {
	m := DefaultMapping()
	want := map[string]string{
		"givenName":       "mo given_name",
		"sn":              "mo surname",
		"employeeID":      "mo cpr",
		"title":           "mo engagement.job_function",
		"mail":            "mo address.EMAIL",
		"telephoneNumber": "mo address.PHONE",
		"streetAddress":   "mo address.DAR.street",
		"l":               "mo address.DAR.city",
		"postalCode":      "mo address.DAR.postal_code",
		"postalAddress":   "mo address.DAR",
		"countryCode":     "mo engagement.user_key",
		"objectGUID":      "ad ituser.external_id",
		"sAMAccountName":  "ad ituser.user_key",
	}
	if len(m.Rules) != len(want) {
		t.Fatalf("default mapping has %d rules, want %d:\n%s", len(m.Rules), len(want), m)
	}
	for _, r := range m.Rules {
		if got := string(r.Direction) + " " + r.Source; want[r.Attr] != got {
			t.Errorf("%s = %q, want %q", r.Attr, got, want[r.Attr])
		}
	}
	if m.ITUserField("user_key") != "sAMAccountName" || m.ITUserField("external_id") != "objectGUID" {
		t.Errorf("ITUserField: %q %q", m.ITUserField("user_key"), m.ITUserField("external_id"))
	}
	if m.RenamesCN() {
		t.Error("the seed table does not own cn")
	}
	for _, a := range m.ReadAttributes() {
		if a != strings.ToLower(a) || a == "objectguid" || a == "samaccountname" {
			t.Errorf("ReadAttributes has %q", a)
		}
	}
}

func TestParseMapping(t *testing.T) {
	tests := []struct {
		name, text string
		wantErr    string // substring; "" = must parse
		check      func(t *testing.T, m Mapping)
	}{
		{name: "blank means default", text: "  # nothing\n", check: func(t *testing.T, m Mapping) {
			if m.String() != DefaultMapping().String() {
				t.Errorf("got %s", m)
			}
		}},
		{name: "separators and case, from nothing", text: "* = off, givenName = MO given_name; sn=mo surname, Title = mo Engagement.Job_Function", check: func(t *testing.T, m Mapping) {
			if len(m.Rules) != 3 || m.Rules[2].Source != "engagement.job_function" || m.Rules[2].Attr != "Title" {
				t.Errorf("got %#v", m.Rules)
			}
		}},
		{name: "a rule replaces the default's rule in place", text: "title = mo engagement.type\ndepartment = mo engagement.unit", check: func(t *testing.T, m Mapping) {
			d := DefaultMapping()
			if len(m.Rules) != len(d.Rules)+1 || m.Rules[3].Attr != "title" || m.Rules[3].Source != "engagement.type" || m.Rules[len(m.Rules)-1].Attr != "department" {
				t.Errorf("got %s", m)
			}
		}},
		{name: "clear flag", text: "mail = mo! address.EmailEmployee", check: func(t *testing.T, m Mapping) {
			r := m.Rules[4]
			if !r.Clear || r.Source != "address.EmailEmployee" || r.String() != "mail = mo! address.EmailEmployee" {
				t.Errorf("got %#v / %s", r, r)
			}
		}},
		{name: "off removes a default rule", text: "Title = off\nsn = mo surname", check: func(t *testing.T, m Mapping) {
			if len(m.MOToAD()) != len(DefaultMapping().MOToAD())-1 || len(m.Rules) != len(DefaultMapping().Rules)-1 {
				t.Errorf("got %s", m)
			}
			for _, r := range m.Rules {
				if r.Attr == "title" {
					t.Error("title still mapped")
				}
			}
		}},
		{name: "comment line first", text: "# mine\n* = off\nsn = mo surname # the surname", check: func(t *testing.T, m Mapping) {
			if len(m.Rules) != 1 || m.Rules[0].Attr != "sn" {
				t.Errorf("got %#v", m.Rules)
			}
		}},
		{name: "cn with common_name", text: "cn = mo common_name", check: func(t *testing.T, m Mapping) {
			if !m.RenamesCN() {
				t.Error("RenamesCN false")
			}
		}},
		{name: "unit address part", text: "l = mo unit_address.DAR.city"},
		{name: "unknown direction", text: "sn = both surname", wantErr: `unknown direction "both"`},
		{name: "unknown source", text: "sn = mo surnam", wantErr: `unknown MO source "surnam"`},
		{name: "missing equals", text: "sn mo surname", wantErr: "expected"},
		{name: "bad attribute", text: "s n = mo surname", wantErr: "not an AD attribute name"},
		{name: "duplicate attribute", text: "sn = mo surname\nSN = mo given_name", wantErr: "already mapped on line 1"},
		{name: "not writable", text: "sAMAccountName = mo user_key", wantErr: "cannot be written from MO"},
		{name: "cn needs common_name", text: "cn = mo name", wantErr: "cn can only be mapped from common_name"},
		{name: "common_name only to cn", text: "displayName = mo common_name", wantErr: "cn can only be mapped from common_name"},
		{name: "ad onto an address", text: "mail = ad address.EMAIL\ntelephoneNumber = ad address.BrugerTelefon", check: func(t *testing.T, m Mapping) {
			f := m.FieldRules()
			if len(f) != 2 || f[0].Source != "address.EMAIL" || f[1].Source != "address.BrugerTelefon" || len(m.ITUserRules()) != 2 {
				t.Errorf("field rules %v, IT user rules %v", f, m.ITUserRules())
			}
		}},
		{name: "ad onto the engagement", text: "title = ad engagement.job_function\ncountryCode = ad Engagement.User_Key", check: func(t *testing.T, m Mapping) {
			f := m.FieldRules()
			if len(f) != 2 || f[0].Source != "engagement.job_function" || f[1].Source != "engagement.user_key" {
				t.Errorf("field rules %v", f)
			}
			for _, r := range m.MOToAD() {
				if r.Source == "engagement.job_function" || r.Source == "engagement.user_key" {
					t.Errorf("the default's mo rule %s stayed", r)
				}
			}
		}},
		{name: "ad field rules without IT user rules", text: "* = off\nmail = ad address.EMAIL"},
		{name: "end date to accountExpires", text: "accountExpires = mo engagement.end_date"},
		{name: "two ad rules onto one MO field", text: "title = ad engagement.job_function\ndescription = ad engagement.job_function",
			wantErr: `"title = ad engagement.job_function" and "description = ad engagement.job_function" both write MO's engagement.job_function`},
		{name: "two ad rules onto one address type, any case", text: "mail = ad address.EMAIL\notherMailbox = ad address.email",
			wantErr: `"mail = ad address.EMAIL" and "otherMailbox = ad address.email" both write`},
		{name: "ad onto a unit address", text: "telephoneNumber = ad unit_address.PHONE", wantErr: "not a unit's address"},
		{name: "ad onto an address part", text: "l = ad address.DAR.city", wantErr: "not a unit's address, a DAR address or a part"},
		{name: "ad onto a DAR address", text: "postalAddress = ad address.DAR", wantErr: "a DAR address"},
		{name: "ad onto an unknown field", text: "sn = ad surname", wantErr: "AD → MO supports ituser.user_key"},
		{name: "extension fields both ways", text: "employeeType = ad engagement.extension_3\ndepartmentNumber = mo engagement.extension_10\ninfo = off engagement.extension_1",
			check: func(t *testing.T, m Mapping) {
				if got := m.EngagementExtensions(); len(got) != 2 || got[0] != 3 || got[1] != 10 {
					t.Errorf("EngagementExtensions = %v, want [3 10]", got)
				}
			}},
		{name: "no extension_11", text: "employeeType = ad engagement.extension_11", wantErr: "AD → MO supports"},
		{name: "no extension_0 from MO", text: "employeeType = mo engagement.extension_0", wantErr: "unknown MO source"},
		{name: "ad needs user_key", text: "sAMAccountName = off", wantErr: "needs a rule for ituser.user_key"},
		{name: "ituser field twice", text: "userPrincipalName = ad ituser.user_key", wantErr: `"sAMAccountName = ad ituser.user_key" and "userPrincipalName = ad ituser.user_key" both write MO's ituser.user_key`},
		{name: "star only first", text: "sn = mo surname, * = off", wantErr: "must be the first rule"},
		{name: "star only off", text: "* = mo surname", wantErr: "can only be switched off"},
		{name: "two sources", text: "sn = mo surname given_name", wantErr: "exactly one source"},
		{name: "all errors at once", text: "a = x y\nb = mo nope", wantErr: "line 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := ParseMapping(tt.text)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want it to contain %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			again, err := ParseMapping(m.String())
			if err != nil || again.String() != m.String() {
				t.Errorf("does not round-trip: %v\n%s\n%s", err, m, again)
			}
			if tt.check != nil {
				tt.check(t, m)
			}
		})
	}
}

func TestSplitDanishAddress(t *testing.T) {
	tests := []struct{ in, street, code, city string }{
		{"Vejnavn 12, 8000 Aarhus C", "Vejnavn 12", "8000", "Aarhus C"},
		{"Rådhuspladsen 1, 1550 København V", "Rådhuspladsen 1", "1550", "København V"},
		{"Parkvej 1234, 8000 Aarhus C", "Parkvej 1234", "8000", "Aarhus C"}, // DIPEX's bug, not ours
		{"Vejnavn 12, 1. th, 8000 Aarhus C", "Vejnavn 12, 1. th", "8000", "Aarhus C"},
		{"  Bygade 3 ,  7100   Vejle  ", "Bygade 3", "7100", "Vejle"},
		{"Storegade 2, 2100 København Ø", "Storegade 2", "2100", "København Ø"},
	}
	for _, tt := range tests {
		s, c, l, ok := SplitDanishAddress(tt.in)
		if !ok || s != tt.street || c != tt.code || l != tt.city {
			t.Errorf("SplitDanishAddress(%q) = %q %q %q %v, want %q %q %q", tt.in, s, c, l, ok, tt.street, tt.code, tt.city)
		}
	}
	for _, bad := range []string{"", "Vejnavn 12", "Vejnavn 12, Aarhus C", "Vejnavn 12, 800 Aarhus", "Vejnavn 12, 80000 Aarhus", "8000 Aarhus C"} {
		if _, _, _, ok := SplitDanishAddress(bad); ok {
			t.Errorf("SplitDanishAddress(%q) split", bad)
		}
	}
}

func TestPrimaryEngagement(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	day := func(d int) time.Time { return now.AddDate(0, 0, d) }
	e := func(uuid string, primary bool, from, to int) Engagement {
		v := Validity{From: day(from)}
		if to != 0 {
			v.To = day(to)
		}
		return Engagement{UUID: uuid, IsPrimary: primary, Validity: v}
	}
	tests := []struct {
		name string
		es   []Engagement
		want string
	}{
		{"none", nil, ""},
		{"only ended", []Engagement{e("a", true, -10, -1)}, ""},
		{"primary wins over earlier", []Engagement{e("a", false, -100, 0), e("b", true, -5, 0)}, "b"},
		{"no primary: earliest start", []Engagement{e("b", false, -5, 0), e("a", false, -50, 0)}, "a"},
		{"tie by uuid", []Engagement{e("b", false, -5, 0), e("a", false, -5, 0)}, "a"},
		{"two primaries: earliest of them", []Engagement{e("c", true, -3, 0), e("b", true, -9, 0), e("a", false, -99, 0)}, "b"},
		{"current beats future primary", []Engagement{e("f", true, 10, 0), e("c", false, -1, 0)}, "c"},
		{"only future", []Engagement{e("g", false, 30, 0), e("f", false, 10, 0)}, "f"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &Person{Engagements: tt.es}
			got := PrimaryEngagement(p, now)
			if (got == nil) != (tt.want == "") || got != nil && got.UUID != tt.want {
				t.Errorf("got %v, want %q", got, tt.want)
			}
		})
	}
}

func TestNormalizeAndCheckValue(t *testing.T) {
	eq := []struct{ attr, a, b string }{
		{"title", " Teamleder  i  IT ", "Teamleder i IT"},
		{"mail", "Jens@Kommune.DK", "jens@kommune.dk"},
		{"countryCode", "045", "45"},
		{"givenName", "Jens\tPeter", "Jens Peter"},
	}
	for _, tt := range eq {
		if NormalizeValue(tt.attr, tt.a) != NormalizeValue(tt.attr, tt.b) {
			t.Errorf("%s: %q and %q should compare equal", tt.attr, tt.a, tt.b)
		}
	}
	if NormalizeValue("givenName", "jens") == NormalizeValue("givenName", "Jens") {
		t.Error("givenName compares case-sensitively, so a corrected case reaches AD")
	}
	if !SameValues("otherTelephone", []string{"2", "1"}, []string{"1", " 2"}) {
		t.Error("multi-value order must not matter")
	}
	if why := CheckADValue("countryCode", "ENG-12"); !strings.Contains(why, "integer") {
		t.Errorf("countryCode ENG-12: %q", why)
	}
	if why := CheckADValue("countryCode", "70000"); why == "" {
		t.Error("countryCode out of range accepted")
	}
	if why := CheckADValue("countryCode", "208"); why != "" {
		t.Errorf("countryCode 208: %q", why)
	}
	if why := CheckADValue("title", strings.Repeat("x", 129)); why == "" {
		t.Error("long title accepted")
	}
}

func TestMaskCPRs(t *testing.T) {
	tests := []struct{ in, want string }{
		{"CPR 0101801234 here", "CPR 010180-xxxx here"},
		{"010180-1234", "010180-xxxx"},
		{"a 12345678901 b", "a 12345678901 b"}, // 11 digits: not a CPR
		{"short 123456", "short 123456"},
		{"two 0101801234,0202802345", "two 010180-xxxx,020280-xxxx"},
		{"phone +4591612345", "phone +4591612345"},         // a phone number, not a CPR
		{"not a date 4591612345", "not a date 4591612345"}, // day 45
		{"month 13: 0113801234", "month 13: 0113801234"},
	}
	for _, tt := range tests {
		if got := MaskCPRs(tt.in); got != tt.want {
			t.Errorf("MaskCPRs(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
