package engine

import (
	"sort"
	"time"
)

// Validity is a half-open interval [From, To). A zero From means "since
// always"; a zero To means open-ended. Adapters convert the inclusive end
// dates of MO's REST API and of GraphQL before v29 to this form.
type Validity struct {
	From time.Time `json:"from,omitzero"`
	To   time.Time `json:"to,omitzero"`
}

// ActiveAt reports whether t lies inside v.
func (v Validity) ActiveAt(t time.Time) bool {
	if !v.From.IsZero() && t.Before(v.From) {
		return false
	}
	if !v.To.IsZero() && !t.Before(v.To) {
		return false
	}
	return true
}

// CurrentOrFuture reports whether v has not ended at t.
func (v Validity) CurrentOrFuture(t time.Time) bool {
	return v.To.IsZero() || t.Before(v.To)
}

// Snapshot is everything the engine needs from MO, read in one go. Both MO
// clients (GraphQL and REST) produce the same Snapshot for the same data.
// Call Normalize before comparing two snapshots.
type Snapshot struct {
	ReadAt    time.Time  `json:"read_at"`
	OrgUUID   string     `json:"org_uuid"`
	TopUnit   string     `json:"top_unit,omitempty"`
	Units     []Unit     `json:"units"`
	People    []Person   `json:"people"`
	Classes   []Class    `json:"classes,omitempty"`
	ITSystems []ITSystem `json:"itsystems,omitempty"`
	// Warnings are problems found while reading that did not stop the read,
	// such as a person with an invalid CPR number.
	Warnings []Warning `json:"warnings,omitempty"`
}

// Unit is an MO organisation unit.
type Unit struct {
	UUID       string    `json:"uuid"`
	UserKey    string    `json:"user_key"`
	Name       string    `json:"name"`
	ParentUUID string    `json:"parent_uuid,omitempty"` // "" for a root unit
	UnitType   string    `json:"unit_type,omitempty"`   // class name
	UnitLevel  string    `json:"unit_level,omitempty"`  // class name
	Validity   Validity  `json:"validity"`
	Addresses  []Address `json:"addresses,omitempty"`
	// ITSystemUUIDs are the IT systems bound to the unit (STS ItSystemUuids).
	ITSystemUUIDs []string  `json:"itsystem_uuids,omitempty"`
	Managers      []Manager `json:"managers,omitempty"`
}

// Person is an MO employee with the relations the engine uses.
type Person struct {
	UUID    string `json:"uuid"`
	UserKey string `json:"user_key"`
	// CPR is the CPR number as 10 digits, or "" when MO has none or the
	// value MO holds is invalid (a Warning says which).
	CPR               string       `json:"cpr,omitempty"`
	GivenName         string       `json:"given_name"`
	Surname           string       `json:"surname"`
	NicknameGivenName string       `json:"nickname_given_name,omitempty"`
	NicknameSurname   string       `json:"nickname_surname,omitempty"`
	Engagements       []Engagement `json:"engagements,omitempty"`
	Addresses         []Address    `json:"addresses,omitempty"`
	ITUsers           []ITUser     `json:"itusers,omitempty"`
}

// Name is the full name as MO shows it: given name, a space, surname.
func (p Person) Name() string {
	switch {
	case p.GivenName == "":
		return p.Surname
	case p.Surname == "":
		return p.GivenName
	}
	return p.GivenName + " " + p.Surname
}

// Engagement is an employment of a person in a unit. Only engagements that
// are current or future at the time of reading are in a Snapshot.
type Engagement struct {
	UUID        string `json:"uuid"`
	UserKey     string `json:"user_key"`
	UnitUUID    string `json:"unit_uuid"`
	JobFunction string `json:"job_function,omitempty"` // class name
	// JobFunctionUUID is the uuid of the job function class (AD rules onto
	// engagement.job_function compare and write it).
	JobFunctionUUID string `json:"job_function_uuid,omitempty"`
	// Extensions are the engagement's extension fields ("extension_1" ..
	// "extension_10") that the mapping uses and MO holds a value of.
	Extensions     map[string]string `json:"extensions,omitempty"`
	EngagementType string            `json:"engagement_type,omitempty"`
	IsPrimary      bool              `json:"is_primary"`
	Validity       Validity          `json:"validity"`
}

