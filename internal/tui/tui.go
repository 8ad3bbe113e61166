// Package tui is Rapport's full-screen player: a Bubble Tea program that
// lets a trainee pick a scenario, hold the conversation and read how it went.
//
// The package holds models only. It never exits the process, parses flags
// or touches files; the caller passes the scenarios in and reads the
// outcome out of the final model:
//
//	m := tui.New(tui.Options{Scenarios: library, Pace: pace, Renderer: r})
//	final, err := tea.NewProgram(m, tea.WithAltScreen()).Run()
//	if err != nil { ... }
//	if res, ok := final.(tui.Model).Result(); ok {
//		// res.State is the finished or abandoned conversation: save it.
//	}
//
// Screens: a picker (skipped when Options.Start is set), the play screen,
// and the end screen with the debrief. Quitting mid-conversation asks first;
// an abandoned attempt is still reported by Result (Abandoned: it did not
// reach an ending), and Attempt reads the one in progress at any time.
//
// Three ways of playing change the play screen:
//   - Untimed practice (the default) lets the trainee take back the last
//     line with b. Rewinds are counted in Result and marked on the debrief.
//   - Timed play (Options.Timed) shows a countdown for each decision once
//     the customer's line is shown whole, and measures the real pause with
//     Options.Now. When the time runs out the customer hears dead air and
//     reacts (engine.AfterSilence); the trainee still answers, and the
//     step records the dead air (engine.Step.DeadAir).
//   - Watching (Options.Reload, for rapport play FILE --watch) reads the
//     scenario file again every WatchInterval, in a command supplied by the
//     caller, shows its errors instead of the conversation while it is
//     broken, and carries on from the same point once it loads again.
//
// Everything drawn from a scenario passes textsafe.Text first, every
// style comes from Options.Renderer (one per SSH session), and nothing is
// shown by colour alone, so the player works with NO_COLOR and in
// monochrome terminals.
package tui

import (
	"errors"
	"fmt"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/rapport-sim/rapport/internal/engine"
	"github.com/rapport-sim/rapport/internal/reader"
	"github.com/rapport-sim/rapport/internal/results"
	"github.com/rapport-sim/rapport/internal/scenario"
	"github.com/rapport-sim/rapport/internal/scoring"
	"github.com/rapport-sim/rapport/internal/session"
	"github.com/rapport-sim/rapport/internal/textsafe"
	"github.com/rapport-sim/rapport/internal/tui/textkeys"
)

// Options configure the player.
type Options struct {
	// Scenarios is the library the picker offers, in the order given.
	Scenarios []*scenario.Scenario
	// Start, when set, skips the picker and starts this scenario at once.
	Start *scenario.Scenario
	// Pace is how long lines take on the conversation clock. Nil means the
	// scoring model's clock for each scenario's channel
	// (scoring.Pace(sc.Channel)), which is what the scores assume.
	Pace engine.Pace
	// Agent is the trainee's name; its first word is what {agent} says in
	// the scenario's lines (scenario.AgentName). Empty means
	// scenario.DefaultAgent.
	Agent string
	// Hesitation is the pause counted on the conversation clock before
	// each of the trainee's lines in untimed play. Zero means
	// scoring.DefaultHesitation.
	Hesitation time.Duration
	// Renderer draws everything; over SSH it is the session's renderer.
	// Nil means lipgloss.DefaultRenderer().
	Renderer *lipgloss.Renderer
	// NoAnimation shows the customer's lines whole instead of typing them
	// out.
	NoAnimation bool
	// Timed is the time allowed for each decision; zero is untimed
	// practice. Timed play measures each pause with Now (Hesitation is not
	// used), and offers no rewinds.
	Timed time.Duration
	// Now reads the wall clock: it times decisions in timed play (which
	// needs it) and stamps Result.Started and Result.Ended. The player
	// never reads the clock itself, so tests pass a fake one; the CLI
	// passes time.Now.
	Now func() time.Time
	// Reload, when set, makes the player watch the scenario file being
	// played: every WatchInterval it is called in a command (never in
	// Update) and returns the scenario read afresh with its diagnostics,
	// ErrUnchanged when the file has not changed since the last call, or
	// another error when it cannot be read. With Start nil, the first call
	// supplies the scenario to play.
	Reload func() (*scenario.Scenario, scenario.Diagnostics, error)
	// Open completes a scenario the picker listed from its header alone
	// (scenario.ParseHeader), when the trainee picks it. Listing headers
	// lets the first frame appear before the whole library is parsed.
	// Nil means the picker's scenarios are complete already. It is called
	// inside Update, so it must not block: it is meant for scenarios held
	// in memory, such as the embedded library.
	Open func(*scenario.Scenario) (*scenario.Scenario, error)

	// Save, when set, keeps each attempt that reaches an ending, so a
	// trainee can try again without leaving the program. The player calls
	// it in Update as the debrief opens, so it must not block: it returns
	// the saving itself, which the player runs in a command, and the end
	// screen says whether it worked. The first call lets the caller count
	// the saves under way and wait for them before the process exits. An
	// attempt handed to Save is no longer returned by Model.Attempt, so
	// the caller saves only the one left at the end.
	Save func(Result) func() error

	// Progress, when set, reads the trainee's progress at each scenario
	// (results.ProgressOf over their records, by scenario id) for the
	// picker. It reads files, so the player calls it in a command, never
	// in Update: when the picker opens, and again on coming back to it
	// after an attempt.
	Progress func() (map[string]results.Progress, error)

	// match, when set, hears typed words instead of the scoring model
	// (session.Options.Match): view tests freeze it.
	match func(string, []*scenario.Choice, reader.Context) reader.Match
}

