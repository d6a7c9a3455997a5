package motest

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"moxsync/engine"
)

// copenhagen is MO's time zone; every generated date is local midnight here.
var copenhagen = mustLoadLocation("Europe/Copenhagen")

func mustLoadLocation(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(fmt.Sprintf("motest: load time zone %s: %v", name, err))
	}
	return loc
}

// ReferenceToday is the Today of every generated Dataset (so that Generate is
// deterministic); Rebase moves a Dataset to another day.
var ReferenceToday = time.Date(2026, time.March, 2, 0, 0, 0, 0, copenhagen)

type sizeSpec struct{ units, people int }

var sizes = map[Size]sizeSpec{
	SizeDemo:    {50, 300},
	SizeTypical: {800, 5000},
	SizeLarge:   {3000, 40000},
}

// gen holds the state of one Generate run.
type gen struct {
	r       *rand.Rand
	d       *Dataset
	class   map[string]map[string]string // facet user key -> class user key -> uuid
	usedCPR map[string]bool
	usedSAM map[string]bool
	samNext map[string]int
	engNo   int
	// unit bookkeeping
	depth     map[string]int
	workUnits []string // units people may be engaged in (current, under the top unit)
	outside   []string // current units outside the top unit's subtree
	nameCount map[string]int
}

// Generate builds a data set of the given size. The same size and seed give
// the same Dataset. An unknown size is treated as SizeDemo.
func Generate(size Size, seed int64) *Dataset {
	spec, ok := sizes[size]
	if !ok {
		spec = sizes[SizeDemo]
	}
	g := &gen{
		r:         rand.New(rand.NewPCG(uint64(seed), 0x6d6f7873796e63)),
		class:     map[string]map[string]string{},
		usedCPR:   map[string]bool{},
		usedSAM:   map[string]bool{},
		samNext:   map[string]int{},
		depth:     map[string]int{},
		nameCount: map[string]int{},
		engNo:     1000,
	}
	g.d = &Dataset{
		Today:      ReferenceToday,
		OrgName:    "Hjørring Kommune",
		OrgUserKey: "Hjørring Kommune",
		Domain:     "hjoerring.dk",
	}
	g.d.OrgUUID = g.uuid()
	g.classes()
	g.itsystems()
	g.units(spec.units)
	g.people(spec.people)
	g.managers()
	g.unitAddresses()
	g.unitITUsers()
	return g.d
}

func (g *gen) uuid() string {
	var u uuid.UUID
	a, b := g.r.Uint64(), g.r.Uint64()
	for i := 0; i < 8; i++ {
		u[i] = byte(a >> (8 * i))
		u[8+i] = byte(b >> (8 * i))
	}
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	return u.String()
}

func (g *gen) chance(p float64) bool { return g.r.Float64() < p }

func (g *gen) pick(list []string) string { return list[g.r.IntN(len(list))] }

func (g *gen) day(offset int) time.Time { return g.d.Today.AddDate(0, 0, offset) }

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, copenhagen) }

func (g *gen) cls(facet, userKey string) string {
	u := g.class[facet][userKey]
	if u == "" {
		panic("motest: no class " + facet + "/" + userKey)
	}
	return u
}

