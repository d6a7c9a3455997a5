package settings

// keyDef is one known settings key: its name, default, whether it is a
// secret, and how its raw value is parsed into Settings.
type keyDef struct {
	name   string
	def    string
	secret bool
	set    func(f *field)
}

// keys is every known key, in the order settings.ini.example documents them.
var keys = []keyDef{
	// From the original mox tool: names, meanings and defaults unchanged.
	{name: "MOX_LOG_LEVEL", def: "10", set: func(f *field) { f.logLevel(&f.s.LogLevel) }},
	{name: "MOX_LOG_FILE", def: "", set: func(f *field) { f.path(&f.s.LogFile) }},
	{name: "OS2MO_SERVICE_URL", def: "http://some-os2mo-url/service", set: func(f *field) { f.serviceURL(&f.s.MO.ServiceURL) }},
	{name: "OS2MO_SAML_TOKEN", secret: true, set: func(f *field) { f.str(&f.s.MO.SAMLToken) }},
	{name: "OS2MO_ORG_UUID", set: func(f *field) { f.uuid(&f.s.MO.OrgUUID) }},
	{name: "OS2MO_CA_BUNDLE", def: "true", set: func(f *field) { f.caBundle(&f.s.MO.CABundle) }},
	{name: "OS2MO_TOP_UNIT_UUID", set: func(f *field) { f.uuid(&f.s.MO.TopUnitUUID) }},
	{name: "STSORGSYNC_API_URL", def: "http://some-stsorgsync-url/api/v1_1", set: func(f *field) { f.url(&f.s.STS.APIURL, "http", "https") }},
	{name: "STSORGSYNC_CA_BUNDLE", def: "true", set: func(f *field) { f.caBundle(&f.s.STS.CABundle) }},
	{name: "STSORGSYNC_MUNICIPALITY", set: func(f *field) { f.cvr(&f.s.STS.Municipality) }},
	{name: "STSORGSYNC_HASH_CACHE", def: "stsorgsync_hash_cache", set: func(f *field) { f.path(&f.s.STS.HashCache) }},
	{name: "STSORGSYNC_PHONE_SCOPE_CLASSES", set: func(f *field) { f.uuidList(&f.s.STS.PhoneScopeClasses) }},
	{name: "STSORGSYNC_EMAIL_SCOPE_CLASSES", set: func(f *field) { f.uuidList(&f.s.STS.EmailScopeClasses) }},
	{name: "STSORGSYNC_TRUNCATE", def: "200", set: func(f *field) { f.int(&f.s.STS.Truncate, 1, 1<<20) }},

	// New in moxsync.
	{name: "OS2MO_API", def: "graphql", set: func(f *field) { f.enum(&f.s.MO.API, "graphql", "rest") }},
	{name: "OS2MO_GRAPHQL_URL", set: func(f *field) { f.url(&f.s.MO.GraphQLURL, "http", "https") }},
	{name: "OS2MO_GRAPHQL_VERSION", def: "29", set: func(f *field) { f.int(&f.s.MO.GraphQLVersion, 1, 1000) }},
	{name: "OS2MO_PAGE_SIZE", def: "500", set: func(f *field) { f.int(&f.s.MO.PageSize, 1, 100000) }},
	{name: "OS2MO_AUTH_SERVER", set: func(f *field) { f.url(&f.s.MO.AuthServer, "http", "https") }},
	{name: "OS2MO_AUTH_REALM", def: "mo", set: func(f *field) { f.str(&f.s.MO.AuthRealm) }},
	{name: "OS2MO_CLIENT_ID", set: func(f *field) { f.str(&f.s.MO.ClientID) }},
	{name: "OS2MO_CLIENT_SECRET", secret: true, set: func(f *field) { f.str(&f.s.MO.ClientSecret) }},
	{name: "OS2MO_TIMEOUT", def: "30s", set: func(f *field) { f.duration(&f.s.MO.Timeout) }},
	{name: "OS2MO_AD_ITSYSTEM", def: "Active Directory", set: func(f *field) { f.str(&f.s.MO.ADITSystem) }},

	{name: "AD_URL", set: func(f *field) { f.url(&f.s.AD.URL, "ldap", "ldaps") }},
	{name: "AD_START_TLS", def: "false", set: func(f *field) { f.bool(&f.s.AD.StartTLS) }},
	{name: "AD_BIND_DN", set: func(f *field) { f.str(&f.s.AD.BindDN) }},
	{name: "AD_BIND_PASSWORD", secret: true, set: func(f *field) { f.str(&f.s.AD.BindPassword) }},
	{name: "AD_SEARCH_BASE", set: func(f *field) { f.dn(&f.s.AD.SearchBase) }},
	{name: "AD_NEW_USER_OU", set: func(f *field) { f.dn(&f.s.AD.NewUserOU) }},
	{name: "AD_CA_BUNDLE", def: "true", set: func(f *field) { f.caBundle(&f.s.AD.CABundle) }},
	{name: "AD_CPR_ATTRIBUTE", def: "employeeID", set: func(f *field) { f.attrName(&f.s.AD.CPRAttribute) }},
	{name: "AD_MATCH_BY", def: "cpr", set: func(f *field) { f.enum(&f.s.AD.MatchBy, "cpr", "objectguid") }},
	{name: "AD_UPN_SUFFIX", set: func(f *field) { f.upnSuffix(&f.s.AD.UPNSuffix) }},
	{name: "AD_UPN_NAMING_CONTEXTS", set: func(f *field) { f.dnList(&f.s.AD.UPNNamingContexts) }},
	{name: "AD_TIMEOUT", def: "10s", set: func(f *field) { f.duration(&f.s.AD.Timeout) }},
	{name: "AD_MAPPING", set: func(f *field) { f.mapping(&f.s.AD.Mapping) }},
	{name: "USERNAME_GENERATOR", set: func(f *field) { f.usernameGenerator(&f.s.AD.UsernameGenerator) }},
	{name: "AD_CREATE_JOB_FUNCTIONS", def: "false", set: func(f *field) { f.bool(&f.s.AD.CreateJobFunctions) }},
	{name: "OS2MO_ADDRESS_VISIBILITY", set: func(f *field) { f.str(&f.s.MO.AddressVisibility) }},
	{name: "AD_CREATE_MO_PEOPLE", def: "false", set: func(f *field) { f.bool(&f.s.AD.CreateMOPeople) }},
	{name: "AD_CREATE_MO_PEOPLE_OUS", set: func(f *field) { f.dnList(&f.s.AD.CreateMOPeopleOUs) }},

	{name: "STSORGSYNC_DIALECT", def: "v1_1", set: func(f *field) { f.enum(&f.s.STS.Dialect, "v1_1", "os2sync") }},
	{name: "STSORGSYNC_DELETE_STYLE", def: "path", set: func(f *field) { f.enum(&f.s.STS.DeleteStyle, "path", "query") }},
	{name: "STSORGSYNC_API_KEY", secret: true, set: func(f *field) { f.str(&f.s.STS.APIKey) }},
	{name: "STSORGSYNC_SYNC_CPR", def: "false", set: func(f *field) { f.bool(&f.s.STS.SyncCPR) }},
	{name: "STSORGSYNC_USERID_FROM_AD", def: "true", set: func(f *field) { f.bool(&f.s.STS.UserIDFromAD) }},
	{name: "STSORGSYNC_CLASSIC_MSSQL", def: "false", set: func(f *field) { f.bool(&f.s.STS.ClassicMSSQL) }},
	{name: "STSORGSYNC_CONCURRENCY", def: "4", set: func(f *field) { f.int(&f.s.STS.Concurrency, 1, 64) }},
	{name: "STSORGSYNC_TIMEOUT", def: "30s", set: func(f *field) { f.duration(&f.s.STS.Timeout) }},
	{name: "STSORGSYNC_CLEAN", def: "both", set: func(f *field) { f.enum(&f.s.STS.Clean, "both", "users", "units", "none") }},

	{name: "SAFETY_MAX_DELETES", def: "50", set: func(f *field) { f.int(&f.s.Safety.MaxDeletes, 0, 1<<30) }},
	{name: "SAFETY_MAX_DELETE_PERCENT", def: "10", set: func(f *field) { f.int(&f.s.Safety.MaxDeletePercent, 0, 100) }},
	{name: "READONLY", def: "false", set: func(f *field) { f.bool(&f.s.ReadOnly) }},
	{name: "AUDIT_LOG", def: "moxsync-audit.jsonl", set: func(f *field) { f.path(&f.s.AuditLog) }},

	{name: "WATCH_STORE", def: "moxsync-watch.db", set: func(f *field) { f.path(&f.s.Watch.Store) }},
	{name: "WATCH_APPLY_AT_ONCE", def: "update", set: func(f *field) { f.opList(&f.s.Watch.ApplyAtOnce) }},
	{name: "WATCH_POLL_INTERVAL", def: "1s", set: func(f *field) { f.duration(&f.s.Watch.PollInterval) }},
	{name: "WATCH_COALESCE", def: "250ms", set: func(f *field) { f.duration(&f.s.Watch.Coalesce) }},
	{name: "WATCH_RECONCILE_AT_START", def: "true", set: func(f *field) { f.bool(&f.s.Watch.ReconcileAtStart) }},
	{name: "WATCH_RECONCILE_INTERVAL", def: "24h", set: func(f *field) { f.durationOrOff(&f.s.Watch.ReconcileInterval) }},
	{name: "WATCH_SAFETY_WINDOW", def: "1h", set: func(f *field) { f.duration(&f.s.Watch.SafetyWindow) }},
	{name: "WATCH_LISTENER_PREFIX", def: "moxsync-", set: func(f *field) { f.listenerPrefix(&f.s.Watch.ListenerPrefix) }},
	{name: "WATCH_HTTP_ADDR", def: "", set: func(f *field) { f.hostPort(&f.s.Watch.HTTPAddr) }},
}

// Keys returns the names of every known key, in documentation order.
func Keys() []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = k.name
	}
	return out
}

// Default returns a key's default value and whether the key is known.
func Default(name string) (string, bool) {
	for _, k := range keys {
		if k.name == name {
			return k.def, true
		}
	}
	return "", false
}

// IsSecret reports whether a key holds a secret.
func IsSecret(name string) bool {
	for _, k := range keys {
		if k.name == name {
			return k.secret
		}
	}
	return false
}