// Result is the attempt a program ended with: the session's attempt (see
// session.Attempt, which results.RecordOf saves) and how often a watched
// file was reloaded during it.
type Result struct {
	session.Attempt
	// Reloads counts the new versions of the scenario file played during
	// the attempt (Options.Reload); Scenario is the last one.
	Reloads int
}

// Abandoned reports whether the conversation was left before its end: the
// one status rule, session.Attempt.Finished.
func (r Result) Abandoned() bool { return !r.Finished() }

// screen is which screen the player shows.
type screen int

const (
	screenPicker screen = iota
	screenPlay
	screenEnd
	// screenLoading waits for a watched file's first playable version.
	screenLoading
	// screenBriefing shows a scenario's [briefing] before the call.
	screenBriefing
)

func (s screen) String() string {
	switch s {
	case screenLoading:
		return "loading"
	case screenPicker:
		return "picker"
	case screenPlay:
		return "play"
	case screenEnd:
		return "end"
	case screenBriefing:
		return "briefing"
	}
	return fmt.Sprintf("screen(%d)", int(s))
}

// The smallest terminal the screens are laid out for. Below it the player
// says so instead of drawing a broken layout.
const (
	minWidth  = 40
	minHeight = 12
)

// Model is the player's root model. Update returns the next model.
//
// The root is small (a test holds it under 4 KB): every screen is a page
// behind a pointer, and only the pages that can still be shown are kept
// (the picker goes once a conversation starts). Bubble Tea boxes the root
// on every message, so its size is paid on every key. The pages are
// shared by copies of the root and changed in place: use only the model
// Update returned, as Bubble Tea does.
type Model struct {
	opts   Options
	styles *Styles
	keys   *keyMap

	screen     screen
	confirming bool
	// rebrief shows the briefing again over the play screen.
	rebrief bool
	width   int
	height  int

	picker *pickerModel
	// briefed is the scenario whose briefing is on show.
	briefed *scenario.Scenario
	play    *playModel
	end     *endModel
	// confirm remembers nothing but its keys; it is drawn from the play
	// model's scenario.
	confirm *confirmModel

	// watch follows the scenario file when Options.Reload is set.
	watch watcher

	result    Result
	hasResult bool
	// handed says result was handed to Options.Save.
	handed bool
	err    error

	// evaluate scores a finished conversation for the debrief. It is
	// scoring.Evaluate; view tests freeze it so goldens follow the player's
	// layout rather than every tuning of the scoring rules.
	evaluate func(*scenario.Scenario, engine.State) scoring.Report
}

// New builds the player. With Options.Start set it opens on the play
// screen, else on the picker.
func New(opts Options) Model {
	if opts.Renderer == nil {
		opts.Renderer = lipgloss.DefaultRenderer()
	}
	styles := DefaultStyles(opts.Renderer)
	keys := defaultKeyMap()
	m := Model{
		opts:     opts,
		styles:   &styles,
		keys:     &keys,
		evaluate: scoring.Evaluate,
		// Until the terminal reports its size, lay out for the classic
		// 80x24 so a first frame is never empty.
		width:  80,
		height: 24,
	}
	confirm := newConfirm(m.styles, m.keys.Confirm)
	m.confirm = &confirm
	if opts.Start == nil {
		picker := newPicker(opts.Scenarios, m.styles, m.keys.Picker)
		m.picker = &picker
	}
	m.watch = newWatcher(opts.Reload)
	switch {
	case opts.Timed < 0:
		m.err = fmt.Errorf("timed play needs a positive time per decision, not %s", opts.Timed)
	case opts.Timed > 0 && opts.Now == nil:
		m.err = errors.New("timed play needs a clock to time decisions (Options.Now)")
	case opts.Start != nil:
		m = m.start(opts.Start)
	case m.watch.on():
		m.screen = screenLoading
	}
	m.resize()
	return m
}