// classes creates the facets and their classes.
func (g *gen) classes() {
	type c struct{ key, name, scope string }
	facets := []struct {
		key     string
		classes []c
	}{
		{FacetEmployeeAddressType, []c{
			{"BrugerEmail", "Email", "EMAIL"}, {"BrugerTelefon", "Telefon", "PHONE"},
			{"BrugerMobil", "Mobiltelefon", "PHONE"}, {"BrugerPostadresse", "Postadresse", "DAR"},
			{"BrugerLokation", "Lokation", "TEXT"},
		}},
		{FacetOrgUnitAddressType, []c{
			{"EmailUnit", "Email", "EMAIL"}, {"PhoneUnit", "Telefon", "PHONE"},
			{"AddressMailUnit", "Postadresse", "DAR"}, {"EAN", "EAN-nummer", "EAN"},
			{"p-nummer", "P-nummer", "PNUMBER"}, {"OpeningHoursUnit", "Åbningstider", "TEXT"},
			{"WebUnit", "Hjemmeside", "WWW"},
		}},
		{FacetVisibility, []c{
			{"Public", "Må vises eksternt", "PUBLIC"}, {"Internal", "Må vises internt", "INTERNAL"},
			{"Secret", "Hemmelig", "SECRET"},
		}},
		{FacetJobFunction, nil},
		{FacetEngagementType, []c{{"Ansat", "Ansat", ""}, {"Timelønnet", "Timelønnet", ""}, {"Elev", "Elev", ""}}},
		{FacetPrimaryType, []c{{"primary", "Primær", "3000"}, {"non-primary", "Ikke-primær", "0"}}},
		{FacetOrgUnitType, []c{
			{"Kommune", "Kommune", ""}, {"Fagområde", "Fagområde", ""}, {"Afdeling", "Afdeling", ""},
			{"Skole", "Skole", ""}, {"Daginstitution", "Daginstitution", ""}, {"Team", "Team", ""},
		}},
		{FacetOrgUnitLevel, []c{{"N1", "Niveau 1", ""}, {"N2", "Niveau 2", ""}, {"N3", "Niveau 3", ""}, {"N4", "Niveau 4", ""}}},
		{FacetManagerType, []c{
			{"Direktør", "Direktør", ""}, {"Leder", "Leder", ""}, {"Skoleleder", "Skoleleder", ""},
			{"Institutionsleder", "Institutionsleder", ""}, {"Teamleder", "Teamleder", ""},
		}},
		{FacetManagerLevel, []c{{"Niveau 1", "Niveau 1", ""}, {"Niveau 2", "Niveau 2", ""}, {"Niveau 3", "Niveau 3", ""}, {"Niveau 4", "Niveau 4", ""}}},
		{FacetResponsibility, []c{
			{"personale", "Personale: ansættelse/afskedigelse", ""}, {"mus", "Personale: MUS-kompetence", ""},
			{"beredskab", "Beredskabsledelse", ""}, {"budget", "Budgetansvar", ""},
		}},
	}
	for _, jf := range jobFunctions {
		facets[3].classes = append(facets[3].classes, c{jf, jf, ""})
	}
	for _, f := range facets {
		fu := g.uuid()
		g.d.Facets = append(g.d.Facets, Facet{UUID: fu, UserKey: f.key})
		g.class[f.key] = map[string]string{}
		for _, cl := range f.classes {
			u := g.uuid()
			g.class[f.key][cl.key] = u
			g.d.Classes = append(g.d.Classes, Class{UUID: u, UserKey: cl.key, Name: cl.name, Scope: cl.scope, FacetUUID: fu, Published: "Publiceret"})
		}
	}
}

func (g *gen) itsystems() {
	from := engine.Validity{From: date(2002, 2, 14)}
	g.d.ITSystems = []ITSystem{
		{UUID: g.uuid(), UserKey: ADSystemName, Name: ADSystemName, Validity: from},
		{UUID: g.uuid(), UserKey: "Opus", Name: "OPUS Løn og Personale", Validity: from},
		{UUID: g.uuid(), UserKey: "Plone", Name: "Plone", Validity: from},
	}
}

func (g *gen) addUnit(name, key, parent, unitType, level string) string {
	u := Unit{
		UUID: g.uuid(), UserKey: key, Name: name, ParentUUID: parent,
		UnitTypeUUID: g.cls(FacetOrgUnitType, unitType),
		Validity:     engine.Validity{From: date(1960, 1, 1)},
	}
	if level != "" {
		u.UnitLevelUUID = g.cls(FacetOrgUnitLevel, level)
	}
	if parent != "" {
		g.depth[u.UUID] = g.depth[parent] + 1
	}
	g.d.Units = append(g.d.Units, u)
	return u.UUID
}

func (g *gen) uniqueName(base string) string {
	g.nameCount[base]++
	n := g.nameCount[base]
	if n == 1 {
		return base
	}
	suffixes := []string{"Nord", "Syd", "Øst", "Vest", "Centrum", "Bakke", "Mark", "Skov", "Enge", "Strand"}
	if n-2 < len(suffixes) {
		return base + " " + suffixes[n-2]
	}
	return fmt.Sprintf("%s %d", base, n-len(suffixes))
}

