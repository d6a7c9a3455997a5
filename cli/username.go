package cli

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log/slog"
	"strings"
	"sync"

	"moxsync/ad"
	"moxsync/engine"
	"moxsync/settings"
	"moxsync/wiring"
)

func usernameCommand() command {
	return command{name: "username", summary: "preview the username and common name a new AD account would get", run: runUsername}
}

// usernameOptions are the parsed flags and arguments of `moxsync username`.
type usernameOptions struct {
	given, surname string
	taken          []string
	generatorFile  string
	configFile     string
	employee       string // --employee: the MO person's uuid, names from MO
	json, noAD     bool
}

// wiring.GeneratorSource says where the generator configuration came from.
// takenSummary says which taken names were checked.
type takenSummary struct {
	FromFlag   int    `json:"from_flag"`
	FromAD     *int   `json:"from_ad"` // null when AD was not read
	ADStatus   string `json:"ad_status"`
	MOChecked  bool   `json:"mo_checked"`       // MO was read (--employee)
	MOReserved bool   `json:"mo_reserved_rule"` // disallow_mo_usernames is on
	// FromMO counts the names MO reserves in MOITSystem (the generator's
	// existing_usernames_itsystem); only with --employee.
	FromMO     *int   `json:"from_mo,omitempty"`
	MOITSystem string `json:"mo_itsystem,omitempty"`
}

// usernameReport is the --json output (format_version 1).
type usernameReport struct {
	FormatVersion int                     `json:"format_version"`
	GivenName     string                  `json:"given_name"`
	Surname       string                  `json:"surname"`
	Username      *string                 `json:"username"`
	Pattern       string                  `json:"pattern,omitempty"`
	Parts         []string                `json:"parts,omitempty"`
	Trace         []engine.PatternTrace   `json:"trace"`
	NotTried      []string                `json:"not_tried,omitempty"`
	Error         *string                 `json:"error"`
	Source        *wiring.GeneratorSource `json:"source"`
	Taken         *takenSummary           `json:"taken,omitempty"`
	CommonName    string                  `json:"common_name,omitempty"`
	DN            string                  `json:"dn,omitempty"`
	Employee      *employeeReport         `json:"employee,omitempty"`

	reuse bool // reuse_old_usernames, for the text output
}

func runUsername(ctx context.Context, a *app, args []string) int {
	opts, code, ok := parseUsernameArgs(a, args)
	if !ok {
		return code
	}
	rep := usernameReport{FormatVersion: 1, GivenName: opts.given, Surname: opts.surname, Trace: []engine.PatternTrace{}}
	if opts.employee != "" {
		rep.Employee = &employeeReport{UUID: opts.employee, NameSource: "MO", ADAccounts: []string{}}
	}
	fail := func(msg string) int {
		fmt.Fprintf(a.stderr, "moxsync username: %s\n", msg)
		if opts.json {
			rep.Error = &msg
			writeJSON(a, rep)
		}
		return exitError
	}

	s, err := a.loadSettings(opts.configFile)
	if err != nil {
		// loadSettings has printed every problem already.
		if opts.json {
			msg := "settings: " + err.Error()
			rep.Error = &msg
			writeJSON(a, rep)
		}
		return exitError
	}
	cfg, src, err := wiring.UsernameConfig(opts.generatorFile, s)
	rep.Source = &src
	if err != nil {
		return fail(err.Error())
	}
	rep.reuse = cfg.ReuseOldUsernames
	gen, err := engine.NewUsernameGenerator(cfg)
	if err != nil {
		return fail(fmt.Sprintf("%s: %v", src.Detail, err))
	}

	taken := engine.TakenNames{Usernames: map[string]struct{}{}, CNs: map[string]struct{}{}}
	for _, n := range opts.taken {
		taken.Usernames[strings.ToLower(n)] = struct{}{}
	}
	ts := &takenSummary{FromFlag: len(taken.Usernames), MOReserved: cfg.DisallowMOUsernames}
	rep.Taken = ts
	if opts.employee != "" && !s.MO.Configured() {
		return fail(errMONotConfigured.Error())
	}
	// MO (--employee) and AD are read at the same time.
	readAD := !opts.noAD && s.AD.Configured()
	var (
		emp          moEmployee
		adTaken      engine.TakenNames
		moErr, adErr error
		wg           sync.WaitGroup
	)
	if opts.employee != "" {
		wg.Go(func() {
			emp, moErr = readMOEmployee(ctx, s, a.logger(), opts.employee, cfg.ExistingUsernamesITSystem)
		})
	}
	if readAD {
		wg.Go(func() { adTaken, adErr = readADTakenNames(ctx, s, a.logger()) })
	}
	wg.Wait()
	var moReserved engine.MOReservedNames
	personUUID := ""
	if opts.employee != "" {
		if moErr != nil {
			return fail(moErr.Error())
		}
		personUUID = emp.person.UUID
		opts.given, opts.surname = emp.person.GivenName, emp.person.Surname
		rep.GivenName, rep.Surname = opts.given, opts.surname
		rep.Employee.ADITSystem = s.MO.ADITSystem
		rep.Employee.ADAccounts = append(rep.Employee.ADAccounts, emp.adAccounts...)
		moReserved = emp.reserved
		n := len(moReserved)
		ts.MOChecked, ts.FromMO, ts.MOITSystem = true, &n, cfg.ExistingUsernamesITSystem
	}
	switch {
	case opts.noAD:
		ts.ADStatus = "not read (--no-ad)"
	case !s.AD.Configured():
		ts.ADStatus = "not configured (AD_URL is not set)"
	default:
		if err := adErr; err != nil {
			// A preview without AD would silently miss taken names: refuse.
			return fail(fmt.Sprintf("read taken names from AD (%s): %v\n(use --no-ad to preview without AD)", s.AD.URL, err))
		}
		n := len(adTaken.Usernames)
		ts.FromAD = &n
		ts.ADStatus = fmt.Sprintf("read from %s", s.AD.URL)
		for u := range adTaken.Usernames {
			taken.Usernames[u] = struct{}{}
		}
		taken.CNs = adTaken.CNs
	}

	batch := gen.NewBatch(taken, moReserved)
	res, genErr := batch.Generate(opts.given, opts.surname, personUUID)
	rep.Trace, rep.Parts, rep.Pattern = res.Trace, res.Parts, res.Pattern
	rep.NotTried = cfg.Combinations[len(res.Trace):]
	if genErr == nil {
		rep.Username = &res.Username
	} else {
		msg := genErr.Error()
		rep.Error = &msg
	}
	if cn, err := batch.CommonName(opts.given, opts.surname, ""); err == nil {
		rep.CommonName = cn
		if s.AD.SearchBase != "" {
			rep.DN = engine.UserDN(cn, s.AD.NewUserOU, s.AD.SearchBase)
		}
	}

	if opts.json {
		writeJSON(a, rep)
	} else {
		printUsernameReport(a, rep)
	}
	if genErr != nil {
		return exitError
	}
	return exitOK
}

