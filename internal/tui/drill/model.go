// Package drill is the Bubble Tea screen for drills: rapid practice where
// the trainee reads a customer's first line, presses 1–4 for an opening,
// sees at once how it rates and why, and gets a summary at the end.
//
// The package holds the model only; the caller builds the session (with
// its seed) and runs the program:
//
//	m := drill.New(drill.Options{Session: s, Renderer: r, Detect: detect})
//	final, err := tea.NewProgram(m, tea.WithAltScreen()).Run()
//	switch final.(drill.Model).Outcome() { ... }
//
// A timed session shows a countdown. Its ticks carry the model's id and the
// opener's tag, like bubbles' spinner, so a tick left over from an answered
// opener, or from another model in the same program, is ignored. The tick
// source is injectable, so tests drive the countdown without sleeping.
//
// Everything drawn from the drill file passes textsafe.Text, every
// style comes from Options.Renderer, and ratings are always words, so the
// screen works with NO_COLOR and in monochrome.
package drill

import (
	"sync/atomic"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	core "github.com/rapport-sim/rapport/internal/drill"
)

// TickInterval is how often the countdown redraws.
const TickInterval = time.Second

// Options configure the drill screen.
type Options struct {
	// Session is the drill run to play; its Limit turns the countdown on.
	Session *core.Session
	// Renderer draws everything; nil means lipgloss.DefaultRenderer().
	Renderer *lipgloss.Renderer
	// Detect, when set, reports the behaviours heard in each pick.
	Detect core.Detector
	// Tick schedules the next countdown tick; nil means tea.Tick. Tests
	// replace it to deliver ticks by hand.
	Tick func(time.Duration, func(time.Time) tea.Msg) tea.Cmd
}

// Outcome is how the program ended.
type Outcome int

// The outcomes, for the caller's exit code.
const (
	// Running: the program has not ended yet.
	Running Outcome = iota
	// Finished: every opener answered and the summary seen.
	Finished
	// Abandoned: the trainee stopped before the last opener.
	Abandoned
	// Interrupted: ctrl+c.
	Interrupted
)

func (o Outcome) String() string {
	switch o {
	case Finished:
		return "finished"
	case Abandoned:
		return "abandoned"
	case Interrupted:
		return "interrupted"
	}
	return "running"
}

// step is where the trainee is in the current opener.
type step int

const (
	stepAsk step = iota
	stepFeedback
	stepSummary
)

func (s step) String() string {
	switch s {
	case stepAsk:
		return "ask"
	case stepFeedback:
		return "feedback"
	}
	return "summary"
}

// tickMsg is one countdown tick, addressed to one model and one opener.
type tickMsg struct {
	id, tag int
}

var lastID atomic.Int64

// Model is the drill screen.
type Model struct {
	session *core.Session
	detect  core.Detector
	tick    func(time.Duration, func(time.Time) tea.Msg) tea.Cmd
	styles  Styles
	keys    keyMap
	help    help.Model

	width, height int
	step          step
	outcome       Outcome

	// last is the result shown on the feedback step, heard what the
	// detector found in it.
	last  core.Result
	heard []string

	// id tells this model's ticks from others'; tag tells this opener's
	// from an earlier opener's. left is the time remaining.
	id, tag int
	left    time.Duration
}

// New builds the drill screen at its first opener.
func New(opts Options) Model {
	styles := DefaultStyles(opts.Renderer)
	h := help.New()
	h.Styles = styles.Help
	tick := opts.Tick
	if tick == nil {
		tick = tea.Tick
	}
	m := Model{
		session: opts.Session,
		detect:  opts.Detect,
		tick:    tick,
		styles:  styles,
		keys:    defaultKeyMap(),
		help:    h,
		width:   80,
		height:  24,
		id:      int(lastID.Add(1)),
	}
	if m.session.Done() {
		m.step = stepSummary
	}
	m.armClock()
	return m
}

// Init starts the first opener's countdown (armed by New, because Init
// cannot change the model).
func (m Model) Init() tea.Cmd {
	if m.step != stepAsk || m.left <= 0 {
		return nil
	}
	return m.nextTick()
}

// Outcome says how the program ended; Running until it has.
func (m Model) Outcome() Outcome { return m.outcome }

// Session returns the session the screen plays.
func (m Model) Session() *core.Session { return m.session }

// Step names the current step ("ask", "feedback", "summary") for tests and
// logs.
func (m Model) Step() string { return m.step.String() }

// armClock sets the countdown for the current opener. The new tag makes
// any tick still in flight for the previous opener stale.
func (m *Model) armClock() {
	m.tag++
	m.left = m.session.Limit()
}

// startClock arms the countdown and schedules its first tick.
func (m *Model) startClock() tea.Cmd {
	m.armClock()
	if m.left <= 0 {
		return nil
	}
	return m.nextTick()
}

func (m Model) nextTick() tea.Cmd {
	id, tag := m.id, m.tag
	return m.tick(min(TickInterval, m.left), func(time.Time) tea.Msg { return tickMsg{id: id, tag: tag} })
}

// Update handles keys, resizes and countdown ticks.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.help.Width = msg.Width
		return m, nil
	case tickMsg:
		return m.onTick(msg)
	case tea.KeyMsg:
		return m.onKey(msg)
	}
	return m, nil
}

func (m Model) onTick(msg tickMsg) (tea.Model, tea.Cmd) {
	if msg.id != m.id || msg.tag != m.tag || m.step != stepAsk || m.left <= 0 {
		return m, nil // a stale tick: the opener it timed is answered
	}
	m.left -= min(TickInterval, m.left)
	if m.left > 0 {
		return m, m.nextTick()
	}
	res, err := m.session.TimeOut()
	if err != nil {
		return m, nil
	}
	m.show(res)
	return m, nil
}

func (m Model) onKey(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	keys := m.keys.forStep(m.step)
	switch {
	case key.Matches(msg, keys.Interrupt):
		m.outcome = Interrupted
		return m, tea.Quit
	case key.Matches(msg, keys.Help):
		m.help.ShowAll = !m.help.ShowAll
		return m, nil
	case key.Matches(msg, keys.Quit):
		if m.step == stepSummary {
			m.outcome = Finished
		} else {
			m.outcome = Abandoned
		}
		return m, tea.Quit
	case key.Matches(msg, keys.Pick):
		n := int(msg.Runes[0] - '0')
		res, err := m.session.Answer(n, m.session.Limit()-m.left)
		if err != nil {
			return m, nil // a key for a response this opener does not have
		}
		m.show(res)
		return m, nil
	case key.Matches(msg, keys.Next):
		if m.step == stepSummary {
			m.outcome = Finished
			return m, tea.Quit
		}
		if m.session.Done() {
			m.step = stepSummary
			return m, nil
		}
		m.step = stepAsk
		return m, m.startClock()
	}
	return m, nil
}

// show moves to the feedback step for a result.
func (m *Model) show(res core.Result) {
	m.step, m.last, m.heard = stepFeedback, res, nil
	if m.detect != nil && res.Picked != nil {
		m.heard = m.detect(res.Opener, res.Picked.Say)
	}
}
