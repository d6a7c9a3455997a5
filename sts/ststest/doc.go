// Package ststest is a fake STSOrgSync / OS2sync middleware for tests and
// the demo. It serves both dialects of sts-api.md §1 from one handler and
// validates like the real middleware:
//
//   - v1_1 under /api/v1_1: POST /orgunit (trailing slash accepted) and
//     /user; DELETE and GET by ?uuid= (classic, dialect A) or /{uuid}
//     (docker, dialect B); GET /orgunit and /user list the active uuids.
//   - os2sync under /api: POST /orgUnit and /user (paths are
//     case-insensitive, query parameters bypassCache/priority ignored),
//     DELETE and GET /orgUnit/{uuid}, GET /orgUnit/all and /user/all (4.x;
//     Options.NoAllLists plays an older OS2sync without them), the
//     asynchronous hierarchy read (GET /hierarchy answers a request uuid as
//     plain text, GET /hierarchy/{id} answers 404 for Options.HierarchyPolls
//     polls, then once {Created, Result: {OUs, Users}, Status} and forgets
//     the entry; Options.HierarchyFailure answers Status 1 and Result null),
//     and the health endpoints / and /manage/health.
//
// POST validates the required fields and answers 400 with the middleware's
// plain-text messages ("name is null", "Person.Name is null or empty", …;
// with Options.ClassicErrors the v1_1 routes answer 400 with an empty body,
// as the classic Windows service does). Otherwise it answers 200 with the
// body echoed back plus a Timestamp. Upsert replaces the whole stored object
// and re-activates a deleted one; DELETE is soft (the object becomes
// inactive) and answers 200 even for an unknown uuid; GET by uuid answers
// 200 with the stored object, or 404 for an unknown or deleted one; the
// v1_1 list GETs stop at Options.ListCap (default 500), like STS's search.
//
// A user with two positions in one unit is accepted by the real middleware
// and fails later, when its queue is processed ("two positions in <ou>"),
// without the client ever learning of it. The fake does the same (the
// object is not stored, and Failures lists it) unless Options.Strict is
// set, in which case it answers 400 at once, and also enforces the length
// limits of sts-api.md §1.9.
//
// SeedUnit and SeedUser preload objects as if another system had written
// them to STS (objects MO does not know, for the clean-up of stale STS
// objects); Seed takes a raw body.
//
// Every request is recorded (method, path, query, headers, body). Fault
// knobs: FailEvery (every Nth request answers 500), FailNext, Latency.
// Options.Queued keeps accepted writes invisible to GET until Flush, which
// processes units first, then users, as the middleware's scheduler does.
//
// A *Server is an http.Handler: use it with httptest.NewServer or
// http.ListenAndServe.
package ststest
