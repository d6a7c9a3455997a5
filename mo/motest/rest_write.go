package motest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"

	"moxsync/engine"
)

// restCreate is POST /service/details/create: one object or a list of
// {type, ..., validity}; 201 with the new uuid (or the list of them).
func (s *Server) restCreate(w http.ResponseWriter, r *http.Request) {
	s.restWrite(w, r, http.StatusCreated, s.restCreateOne)
}

// restEdit is POST /service/details/edit: {type, uuid, data:{..., validity}};
// 200 with the uuid (or the list of them).
func (s *Server) restEdit(w http.ResponseWriter, r *http.Request) {
	s.restWrite(w, r, http.StatusOK, s.restEditOne)
}

// restWrite applies one write per item of the body, in order, stopping at
// the first error, and answers status with the uuid (a single object in)
// or the list of uuids (a list in).
func (s *Server) restWrite(w http.ResponseWriter, r *http.Request, status int, one func(map[string]any, bool) (string, *moError)) {
	items, single, e := readWriteBody(r)
	if e != nil {
		writeMOError(w, e)
		return
	}
	force := truthy(r.URL.Query().Get("force"))
	ids, e := s.writeAll(items, force, one)
	if e != nil {
		writeMOError(w, e)
		return
	}
	if single {
		writeJSON(w, status, ids[0])
		return
	}
	writeJSON(w, status, ids)
}

// writeAll applies the items in order under the write lock, stopping at the
// first error (the items before it stay written, as in MO).
func (s *Server) writeAll(items []map[string]any, force bool, one func(map[string]any, bool) (string, *moError)) ([]string, *moError) {
	s.rw.Lock()
	defer s.rw.Unlock()
	ids := make([]string, 0, len(items))
	for _, it := range items {
		id, e := one(it, force)
		if e != nil {
			return nil, e
		}
		ids = append(ids, id)
	}
	return ids, nil
}

func readWriteBody(r *http.Request) ([]map[string]any, bool, *moError) {
	b, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, false, errInvalidInput("Invalid input.")
	}
	var one map[string]any
	if err := json.Unmarshal(b, &one); err == nil {
		return []map[string]any{one}, true, nil
	}
	var many []map[string]any
	if err := json.Unmarshal(b, &many); err != nil || len(many) == 0 {
		return nil, false, errInvalidInput("Invalid input.", "request", string(b))
	}
	return many, false, nil
}

// refUUID reads a {"uuid": ...} reference; a bare string is rejected.
func refUUID(obj map[string]any, key string) (string, *moError) {
	v, ok := obj[key]
	if !ok || v == nil {
		return "", nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		return "", errInvalidInput(fmt.Sprintf("Invalid %s, expected dict: %v", key, v), "key", key, "obj", obj)
	}
	id, _ := m["uuid"].(string)
	if id == "" {
		return "", errMissing(key, obj)
	}
	if e := checkUUID(key, id); e != nil {
		return "", e
	}
	return id, nil
}

func optString(obj map[string]any, key string) *string {
	v, ok := obj[key].(string)
	if !ok {
		return nil
	}
	return &v
}

// restValidityIn reads {from, to} with an inclusive `to` at local midnight.
func restValidityIn(obj map[string]any) (engine.Validity, *moError) {
	var v engine.Validity
	vm, _ := obj["validity"].(map[string]any)
	from, _ := vm["from"].(string)
	if from == "" {
		return v, errMissingStart(obj)
	}
	t, err := parseMOTime(from)
	if err != nil {
		return v, errInvalidInput("Invalid date: "+from, "obj", obj)
	}
	if e := midnight(t); e != nil {
		return v, e
	}
	v.From = t
	if to, _ := vm["to"].(string); to != "" {
		t, err := parseMOTime(to)
		if err != nil {
			return v, errInvalidInput("Invalid date: "+to, "obj", obj)
		}
		if e := midnight(t); e != nil {
			return v, e
		}
		if t.Before(v.From) {
			return v, errEndBeforeStart(obj)
		}
		v.To = t.AddDate(0, 0, 1)
	}
	return v, nil
}

type restRefs struct{ person, unit, engagement, itsystem, addressType, visibility string }

func readRefs(obj map[string]any) (restRefs, *moError) {
	var r restRefs
	var e *moError
	for _, f := range []struct {
		key string
		dst *string
	}{{"person", &r.person}, {"org_unit", &r.unit}, {"engagement", &r.engagement}, {"itsystem", &r.itsystem},
		{"address_type", &r.addressType}, {"visibility", &r.visibility}} {
		if *f.dst, e = refUUID(obj, f.key); e != nil {
			return r, e
		}
	}
	return r, nil
}

