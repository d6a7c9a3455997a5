package motest

import (
	"time"

	"moxsync/engine"
)

// Size names a generated data set's scale.
type Size string

// The sizes Generate knows.
const (
	SizeDemo    Size = "demo"    // ~50 units, ~300 people
	SizeTypical Size = "typical" // ~800 units, ~5,000 people
	SizeLarge   Size = "large"   // ~3,000 units, ~40,000 people
)

// Dataset is everything the fake MO holds. Every field is exported so that
// tests and other packages can read it and change it; after changing a
// Dataset that a Server already serves, call Server.Reload.
//
// All validities are half-open [From, To) at local midnight in
// Europe/Copenhagen; a zero To is open-ended.
type Dataset struct {
	// Today is the reference date the data was generated around (local
	// midnight). Future engagements start after it, ended ones end before it.
	Today time.Time

	OrgUUID    string
	OrgName    string
	OrgUserKey string
	// TopUnitUUID is the administrative top unit (a root unit); the units
	// outside its subtree hang under other roots.
	TopUnitUUID string
	// Domain is the e-mail domain of the municipality.
	Domain string

	Facets      []Facet
	Classes     []Class
	ITSystems   []ITSystem
	Units       []Unit
	People      []Person
	Engagements []Engagement
	Addresses   []Address
	ITUsers     []ITUser
	Managers    []Manager
}

// Facet is an MO facet (a class family such as "employee_address_type").
type Facet struct {
	UUID        string
	UserKey     string
	Description string
}

// Class is an MO class.
type Class struct {
	UUID      string
	UserKey   string
	Name      string
	Scope     string // e.g. EMAIL, PHONE, DAR, SECRET, PUBLIC; "" when none
	FacetUUID string
	Published string // "Publiceret"
}

// ITSystem is an MO IT system.
type ITSystem struct {
	UUID       string
	UserKey    string
	Name       string
	SystemType string
	Validity   engine.Validity
}

// Unit is an MO organisation unit.
type Unit struct {
	UUID          string
	UserKey       string
	Name          string
	ParentUUID    string // "" for a root unit
	UnitTypeUUID  string
	UnitLevelUUID string
	Validity      engine.Validity
}

// Person is an MO employee. CPR is 10 digits, or "" for a person without one.
type Person struct {
	UUID              string
	UserKey           string
	CPR               string
	GivenName         string
	Surname           string
	NicknameGivenName string
	NicknameSurname   string
	Validity          engine.Validity
}

// Name is given name and surname separated by a space, as MO shows it.
func (p *Person) Name() string { return joinName(p.GivenName, p.Surname) }

// Nickname is the nickname as MO shows it ("" when none).
func (p *Person) Nickname() string { return joinName(p.NicknameGivenName, p.NicknameSurname) }

func joinName(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + " " + b
}

// Engagement is an employment of a person in a unit.
type Engagement struct {
	UUID               string
	UserKey            string
	PersonUUID         string
	UnitUUID           string
	JobFunctionUUID    string
	EngagementTypeUUID string
	PrimaryUUID        string // the "primary" or "non-primary" class
	Fraction           int    // 0 = unknown
	// Extensions are extension_1 .. extension_10 ("" = null).
	Extensions [10]string
	Validity   engine.Validity
}

// Address is an address of a person or a unit. Value is MO's machine value
// (a DAR uuid for scope DAR); DARText is the resolved text of a DAR address.
type Address struct {
	UUID            string
	UserKey         string
	Value           string
	DARText         string
	AddressTypeUUID string
	VisibilityUUID  string
	PersonUUID      string
	UnitUUID        string
	EngagementUUID  string
	Validity        engine.Validity
}

// ITUser is an account of a person (or a unit) in an IT system.
type ITUser struct {
	UUID           string
	UserKey        string
	ExternalID     string
	ITSystemUUID   string
	PersonUUID     string
	UnitUUID       string
	EngagementUUID string
	Validity       engine.Validity
}

// Manager is a manager position of a unit; PersonUUID is "" when vacant.
type Manager struct {
	UUID                string
	UserKey             string
	UnitUUID            string
	PersonUUID          string
	ManagerTypeUUID     string
	ManagerLevelUUID    string
	ResponsibilityUUIDs []string
	Validity            engine.Validity
}

// The facet user keys the generator uses.
const (
	FacetEmployeeAddressType = "employee_address_type"
	FacetOrgUnitAddressType  = "org_unit_address_type"
	FacetVisibility          = "visibility"
	FacetJobFunction         = "engagement_job_function"
	FacetEngagementType      = "engagement_type"
	FacetPrimaryType         = "primary_type"
	FacetOrgUnitType         = "org_unit_type"
	FacetOrgUnitLevel        = "org_unit_level"
	FacetManagerType         = "manager_type"
	FacetManagerLevel        = "manager_level"
	FacetResponsibility      = "responsibility"
)

// ADSystemName is the name and user key of the Active Directory IT system.
const ADSystemName = "Active Directory"

// ClassByUserKey returns the class with the given user key in the facet with
// the given user key, or nil.
func (d *Dataset) ClassByUserKey(facetUserKey, userKey string) *Class {
	var facet string
	for _, f := range d.Facets {
		if f.UserKey == facetUserKey {
			facet = f.UUID
		}
	}
	for i := range d.Classes {
		if d.Classes[i].FacetUUID == facet && d.Classes[i].UserKey == userKey {
			return &d.Classes[i]
		}
	}
	return nil
}

// ITSystemByUserKey returns the IT system with the given user key, or nil.
func (d *Dataset) ITSystemByUserKey(userKey string) *ITSystem {
	for i := range d.ITSystems {
		if d.ITSystems[i].UserKey == userKey {
			return &d.ITSystems[i]
		}
	}
	return nil
}