// units builds the tree: the top unit, the four areas with their
// departments, schools and kindergartens under "Skoler og børnehaver", one
// ended unit, and a second root with a child outside the top unit's subtree.
func (g *gen) units(target int) {
	top := g.addUnit(g.d.OrgName, "HK", "", "Kommune", "N1")
	g.d.TopUnitUUID = top
	var institutionsParent string
	for _, a := range areas {
		au := g.addUnit(a.name, a.key, top, "Fagområde", "N2")
		g.workUnits = append(g.workUnits, au)
		for i, dn := range a.depts {
			du := g.addUnit(dn, fmt.Sprintf("%s-%02d", a.key, i+1), au, "Afdeling", "N3")
			if dn == "Skoler og børnehaver" {
				institutionsParent = du
				continue
			}
			g.workUnits = append(g.workUnits, du)
		}
	}
	// The ended unit, and the second root with its child.
	ended := g.addUnit("Nedlagt Projektafdeling", "BA-99", g.d.Units[1].UUID, "Afdeling", "N3")
	g.d.Units[len(g.d.Units)-1].Validity = engine.Validity{From: date(2015, 1, 1), To: g.day(-200)}
	_ = ended
	ext := g.addUnit("Eksterne samarbejdspartnere", "EXT", "", "Fagområde", "")
	vik := g.addUnit("Vikarbureau Nord", "EXT-01", ext, "Afdeling", "")
	g.outside = []string{ext, vik}

	n := 0
	for len(g.d.Units) < target {
		n++
		t := towns[g.r.IntN(len(towns))]
		if n%5 < 3 { // three schools for every two kindergartens
			name := g.uniqueName(t.name + " Skole")
			key := fmt.Sprintf("%s-SK%03d", t.zip, n)
			su := g.addUnit(name, key, institutionsParent, "Skole", "N4")
			g.workUnits = append(g.workUnits, su, su, su) // schools are big
			if len(g.d.Units) < target {
				g.workUnits = append(g.workUnits, g.addUnit("Teknisk Support", key+"-TS", su, "Team", ""))
			}
			if len(g.d.Units) < target && g.chance(0.5) {
				g.workUnits = append(g.workUnits, g.addUnit("Administration", key+"-ADM", su, "Team", ""))
			}
			k := int(g.r.ExpFloat64() + g.r.ExpFloat64()) // ~gamma(2,1)
			for i := 0; i < k && i < len(operatingSystems) && len(g.d.Units) < target; i++ {
				g.workUnits = append(g.workUnits, g.addUnit("Teknisk support for "+operatingSystems[i], fmt.Sprintf("%s-OS%d", key, i), su, "Team", ""))
			}
		} else {
			name := g.uniqueName(t.name + " Børnehave")
			g.workUnits = append(g.workUnits, g.addUnit(name, fmt.Sprintf("%s-BH%03d", t.zip, n), institutionsParent, "Daginstitution", "N4"))
		}
	}
}

var asciiReplacer = strings.NewReplacer("æ", "ae", "ø", "oe", "å", "aa", "Æ", "ae", "Ø", "oe", "Å", "aa",
	"é", "e", "è", "e", "ê", "e", "ë", "e", "ü", "u", "ö", "o", "ä", "a", "á", "a", "í", "i",
	"ó", "o", "ô", "o", "ï", "i", "ı", "i", "ç", "c", "ñ", "n", "š", "s")

// ascii transliterates a name to lower-case a-z, for user names and e-mail.
func ascii(s string) string {
	s = strings.ToLower(asciiReplacer.Replace(s))
	var b strings.Builder
	for _, c := range s {
		if c >= 'a' && c <= 'z' {
			b.WriteRune(c)
		}
	}
	return b.String()
}