func (s *Server) restCreateOne(obj map[string]any, force bool) (string, *moError) {
	typ, _ := obj["type"].(string)
	if typ != "it" && typ != "address" {
		return "", errInvalidInput("Invalid type: "+typ, "obj", obj)
	}
	v, e := restValidityIn(obj)
	if e != nil {
		return "", e
	}
	refs, e := readRefs(obj)
	if e != nil {
		return "", e
	}
	id, _ := obj["uuid"].(string)
	if id != "" {
		if e := checkUUID("uuid", id); e != nil {
			return "", e
		}
	}
	if typ == "it" {
		return s.createITUser(itWrite{UUID: id, UserKey: optString(obj, "user_key"), ExternalID: optString(obj, "external_id"),
			ITSystem: refs.itsystem, Person: refs.person, Unit: refs.unit, Engagement: refs.engagement, Validity: v, obj: obj})
	}
	return s.createAddress(addrWrite{UUID: id, Value: optString(obj, "value"), UserKey: optString(obj, "user_key"),
		AddressType: refs.addressType, Visibility: refs.visibility, Person: refs.person, Unit: refs.unit,
		Engagement: refs.engagement, Validity: v, Force: force, obj: obj})
}

func (s *Server) restEditOne(obj map[string]any, force bool) (string, *moError) {
	typ, _ := obj["type"].(string)
	if typ != "it" && typ != "address" && typ != "engagement" {
		return "", errInvalidInput("Invalid type: "+typ, "obj", obj)
	}
	id, _ := obj["uuid"].(string)
	if id == "" {
		return "", errMissing("uuid", obj)
	}
	if e := checkUUID("uuid", id); e != nil {
		return "", e
	}
	data, ok := obj["data"].(map[string]any)
	if !ok {
		return "", errMissing("data", obj)
	}
	v, e := restValidityIn(data)
	if e != nil {
		return "", e
	}
	refs, e := readRefs(data)
	if e != nil {
		return "", e
	}
	if typ == "engagement" {
		jf, e := refUUID(data, "job_function")
		if e != nil {
			return "", e
		}
		w := engWrite{UUID: id, UserKey: optString(data, "user_key"), JobFunction: jf, Person: refs.person, Unit: refs.unit, Validity: v, obj: obj}
		for i := range w.Extensions {
			w.Extensions[i] = optString(data, "extension_"+strconv.Itoa(i+1))
		}
		return id, s.updateEngagement(w)
	}
	if typ == "it" {
		return id, s.updateITUser(itWrite{UUID: id, UserKey: optString(data, "user_key"), ExternalID: optString(data, "external_id"),
			ITSystem: refs.itsystem, Person: refs.person, Unit: refs.unit, Engagement: refs.engagement, Validity: v, obj: obj})
	}
	return id, s.updateAddress(addrWrite{UUID: id, Value: optString(data, "value"), UserKey: optString(data, "user_key"),
		AddressType: refs.addressType, Visibility: refs.visibility, Person: refs.person, Unit: refs.unit,
		Engagement: refs.engagement, Validity: v, Force: force, obj: obj})
}

// restTerminateOne is one item of POST /service/details/terminate:
// {type, uuid, validity: {to}} with `to` the last day (inclusive), for
// addresses and engagements.
func (s *Server) restTerminateOne(obj map[string]any, _ bool) (string, *moError) {
	typ, _ := obj["type"].(string)
	id, _ := obj["uuid"].(string)
	if id == "" {
		return "", errMissing("uuid", obj)
	}
	if e := checkUUID("uuid", id); e != nil {
		return "", e
	}
	vm, _ := obj["validity"].(map[string]any)
	to, _ := vm["to"].(string)
	if to == "" {
		return "", errMissing("to", obj)
	}
	t, err := parseMOTime(to)
	if err != nil {
		return "", errInvalidInput("Invalid date: "+to, "obj", obj)
	}
	if e := midnight(t); e != nil {
		return "", e
	}
	end := t.AddDate(0, 0, 1) // the stored end is half-open
	switch typ {
	case "address":
		return id, s.terminateAddress(id, engine.Validity{To: end}, obj)
	case "engagement":
		return id, s.terminateEngagement(id, end, obj)
	}
	return "", errInvalidInput("Invalid type: "+typ, "obj", obj)
}

// restCreatePerson is POST /service/e/create: {givenname, surname,
// cpr_no?, user_key?, uuid?, org?}; 201 with the new uuid.
func (s *Server) restCreatePerson(obj map[string]any, _ bool) (string, *moError) {
	str := func(k string) string { v, _ := obj[k].(string); return v }
	if org, e := refUUID(obj, "org"); e != nil {
		return "", e
	} else if org != "" && org != s.d.OrgUUID {
		return "", errNotFound("org_uuid", org)
	}
	id := str("uuid")
	if id != "" {
		if e := checkUUID("uuid", id); e != nil {
			return "", e
		}
	}
	return s.createPerson(personWrite{UUID: id, UserKey: str("user_key"), CPR: str("cpr_no"), GivenName: str("givenname"), Surname: str("surname")})
}
