package motest

// schemaSDL is the subset of MO's GraphQL v29 schema the fake serves: same
// type, field and argument names and types (TestSchemaIsSubsetOfMO checks it
// against the real SDL). Defaults of "= null" are left out; they mean the same
// as an omitted argument.
const schemaSDL = `
schema {
  query: Query
  mutation: Mutation
}

scalar CPR
scalar Cursor
scalar Date
scalar DateTime
scalar EventToken
scalar UUID
scalar int

type Query {
  employees(filter: EmployeeFilter, limit: int, cursor: Cursor): EmployeeResponsePaged!
  persons(filter: EmployeeFilter, limit: int, cursor: Cursor): EmployeeResponsePaged!
  org_units(filter: OrganisationUnitFilter, limit: int, cursor: Cursor): OrganisationUnitResponsePaged!
  addresses(filter: AddressFilter, limit: int, cursor: Cursor): AddressResponsePaged!
  itusers(filter: ITUserFilter, limit: int, cursor: Cursor): ITUserResponsePaged!
  engagements(filter: EngagementFilter, limit: int, cursor: Cursor): EngagementResponsePaged!
  managers(filter: ManagerFilter, limit: int, cursor: Cursor, inherit: Boolean! = false): ManagerResponsePaged!
  classes(filter: ClassFilter, limit: int, cursor: Cursor): ClassResponsePaged!
  facets(filter: FacetFilter, limit: int, cursor: Cursor): FacetResponsePaged!
  itsystems(filter: ITSystemFilter, limit: int, cursor: Cursor): ITSystemResponsePaged!
  org: Organisation!
  version: Version!
  event_fetch(filter: EventFilter!): Event
  events(filter: FullEventFilter, limit: int, cursor: Cursor): FullEventPaged!
  event_listeners(filter: ListenerFilter, limit: int, cursor: Cursor): ListenerPaged!
  event_namespaces(filter: NamespaceFilter, limit: int, cursor: Cursor): NamespacePaged!
}

type Mutation {
  address_create(input: AddressCreateInput!): AddressResponse!
  address_update(input: AddressUpdateInput!): AddressResponse!
  ituser_create(input: ITUserCreateInput!): ITUserResponse!
  ituser_update(input: ITUserUpdateInput!): ITUserResponse!
  address_terminate(input: AddressTerminateInput!): AddressResponse!
  engagement_update(input: EngagementUpdateInput!): EngagementResponse!
  engagement_terminate(input: EngagementTerminateInput!): EngagementResponse!
  class_create(input: ClassCreateInput!): ClassResponse!
  employee_create(input: EmployeeCreateInput!): EmployeeResponse!
  event_listener_declare(input: ListenerCreateInput!): Listener!
  event_listener_delete(input: ListenerDeleteInput!): Boolean!
  event_acknowledge(input: EventAcknowledgeInput!): Boolean!
  employee_refresh(filter: EmployeeFilter, limit: int, cursor: Cursor, queue: String, exchange: String, listener: UUID, owner: UUID, priority: Int! = 10000): UUIDPaged!
  org_unit_refresh(filter: OrganisationUnitFilter, limit: int, cursor: Cursor, queue: String, exchange: String, listener: UUID, owner: UUID, priority: Int! = 10000): UUIDPaged!
}

type PageInfo {
  next_cursor: Cursor
}

type Validity {
  from: DateTime!
  to: DateTime
}

type OpenValidity {
  from: DateTime
  to: DateTime
}

type Organisation {
  uuid: UUID!
  user_key: String!
  name: String!
}

type Version {
  mo_version: String
  mo_hash: String
}

type EmployeeResponsePaged {
  objects: [EmployeeResponse!]!
  page_info: PageInfo!
}

type EmployeeResponse {
  uuid: UUID!
  current(at: DateTime): Employee
  objects(start: DateTime, end: DateTime): [Employee!]!
  validities(start: DateTime, end: DateTime): [Employee!]!
}

type Employee {
  uuid: UUID!
  user_key: String!
  cpr_number: CPR
  cpr_no: CPR
  name: String!
  given_name: String!
  givenname: String!
  surname: String!
  nickname: String!
  nickname_given_name: String
  nickname_givenname: String
  nickname_surname: String
  seniority: Date
  validity: OpenValidity!
  engagements(filter: EmployeeBoundEngagementFilter, limit: int, cursor: Cursor): [Engagement!]!
  addresses(filter: EmployeeBoundAddressFilter, limit: int, cursor: Cursor): [Address!]!
  itusers(filter: EmployeeBoundITUserFilter, limit: int, cursor: Cursor): [ITUser!]!
  manager_roles(filter: EmployeeBoundManagerFilter, limit: int, cursor: Cursor, inherit: Boolean! = false): [Manager!]!
  engagements_response(filter: EmployeeBoundEngagementFilter, limit: int, cursor: Cursor): EngagementResponsePaged!
  addresses_response(filter: EmployeeBoundAddressFilter, limit: int, cursor: Cursor): AddressResponsePaged!
  itusers_response(filter: EmployeeBoundITUserFilter, limit: int, cursor: Cursor): ITUserResponsePaged!
}

type OrganisationUnitResponsePaged {
  objects: [OrganisationUnitResponse!]!
  page_info: PageInfo!
}

type OrganisationUnitResponse {
  uuid: UUID!
  current(at: DateTime): OrganisationUnit
  objects(start: DateTime, end: DateTime): [OrganisationUnit!]!
  validities(start: DateTime, end: DateTime): [OrganisationUnit!]!
}

type OrganisationUnit {
  uuid: UUID!
  user_key: String!
  name: String!
  validity: Validity!
  parent_uuid: UUID
  parent: OrganisationUnit
  parent_response: OrganisationUnitResponse
  ancestors: [OrganisationUnit!]!
  children(filter: ParentBoundOrganisationUnitFilter, limit: int, cursor: Cursor): [OrganisationUnit!]!
  child_count(filter: ParentBoundOrganisationUnitFilter): Int!
  has_children(filter: ParentBoundOrganisationUnitFilter): Boolean!
  unit_type: Class
  unit_type_uuid: UUID
  org_unit_level: Class
  org_unit_level_uuid: UUID
  engagements(filter: OrgUnitboundengagementfilter, limit: int, cursor: Cursor): [Engagement!]!
  managers(filter: OrgUnitboundmanagerfilter, limit: int, cursor: Cursor, inherit: Boolean! = false): [Manager!]!
  addresses(filter: OrgUnitboundaddressfilter, limit: int, cursor: Cursor): [Address!]!
  itusers(filter: OrgUnitboundituserfilter, limit: int, cursor: Cursor): [ITUser!]!
}

type AddressResponsePaged {
  objects: [AddressResponse!]!
  page_info: PageInfo!
}

type AddressResponse {
  uuid: UUID!
  current(at: DateTime): Address
  objects(start: DateTime, end: DateTime): [Address!]!
  validities(start: DateTime, end: DateTime): [Address!]!
}

type Address {
  uuid: UUID!
  user_key: String!
  value: String!
  value2: String
  name: String
  href: String
  validity: Validity!
  address_type: Class!
  address_type_uuid: UUID!
  visibility: Class
  visibility_uuid: UUID
  employee_uuid: UUID
  org_unit_uuid: UUID
  engagement_uuid: UUID
  ituser_uuid: UUID
}

type ITUserResponsePaged {
  objects: [ITUserResponse!]!
  page_info: PageInfo!
}

type ITUserResponse {
  uuid: UUID!
  current(at: DateTime): ITUser
  objects(start: DateTime, end: DateTime): [ITUser!]!
  validities(start: DateTime, end: DateTime): [ITUser!]!
}

type ITUser {
  uuid: UUID!
  user_key: String!
  external_id: String
  binding_type: String
  validity: Validity!
  itsystem: ITSystem!
  itsystem_uuid: UUID!
  employee_uuid: UUID
  org_unit_uuid: UUID
  engagement_uuid: UUID
  engagement_uuids: [UUID!]!
  primary_uuid: UUID
}

type EngagementResponsePaged {
  objects: [EngagementResponse!]!
  page_info: PageInfo!
}

type EngagementResponse {
  uuid: UUID!
  current(at: DateTime): Engagement
  objects(start: DateTime, end: DateTime): [Engagement!]!
  validities(start: DateTime, end: DateTime): [Engagement!]!
}

type Engagement {
  uuid: UUID!
  user_key: String!
  validity: Validity!
  fraction: Int
  is_primary: Boolean!
  extension_1: String
  extension_2: String
  extension_3: String
  extension_4: String
  extension_5: String
  extension_6: String
  extension_7: String
  extension_8: String
  extension_9: String
  extension_10: String
  job_function: Class!
  job_function_uuid: UUID!
  engagement_type: Class!
  engagement_type_uuid: UUID!
  primary: Class
  primary_uuid: UUID
  employee_uuid: UUID!
  org_unit_uuid: UUID!
}

type ManagerResponsePaged {
  objects: [ManagerResponse!]!
  page_info: PageInfo!
}

type ManagerResponse {
  uuid: UUID!
  current(at: DateTime): Manager
  objects(start: DateTime, end: DateTime): [Manager!]!
  validities(start: DateTime, end: DateTime): [Manager!]!
}

type Manager {
  uuid: UUID!
  user_key: String!
  validity: Validity!
  employee_uuid: UUID
  org_unit_uuid: UUID!
  manager_type: Class!
  manager_type_uuid: UUID
  manager_level: Class!
  manager_level_uuid: UUID
  responsibilities: [Class!]!
  responsibility_uuids: [UUID!]
}

type ClassResponsePaged {
  objects: [ClassResponse!]!
  page_info: PageInfo!
}

type ClassResponse {
  uuid: UUID!
  current(at: DateTime): Class
  objects(start: DateTime, end: DateTime): [Class!]!
  validities(start: DateTime, end: DateTime): [Class!]!
}

type Class {
  uuid: UUID!
  user_key: String!
  name: String!
  scope: String
  published: String
  example: String
  owner: UUID
  full_name: String!
  facet_uuid: UUID!
  facet: Facet!
  top_level_facet: Facet!
  validity: OpenValidity!
}

type FacetResponsePaged {
  objects: [FacetResponse!]!
  page_info: PageInfo!
}

type FacetResponse {
  uuid: UUID!
  current(at: DateTime): Facet
  objects(start: DateTime, end: DateTime): [Facet!]!
  validities(start: DateTime, end: DateTime): [Facet!]!
}

type Facet {
  uuid: UUID!
  user_key: String!
  published: String
  description: String
  validity: OpenValidity!
}

type ITSystemResponsePaged {
  objects: [ITSystemResponse!]!
  page_info: PageInfo!
}

type ITSystemResponse {
  uuid: UUID!
  current(at: DateTime): ITSystem
  objects(start: DateTime, end: DateTime): [ITSystem!]!
  validities(start: DateTime, end: DateTime): [ITSystem!]!
}

type ITSystem {
  uuid: UUID!
  user_key: String!
  name: String!
  system_type: String
  validity: OpenValidity!
}

input EmployeeFilter {
  uuids: [UUID!]
  user_keys: [String!]
  from_date: DateTime
  to_date: DateTime
  query: String
  cpr_numbers: [CPR!]
}

input OrganisationUnitFilter {
  uuids: [UUID!]
  user_keys: [String!]
  from_date: DateTime
  to_date: DateTime
  query: String
  names: [String!]
  parent: OrganisationUnitFilter
  parents: [UUID!]
  descendant: OrganisationUnitFilter
  ancestor: OrganisationUnitFilter
}

input ParentBoundOrganisationUnitFilter {
  uuids: [UUID!]
  user_keys: [String!]
  from_date: DateTime
  to_date: DateTime
  query: String
  names: [String!]
}

input ClassFilter {
  uuids: [UUID!]
  user_keys: [String!]
  from_date: DateTime
  to_date: DateTime
  name: [String!]
  facet: FacetFilter
  facet_user_keys: [String!]
  scope: [String!]
}

input FacetFilter {
  uuids: [UUID!]
  user_keys: [String!]
  from_date: DateTime
  to_date: DateTime
}

input ITSystemFilter {
  uuids: [UUID!]
  user_keys: [String!]
  from_date: DateTime
  to_date: DateTime
}

input AddressFilter {
  uuids: [UUID!]
  user_keys: [String!]
  from_date: DateTime
  to_date: DateTime
  employee: EmployeeFilter
  employees: [UUID!]
  org_unit: OrganisationUnitFilter
  org_units: [UUID!]
  address_type: ClassFilter
  address_types: [UUID!]
  address_type_user_keys: [String!]
  engagement: EngagementFilter
  visibility: ClassFilter
}

input EmployeeBoundAddressFilter {
  uuids: [UUID!]
  user_keys: [String!]
  from_date: DateTime
  to_date: DateTime
  address_type: ClassFilter
  address_types: [UUID!]
  address_type_user_keys: [String!]
  engagement: EngagementFilter
  visibility: ClassFilter
}

input OrgUnitboundaddressfilter {
  uuids: [UUID!]
  user_keys: [String!]
  from_date: DateTime
  to_date: DateTime
  address_type: ClassFilter
  address_types: [UUID!]
  address_type_user_keys: [String!]
  engagement: EngagementFilter
  visibility: ClassFilter
}

input ITUserFilter {
  uuids: [UUID!]
  user_keys: [String!]
  from_date: DateTime
  to_date: DateTime
  employee: EmployeeFilter
  employees: [UUID!]
  org_unit: OrganisationUnitFilter
  org_units: [UUID!]
  itsystem: ITSystemFilter
  itsystem_uuids: [UUID!]
  engagement: EngagementFilter
  external_ids: [String!]
}

input EmployeeBoundITUserFilter {
  uuids: [UUID!]
  user_keys: [String!]
  from_date: DateTime
  to_date: DateTime
  itsystem: ITSystemFilter
  itsystem_uuids: [UUID!]
  engagement: EngagementFilter
  external_ids: [String!]
}

input OrgUnitboundituserfilter {
  uuids: [UUID!]
  user_keys: [String!]
  from_date: DateTime
  to_date: DateTime
  employee: EmployeeFilter
  itsystem: ITSystemFilter
  itsystem_uuids: [UUID!]
  external_ids: [String!]
}

input EngagementFilter {
  uuids: [UUID!]
  user_keys: [String!]
  from_date: DateTime
  to_date: DateTime
  employee: EmployeeFilter
  employees: [UUID!]
  org_unit: OrganisationUnitFilter
  org_units: [UUID!]
  job_function: ClassFilter
  engagement_type: ClassFilter
}

input EmployeeBoundEngagementFilter {
  uuids: [UUID!]
  user_keys: [String!]
  from_date: DateTime
  to_date: DateTime
  org_unit: OrganisationUnitFilter
  org_units: [UUID!]
  job_function: ClassFilter
  engagement_type: ClassFilter
}

input OrgUnitboundengagementfilter {
  uuids: [UUID!]
  user_keys: [String!]
  from_date: DateTime
  to_date: DateTime
  employee: EmployeeFilter
  employees: [UUID!]
  job_function: ClassFilter
  engagement_type: ClassFilter
}

input ManagerFilter {
  uuids: [UUID!]
  user_keys: [String!]
  from_date: DateTime
  to_date: DateTime
  employee: EmployeeFilter
  employees: [UUID!]
  org_unit: OrganisationUnitFilter
  org_units: [UUID!]
}

input EmployeeBoundManagerFilter {
  uuids: [UUID!]
  user_keys: [String!]
  from_date: DateTime
  to_date: DateTime
  org_unit: OrganisationUnitFilter
  org_units: [UUID!]
}

input OrgUnitboundmanagerfilter {
  uuids: [UUID!]
  user_keys: [String!]
  from_date: DateTime
  to_date: DateTime
  employee: EmployeeFilter
  employees: [UUID!]
}

input RAValidityInput {
  from: DateTime!
  to: DateTime
}

input ITUserCreateInput {
  uuid: UUID
  external_id: String
  binding_type: String
  person: UUID
  org_unit: UUID
  engagement: UUID
  validity: RAValidityInput!
  user_key: String!
  itsystem: UUID!
  note: String
}

input ITUserUpdateInput {
  uuid: UUID!
  external_id: String
  binding_type: String
  person: UUID
  org_unit: UUID
  engagement: UUID
  validity: RAValidityInput!
  user_key: String
  itsystem: UUID
  note: String
}

input AddressCreateInput {
  uuid: UUID
  org_unit: UUID
  person: UUID
  employee: UUID
  engagement: UUID
  visibility: UUID
  validity: RAValidityInput!
  user_key: String
  value: String!
  address_type: UUID!
}

input AddressTerminateInput {
  from: DateTime
  to: DateTime!
  uuid: UUID!
}

input EngagementTerminateInput {
  from: DateTime
  to: DateTime!
  uuid: UUID!
}

input EngagementUpdateInput {
  uuid: UUID!
  user_key: String
  primary: UUID
  validity: RAValidityInput!
  extension_1: String
  extension_2: String
  extension_3: String
  extension_4: String
  extension_5: String
  extension_6: String
  extension_7: String
  extension_8: String
  extension_9: String
  extension_10: String
  person: UUID
  employee: UUID
  org_unit: UUID
  engagement_type: UUID
  job_function: UUID
}

input ValidityInput {
  from: DateTime
  to: DateTime
}

input ClassCreateInput {
  uuid: UUID
  name: String!
  user_key: String!
  facet_uuid: UUID!
  scope: String
  published: String! = "Publiceret"
  validity: ValidityInput!
}

input EmployeeCreateInput {
  uuid: UUID
  user_key: String
  nickname_given_name: String
  nickname_surname: String
  cpr_number: CPR
  given_name: String!
  surname: String!
}

input AddressUpdateInput {
  uuid: UUID!
  org_unit: UUID
  person: UUID
  employee: UUID
  engagement: UUID
  visibility: UUID
  validity: RAValidityInput!
  user_key: String
  value: String
  address_type: UUID
}

type Event {
  subject: String!
  priority: Int!
  token: EventToken!
}

type FullEvent {
  subject: String!
  priority: Int!
  silenced: Boolean!
  listener: Listener!
}

type FullEventPaged {
  objects: [FullEvent!]!
  page_info: PageInfo!
}

type Listener {
  uuid: UUID!
  owner: UUID!
  user_key: String!
  routing_key: String!
  events(filter: ListenersBoundFullEventFilter, limit: int, cursor: Cursor): [FullEvent!]!
  namespace: Namespace!
}

type ListenerPaged {
  objects: [Listener!]!
  page_info: PageInfo!
}

type Namespace {
  name: String!
  owner: UUID!
  public: Boolean!
  listeners(filter: NamespacesBoundListenerFilter, limit: int, cursor: Cursor): [Listener!]!
}

type NamespacePaged {
  objects: [Namespace!]!
  page_info: PageInfo!
}

type UUIDPaged {
  objects: [UUID!]!
  page_info: PageInfo!
}

input EventFilter {
  listener: UUID!
}

input FullEventFilter {
  listeners: ListenerFilter
  subjects: [String!]
  priorities: [Int!]
  silenced: Boolean
}

input ListenersBoundFullEventFilter {
  subjects: [String!]
  priorities: [Int!]
  silenced: Boolean
}

input ListenerFilter {
  uuids: [UUID!]
  user_keys: [String!]
  owners: [UUID!]
  routing_keys: [String!]
  namespaces: NamespaceFilter
}

input NamespacesBoundListenerFilter {
  uuids: [UUID!]
  user_keys: [String!]
  owners: [UUID!]
  routing_keys: [String!]
}

input NamespaceFilter {
  names: [String!]
  owners: [UUID!]
  public: Boolean
}

input ListenerCreateInput {
  namespace: String! = "mo"
  user_key: String!
  routing_key: String!
}

input ListenerDeleteInput {
  uuid: UUID!
  delete_pending_events: Boolean! = false
}

input EventAcknowledgeInput {
  token: EventToken!
}
`
