package server

import (
	"fmt"
	"slices"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/rapport-sim/rapport/internal/presence"
	"github.com/rapport-sim/rapport/internal/textsafe"
	"github.com/rapport-sim/rapport/internal/tui"
)

// tracker is what the session model reports to: the session in the
// server, a recorder in tests.
type tracker interface {
	setTrainee(name string)
	setActivity(activity string)
	track(seq int, res tui.Result, over bool) *attempt
	save(a *attempt) (string, error)
}

// phase is which part of the session is on screen.
type phase int

const (
	phaseName phase = iota
	phasePlay
)

func (p phase) String() string {
	switch p {
	case phaseName:
		return "name"
	case phasePlay:
		return "play"
	}
	return fmt.Sprintf("phase(%d)", int(p))
}

// noticeFor is how long a notice stays on the bottom line.
const noticeFor = 6 * time.Second

// probeAfter is how long after a key the attempt in progress is read for
// the dashboard. Reading it costs about a third of a key's work, so it is
// kept off the path from a key to its redrawn screen, and a burst of keys
// is read once.
const probeAfter = 250 * time.Millisecond

// Messages of the session model.
type (
	// noticeMsg shows a line at the bottom of the screen for a while (a
	// limit about to close the session, a save).
	noticeMsg string
	// clearNoticeMsg removes the notice with this number, if it is still
	// the one shown.
	clearNoticeMsg int
	// savedMsg reports a finished or abandoned attempt's save.
	savedMsg struct {
		title string
		err   error
	}
	// playerQuitMsg is the player's tea.Quit, caught: the player is done
	// with an attempt (or the trainee quit at the picker).
	playerQuitMsg struct{}
	// endMsg asks the program to stop: the session is ending (a limit, the
	// client hung up, the server is shutting down).
	endMsg struct{}
	// probeMsg asks for the attempt in progress to be read.
	probeMsg struct{}
)

// model is a session's root model: the name prompt, then the player
// (package tui) for as many attempts as the trainee wants. It reports the
// trainee's progress to the session, saves each attempt as it ends, and
// keeps typed lines within the line limit.
type model struct {
	t       tracker
	opts    tui.Options
	styles  *tui.Styles
	maxLine int

	// name and play are pointers, so copies of this root (Bubble Tea
	// boxes it on every message) stay small: the name prompt is changed
	// in place, and play holds the player's root, which keeps only its
	// page on show. Only the newest model is ever used, so sharing them
	// between copies is safe.
	phase   phase
	name    *nameModel
	play    *tui.Model
	trainee string

	// seq numbers the attempts; screen is the player's screen after the
	// last update; savedSeq is the last attempt whose end was saved.
	seq      int
	screen   tui.Screen
	savedSeq int
	// dirty says the attempt may have changed since it was last read;
	// probing says a probeMsg is on its way.
	dirty, probing bool

	width, height int
	notice        string
	noticeID      int
	// lineRunes counts the characters typed since the last key that was
	// not a character (enter, esc, an arrow...).
	lineRunes int
	quitting  bool
}

func newModel(t tracker, cfg Config, r *lipgloss.Renderer) model {
	styles := tui.DefaultStyles(r)
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	maxLine := cfg.Limits.MaxLine
	if maxLine <= 0 {
		maxLine = tui.MaxTypedLength
	}
	name := newName(&styles, len(cfg.Scenarios), min(maxLine, maxNameLen))
	return model{
		t: t,
		opts: tui.Options{
			Scenarios:   cfg.Scenarios,
			Renderer:    r,
			NoAnimation: cfg.NoAnimation,
			Timed:       cfg.Timed,
			Now:         now,
		},
		styles:  &styles,
		maxLine: maxLine,
		name:    &name,
		width:   80,
		height:  24,
	}
}

// Init starts the name prompt's cursor.
func (m model) Init() tea.Cmd { return m.name.init() }

