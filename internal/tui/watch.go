package tui

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/rapport-sim/rapport/internal/debrief"
	"github.com/rapport-sim/rapport/internal/engine"
	"github.com/rapport-sim/rapport/internal/scenario"
	"github.com/rapport-sim/rapport/internal/session"
	"github.com/rapport-sim/rapport/internal/textsafe"
)

// ErrUnchanged is what Options.Reload returns when the scenario file is as
// it was at the last call, so the player carries on untouched.
var ErrUnchanged = errors.New("scenario file unchanged")

// WatchInterval is how often a watching player asks Options.Reload whether
// the file has changed: often enough that a save shows at once, rarely
// enough that polling costs nothing.
const WatchInterval = 500 * time.Millisecond

// lastWatchID tells one player's watch messages from another's.
var lastWatchID atomic.Int64

// watchTickMsg asks the player to look at its scenario file again.
type watchTickMsg struct{ id int64 }

// reloadedMsg carries what Options.Reload found, read in a command, never
// in Update.
type reloadedMsg struct {
	id    int64
	sc    *scenario.Scenario
	diags scenario.Diagnostics
	err   error
}

// watcher follows the scenario file an author is editing (rapport play
// FILE --watch). It polls through Options.Reload, one call at a time: the
// next poll is scheduled only once the last one has answered.
type watcher struct {
	id     int64
	reload func() (*scenario.Scenario, scenario.Diagnostics, error)
	// problem is why the file cannot be played now; nil when it can.
	problem *watchProblem
	// warnings are the last playable version's warnings: the header counts
	// them and a reload's note shows the first.
	warnings scenario.Diagnostics
	// reloads counts the versions played after the first.
	reloads int
}

// watchProblem is a file that does not load: an error reading it, or the
// errors found in it.
type watchProblem struct {
	err   error
	diags scenario.Diagnostics
}

func newWatcher(reload func() (*scenario.Scenario, scenario.Diagnostics, error)) watcher {
	return watcher{id: lastWatchID.Add(1), reload: reload}
}

// on reports whether the player watches a file.
func (w watcher) on() bool { return w.reload != nil }

// poll reads the file now, in a command.
func (w watcher) poll() tea.Cmd {
	if !w.on() {
		return nil
	}
	id, reload := w.id, w.reload
	return func() tea.Msg {
		sc, diags, err := reload()
		return reloadedMsg{id: id, sc: sc, diags: diags, err: err}
	}
}

// next schedules the poll after this one.
func (w watcher) next() tea.Cmd {
	if !w.on() {
		return nil
	}
	id := w.id
	return tea.Tick(WatchInterval, func(time.Time) tea.Msg { return watchTickMsg{id: id} })
}

// updateWatch handles the watcher's own messages; ok is false for any
// other message.
func (m Model) updateWatch(msg tea.Msg) (next Model, cmd tea.Cmd, ok bool) {
	switch msg := msg.(type) {
	case watchTickMsg:
		if msg.id != m.watch.id || m.err != nil {
			return m, nil, true
		}
		return m, m.watch.poll(), true
	case reloadedMsg:
		if msg.id != m.watch.id || m.err != nil {
			return m, nil, true
		}
		next, cmd := m.reloaded(msg)
		return next, tea.Batch(cmd, next.watch.next()), true
	}
	return m, nil, false
}

// reloaded takes in what a poll found: nothing new, a file that cannot be
// played (shown instead of the conversation until it is fixed), or a new
// version, played on from where the trainee was.
func (m Model) reloaded(msg reloadedMsg) (Model, tea.Cmd) {
	switch {
	case errors.Is(msg.err, ErrUnchanged):
		return m, nil
	case msg.err != nil:
		m.setProblem(&watchProblem{err: msg.err})
		return m, nil
	case msg.diags.HasErrors():
		// Errors first, then the warnings: the author fixes both at once.
		m.setProblem(&watchProblem{diags: append(msg.diags.Errors(), msg.diags.Warnings()...)})
		return m, nil
	case msg.sc == nil:
		m.setProblem(&watchProblem{err: errors.New("the file holds no scenario")})
		return m, nil
	}
	m.watch.problem = nil
	m.watch.warnings = msg.diags.Warnings()
	switch m.page.(type) {
	case *loadingPage, *pickerPage:
		m = m.start(msg.sc)
		if p := m.playing(); p != nil {
			p.watching = m.watch.label(msg.sc)
			if w := m.watch.warnings; len(w) > 0 {
				p.note = warningNote(w)
			}
			p.layout()
		}
		return m, m.playInit()
	}
	return m.restart(msg.sc)
}