// parseUsernameArgs parses flags given before, between or after the two
// names. ok is false when the command must stop with code.
func parseUsernameArgs(a *app, args []string) (usernameOptions, int, bool) {
	var opts usernameOptions
	fs := flag.NewFlagSet("username", flag.ContinueOnError)
	fs.SetOutput(a.stderr)
	taken := fs.String("taken", "", "treat the comma-separated `NAMES` as taken in AD (case-insensitive)")
	fs.StringVar(&opts.generatorFile, "generator", "", "read the username generator from `FILE` (JSON, described above)")
	fs.BoolVar(&opts.json, "json", false, "print one JSON object instead of text")
	fs.BoolVar(&opts.noAD, "no-ad", false, "do not read taken names from AD even when AD_URL is set")
	fs.StringVar(&opts.employee, "employee", "", "take the names of the MO person with this `UUID` from MO (no name arguments)")
	config := addConfigFlag(fs)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), usernameHelp)
		fs.PrintDefaults()
		fmt.Fprint(fs.Output(), usernameExamples)
	}
	var positional []string
	rest := args
	for {
		// Everything after "--" is a name, even if it starts with "-".
		before, after, dash := cutArgs(rest, "--")
		if err := fs.Parse(before); err != nil {
			if err == flag.ErrHelp {
				return opts, exitOK, false
			}
			return opts, exitError, false
		}
		if fs.NArg() > 0 {
			positional = append(positional, fs.Arg(0))
			rest = append(fs.Args()[1:], restAfterDash(after, dash)...)
			continue
		}
		if dash {
			positional = append(positional, after...)
		}
		break
	}
	if opts.employee != "" {
		u, err := checkEmployeeUUID(opts.employee)
		if err == nil && len(positional) > 0 {
			err = fmt.Errorf("--employee takes the names from MO: give either --employee UUID or GIVEN_NAMES SURNAME, not both (got %d name argument(s)%s)",
				len(positional), quotedList(positional))
		}
		if err != nil {
			fmt.Fprintf(a.stderr, "moxsync username: %v\n", err)
			fmt.Fprintln(a.stderr, "Run `moxsync username --help` for more.")
			return opts, exitError, false
		}
		opts.employee = u
	} else if len(positional) != 2 {
		fmt.Fprintf(a.stderr, "moxsync username: expected GIVEN_NAMES and SURNAME, got %d argument(s)%s\n", len(positional), quotedList(positional))
		fmt.Fprintln(a.stderr, `Quote names with spaces: moxsync username "Hans Peter" "Bach Klarskov"`)
		fmt.Fprintln(a.stderr, "Run `moxsync username --help` for more.")
		return opts, exitError, false
	}
	if len(positional) == 2 {
		opts.given, opts.surname = positional[0], positional[1]
	}
	opts.configFile = *config
	for _, n := range strings.Split(*taken, ",") {
		if n = strings.TrimSpace(n); n != "" {
			opts.taken = append(opts.taken, n)
		}
	}
	return opts, exitOK, true
}

