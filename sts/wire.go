package sts

import (
	"encoding/json"
	"strings"

	"moxsync/engine"
)

// The JSON shapes of both dialects (sts-api.md §1.4–1.6). Property names are
// PascalCase, as OS2sync's Newtonsoft serialiser writes them; Go's decoder
// matches them case-insensitively, as the middleware's binder does.

// v11Addr is an address of the v1_1 dialect.
type v11Addr struct {
	Uuid     string `json:"Uuid,omitempty"`
	Value    string `json:"Value"`
	ShortKey string `json:"ShortKey,omitempty"`
}

type v11Unit struct {
	Uuid              string   `json:"Uuid"`
	ShortKey          string   `json:"ShortKey,omitempty"`
	Name              string   `json:"Name"`
	ParentOrgUnitUuid string   `json:"ParentOrgUnitUuid,omitempty"`
	PayoutUnitUuid    string   `json:"PayoutUnitUuid,omitempty"`
	Phone             *v11Addr `json:"Phone,omitempty"`
	Email             *v11Addr `json:"Email,omitempty"`
	Location          *v11Addr `json:"Location,omitempty"`
	ContactOpenHours  *v11Addr `json:"ContactOpenHours,omitempty"`
	Ean               *v11Addr `json:"Ean,omitempty"`
	Post              *v11Addr `json:"Post,omitempty"`
	ItSystemUuids     []string `json:"ItSystemUuids"`
}

type v11Position struct {
	Uuid        string `json:"Uuid,omitempty"`
	ShortKey    string `json:"ShortKey,omitempty"`
	Name        string `json:"Name"`
	OrgUnitUuid string `json:"OrgUnitUuid"`
}

type v11Person struct {
	Uuid     string `json:"Uuid,omitempty"`
	ShortKey string `json:"ShortKey,omitempty"`
	Name     string `json:"Name"`
	Cpr      string `json:"Cpr,omitempty"`
}

type v11User struct {
	Uuid      string        `json:"Uuid"`
	ShortKey  string        `json:"ShortKey,omitempty"`
	UserId    string        `json:"UserId"`
	Phone     *v11Addr      `json:"Phone,omitempty"`
	Email     *v11Addr      `json:"Email,omitempty"`
	Location  *v11Addr      `json:"Location,omitempty"`
	Positions []v11Position `json:"Positions"`
	Person    v11Person     `json:"Person"`
}

type flatUnit struct {
	Uuid              string `json:"Uuid"`
	ShortKey          string `json:"ShortKey,omitempty"`
	Name              string `json:"Name"`
	ParentOrgUnitUuid string `json:"ParentOrgUnitUuid,omitempty"`
	PayoutUnitUuid    string `json:"PayoutUnitUuid,omitempty"`
	ManagerUuid       string `json:"ManagerUuid,omitempty"`
	PhoneNumber       string `json:"PhoneNumber,omitempty"`
	Email             string `json:"Email,omitempty"`
	Location          string `json:"Location,omitempty"`
	ContactOpenHours  string `json:"ContactOpenHours,omitempty"`
	Ean               string `json:"Ean,omitempty"`
	Post              string `json:"Post,omitempty"`
	Url               string `json:"Url,omitempty"`
	// ItSystemUuids is the 2.x name, ItSystems the 3.x/4.x one; both are
	// sent (unknown properties are ignored) and both are read.
	ItSystemUuids []string `json:"ItSystemUuids"`
	ItSystems     []string `json:"ItSystems"`
}

type flatPosition struct {
	Name        string `json:"Name"`
	OrgUnitUuid string `json:"OrgUnitUuid"`
}

type flatPerson struct {
	Uuid string `json:"Uuid,omitempty"`
	Name string `json:"Name"`
	Cpr  string `json:"Cpr,omitempty"`
}

type flatUser struct {
	Uuid        string         `json:"Uuid"`
	ShortKey    string         `json:"ShortKey,omitempty"`
	UserId      string         `json:"UserId"`
	PhoneNumber string         `json:"PhoneNumber,omitempty"`
	Email       string         `json:"Email,omitempty"`
	Location    string         `json:"Location,omitempty"`
	Positions   []flatPosition `json:"Positions"`
	Person      flatPerson     `json:"Person"`
}

