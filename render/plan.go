package render

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"moxsync/engine"
)

// Options tune the plan text.
type Options struct {
	// NoWarnings leaves the warnings section out.
	NoWarnings bool
	// Trace shows every username pattern tried for a create, not only the
	// chosen one and the candidates passed over.
	Trace bool
	// Header adds the plan's id, time, settings hash and read times.
	Header bool
}

// Plan writes the whole plan: optional header, a legend of the symbols
// used, the changes grouped by system, the warnings and the summary line.
func Plan(w io.Writer, p *engine.Plan, o Options) error {
	ew := &errWriter{w: w}
	if o.Header {
		header(ew, p)
	}
	if len(p.Changes) > 0 {
		legend(ew, p)
		var last engine.System
		for i := range p.Changes {
			c := &p.Changes[i]
			if c.System != last {
				ew.printf("\n%s\n", SystemName(c.System))
				last = c.System
			}
			change(ew, c, o)
		}
		ew.printf("\n")
	}
	if !o.NoWarnings && len(p.Warnings) > 0 {
		warnings(ew, p.Warnings)
		ew.printf("\n")
	}
	ew.printf("%s\n", Summary(p))
	return ew.err
}

func header(ew *errWriter, p *engine.Plan) {
	ew.printf("Plan %s · made %s · settings %s · format %d\n", p.ID, stamp(p.CreatedAt), p.SettingsHash, p.FormatVersion)
	var reads []string
	for _, r := range []struct {
		name string
		at   time.Time
	}{{"MO", p.ReadAt.MO}, {"AD", p.ReadAt.AD}, {"STS", p.ReadAt.STS}} {
		if !r.at.IsZero() {
			reads = append(reads, r.name+" "+stamp(r.at))
		}
	}
	if len(reads) > 0 {
		ew.printf("Read: %s\n", strings.Join(reads, " · "))
	}
	ew.printf("\n")
}

func stamp(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05 UTC") }

// legend lists the symbols of the ops present, in the fixed op order.
func legend(ew *errWriter, p *engine.Plan) {
	present := map[engine.Op]bool{}
	for _, c := range p.Changes {
		present[c.Op] = true
	}
	var parts []string
	for _, op := range opsInOrder {
		if present[op] {
			parts = append(parts, Symbol(op)+" "+Word(op))
		}
	}
	ew.printf("%s %s\n", textLegend, strings.Join(parts, "  "))
}

var opsInOrder = []engine.Op{engine.OpCreate, engine.OpUpdate, engine.OpRename, engine.OpEnable, engine.OpDisable, engine.OpDelete}

// Change writes one change block: the headline and one line per field.
func Change(w io.Writer, c *engine.Change, o Options) error {
	ew := &errWriter{w: w}
	change(ew, c, o)
	return ew.err
}

func change(ew *errWriter, c *engine.Change, o Options) {
	ew.printf("  %s\n", Headline(c))
	width := 0
	for _, f := range c.Fields {
		width = max(width, len(f.Attr))
	}
	for _, f := range c.Fields {
		ew.printf("      %-*s  %s", width+1, f.Attr+":", FieldText(c.Op, f))
		if f.Source != "" {
			ew.printf("   (%s)", f.Source)
		}
		ew.printf("\n")
	}
	if c.DependsOn != "" {
		ew.printf("      after change %s\n", c.DependsOn)
	}
	if c.Username != nil {
		for _, l := range UsernameLines(c.Username, o.Trace) {
			ew.printf("      %s\n", l)
		}
	}
}

// Headline is the one-line summary of a change: symbol, word, system,
// subject, target and id.
func Headline(c *engine.Change) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %-8s%-4s%s", Symbol(c.Op), Word(c.Op), SystemName(c.System), engine.MaskCPRs(c.Subject))
	if t := targetText(c); t != "" {
		b.WriteString("  " + t)
	}
	b.WriteString("  [" + c.ID + "]")
	return b.String()
}