// samName makes a unique sAMAccountName-like name from a person's names.
func (g *gen) samName(given, surname string) string {
	gn, sn := ascii(strings.Fields(given)[0]), ascii(strings.ReplaceAll(surname, "-", " "))
	base := prefix(gn, 2) + prefix(sn, 2)
	for len(base) < 4 {
		base += "x"
	}
	name := base
	for g.usedSAM[name] {
		g.samNext[base]++
		name = base + strconv.Itoa(g.samNext[base]+1)
	}
	g.usedSAM[name] = true
	return name
}

func prefix(s string, n int) string {
	if len(s) < n {
		return s
	}
	return s[:n]
}

// cpr draws a unique, valid CPR number for a person born on birth.
func (g *gen) cpr(birth time.Time, male bool) string {
	for {
		yy := birth.Year() % 100
		var serial int
		if birth.Year() < 2000 {
			switch g.r.IntN(3) {
			case 0:
				serial = g.r.IntN(4000)
			case 1:
				if yy > 36 {
					serial = 4000 + g.r.IntN(1000)
				} else {
					serial = g.r.IntN(4000)
				}
			default:
				if yy > 36 {
					serial = 9000 + g.r.IntN(1000)
				} else {
					serial = g.r.IntN(4000)
				}
			}
		} else {
			switch g.r.IntN(3) {
			case 0:
				serial = 4000 + g.r.IntN(1000)
			case 1:
				serial = 5000 + g.r.IntN(4000)
			default:
				serial = 9000 + g.r.IntN(1000)
			}
		}
		if (serial%2 == 1) != male {
			serial ^= 1
		}
		c := fmt.Sprintf("%02d%02d%02d%04d", birth.Day(), int(birth.Month()), yy, serial)
		if !g.usedCPR[c] {
			g.usedCPR[c] = true
			return c
		}
	}
}

func (g *gen) givenNames(male bool) string {
	list := femaleNames
	if male {
		list = maleNames
	}
	n := 1
	if g.chance(0.45) {
		n = 2
	}
	if g.chance(0.1) {
		n = 3
	}
	names := []string{g.pick(list)}
	for len(names) < n {
		if nm := g.pick(list); nm != names[len(names)-1] {
			names = append(names, nm)
		}
	}
	return strings.Join(names, " ")
}

func (g *gen) surname() string {
	s := g.pick(surnames)
	switch {
	case g.chance(0.08):
		if o := g.pick(surnames); o != s {
			s = o + "-" + s
		}
	case g.chance(0.25):
		s = g.pick(middleNames) + " " + s
	}
	return s
}

func (g *gen) workUnit() string {
	if g.chance(0.02) {
		return g.outside[1]
	}
	return g.workUnits[g.r.IntN(len(g.workUnits))]
}

func (g *gen) engagement(p *Person, unit string, v engine.Validity, primary bool) *Engagement {
	g.engNo += 1 + g.r.IntN(3)
	e := Engagement{
		UUID: g.uuid(), UserKey: fmt.Sprintf("%05d", g.engNo), PersonUUID: p.UUID, UnitUUID: unit,
		JobFunctionUUID:    g.cls(FacetJobFunction, g.pick(jobFunctions)),
		EngagementTypeUUID: g.cls(FacetEngagementType, []string{"Ansat", "Ansat", "Ansat", "Ansat", "Timelønnet", "Elev"}[g.r.IntN(6)]),
		PrimaryUUID:        g.cls(FacetPrimaryType, "non-primary"),
		Validity:           v,
	}
	if primary {
		e.PrimaryUUID = g.cls(FacetPrimaryType, "primary")
	}
	if g.chance(0.7) {
		e.Fraction = []int{1000000, 1000000, 1000000, 800000, 500000}[g.r.IntN(5)]
	}
	if g.chance(0.3) {
		e.Extensions[0] = g.pick([]string{"Overenskomst 47.11", "Overenskomst 05.01", "Tjenestemand"})
	}
	g.d.Engagements = append(g.d.Engagements, e)
	return &g.d.Engagements[len(g.d.Engagements)-1]
}