// Update handles a message.
func (m model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		if msg.Width <= 0 || msg.Height <= 0 {
			// The request stream closed; there is no terminal to fit.
			return m, nil
		}
		m.width, m.height = msg.Width, msg.Height
		m.name.setSize(msg.Width, msg.Height)
		if m.phase == phasePlay {
			return m.updatePlay(msg)
		}
		return m, nil
	case noticeMsg:
		return m, m.setNotice(string(msg))
	case clearNoticeMsg:
		if int(msg) == m.noticeID {
			m.notice = ""
		}
		return m, nil
	case savedMsg:
		if msg.err != nil {
			return m, m.setNotice("Your attempt could not be saved; tell your trainer. (" + oneLine(msg.err.Error()) + ")")
		}
		return m, m.setNotice("Saved: your attempt at " + msg.title + ". Your trainer can see it now.")
	case playerQuitMsg:
		return m.playerQuit()
	case endMsg:
		// The session saves what it was last told: tell it the latest.
		m.readProgress()
		m.quitting = true
		return m, tea.Quit
	case probeMsg:
		m.probing = false
		m.readProgress()
		return m, nil
	case tea.KeyMsg:
		k, ok, cmd := m.limitLine(msg)
		if !ok {
			return m, cmd
		}
		next, cmd2 := m.updateKey(k)
		return next, tea.Batch(cmd, cmd2)
	}
	if m.phase == phaseName {
		return m, m.name.update(msg)
	}
	return m.updatePlay(msg)
}

func (m model) updateKey(k tea.KeyMsg) (tea.Model, tea.Cmd) {
	if m.phase == phasePlay {
		return m.updatePlay(k)
	}
	switch m.name.answer(k) {
	case nameEmpty:
		return m, nil
	case nameLeave:
		m.quitting = true
		return m, tea.Quit
	case nameDone:
		m.trainee = m.name.value()
		m.opts.Agent = m.trainee
		m.t.setTrainee(m.trainee)
		m.t.setActivity(presence.ActivityChoosing)
		m.phase = phasePlay
		m.notice = ""
		return m.newPlayer()
	}
	return m, m.name.update(k)
}

// newPlayer opens a fresh player at the picker, sized to the window.
func (m model) newPlayer() (model, tea.Cmd) {
	p := tui.New(m.opts)
	next, _ := p.Update(tea.WindowSizeMsg{Width: m.width, Height: m.height})
	play := next.(tui.Model)
	m.play = &play
	m.screen = m.play.Screen()
	return m, catchQuit(m.play.Init())
}

// updatePlay passes a message to the player, then reports what changed:
// the screen (for the dashboard) and, after keys, the attempt.
func (m model) updatePlay(msg tea.Msg) (tea.Model, tea.Cmd) {
	next, cmd := m.play.Update(msg)
	*m.play = next.(tui.Model)
	cmds := []tea.Cmd{catchQuit(cmd)}
	screen := m.play.Screen()
	changed := screen != m.screen
	if changed {
		// A new attempt starts from the list, or from a debrief (try
		// again, or retry from a turn).
		if (m.screen == tui.ScreenPicker || m.screen == tui.ScreenEnd) && (screen == tui.ScreenPlay || screen == tui.ScreenBriefing) {
			m.seq++
		}
		m.screen = screen
		m.t.setActivity(activityOf(screen))
	}
	// An attempt that has ended is reported at once (it is saved now);
	// one in progress is read a little later (probeAfter). In timed play
	// the clock moves the conversation on by itself (dead air), so any
	// message may have changed it.
	if res, ok := m.play.Result(); ok {
		if m.savedSeq != m.seq {
			m.savedSeq = m.seq
			m.dirty = false
			a := m.t.track(m.seq, res, true)
			cmds = append(cmds, saveCmd(m.t, a, oneLine(res.Scenario.Title)))
		}
	} else if screen == tui.ScreenPlay || screen == tui.ScreenConfirm {
		_, isKey := msg.(tea.KeyMsg)
		if isKey || changed || m.opts.Timed > 0 {
			m.dirty = true
			if !m.probing {
				m.probing = true
				cmds = append(cmds, tea.Tick(probeAfter, func(time.Time) tea.Msg { return probeMsg{} }))
			}
		}
	}
	return m, tea.Batch(cmds...)
}

// readProgress reports the attempt in progress to the session, if it may
// have changed since the last report.
func (m *model) readProgress() {
	if !m.dirty || m.phase != phasePlay {
		return
	}
	m.dirty = false
	if res, over, ok := progress(*m.play); ok && !over {
		m.t.track(m.seq, res, false)
	}
}

