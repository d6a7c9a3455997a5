package mo

import (
	"strconv"
	"strings"
)

// operation is one GraphQL document the client sends.
type operation struct {
	name     string
	text     string
	mutation bool
}

// The relations of units and people are read current and future: every
// slice that overlaps [now, ∞). Classes and IT systems are referred to by
// uuid and resolved from the class and IT system lists read once (cheaper
// for MO than nested objects, which it resolves one by one). $limit is
// declared with MO's lower-case scalar "int".
const (
	relFilter = `filter: {from_date: $now, to_date: null}`

	addressFragment = `
fragment address on Address {
  uuid value name engagement_uuid address_type_uuid visibility_uuid
  validity { from to }
}`
)

var (
	opOrg = operation{name: "Org", text: `query Org { org { uuid } }`}

	// opClassesByUUID resolves classes that are not current (so not in the
	// class list) but still referenced, as they are now or were last.
	opClassesByUUID = operation{name: "ClassesByUUID", text: `
query ClassesByUUID($limit: int, $cursor: Cursor, $uuids: [UUID!]) {
  classes(limit: $limit, cursor: $cursor, filter: {uuids: $uuids, from_date: null, to_date: null}) {
    page_info { next_cursor }
    objects { uuid validities { uuid user_key name scope facet { user_key } validity { from to } } }
  }
}`}

	// opITSystemsByUUID does the same for IT systems.
	opITSystemsByUUID = operation{name: "ITSystemsByUUID", text: `
query ITSystemsByUUID($limit: int, $cursor: Cursor, $uuids: [UUID!]) {
  itsystems(limit: $limit, cursor: $cursor, filter: {uuids: $uuids, from_date: null, to_date: null}) {
    page_info { next_cursor }
    objects { uuid validities { uuid user_key name validity { from to } } }
  }
}`}

	opProbe = operation{name: "Probe", text: `query Probe { org { uuid } }`}

	opITSystems = operation{name: "ITSystems", text: `
query ITSystems($limit: int, $cursor: Cursor, $now: DateTime) {
  itsystems(limit: $limit, cursor: $cursor, filter: {from_date: $now}) {
    page_info { next_cursor }
    objects { uuid current(at: $now) { uuid user_key name } }
  }
}`}

	opClasses = operation{name: "Classes", text: `
query Classes($limit: int, $cursor: Cursor, $now: DateTime) {
  classes(limit: $limit, cursor: $cursor, filter: {from_date: $now}) {
    page_info { next_cursor }
    objects { uuid current(at: $now) { uuid user_key name scope facet { user_key } } }
  }
}`}

	opUnits = operation{name: "Units", text: `
query Units($limit: int, $cursor: Cursor, $now: DateTime) {
  org_units(limit: $limit, cursor: $cursor, filter: {from_date: $now}) {
    page_info { next_cursor }
    objects {
      uuid
      current(at: $now) {
        uuid user_key name parent_uuid unit_type_uuid org_unit_level_uuid
        validity { from to }
        addresses(` + relFilter + `) { ...address }
        managers(` + relFilter + `) {
          uuid employee_uuid manager_type_uuid manager_level_uuid
          validity { from to }
        }
        itusers(` + relFilter + `) { uuid itsystem_uuid validity { from to } }
      }
    }
  }
}` + addressFragment}
)

// peopleQuery reads employees with their relations, all current and future
// validity slices of each employee (the one in force at $now is used, else
// the earliest future one). external_id exists from GraphQL v29.
func peopleQuery(version int, extensions ...int) operation {
	ext := ""
	if version >= 29 {
		ext = " external_id"
	}
	engExt := ""
	for _, n := range extensions {
		engExt += " extension_" + strconv.Itoa(n)
	}
	text := `
query People($limit: int, $cursor: Cursor, $now: DateTime) {
  employees(limit: $limit, cursor: $cursor, ` + relFilter + `) {
    page_info { next_cursor }
    objects {
      uuid
      validities(start: $now, end: null) {
        uuid user_key cpr_number given_name surname nickname_given_name nickname_surname
        validity { from to }
        engagements(` + relFilter + `) {
          uuid user_key org_unit_uuid is_primary job_function_uuid engagement_type_uuid` + engExt + `
          validity { from to }
        }
        addresses(` + relFilter + `) { ...address }
        itusers(` + relFilter + `) {
          uuid user_key` + ext + ` itsystem_uuid
          validity { from to }
        }
      }
    }
  }
}` + addressFragment
	return operation{name: "People", text: text}
}

// The write-back mutations (mo-api.md §2.5).
var (
	opITUserCreate  = operation{name: "ITUserCreate", mutation: true, text: `mutation ITUserCreate($input: ITUserCreateInput!) { ituser_create(input: $input) { uuid } }`}
	opITUserUpdate  = operation{name: "ITUserUpdate", mutation: true, text: `mutation ITUserUpdate($input: ITUserUpdateInput!) { ituser_update(input: $input) { uuid } }`}
	opAddressCreate = operation{name: "AddressCreate", mutation: true, text: `mutation AddressCreate($input: AddressCreateInput!) { address_create(input: $input) { uuid } }`}
	opAddressUpdate = operation{name: "AddressUpdate", mutation: true, text: `mutation AddressUpdate($input: AddressUpdateInput!) { address_update(input: $input) { uuid } }`}
)

// allOperations is every document the client can send, for the schema
// validation test.
func allOperations() []operation {
	ops := []operation{opOrg, opProbe, opITSystems, opClasses, opUnits, opClassesByUUID, opITSystemsByUUID,
		opITUserCreate, opITUserUpdate, opAddressCreate, opAddressUpdate}
	ops = append(ops, fieldOperations()...)
	for _, v := range []int{22, 29} {
		ops = append(ops, peopleQuery(v))
	}
	for i := range ops {
		ops[i].text = strings.TrimSpace(ops[i].text)
	}
	return ops
}