func (g *gen) address(typeFacet, typeKey, vis, value, darText string, v engine.Validity) *Address {
	a := Address{
		UUID: g.uuid(), Value: value, DARText: darText,
		AddressTypeUUID: g.cls(typeFacet, typeKey), Validity: v,
	}
	a.UserKey = value
	if darText != "" {
		a.UserKey = darText
	}
	if vis != "" {
		a.VisibilityUUID = g.cls(FacetVisibility, vis)
	}
	g.d.Addresses = append(g.d.Addresses, a)
	return &g.d.Addresses[len(g.d.Addresses)-1]
}

func (g *gen) darAddress() (string, string) {
	t := towns[g.r.IntN(len(towns))]
	text := fmt.Sprintf("%s %d", g.pick(streets), 1+g.r.IntN(120))
	if g.chance(0.3) {
		text += fmt.Sprintf(", %d. %s", 1+g.r.IntN(4), []string{"th", "tv", "mf"}[g.r.IntN(3)])
	}
	return g.uuid(), text + ", " + t.zip + " " + t.name
}

func (g *gen) phone() string {
	n := fmt.Sprintf("%d%07d", 2+g.r.IntN(8), g.r.IntN(10000000))
	if g.chance(0.4) {
		return "+45" + n
	}
	return n
}

// people creates n people with engagements, addresses and IT users. Most
// have one current engagement; some have none at all, some only ended ones,
// some only a future one, and some several.
func (g *gen) people(n int) {
	g.d.People = make([]Person, 0, n)
	g.d.Engagements = make([]Engagement, 0, n*5/4)
	g.d.Addresses = make([]Address, 0, n*3)
	g.d.ITUsers = make([]ITUser, 0, n*3/2)
	noCPR := max(2, n/400)
	ad := g.d.ITSystems[0].UUID
	opus := g.d.ITSystems[1].UUID
	for i := 0; i < n; i++ {
		male := g.chance(0.48)
		p := Person{UUID: g.uuid(), GivenName: g.givenNames(male), Surname: g.surname()}
		p.UserKey = p.UUID
		age := 18 + g.r.IntN(50)
		birth := g.d.Today.AddDate(-age, 0, -g.r.IntN(365))
		if i%(n/noCPR) != 7 {
			p.CPR = g.cpr(birth, male)
			p.Validity.From = date(birth.Year(), birth.Month(), birth.Day())
		} else {
			p.Validity.From = date(1990, 1, 1)
		}
		if g.chance(0.03) {
			p.NicknameGivenName = g.pick([]string{"Kalle", "Bimse", "Søs", "Lillebror", "Malle", "Mads-Emil"})
			p.NicknameSurname = p.Surname
		}
		g.d.People = append(g.d.People, p)
		pp := &g.d.People[len(g.d.People)-1]

		var main *Engagement
		kind := g.r.Float64()
		switch {
		case kind < 0.01: // no engagements at all
		case kind < 0.04: // left: only ended engagements
			start := g.day(-400 - g.r.IntN(3000))
			main = g.engagement(pp, g.workUnit(), engine.Validity{From: start, To: g.day(-1 - g.r.IntN(300))}, true)
		case kind < 0.07: // new hire: only a future engagement
			main = g.engagement(pp, g.workUnit(), engine.Validity{From: g.day(1 + g.r.IntN(60))}, true)
		default:
			v := engine.Validity{From: g.day(-g.r.IntN(7300))}
			if g.chance(0.1) {
				v.To = g.day(1 + g.r.IntN(400))
			}
			main = g.engagement(pp, g.workUnit(), v, true)
			if g.chance(0.12) {
				g.engagement(pp, g.workUnit(), engine.Validity{From: g.day(-g.r.IntN(2000))}, false)
			}
			if g.chance(0.05) {
				g.engagement(pp, g.workUnit(), engine.Validity{From: g.day(-6000), To: g.day(-2000 + g.r.IntN(1500))}, false)
			}
			if g.chance(0.03) {
				g.engagement(pp, g.workUnit(), engine.Validity{From: g.day(1 + g.r.IntN(90))}, false)
			}
		}
		if main == nil {
			continue
		}
		from := main.Validity.From
		sam := g.samName(pp.GivenName, pp.Surname)
		if g.chance(0.9) {
			g.address(FacetEmployeeAddressType, "BrugerEmail", "Public", sam+"@"+g.d.Domain, "", engine.Validity{From: from, To: main.Validity.To}).PersonUUID = pp.UUID
		}
		if g.chance(0.05) {
			g.address(FacetEmployeeAddressType, "BrugerEmail", "Internal", sam+".old@"+g.d.Domain, "", engine.Validity{From: from.AddDate(-3, 0, 0), To: from}).PersonUUID = pp.UUID
		}
		if g.chance(0.7) {
			a := g.address(FacetEmployeeAddressType, "BrugerTelefon", []string{"Public", "Internal"}[g.r.IntN(2)], g.phone(), "", engine.Validity{From: from})
			a.PersonUUID = pp.UUID
			if g.chance(0.3) {
				a.EngagementUUID = main.UUID
			}
		}
		if g.chance(0.4) {
			g.address(FacetEmployeeAddressType, "BrugerMobil", []string{"Secret", "Internal"}[g.r.IntN(2)], g.phone(), "", engine.Validity{From: from}).PersonUUID = pp.UUID
		}
		if g.chance(0.6) {
			dar, text := g.darAddress()
			g.address(FacetEmployeeAddressType, "BrugerPostadresse", "Secret", dar, text, engine.Validity{From: from.AddDate(0, 0, -g.r.IntN(3000))}).PersonUUID = pp.UUID
		}
		if g.chance(0.1) {
			g.address(FacetEmployeeAddressType, "BrugerLokation", "", fmt.Sprintf("Lokale %d.%02d", 1+g.r.IntN(4), g.r.IntN(40)), "", engine.Validity{From: from}).PersonUUID = pp.UUID
		}
		adChance := 0.85
		if !main.Validity.CurrentOrFuture(g.d.Today) {
			adChance = 0.6
		} else if main.Validity.From.After(g.d.Today) {
			adChance = 0.5
		}
		if g.chance(adChance) {
			g.d.ITUsers = append(g.d.ITUsers, ITUser{
				UUID: g.uuid(), UserKey: sam, ExternalID: g.uuid(), ITSystemUUID: ad, PersonUUID: pp.UUID,
				Validity: engine.Validity{From: from.AddDate(0, 0, -g.r.IntN(14))},
			})
		}
		if g.chance(0.02) {
			g.d.ITUsers = append(g.d.ITUsers, ITUser{
				UUID: g.uuid(), UserKey: sam + "-old", ExternalID: g.uuid(), ITSystemUUID: ad, PersonUUID: pp.UUID,
				Validity: engine.Validity{From: from.AddDate(-2, 0, 0), To: from.AddDate(0, 0, -30)},
			})
		}
		if g.chance(0.4) {
			g.d.ITUsers = append(g.d.ITUsers, ITUser{
				UUID: g.uuid(), UserKey: main.UserKey, ITSystemUUID: opus, PersonUUID: pp.UUID, EngagementUUID: main.UUID,
				Validity: main.Validity,
			})
		}
	}
}