func targetText(c *engine.Change) string {
	switch {
	case c.Target.DN != "":
		return engine.MaskCPRs(c.Target.DN)
	case c.Target.UUID != "":
		return c.Target.UUID
	case c.System == engine.SystemMO && c.ITUser != nil:
		return "new IT user of " + c.MOUUID
	}
	return ""
}

// FieldText is a field's value text: "after" for a create, "before" for a
// delete, "before" → "after" otherwise; CPR values masked.
func FieldText(op engine.Op, f engine.Field) string {
	before, after := value(f, f.Before), value(f, f.After)
	switch op {
	case engine.OpCreate:
		return after
	case engine.OpDelete:
		return before
	}
	return before + " → " + after
}

func value(f engine.Field, v string) string {
	if v == "" {
		return textNone
	}
	if v == engine.KnownAfterApply {
		return v
	}
	if engine.IsCPRField(f) {
		v = engine.MaskCPR(v)
	}
	vals := strings.Split(engine.MaskCPRs(v), "\n")
	for i := range vals {
		vals[i] = strconv.Quote(vals[i])
	}
	return strings.Join(vals, ", ")
}

// UsernameLines explains a username decision: the chosen name and pattern,
// then the candidates passed over (and, with all, every pattern skipped).
func UsernameLines(u *engine.UsernameResult, all bool) []string {
	lines := []string{fmt.Sprintf("username %q from pattern %s", u.Username, u.Pattern)}
	if u.Override {
		lines[0] = fmt.Sprintf("username %q set by the operator", u.Username)
	}
	for _, pt := range u.Trace {
		if pt.Skipped != "" {
			if all {
				detail := string(pt.Skipped)
				if pt.Detail != "" {
					detail += ": " + pt.Detail
				}
				lines = append(lines, fmt.Sprintf("  %s skipped (%s)", pt.Pattern, detail))
			}
			continue
		}
		var passed []string
		for _, ct := range pt.Candidates {
			if ct.Reason != "" {
				passed = append(passed, fmt.Sprintf("%s (%s)", ct.Username, ct.Reason))
			}
		}
		if len(passed) > 0 {
			lines = append(lines, fmt.Sprintf("  %s passed over %s", pt.Pattern, strings.Join(passed, ", ")))
		}
	}
	return lines
}

// Warnings writes the warnings section.
func Warnings(w io.Writer, ws []engine.Warning) error {
	ew := &errWriter{w: w}
	warnings(ew, ws)
	return ew.err
}

func warnings(ew *errWriter, ws []engine.Warning) {
	ew.printf("%s (%d)\n", textWarnings, len(ws))
	for _, wa := range ws {
		subj := engine.MaskCPRs(wa.Subject)
		if subj != "" {
			subj += ": "
		}
		ew.printf("  ! %-3s %s  %s%s\n", strings.ToUpper(wa.System), wa.Code, subj, engine.MaskCPRs(wa.Message))
	}
}

// Summary is the closing line: "Plan: 3 to create, 5 to update, 1 to
// disable (AD) · 4 to update (STS) · 2 to create (MO)." or the no-change
// sentence.
func Summary(p *engine.Plan) string {
	counts := p.Counts()
	if len(counts) == 0 {
		return textNoChanges
	}
	var groups []string
	var cur []string
	var sys engine.System
	flush := func() {
		if len(cur) > 0 {
			groups = append(groups, strings.Join(cur, ", ")+" ("+SystemName(sys)+")")
		}
		cur = nil
	}
	for _, c := range counts {
		if c.System != sys {
			flush()
			sys = c.System
		}
		cur = append(cur, fmt.Sprintf("%d %s", c.N, opPhrase[c.Op]))
	}
	flush()
	return textPlanPrefix + strings.Join(groups, " · ") + "."
}

type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) printf(format string, args ...any) {
	if e.err != nil {
		return
	}
	_, e.err = fmt.Fprintf(e.w, format, args...)
}