// cutArgs splits args at the first sep.
func cutArgs(args []string, sep string) (before, after []string, found bool) {
	for i, s := range args {
		if s == sep {
			return args[:i], args[i+1:], true
		}
	}
	return args, nil, false
}

func restAfterDash(after []string, dash bool) []string {
	if !dash {
		return nil
	}
	return append([]string{"--"}, after...)
}

func quotedList(args []string) string {
	if len(args) == 0 {
		return ""
	}
	q := make([]string, len(args))
	for i, s := range args {
		q[i] = fmt.Sprintf("%q", s)
	}
	return ": " + strings.Join(q, " ")
}

// readADTakenNames reads every name in use in AD in one paged search.
func readADTakenNames(ctx context.Context, s *settings.Settings, log *slog.Logger) (engine.TakenNames, error) {
	timeout := s.AD.Timeout
	if timeout <= 0 {
		timeout = ad.DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, 6*timeout)
	defer cancel()
	d, err := wiring.DialAD(ctx, s, log)
	if err != nil {
		return engine.TakenNames{}, err
	}
	defer d.Close()
	return d.TakenNames(ctx)
}

func writeJSON(a *app, v any) {
	enc := json.NewEncoder(a.stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		fmt.Fprintf(a.stderr, "moxsync: write JSON: %v\n", err)
	}
}

// printUsernameReport writes the human-readable answer.
func printUsernameReport(a *app, r usernameReport) {
	w := a.stdout
	who := strings.TrimSpace(r.GivenName + " " + r.Surname)
	if r.Username != nil {
		fmt.Fprintf(w, "Username for %s: %s  (pattern %s)\n\n", who, *r.Username, r.Pattern)
	} else {
		fmt.Fprintf(w, "No username fits %s: every pattern was passed over.\n\n", who)
	}
	if r.Employee != nil {
		fmt.Fprintf(w, "Person:     %s\n", describeEmployee(r.Employee, r.GivenName, r.Surname))
	}
	fmt.Fprintf(w, "Generator:  %s\n", r.Source.Detail)
	fmt.Fprintf(w, "Taken:      %s\n", describeTaken(r.Taken))
	if line := describeMOReserved(r.Taken, r.reuse); line != "" {
		fmt.Fprintf(w, "            %s\n", line)
	}
	fmt.Fprintf(w, "Name parts: %s\n\n", describeParts(r.Parts))

	fmt.Fprintln(w, "Patterns, in order (F first name, 1 2 3 middle names, L surname, X a digit 2-9;")
	fmt.Fprintln(w, "a run of n letters takes the first n letters of that part):")
	width := 7
	for _, p := range r.Trace {
		width = max(width, len(p.Pattern)+2)
	}
	for _, p := range r.NotTried {
		width = max(width, len(p)+2)
	}
	for _, p := range r.Trace {
		switch {
		case p.Skipped != "" && p.Result != "":
			fmt.Fprintf(w, "  %-*s%-12s ✗ %s: %s\n", width, p.Pattern, p.Result, p.Skipped, p.Detail)
		case p.Skipped != "":
			fmt.Fprintf(w, "  %-*s%-12s ✗ %s: %s\n", width, p.Pattern, "-", p.Skipped, p.Detail)
		default:
			for i, c := range p.Candidates {
				label := ""
				if i == 0 {
					label = p.Pattern
				}
				if c.Reason == "" {
					fmt.Fprintf(w, "  %-*s%-12s ✓ chosen\n", width, label, c.Username)
				} else {
					fmt.Fprintf(w, "  %-*s%-12s ✗ %s\n", width, label, c.Username, c.Reason)
				}
			}
		}
	}
	for _, p := range r.NotTried {
		fmt.Fprintf(w, "  %-*s%-12s · not tried (a name was found)\n", width, p, "")
	}
	if r.CommonName != "" {
		fmt.Fprintf(w, "\nCommon name: %s\n", r.CommonName)
		if r.DN != "" {
			fmt.Fprintf(w, "DN:          %s\n", r.DN)
		}
	}
	if r.Username == nil {
		fmt.Fprintf(w, "\n%s\n", noUsernameHint(r.Trace))
	}
}

