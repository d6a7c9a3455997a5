package engine

// DefaultMappingText is the default AD_MAPPING: the table of seed 004.
// It is what an empty AD_MAPPING setting means.
const DefaultMappingText = `# MO → AD
givenName       = mo given_name
sn              = mo surname
employeeID      = mo cpr
title           = mo engagement.job_function
mail            = mo address.EMAIL
telephoneNumber = mo address.PHONE
streetAddress   = mo address.DAR.street
l               = mo address.DAR.city
postalCode      = mo address.DAR.postal_code
postalAddress   = mo address.DAR
countryCode     = mo engagement.user_key
# AD → MO (the IT user in the AD IT system)
objectGUID      = ad ituser.external_id
sAMAccountName  = ad ituser.user_key
`

// MappingHelp documents the AD_MAPPING format. The settings package and the
// README show it as is.
const MappingHelp = `AD_MAPPING: which AD attribute is synchronised with which MO field, and in
which direction.

One rule per entry; entries are separated by newlines, ";" or ",". Text
after "#" is a comment.

    <AD attribute> = <direction> <source>
    <AD attribute> = off
    * = off

The rules apply on top of the default mapping (seed 004, below): a rule for
an attribute replaces the default's rule for that attribute, "<attr> = off"
removes it, and a new attribute is added. A first rule "* = off" starts
from nothing instead of the default. An empty AD_MAPPING is the default.

Directions
  mo    MO → AD. MO's value is written to AD when they differ. An empty MO
        value (no address, no engagement) leaves the AD attribute untouched.
  mo!   MO → AD, and an empty MO value clears the AD attribute.
  ad    AD → MO. AD is the authority: the AD value is written to MO (onto
        the person's IT user in the AD IT system, OS2MO_AD_ITSYSTEM, the
        primary engagement, or an address; see "Sources for ad"). The plan
        shows each MO change before → after with the AD attribute it comes
        from; apply re-reads the MO object first (stale if it changed).
  off   Not synchronised (removes the default's rule for the attribute).

Sources for "mo"
  given_name, surname, name       the person's names (name = "given surname")
  nickname                        nickname given name + surname, else name
  cpr                             CPR number, 10 digits (compared digits only)
  user_key, uuid                  the person's user_key / uuid
  engagement.job_function         of the primary engagement (see below)
  engagement.user_key             "
  engagement.type                 "
  engagement.extension_1 .. _10   the primary engagement's extension fields
                                  (MO reads only those the mapping uses)
  engagement.unit                 name of the primary engagement's unit
  engagement.unit_user_key        user_key of that unit
  address.<T>                     the person's address of scope or address
                                  type user_key <T> (EMAIL, PHONE, DAR,
                                  EmailEmployee, ...); the text as MO shows it
  address.<T>.street              a Danish address "Street 12, 8000 City"
  address.<T>.postal_code         split at the last ", NNNN ": street before,
  address.<T>.city                4-digit postal code, city after. A value
                                  that does not split is a warning and the
                                  attribute is left unchanged.
  unit_address.<T>[.part]         the same, from the primary engagement's unit
  engagement.end_date             when the person's current and future
                                  engagements end. A large-integer attribute
                                  (accountExpires) gets the FILETIME of the
                                  day after the last day, so the account
                                  stops at the end of it without a disable
                                  run, and 0 (never) while an engagement is
                                  open-ended; a text attribute the last day
                                  as YYYY-MM-DD
  common_name                     only for "cn": the CN as for new accounts
                                  (given names + surname, at most 60
                                  characters, _2.._999 on collision); with it,
                                  accounts are renamed when the name changes

Sources for "ad" (the MO field AD's value is written to)
  ituser.user_key                 the IT user's user_key (required when any
                                  "ad ituser." rule exists; typically
                                  sAMAccountName)
  ituser.external_id              the IT user's external_id (typically
                                  objectGUID)
  engagement.job_function         the primary engagement's job function: the
                                  class of MO's engagement_job_function facet
                                  whose name equals AD's value (compared
                                  without case and extra spaces). A title MO
                                  has no class of is a warning naming the
                                  person and the title, and nothing is
                                  written; AD_CREATE_JOB_FUNCTIONS = true
                                  creates the class first. An empty AD value
                                  leaves MO alone.
  engagement.user_key             the primary engagement's user_key
  engagement.extension_1 .. _10   the primary engagement's extension fields
  engagement.end_date             when the person's engagements end, from a
                                  FILETIME (accountExpires): the day before
                                  the instant the account expires, in MO's
                                  days; 0 or never is open-ended. The
                                  current and future engagements that end
                                  later are ended then (MO's
                                  engagement_terminate); when all end
                                  earlier, the last-ending one is extended.
  address.<T>                     the person's address of type user_key or
                                  scope <T> (a scope must have one employee
                                  address type): created (visibility
                                  OS2MO_ADDRESS_VISIBILITY, blank = MO's
                                  default), updated, or terminated when AD's
                                  value is emptied. Phone numbers lose their
                                  spaces and dashes; a value MO would reject
                                  for the type is a warning. Secret addresses
                                  are never touched, and none is created
                                  beside one. Not DAR addresses or parts.
  A new account starts with MO's value of the fields AD owns.
  MO is written by GraphQL mutations, or over REST by /details/edit,
  /details/terminate and /e/create (a class is created only by GraphQL).

Rules
  - Each AD attribute appears once; each MO field at most once among the
    "ad" rules (two "ad" rules onto one MO field, e.g. title and
    description both onto engagement.job_function, are an invalid setting
    naming both rules).
  - A value AD owns is never also written MO → AD: when AD owns a field
    that another attribute takes from MO, that attribute gets the value MO
    will hold after the write, so one run converges and the next plans
    nothing (no write loop).
  - objectGUID, sAMAccountName, userPrincipalName, userAccountControl,
    distinguishedName and objectSid cannot be written MO → AD
    (sAMAccountName and userPrincipalName are set on create from the
    username generator and AD_UPN_SUFFIX).
  - Addresses with visibility SECRET are never written to AD.
  - Values are compared after normalising: surrounding and repeated
    whitespace, multi-value order, digits only for cpr, numeric value for
    integer attributes, and letter case for mail, employeeID, cn,
    sAMAccountName and userPrincipalName (AD compares those
    case-insensitively; names and titles compare case-sensitively so a
    corrected case in MO reaches AD).
  - Every attribute must be in AD's schema, which check and plan read from
    the domain controller once per run (with AD not configured, moxsync's
    built-in table of AD user attributes stands in for it). An "mo"
    attribute must be writable (not system-only, constructed or a back
    link) and hold text or an integer; an "ad" attribute must be
    single-valued. A rule that does not fit is an invalid setting (exit 1).
  - A value AD's attribute syntax would reject (a non-integer countryCode,
    a title longer than the schema's rangeUpper, 128 characters, ...) is
    reported as a warning at plan time and that attribute is left
    unchanged.

Primary engagement
  Among the person's current engagements (or, when there are none, the
  future ones): the one marked is_primary; when none or several are marked,
  the earliest-starting of those candidates, ties broken by uuid.

People created from AD
  With AD_CREATE_MO_PEOPLE = true, an account under AD_CREATE_MO_PEOPLE_OUS
  that no MO person matches becomes an MO person (givenName, sn, CPR) with
  its AD IT user: a "+ create MO" change that is applied only when approved
  by its id (the TUI, apply --only ID, watch's review queue), never by
  apply --auto-approve or at once by watch.
  Accounts without a valid CPR are warnings.

Example (AD owns the title, e-mail and phone; accounts stop with the
engagement)
    title           = ad engagement.job_function
    mail            = ad address.EMAIL
    telephoneNumber = ad address.PHONE
    accountExpires  = mo engagement.end_date

Example (the default)
` + DefaultMappingText
