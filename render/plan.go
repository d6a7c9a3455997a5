package render

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

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
	// Summary shows only the first MaxPerGroup changes of each group
	// (system and op), a line saying how many more there are, and a table
	// of counts per system, op and attribute. When no group has more than
	// MaxPerGroup changes the output is the same as without Summary.
	Summary bool
	// MaxPerGroup is how many changes of each group Summary shows in
	// full: 0 means DefaultMaxPerGroup, a negative number none (counts
	// only).
	MaxPerGroup int
	// FullHint names what shows every change, in the line after a group
	// Summary cut short ("… and 12,300 more AD updates (HINT shows all)");
	// empty means "moxsync plan --full".
	FullHint string
}

// Plan writes the whole plan: optional header, a legend of the symbols
// used, the changes grouped by system, the warnings and the summary line.
// With o.Summary, large groups of changes are cut short (see Options).
// The text goes through one buffer, flushed once at the end.
func Plan(w io.Writer, p *engine.Plan, o Options) error {
	ow := newOut(w)
	if o.Header {
		header(ow, p)
	}
	if len(p.Changes) > 0 {
		legend(ow, p)
		if g := groupsOf(p.Changes); o.Summary && g.cut(o.maxPerGroup()) {
			summaryChanges(ow, p.Changes, g, o)
		} else {
			allChanges(ow, p.Changes, o)
		}
		ow.writeString("\n")
	}
	if !o.NoWarnings && len(p.Warnings) > 0 {
		if o.Summary && len(p.Warnings) > o.maxPerGroup() {
			warningLines(ow, p.Warnings, o.maxPerGroup(), o.FullHint)
		} else {
			warnings(ow, p.Warnings)
		}
		ow.writeString("\n")
	}
	ow.writeString(Summary(p))
	ow.writeString("\n")
	return ow.flush()
}

// allChanges writes every change, with a system line where the system
// changes.
func allChanges(ow *out, cs []engine.Change, o Options) {
	var last engine.System
	for i := range cs {
		c := &cs[i]
		if c.System != last {
			systemLine(ow, c.System)
			last = c.System
		}
		change(ow, c, o)
		if ow.err != nil {
			return
		}
	}
}

// systemLine writes the blank line and the name that open a system's changes.
func systemLine(ow *out, s engine.System) {
	b := append(ow.buf(), '\n')
	b = append(b, SystemName(s)...)
	ow.write(append(b, '\n'))
}

func header(ow *out, p *engine.Plan) {
	ow.printf("Plan %s · made %s · settings %s · format %d\n", p.ID, stamp(p.CreatedAt), p.SettingsHash, p.FormatVersion)
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
		ow.printf("Read: %s\n", strings.Join(reads, " · "))
	}
	ow.writeString("\n")
}

