package ststest

import "time"

// Options configure a fake middleware.
type Options struct {
	// CVR, when set, must be sent as header CVR (401 otherwise), as
	// OS2sync 4.x requires when no default is configured.
	CVR string
	// APIKey, when set, must be sent as header apiKey (401 otherwise).
	APIKey string
	// Strict answers 400 for values longer than Limits and for a user with
	// two positions in one unit (the real middleware fails those later).
	Strict bool
	// Limits are the strict-mode length limits. Zero: LimitsClassicMSSQL on
	// the v1_1 routes, LimitsOS2sync on /api.
	Limits Limits
	// ClassicErrors makes the v1_1 routes answer a 400 with an empty body,
	// as the classic Windows STSOrgSync (dialect A) does.
	ClassicErrors bool
	// ListCap caps the v1_1 list reads (default 500, STS's search page);
	// negative means no cap. OS2sync 4.x's …/all lists are not capped
	// (inferred: they feed its cleanup, which needs every uuid).
	ListCap int
	// HierarchyPolls is how many polls of a started hierarchy read
	// (OS2sync: GET /api/hierarchy/{id}) answer 404 before it is ready
	// (default 0: ready at the first poll).
	HierarchyPolls int
	// HierarchyFailure makes every hierarchy read fail in the middleware:
	// the poll answers Status 1 (FAILURE) with Result null.
	HierarchyFailure bool
	// NoAllLists plays an OS2sync before 4.x: there is no GET
	// /api/orgUnit/all or /api/user/all, so "all" is read as a uuid (404).
	NoAllLists bool
	// FailEvery > 0 answers every FailEvery-th request with 500.
	FailEvery int
	// Latency delays every answer.
	Latency time.Duration
	// Queued keeps accepted writes invisible to reads until Flush.
	Queued bool
	// AcceptAll turns the server into mox's own mock: every request gets
	// 200 and "{}", nothing is validated or stored (requests are recorded).
	AcceptAll bool
	// Now is the clock for Timestamps (default time.Now).
	Now func() time.Time
}

// Limits are the lengths the middleware's queue columns hold (sts-api.md
// §1.9), in characters.
type Limits struct {
	Name         int // unit Name
	Address      int // unit and user address values (phone, email, location, ean, post, url)
	OpenHours    int // ContactOpenHours, EmailRemarks, Contact, PostReturn, PhoneOpenHours
	ShortKey     int // any ShortKey
	UserID       int // UserId
	PersonName   int // Person.Name
	CPR          int // Person.Cpr
	PositionName int // position Name
}

// The limit sets of sts-api.md §1.9.
var (
	LimitsClassicMSSQL = Limits{Name: 64, Address: 64, OpenHours: 256, ShortKey: 50, UserID: 64, PersonName: 64, CPR: 11, PositionName: 64}
	LimitsOS2sync      = Limits{Name: 200, Address: 200, OpenHours: 200, ShortKey: 50, UserID: 200, PersonName: 100, CPR: 10, PositionName: 200}
)
