package render

import (
	"cmp"
	"slices"
	"strings"
	"unicode/utf8"

	"moxsync/engine"
)

// DefaultMaxPerGroup is how many changes of each group (system and op) a
// summary shows in full unless Options.MaxPerGroup says otherwise: enough
// to see what the changes of a group look like (a few OUs, usernames,
// values), few enough that a summary of every group of a plan fits in a
// few hundred lines.
const DefaultMaxPerGroup = 10

// AutoSummaryThreshold is the number of changes above which AutoSummary
// advises the summary. At the ~9 lines a change takes, 1,000 changes are
// some 9,000 lines: more than a terminal's scrollback and more than anyone
// reads change by change, while a day's plan in steady state (tens to a
// few hundred changes) still prints in full. A first sync or a large
// reorganisation goes over it.
const AutoSummaryThreshold = 1000

// AutoSummary reports whether p is large enough that its text should be a
// summary (Options.Summary) unless the operator asked for all of it.
func AutoSummary(p *engine.Plan) bool { return len(p.Changes) > AutoSummaryThreshold }

// GroupCount is the number of changes of one system and op, and how many
// of them have a field of each attribute.
type GroupCount struct {
	System engine.System
	Op     engine.Op
	N      int
	// Attrs are by count, most first, then by name.
	Attrs []AttrCount
}

// AttrCount is the number of changes of a group that have a field Attr.
type AttrCount struct {
	Attr string
	N    int
}

// GroupCounts counts p's changes per system and op (systems AD, STS, MO,
// ops in the legend's order, anything else after them as first seen) and,
// within each, per attribute.
func GroupCounts(p *engine.Plan) []GroupCount {
	type acc struct {
		i     int // first seen
		n     int
		attrs map[string]int
	}
	byKey := map[groupKey]*acc{}
	for i := range p.Changes {
		c := &p.Changes[i]
		k := groupKey{c.System, c.Op}
		a := byKey[k]
		if a == nil {
			a = &acc{i: len(byKey), attrs: map[string]int{}}
			byKey[k] = a
		}
		a.n++
		for _, attr := range fieldKinds(c.Fields) {
			a.attrs[attr]++
		}
	}
	out := make([]GroupCount, 0, len(byKey))
	for k, a := range byKey {
		g := GroupCount{System: k.system, Op: k.op, N: a.n, Attrs: make([]AttrCount, 0, len(a.attrs))}
		for attr, n := range a.attrs {
			g.Attrs = append(g.Attrs, AttrCount{attr, n})
		}
		slices.SortFunc(g.Attrs, func(x, y AttrCount) int {
			return cmp.Or(cmp.Compare(y.N, x.N), cmp.Compare(x.Attr, y.Attr))
		})
		out = append(out, g)
	}
	slices.SortFunc(out, func(x, y GroupCount) int {
		kx, ky := groupKey{x.System, x.Op}, groupKey{y.System, y.Op}
		return cmp.Or(cmp.Compare(kx.rank(), ky.rank()), cmp.Compare(byKey[kx].i, byKey[ky].i))
	})
	return out
}

// groupKey names a group of changes: one system and op.
type groupKey struct {
	system engine.System
	op     engine.Op
}

// rank orders groups: the known systems and ops in their fixed order,
// then the rest.
func (k groupKey) rank() int {
	s := slices.Index([]engine.System{engine.SystemAD, engine.SystemSTS, engine.SystemMO}, k.system)
	o := opIndex(k.op)
	if s < 0 || o < 0 {
		return 1 << 20
	}
	return s*len(opsInOrder) + o
}

// groupSizes is the number of changes in each group.
type groupSizes map[groupKey]int

func groupsOf(cs []engine.Change) groupSizes {
	g := groupSizes{}
	for i := range cs {
		g[groupKey{cs[i].System, cs[i].Op}]++
	}
	return g
}

// cut reports whether a summary showing max changes a group leaves any out.
func (g groupSizes) cut(max int) bool {
	for _, n := range g {
		if n > max {
			return true
		}
	}
	return false
}

// maxPerGroup is how many changes a group shows in a summary (>= 0).
func (o Options) maxPerGroup() int {
	switch {
	case o.MaxPerGroup == 0:
		return DefaultMaxPerGroup
	case o.MaxPerGroup < 0:
		return 0
	}
	return o.MaxPerGroup
}

