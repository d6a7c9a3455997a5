package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"moxsync/engine"
	"moxsync/logging"
	"moxsync/settings"
)

const checkHelp = `Usage: moxsync check [--config FILE] [--timeout 5s] [--quick]

Prints every effective setting and where it came from (file:line,
environment, default), with secrets masked, then tries each configured
system and prints one line per system:
  MO          asks OS2MO for its organisation (GraphQL or REST) with the
              configured credentials (Keycloak client or SESSION token)
  AD          connects (LDAPS or StartTLS per AD_CA_BUNDLE), binds as
              AD_BIND_DN, reads the rootDSE (paged results must be
              supported), checks that AD_SEARCH_BASE and AD_NEW_USER_OU
              exist, and reads AD's schema: every AD_MAPPING attribute must
              be in it, writable if MO writes it, single-valued if MO takes
              it (without AD configured, moxsync's built-in table of AD user
              attributes is the schema)
  STSOrgSync  sends GET to STSORGSYNC_API_URL; any answer below HTTP 500 counts
A system without an address in the settings is "not configured" and does not
fail the check.

Then, when every configured system answered (and without --quick), it reads
each in full as plan does and prints counts, with progress on stderr and the
time each read took:
  MO          the snapshot: units (under OS2MO_TOP_UNIT_UUID), people,
              engagements, IT users in OS2MO_AD_ITSYSTEM, read warnings
  AD          accounts under AD_SEARCH_BASE, how many are disabled, and the
              user names taken (what new names must avoid)
  STSOrgSync  the local record (STSORGSYNC_HASH_CACHE): units and users
              recorded as sent; STS itself cannot be listed
When the audit log (AUDIT_LOG) holds changes an apply that did not finish
may have written (intents without a result), they are listed, each checked
against its system; the next apply records them. Last, the continuous
mode: the review queue in WATCH_STORE (pending, approved, rejected),
whether a watch process is running and when it last processed an event,
and MO's event listeners (WATCH_LISTENER_PREFIX) with their pending events.
Nothing is written anywhere.

Flags:
`

const checkExitHelp = `
Exit codes:
  0  every configured system answered (and was read in full)
  1  the settings are invalid (also when AD_MAPPING does not fit AD's
     schema), a configured system did not answer, or a full read failed
`

func checkCommand() command {
	return command{name: "check", summary: "show the effective settings and test the connection to each system", run: runCheck}
}

func runCheck(ctx context.Context, a *app, args []string) int {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(a.stderr)
	configPath := addConfigFlag(fs)
	timeout := fs.Duration("timeout", 5*time.Second, "give each system at most `DURATION` to answer")
	quick := fs.Bool("quick", false, "only test the connections; skip the full read of each system")
	readTimeout := fs.Duration("read-timeout", 30*time.Minute, "give the full read at most `DURATION`")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), checkHelp)
		fs.PrintDefaults()
		fmt.Fprint(fs.Output(), checkExitHelp)
	}
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return exitOK
		}
		return exitError
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(a.stderr, "moxsync check: unexpected argument %q\n", fs.Arg(0))
		return exitError
	}
	if *timeout <= 0 || *readTimeout <= 0 {
		fmt.Fprintln(a.stderr, "moxsync check: --timeout and --read-timeout must be positive")
		return exitError
	}
	s, err := a.loadSettings(*configPath)
	if err != nil {
		return exitError
	}
	printSettings(a.stdout, s)
	fmt.Fprintf(a.stdout, "\nSystems (timeout %s each):\n", *timeout)
	results := runProbes(ctx, s, *timeout)
	failed, configured := 0, 0
	for _, r := range results {
		status, detail := "ok", r.detail
		switch {
		case !r.configured:
			status, detail = "not configured", r.hint
		case r.err != nil:
			status, detail = "FAILED", r.err.Error()
			failed++
		}
		if r.configured {
			configured++
		}
		if r.configured && s.LogFile != "" { // on stderr the table below says it already
			a.logger().Info("check", "system", r.system, "status", status, "detail", redact(detail, s), "elapsed", r.elapsed.Round(time.Millisecond))
		}
		fmt.Fprintf(a.stdout, "  %-11s %-15s %s\n", r.system, status, redact(detail, s))
	}
	switch {
	case configured == 0:
		fmt.Fprintln(a.stdout, "\nNo system is configured yet; see settings.ini.example.")
		return exitOK
	case failed == 0 && configured == 1:
		fmt.Fprintln(a.stdout, "\nThe configured system answered.")
	case failed == 0:
		fmt.Fprintf(a.stdout, "\nAll %d configured systems answered.\n", configured)
	default:
		fmt.Fprintf(a.stdout, "\n%d of %d configured %s did not answer.\n", failed, configured, pluralS(configured, "system", "systems"))
		return exitError
	}
	if a.reportSettingsErr(s, mappingSettingsErr(s, results)) {
		return exitError
	}
	checkAuditLog(ctx, a, s)
	checkWatch(ctx, a, s)
	if *quick {
		return exitOK
	}
	return fullReadReport(ctx, a, s, results, *readTimeout)
}