// managers gives every unit a manager position, some vacant; a few units
// also have an ended manager and a future one.
func (g *gen) managers() {
	current := map[string][]string{} // unit -> people with a current engagement there
	for i := range g.d.Engagements {
		e := &g.d.Engagements[i]
		if e.Validity.ActiveAt(g.d.Today) {
			current[e.UnitUUID] = append(current[e.UnitUUID], e.PersonUUID)
		}
	}
	resp := []string{"personale", "mus", "beredskab", "budget"}
	for _, u := range g.d.Units {
		if !u.Validity.CurrentOrFuture(g.d.Today) {
			continue
		}
		depth := g.depth[u.UUID]
		mtype := []string{"Direktør", "Direktør", "Leder", "Teamleder", "Teamleder"}[min(depth, 4)]
		switch g.cls(FacetOrgUnitType, "Skole") {
		case u.UnitTypeUUID:
			mtype = "Skoleleder"
		}
		if u.UnitTypeUUID == g.cls(FacetOrgUnitType, "Daginstitution") {
			mtype = "Institutionsleder"
		}
		mk := func(v engine.Validity) *Manager {
			m := &Manager{
				UUID: g.uuid(), UnitUUID: u.UUID, Validity: v,
				ManagerTypeUUID:  g.cls(FacetManagerType, mtype),
				ManagerLevelUUID: g.cls(FacetManagerLevel, fmt.Sprintf("Niveau %d", min(depth+1, 4))),
			}
			m.UserKey = m.UUID
			for _, k := range resp[:1+g.r.IntN(len(resp))] {
				m.ResponsibilityUUIDs = append(m.ResponsibilityUUIDs, g.cls(FacetResponsibility, k))
			}
			if !g.chance(0.12) {
				if c := current[u.UUID]; len(c) > 0 {
					m.PersonUUID = c[g.r.IntN(len(c))]
				} else {
					m.PersonUUID = g.d.People[g.r.IntN(len(g.d.People))].UUID
				}
			}
			g.d.Managers = append(g.d.Managers, *m)
			return m
		}
		mk(engine.Validity{From: g.day(-g.r.IntN(4000))})
		if g.chance(0.1) {
			mk(engine.Validity{From: g.day(-6000), To: g.day(-4000)})
		}
		if g.chance(0.03) {
			mk(engine.Validity{From: g.day(10 + g.r.IntN(50))})
		}
	}
}

