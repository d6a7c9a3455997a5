// Package mo is the OS2MO client of moxsync. It reads a full snapshot of MO
// (units under the top unit, people with their engagements, addresses and
// IT users, unit managers and IT bindings, classes and IT systems) and writes
// IT users and addresses back. *Client implements engine.MOSource and
// engine.MOWriter and returns engine types only; Probe is the cheap
// credentials check of `moxsync check`.
//
// Two backends read the same data into the same engine.Snapshot (asserted
// against mo/motest):
//
//   - GraphQL (the default, Config.API "graphql", version pinned by
//     Config.GraphQLVersion, default 29): paged queries (limit + cursor until
//     next_cursor is null; short and empty pages are normal), every relation
//     nested in the same query. Four streams run at once (organisation,
//     IT systems + classes, units, people) and the next page is requested as
//     soon as the current page's cursor is read, while the page is decoded.
//     Classes and IT systems are referred to by uuid (address_type_uuid,
//     job_function_uuid, ...) and named from the class and IT system lists,
//     which costs MO far less than nested objects; a referenced class or IT
//     system that is no longer current is read by uuid in one more query.
//     A large municipality (40,000 people) is about 90 requests.
//   - REST (Config.API "rest"), the legacy /service API for old MO: paged
//     lists of units and people (start/limit), then bounded concurrent
//     detail calls (Config.Concurrency) with only_primary_uuid=1; classes
//     (/o/{org}/f/ and /f/{facet}/) and IT systems (/o/{org}/it/) are read
//     once and cached. A detail answer naming an unknown class is read again
//     with full nested objects. Sends SESSION (Config.SAMLToken) or, with
//     client credentials, a Bearer token.
//
// # What a snapshot holds
//
//   - Units in force at Config.Now (GraphQL current(at: now); REST
//     at=now), limited to Config.TopUnitUUID and its descendants when set
//     (computed from the parent links; a top unit that is not found is a
//     KindNotFound error, never an empty tree). A root unit has ParentUUID
//     "" (GraphQL before v28 reports the organisation as parent: mapped).
//   - All people that are current or future at Now: GraphQL reads
//     validities from now on and keeps the slice in force at Now, else the
//     earliest future one; REST lists validity=present and future.
//   - Relations (engagements, addresses, IT users of every IT system,
//     managers, unit IT bindings) current AND future: every relation whose
//     validity has not ended at Now. GraphQL: filter {from_date: now,
//     to_date: null} on each nested relation; REST: validity=present plus
//     validity=future on each detail call. Several validity slices of one
//     relation are merged into one record: the slice in force at Now (else
//     the earliest future one), with the end of the last slice that follows
//     it without a gap.
//   - Validities are engine.Validity, half-open [From, To) in UTC. The REST
//     API and GraphQL before v29 show an inclusive end date; the client adds
//     one Copenhagen day. GraphQL v29 and later are exact. external_id is
//     read from GraphQL v29 (and from REST when MO sends it); it is written
//     only over GraphQL v29 and later (ExternalIDMinGraphQLVersion): any
//     other write of it is refused as KindInvalid before it is sent.
//   - CPR numbers are normalised to 10 digits (dashes and spaces dropped).
//     One that is not 10 digits with a real birth date by MO's century
//     rules becomes "" and adds a Warning {Code "invalid_cpr", System "mo",
//     Subject the person's name, Key the uuid} with the CPR masked
//     (DDMMYY-xxxx); the person is kept.
//
// A read that fails anywhere (a page, a detail call) returns an error and no
// snapshot. Errors are *engine.Error, classified once here (KindAuth,
// KindPermission, KindNotFound, KindInvalid, KindConflict, KindUnavailable,
// KindProtocol), naming the operation, the endpoint and, when MO sent them,
// MO's error_key and description (see APIError). An answer that is not
// what MO sends is KindProtocol ("MO protocol error"): a malformed body, a
// date that is not a date, or a field MO always sends missing (or null
// where MO never sends null), named with where it is missing (wire.go).
// Over GraphQL every field a query selects must be there, and null only
// where the v29 schema allows it; over REST the fields of mo-api.md §1.3
// that the reader uses (check_rest.go lists them). Every
// call has Config.Timeout; reads (and GraphQL queries) are retried
// Config.Retries times with exponential backoff on 5xx and network errors;
// writes never are. A refused token (HTTP 401, or GraphQL's "User is not
// authenticated") is renewed once; tokens are also renewed 30 s before
// they expire. Context cancellation stops everything at once.
//
// Writes: GraphQL ituser_create/ituser_update/address_create/address_update;
// REST POST /details/create and /details/edit. Dates are sent as MO wants
// them (local midnight; the end date inclusive where the API shows it so).
// CreateITUser without an IT system uses Config.ADITSystem (user_key or
// name, default "Active Directory").
//
// ITUsers reads one person's current and future IT users (GraphQL: one
// itusers query by the person's uuid; REST: /e/{id}/details/it present and
// future), so Apply can check an MO write-back for staleness
// (engine.MOITUserReader).
//
// Logs go to Config.Logger (default slog.Default()) with system=mo; each
// snapshot logs one info line with its counts, the requests it sent and
// the time it took.
package mo