// fullReadReport runs the full read and prints one line per system; it
// returns exitError when any read failed.
func fullReadReport(ctx context.Context, a *app, s *settings.Settings, probed []probeOutcome, timeout time.Duration) int {
	stsAnswer := ""
	for _, r := range probed {
		if r.system == "STSOrgSync" && r.err == nil {
			stsAnswer = r.detail
		}
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	fmt.Fprintln(a.stdout, "\nFull read (--quick skips it):")
	outs := runFullRead(ctx, s, a.logger(), a.stderr, stsAnswer)
	failed := 0
	for _, r := range outs {
		status, detail := "ok", r.summary
		if r.err != nil {
			status, detail = "FAILED", r.err.Error()
			failed++
		}
		detail = redact(detail, s)
		if s.LogFile != "" {
			a.logger().Info("check: full read", "system", r.system, "status", status, "detail", detail, "elapsed", r.elapsed.Round(time.Millisecond))
		}
		fmt.Fprintf(a.stdout, "  %-11s %-15s %s (read in %s)\n", r.system, status, detail, roundDuration(r.elapsed))
	}
	if failed > 0 {
		fmt.Fprintf(a.stdout, "\nThe full read of %d of %d %s failed.\n", failed, len(outs), pluralS(len(outs), "system", "systems"))
		return exitError
	}
	fmt.Fprintln(a.stdout, "\nEvery configured system was read in full.")
	return exitOK
}

// mappingSettingsErr is AD_MAPPING checked against AD's schema: as the AD
// probe read it when AD answered, or against moxsync's built-in table of
// AD user attributes when AD is not configured.
func mappingSettingsErr(s *settings.Settings, results []probeOutcome) error {
	for _, r := range results {
		if r.system == "AD" && r.configured {
			return r.settingsErr
		}
	}
	m, err := engine.ParseMapping(s.AD.Mapping)
	if err != nil {
		return nil // reported when the settings were loaded
	}
	return m.ValidateSchema(engine.BuiltinADSchema())
}

type probeOutcome struct {
	system      string
	configured  bool
	hint        string
	detail      string
	err         error
	settingsErr error // settings the system's answer refutes (*engine.SettingError)
	elapsed     time.Duration
}

// notConfiguredHint says which key makes a system configured.
var notConfiguredHint = map[string]string{
	"MO":         "set OS2MO_SERVICE_URL (or OS2MO_GRAPHQL_URL)",
	"AD":         "set AD_URL",
	"STSOrgSync": "set STSORGSYNC_API_URL",
}

// runProbes runs every configured probe at the same time, each with its own
// timeout, and returns the outcomes in probes() order.
func runProbes(ctx context.Context, s *settings.Settings, timeout time.Duration) []probeOutcome {
	ps := probes()
	out := make([]probeOutcome, len(ps))
	done := make(chan int, len(ps))
	for i, p := range ps {
		out[i] = probeOutcome{system: p.system, configured: p.configured(s), hint: notConfiguredHint[p.system]}
		if !out[i].configured {
			done <- i
			continue
		}
		go func() {
			pctx, cancel := context.WithTimeout(ctx, timeout)
			defer cancel()
			start := time.Now()
			out[i].detail, out[i].err = p.run(pctx, s)
			out[i].elapsed = time.Since(start)
			if se := asMappingMismatch(out[i].err); se != nil {
				// The system answered; the settings do not fit it.
				out[i].settingsErr, out[i].err = se, nil
			}
			if out[i].err == nil {
				out[i].detail += fmt.Sprintf(" (%d ms)", out[i].elapsed.Milliseconds())
			}
			done <- i
		}()
	}
	for range ps {
		<-done
	}
	return out
}

// blankMeans says what a blank value means, where that is not obvious.
var blankMeans = map[string]string{
	"MOX_LOG_FILE":       "(blank: log to stderr)",
	"OS2MO_ORG_UUID":     "(blank: ask OS2MO)",
	"OS2MO_GRAPHQL_URL":  "(blank: derived from OS2MO_SERVICE_URL and OS2MO_GRAPHQL_VERSION)",
	"OS2MO_AUTH_SERVER":  "(blank: no Keycloak)",
	"AD_URL":             "(blank: AD not configured)",
	"AD_UPN_SUFFIX":      "(blank: no userPrincipalName)",
	"AD_MAPPING":         "(blank: the default mapping of seed 004)",
	"USERNAME_GENERATOR": "(blank: the username rules of seed 004)",
}

// printSettings lists every effective setting with its source: "line N" of
// the settings file, "environment" or "default".
func printSettings(w io.Writer, s *settings.Settings) {
	if s.Path != "" {
		fmt.Fprintf(w, "Settings file: %s\n", s.Path)
	} else {
		fmt.Fprintln(w, "Settings file: none found (no --config, no $MOX_MO_CONFIG, no ./settings.ini, none next to moxsync); defaults and environment apply")
	}
	vals := s.Values()
	width := 0
	for _, v := range vals {
		width = max(width, len(v.Key))
	}
	fmt.Fprintf(w, "\n  %-*s  %-11s  %s\n", width, "KEY", "SOURCE", "VALUE")
	for _, v := range vals {
		d := strings.Join(strings.FieldsFunc(v.Display, func(r rune) bool { return r == '\n' }), "; ")
		d = strings.Join(strings.Fields(d), " ")
		if d == "" {
			d = cmpOr(blankMeans[v.Key], "(blank)")
		}
		src := v.Source.String()
		if v.Source.Kind == settings.FromFile {
			src = fmt.Sprintf("line %d", v.Source.Line)
		}
		fmt.Fprintf(w, "  %-*s  %-11s  %s\n", width, v.Key, src, d)
	}
	switch v, ok := s.Lookup("OS2MO_GRAPHQL_URL"); {
	case !s.MO.Configured():
	case s.MO.API == "rest":
		fmt.Fprintf(w, "  (OS2MO REST API in use: %s; OS2MO_API = rest)\n", s.MO.ServiceURL)
	case ok && v.Raw == "":
		fmt.Fprintf(w, "  (OS2MO GraphQL endpoint in use: %s)\n", s.MO.GraphQLURL)
	}
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// redact removes secret values from text meant for output.
// redact removes the settings' secrets from free text (a system's answer,
// an error) by the rule of logging.RedactText: secrets too short to tell
// from ordinary text are left to the by-key masking of printSettings.
func redact(text string, s *settings.Settings) string {
	return logging.RedactText(text, s.Secrets())
}

func pluralS(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