// label is what the play screen's header says while watching: the file
// and how many warnings it has.
func (w watcher) label(sc *scenario.Scenario) string {
	name := "the scenario file"
	if sc != nil && sc.File != "" {
		name = filepath.Base(sc.File)
	}
	l := "Watching " + textsafe.Line(name)
	switch n := len(w.warnings); n {
	case 0:
	case 1:
		l += " (1 warning)"
	default:
		l += fmt.Sprintf(" (%d warnings)", n)
	}
	return l
}

// warningNote shows the first warning of a version that plays.
func warningNote(ws scenario.Diagnostics) string {
	d := ws[0]
	more := ""
	if len(ws) > 1 {
		more = fmt.Sprintf(" (and %d more: rapport check lists them)", len(ws)-1)
	}
	return fmt.Sprintf("Warning: %s [%s]%s", textsafe.Line(d.Message), d.Code, more)
}

// setProblem shows why the file cannot be played. The countdown stops: the
// trainee is reading errors, not deciding.
func (m *Model) setProblem(p *watchProblem) {
	m.watch.problem = p
	if play := m.conversation(); play != nil {
		play.timer.reset()
	}
}

// restart plays a new version of the scenario from where the trainee was:
// the steps taken so far are replayed on it, as many as still fit, and a
// note says what happened. Rewinds and the start time carry over.
func (m Model) restart(sc *scenario.Scenario) (Model, tea.Cmd) {
	old := m.conversation()
	if old == nil {
		return m, nil
	}
	p, err := newPlay(sc, m.c)
	if err != nil {
		m.setProblem(&watchProblem{err: err})
		return m, nil
	}
	steps := old.sess.State().Steps
	kept, err := p.replay(old.sc, old.sess)
	if err != nil {
		m.setProblem(&watchProblem{err: err})
		return m, nil
	}
	p.note = reloadNote(sc, old.sess.State(), p.sess.State(), kept, len(steps))
	if w := m.watch.warnings; len(w) > 0 {
		p.note += " " + warningNote(w)
	}
	p.watching = m.watch.label(sc)
	m.watch.reloads++
	// A finished attempt played on in a new version is no longer
	// finished: finish or abandoning records it again.
	m.result, m.hasResult = Result{}, false
	if p.sess.Done() {
		m.finish(p)
		return m, nil
	}
	// The question or the briefing over the conversation stays, over the
	// new version.
	switch on := m.page.(type) {
	case *confirmPage:
		m.show(newConfirm(m.c, p))
	case *briefingPage:
		m.show(newBriefing(m.c, on.sc, p, nil))
	default:
		m.show(p)
	}
	return m, m.playInit()
}

// replay takes the steps of prev, made on the old version of the
// scenario, on a fresh conversation until one no longer fits (see
// sameChoice). It returns how many were taken.
func (m *playPage) replay(old *scenario.Scenario, prev session.Session) (int, error) {
	kept, err := m.sess.Continue(prev, func(at *scenario.Node, s engine.Step, offered []*scenario.Choice) (int, bool) {
		return sameChoice(old, at, s, offered)
	})
	if err != nil || kept == 0 {
		return 0, err
	}
	st := m.sess.State()
	m.newest = session.Newest(st.Transcript)
	m.before = session.MoodBefore(st)
	m.forgetHistory()
	m.timer.reset()
	m.reveal.start(m.revealRunes(), m.animate)
	m.armTimer()
	m.jump = true
	return kept, nil
}

// sameChoice finds, among the choices offered at node in the new version,
// the one a step took in the old version. Choices are numbered by their
// place, so a number alone can point at a different choice once the author
// adds, removes or reorders them: the old choice's words decide. The same
// words (wherever they now are) are the same choice; otherwise the choice
// with the same number, when its words are new (the author reworded it)
// rather than another old choice's (the choices moved). A choice whose
// author wrote its id is found by that id first, however it was reworded.
// Typed answers keep the number they were matched to.
func sameChoice(old *scenario.Scenario, node *scenario.Node, s engine.Step, offered []*scenario.Choice) (int, bool) {
	byNumber := func(cs []*scenario.Choice, n int) *scenario.Choice {
		for _, c := range cs {
			if c.Number == n {
				return c
			}
		}
		return nil
	}
	now := byNumber(offered, s.Choice)
	var was *scenario.Node
	if node != nil && old != nil {
		was, _ = old.Node(node.ID)
	}
	if s.Typed() || was == nil {
		return s.Choice, now != nil
	}
	before := byNumber(was.Choices, s.Choice)
	if before == nil {
		return s.Choice, now != nil
	}
	if before.IDWritten {
		// An id the author wrote names the choice whatever its words.
		for _, c := range offered {
			if c.ID == before.ID {
				return c.Number, true
			}
		}
	}
	for _, c := range offered {
		if c.Say == before.Say {
			return c.Number, true
		}
	}
	if now == nil {
		return 0, false
	}
	for _, c := range was.Choices {
		if c.Say == now.Say {
			// Another old choice has moved into this number.
			return 0, false
		}
	}
	return now.Number, true
}

