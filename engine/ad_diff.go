package engine

import (
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"
)

// adPlanner computes the AD changes and the MO write-backs of one plan.
type adPlanner struct {
	o       PlanOptions
	people  []*Person
	acc     []Account
	vc      valueContext
	batch   *UsernameBatch
	byCPR   map[string][]int
	byGUID  map[string]int
	handled []bool // account matched, or part of a reported conflict
	today   time.Time
	moRules []MappingRule         // MO→AD rules without the cn rule
	moSyn   map[string]attrSyntax // value rules of each moRules attribute, by AD's schema
	adRules []MappingRule         // AD→MO rules onto the IT user
	fields  fieldPlanner          // AD→MO rules onto engagements and addresses
	changes []Change
	warns   []Warning
}

func newADPlanner(in PlanInput, o PlanOptions) *adPlanner {
	ap := &adPlanner{
		o:       o,
		acc:     in.AD,
		byCPR:   make(map[string][]int, len(in.AD)),
		byGUID:  make(map[string]int, len(in.AD)),
		handled: make([]bool, len(in.AD)),
		vc:      valueContext{now: o.Now, units: make(map[string]*Unit, len(in.MO.Units))},
		today:   time.Date(o.Now.Year(), o.Now.Month(), o.Now.Day(), 0, 0, 0, 0, o.Now.Location()),
	}
	ap.moSyn = map[string]attrSyntax{}
	for _, r := range o.Mapping.MOToAD() {
		if r.Source != "common_name" {
			ap.moRules = append(ap.moRules, r)
			ap.moSyn[r.Attr] = syntaxIn(o.ADSchema, r.Attr)
		}
	}
	ap.adRules = o.Mapping.ITUserRules()
	ap.initFields(in.MO)
	ap.changes = make([]Change, 0, len(in.MO.People)/8+16)
	for i := range in.MO.Units {
		ap.vc.units[in.MO.Units[i].UUID] = &in.MO.Units[i]
	}
	ap.people = make([]*Person, len(in.MO.People))
	for i := range in.MO.People {
		ap.people[i] = &in.MO.People[i]
	}
	slices.SortFunc(ap.people, func(a, b *Person) int { return strings.Compare(a.UUID, b.UUID) })
	for i := range in.AD {
		a := &in.AD[i]
		if a.CPR != "" {
			ap.byCPR[a.CPR] = append(ap.byCPR[a.CPR], i)
		}
		if a.GUID != "" {
			ap.byGUID[strings.ToLower(a.GUID)] = i
		}
	}
	ap.batch = o.Usernames.NewBatch(in.Taken, ap.moReserved(in.MO))
	return ap
}

// moReserved collects the usernames MO reserves when the generator is set
// to avoid them: the user_keys of every IT user of its IT system.
func (ap *adPlanner) moReserved(s *Snapshot) MOReservedNames {
	cfg := ap.o.Usernames.Config()
	if !cfg.DisallowMOUsernames {
		return nil
	}
	return MOReservedNamesFrom(s, cfg.ExistingUsernamesITSystem)
}

type personMatch struct {
	p    *Person
	acct int // index into acc, -1 when none
}

func (ap *adPlanner) plan() ([]Change, []Warning) {
	ap.reportDuplicateCPRs()
	var matched, unmatched []personMatch
	claimed := map[int]*Person{}
	moCPR := map[string]int{}
	for _, p := range ap.people {
		if p.CPR != "" {
			moCPR[p.CPR]++
		}
	}
	for _, p := range ap.people {
		idx, ok := ap.match(p, moCPR)
		if !ok {
			continue
		}
		if idx >= 0 {
			if other := claimed[idx]; other != nil {
				ap.warns = append(ap.warns, warn(WarnDuplicateMatch, SystemAD, p.Name(), p.UUID,
					"the AD account "+ap.acc[idx].DN+" is also matched by "+other.Name()+" ("+other.UUID+"); "+p.Name()+" is left alone"))
				continue
			}
			claimed[idx] = p
			ap.handled[idx] = true
			matched = append(matched, personMatch{p, idx})
			continue
		}
		if HasCurrentOrFutureEngagement(p, ap.o.Now) {
			unmatched = append(unmatched, personMatch{p, -1})
		}
	}
	// Existing accounts first, so renames keep priority over new names.
	for _, m := range matched {
		ap.diffAccount(m.p, &ap.acc[m.acct])
	}
	for _, m := range unmatched {
		ap.create(m.p)
	}
	ap.createPeople()
	ap.reportOrphans()
	return ap.changes, ap.warns
}