// Init starts the typewriter (and the countdown of timed play) when the
// player opens straight on a conversation, and the watcher's polling.
func (m Model) Init() tea.Cmd {
	var cmds []tea.Cmd
	if m.screen == screenPlay {
		cmds = append(cmds, m.playInit())
	}
	if m.screen == screenPicker {
		cmds = append(cmds, m.readProgress())
	}
	if m.screen == screenLoading {
		cmds = append(cmds, m.watch.poll())
	} else {
		cmds = append(cmds, m.watch.next())
	}
	return tea.Batch(cmds...)
}

// Result returns the attempt the program ended with. ok is false when no
// conversation was started (the trainee quit from the picker).
func (m Model) Result() (res Result, ok bool) {
	return m.result, m.hasResult
}

// Attempt returns the attempt as it stands: the finished or abandoned
// conversation the program ended with, else the one in progress, marked
// Abandoned and ending now. A caller reads it after the program stopped
// for a reason of its own (a signal, a closed terminal) so that the
// conversation under way is saved too. ok is false when no conversation
// was started.
func (m Model) Attempt() (res Result, ok bool) {
	if m.hasResult {
		return m.result, !m.handed
	}
	if m.screen != screenPlay || m.play == nil {
		return Result{}, false
	}
	return m.attempt(), true
}

// Screen is a screen of the player, as Model.Screen reports it.
type Screen string

// The player's screens.
const (
	ScreenLoading Screen = "loading" // waiting for a watched file's first playable version
	ScreenPicker  Screen = "picker"
	// ScreenBriefing shows a scenario's [briefing] before the call.
	ScreenBriefing Screen = "briefing"
	ScreenPlay     Screen = "play"
	// ScreenConfirm asks whether to abandon the conversation on show.
	ScreenConfirm Screen = "confirm"
	ScreenEnd     Screen = "end"
)

// Screen says which screen is on show: the server reports it to the
// trainer's dashboard, tests check it.
func (m Model) Screen() Screen {
	if m.confirming {
		return ScreenConfirm
	}
	return Screen(m.screen.String())
}

// Update handles a message and returns the next model.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if size, ok := msg.(tea.WindowSizeMsg); ok {
		m.width, m.height = size.Width, size.Height
		m.resize()
		return m, nil
	}
	if msg, ok := msg.(progressMsg); ok {
		// A folder that cannot be read leaves the list without progress:
		// the trainee can still play, and saving will say what is wrong.
		if m.picker != nil && msg.err == nil {
			return m, m.picker.setProgress(msg.progress)
		}
		return m, nil
	}
	if msg, ok := msg.(savedMsg); ok {
		switch {
		case m.screen == screenEnd && m.end != nil:
			m.end.saved = "Saved: see it again with rapport history."
			if msg.err != nil {
				m.end.saved = "! This attempt was NOT saved: " + textsafe.Line(msg.err.Error())
			}
			m.end.layout()
		case m.screen == screenPicker:
			// Back on the list before the save was done: read the
			// progress again, with this attempt in it.
			return m, m.readProgress()
		}
		return m, nil
	}
	if next, cmd, ok := m.updateWatch(msg); ok {
		return next, cmd
	}
	if m.err != nil {
		// After a fatal problem any key quits.
		if _, ok := msg.(tea.KeyMsg); ok {
			return m, tea.Quit
		}
		return m, nil
	}
	if m.watch.problem != nil && !m.confirming {
		return m.updateProblem(msg)
	}
	switch m.screen {
	case screenLoading:
		if k, ok := msg.(tea.KeyMsg); ok && key.Matches(k, m.keys.Play.Quit) {
			return m, tea.Quit
		}
		return m, nil
	case screenPicker:
		return m.updatePicker(msg)
	case screenBriefing:
		return m.updateBriefing(msg)
	case screenPlay:
		if m.confirming {
			return m.updateConfirm(msg)
		}
		return m.updatePlay(msg)
	case screenEnd:
		return m.updateEnd(msg)
	}
	return m, nil
}