func toV11Addr(a *engine.STSAddress) *v11Addr {
	if a == nil || a.Value == "" {
		return nil
	}
	return &v11Addr{Uuid: strings.ToLower(a.UUID), Value: a.Value}
}

func fromV11Addr(a *v11Addr) *engine.STSAddress {
	if a == nil || a.Value == "" {
		return nil
	}
	return &engine.STSAddress{UUID: strings.ToLower(a.Uuid), Value: a.Value}
}

func flatValue(a *engine.STSAddress) string {
	if a == nil {
		return ""
	}
	return a.Value
}

func fromFlat(v string) *engine.STSAddress {
	if v == "" {
		return nil
	}
	return &engine.STSAddress{Value: v}
}

func ids(a []string) []string {
	out := make([]string, len(a))
	for i, s := range a {
		out[i] = strings.ToLower(strings.TrimSpace(s))
	}
	return out
}

// encodeUnit renders u in the dialect. Fields the dialect does not have
// (Url and ManagerUuid in v1_1) are left out.
func encodeUnit(dialect string, u engine.STSUnit) ([]byte, error) {
	if dialect == DialectOS2sync {
		return json.Marshal(flatUnit{
			Uuid: strings.ToLower(u.UUID), ShortKey: u.ShortKey, Name: u.Name,
			ParentOrgUnitUuid: strings.ToLower(u.ParentUUID), PayoutUnitUuid: strings.ToLower(u.PayoutUnitUUID),
			ManagerUuid: strings.ToLower(u.ManagerUUID),
			PhoneNumber: flatValue(u.Phone), Email: flatValue(u.Email), Location: flatValue(u.Location),
			ContactOpenHours: flatValue(u.ContactOpenHours), Ean: flatValue(u.Ean), Post: flatValue(u.Post), Url: flatValue(u.URL),
			ItSystemUuids: ids(u.ITSystemUUIDs), ItSystems: ids(u.ITSystemUUIDs),
		})
	}
	return json.Marshal(v11Unit{
		Uuid: strings.ToLower(u.UUID), ShortKey: u.ShortKey, Name: u.Name,
		ParentOrgUnitUuid: strings.ToLower(u.ParentUUID), PayoutUnitUuid: strings.ToLower(u.PayoutUnitUUID),
		Phone: toV11Addr(u.Phone), Email: toV11Addr(u.Email), Location: toV11Addr(u.Location),
		ContactOpenHours: toV11Addr(u.ContactOpenHours), Ean: toV11Addr(u.Ean), Post: toV11Addr(u.Post),
		ItSystemUuids: ids(u.ITSystemUUIDs),
	})
}

func decodeUnit(dialect string, b []byte) (engine.STSUnit, error) {
	if dialect == DialectOS2sync {
		var w flatUnit
		if err := json.Unmarshal(b, &w); err != nil {
			return engine.STSUnit{}, err
		}
		its := w.ItSystems
		if len(its) == 0 {
			its = w.ItSystemUuids
		}
		return engine.STSUnit{
			UUID: strings.ToLower(w.Uuid), ShortKey: w.ShortKey, Name: w.Name,
			ParentUUID: strings.ToLower(w.ParentOrgUnitUuid), PayoutUnitUUID: strings.ToLower(w.PayoutUnitUuid),
			ManagerUUID: strings.ToLower(w.ManagerUuid),
			Phone:       fromFlat(w.PhoneNumber), Email: fromFlat(w.Email), Location: fromFlat(w.Location),
			ContactOpenHours: fromFlat(w.ContactOpenHours), Ean: fromFlat(w.Ean), Post: fromFlat(w.Post), URL: fromFlat(w.Url),
			ITSystemUUIDs: nilIfEmpty(ids(its)),
		}, nil
	}
	var w v11Unit
	if err := json.Unmarshal(b, &w); err != nil {
		return engine.STSUnit{}, err
	}
	return engine.STSUnit{
		UUID: strings.ToLower(w.Uuid), ShortKey: w.ShortKey, Name: w.Name,
		ParentUUID: strings.ToLower(w.ParentOrgUnitUuid), PayoutUnitUUID: strings.ToLower(w.PayoutUnitUuid),
		Phone: fromV11Addr(w.Phone), Email: fromV11Addr(w.Email), Location: fromV11Addr(w.Location),
		ContactOpenHours: fromV11Addr(w.ContactOpenHours), Ean: fromV11Addr(w.Ean), Post: fromV11Addr(w.Post),
		ITSystemUUIDs: nilIfEmpty(ids(w.ItSystemUuids)),
	}, nil
}

