package tui

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"moxsync/engine"
)

// screen is the screen the root model shows.
type screen int

const (
	screenLoading screen = iota
	screenPlan
	screenApply
	screenQueue // the review queue of moxsync watch
)

// dialog is the dialog open over the main screen, if any.
type dialog int

const (
	dialogNone dialog = iota
	dialogApply
	dialogQuit
	dialogEdit
	dialogPreview
)

// Options tune the TUI.
type Options struct {
	// Now is the clock; nil = time.Now.
	Now func() time.Time
	// Log receives the TUI's log lines; nil = discard. It must not write
	// to the terminal the TUI draws on.
	Log *slog.Logger
	// Label is shown after the title, e.g. "DEMO: generated data".
	Label string
	// QueueEvery is how often the review queue is polled when the backend
	// has one (QueueBackend); 0 = every second.
	QueueEvery time.Duration
}

// Model is the root model: the screen enum, the sub-models, and the
// generation counters that let Update drop stale results.
type Model struct {
	ctx     context.Context
	cancel  context.CancelFunc
	backend Backend
	systems []SystemInfo
	keys    keyMap
	st      styles
	help    help.Model
	now     func() time.Time
	log     *slog.Logger
	label   string

	width, height int
	screen        screen
	dialog        dialog
	loadGen       int
	applyGen      int

	loading loadingModel
	view    planView
	preview previewModel
	edit    editModel
	confirm confirmModel
	apply   applyModel

	// qb is the backend's review queue side, nil when it has none; the
	// queue is polled every queueEvery (0 = once), results older than
	// queueSeen are dropped.
	qb         QueueBackend
	queue      queueView
	queueEvery time.Duration
	queueSeq   int
	queueSeen  int
	// applyQueue is set while the apply screen shows an apply of queued
	// changes (enter goes back to the queue).
	applyQueue bool
	// touched is set once the operator pressed a key.
	touched bool

	// overrides are the usernames the operator set, by MO person uuid;
	// they are set again on every refreshed plan.
	overrides map[string]string

	flash    string
	flashErr bool
	quitting bool
	// noTicks turns off the spinner and clock ticks (tests).
	noTicks bool
}

// New returns the root model over b. ctx bounds every read and write.
func New(ctx context.Context, b Backend, o Options) *Model {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Log == nil {
		o.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	ctx, cancel := context.WithCancel(ctx)
	m := &Model{
		ctx: ctx, cancel: cancel, backend: b, systems: b.Systems(),
		keys: defaultKeyMap(), st: defaultStyles(), help: help.New(), now: o.Now, log: o.Log, label: o.Label,
		width: minWidth, height: minHeight,
		view: newPlanView(), overrides: map[string]string{},
	}
	if qb, ok := b.(QueueBackend); ok {
		m.qb = qb
		m.queueEvery = o.QueueEvery
		if m.queueEvery <= 0 {
			m.queueEvery = defaultQueueEvery
		}
	}
	m.loading = newLoading(m.systems)
	m.apply = newApplyModel()
	m.layout()
	return m
}

// Init starts the first load.
func (m *Model) Init() tea.Cmd {
	return tea.Batch(m.startLoad(), m.spinTick(), m.tick(), m.pollQueue(true))
}

func (m *Model) tick() tea.Cmd {
	if m.noTicks {
		return nil
	}
	return tea.Tick(30*time.Second, func(time.Time) tea.Msg { return tickMsg{} })
}

func (m *Model) spinTick() tea.Cmd {
	if m.noTicks {
		return nil
	}
	return m.loading.spin.Tick
}

// startLoad begins a new load generation; results of older ones are
// dropped.
func (m *Model) startLoad() tea.Cmd {
	m.loadGen++
	m.loading.reset(m.systems)
	m.log.Info("tui: load started", "generation", m.loadGen)
	return loadCmd(m.ctx, m.backend, m.loadGen)
}

// Update routes a message: resizes and results to every sub-model, keys to
// the focused one.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	cmd := m.update(msg)
	m.layout()
	return m, cmd
}

