package engine

import (
	"context"
	"time"
)

// MOSource reads a full snapshot of MO: units under the top unit, people with
// engagements, addresses, IT users and managers, and classes. A read that
// fails part-way returns an error, never a partial snapshot.
type MOSource interface {
	Snapshot(ctx context.Context) (*Snapshot, error)
}

// MOWriter writes AD→MO data back to MO.
type MOWriter interface {
	// CreateITUser creates an IT user and returns its uuid.
	CreateITUser(ctx context.Context, u ITUserWrite) (string, error)
	// UpdateITUser changes an existing IT user (u.UUID set).
	UpdateITUser(ctx context.Context, u ITUserWrite) error
	// CreateAddress creates an address and returns its uuid.
	CreateAddress(ctx context.Context, a AddressWrite) (string, error)
	// UpdateAddress changes an existing address (a.UUID set).
	UpdateAddress(ctx context.Context, a AddressWrite) error
}

// ITUserWrite is an IT user create or update.
type ITUserWrite struct {
	UUID         string   `json:"uuid,omitempty"` // set on update, optional on create
	PersonUUID   string   `json:"person_uuid,omitempty"`
	ITSystemUUID string   `json:"itsystem_uuid,omitempty"`
	UserKey      string   `json:"user_key,omitempty"`
	ExternalID   string   `json:"external_id,omitempty"`
	Validity     Validity `json:"validity"`
}

// AddressWrite is an address create or update.
type AddressWrite struct {
	UUID           string   `json:"uuid,omitempty"`
	PersonUUID     string   `json:"person_uuid,omitempty"`
	UnitUUID       string   `json:"unit_uuid,omitempty"`
	TypeUUID       string   `json:"type_uuid"`
	VisibilityUUID string   `json:"visibility_uuid,omitempty"`
	Value          string   `json:"value"`
	Validity       Validity `json:"validity"`
}

// EngagementWrite is an update of the engagement fields an AD rule owns,
// from Validity.From on (Validity.To keeps the engagement's end). Empty
// fields are left unchanged. JobFunctionUUID is KnownAfterApply when the
// class is created in the same apply (the change depends on its create).
type EngagementWrite struct {
	UUID            string `json:"uuid"`
	PersonUUID      string `json:"person_uuid,omitempty"`
	UserKey         string `json:"user_key,omitempty"`
	JobFunctionUUID string `json:"job_function_uuid,omitempty"`
	// Extensions are extension fields to set ("extension_1" ..).
	Extensions map[string]string `json:"extensions,omitempty"`
	Validity   Validity          `json:"validity"`
	// SetEnd changes when the engagement ends: End is the first day it no
	// longer holds (half-open), zero for open-ended. MO terminates the
	// engagement at End, or with End zero extends it from Validity.From on.
	SetEnd bool      `json:"set_end,omitempty"`
	End    time.Time `json:"end,omitzero"`
	// EndBefore is the end MO held when the change was planned (zero:
	// open-ended); apply refuses the change as stale when it moved.
	EndBefore time.Time `json:"end_before,omitzero"`
}

// ClassWrite is a new class of a facet (a job function AD names that MO
// does not have yet, with AD_CREATE_JOB_FUNCTIONS).
type ClassWrite struct {
	FacetUserKey string `json:"facet_user_key"`
	UserKey      string `json:"user_key"`
	Name         string `json:"name"`
}

// PersonWrite is a new MO person made from an AD account. CPR is 10
// digits; it is shown masked (DDMMYY-xxxx) wherever a plan is shown.
type PersonWrite struct {
	GivenName string `json:"given_name"`
	Surname   string `json:"surname"`
	CPR       string `json:"cpr_number,omitempty"`
}