func describeTaken(t *takenSummary) string {
	if t.FromFlag == 0 && t.FromAD == nil {
		return "nothing checked: no --taken names, and AD " + t.ADStatus
	}
	flagPart := "none given with --taken"
	if t.FromFlag > 0 {
		flagPart = fmt.Sprintf("%d from --taken", t.FromFlag)
	}
	if t.FromAD != nil {
		return fmt.Sprintf("%s; %d names in AD, %s", flagPart, *t.FromAD, t.ADStatus)
	}
	return fmt.Sprintf("%s; AD %s", flagPart, t.ADStatus)
}

func describeParts(parts []string) string {
	if len(parts) == 0 {
		return "-"
	}
	out := make([]string, 0, len(parts))
	for i, p := range parts {
		role := "first"
		switch {
		case i == len(parts)-1:
			role = "surname"
		case i > 0:
			role = fmt.Sprintf("middle %d", i)
		}
		out = append(out, fmt.Sprintf("%s %q", role, p))
	}
	return strings.Join(out, ", ") + " (after char_replacement, lower case, a-z only)"
}

// noUsernameHint says what an operator can do when no pattern fits.
func noUsernameHint(trace []engine.PatternTrace) string {
	short, taken := false, false
	for _, p := range trace {
		switch p.Skipped {
		case engine.SkipTooShort, engine.SkipEmptyPart, engine.SkipMissingMiddle, engine.SkipTooFewParts:
			short = true
		case "":
			taken = true
		}
	}
	switch {
	case short && !taken:
		return "What to do: this name is too short for every pattern. Add shorter patterns at the end of\n" +
			"combinations_to_try (e.g. \"FFLL\", \"FFLLX\"), or give the person a username by hand."
	default:
		return "What to do: every name the patterns gave is in use. Add more patterns ending in X (numbered\n" +
			"2-9) at the end of combinations_to_try, or give the person a username by hand."
	}
}

// usernameHelp and usernameExamples are the --help text around the flags.
const usernameHelp = `Usage: moxsync username [flags] GIVEN_NAMES SURNAME
       moxsync username [flags] --employee UUID

Shows the username (sAMAccountName) a new AD account for this person would
get, and why: every pattern of the username generator in order, the
candidates it gave, and why each one was passed over (missing middle name,
part too short, forbidden, taken in AD). Also shows the account's common name.
Nothing is written anywhere.

GIVEN_NAMES is MO's given name (first and middle names, split on spaces);
SURNAME is MO's surname, never split. Quote names that contain spaces.

With --employee UUID the names are read from MO (OS2MO must be configured)
for the person with that uuid, and so are the names MO reserves: with
disallow_mo_usernames, every user_key in the IT system
existing_usernames_itsystem is passed over, except, with
reuse_old_usernames, those only this person holds. The output names the
person and any AD account they already have in MO (OS2MO_AD_ITSYSTEM).
MO is read in full once (as plan reads it).

The generator comes from --generator FILE, else the USERNAME_GENERATOR
setting, else the built-in example of the seed document; the output says
which. A generator file holds {"username_generator": {...}} or the inner
object: combinations_to_try, char_replacement, forbidden_usernames and the
optional remove_vowels, disallow_mo_usernames, existing_usernames_itsystem,
reuse_old_usernames, objectClass.

Taken names are those given with --taken plus, when AD_URL is set, every
sAMAccountName and userPrincipalName prefix under AD_SEARCH_BASE (one read).

With --json the output is one object (format_version 1): username (null
when none fits), pattern, parts, trace [{pattern, result, skipped, detail,
candidates [{username, reason}]}], not_tried, error (null on success),
source {kind: flag|settings|builtin, detail, path}, taken {from_flag,
from_ad, ad_status, mo_checked, mo_reserved_rule, from_mo, mo_itsystem},
common_name, dn, and with --employee: employee {uuid, name_source: "MO",
ad_itsystem, ad_accounts}.

Flags (they may also follow the names):
`

const usernameExamples = `
Examples:
  moxsync username Jens Hansen
  moxsync username "Hans Åberg" Terp --taken hterp,jhans
  moxsync username --json "Søren Åge" "Ølholm"
  moxsync username --generator generator.json Nick Ja
  moxsync username --employee 8f1c5e2a-3b4d-4e6f-9a0b-1c2d3e4f5a6b

Exit codes:
  0  a username was found
  1  no pattern gives a free username, or bad arguments, settings or
     generator configuration, or AD could not be read; with --employee
     also: MO is not configured, could not be read or has no such person
`