func (m *Model) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		return nil
	case tickMsg:
		return m.tick()
	case spinner.TickMsg:
		var cmd tea.Cmd
		m.loading.spin, cmd = m.loading.spin.Update(msg)
		return cmd
	case loadEventMsg:
		if msg.gen != m.loadGen {
			return nil
		}
		m.loading.event(msg.ev)
		return waitFor(msg.ch)
	case planLoadedMsg:
		return m.planLoaded(msg)
	case applyResultMsg:
		if msg.gen != m.applyGen {
			return nil
		}
		m.apply.add(msg.res)
		return waitFor(msg.ch)
	case applyDoneMsg:
		if msg.gen != m.applyGen {
			return nil
		}
		m.apply.finish(msg.sum, msg.err)
		m.log.Info("tui: apply done", "ok", msg.sum.OK, "failed", msg.sum.Failed, "stale", msg.sum.Stale, "skipped", msg.sum.Skipped, "refused", msg.sum.Refused)
		m.apply.refreshing = true
		if m.applyQueue {
			return tea.Batch(m.startLoad(), m.pollQueue(false))
		}
		return m.startLoad()
	case queueMsg:
		return m.queueLoaded(msg)
	case queueTickMsg:
		return m.pollQueue(true)
	case queueDecidedMsg:
		return m.queueDecided(msg)
	case tea.KeyMsg:
		if key.Matches(msg, m.keys.ForceQuit) {
			return m.quit()
		}
		return m.key(msg)
	}
	// Other messages (cursor blinks) go to the focused input.
	return m.forwardToInput(msg)
}

func (m *Model) quit() tea.Cmd {
	m.quitting = true
	m.cancel()
	return tea.Quit
}

// planLoaded shows a new plan, or the error on the loading screen.
func (m *Model) planLoaded(msg planLoadedMsg) tea.Cmd {
	if msg.gen != m.loadGen {
		return nil
	}
	if msg.err != nil {
		m.log.Error("tui: load failed", "err", engine.MaskCPRs(msg.err.Error()))
		if m.screen == screenApply {
			m.apply.refreshing = false
			m.apply.refreshErr = msg.err
			if m.apply.leave {
				m.leaveApply()
			}
			return nil
		}
		m.loading.err = msg.err
		m.screen = screenLoading
		return nil
	}
	p := msg.plan
	dropped := m.reapplyOverrides(p)
	kept, gone := m.view.SetPlan(p)
	m.log.Info("tui: plan loaded", "plan", p.ID, "changes", len(p.Changes), "kept", kept, "dropped", gone)
	first := m.screen == screenLoading && m.loadGen == 1
	if !first && m.screen != screenApply {
		m.setFlash(sprintf(txtRefreshed, len(p.Changes), kept, gone), false)
	}
	if dropped != "" {
		m.setFlash(dropped, true)
	}
	if m.screen == screenApply {
		m.apply.refreshing = false
		m.apply.refreshed = p
		if m.apply.leave {
			m.leaveApply()
		}
		return nil
	}
	if m.screen == screenQueue {
		return nil
	}
	m.screen = screenPlan
	if first && m.queue.exists() && !m.touched {
		// With a queue, the queue is what the operator reviews first.
		m.screen = screenQueue
	}
	return nil
}

