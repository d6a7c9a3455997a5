// Package enginetest holds in-memory implementations of the engine's ports
// (Directory, MOSource + MOWriter, STSTarget, AuditSink) for tests and the
// demo, in the style of net/http/httptest: they behave like the real
// systems as far as the engine can tell — uniqueness rules, stale-write
// detection, not-found and validation errors classified with engine kinds
// — and count what they were asked to do.
package enginetest
