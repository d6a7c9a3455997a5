package cli

// Exit codes (design §4).
const (
	exitOK      = 0 // done, or nothing to do
	exitError   = 1 // error before any write
	exitPending = 2 // changes pending (only with --detailed-exitcode)
	exitRefused = 3 // refused by a safety rule (threshold, stale plan, read-only)
	exitPartial = 4 // partly applied: some changes failed, see the audit log
)

const exitCodeHelp = `Exit codes:
  0  done, or nothing to do
  1  error before any write
  2  changes pending (plan --detailed-exitcode only)
  3  refused by a safety rule (threshold, stale plan, read-only)
  4  partly applied: some changes failed (see the audit log)
`
