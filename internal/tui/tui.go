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

// The smallest terminal the screens are laid out for. Below it the player
// says so instead of drawing a broken layout.
const (
	minWidth  = 40
	minHeight = 12
)

// Model is the player's root model. Update returns the next model.
//
// The root is small (a test holds it under 4 KB): it keeps the common
// every page shares and the one page on show (page.go), which Update
// changes in place. Bubble Tea boxes the root on every message, so its
// size is paid on every key. Copies of the root share the page: use only
// the model Update returned, as Bubble Tea does.
type Model struct {
	c    *common
	page page

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
	m := Model{
		c:        newCommon(opts),
		evaluate: scoring.Evaluate,
		watch:    newWatcher(opts.Reload),
	}
	switch {
	case opts.Timed < 0:
		m.err = fmt.Errorf("timed play needs a positive time per decision, not %s", opts.Timed)
	case opts.Timed > 0 && opts.Now == nil:
		m.err = errors.New("timed play needs a clock to time decisions (Options.Now)")
	case opts.Start != nil:
		m = m.start(opts.Start)
	case m.watch.on():
		m.page = &loadingPage{c: m.c}
	default:
		m.page = newPicker(m.c)
	}
	m.resize()
	return m
}

// Init starts the typewriter (and the countdown of timed play) when the
// player opens straight on a conversation, reads the trainee's progress
// for the picker, and starts the watcher's polling.
func (m Model) Init() tea.Cmd {
	var cmds []tea.Cmd
	switch p := m.page.(type) {
	case *playPage:
		cmds = append(cmds, p.init())
	case *pickerPage:
		cmds = append(cmds, m.readProgress())
	}
	if _, ok := m.page.(*loadingPage); ok {
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
	p := m.playing()
	if p == nil {
		return Result{}, false
	}
	return m.attempt(p), true
}

// Screen is a screen of the player, as Model.Screen reports it.
type Screen string

// The player's screens.
const (
	ScreenLoading Screen = "loading" // waiting for a watched file's first playable version
	ScreenPicker  Screen = "picker"
	// ScreenBriefing shows a scenario's [briefing] before the call.
	ScreenBriefing Screen = "briefing"
	// ScreenPlay is the conversation, also while its briefing is shown
	// again over it.
	ScreenPlay Screen = "play"
	// ScreenConfirm asks whether to abandon the conversation on show.
	ScreenConfirm Screen = "confirm"
	ScreenEnd     Screen = "end"
)

// Screen says which screen is on show: the server reports it to the
// trainer's dashboard, tests check it.
func (m Model) Screen() Screen {
	switch p := m.page.(type) {
	case *loadingPage:
		return ScreenLoading
	case *pickerPage:
		return ScreenPicker
	case *briefingPage:
		if p.over != nil {
			return ScreenPlay
		}
		return ScreenBriefing
	case *playPage:
		return ScreenPlay
	case *confirmPage:
		return ScreenConfirm
	case *endPage:
		return ScreenEnd
	}
	// Only a player that could not start has no page.
	return ScreenLoading
}

// playing returns the conversation under way: the play page on show, or
// the one waiting behind the abandon question or the briefing shown
// again. Nil when no conversation is under way.
func (m Model) playing() *playPage {
	switch p := m.page.(type) {
	case *playPage:
		return p
	case *confirmPage:
		return p.play
	case *briefingPage:
		return p.over
	}
	return nil
}

// conversation returns the conversation under way or, on the debrief, the
// one that just ended; nil when there is none.
func (m Model) conversation() *playPage {
	if e, ok := m.page.(*endPage); ok {
		return e.played
	}
	return m.playing()
}

// show makes p the page on show, laid out for the window.
func (m *Model) show(p page) {
	m.page = p
	m.resize()
}

// Update handles a message and returns the next model.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		// The page was laid out for 80x24 before the terminal said its
		// size, and 80x24 is often what it says: laying the picker's list
		// out again for the same size only delayed the first frame.
		if msg.Width != m.c.width || msg.Height != m.c.height {
			m.c.width, m.c.height = msg.Width, msg.Height
			m.resize()
		}
		return m, nil
	case progressMsg:
		// A folder that cannot be read leaves the list without progress:
		// the trainee can still play, and saving will say what is wrong.
		if p, ok := m.page.(*pickerPage); ok && msg.err == nil {
			return m, p.setProgress(msg.progress)
		}
		return m, nil
	case savedMsg:
		switch p := m.page.(type) {
		case *endPage:
			p.saved = "Saved: see it again with rapport history."
			if msg.err != nil {
				p.saved = "! This attempt was NOT saved: " + textsafe.Line(msg.err.Error())
			}
			p.layout()
		case *pickerPage:
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
	if _, asking := m.page.(*confirmPage); m.watch.problem != nil && !asking {
		return m.updateProblem(msg)
	}
	switch p := m.page.(type) {
	case *loadingPage:
		if k, ok := msg.(tea.KeyMsg); ok && key.Matches(k, m.c.keys.Play.Quit) {
			return m, tea.Quit
		}
		return m, nil
	case *pickerPage:
		return m.updatePicker(p, msg)
	case *briefingPage:
		return m.updateBriefing(p, msg)
	case *playPage:
		return m.updatePlay(p, msg)
	case *confirmPage:
		return m.updateConfirm(p, msg)
	case *endPage:
		return m.updateEnd(p, msg)
	}
	return m, nil
}

// updateProblem handles messages while a watched file cannot be played:
// only quitting works (asking first when a conversation is under way), and
// the typewriter finishes behind the errors.
func (m Model) updateProblem(msg tea.Msg) (tea.Model, tea.Cmd) {
	p := m.playing()
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		if _, tick := msg.(revealTickMsg); tick && p != nil {
			return m, m.page.Update(msg)
		}
		return m, nil
	}
	if !key.Matches(k, m.c.keys.Play.Quit) {
		return m, nil
	}
	if p != nil {
		m.show(newConfirm(m.c, p))
		return m, nil
	}
	return m, tea.Quit
}