// updateProblem handles messages while a watched file cannot be played:
// only quitting works (asking first when a conversation is under way), and
// the typewriter finishes behind the errors.
func (m Model) updateProblem(msg tea.Msg) (tea.Model, tea.Cmd) {
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		if m.screen == screenPlay {
			if _, tick := msg.(revealTickMsg); tick {
				cmd := m.play.update(msg)
				return m, cmd
			}
		}
		return m, nil
	}
	if !key.Matches(k, m.keys.Play.Quit) {
		return m, nil
	}
	if m.screen == screenPlay {
		m.confirming = true
		return m, nil
	}
	return m, tea.Quit
}

func (m Model) updatePicker(msg tea.Msg) (tea.Model, tea.Cmd) {
	if k, ok := msg.(tea.KeyMsg); ok {
		if m.picker.filtering() {
			// While the filter has focus, typed characters are text.
			k = textkeys.AsText(k)
			msg = k
		}
		switch {
		case key.Matches(k, m.keys.Picker.ForceQuit):
			return m, tea.Quit
		case m.picker.filtering() && key.Matches(k, m.keys.Picker.Start) && !m.picker.matchesAny():
			// The list would clear a filter that matches nothing and show
			// every scenario again, one more enter from starting the
			// first: keep the filter, which the list marks "Nothing
			// matched", and its help says esc clears it.
			return m, nil
		case m.picker.filtering():
			// The list handles the filter's keys.
		case key.Matches(k, m.keys.Picker.Quit):
			return m, tea.Quit
		case key.Matches(k, m.keys.Picker.Sort):
			return m, m.picker.toggleSort()
		case key.Matches(k, m.keys.Picker.Start):
			if sc := m.picker.selected(); sc != nil {
				m = m.start(sc)
				return m, m.playInit()
			}
			return m, nil
		}
	}
	var cmd tea.Cmd
	*m.picker, cmd = m.picker.update(msg)
	return m, cmd
}

func (m Model) updatePlay(msg tea.Msg) (tea.Model, tea.Cmd) {
	if k, ok := msg.(tea.KeyMsg); ok {
		switch {
		case m.rebrief:
			// Any key closes the briefing; the conversation waited
			// behind it.
			m.rebrief = false
			return m, nil
		case m.play.wantsQuit(k):
			m.confirming = true
			return m, nil
		case !m.play.typing && key.Matches(k, m.play.keys.Brief):
			m.rebrief = true
			return m, nil
		}
	}
	cmd := m.play.update(msg)
	if m.play.sess.Done() {
		return m, m.finish()
	}
	return m, cmd
}

func (m Model) updateConfirm(msg tea.Msg) (tea.Model, tea.Cmd) {
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		// The typewriter keeps running behind the question.
		cmd := m.play.update(msg)
		return m, cmd
	}
	switch m.confirm.answer(k) {
	case answerYes:
		m.result = m.attempt()
		m.hasResult = true
		return m, tea.Quit
	case answerNo:
		m.confirming = false
	}
	return m, nil
}

func (m Model) updateEnd(msg tea.Msg) (tea.Model, tea.Cmd) {
	if k, ok := msg.(tea.KeyMsg); ok {
		switch {
		case key.Matches(k, m.keys.End.Quit):
			return m, tea.Quit
		case key.Matches(k, m.end.keys.Retry):
			m = m.again()
			m = m.start(m.play.sc)
			return m, m.playInit()
		case key.Matches(k, m.end.keys.RetryFrom):
			turn := m.end.cursor + 1
			sess, err := session.RetryFrom(m.play.sc, m.opts.session(), m.play.sess.State(), turn)
			if err != nil {
				m.err = fmt.Errorf("retry from turn %d: %w", turn, err)
				return m, nil
			}
			m = m.again()
			p := newPlayOn(sess, m.opts, m.styles, *m.keys)
			m.play = &p
			m.screen = screenPlay
			m.resize()
			return m, m.playInit()
		case key.Matches(k, m.end.keys.Picker):
			m = m.again()
			picker := newPicker(m.opts.Scenarios, m.styles, m.keys.Picker)
			m.picker = &picker
			m.play = nil
			m.screen = screenPicker
			m.resize()
			return m, m.readProgress()
		}
	}
	var cmd tea.Cmd
	*m.end, cmd = m.end.update(msg)
	return m, cmd
}

// start opens a scenario: on its briefing when it has one (not when an
// author is watching the file: the briefing would interrupt every
// reload), else on the play screen.
func (m Model) start(sc *scenario.Scenario) Model {
	if m.opts.Open != nil && !sc.Complete() {
		full, err := m.opts.Open(sc)
		if err != nil {
			m.err = fmt.Errorf("open %q: %w", textsafe.Line(sc.Title), err)
			return m
		}
		sc = full
	}
	if sc.Briefing != nil && !m.watch.on() {
		m.briefed = sc
		m.screen = screenBriefing
		return m
	}
	return m.call(sc)
}

