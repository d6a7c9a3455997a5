package wiring

import (
	"fmt"
	"os"
	"os/user"

	"moxsync/engine"
)

// ApplyOptions returns the engine options of an apply in e — its ports,
// concurrency, thresholds, read-only mode, operator and host — with the
// audit log (AUDIT_LOG) opened for appending when audit is true and e is
// not read-only. Call closeAudit when the apply is done. apply, the demo
// and the TUI use it; set Only, Limit, AllowDeletes and Progress on the
// result.
func (e *Env) ApplyOptions(audit bool) (o engine.ApplyOptions, closeAudit func() error, err error) {
	o = engine.ApplyOptions{
		Directory: e.Dir, MO: e.MOWriter, STS: e.STS, Concurrency: e.Concurrency,
		ReadOnly: e.ReadOnly, Thresholds: e.Thresholds, Now: e.Now,
		Usernames: e.PlanOptions.Usernames,
	}
	o.Operator, o.Host = Operator()
	closeAudit = func() error { return nil }
	if audit && !e.ReadOnly && e.AuditPath != "" {
		af, err := os.OpenFile(e.AuditPath, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
		if err != nil {
			return o, closeAudit, fmt.Errorf("audit log: %w", err)
		}
		o.Audit = engine.NewAuditWriter(af)
		closeAudit = af.Close
	}
	return o, closeAudit, nil
}

// Operator names who runs moxsync, for the audit log.
func Operator() (name, host string) {
	if u, err := user.Current(); err == nil {
		name = u.Username
	}
	host, _ = os.Hostname()
	return name, host
}
