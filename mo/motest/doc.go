// Package motest is a fake OS2MO for tests and demos: a deterministic
// generator of realistic municipal data (Generate), the engine snapshot a
// correct client must read from it (Dataset.Snapshot), and an HTTP server
// (NewServer) that serves the data the way real MO does — GraphQL at
// /graphql/vN, the legacy REST API at /service, GET /version/ and a
// Keycloak-style token endpoint — field for field as ../shared/spec/mo-api.md
// describes, errors included.
//
// # Data
//
// Generate(size, seed) builds an organisation ("Hjørring Kommune") with an
// administrative top unit (Dataset.TopUnitUUID), the four areas of OS2MO's
// fixture generator with their departments, schools (with "Teknisk Support",
// "Administration" and "Teknisk support for <OS>" sub-units) and
// kindergartens; one ended unit under the top unit; and a second root
// ("Eksterne samarbejdspartnere" with "Vikarbureau Nord") outside the top
// unit's subtree. People have Danish names (several given names, hyphenated
// and double surnames, æøå, é/ü and foreign names) and unique CPR numbers
// valid by the century rules of mo-api.md §5; a few have no CPR. About 1 % have
// no engagement, 3 % only ended ones, 3 % only a future one; others have a
// current primary engagement, some a second, an old or a future one.
// Addresses: EMAIL, PHONE (work and mobile), DAR home addresses (SECRET)
// and TEXT for people; DAR, EMAIL, PHONE, EAN, PNUMBER, TEXT and WWW for
// units; some ended. IT users: "Active Directory" accounts (user_key a
// sAMAccountName-like name, external_id a GUID) for most people, some ended,
// "Opus" accounts bound to engagements, and "Plone" accounts of units.
// Every current unit has a manager position, 12 % vacant, plus a few ended
// and future ones. All dates are local midnight in Europe/Copenhagen,
// relative to Dataset.Today (ReferenceToday, so that Generate is
// deterministic; Rebase moves the data to another day).
//
// The Dataset is plain exported data: tests may change it (for example
// append a person with an invalid CPR) before NewServer, or call
// Server.Reload after.
//
// # Snapshot rules
//
// Dataset.Snapshot(now, topUnit) is what a client reading at instant now
// must return. Rules:
//
//   - Units: every unit active at now (From ≤ now < To) that is topUnit or
//     lies under it. ParentUUID is "" for a root unit (GraphQL before v28
//     reports the organisation's uuid as a root's parent_uuid: map it to "").
//     UnitType and UnitLevel are class names.
//   - Unit relations (addresses, managers, IT systems of the unit's IT
//     users, deduplicated) and person relations (engagements, addresses, IT
//     users) are those current OR future at now: To is open or now < To.
//     Ended ones are left out. Engagements in units outside the subtree are
//     kept (the person is whole).
//   - People: ALL people in MO, with or without engagements.
//   - CPR: 10 digits; "" when MO has none. A CPR that is not 10 digits with a
//     real birth date by the century rules (ValidCPR) becomes "" and adds
//     InvalidCPRWarning(uuid, name, cpr) to Warnings.
//   - Engagement.IsPrimary: the engagement's primary class has user_key
//     "primary" (GraphQL is_primary; REST calculate_primary=1).
//   - Address: Value is MO's value (the DAR uuid for DAR), Name the
//     human-readable text (the DAR text; "Ukendt" for an unknown DAR uuid;
//     else the value), Scope the address type's scope, Visibility the
//     visibility class's scope (PUBLIC, INTERNAL, SECRET) or "".
//   - ITUser: ITSystemUserKey and ITSystemName from the IT system.
//   - Classes: every class of every facet, FacetUserKey set. ITSystems: all.
//   - Validity: [From, To) instants in UTC (time.Time.UTC()), zero To when
//     open. GraphQL v29 gives exact [from, to); before v29 and on REST `to`
//     is the last day included, so To = that date + 1 day at local midnight.
//   - ReadAt = now.UTC(), OrgUUID = the organisation, TopUnit = topUnit.
//   - Normalize() has been called.
//
// # Server
//
// NewServer(d, Options) serves d; (*Server).Start starts it on loopback via
// httptest, ListenAndServe on a port, Handler returns the http.Handler.
//
// GraphQL (POST /graphql/vN, N = 20..30; GET /graphql/vN/schema.graphql)
// serves a subset of MO's v29 schema (schemaSDL; TestSchemaIsSubsetOfMO
// checks it against the real SDL): employees/persons, org_units, addresses,
// itusers, engagements, managers, classes, facets, itsystems with filter,
// limit (the lower-case int scalar) and cursor; XResponse current/validities;
// relations nested (employee engagements/addresses/itusers/manager_roles,
// org unit addresses/itusers/managers(inherit)/engagements/children/
// parent/ancestors); mutations ituser_create/update, address_create/update.
// Paging is keyset by uuid with an opaque cursor ("a1b2c3:" + base64 of
// {"last": uuid}); Options.PageCap makes pages shorter than limit; stop on a
// null next_cursor. Date filters follow MO: an omitted from_date is now, an
// omitted to_date is from_date + 1 ms, null is infinity, also on nested
// relations (to read current and future relations pass
// filter: {from_date: <now>, to_date: null}). Nested filters inside a filter
// (employee:, itsystem:, ...) match attributes only. The fake keeps one
// validity slice per object: an edit replaces the object's values and its
// validity becomes the edit's [from, to); no history is kept.
//
// Authenticated queries run on a fast executor (gqlparser + hand-written
// field resolution, see gql_fast.go); mutations, unauthenticated requests
// and invalid documents run on graph-gophers/graphql-go; a test checks that
// both give the same JSON.
//
// REST (/service) follows mo-api.md §1: /o/, /o/{org}/, /o/{org}/ou/ and
// /o/{org}/e/ (start/limit paging, {total, offset, items} by uuid, limit 0 =
// all, query, root), /o/{org}/it/, /o/{org}/f/, /f/{facet}/,
// /o/{org}/children, /ou/{id}/children, /ou/{id}/ (recursive parent),
// /e/{id}/, /{e|ou}/{id}/details/ (booleans) and
// /{e|ou}/{id}/details/{address,it,engagement,manager} with at, validity
// (present|past|future|A/B), only_primary_uuid, calculate_primary and
// inherit_manager. Dates are YYYY-MM-DD with inclusive ends. A path with the
// wrong trailing slash is 404 E_NO_SUCH_ENDPOINT. IT users also carry
// external_id. POST /details/create (201) and /details/edit (200) take one
// object or a list of type "it" or "address".
//
// Auth (Options.RequireAuth): a SESSION header from Options.SessionTokens,
// or Authorization: Bearer with a token from Options.Tokens or one the token
// endpoint issued and that has not expired. REST: missing → 401
// "Not authenticated"; bad → 401 {"status":"Unauthorized","msg":...}.
// GraphQL: HTTP 200 {"data":null,"errors":[{"message":"User is not
// authenticated",...}]}. The token endpoint (POST
// /auth/realms/{realm}/protocol/openid-connect/token, client_credentials,
// form or Basic client auth) issues JWT-shaped tokens with a random
// signature that the server remembers for Options.TokenTTL (default 300 s).
//
// Knobs: Options.Latency, FailEvery (every Nth request → 500), DieAfter (the
// connection drops without a response), PageCap; Requests/TotalRequests
// count requests per endpoint; Reset zeroes them.
package motest