// Address is an MO address of a person or a unit.
type Address struct {
	UUID string `json:"uuid"`
	// Value is MO's machine value (a DAR uuid for scope DAR, else the text).
	Value string `json:"value"`
	// Name is the human-readable value (the resolved text for DAR).
	Name           string   `json:"name"`
	TypeUUID       string   `json:"type_uuid"`
	TypeUserKey    string   `json:"type_user_key"`
	Scope          string   `json:"scope"` // EMAIL, PHONE, DAR, EAN, PNUMBER, WWW, TEXT, ...
	VisibilityUUID string   `json:"visibility_uuid,omitempty"`
	Visibility     string   `json:"visibility,omitempty"` // visibility class scope: PUBLIC, SECRET, INTERNAL or ""
	EngagementUUID string   `json:"engagement_uuid,omitempty"`
	Validity       Validity `json:"validity"`
}

// ITUser is an account of a person in an MO IT system.
type ITUser struct {
	UUID            string   `json:"uuid"`
	UserKey         string   `json:"user_key"`
	ExternalID      string   `json:"external_id,omitempty"`
	ITSystemUUID    string   `json:"itsystem_uuid"`
	ITSystemUserKey string   `json:"itsystem_user_key,omitempty"`
	ITSystemName    string   `json:"itsystem_name,omitempty"`
	Validity        Validity `json:"validity"`
}

// Manager is a manager position of a unit; PersonUUID is "" when vacant.
type Manager struct {
	UUID         string   `json:"uuid"`
	UnitUUID     string   `json:"unit_uuid"`
	PersonUUID   string   `json:"person_uuid,omitempty"`
	ManagerType  string   `json:"manager_type,omitempty"`
	ManagerLevel string   `json:"manager_level,omitempty"`
	Validity     Validity `json:"validity"`
}

// Class is an MO class (facet value), such as an address type.
type Class struct {
	UUID         string `json:"uuid"`
	UserKey      string `json:"user_key"`
	Name         string `json:"name"`
	Scope        string `json:"scope,omitempty"`
	FacetUserKey string `json:"facet_user_key"`
}

// ITSystem is an MO IT system.
type ITSystem struct {
	UUID    string `json:"uuid"`
	UserKey string `json:"user_key"`
	Name    string `json:"name"`
}

// Normalize sorts every list in s by UUID (warnings by subject and text), so
// that two reads of the same data compare equal whatever order they arrived in.
func (s *Snapshot) Normalize() {
	sort.Slice(s.Units, func(i, j int) bool { return s.Units[i].UUID < s.Units[j].UUID })
	sort.Slice(s.People, func(i, j int) bool { return s.People[i].UUID < s.People[j].UUID })
	sort.Slice(s.Classes, func(i, j int) bool { return s.Classes[i].UUID < s.Classes[j].UUID })
	sort.Slice(s.ITSystems, func(i, j int) bool { return s.ITSystems[i].UUID < s.ITSystems[j].UUID })
	for i := range s.Units {
		u := &s.Units[i]
		sortAddresses(u.Addresses)
		sort.Strings(u.ITSystemUUIDs)
		sort.Slice(u.Managers, func(i, j int) bool { return u.Managers[i].UUID < u.Managers[j].UUID })
	}
	for i := range s.People {
		p := &s.People[i]
		sortAddresses(p.Addresses)
		sort.Slice(p.Engagements, func(i, j int) bool { return p.Engagements[i].UUID < p.Engagements[j].UUID })
		sort.Slice(p.ITUsers, func(i, j int) bool { return p.ITUsers[i].UUID < p.ITUsers[j].UUID })
	}
	sort.SliceStable(s.Warnings, func(i, j int) bool {
		if s.Warnings[i].Subject != s.Warnings[j].Subject {
			return s.Warnings[i].Subject < s.Warnings[j].Subject
		}
		return s.Warnings[i].Message < s.Warnings[j].Message
	})
}

func sortAddresses(a []Address) {
	sort.Slice(a, func(i, j int) bool { return a[i].UUID < a[j].UUID })
}