// MOFieldWriter is the optional port of an MOWriter that writes the MO
// fields AD rules own: engagements, address termination, new job function
// classes and people created from AD. Without it those changes fail with
// a clear error.
type MOFieldWriter interface {
	// UpdateEngagement changes an engagement from w.Validity.From on.
	UpdateEngagement(ctx context.Context, w EngagementWrite) error
	// TerminateEngagement ends an engagement: it no longer holds from
	// w.End on.
	TerminateEngagement(ctx context.Context, w EngagementWrite) error
	// TerminateAddress ends an address: it no longer holds from
	// a.Validity.To on (half-open, as Validity).
	TerminateAddress(ctx context.Context, a AddressWrite) error
	// CreateClass creates a class and returns its uuid.
	CreateClass(ctx context.Context, c ClassWrite) (string, error)
	// CreatePerson creates a person and returns its uuid.
	CreatePerson(ctx context.Context, p PersonWrite) (string, error)
}

// MOPersonReader is the optional port with which Apply re-reads the MO
// object of an AD → MO field write (a person with its engagements and
// addresses, as a snapshot has them) just before writing it, and checks
// that a person created from AD does not exist yet.
type MOPersonReader interface {
	// PersonNow reads one person as a snapshot has it; nil when MO has no
	// current or future slice of the person.
	PersonNow(ctx context.Context, uuid string) (*Person, error)
	// PeopleByCPR returns the uuids of the people with this CPR number.
	PeopleByCPR(ctx context.Context, cpr string) ([]string, error)
}

// Directory is the engine's port to Active Directory.
type Directory interface {
	// Accounts reads every person account under the search base in one paged
	// search, with the given mapped attributes (lower-case names) besides
	// the identity attributes every Account carries.
	Accounts(ctx context.Context, attrs []string) ([]Account, error)
	// TakenNames reads every sAMAccountName, UPN prefix and CN under the
	// whole search base.
	TakenNames(ctx context.Context) (TakenNames, error)
	// AccountByGUID reads one account by objectGUID; a missing one is an
	// *Error of KindNotFound.
	AccountByGUID(ctx context.Context, guid string, attrs []string) (Account, error)
	// Create adds a user (created disabled, without password) and returns it
	// as read back, with its server-assigned GUID.
	Create(ctx context.Context, a NewAccount) (Account, error)
	// Modify writes only the given attributes. When an attribute no longer
	// holds its Before values it fails with KindStale and writes nothing.
	Modify(ctx context.Context, dn string, changes []AttrChange) error
	// SetDisabled sets or clears the ACCOUNTDISABLE bit; uac is the value the
	// engine read, so a concurrent change is detected as stale.
	SetDisabled(ctx context.Context, dn string, uac int, disabled bool) error
	// Rename changes the CN (ModifyDN with a new RDN) and returns the new DN.
	Rename(ctx context.Context, dn, newCN string) (string, error)
}

// STSTarget is the engine's port to STS Organisation through STSOrgSync.
type STSTarget interface {
	UpsertUnit(ctx context.Context, u STSUnit) error
	UpsertUser(ctx context.Context, u STSUser) error
	// DeleteUnit and DeleteUser return nil for a 404 (already gone), with a
	// warning logged by the adapter.
	DeleteUnit(ctx context.Context, uuid string) error
	DeleteUser(ctx context.Context, uuid string) error
	// GetUnit and GetUser read one object back (KindNotFound if absent).
	GetUnit(ctx context.Context, uuid string) (STSUnit, error)
	GetUser(ctx context.Context, uuid string) (STSUser, error)
}

// AuditSink receives one record per applied (or failed) change.
type AuditSink interface {
	Record(ctx context.Context, r AuditRecord) error
}

// MOITUserReader is an optional port an MOWriter may implement: reading
// one person's current and future IT users lets Apply check an MO
// write-back for staleness (already created, changed since the plan)
// before writing it.
type MOITUserReader interface {
	ITUsers(ctx context.Context, personUUID string) ([]ITUser, error)
}

// STSRecordReader is an optional port an STSTarget may implement: the
// local record of what STS holds (the "before" of the STS diff). With it,
// Apply refuses an STS change as stale when the record no longer holds the
// plan's Before values (a saved plan applied twice, or after another run).
type STSRecordReader interface {
	RecordedUnit(uuid string) (STSUnit, bool)
	RecordedUser(uuid string) (STSUser, bool)
}