// reloadNote says what a reload did to the conversation.
func reloadNote(sc *scenario.Scenario, was, now engine.State, kept, steps int) string {
	// The file's own name: the folder is known to the author, and a long
	// path would crowd the note out of its two lines.
	name := textsafe.Line(filepath.Base(sc.File))
	if sc.File == "" {
		name = "the scenario"
	}
	_, stillThere := sc.Node(was.Node)
	switch {
	case steps == 0:
		return fmt.Sprintf("Reloaded %s: the conversation starts again.", name)
	case kept == 0:
		return fmt.Sprintf("Reloaded %s: your first choice no longer fits, so the conversation starts again from the beginning.", name)
	case kept < steps:
		return fmt.Sprintf("Reloaded %s: your choice %d no longer fits; the first %d stand.", name, kept+1, kept)
	case was.Done() && !now.Done():
		return fmt.Sprintf("Reloaded %s: the conversation no longer ends there; your choices now lead to %s.", name, textsafe.Line(now.Node))
	case was.Done() || now.Node == was.Node:
		return fmt.Sprintf("Reloaded %s: carrying on where you were.", name)
	case !stillThere:
		return fmt.Sprintf("Reloaded %s: %s is gone; your choices now lead to %s.", name, textsafe.Line(was.Node), textsafe.Line(now.Node))
	}
	return fmt.Sprintf("Reloaded %s: your choices now lead to %s.", name, textsafe.Line(now.Node))
}

// problemView shows why the watched file cannot be played, every
// diagnostic with its place and hint, as many as fit.
func (m Model) problemView() string {
	cw := contentWidth(m.c.width)
	s := m.c.styles
	p := m.watch.problem
	file := ""
	for _, d := range p.diags {
		file = d.File
		break
	}
	if play := m.conversation(); file == "" && play != nil {
		file = play.sc.File
	}
	title := "Watching the scenario file"
	if file != "" {
		title = "Watching " + file
	}
	then := "play starts when it loads."
	if _, loading := m.page.(*loadingPage); !loading {
		then = "play goes on where you left it."
	}
	var head []string
	head = append(head, s.Title.Render(truncate(textsafe.Line(title), cw)))
	if p.err != nil {
		head = append(head, s.Error.Render(wrap("Cannot read the file: "+textsafe.Line(p.err.Error()), cw)),
			s.Subtle.Render(wrap("Still watching: save it again and "+then, cw)))
	} else {
		has := debrief.Plural(len(p.diags.Errors()), "error", "errors")
		if w := len(p.diags.Warnings()); w > 0 {
			has += " and " + debrief.Plural(w, "warning", "warnings")
		}
		head = append(head, s.Error.Render(wrap(fmt.Sprintf("The file has %s. Fix them and save: %s", has, then), cw)))
	}
	foot := m.c.helpView(problemKeys{m.c.keys.Play.Quit}, false, cw)
	room := m.c.height - height(strings.Join(head, "\n")) - 1 - height(foot)

	var body []string
	for i, d := range p.diags {
		block := []string{s.Text.Render(wrap(textsafe.Line(d.String()), cw))}
		if h := textsafe.Line(d.Hint); h != "" {
			block = append(block, s.Subtle.Render(hang(wrapLines("hint: "+h, cw-4), "    ", "    ")))
		}
		if x := textsafe.Text(d.Excerpt); x != "" {
			for _, l := range strings.Split(x, "\n") {
				block = append(block, s.Faint.Render("    "+truncate(l, cw-4)))
			}
		}
		b := strings.Join(block, "\n")
		left := len(p.diags) - i - 1
		more := 0
		if left > 0 {
			more = 1
		}
		if height(strings.Join(append(body, b), "\n"))+more > room {
			body = append(body, s.Subtle.Render(fmt.Sprintf("… and %d more: rapport check %s lists them all.", len(p.diags)-i, textsafe.Line(file))))
			break
		}
		body = append(body, b)
	}
	return margin(strings.Join(head, "\n") + "\n\n" + strings.Join(body, "\n") + "\n" + foot)
}

// problemKeys is the one key that works while the file cannot be played.
type problemKeys struct{ Quit key.Binding }

// ShortHelp lists the key.
func (k problemKeys) ShortHelp() []key.Binding { return []key.Binding{k.Quit} }

// FullHelp lists the key.
func (k problemKeys) FullHelp() [][]key.Binding { return [][]key.Binding{k.ShortHelp()} }
