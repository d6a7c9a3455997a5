package engine

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// MatchBy says how an MO person is matched to an AD account.
type MatchBy string

// The matching modes (AD_MATCH_BY).
const (
	MatchByCPR        MatchBy = "cpr"        // the CPR attribute, digits only on both sides
	MatchByObjectGUID MatchBy = "objectguid" // the objectGUID stored on the person's AD IT user
)

// PlanOptions are the settings that shape a plan.
type PlanOptions struct {
	Mapping Mapping
	MatchBy MatchBy // default cpr
	// CPRAttr is the AD attribute holding the CPR number (AD_CPR_ATTRIBUTE,
	// default employeeID); the directory reduces it to digits in Account.CPR.
	CPRAttr string
	// NewUserOU and SearchBase make the DN of new accounts:
	// CN=<cn>,<NewUserOU>,<SearchBase>.
	NewUserOU  string
	SearchBase string
	// UPNSuffix gives new accounts userPrincipalName <username>@<suffix>;
	// blank = no UPN.
	UPNSuffix string
	// Usernames generates the usernames of new accounts; nil = the seed's
	// example configuration.
	Usernames *UsernameGenerator
	// ADITSystemUUID is the MO IT system that holds AD accounts
	// (OS2MO_AD_ITSYSTEM resolved to a uuid); required for AD→MO rules and
	// for matching by objectGUID.
	ADITSystemUUID string
	TopUnit        string
	// Systems limits the plan to these systems (plan --only); empty = all.
	Systems []System
	// Now is the time engagements and addresses are evaluated at; zero =
	// time.Now().
	Now          time.Time
	ToolVersion  string
	SettingsHash string // blank = a hash of these options
	// ADSchema is AD's schema (as read from the domain controller, or
	// BuiltinADSchema): BuildPlan refuses a mapping that does not fit it
	// (a *SettingError), and the planner takes the length and range of
	// values from it. nil = no check of the mapping, the built-in lengths.
	ADSchema *ADSchema
	// CreateJobFunctions creates the job function class an AD rule onto
	// engagement.job_function names when MO has none of that name
	// (AD_CREATE_JOB_FUNCTIONS); false: a warning, nothing written.
	CreateJobFunctions bool
	// AddressVisibility is the visibility class (user_key, name or scope
	// in MO's visibility facet) of addresses created from AD
	// (OS2MO_ADDRESS_VISIBILITY); blank = none sent, MO's default.
	AddressVisibility string
	// CreateMOPeople makes an MO person (names, CPR) with its AD IT user
	// of each AD account under CreateMOPeopleOUs that no MO person
	// matches (AD_CREATE_MO_PEOPLE); such accounts are not disabled for
	// lacking an engagement.
	CreateMOPeople    bool
	CreateMOPeopleOUs []string
	// Location is the zone MO's dates are days in (Europe/Copenhagen; the
	// snapshot's times are UTC instants): an end date AD gives as an
	// instant (accountExpires) becomes a day there. nil = UTC.
	Location *time.Location
}

// STSPlan is what planning STS produced.
type STSPlan struct {
	Changes  []Change
	Warnings []Warning
	// Units and Users are how many objects STS holds (per the local record),
	// for the percent threshold.
	Units, Users int
}

// STSPlanner plans the STS changes for a snapshot (the MO→STS mapping and
// diff against the local record). accounts are the AD accounts (for
// UserId from sAMAccountName); nil when AD is not read.
type STSPlanner func(ctx context.Context, snap *Snapshot, accounts []Account) (STSPlan, error)

// PlanInput is everything BuildPlan reads.
type PlanInput struct {
	MO *Snapshot
	// AD holds every person account (Directory.Accounts with
	// Mapping.ReadAttributes()), Taken every name in use (Directory.TakenNames).
	// ADRead is false when AD was not read (not configured, or --only sts).
	AD     []Account
	Taken  TakenNames
	ADRead bool
	// ADReadAt and STSReadAt are when the systems were read.
	ADReadAt, STSReadAt time.Time
	// STS plans the STS changes; nil = no STS planning.
	STS     STSPlanner
	Options PlanOptions
}