func stamp(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05 UTC") }

// legend lists the symbols of the ops present, in the fixed op order.
func legend(ow *out, p *engine.Plan) {
	present := make([]bool, len(opsInOrder))
	for i := range p.Changes {
		if k := opIndex(p.Changes[i].Op); k >= 0 {
			present[k] = true
		}
	}
	var parts []string
	for k, op := range opsInOrder {
		if present[k] {
			parts = append(parts, Symbol(op)+" "+Word(op))
		}
	}
	ow.printf("%s %s\n", textLegend, strings.Join(parts, "  "))
}

var opsInOrder = []engine.Op{engine.OpCreate, engine.OpUpdate, engine.OpRename, engine.OpEnable, engine.OpDisable, engine.OpDelete}

// opIndex is op's place in opsInOrder, or -1.
func opIndex(op engine.Op) int {
	for k, o := range opsInOrder {
		if o == op {
			return k
		}
	}
	return -1
}

// Change writes one change block: the headline and one line per field.
func Change(w io.Writer, c *engine.Change, o Options) error {
	ow := newOut(w)
	change(ow, c, o)
	return ow.flush()
}

// change writes c's block as one write: headline, fields, dependency and
// username lines.
func change(ow *out, c *engine.Change, o Options) {
	b := append(ow.buf(), "  "...)
	b = appendHeadline(b, c)
	b = append(b, '\n')
	width := 0
	for i := range c.Fields {
		width = max(width, len(c.Fields[i].Attr))
	}
	for i := range c.Fields {
		f := &c.Fields[i]
		b = append(b, "      "...)
		b = append(b, f.Attr...)
		b = append(b, ':')
		// fmt's "%-*s" with width+1 on Attr+":": the padding counts runes.
		b = appendSpaces(b, width-utf8.RuneCountInString(f.Attr))
		b = append(b, "  "...)
		b = appendFieldText(b, c.Op, *f, ow.isCPRField(*f))
		if f.Source != "" {
			b = append(b, "   ("...)
			b = append(b, f.Source...)
			b = append(b, ')')
		}
		b = append(b, '\n')
	}
	if c.DependsOn != "" {
		b = append(b, "      after change "...)
		b = append(b, c.DependsOn...)
		b = append(b, '\n')
	}
	if c.Username != nil {
		for _, l := range UsernameLines(c.Username, o.Trace) {
			b = append(b, "      "...)
			b = append(b, l...)
			b = append(b, '\n')
		}
	}
	ow.write(b)
}

// Headline is the one-line summary of a change: symbol, word, system,
// subject, target and id.
func Headline(c *engine.Change) string { return string(appendHeadline(nil, c)) }

func appendHeadline(b []byte, c *engine.Change) []byte {
	b = append(b, Symbol(c.Op)...)
	b = append(b, ' ')
	b = appendPadded(b, Word(c.Op), 8)
	b = appendPadded(b, SystemName(c.System), 4)
	b = append(b, engine.MaskCPRs(c.Subject)...)
	switch {
	case c.Target.DN != "":
		b = append(b, "  "...)
		b = append(b, engine.MaskCPRs(c.Target.DN)...)
	case c.Target.UUID != "":
		b = append(b, "  "...)
		b = append(b, c.Target.UUID...)
	case c.System == engine.SystemMO && c.ITUser != nil:
		b = append(b, "  new IT user of "...)
		b = append(b, c.MOUUID...)
	}
	b = append(b, "  ["...)
	b = append(b, c.ID...)
	return append(b, ']')
}

// FieldText is a field's value text: "after" for a create, "before" for a
// delete, "before" → "after" otherwise; CPR values masked.
func FieldText(op engine.Op, f engine.Field) string {
	return string(appendFieldText(nil, op, f, engine.IsCPRField(f)))
}

// appendFieldText appends FieldText(op, f); isCPR is engine.IsCPRField(f).
func appendFieldText(b []byte, op engine.Op, f engine.Field, isCPR bool) []byte {
	switch op {
	case engine.OpCreate:
		return appendValue(b, f.After, isCPR)
	case engine.OpDelete:
		return appendValue(b, f.Before, isCPR)
	}
	b = appendValue(b, f.Before, isCPR)
	b = append(b, " → "...)
	return appendValue(b, f.After, isCPR)
}

// appendValue appends one value: "(none)" when empty, else each line
// quoted, joined by ", ", CPR numbers masked.
func appendValue(b []byte, v string, isCPR bool) []byte {
	if v == "" {
		return append(b, textNone...)
	}
	if v == engine.KnownAfterApply {
		return append(b, v...)
	}
	if isCPR {
		v = engine.MaskCPR(v)
	}
	v = engine.MaskCPRs(v)
	for first := true; ; first = false {
		if !first {
			b = append(b, ", "...)
		}
		j := strings.IndexByte(v, '\n')
		if j < 0 {
			return strconv.AppendQuote(b, v)
		}
		b = strconv.AppendQuote(b, v[:j])
		v = v[j+1:]
	}
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
	ow := newOut(w)
	warnings(ow, ws)
	return ow.flush()
}

func warnings(ow *out, ws []engine.Warning) { warningLines(ow, ws, -1, "") }

// warningLines writes the warnings section; with limit >= 0 only the first
// limit warnings of each code, and after a code's last warning a line
// saying how many more it has ("… and 2,310 more username_failed
// warnings (HINT shows all)").
func warningLines(ow *out, ws []engine.Warning, limit int, hint string) {
	ow.printf("%s (%d)\n", textWarnings, len(ws))
	var total, seen map[string]int
	if limit >= 0 {
		total, seen = map[string]int{}, map[string]int{}
		for i := range ws {
			total[ws[i].Code]++
		}
	}
	for _, wa := range ws {
		if limit >= 0 {
			seen[wa.Code]++
			if seen[wa.Code] > limit {
				if n := total[wa.Code]; seen[wa.Code] == n {
					moreWarningsLine(ow, wa.Code, n-limit, hint)
				}
				continue
			}
		}
		b := append(ow.buf(), "  ! "...)
		b = appendPadded(b, strings.ToUpper(wa.System), 3)
		b = append(b, ' ')
		b = append(b, wa.Code...)
		b = append(b, "  "...)
		if subj := engine.MaskCPRs(wa.Subject); subj != "" {
			b = append(b, subj...)
			b = append(b, ": "...)
		}
		b = append(b, engine.MaskCPRs(wa.Message)...)
		ow.write(append(b, '\n'))
	}
}

// Summary is the closing line: "Plan: 3 to create, 5 to update, 1 to
// disable (AD) · 4 to update (STS) · 2 to create (MO)." or the no-change
// sentence.
func Summary(p *engine.Plan) string {
	counts := p.Counts()
	if len(counts) == 0 {
		return noChanges(p.Systems)
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
