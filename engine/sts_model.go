package engine

// STSAddress is one address of an STS object. In the classic v1_1 dialect it
// is sent as an object {Uuid, Value}; the flat os2sync dialect sends only the
// value. A nil *STSAddress means "no such address".
type STSAddress struct {
	UUID  string `json:"uuid,omitempty"`
	Value string `json:"value"`
}

// STSUnit is the dialect-neutral payload of one organisation unit. The sts
// adapter encodes it for the configured dialect.
type STSUnit struct {
	UUID           string      `json:"uuid"`
	ShortKey       string      `json:"short_key,omitempty"`
	Name           string      `json:"name"`
	ParentUUID     string      `json:"parent_uuid,omitempty"`
	PayoutUnitUUID string      `json:"payout_unit_uuid,omitempty"`
	ManagerUUID    string      `json:"manager_uuid,omitempty"`
	Phone          *STSAddress `json:"phone,omitempty"`
	Email          *STSAddress `json:"email,omitempty"`
	Location       *STSAddress `json:"location,omitempty"`
	Ean            *STSAddress `json:"ean,omitempty"`
	Post           *STSAddress `json:"post,omitempty"`
	URL            *STSAddress `json:"url,omitempty"`
	// ContactOpenHours is a TEXT address whose type user_key is
	// "ContactOpenHours" (DIPEX 2020-11).
	ContactOpenHours *STSAddress `json:"contact_open_hours,omitempty"`
	ITSystemUUIDs    []string    `json:"itsystem_uuids,omitempty"`
}

// STSPosition links a user to a unit with a title.
type STSPosition struct {
	UUID        string `json:"uuid,omitempty"`
	Name        string `json:"name"`
	OrgUnitUUID string `json:"org_unit_uuid"`
}

// STSPerson is the person behind an STS user.
type STSPerson struct {
	UUID string `json:"uuid,omitempty"`
	Name string `json:"name"`
	CPR  string `json:"cpr,omitempty"`
}

// STSUser is the dialect-neutral payload of one user.
type STSUser struct {
	UUID      string        `json:"uuid"`
	ShortKey  string        `json:"short_key,omitempty"`
	UserID    string        `json:"user_id"`
	Phone     *STSAddress   `json:"phone,omitempty"`
	Email     *STSAddress   `json:"email,omitempty"`
	Location  *STSAddress   `json:"location,omitempty"`
	Positions []STSPosition `json:"positions"`
	Person    STSPerson     `json:"person"`
}