// BuildPlan computes the plan that brings AD, MO and STS in step with MO
// (design §3). It does no I/O of its own besides calling in.STS.
func BuildPlan(ctx context.Context, in PlanInput) (*Plan, error) {
	if in.MO == nil {
		return nil, E(KindInvalid, "plan", "", errors.New("no MO snapshot"))
	}
	o := in.Options
	if o.MatchBy == "" {
		o.MatchBy = MatchByCPR
	}
	if o.MatchBy != MatchByCPR && o.MatchBy != MatchByObjectGUID {
		return nil, E(KindInvalid, "plan", "AD_MATCH_BY", errors.New("must be cpr or objectguid, got "+quote(string(o.MatchBy))))
	}
	if o.CPRAttr == "" {
		o.CPRAttr = "employeeID"
	}
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	if o.Mapping.Rules == nil {
		o.Mapping = DefaultMapping()
	}
	if o.ADSchema != nil {
		if err := o.Mapping.ValidateSchema(o.ADSchema); err != nil {
			return nil, err
		}
	}
	if o.Usernames == nil {
		g, err := NewUsernameGenerator(DefaultUsernameConfig())
		if err != nil {
			return nil, err
		}
		o.Usernames = g
	}
	if o.MatchBy == MatchByObjectGUID && o.ADITSystemUUID == "" {
		return nil, E(KindInvalid, "plan", "OS2MO_AD_ITSYSTEM", errors.New("matching by objectGUID needs the MO IT system of AD accounts"))
	}
	if (len(o.Mapping.ITUserRules()) > 0 || o.CreateMOPeople) && o.ADITSystemUUID == "" && in.ADRead && wants(o.Systems, SystemMO) {
		return nil, E(KindInvalid, "plan", "OS2MO_AD_ITSYSTEM", errors.New("the mapping writes AD values to MO IT users, but the MO IT system of AD accounts is unknown"))
	}

	p := &Plan{
		FormatVersion: PlanFormatVersion,
		ToolVersion:   o.ToolVersion,
		CreatedAt:     o.Now.UTC(),
		SettingsHash:  o.SettingsHash,
		ReadAt:        ReadTimes{MO: in.MO.ReadAt, AD: in.ADReadAt, STS: in.STSReadAt},
		TopUnit:       o.TopUnit,
		Inventory:     Inventory{MOPeople: len(in.MO.People), MOUnits: len(in.MO.Units), ADAccounts: len(in.AD)},
		Changes:       []Change{},
	}
	if p.SettingsHash == "" {
		p.SettingsHash = OptionsHash(o)
	}
	p.Warnings = append(p.Warnings, in.MO.Warnings...)

	for _, sys := range []System{SystemAD, SystemSTS, SystemMO} {
		read := in.ADRead
		if sys == SystemSTS {
			read = in.STS != nil
		}
		if read && wants(o.Systems, sys) {
			p.Systems = append(p.Systems, sys)
		}
	}
	if in.ADRead && (wants(o.Systems, SystemAD) || wants(o.Systems, SystemMO)) {
		ap := newADPlanner(in, o)
		changes, warns := ap.plan()
		p.Changes = slices.Grow(p.Changes, len(changes))
		for _, c := range changes {
			if wants(o.Systems, c.System) {
				p.Changes = append(p.Changes, c)
			}
		}
		p.Warnings = append(p.Warnings, warns...)
	}
	if in.STS != nil && wants(o.Systems, SystemSTS) {
		// STS sees MO as it will be once the planned IT users are written
		// (UserId comes from the AD username), so one apply converges.
		snap, writeBacks := withPlannedITUsers(in.MO, p.Changes)
		snap, fieldWrites := withPlannedFields(snap, p.Changes)
		sp, err := in.STS(ctx, snap, in.AD)
		if err != nil {
			return nil, err
		}
		p.Inventory.STSUnits, p.Inventory.STSUsers = sp.Units, sp.Users
		p.Changes = slices.Grow(p.Changes, len(sp.Changes))
		for _, c := range sp.Changes {
			if c.ID == "" {
				c.ID = ChangeID(&c)
			}
			// A UserId naming an account that does not exist yet waits for
			// the AD create.
			if id, ok := writeBacks[c.Target.UUID]; ok && c.STSUser != nil && c.Op != OpDelete && c.DependsOn == "" {
				c.DependsOn = id
			}
			// A user whose MO fields AD writes waits for that write.
			if id, ok := fieldWrites[c.Target.UUID]; ok && c.STSUser != nil && c.Op != OpDelete && c.DependsOn == "" {
				c.DependsOn = id
			}
			p.Changes = append(p.Changes, c)
		}
		p.Warnings = append(p.Warnings, sp.Warnings...)
	}
	// An MO write-back whose AD create was filtered out cannot run.
	p.Changes = dropOrphanDependents(p.Changes)
	SortChanges(p.Changes)
	SortWarnings(p.Warnings)
	p.ID = PlanID(p)
	return p, nil
}

func wants(systems []System, s System) bool {
	return len(systems) == 0 || slices.Contains(systems, s)
}

func dropOrphanDependents(cs []Change) []Change {
	ids := make(map[string]bool, len(cs))
	for _, c := range cs {
		ids[c.ID] = true
	}
	out := cs[:0]
	for _, c := range cs {
		if c.DependsOn == "" || ids[c.DependsOn] {
			out = append(out, c)
		}
	}
	return out
}

var systemOrder = map[System]int{SystemAD: 0, SystemSTS: 1, SystemMO: 2}
var opOrder = map[Op]int{OpCreate: 0, OpUpdate: 1, OpRename: 2, OpEnable: 3, OpDisable: 4, OpDelete: 5}

