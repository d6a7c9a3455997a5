// Package sts is the STSOrgSync / OS2sync client of moxsync: it sends units
// and users to STS Organisation through the middleware's REST API and
// implements engine.STSTarget.
//
// Two dialects (sts-api.md §1.1):
//
//   - "v1_1" (the default, a base URL ending in /api/v1_1, as mox used):
//     addresses are objects {Uuid, Value}; POST {base}/orgunit/ and
//     {base}/user; DELETE and GET by uuid as {base}/orgunit/{uuid}, or with
//     DeleteStyle "query" as {base}/orgunit?uuid={uuid} for a classic
//     Windows STSOrgSync.
//   - "os2sync" (OS2sync 2.x–4.x, base URL ending in /api): flat string
//     fields (PhoneNumber, Email, …); POST {base}/orgUnit and {base}/user,
//     DELETE and GET {base}/orgUnit/{uuid}.
//
// Every request carries the CVR header (and apiKey when configured).
// Network errors, 429 and 5xx are retried with exponential backoff; 400 is
// permanent and carries the middleware's own message (engine.KindInvalid);
// 404 on a delete is logged as a warning and counts as done; every other
// failure of a delete is an error (mox swallowed those).
//
// Because STS cannot be read cheaply (list reads stop at about 500 objects,
// single reads are slow), the package keeps a local record of the last
// payload successfully sent per object (State, state.go). The engine diffs
// against that record; Recorder wraps a target so that every 2xx updates it.
// State.Rebuild (--refresh-sts, and a first run without a record) makes the
// record what STS holds: Client.Holdings learns which units and users STS
// has (v1_1: GET orgunit and user, capped at 500, which is warned of;
// OS2sync: the asynchronous hierarchy read plus 4.x's orgUnit/all and
// user/all), and every one of them, with every object MO wants there, is
// read back by uuid. engine.DiffSTS then plans the removal of what MO does
// not want in STS, with its reason.
//
// How plan and apply use it:
//
//	state, warns, err := sts.LoadState(path)          // STSORGSYNC_HASH_CACHE
//	client, err := sts.New(sts.Config{...})
//	desired, w1 := engine.MapSTS(snapshot, opts)
//	if refresh {                                       // --refresh-sts
//		units, users := desired.RefreshUUIDs()
//		_, w, err := state.Rebuild(ctx, client, client, units, users, concurrency)
//		err = state.Save()
//	}
//	changes, w2 := engine.DiffSTS(&desired, state.Record())
//	...                                                // review, approve
//	rec := sts.NewRecorder(client, state)
//	failed := sts.ApplyChanges(ctx, rec, approved, concurrency, onResult)
//	err = rec.Close()                                  // saves the state
//
// (engine.ApplySTSChange(ctx, rec, &change) applies a single change, for an
// apply loop that schedules changes itself.)
//
// The fake middleware for tests and the demo is in sts/ststest.
package sts