// reportDuplicateCPRs warns once per CPR held by several accounts and marks
// those accounts handled: a conflict is reported, never guessed.
func (ap *adPlanner) reportDuplicateCPRs() {
	if ap.o.MatchBy != MatchByCPR {
		return
	}
	for cpr, idx := range ap.byCPR {
		if len(idx) < 2 {
			continue
		}
		var dns []string
		for _, i := range idx {
			dns = append(dns, ap.acc[i].DN)
			ap.handled[i] = true
		}
		slices.Sort(dns)
		ap.warns = append(ap.warns, warn(WarnDuplicateCPR, SystemAD, MaskCPR(cpr), dns[0],
			strconv.Itoa(len(idx))+" AD accounts have CPR "+MaskCPR(cpr)+": "+strings.Join(dns, "; ")+"; none of them is changed and no account is created"))
	}
}

// match finds p's account. ok is false when p must be left alone (a
// warning says why); idx is -1 when p has no account.
func (ap *adPlanner) match(p *Person, moCPR map[string]int) (idx int, ok bool) {
	engaged := HasCurrentOrFutureEngagement(p, ap.o.Now)
	if p.CPR != "" && (len(p.CPR) != 10 || DigitsOnly(p.CPR) != p.CPR) {
		ap.warns = append(ap.warns, warn(WarnInvalidCPR, SystemMO, p.Name(), p.UUID, "the CPR number "+MaskCPR(p.CPR)+" is not 10 digits"))
		if ap.o.MatchBy == MatchByCPR {
			return -1, false
		}
	}
	if ap.o.MatchBy == MatchByObjectGUID {
		return ap.matchByGUID(p)
	}
	if p.CPR == "" {
		if engaged {
			ap.warns = append(ap.warns, warn(WarnMissingCPR, SystemMO, p.Name(), p.UUID, "no valid CPR number in MO, so no AD account can be matched or created"))
		}
		return -1, false
	}
	if moCPR[p.CPR] > 1 {
		ap.warns = append(ap.warns, warn(WarnDuplicateMOCPR, SystemMO, p.Name(), p.UUID, "another MO person has the same CPR number "+MaskCPR(p.CPR)+"; neither is matched to AD"))
		return -1, false
	}
	switch accts := ap.byCPR[p.CPR]; len(accts) {
	case 0:
		return -1, true
	case 1:
		return accts[0], true
	}
	return -1, false // duplicate CPR, reported once
}

func (ap *adPlanner) matchByGUID(p *Person) (int, bool) {
	dangling := ""
	for _, it := range p.ITUsers {
		if it.ITSystemUUID != ap.o.ADITSystemUUID || !it.Validity.CurrentOrFuture(ap.o.Now) {
			continue
		}
		for _, v := range []string{it.ExternalID, it.UserKey} {
			if !looksLikeUUID(v) {
				continue
			}
			if i, ok := ap.byGUID[strings.ToLower(v)]; ok {
				return i, true
			}
			dangling = v
		}
	}
	if dangling != "" {
		ap.warns = append(ap.warns, warn(WarnITUserAccountGone, SystemMO, p.Name(), p.UUID,
			"the person's AD IT user points to objectGUID "+dangling+", which AD does not have; no new account is created"))
		return -1, false
	}
	return -1, true
}

func looksLikeUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < 36; i++ {
		c := s[i]
		if i == 8 || i == 13 || i == 18 || i == 23 {
			if c != '-' {
				return false
			}
			continue
		}
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// adValues returns what a holds for attr (case-insensitive).
func adValues(a *Account, attr string) []string {
	one := func(s string) []string {
		if s == "" {
			return nil
		}
		return []string{s}
	}
	switch strings.ToLower(attr) {
	case "objectguid":
		return one(a.GUID)
	case "samaccountname":
		return one(a.SAMAccountName)
	case "userprincipalname":
		return one(a.UPN)
	case "cn":
		return one(a.CN)
	case "distinguishedname":
		return one(a.DN)
	case "useraccountcontrol":
		return []string{strconv.Itoa(a.UserAccountControl)}
	}
	return a.Attrs[strings.ToLower(attr)]
}

// wantedValue resolves rule r for p and checks it against AD's syntax.
// use is false when the attribute must be left as it is.
func (ap *adPlanner) wantedValue(r MappingRule, p *Person, eng *Engagement) (val string, use bool) {
	if r.Source == "engagement.end_date" {
		return ap.endDateValue(r, p)
	}
	val, problem := ap.vc.resolveMO(r, p, eng)
	if problem != "" {
		ap.warns = append(ap.warns, warn(WarnUnparsedAddress, SystemAD, p.Name(), p.UUID, r.Attr+": "+problem+"; left unchanged"))
		return "", false
	}
	val = collapseSpace(val)
	if val == "" {
		return "", r.Clear
	}
	syn, ok := ap.moSyn[r.Attr]
	if !ok {
		syn = syntaxIn(ap.o.ADSchema, r.Attr)
	}
	if why := syn.check(r.Attr, val); why != "" {
		if r.Source == "cpr" {
			why = MaskCPRs(why)
		}
		ap.warns = append(ap.warns, warn(WarnInvalidValue, SystemAD, p.Name(), p.UUID, why+" (from MO "+r.Source+"); left unchanged"))
		return "", false
	}
	if syn.integer {
		// LDAP's INTEGER syntax has no leading zeros or sign: "01310" is
		// written as 1310 (check parsed it already).
		if n, err := strconv.ParseInt(strings.TrimSpace(val), 10, 64); err == nil {
			val = strconv.FormatInt(n, 10)
		}
	}
	return val, true
}

// diffAccount plans the update, rename, enable/disable and MO write-back
// of a matched account.
func (ap *adPlanner) diffAccount(p *Person, a *Account) {
	moP := p // the MO→AD rules read MO as it will be after the AD→MO writes
	if len(ap.fields.rules) > 0 {
		moP = ap.writeFields(p, a)
	}
	eng := PrimaryEngagement(moP, ap.o.Now)
	target := Target{DN: a.DN, GUID: a.GUID}
	var fields []Field
	for _, r := range ap.moRules {
		val, use := ap.wantedValue(r, moP, eng)
		if !use {
			continue
		}
		cur := adValues(a, r.Attr)
		var want []string
		if val != "" {
			want = []string{val}
		}
		if sameRuleValues(r, cur, want) {
			continue
		}
		fields = append(fields, Field{Attr: r.Attr, Before: strings.Join(cur, "\n"), After: val, Source: "mo " + r.Source})
	}
	if len(fields) > 0 {
		ap.add(Change{System: SystemAD, Op: OpUpdate, Target: target, MOUUID: p.UUID, Subject: p.Name(), Fields: fields})
	}

	if ap.o.Mapping.RenamesCN() {
		cn, err := ap.batch.CommonName(p.GivenName, p.Surname, a.CN)
		switch {
		case err != nil:
			ap.warns = append(ap.warns, warn(WarnCommonNameFailed, SystemAD, p.Name(), a.DN, err.Error()))
		case !strings.EqualFold(cn, a.CN):
			ap.add(Change{System: SystemAD, Op: OpRename, Target: target, MOUUID: p.UUID, Subject: p.Name(),
				Fields: []Field{{Attr: "cn", Before: a.CN, After: cn, Source: "mo common_name"}}})
		}
	}

	uac := a.UserAccountControl
	switch {
	case !HasCurrentOrFutureEngagement(p, ap.o.Now) && !a.Disabled() && !ap.adOwnedPerson(p, a):
		ap.add(Change{System: SystemAD, Op: OpDisable, Target: target, MOUUID: p.UUID, Subject: p.Name(),
			Fields: []Field{{Attr: "userAccountControl", Before: strconv.Itoa(uac), After: strconv.Itoa(uac | UACAccountDisable), Source: "no current or future engagement in MO"}}})
	case a.Disabled() && uac&UACPasswdNotReqd == 0 && HasCurrentEngagement(p, ap.o.Now):
		ap.add(Change{System: SystemAD, Op: OpEnable, Target: target, MOUUID: p.UUID, Subject: p.Name(),
			Fields: []Field{{Attr: "userAccountControl", Before: strconv.Itoa(uac), After: strconv.Itoa(uac &^ UACAccountDisable), Source: "current engagement in MO again"}}})
	}

	ap.writeBack(p, func(attr string) string {
		if v := adValues(a, attr); len(v) > 0 {
			return v[0]
		}
		return ""
	}, "")
}

func sameRuleValues(r MappingRule, a, b []string) bool {
	norm := func(vs []string) []string {
		out := make([]string, 0, len(vs))
		for _, v := range vs {
			if n := normalizeRule(r, v); n != "" {
				out = append(out, n)
			}
		}
		slices.Sort(out)
		return out
	}
	return slices.Equal(norm(a), norm(b))
}

// create plans a new account for p and the MO write-back that depends on it.
func (ap *adPlanner) create(p *Person) {
	res, err := ap.batch.Generate(p.GivenName, p.Surname, p.UUID)
	if err != nil {
		msg := err.Error()
		var ue *UsernameError
		if errors.As(err, &ue) {
			msg = "no username pattern gives a free name (" + strconv.Itoa(len(ue.Result.Trace)) + " patterns tried); no account is created"
		}
		ap.warns = append(ap.warns, warn(WarnUsernameFailed, SystemAD, p.Name(), p.UUID, msg))
		return
	}
	res.GivenName, res.Surname = p.GivenName, p.Surname
	cn, err := ap.batch.CommonName(p.GivenName, p.Surname, "")
	if err != nil {
		ap.batch.Release(res.Username)
		ap.warns = append(ap.warns, warn(WarnCommonNameFailed, SystemAD, p.Name(), p.UUID, err.Error()+"; no account is created"))
		return
	}
	dn := UserDN(cn, ap.o.NewUserOU, ap.o.SearchBase)
	upn := ""
	if ap.o.UPNSuffix != "" {
		upn = res.Username + "@" + strings.TrimPrefix(ap.o.UPNSuffix, "@")
	}
	fields := []Field{
		{Attr: "sAMAccountName", After: res.Username, Source: "username generator, pattern " + res.Pattern},
	}
	if upn != "" {
		fields = append(fields, Field{Attr: "userPrincipalName", After: upn, Source: "username @ AD_UPN_SUFFIX"})
	}
	fields = append(fields, Field{Attr: "cn", After: cn, Source: "mo common_name"})
	eng := PrimaryEngagement(p, ap.o.Now)
	for _, r := range ap.moRules {
		val, use := ap.wantedValue(r, p, eng)
		if !use || val == "" {
			continue
		}
		fields = append(fields, Field{Attr: r.Attr, After: val, Source: "mo " + r.Source})
	}
	// An attribute AD owns starts with MO's value: a new account does not
	// empty the MO field it is the authority of.
	for _, r := range ap.fields.rules {
		val, use := ap.wantedValue(MappingRule{Attr: r.Attr, Direction: DirMOToAD, Source: r.Source}, p, eng)
		if !use || val == "" {
			continue
		}
		fields = append(fields, Field{Attr: r.Attr, After: val, Source: "mo " + r.Source + ", the initial value of a field AD owns"})
	}
	resCopy := res
	c := ap.add(Change{System: SystemAD, Op: OpCreate, Target: Target{DN: dn}, MOUUID: p.UUID, Subject: p.Name(),
		Fields: fields, Username: &resCopy})
	planned := map[string]string{"samaccountname": res.Username, "userprincipalname": upn, "cn": cn}
	ap.writeBack(p, func(attr string) string {
		if v, ok := planned[strings.ToLower(attr)]; ok && v != "" {
			return v
		}
		return KnownAfterApply
	}, c.ID)
}

// writeBack plans the MO IT user that records p's AD account. value gives
// the account's value of an AD attribute; dependsOn is the id of the AD
// create when the account does not exist yet.
func (ap *adPlanner) writeBack(p *Person, value func(attr string) string, dependsOn string) {
	rules := ap.adRules
	if len(rules) == 0 || ap.o.ADITSystemUUID == "" {
		return
	}
	want := map[string]string{}
	var fields []Field
	for _, r := range rules {
		f := strings.TrimPrefix(r.Source, "ituser.")
		want[f] = value(r.Attr)
		fields = append(fields, Field{Attr: f, After: want[f], Source: "ad " + r.Attr})
	}
	w := ITUserWrite{PersonUUID: p.UUID, ITSystemUUID: ap.o.ADITSystemUUID, UserKey: want["user_key"], ExternalID: want["external_id"],
		Validity: Validity{From: ap.today}}
	existing := ap.findITUser(p, want)
	if existing == nil {
		ap.add(Change{System: SystemMO, Op: OpCreate, MOUUID: p.UUID, Subject: p.Name(), Fields: fields, ITUser: &w, DependsOn: dependsOn})
		return
	}
	var changed []Field
	for _, f := range fields {
		before := existing.UserKey
		same := before == f.After
		if f.Attr == "external_id" {
			before = existing.ExternalID
			same = strings.EqualFold(before, f.After)
		}
		if !same {
			f.Before = before
			changed = append(changed, f)
		}
	}
	if len(changed) == 0 {
		return
	}
	w.UUID = existing.UUID
	if _, ok := want["user_key"]; !ok {
		w.UserKey = existing.UserKey
	}
	if _, ok := want["external_id"]; !ok {
		w.ExternalID = existing.ExternalID
	}
	w.Validity.To = existing.Validity.To
	ap.add(Change{System: SystemMO, Op: OpUpdate, Target: Target{UUID: existing.UUID}, MOUUID: p.UUID, Subject: p.Name(),
		Fields: changed, ITUser: &w, DependsOn: dependsOn})
}

// findITUser returns p's current or future IT user in the AD IT system that
// records the wanted account: same external_id (objectGUID), else same
// user_key.
func (ap *adPlanner) findITUser(p *Person, want map[string]string) *ITUser {
	var byKey *ITUser
	for i := range p.ITUsers {
		it := &p.ITUsers[i]
		if it.ITSystemUUID != ap.o.ADITSystemUUID || !it.Validity.CurrentOrFuture(ap.o.Now) {
			continue
		}
		if g, ok := want["external_id"]; ok && g != KnownAfterApply && g != "" && strings.EqualFold(it.ExternalID, g) {
			return it
		}
		if k, ok := want["user_key"]; ok && k != KnownAfterApply && byKey == nil && strings.EqualFold(it.UserKey, k) {
			byKey = it
		}
	}
	return byKey
}

// reportOrphans warns about every account no MO person matched.
func (ap *adPlanner) reportOrphans() {
	for i := range ap.acc {
		if ap.handled[i] {
			continue
		}
		a := &ap.acc[i]
		why := "no MO person has its CPR " + MaskCPR(a.CPR)
		switch {
		case ap.o.MatchBy == MatchByObjectGUID:
			why = "no MO person has an AD IT user with its objectGUID"
		case a.CPR == "":
			why = "it has no CPR number in " + ap.o.CPRAttr
		}
		ap.warns = append(ap.warns, warn(WarnOrphanAccount, SystemAD, a.SAMAccountName, a.DN, "AD account not matched: "+why+"; not touched"))
	}
}

// add stamps c with its id and appends it.
func (ap *adPlanner) add(c Change) *Change {
	c.ID = ChangeID(&c)
	ap.changes = append(ap.changes, c)
	return &ap.changes[len(ap.changes)-1]
}
