package tui

import (
	"fmt"
	"slices"
	"strings"

	"github.com/charmbracelet/bubbles/textinput"

	"moxsync/engine"
	"moxsync/render"
)

// mark is the operator's decision on one change.
type mark int

const (
	markPending mark = iota
	markApproved
	markRejected
)

// systemTabs and opTabs are the filter tabs; "" = all.
var (
	systemTabs = []engine.System{"", engine.SystemAD, engine.SystemSTS, engine.SystemMO}
	opTabs     = []engine.Op{"", engine.OpCreate, engine.OpUpdate, engine.OpRename, engine.OpEnable, engine.OpDisable, engine.OpDelete}
)

// planView is the main screen's state: the plan, the decisions, the
// filters and the cursor. Decisions are kept by change ID, so they survive
// a refresh.
type planView struct {
	plan  *engine.Plan
	marks map[string]mark

	sysTab, opTab int
	text          textinput.Model
	filtering     bool // the text filter has the keyboard

	visible []int              // indexes into plan.Changes, in plan order
	search  []string           // per change: the text the filter matches
	ops     map[engine.Op]bool // the operations the plan holds
	cursor  int                // index into visible
	offset  int                // first visible row shown

	detailOffset int
	showWarnings bool

	width, height int // the body's size (list + detail)
}

func newPlanView() planView {
	ti := textinput.New()
	ti.Prompt = txtFilterPrompt
	ti.Placeholder = "text in subject, field or id"
	ti.CharLimit = 80
	return planView{marks: map[string]mark{}, text: ti}
}

// SetSize sets the size of the body.
func (v *planView) SetSize(w, h int) {
	v.width, v.height = w, h
	v.text.Width = max(10, w/3)
	v.scroll()
}

// SetPlan shows a new plan, keeping the decisions whose change is still
// in it; it returns how many were kept and dropped.
func (v *planView) SetPlan(p *engine.Plan) (kept, dropped int) {
	var selected string
	if c := v.selected(); c != nil {
		selected = c.ID
	}
	v.plan = p
	ids := map[string]bool{}
	if p != nil {
		for _, c := range p.Changes {
			ids[c.ID] = true
		}
	}
	v.index()
	for id := range v.marks {
		if ids[id] {
			kept++
		} else {
			delete(v.marks, id)
			dropped++
		}
	}
	v.refilter()
	for i, idx := range v.visible {
		if p.Changes[idx].ID == selected {
			v.cursor = i
		}
	}
	v.scroll()
	return kept, dropped
}

// index computes what the filters look at, once per plan (and again after
// a username edit).
func (v *planView) index() {
	v.search, v.ops = nil, map[engine.Op]bool{}
	if v.plan == nil {
		return
	}
	v.search = make([]string, len(v.plan.Changes))
	for i := range v.plan.Changes {
		c := &v.plan.Changes[i]
		v.search[i] = searchText(c)
		v.ops[c.Op] = true
	}
}

// refilter recomputes the visible changes.
func (v *planView) refilter() {
	v.visible = v.visible[:0]
	if v.plan == nil {
		return
	}
	sys, op := systemTabs[v.sysTab], opTabs[v.opTab]
	needle := strings.ToLower(strings.TrimSpace(v.text.Value()))
	for i := range v.plan.Changes {
		c := &v.plan.Changes[i]
		if sys != "" && c.System != sys || op != "" && c.Op != op {
			continue
		}
		if needle != "" && !strings.Contains(v.search[i], needle) {
			continue
		}
		v.visible = append(v.visible, i)
	}
	v.cursor = min(v.cursor, max(0, len(v.visible)-1))
	v.detailOffset = 0
	v.scroll()
}

// searchText is what the text filter matches, lower-cased (CPR masked).
func searchText(c *engine.Change) string {
	parts := []string{c.ID, string(c.System), string(c.Op), c.Subject, c.Target.DN, c.Target.UUID, shortSummary(c)}
	for _, f := range c.Fields {
		parts = append(parts, f.Attr, render.FieldText(c.Op, f))
	}
	return strings.ToLower(engine.MaskCPRs(strings.Join(parts, "\x00")))
}

func (v *planView) selected() *engine.Change {
	if v.plan == nil || v.cursor < 0 || v.cursor >= len(v.visible) {
		return nil
	}
	return &v.plan.Changes[v.visible[v.cursor]]
}

func (v *planView) move(d int) {
	if len(v.visible) == 0 {
		return
	}
	n := min(max(v.cursor+d, 0), len(v.visible)-1)
	if n != v.cursor {
		v.cursor = n
		v.detailOffset = 0
	}
	v.scroll()
}

// listHeight is the number of change rows shown.
func (v *planView) listHeight() int {
	if v.sideBySide() {
		return max(1, v.height-1)
	}
	return max(3, (v.height-2)*2/5)
}

func (v *planView) sideBySide() bool { return v.width >= 110 }

func (v *planView) scroll() {
	h := v.listHeight()
	if v.cursor < v.offset {
		v.offset = v.cursor
	}
	if v.cursor >= v.offset+h {
		v.offset = v.cursor - h + 1
	}
	v.offset = max(0, min(v.offset, len(v.visible)-h))
}

func (v *planView) markOf(id string) mark { return v.marks[id] }

func (v *planView) setMark(id string, m mark) {
	if m == markPending {
		delete(v.marks, id)
		return
	}
	v.marks[id] = m
}

// counts returns the approved, rejected and total numbers of changes.
func (v *planView) counts() (approved, rejected, total int) {
	if v.plan == nil {
		return 0, 0, 0
	}
	for _, c := range v.plan.Changes {
		switch v.marks[c.ID] {
		case markApproved:
			approved++
		case markRejected:
			rejected++
		}
	}
	return approved, rejected, len(v.plan.Changes)
}

// approved returns the approved changes, in plan order.
func (v *planView) approved() []*engine.Change {
	var out []*engine.Change
	if v.plan == nil {
		return nil
	}
	for i := range v.plan.Changes {
		if v.marks[v.plan.Changes[i].ID] == markApproved {
			out = append(out, &v.plan.Changes[i])
		}
	}
	return out
}

// renameID moves the decision of a change whose ID changed (a username
// edit rewrites the IDs of the create and its write-back).
func (v *planView) renameID(old, new string) {
	if m, ok := v.marks[old]; ok {
		delete(v.marks, old)
		v.marks[new] = m
	}
}

// shortSummary is the list row's last column.
func shortSummary(c *engine.Change) string {
	if c.Op == engine.OpCreate && c.System == engine.SystemAD {
		for _, f := range c.Fields {
			if strings.EqualFold(f.Attr, "sAMAccountName") {
				return fmt.Sprintf(txtNewAccount, f.After)
			}
		}
	}
	if c.Op == engine.OpRename && len(c.Fields) == 1 {
		return render.FieldText(c.Op, c.Fields[0])
	}
	var attrs []string
	for _, f := range c.Fields {
		if !slices.Contains(attrs, f.Attr) {
			attrs = append(attrs, f.Attr)
		}
	}
	if len(attrs) == 0 {
		switch {
		case c.Target.DN != "":
			return c.Target.DN
		case c.Target.UUID != "":
			return c.Target.UUID
		}
	}
	return strings.Join(attrs, ", ")
}