// call opens the play screen: the conversation starts.
func (m Model) call(sc *scenario.Scenario) Model {
	m.briefed = nil
	p, err := newPlay(sc, m.opts, m.styles, *m.keys)
	if err != nil {
		m.err = fmt.Errorf("start %q: %w", textsafe.Line(sc.Title), err)
		return m
	}
	m.play = &p
	// The list (most of the player's memory) is not needed again.
	m.picker = nil
	m.screen = screenPlay
	m.resize()
	return m
}

// attempt is the conversation on show as a Result, ending now unless it
// has ended.
func (m Model) attempt() Result {
	return Result{Attempt: m.play.sess.Attempt(), Reloads: m.watch.reloads}
}

// finish records the finished conversation and opens the end screen,
// returning the command that saves it (Options.Save), if any.
func (m *Model) finish() tea.Cmd {
	m.result = m.attempt()
	m.hasResult = true
	st := m.play.sess.State()
	end := newEnd(m.play.sc, st, m.evaluate(m.play.sc, st), m.styles, m.keys.End)
	end.keys.Picker.SetEnabled(len(m.opts.Scenarios) > 0)
	m.end = &end
	m.end.practice = practice{rewinds: m.result.Rewinds, timed: m.result.Timed}
	m.end.retryFrom = m.result.RetryFrom
	m.screen = screenEnd
	m.resize()
	if m.opts.Save == nil || m.watch.on() {
		return nil
	}
	m.handed = true
	save := m.opts.Save(m.result)
	return func() tea.Msg { return savedMsg{err: save()} }
}

// progressMsg carries the trainee's progress, read by Options.Progress.
type progressMsg struct {
	progress map[string]results.Progress
	err      error
}

// readProgress reads the trainee's progress in a command, nil without
// Options.Progress.
func (m Model) readProgress() tea.Cmd {
	read := m.opts.Progress
	if read == nil {
		return nil
	}
	return func() tea.Msg {
		p, err := read()
		return progressMsg{progress: p, err: err}
	}
}

// savedMsg says how saving the attempt on the end screen went.
type savedMsg struct{ err error }

// again leaves the end screen for another attempt: the one shown is over
// (and saved, with Options.Save), so Result and Attempt forget it.
func (m Model) again() Model {
	m.result, m.hasResult, m.handed = Result{}, false, false
	m.end = nil
	return m
}

// resize passes the window size down to the screen on show.
func (m *Model) resize() {
	w, h := max(m.width, 1), max(m.height, 1)
	switch {
	case m.screen == screenPicker && m.picker != nil:
		m.picker.setSize(w, h)
	case m.screen == screenPlay && m.play != nil:
		m.play.setSize(w, h)
	case m.screen == screenEnd && m.end != nil:
		m.end.setSize(w, h)
	}
}

// View draws the screen on show.
func (m Model) View() string {
	if m.width < minWidth || m.height < minHeight {
		return m.tooSmall()
	}
	var v string
	switch {
	case m.err != nil:
		v = m.errorView()
	case m.confirming:
		v = m.confirm.view(m.play.sc, m.width, m.height)
	case m.watch.problem != nil:
		v = m.problemView()
	case m.screen == screenLoading:
		v = m.loadingView()
	case m.screen == screenPicker:
		v = m.picker.View()
	case m.screen == screenBriefing:
		v = m.briefingView()
	case m.screen == screenPlay && m.rebrief:
		v = m.rebriefView()
	case m.screen == screenPlay:
		v = m.play.View()
	case m.screen == screenEnd:
		v = m.end.View()
	}
	return clip(v, m.width, m.height)
}

func (m Model) tooSmall() string {
	msg := fmt.Sprintf("Terminal too small (%dx%d). Rapport needs at least %dx%d: make the window bigger.",
		m.width, m.height, minWidth, minHeight)
	return clip(wrap(msg, m.width), m.width, m.height)
}

func (m Model) errorView() string {
	w := min(m.width-2, 100)
	body := m.styles.Error.Render("Cannot play") + "\n\n" +
		wrap(textsafe.Line(m.err.Error()), w) + "\n\n" +
		m.styles.Subtle.Render("Press any key to quit.")
	return "\n" + margin(body)
}

// playInit is the play page's first commands, nil when no conversation
// could start.
func (m Model) playInit() tea.Cmd {
	if m.play == nil {
		return nil
	}
	return m.play.init()
}