func (m Model) updatePicker(p *pickerPage, msg tea.Msg) (tea.Model, tea.Cmd) {
	keys := m.c.keys.Picker
	if k, ok := msg.(tea.KeyMsg); ok {
		if p.filtering() {
			// While the filter has focus, typed characters are text.
			k = textkeys.AsText(k)
			msg = k
		}
		switch {
		case key.Matches(k, keys.ForceQuit):
			return m, tea.Quit
		case p.filtering() && key.Matches(k, keys.Start) && !p.matchesAny():
			// The list would clear a filter that matches nothing and show
			// every scenario again, one more enter from starting the
			// first: keep the filter, which the list marks "Nothing
			// matched", and its help says esc clears it.
			return m, nil
		case p.filtering():
			// The list handles the filter's keys.
		case key.Matches(k, keys.Quit):
			return m, tea.Quit
		case key.Matches(k, keys.Sort):
			return m, p.toggleSort()
		case key.Matches(k, keys.Start):
			if sc := p.selected(); sc != nil {
				m = m.start(sc)
				return m, m.playInit()
			}
			return m, nil
		}
	}
	return m, p.Update(msg)
}

func (m Model) updateBriefing(p *briefingPage, msg tea.Msg) (tea.Model, tea.Cmd) {
	k, ok := msg.(tea.KeyMsg)
	if p.over != nil {
		if ok {
			// Any key closes the briefing shown again; the
			// conversation waited behind it.
			m.show(p.over)
			return m, nil
		}
		return m, p.Update(msg)
	}
	if !ok {
		return m, nil
	}
	switch {
	case key.Matches(k, p.keys.Start):
		m = m.call(p.sc)
		if m.err != nil {
			return m, nil
		}
		return m, m.playInit()
	case key.Matches(k, p.keys.Back) && p.canGoBack():
		if p.back != nil {
			m.show(p.back)
			return m, nil
		}
		// Picked again from a debrief: the list is made afresh.
		m.show(newPicker(m.c))
		return m, m.readProgress()
	case key.Matches(k, p.keys.Quit):
		return m, tea.Quit
	}
	return m, nil
}

func (m Model) updatePlay(p *playPage, msg tea.Msg) (tea.Model, tea.Cmd) {
	if k, ok := msg.(tea.KeyMsg); ok {
		switch {
		case p.wantsQuit(k):
			m.show(newConfirm(m.c, p))
			return m, nil
		case !p.typing && key.Matches(k, p.keys.Brief):
			m.show(newBriefing(m.c, p.sc, p, nil))
			return m, nil
		}
	}
	cmd := p.Update(msg)
	if p.sess.Done() {
		return m, m.finish(p)
	}
	return m, cmd
}

func (m Model) updateConfirm(p *confirmPage, msg tea.Msg) (tea.Model, tea.Cmd) {
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		// The typewriter keeps running behind the question.
		return m, p.Update(msg)
	}
	switch p.answer(k) {
	case answerYes:
		m.result = m.attempt(p.play)
		m.hasResult = true
		return m, tea.Quit
	case answerNo:
		m.show(p.play)
	}
	return m, nil
}