// reapplyOverrides sets the operator's usernames on a new plan; an
// override that no longer passes the checks is dropped and reported.
func (m *Model) reapplyOverrides(p *engine.Plan) string {
	var problems []string
	for i := 0; i < len(p.Changes); i++ {
		c := &p.Changes[i]
		name, ok := m.overrides[c.MOUUID]
		if !ok || c.System != engine.SystemAD || c.Op != engine.OpCreate || c.MOUUID == "" {
			continue
		}
		if cur := samAccountName(c); strings.EqualFold(cur, name) {
			continue
		}
		if err := m.backend.CheckUsername(name, c.MOUUID); err != nil {
			delete(m.overrides, c.MOUUID)
			problems = append(problems, engine.MaskCPRs(err.Error()))
			continue
		}
		if _, err := p.SetUsername(c.ID, name); err != nil {
			delete(m.overrides, c.MOUUID)
			problems = append(problems, engine.MaskCPRs(err.Error()))
		}
	}
	if len(problems) == 0 {
		return ""
	}
	return "Username edits dropped: " + strings.Join(problems, "; ")
}

func samAccountName(c *engine.Change) string {
	for _, f := range c.Fields {
		if strings.EqualFold(f.Attr, "sAMAccountName") {
			return f.After
		}
	}
	return ""
}

func (m *Model) setFlash(s string, isErr bool) { m.flash, m.flashErr = s, isErr }

// layout gives every sub-model its size from the window size and the
// height of the header and footer.
func (m *Model) layout() {
	body := m.height - lipgloss.Height(m.headerView()) - lipgloss.Height(m.footerView())
	body = max(body, 1)
	m.loading.SetSize(m.width, body)
	m.view.SetSize(m.width, body)
	m.preview.SetSize(m.width, body)
	m.apply.SetSize(m.width, body)
	m.queue.SetSize(m.width, body)
	m.help.Width = m.width
}

// View renders the current screen.
func (m *Model) View() string {
	if m.quitting {
		return ""
	}
	if m.width < minWidth || m.height < minHeight {
		return lipgloss.Place(m.width, m.height, lipgloss.Center, lipgloss.Center,
			lipgloss.NewStyle().Width(max(10, m.width-2)).Render(sprintf(txtTooSmall, minWidth, minHeight, m.width, m.height)))
	}
	header := m.headerView()
	footer := m.footerView()
	bodyH := max(1, m.height-lipgloss.Height(header)-lipgloss.Height(footer))
	var body string
	switch {
	case m.screen == screenLoading:
		body = m.loading.View(&m.st)
	case m.screen == screenApply:
		body = m.apply.View(&m.st)
	case m.dialog == dialogPreview:
		body = m.preview.View(&m.st)
	case m.dialog != dialogNone:
		body = lipgloss.Place(m.width, bodyH, lipgloss.Center, lipgloss.Center, m.dialogView())
	case m.screen == screenQueue:
		body = m.queueBody()
	default:
		body = m.view.View(&m.st)
	}
	lines := block(strings.Split(body, "\n"), m.width, bodyH)
	return header + "\n" + strings.Join(lines, "\n") + "\n" + footer
}

// helpKeys is the help of whatever has the keyboard.
func (m *Model) helpKeys() helpKeys {
	switch {
	case m.screen == screenLoading:
		return m.keys.loadingHelp(m.loading.failed())
	case m.screen == screenApply:
		return m.keys.applyHelp(m.apply.done, m.applyQueue && m.queue.exists())
	case m.dialog == dialogApply:
		return m.keys.confirmHelp(m.confirm.destructive > 0)
	case m.dialog == dialogQuit:
		return m.keys.confirmHelp(false)
	case m.dialog == dialogEdit:
		return m.keys.editHelp()
	case m.dialog == dialogPreview:
		return m.keys.previewHelp()
	case m.screen == screenQueue:
		return m.keys.queueHelp()
	case m.view.filtering:
		return m.keys.filterHelp()
	}
	return m.keys.planHelp(m.queue.exists())
}

// footerView is the status line and the help.
func (m *Model) footerView() string {
	status := ""
	if m.flash != "" {
		status = m.flash
		if m.flashErr {
			status = m.st.Error.Render(cut(status, m.width))
		}
	}
	return fit(status, m.width) + "\n" + m.help.View(m.helpKeys())
}
