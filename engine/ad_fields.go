package engine

import (
	"crypto/sha256"
	"encoding/hex"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The AD → MO direction onto MO fields other than the AD IT user: the
// primary engagement's job function and user_key, and the person's
// addresses of a type (rules "<attr> = ad engagement.job_function",
// "<attr> = ad address.PHONE", ...), and MO people made from AD accounts
// (AD_CREATE_MO_PEOPLE).

// The facets the AD → MO field rules use (MO's standard user_keys).
const (
	FacetJobFunction         = "engagement_job_function"
	FacetEmployeeAddressType = "employee_address_type"
	FacetVisibility          = "visibility"
)

// Warnings of the AD → MO field rules.
const (
	WarnUnknownJobFunction = "unknown_job_function"  // AD names a job function MO has no class of: nothing written
	WarnMOValueRejected    = "mo_value_rejected"     // an AD value MO would reject for the address type: nothing written
	WarnAddressType        = "address_type_unknown"  // no (or no single) MO address type for an address.<T> rule
	WarnSecretAddress      = "secret_address"        // MO holds a secret address of the type: left alone
	WarnADPersonCPR        = "ad_person_invalid_cpr" // an account under AD_CREATE_MO_PEOPLE_OUS without a valid CPR: not created
	WarnADPersonExists     = "ad_person_exists"      // MO has a person with the account's CPR that it is not matched to
)

// fieldPlanner is what planning the AD → MO field rules needs, built once
// per plan.
type fieldPlanner struct {
	rules        []MappingRule
	jobFunctions map[string]*Class // normalised name → class (lowest uuid of equals)
	addrTypes    []*Class          // employee address types
	visibility   string            // uuid of AddressVisibility; "" = none
	visProblem   string            // AddressVisibility names no visibility class
	newClasses   map[string]string // normalised name → id of the class create
	moCPR        map[string]bool   // CPRs MO people hold
	classes      map[string]*Class // every class by uuid
	// plannedEnd is the end an end-date change of this plan gives an
	// engagement (by uuid): the engagement's other update carries it too,
	// so the two writes agree in whichever order they run.
	plannedEnd map[string]time.Time
}

func (ap *adPlanner) initFields(s *Snapshot) {
	f := &ap.fields
	f.rules = ap.o.Mapping.FieldRules()
	if len(f.rules) == 0 && !ap.o.CreateMOPeople {
		return
	}
	f.jobFunctions = map[string]*Class{}
	f.newClasses = map[string]string{}
	f.classes = classIndex(s.Classes)
	classes := make([]*Class, len(s.Classes))
	for i := range s.Classes {
		classes[i] = &s.Classes[i]
	}
	slices.SortFunc(classes, func(a, b *Class) int { return strings.Compare(a.UUID, b.UUID) })
	for _, c := range classes {
		switch c.FacetUserKey {
		case FacetJobFunction:
			if k := classNameKey(c.Name); f.jobFunctions[k] == nil {
				f.jobFunctions[k] = c
			}
		case FacetEmployeeAddressType:
			f.addrTypes = append(f.addrTypes, c)
		case FacetVisibility:
			v := ap.o.AddressVisibility
			if v != "" && f.visibility == "" && (strings.EqualFold(c.UUID, v) || strings.EqualFold(c.UserKey, v) || strings.EqualFold(c.Name, v) || strings.EqualFold(c.Scope, v)) {
				f.visibility = c.UUID
			}
		}
	}
	if ap.o.AddressVisibility != "" && f.visibility == "" {
		f.visProblem = "OS2MO_ADDRESS_VISIBILITY " + quote(ap.o.AddressVisibility) + " names no class of MO's visibility facet"
	}
	if ap.o.CreateMOPeople {
		f.moCPR = make(map[string]bool, len(s.People))
		for i := range s.People {
			if c := s.People[i].CPR; c != "" {
				f.moCPR[c] = true
			}
		}
	}
}

// classNameKey is how names of classes are compared: surrounding and repeated
// whitespace collapsed, letter case folded.
func classNameKey(s string) string { return strings.ToLower(collapseSpace(s)) }

// writeStart is the first day of a write onto an object valid from from:
// today, or the object's own start when that is later.
func (ap *adPlanner) writeStart(from time.Time) time.Time {
	if from.After(ap.today) {
		return from
	}
	return ap.today
}

// writeFields plans the MO writes of the AD → MO field rules for p, whose
// account is a, and returns p as it will be once they are applied (the
// MO → AD rules of the same plan resolve from it, so a value AD owns that
// another attribute takes from MO converges in one run).
func (ap *adPlanner) writeFields(p *Person, a *Account) *Person {
	f := &ap.fields
	if len(f.rules) == 0 {
		return p
	}
	first := len(ap.changes)
	var (
		eng       *Engagement
		engFields []Field
		ew        EngagementWrite
		dependsOn string
	)
	for _, r := range f.rules {
		adv := ""
		if vs := adValues(a, r.Attr); len(vs) > 0 {
			adv = collapseSpace(vs[0])
		}
		if !strings.HasPrefix(r.Source, "engagement.") {
			ap.writeAddress(p, r, adv)
			continue
		}
		if adv == "" {
			continue // an empty AD value leaves the engagement alone
		}
		if r.Source == "engagement.end_date" {
			ap.writeEndDate(p, r, adv)
			continue
		}
		if eng == nil {
			eng = PrimaryEngagement(p, ap.o.Now)
		}
		if eng == nil {
			continue // no engagement to write (a person who left: the account is disabled)
		}
		switch r.Source {
		case "engagement.job_function":
			if classNameKey(adv) == classNameKey(eng.JobFunction) {
				continue
			}
			cls := f.jobFunctions[classNameKey(adv)]
			if cls != nil {
				if cls.UUID == eng.JobFunctionUUID || (eng.JobFunctionUUID == "" && classNameKey(eng.JobFunction) == classNameKey(cls.Name)) {
					continue
				}
				ew.JobFunctionUUID = cls.UUID
				engFields = append(engFields, Field{Attr: "job_function", Before: eng.JobFunction, After: cls.Name, Source: "ad " + r.Attr})
				continue
			}
			if !ap.o.CreateJobFunctions {
				ap.warns = append(ap.warns, warn(WarnUnknownJobFunction, SystemMO, p.Name(), p.UUID,
					r.Attr+" "+quote(adv)+" in AD is no job function in MO (facet "+FacetJobFunction+"); nothing written (AD_CREATE_JOB_FUNCTIONS = true creates it)"))
				continue
			}
			dependsOn = ap.classCreate(adv, r)
			ew.JobFunctionUUID = KnownAfterApply
			engFields = append(engFields, Field{Attr: "job_function", Before: eng.JobFunction, After: adv, Source: "ad " + r.Attr})
		case "engagement.user_key":
			if adv == eng.UserKey {
				continue
			}
			ew.UserKey = adv
			engFields = append(engFields, Field{Attr: "user_key", Before: eng.UserKey, After: adv, Source: "ad " + r.Attr})
		default: // engagement.extension_N
			name := strings.TrimPrefix(r.Source, "engagement.")
			if adv == eng.Extensions[name] {
				continue
			}
			if ew.Extensions == nil {
				ew.Extensions = map[string]string{}
			}
			ew.Extensions[name] = adv
			engFields = append(engFields, Field{Attr: name, Before: eng.Extensions[name], After: adv, Source: "ad " + r.Attr})
		}
	}
	if len(engFields) > 0 {
		ew.UUID, ew.PersonUUID = eng.UUID, p.UUID
		ew.Validity = Validity{From: ap.writeStart(eng.Validity.From), To: eng.Validity.To}
		if end, ok := f.plannedEnd[eng.UUID]; ok {
			ew.Validity.To = end
		}
		ap.add(Change{System: SystemMO, Op: OpUpdate, Target: Target{UUID: eng.UUID}, MOUUID: p.UUID, Subject: p.Name(),
			Fields: engFields, Engagement: &ew, DependsOn: dependsOn})
	}
	var mine []*Change
	for i := first; i < len(ap.changes); i++ {
		if c := &ap.changes[i]; c.MOUUID == p.UUID {
			mine = append(mine, c)
		}
	}
	if len(mine) == 0 {
		return p
	}
	if f.classes == nil {
		f.classes = map[string]*Class{}
	}
	pp := projectPerson(p, mine, f.classes)
	return &pp
}

// lastDay is the last day a half-open end leaves, as YYYY-MM-DD in loc;
// "" for an open end.
func lastDay(end time.Time, loc *time.Location) string {
	if end.IsZero() {
		return ""
	}
	return end.In(loc).AddDate(0, 0, -1).Format(time.DateOnly)
}

// loc is the zone of MO's days.
func (ap *adPlanner) loc() *time.Location {
	if ap.o.Location != nil {
		return ap.o.Location
	}
	return time.UTC
}

// writeEndDate plans the end of p's engagements from AD's FILETIME adv
// ("accountExpires = ad engagement.end_date"): an account that expires at
// an instant ends the engagements on the day before it (MO's days); 0 or
// never leaves them open-ended. As "mo engagement.end_date", it is the end
// of the last of p's current and future engagements that counts: those
// that end later than AD's end are ended then, and when all end earlier,
// the last-ending one is extended to it.
func (ap *adPlanner) writeEndDate(p *Person, r MappingRule, adv string) {
	loc := ap.loc()
	var want time.Time // zero: open-ended
	if t, ok := FromFileTime(adv); ok {
		d := t.Add(-time.Nanosecond).In(loc)
		want = time.Date(d.Year(), d.Month(), d.Day()+1, 0, 0, 0, 0, loc)
	} else if n, err := strconv.ParseInt(adv, 10, 64); err != nil || n < 0 {
		ap.warns = append(ap.warns, warn(WarnMOValueRejected, SystemMO, p.Name(), p.UUID, r.Attr+" "+quote(adv)+" in AD is no FILETIME; the engagements' end is left as it is"))
		return
	}
	end, open, ok := EngagementsEnd(p, ap.o.Now)
	if !ok {
		return // no engagement to end or extend
	}
	if open {
		end = time.Time{}
	}
	if end.Equal(want) {
		return
	}
	change := func(e *Engagement) {
		if !want.IsZero() && !want.After(e.Validity.From) {
			ap.warns = append(ap.warns, warn(WarnMOValueRejected, SystemMO, p.Name(), p.UUID, r.Attr+" in AD ends the account on "+
				lastDay(want, loc)+", before the engagement "+e.UUID+" starts; left as it is"))
			return
		}
		w := EngagementWrite{UUID: e.UUID, PersonUUID: p.UUID, SetEnd: true, End: want, EndBefore: e.Validity.To,
			Validity: Validity{From: ap.writeStart(e.Validity.From)}}
		if ap.fields.plannedEnd == nil {
			ap.fields.plannedEnd = map[string]time.Time{}
		}
		ap.fields.plannedEnd[e.UUID] = want
		ap.add(Change{System: SystemMO, Op: OpUpdate, Target: Target{UUID: e.UUID}, MOUUID: p.UUID, Subject: p.Name(),
			Fields: []Field{{Attr: "end_date", Before: lastDay(e.Validity.To, loc), After: lastDay(want, loc), Source: "ad " + r.Attr}}, Engagement: &w})
	}
	var last *Engagement
	ended := false
	for i := range p.Engagements {
		e := &p.Engagements[i]
		if !e.Validity.CurrentOrFuture(ap.o.Now) {
			continue
		}
		if last == nil || lastsLonger(e, last) {
			last = e
		}
		if !want.IsZero() && (e.Validity.To.IsZero() || e.Validity.To.After(want)) {
			change(e) // ends later than AD says
			ended = true
		}
	}
	if !ended && last != nil {
		change(last) // all end earlier: the last one lasts until AD's end
	}
}

// lastsLonger reports whether a ends after b (open-ended is last; ties:
// the primary, then the lower uuid).
func lastsLonger(a, b *Engagement) bool {
	at, bt := a.Validity.To, b.Validity.To
	switch {
	case at.IsZero() != bt.IsZero():
		return at.IsZero()
	case !at.Equal(bt):
		return at.After(bt)
	case a.IsPrimary != b.IsPrimary:
		return a.IsPrimary
	}
	return a.UUID < b.UUID
}

// classCreate plans (once per name) the job function class AD names and
// returns the id of its create.
func (ap *adPlanner) classCreate(name string, r MappingRule) string {
	k := classNameKey(name)
	if id, ok := ap.fields.newClasses[k]; ok {
		return id
	}
	c := ap.add(Change{System: SystemMO, Op: OpCreate, Subject: "job function " + quote(name),
		Fields: []Field{{Attr: "name", After: name, Source: "ad " + r.Attr}, {Attr: "facet", After: FacetJobFunction, Source: "AD_CREATE_JOB_FUNCTIONS"}},
		Class:  &ClassWrite{FacetUserKey: FacetJobFunction, UserKey: name, Name: name}})
	ap.fields.newClasses[k] = c.ID
	return c.ID
}

// addressTypeFor finds the MO address type of kind (a type user_key, else
// a scope with exactly one employee address type). problem says why none.
func (f *fieldPlanner) addressTypeFor(kind string) (*Class, string) {
	var byScope []*Class
	for _, c := range f.addrTypes {
		if strings.EqualFold(c.UserKey, kind) {
			return c, ""
		}
		if strings.EqualFold(c.Scope, kind) {
			byScope = append(byScope, c)
		}
	}
	switch len(byScope) {
	case 1:
		return byScope[0], ""
	case 0:
		return nil, "MO has no employee address type with user_key or scope " + quote(kind)
	}
	keys := make([]string, len(byScope))
	for i, c := range byScope {
		keys[i] = c.UserKey
	}
	return nil, "MO has " + itoa(len(byScope)) + " employee address types of scope " + kind + " (" + strings.Join(keys, ", ") + "); name one by its user_key in AD_MAPPING (e.g. address." + keys[0] + ")"
}

var (
	phoneJunk = strings.NewReplacer(" ", "", "-", "", "(", "", ")", "", ".", "", "\u00a0", "")
	moPhone   = regexp.MustCompile(`^\+?\d+$`)
	moEmail   = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s.]+$`)
	moEAN     = regexp.MustCompile(`^\d{13}$`)
	moPNumber = regexp.MustCompile(`^\d{10}$`)
)

// MOAddressValue turns an AD value into the value MO stores for an
// address of scope: a phone number without spaces or dashes ("+45 12 34
// 56 78" → "+4512345678"), a trimmed e-mail address. problem is non-empty
// when MO would reject the value for the scope (mo-api.md §1.4).
func MOAddressValue(scope, v string) (value, problem string) {
	v = collapseSpace(v)
	if v == "" {
		return "", ""
	}
	switch strings.ToUpper(scope) {
	case "PHONE":
		v = phoneJunk.Replace(v)
		if !moPhone.MatchString(v) {
			return "", "not a phone number MO accepts (digits, an optional leading +)"
		}
	case "EMAIL":
		if !moEmail.MatchString(v) {
			return "", "not an e-mail address MO accepts"
		}
	case "EAN":
		if !moEAN.MatchString(v) {
			return "", "not an EAN number (13 digits)"
		}
	case "PNUMBER":
		if !moPNumber.MatchString(v) {
			return "", "not a P-number (10 digits)"
		}
	case "WWW":
		if !strings.HasPrefix(v, "http://") && !strings.HasPrefix(v, "https://") {
			return "", "not an http(s) address"
		}
	case "DAR":
		return "", "a DAR address cannot be written from AD text"
	}
	return v, ""
}

// sameAddressValue compares an MO address value with the one AD gives
// (as MOAddressValue made it): e-mail addresses case-insensitively, phone
// numbers without spaces and dashes, others exactly.
func sameAddressValue(scope, mo, ad string) bool {
	switch strings.ToUpper(scope) {
	case "EMAIL":
		return strings.EqualFold(strings.TrimSpace(mo), ad)
	case "PHONE":
		return phoneJunk.Replace(mo) == ad
	}
	return strings.TrimSpace(mo) == ad
}

// writeAddress plans the create, update or terminate of p's address of
// the rule's type so it holds AD's value adv. Secret addresses are never
// touched, and no address is created beside a secret one.
func (ap *adPlanner) writeAddress(p *Person, r MappingRule, adv string) {
	f := &ap.fields
	kind := strings.TrimPrefix(r.Source, "address.")
	cur := pickAddress(p.Addresses, kind, ap.o.Now)
	if cur == nil && adv == "" {
		return // nothing in force to terminate (a future address is not AD's yet)
	}
	if cur == nil {
		cur = futureAddress(p.Addresses, kind, ap.o.Now) // written from its own start
	}
	attr := "address." + kind
	var typ *Class
	scope := ""
	if cur != nil {
		scope = cur.Scope
	} else {
		var why string
		if typ, why = f.addressTypeFor(kind); typ == nil {
			ap.warns = append(ap.warns, warn(WarnAddressType, SystemMO, p.Name(), p.UUID, r.Attr+" "+quote(adv)+": "+why+"; nothing written"))
			return
		}
		scope = typ.Scope
	}
	val, problem := MOAddressValue(scope, adv)
	if problem != "" {
		ap.warns = append(ap.warns, warn(WarnMOValueRejected, SystemMO, p.Name(), p.UUID, r.Attr+" "+quote(adv)+" in AD is "+problem+" for "+attr+"; nothing written"))
		return
	}
	if val != "" && cur != nil && !sameAddressValue(scope, cur.Value, val) && holdsAddressValue(p.Addresses, kind, scope, val, ap.o.Now) {
		// Another current address of the type already holds AD's value.
		// Writing the picked one as well would flip the pick (a write
		// starts a new validity today, and the earliest-starting is
		// picked), so every run would write again.
		return
	}
	switch {
	case cur == nil:
		if hasSecretAddress(p.Addresses, kind, ap.o.Now) {
			ap.warns = append(ap.warns, warn(WarnSecretAddress, SystemMO, p.Name(), p.UUID, "MO holds a secret "+attr+"; "+r.Attr+" from AD is not written beside it"))
			return
		}
		if f.visProblem != "" {
			ap.warns = append(ap.warns, warn(WarnAddressType, SystemMO, p.Name(), p.UUID, f.visProblem+"; "+attr+" not created"))
			return
		}
		w := AddressWrite{UUID: NameUUID(p.UUID, typ.UUID, val, ap.today.Format(time.DateOnly)), PersonUUID: p.UUID, TypeUUID: typ.UUID,
			VisibilityUUID: f.visibility, Value: val, Validity: Validity{From: ap.today}}
		ap.add(Change{System: SystemMO, Op: OpCreate, MOUUID: p.UUID, Subject: p.Name(),
			Fields: []Field{{Attr: attr, After: val, Source: "ad " + r.Attr}}, Address: &w})
	case val == "":
		w := AddressWrite{UUID: cur.UUID, PersonUUID: p.UUID, TypeUUID: cur.TypeUUID, Value: cur.Value,
			Validity: Validity{From: cur.Validity.From, To: ap.writeStart(cur.Validity.From)}}
		ap.add(Change{System: SystemMO, Op: OpDelete, Target: Target{UUID: cur.UUID}, MOUUID: p.UUID, Subject: p.Name(),
			Fields: []Field{{Attr: attr, Before: cur.Value, Source: "ad " + r.Attr + " is empty"}}, Address: &w})
	case sameAddressValue(scope, cur.Value, val):
	default:
		w := AddressWrite{UUID: cur.UUID, PersonUUID: p.UUID, TypeUUID: cur.TypeUUID, VisibilityUUID: cur.VisibilityUUID, Value: val,
			Validity: Validity{From: ap.writeStart(cur.Validity.From), To: cur.Validity.To}}
		ap.add(Change{System: SystemMO, Op: OpUpdate, Target: Target{UUID: cur.UUID}, MOUUID: p.UUID, Subject: p.Name(),
			Fields: []Field{{Attr: attr, Before: cur.Value, After: val, Source: "ad " + r.Attr}}, Address: &w})
	}
}

// holdsAddressValue reports whether a current, not secret address of kind
// holds the value val (compared as sameAddressValue does).
func holdsAddressValue(addrs []Address, kind, scope, val string, now time.Time) bool {
	for i := range addrs {
		a := &addrs[i]
		if a.ofKind(kind) && !a.secret() && a.Validity.ActiveAt(now) && sameAddressValue(scope, a.Value, val) {
			return true
		}
	}
	return false
}

// futureAddress is the earliest-starting address of kind that is not yet
// in force at now and not secret, or nil.
func futureAddress(addrs []Address, kind string, now time.Time) *Address {
	var best *Address
	for i := range addrs {
		a := &addrs[i]
		if !a.ofKind(kind) || a.secret() || a.Validity.ActiveAt(now) || !a.Validity.CurrentOrFuture(now) {
			continue
		}
		if best == nil || a.Validity.From.Before(best.Validity.From) || (a.Validity.From.Equal(best.Validity.From) && a.UUID < best.UUID) {
			best = a
		}
	}
	return best
}

func hasSecretAddress(addrs []Address, kind string, now time.Time) bool {
	for i := range addrs {
		a := &addrs[i]
		if a.ofKind(kind) && a.secret() && a.Validity.CurrentOrFuture(now) {
			return true
		}
	}
	return false
}

// underOUs reports whether dn lies under one of the OUs (DNs compared
// case-insensitively, ignoring spaces after commas).
func underOUs(dn string, ous []string) bool {
	d := dnKey(dn)
	for _, ou := range ous {
		o := dnKey(ou)
		if o != "" && (d == o || strings.HasSuffix(d, ","+o)) {
			return true
		}
	}
	return false
}

func dnKey(dn string) string {
	parts := strings.Split(dn, ",")
	for i, p := range parts {
		parts[i] = strings.ToLower(strings.TrimSpace(p))
	}
	return strings.Join(parts, ",")
}

// adOwnedPerson reports whether p's account a is one AD owns the existence
// of (AD_CREATE_MO_PEOPLE, under its OUs) and p has no engagement at all:
// a person made from AD is not disabled for lacking an engagement.
func (ap *adPlanner) adOwnedPerson(p *Person, a *Account) bool {
	return ap.o.CreateMOPeople && len(p.Engagements) == 0 && underOUs(a.DN, ap.o.CreateMOPeopleOUs)
}

// ValidCPR reports whether cpr is a CPR number MO accepts: 10 digits
// whose first six are a real date, the century from the 7th digit
// (mo-api.md §5; modulus 11 is not checked).
func ValidCPR(cpr string) bool {
	if len(cpr) != 10 || DigitsOnly(cpr) != cpr {
		return false
	}
	n := func(i int) int { return int(cpr[i]-'0')*10 + int(cpr[i+1]-'0') }
	day, month, yy, serial := n(0), n(2), n(4), int(cpr[6]-'0')
	century := 1900
	switch {
	case serial == 4 || serial == 9:
		if yy <= 36 {
			century = 2000
		}
	case serial >= 5 && serial <= 8:
		century = 1800
		if yy <= 57 {
			century = 2000
		}
	}
	d := time.Date(century+yy, time.Month(month), day, 0, 0, 0, 0, time.UTC)
	return month >= 1 && month <= 12 && d.Day() == day && int(d.Month()) == month
}

// createPeople plans an MO person, with its AD IT user, for each account
// under AD_CREATE_MO_PEOPLE_OUS that no MO person matched. Accounts
// without a valid CPR are warned about, not created.
func (ap *adPlanner) createPeople() {
	if !ap.o.CreateMOPeople {
		return
	}
	for i := range ap.acc {
		a := &ap.acc[i]
		if ap.handled[i] || !underOUs(a.DN, ap.o.CreateMOPeopleOUs) {
			continue
		}
		ap.handled[i] = true
		if !ValidCPR(a.CPR) {
			ap.warns = append(ap.warns, warn(WarnADPersonCPR, SystemAD, a.SAMAccountName, a.DN,
				"no valid CPR number in "+ap.o.CPRAttr+" ("+MaskCPR(a.CPR)+"), so no MO person is created from it"))
			continue
		}
		if ap.fields.moCPR[a.CPR] {
			ap.warns = append(ap.warns, warn(WarnADPersonExists, SystemAD, a.SAMAccountName, a.DN,
				"MO has a person with CPR "+MaskCPR(a.CPR)+" that is not matched to this account; no MO person is created"))
			continue
		}
		given, sur := accountNames(a)
		pw := PersonWrite{GivenName: given, Surname: sur, CPR: a.CPR}
		c := ap.add(Change{System: SystemMO, Op: OpCreate, Target: Target{DN: a.DN, GUID: a.GUID}, Subject: strings.TrimSpace(given + " " + sur),
			Fields: []Field{
				{Attr: "given_name", After: given, Source: "ad givenName"},
				{Attr: "surname", After: sur, Source: "ad sn"},
				{Attr: "cpr_number", After: a.CPR, Source: "ad " + ap.o.CPRAttr},
			}, Person: &pw})
		if len(ap.adRules) == 0 || ap.o.ADITSystemUUID == "" {
			continue
		}
		var fields []Field
		want := map[string]string{}
		for _, r := range ap.adRules {
			fld := strings.TrimPrefix(r.Source, "ituser.")
			if vs := adValues(a, r.Attr); len(vs) > 0 {
				want[fld] = vs[0]
			}
			fields = append(fields, Field{Attr: fld, After: want[fld], Source: "ad " + r.Attr})
		}
		w := ITUserWrite{PersonUUID: KnownAfterApply, ITSystemUUID: ap.o.ADITSystemUUID, UserKey: want["user_key"], ExternalID: want["external_id"],
			Validity: Validity{From: ap.today}}
		ap.add(Change{System: SystemMO, Op: OpCreate, Subject: c.Subject, Fields: fields, ITUser: &w, DependsOn: c.ID})
	}
}

// accountNames are the names of a person made from a: givenName and sn,
// else the CN split at its last space.
func accountNames(a *Account) (given, sur string) {
	first := func(attr string) string {
		if vs := a.Attrs[attr]; len(vs) > 0 {
			return collapseSpace(vs[0])
		}
		return ""
	}
	given, sur = first("givenname"), first("sn")
	if given == "" && sur == "" {
		cn := collapseSpace(a.CN)
		if i := strings.LastIndexByte(cn, ' '); i > 0 {
			return cn[:i], cn[i+1:]
		}
		return "", cn
	}
	return given, sur
}

// withPlannedFields is s as it will be once the planned AD → MO field
// writes (engagement updates, address creates, updates and terminations)
// are applied, so the STS plan of the same run sees MO's new values and
// one apply converges. The map gives, per person, the id of one such
// write (an STS user upsert waits for it). s is not changed.
func withPlannedFields(s *Snapshot, cs []Change) (*Snapshot, map[string]string) {
	byPerson := map[string][]*Change{}
	for i := range cs {
		c := &cs[i]
		if c.System == SystemMO && c.MOUUID != "" && (c.Engagement != nil || c.Address != nil) {
			byPerson[c.MOUUID] = append(byPerson[c.MOUUID], c)
		}
	}
	if len(byPerson) == 0 {
		return s, nil
	}
	classes := classIndex(s.Classes)
	ids := make(map[string]string, len(byPerson))
	out := *s
	out.People = slices.Clone(s.People)
	for i := range out.People {
		p := &out.People[i]
		if changes := byPerson[p.UUID]; len(changes) > 0 {
			ids[p.UUID] = changes[0].ID
			*p = projectPerson(p, changes, classes)
		}
	}
	return &out, ids
}

func classIndex(cs []Class) map[string]*Class {
	out := make(map[string]*Class, len(cs))
	for i := range cs {
		out[cs[i].UUID] = &cs[i]
	}
	return out
}

// projectPerson is a copy of p with the AD → MO field writes cs applied.
func projectPerson(p *Person, cs []*Change, classes map[string]*Class) Person {
	out := *p
	out.Engagements = slices.Clone(p.Engagements)
	out.Addresses = slices.Clone(p.Addresses)
	for _, c := range cs {
		switch {
		case c.Engagement != nil:
			for j := range out.Engagements {
				e := &out.Engagements[j]
				if e.UUID != c.Engagement.UUID {
					continue
				}
				for _, f := range c.Fields {
					switch f.Attr {
					case "job_function":
						e.JobFunction = f.After
						if c.Engagement.JobFunctionUUID != KnownAfterApply {
							e.JobFunctionUUID = c.Engagement.JobFunctionUUID
						}
					case "user_key":
						e.UserKey = f.After
					case "end_date":
						e.Validity.To = c.Engagement.End
					default:
						if strings.HasPrefix(f.Attr, "extension_") {
							e.Extensions = maps.Clone(e.Extensions)
							if e.Extensions == nil {
								e.Extensions = map[string]string{}
							}
							e.Extensions[f.Attr] = f.After
						}
					}
				}
			}
		case c.Address == nil:
		case c.Op == OpCreate:
			a := Address{UUID: c.Address.UUID, Value: c.Address.Value, Name: c.Address.Value, TypeUUID: c.Address.TypeUUID,
				VisibilityUUID: c.Address.VisibilityUUID, Validity: c.Address.Validity}
			if t := classes[a.TypeUUID]; t != nil {
				a.TypeUserKey, a.Scope = t.UserKey, t.Scope
			}
			if v := classes[a.VisibilityUUID]; v != nil {
				a.Visibility = v.Scope
			}
			out.Addresses = append(out.Addresses, a)
		default:
			for j := range out.Addresses {
				a := &out.Addresses[j]
				if a.UUID != c.Address.UUID {
					continue
				}
				if c.Op == OpDelete {
					a.Validity.To = c.Address.Validity.To
				} else {
					a.Value, a.Name = c.Address.Value, c.Address.Value
				}
			}
		}
	}
	return out
}

// NameUUID is a name-based UUID (version 5 layout, SHA-256 of the parts):
// the uuid an address created from AD is given, so the plan knows it
// before MO does (the STS plan of the same run names it) and the same
// write planned twice is the same object.
func NameUUID(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	b := h.Sum(nil)[:16]
	b[6] = b[6]&0x0f | 0x50
	b[8] = b[8]&0x3f | 0x80
	x := hex.EncodeToString(b)
	return x[:8] + "-" + x[8:12] + "-" + x[12:16] + "-" + x[16:20] + "-" + x[20:]
}