// summaryChanges writes the first o.maxPerGroup() changes of each group in
// plan order, after a group's last change a line with how many more it has,
// and then the counts per group and attribute.
func summaryChanges(ow *out, cs []engine.Change, sizes groupSizes, o Options) {
	limit := o.maxPerGroup()
	seen := groupSizes{}
	var last engine.System
	for i := range cs {
		c := &cs[i]
		k := groupKey{c.System, c.Op}
		seen[k]++
		if seen[k] <= limit {
			if c.System != last {
				systemLine(ow, c.System)
				last = c.System
			}
			change(ow, c, o)
		}
		if n := sizes[k]; seen[k] == n && n > limit {
			if c.System != last {
				systemLine(ow, c.System)
				last = c.System
			}
			moreLine(ow, k, n-limit, o.FullHint)
		}
		if ow.err != nil {
			return
		}
	}
	counts(ow, GroupCounts(&engine.Plan{Changes: cs}))
}

// moreLine writes "  … and 12,300 more AD updates (moxsync plan --full
// shows all)".
func moreLine(ow *out, k groupKey, n int, hint string) {
	if hint == "" {
		hint = textFullHint
	}
	b := append(ow.buf(), textMorePrefix...)
	b = appendCount(b, n)
	b = append(b, textMore...)
	b = append(b, SystemName(k.system)...)
	b = append(b, ' ')
	b = append(b, opNoun(k.op, n)...)
	b = append(b, " ("...)
	b = append(b, hint...)
	b = append(b, textShowsAll...)
	ow.write(append(b, ")\n"...))
}

// counts writes the table of changes per group and attribute:
//
//	Changes per attribute
//	  AD  update  2,146 changes
//	      title:  2,146
func counts(ow *out, gs []GroupCount) {
	b := append(ow.buf(), '\n')
	b = append(b, textCountsHeading...)
	b = append(b, '\n')
	for _, g := range gs {
		b = append(b, "  "...)
		b = appendPadded(b, SystemName(g.System), 4)
		b = appendPadded(b, Word(g.Op), 8)
		b = appendCount(b, g.N)
		b = append(b, ' ')
		b = append(b, changeNoun(g.N)...)
		b = append(b, '\n')
		aw, nw := 0, 0
		for _, a := range g.Attrs {
			aw = max(aw, utf8.RuneCountInString(a.Attr))
			nw = max(nw, countWidth(a.N))
		}
		for _, a := range g.Attrs {
			b = append(b, "      "...)
			b = append(b, a.Attr...)
			b = append(b, ':')
			b = appendSpaces(b, aw-utf8.RuneCountInString(a.Attr)+2+nw-countWidth(a.N))
			b = appendCount(b, a.N)
			b = append(b, '\n')
		}
	}
	ow.write(b)
}

// countWidth is the length of n as appendCount writes it.
func countWidth(n int) int {
	var d [32]byte
	return len(appendCount(d[:0], n))
}

// moreWarningsLine writes "  … and 2,310 more username_failed warnings
// (moxsync plan --full shows all)".
func moreWarningsLine(ow *out, code string, n int, hint string) {
	if hint == "" {
		hint = textFullHint
	}
	b := append(ow.buf(), textMorePrefix...)
	b = appendCount(b, n)
	b = append(b, textMore...)
	b = append(b, code...)
	if n == 1 {
		b = append(b, " warning ("...)
	} else {
		b = append(b, " warnings ("...)
	}
	b = append(b, hint...)
	b = append(b, textShowsAll...)
	ow.write(append(b, ")\n"...))
}

// fieldKinds is the attributes of fs, each once, with what an element
// index names left out ("Positions[de03…].Name" is "Positions[].Name"), so
// that a count says how many changes touch a kind of field.
func fieldKinds(fs []engine.Field) []string {
	out := make([]string, 0, len(fs))
	for i := range fs {
		k := fieldKind(fs[i].Attr)
		if !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	return out
}

func fieldKind(attr string) string {
	i := strings.IndexByte(attr, '[')
	if i < 0 {
		return attr
	}
	var b strings.Builder
	for i >= 0 {
		j := strings.IndexByte(attr[i:], ']')
		if j < 0 {
			break
		}
		b.WriteString(attr[:i+1])
		attr = attr[i+j:]
		i = strings.IndexByte(attr, '[')
	}
	b.WriteString(attr)
	return b.String()
}