func (m Model) updateEnd(p *endPage, msg tea.Msg) (tea.Model, tea.Cmd) {
	if k, ok := msg.(tea.KeyMsg); ok {
		switch {
		case key.Matches(k, m.c.keys.End.Quit):
			return m, tea.Quit
		case key.Matches(k, p.keys.Retry):
			m = m.again()
			m = m.start(p.sc)
			return m, m.playInit()
		case key.Matches(k, p.keys.RetryFrom):
			turn := p.cursor + 1
			sess, err := session.RetryFrom(p.sc, m.c.opts.session(), p.st, turn)
			if err != nil {
				m.err = fmt.Errorf("retry from turn %d: %w", turn, err)
				return m, nil
			}
			m = m.again()
			m.show(newPlayOn(sess, m.c))
			return m, m.playInit()
		case key.Matches(k, p.keys.Picker):
			m = m.again()
			m.show(newPicker(m.c))
			return m, m.readProgress()
		}
	}
	return m, p.Update(msg)
}

// start opens a scenario: on its briefing when it has one (not when an
// author is watching the file: the briefing would interrupt every
// reload), else on the play screen.
func (m Model) start(sc *scenario.Scenario) Model {
	if m.c.opts.Open != nil && !sc.Complete() {
		full, err := m.c.opts.Open(sc)
		if err != nil {
			m.err = fmt.Errorf("open %q: %w", textsafe.Line(sc.Title), err)
			return m
		}
		sc = full
	}
	if sc.Briefing != nil && !m.watch.on() {
		back, _ := m.page.(*pickerPage)
		m.show(newBriefing(m.c, sc, nil, back))
		return m
	}
	return m.call(sc)
}

// call opens the play screen: the conversation starts. The page it
// replaces (the list, most of the player's memory, or the briefing) is
// not needed again.
func (m Model) call(sc *scenario.Scenario) Model {
	p, err := newPlay(sc, m.c)
	if err != nil {
		m.err = fmt.Errorf("start %q: %w", textsafe.Line(sc.Title), err)
		return m
	}
	m.show(p)
	return m
}

// attempt is the conversation on p as a Result, ending now unless it has
// ended.
func (m Model) attempt(p *playPage) Result {
	return Result{Attempt: p.sess.Attempt(), Reloads: m.watch.reloads}
}

// finish records the conversation finished on p and opens the debrief,
// returning the command that saves it (Options.Save), if any.
func (m *Model) finish(p *playPage) tea.Cmd {
	m.result = m.attempt(p)
	m.hasResult = true
	end := newEnd(m.c, p, m.evaluate(p.sc, p.sess.State()))
	end.keys.Picker.SetEnabled(len(m.c.opts.Scenarios) > 0)
	end.practice = practice{rewinds: m.result.Rewinds, timed: m.result.Timed}
	end.retryFrom = m.result.RetryFrom
	m.show(end)
	if m.c.opts.Save == nil || m.watch.on() {
		return nil
	}
	m.handed = true
	save := m.c.opts.Save(m.result)
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
	read := m.c.opts.Progress
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
	return m
}

// resize passes the window size down to the page on show.
func (m *Model) resize() {
	if m.page != nil {
		m.page.SetSize(max(m.c.width, 1), max(m.c.height, 1))
	}
}

// View draws the page on show.
func (m Model) View() string {
	if m.c.width < minWidth || m.c.height < minHeight {
		return m.tooSmall()
	}
	var v string
	_, asking := m.page.(*confirmPage)
	switch {
	case m.err != nil:
		v = m.errorView()
	case m.watch.problem != nil && !asking:
		v = m.problemView()
	case m.page != nil:
		v = m.page.View()
	}
	return clip(v, m.c.width, m.c.height)
}

func (m Model) tooSmall() string {
	msg := fmt.Sprintf("Terminal too small (%dx%d). Rapport needs at least %dx%d: make the window bigger.",
		m.c.width, m.c.height, minWidth, minHeight)
	return clip(wrap(msg, m.c.width), m.c.width, m.c.height)
}

func (m Model) errorView() string {
	w := min(m.c.width-2, 100)
	body := m.c.styles.Error.Render("Cannot play") + "\n\n" +
		wrap(textsafe.Line(m.err.Error()), w) + "\n\n" +
		m.c.styles.Subtle.Render("Press any key to quit.")
	return "\n" + margin(body)
}

// playInit is the play page's first commands, nil when no conversation
// could start.
func (m Model) playInit() tea.Cmd {
	if p := m.playing(); p != nil {
		return p.init()
	}
	return nil
}