// playerQuit: after an attempt the trainee goes back to the picker to
// choose another; quitting at the picker ends the session.
func (m model) playerQuit() (tea.Model, tea.Cmd) {
	if _, ended := m.play.Result(); ended || m.screen != tui.ScreenPicker {
		m.t.setActivity(presence.ActivityChoosing)
		return m.newPlayer()
	}
	m.quitting = true
	return m, tea.Quit
}

func saveCmd(t tracker, a *attempt, title string) tea.Cmd {
	return func() tea.Msg {
		_, err := t.save(a)
		return savedMsg{title: title, err: err}
	}
}

// catchQuit turns the player's tea.Quit into playerQuitMsg, so the player
// ending does not end the session. It looks inside batches; the player
// does not use tea.Sequence, whose quit would still end the session (and
// the session would still save the attempt).
func catchQuit(cmd tea.Cmd) tea.Cmd {
	if cmd == nil {
		return nil
	}
	return func() tea.Msg {
		switch msg := cmd().(type) {
		case tea.QuitMsg:
			return playerQuitMsg{}
		case tea.BatchMsg:
			out := make(tea.BatchMsg, len(msg))
			for i, c := range msg {
				out[i] = catchQuit(c)
			}
			return out
		default:
			return msg
		}
	}
}

// progress reads the attempt on the player's screen: its result once it
// has ended (over), else the conversation so far (tui.Model.Attempt).
func progress(m tui.Model) (res tui.Result, over, ok bool) {
	if r, ok := m.Result(); ok {
		return r, true, true
	}
	if s := m.Screen(); s != tui.ScreenPlay && s != tui.ScreenConfirm {
		return tui.Result{}, false, false
	}
	r, ok := m.Attempt()
	return r, false, ok
}

func activityOf(screen tui.Screen) string {
	switch screen {
	case tui.ScreenPlay, tui.ScreenConfirm:
		return presence.ActivityPlaying
	case tui.ScreenEnd:
		return presence.ActivityDebrief
	}
	return presence.ActivityChoosing
}

// limitLine keeps a typed line within maxLine characters. A line is the
// characters typed (or pasted) since the last other key; what goes past the
// limit is dropped with a notice. ok is false when nothing of the key is
// left to pass on.
func (m *model) limitLine(k tea.KeyMsg) (tea.KeyMsg, bool, tea.Cmd) {
	if k.Type != tea.KeyRunes && k.Type != tea.KeySpace {
		m.lineRunes = 0
		return k, true, nil
	}
	// Bubble Tea hands every program the same rune slice for the space
	// key, and the bubbles text inputs sanitise runes in place: with many
	// programs in one process that is a data race, so each key gets its
	// own copy.
	k.Runes = slices.Clone(k.Runes)
	n := max(len(k.Runes), 1)
	room := m.maxLine - m.lineRunes
	if n <= room {
		m.lineRunes += n
		return k, true, nil
	}
	cmd := m.setNotice(fmt.Sprintf("A line can be at most %d characters here; the rest was left out.", m.maxLine))
	if room <= 0 {
		return k, false, cmd
	}
	k.Runes = k.Runes[:room]
	m.lineRunes = m.maxLine
	return k, true, cmd
}

func (m *model) setNotice(text string) tea.Cmd {
	m.noticeID++
	m.notice = text
	id := m.noticeID
	return tea.Tick(noticeFor, func(time.Time) tea.Msg { return clearNoticeMsg(id) })
}

// View draws the name prompt or the player, with the notice (if any) on
// the bottom line.
func (m model) View() string {
	if m.quitting {
		return ""
	}
	var v string
	if m.phase == phaseName {
		v = m.name.View()
	} else {
		v = m.play.View()
	}
	if m.notice == "" {
		return v
	}
	line := m.styles.Warn.Render(ansi.Truncate("! "+m.notice, max(m.width-1, 1), "…"))
	lines := strings.Split(v, "\n")
	if len(lines) > m.height {
		lines = lines[:m.height]
	}
	for len(lines) < m.height {
		lines = append(lines, "")
	}
	lines[len(lines)-1] = line
	return strings.Join(lines, "\n")
}

// oneLine makes text safe to draw on one line.
func oneLine(s string) string { return textsafe.Line(s) }
