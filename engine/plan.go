package engine

import "time"

// PlanFormatVersion is the version of the JSON plan contract (plan --json,
// plan --out). Bump it on any incompatible change.
const PlanFormatVersion = 1

// System names a target system of a change.
type System string

// The systems.
const (
	SystemAD  System = "ad"
	SystemSTS System = "sts"
	SystemMO  System = "mo"
)

// Op is what a change does to its target.
type Op string

// The operations.
const (
	OpCreate  Op = "create"
	OpUpdate  Op = "update"
	OpDisable Op = "disable"
	OpEnable  Op = "enable"
	OpDelete  Op = "delete"
	OpRename  Op = "rename"
)

// Field is one attribute of a change, before → after, with the MO/AD field
// or rule that produced the value.
type Field struct {
	Attr   string `json:"attr"`
	Before string `json:"before"`
	After  string `json:"after"`
	Source string `json:"source,omitempty"`
}

// Target identifies the object a change writes: an AD account by DN and
// objectGUID, or an MO/STS object by uuid.
type Target struct {
	DN   string `json:"dn,omitempty"`
	GUID string `json:"guid,omitempty"`
	UUID string `json:"uuid,omitempty"`
}

// Change is one pending change. A Change is data: it never formats itself.
type Change struct {
	// ID is stable across re-reads: a hash of system, op, target key and
	// intended values, so approvals survive a refresh and a saved plan can be
	// matched against a new read.
	ID      string  `json:"id"`
	System  System  `json:"system"`
	Op      Op      `json:"op"`
	Target  Target  `json:"target"`
	MOUUID  string  `json:"mo_uuid,omitempty"`
	Subject string  `json:"subject"`
	Fields  []Field `json:"fields,omitempty"`
	// Username is the decision behind an AD create.
	Username *UsernameResult `json:"username,omitempty"`
	// DependsOn is the ID of a change that must succeed first (an MO
	// write-back waits for the AD create that makes the account).
	DependsOn string `json:"depends_on,omitempty"`
	// STSUnit / STSUser carry the full payload of an STS upsert.
	STSUnit *STSUnit `json:"sts_unit,omitempty"`
	STSUser *STSUser `json:"sts_user,omitempty"`
	// ITUser carries the full payload of an MO IT-user write-back. Fields
	// whose After is KnownAfterApply are filled from the AD create this
	// change depends on.
	ITUser *ITUserWrite `json:"ituser,omitempty"`
	// Engagement, Address, Class and Person carry the payload of an MO
	// write of a field an AD rule owns (AD → MO): an engagement update, an
	// address create, update or terminate (op delete), a new job function
	// class, a person created from AD.
	Engagement *EngagementWrite `json:"engagement,omitempty"`
	Address    *AddressWrite    `json:"address,omitempty"`
	Class      *ClassWrite      `json:"class,omitempty"`
	Person     *PersonWrite     `json:"person,omitempty"`
}

// KnownAfterApply is the After of a field whose value only exists once the
// change it depends on has been applied (the objectGUID of a new account).
const KnownAfterApply = "(known after apply)"

// Plan is the list of pending changes with the context that shaped it.
type Plan struct {
	FormatVersion int       `json:"format_version"`
	ToolVersion   string    `json:"tool_version"`
	ID            string    `json:"id"`
	CreatedAt     time.Time `json:"created_at"`
	SettingsHash  string    `json:"settings_hash"`
	ReadAt        ReadTimes `json:"read_at"`
	// Systems are the systems the plan covers: those asked for (plan
	// --only) that were read. Empty in a plan from before this field:
	// read it as all three.
	Systems []System `json:"systems,omitempty"`
	// TopUnit is the MO top unit the plan was made for; it is never deleted.
	TopUnit string `json:"top_unit,omitempty"`
	// Inventory is how many objects each system held; the safety rules use it.
	Inventory Inventory `json:"inventory"`
	Changes   []Change  `json:"changes"`
	Warnings  []Warning `json:"warnings,omitempty"`
}

// ReadTimes records when each system was read for a plan.
type ReadTimes struct {
	MO  time.Time `json:"mo,omitzero"`
	AD  time.Time `json:"ad,omitzero"`
	STS time.Time `json:"sts,omitzero"`
}

// Inventory is how many objects each system held when the plan was made.
// The safety rules use it: the percent thresholds and the zero-MO guard.
type Inventory struct {
	MOPeople   int `json:"mo_people"`
	MOUnits    int `json:"mo_units"`
	ADAccounts int `json:"ad_accounts"`
	STSUnits   int `json:"sts_units"`
	STSUsers   int `json:"sts_users"`
}

// Count is the number of changes of one system and op.
type Count struct {
	System System `json:"system"`
	Op     Op     `json:"op"`
	N      int    `json:"n"`
}

// Counts returns the number of changes per system and op, in a fixed order
// (systems ad, sts, mo; ops create, update, rename, enable, disable, delete).
func (p *Plan) Counts() []Count {
	systems := []System{SystemAD, SystemSTS, SystemMO}
	ops := []Op{OpCreate, OpUpdate, OpRename, OpEnable, OpDisable, OpDelete}
	n := map[System]map[Op]int{}
	for _, c := range p.Changes {
		if n[c.System] == nil {
			n[c.System] = map[Op]int{}
		}
		n[c.System][c.Op]++
	}
	var out []Count
	for _, s := range systems {
		for _, o := range ops {
			if k := n[s][o]; k > 0 {
				out = append(out, Count{System: s, Op: o, N: k})
			}
		}
	}
	return out
}