func (g *gen) unitAddresses() {
	for _, u := range g.d.Units {
		v := engine.Validity{From: u.Validity.From, To: u.Validity.To}
		add := func(key, vis, value, text string) {
			g.address(FacetOrgUnitAddressType, key, vis, value, text, v).UnitUUID = u.UUID
		}
		if g.chance(0.9) {
			dar, text := g.darAddress()
			add("AddressMailUnit", "Public", dar, text)
		}
		if g.chance(0.6) {
			add("EmailUnit", "Public", ascii(u.Name)+"@"+g.d.Domain, "")
		}
		if g.chance(0.6) {
			add("PhoneUnit", "Public", g.phone(), "")
		}
		if g.chance(0.3) {
			add("EAN", "", fmt.Sprintf("579800%07d", g.r.IntN(10000000)), "")
		}
		if g.chance(0.3) {
			add("p-nummer", "", fmt.Sprintf("10%08d", g.r.IntN(100000000)), "")
		}
		if g.chance(0.2) {
			add("OpeningHoursUnit", "Public", "Man-tors 8-15, fre 8-12", "")
		}
		if g.chance(0.05) {
			add("WebUnit", "Public", "https://www."+g.d.Domain+"/"+ascii(u.Name), "")
		}
	}
}

func (g *gen) unitITUsers() {
	plone := g.d.ITSystems[2].UUID
	for _, u := range g.d.Units {
		if g.chance(0.1) {
			g.d.ITUsers = append(g.d.ITUsers, ITUser{
				UUID: g.uuid(), UserKey: ascii(u.Name), ITSystemUUID: plone, UnitUUID: u.UUID,
				Validity: engine.Validity{From: date(2010, 1, 1), To: u.Validity.To},
			})
		}
	}
}

// Rebase moves every date of d (except birth dates in CPR numbers) by whole
// days so that Today becomes today's date; the demo uses it to serve data
// around the real date.
func (d *Dataset) Rebase(today time.Time) {
	today = date(today.In(copenhagen).Date())
	days := int(today.Sub(d.Today).Hours()/24 + 0.5)
	if days == 0 {
		return
	}
	shift := func(v *engine.Validity) {
		if !v.From.IsZero() {
			v.From = v.From.AddDate(0, 0, days)
		}
		if !v.To.IsZero() {
			v.To = v.To.AddDate(0, 0, days)
		}
	}
	for i := range d.Engagements {
		shift(&d.Engagements[i].Validity)
	}
	for i := range d.Addresses {
		shift(&d.Addresses[i].Validity)
	}
	for i := range d.ITUsers {
		shift(&d.ITUsers[i].Validity)
	}
	for i := range d.Managers {
		shift(&d.Managers[i].Validity)
	}
	for i := range d.Units {
		if !d.Units[i].Validity.To.IsZero() {
			d.Units[i].Validity.To = d.Units[i].Validity.To.AddDate(0, 0, days)
		}
	}
	d.Today = today
}
