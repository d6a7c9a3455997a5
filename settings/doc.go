// Package settings finds, reads and validates moxsync's settings.ini
// (section [settings], the format of the original mox tools) and returns a
// typed *Settings. It also holds the one TLS helper every HTTP and LDAP
// client uses for the *_CA_BUNDLE keys.
//
// Lookup order: --config FILE, the file named by MOX_MO_CONFIG,
// ./settings.ini, settings.ini next to the executable (symlinks resolved).
// An environment variable with a key's exact name overrides the file. With no
// file at all the defaults apply. Every problem is reported at once in a
// *ValidationError; secret values are always masked.
package settings