// SortChanges sorts changes by system (ad, sts, mo), op (create, update,
// rename, enable, disable, delete), subject and id.
func SortChanges(cs []Change) {
	// A stable sort of indexes with the keys looked up once, then one pass
	// to put the changes in place: moving the large Change values around
	// during the merge sort was most of the cost.
	type key struct {
		system, op int
		subject    string
		id         string
		i          int
	}
	keys := make([]key, len(cs))
	for i := range cs {
		keys[i] = key{systemOrder[cs[i].System], opOrder[cs[i].Op], cs[i].Subject, cs[i].ID, i}
	}
	slices.SortStableFunc(keys, func(a, b key) int {
		if c := cmp.Compare(a.system, b.system); c != 0 {
			return c
		}
		if c := cmp.Compare(a.op, b.op); c != 0 {
			return c
		}
		if c := strings.Compare(a.subject, b.subject); c != 0 {
			return c
		}
		return strings.Compare(a.id, b.id)
	})
	// Position j gets the change at keys[j].i: follow each cycle of the
	// permutation once, marking the positions done.
	for start := range cs {
		if keys[start].i < 0 {
			continue
		}
		tmp := cs[start]
		for j := start; ; {
			src := keys[j].i
			keys[j].i = -1
			if src == start {
				cs[j] = tmp
				break
			}
			cs[j] = cs[src]
			j = src
		}
	}
}

// SortWarnings sorts warnings by code, subject, key and message.
func SortWarnings(ws []Warning) {
	slices.SortStableFunc(ws, func(a, b Warning) int {
		return cmp.Or(
			strings.Compare(a.Code, b.Code),
			strings.Compare(a.Subject, b.Subject),
			strings.Compare(a.Key, b.Key),
			strings.Compare(a.Message, b.Message),
		)
	})
}

// OptionsHash is the settings hash of a plan made without one from the
// caller: a digest of every option that changes what the plan contains
// (not Now, ToolVersion or Systems). apply FILE compares it with the
// current settings.
func OptionsHash(o PlanOptions) string {
	var cfg []byte
	if o.Usernames != nil {
		cfg, _ = json.Marshal(o.Usernames.Config())
	} else {
		cfg, _ = json.Marshal(DefaultUsernameConfig())
	}
	if o.Mapping.Rules == nil {
		o.Mapping = DefaultMapping()
	}
	if o.MatchBy == "" {
		o.MatchBy = MatchByCPR
	}
	if o.CPRAttr == "" {
		o.CPRAttr = "employeeID"
	}
	h := sha256.New()
	for _, s := range []string{o.Mapping.String(), string(o.MatchBy), o.CPRAttr, o.NewUserOU, o.SearchBase,
		o.UPNSuffix, o.ADITSystemUUID, o.TopUnit, string(cfg)} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	// The AD → MO field options, only when set (older hashes stay valid).
	if o.CreateJobFunctions || o.AddressVisibility != "" || o.CreateMOPeople {
		fmt.Fprintf(h, "jf=%t\x00vis=%s\x00people=%t\x00%s\x00", o.CreateJobFunctions, o.AddressVisibility, o.CreateMOPeople, strings.Join(o.CreateMOPeopleOUs, "|"))
	}
	return hex.EncodeToString(h.Sum(nil)[:8])
}

// FindITSystem returns the uuid of the snapshot's IT system whose uuid,
// user_key or name is nameOrKey (case-insensitive), or "" when MO has none.
func FindITSystem(s *Snapshot, nameOrKey string) string {
	for _, it := range s.ITSystems {
		if strings.EqualFold(it.UUID, nameOrKey) || strings.EqualFold(it.UserKey, nameOrKey) || strings.EqualFold(it.Name, nameOrKey) {
			return it.UUID
		}
	}
	return ""
}

// withPlannedITUsers returns s as it will be after the MO IT-user changes
// among cs (those whose user_key is known before apply), and per person
// whose account is still to be created, the id of that AD create. s itself
// is not modified.
func withPlannedITUsers(s *Snapshot, cs []Change) (*Snapshot, map[string]string) {
	planned := map[string]*Change{}
	for i := range cs {
		c := &cs[i]
		if c.System == SystemMO && c.ITUser != nil && c.ITUser.UserKey != KnownAfterApply && c.ITUser.UserKey != "" {
			planned[c.ITUser.PersonUUID] = c
		}
	}
	if len(planned) == 0 {
		return s, nil
	}
	ids := make(map[string]string, len(planned))
	out := *s
	out.People = slices.Clone(s.People)
	for i := range out.People {
		p := &out.People[i]
		c := planned[p.UUID]
		if c == nil {
			continue
		}
		if c.DependsOn != "" {
			ids[p.UUID] = c.DependsOn
		}
		w := c.ITUser
		its := slices.Clone(p.ITUsers)
		it := ITUser{UUID: w.UUID, UserKey: w.UserKey, ITSystemUUID: w.ITSystemUUID, Validity: w.Validity}
		if w.ExternalID != KnownAfterApply {
			it.ExternalID = w.ExternalID
		}
		for _, sys := range s.ITSystems {
			if sys.UUID == w.ITSystemUUID {
				it.ITSystemUserKey, it.ITSystemName = sys.UserKey, sys.Name
			}
		}
		if j := slices.IndexFunc(its, func(x ITUser) bool { return w.UUID != "" && x.UUID == w.UUID }); j >= 0 {
			its[j] = it
		} else {
			its = append(its, it)
		}
		p.ITUsers = its
	}
	return &out, ids
}