func encodeUser(dialect string, u engine.STSUser) ([]byte, error) {
	if dialect == DialectOS2sync {
		w := flatUser{
			Uuid: strings.ToLower(u.UUID), ShortKey: u.ShortKey, UserId: u.UserID,
			PhoneNumber: flatValue(u.Phone), Email: flatValue(u.Email), Location: flatValue(u.Location),
			Positions: make([]flatPosition, len(u.Positions)),
			Person:    flatPerson{Uuid: strings.ToLower(u.Person.UUID), Name: u.Person.Name, Cpr: u.Person.CPR},
		}
		for i, p := range u.Positions {
			w.Positions[i] = flatPosition{Name: p.Name, OrgUnitUuid: strings.ToLower(p.OrgUnitUUID)}
		}
		return json.Marshal(w)
	}
	w := v11User{
		Uuid: strings.ToLower(u.UUID), ShortKey: u.ShortKey, UserId: u.UserID,
		Phone: toV11Addr(u.Phone), Email: toV11Addr(u.Email), Location: toV11Addr(u.Location),
		Positions: make([]v11Position, len(u.Positions)),
		Person:    v11Person{Uuid: strings.ToLower(u.Person.UUID), Name: u.Person.Name, Cpr: u.Person.CPR},
	}
	for i, p := range u.Positions {
		w.Positions[i] = v11Position{Uuid: strings.ToLower(p.UUID), Name: p.Name, OrgUnitUuid: strings.ToLower(p.OrgUnitUUID)}
	}
	return json.Marshal(w)
}

func decodeUser(dialect string, b []byte) (engine.STSUser, error) {
	if dialect == DialectOS2sync {
		var w flatUser
		if err := json.Unmarshal(b, &w); err != nil {
			return engine.STSUser{}, err
		}
		u := engine.STSUser{
			UUID: strings.ToLower(w.Uuid), ShortKey: w.ShortKey, UserID: w.UserId,
			Phone: fromFlat(w.PhoneNumber), Email: fromFlat(w.Email), Location: fromFlat(w.Location),
			Positions: make([]engine.STSPosition, len(w.Positions)),
			Person:    engine.STSPerson{UUID: strings.ToLower(w.Person.Uuid), Name: w.Person.Name, CPR: w.Person.Cpr},
		}
		for i, p := range w.Positions {
			u.Positions[i] = engine.STSPosition{Name: p.Name, OrgUnitUUID: strings.ToLower(p.OrgUnitUuid)}
		}
		return u, nil
	}
	var w v11User
	if err := json.Unmarshal(b, &w); err != nil {
		return engine.STSUser{}, err
	}
	u := engine.STSUser{
		UUID: strings.ToLower(w.Uuid), ShortKey: w.ShortKey, UserID: w.UserId,
		Phone: fromV11Addr(w.Phone), Email: fromV11Addr(w.Email), Location: fromV11Addr(w.Location),
		Positions: make([]engine.STSPosition, len(w.Positions)),
		Person:    engine.STSPerson{UUID: strings.ToLower(w.Person.Uuid), Name: w.Person.Name, CPR: w.Person.Cpr},
	}
	for i, p := range w.Positions {
		u.Positions[i] = engine.STSPosition{UUID: strings.ToLower(p.Uuid), Name: p.Name, OrgUnitUUID: strings.ToLower(p.OrgUnitUuid)}
	}
	return u, nil
}

func nilIfEmpty(a []string) []string {
	if len(a) == 0 {
		return nil
	}
	return a
}
