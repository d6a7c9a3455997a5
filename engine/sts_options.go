package engine

import "time"

// STS dialects, as the sts adapter names them.
const (
	STSDialectV11     = "v1_1"    // classic STSOrgSync / "docker v1_1": object addresses
	STSDialectOS2sync = "os2sync" // OS2sync 2.x–4.x: flat string fields
)

// STSMapOptions shapes the MO → STS mapping (MapSTS).
type STSMapOptions struct {
	// TopUnitUUID is the root of the exported subtree. Empty means
	// Snapshot.TopUnit.
	TopUnitUUID string
	// PhoneScopeClasses and EmailScopeClasses are MO address-type class
	// uuids in priority order (STSORGSYNC_PHONE_SCOPE_CLASSES and
	// STSORGSYNC_EMAIL_SCOPE_CLASSES). They steer a person's Phone and
	// Email; see pickPersonAddress for the exact rule.
	PhoneScopeClasses []string
	EmailScopeClasses []string
	// SyncCPR sends Person.Cpr (10 digits). Off by default, as in mox.
	SyncCPR bool
	// UserIDFromAD makes UserId the user_key (sAMAccountName) of the
	// person's account in ADITSystem when there is exactly one; otherwise,
	// and when false, UserId is the MO person uuid.
	UserIDFromAD bool
	// ADITSystem names the MO IT system that holds AD accounts, matched
	// case-insensitively against the IT system's name, user_key or uuid.
	// Empty means "Active Directory".
	ADITSystem string
	// Dialect is STSDialectV11 (default) or STSDialectOS2sync. It decides
	// which fields exist (Url and ManagerUuid only in os2sync; address,
	// position and person uuids only in v1_1) and, with ClassicMSSQL and
	// TruncateLength, the length limits.
	Dialect string
	// ClassicMSSQL says the target is a classic STSOrgSync on MSSQL, whose
	// queue columns hold 64 characters (sts-api.md §1.9).
	ClassicMSSQL bool
	// TruncateLength is STSORGSYNC_TRUNCATE as mox used it: the length of
	// names, UserId and address values. 0 means 200. It is raised to 36
	// (so a uuid always fits) and capped at 200, STS's own limit.
	TruncateLength int
	// Clean limits which kinds of STS objects that MO does not want there
	// are deleted (STSORGSYNC_CLEAN): STSCleanBoth (also ""), STSCleanUsers,
	// STSCleanUnits or STSCleanNone, for municipalities where other systems
	// also write to STS Organisation.
	Clean string
	// Now is the moment engagements and addresses must be active at.
	// Zero means Snapshot.ReadAt; when both are zero nothing is filtered
	// by date.
	Now time.Time
}

// STSLimits are the maximum lengths (in characters) MapSTS truncates to.
type STSLimits struct {
	Name         int // unit Name
	UserID       int // UserId
	Address      int // every address value
	PositionName int // position Name (job title)
	PersonName   int // Person.Name
	ShortKey     int // any ShortKey
}

// Limits returns the length limits the options imply:
//
//	classic MSSQL: 64 for everything, ShortKey 50 (sts-api.md §1.9);
//	otherwise:     names, UserId, address values and position names
//	               TruncateLength (default 200, at least 36, at most 200),
//	               Person.Name min(100, that), ShortKey min(50, that).
func (o STSMapOptions) Limits() STSLimits {
	general := o.TruncateLength
	if general <= 0 {
		general = 200
	}
	general = min(max(general, 36), 200)
	if o.ClassicMSSQL {
		general = min(general, 64)
	}
	return STSLimits{
		Name:         general,
		UserID:       general,
		Address:      general,
		PositionName: general,
		PersonName:   min(general, 100),
		ShortKey:     min(general, 50),
	}
}

func (o STSMapOptions) dialect() string {
	if o.Dialect == STSDialectOS2sync {
		return STSDialectOS2sync
	}
	return STSDialectV11
}

func (o STSMapOptions) adSystem() string {
	if o.ADITSystem == "" {
		return "Active Directory"
	}
	return o.ADITSystem
}
