package tui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/rapport-sim/rapport/internal/debrief"
	"github.com/rapport-sim/rapport/internal/engine"
	"github.com/rapport-sim/rapport/internal/scenario"
	"github.com/rapport-sim/rapport/internal/scoring"
	"github.com/rapport-sim/rapport/internal/textsafe"
)

// outcomeMark pairs each outcome with a glyph and a plain-words meaning, so
// the end screen never relies on colour to say how it went.
func outcomeMark(s *Styles, o scenario.Outcome) (word string, meaning string) {
	switch o {
	case scenario.Resolved:
		return s.Good.Render("✓ resolved"), "the problem is fixed and the customer leaves satisfied"
	case scenario.Kept:
		return s.Warn.Render("~ kept"), "the problem is not fixed yet, but the relationship held"
	case scenario.FollowUp:
		return s.Warn.Render("→ follow-up"), "a concrete next step was agreed"
	case scenario.Escalated:
		return s.Warn.Render("↑ escalated"), "handed on to someone with more authority"
	case scenario.Lost:
		return s.Bad.Render("✗ lost"), "the customer gave up on the conversation"
	}
	return s.Subtle.Render(textsafe.Line(string(o))), "an outcome Rapport does not know"
}

// endPage is the end screen: how the conversation ended, the scores, the
// key moments, every turn with its feedback (opened with enter), and the
// customer's mood over time.
type endPage struct {
	c *common
	// played is the conversation's page, kept for trying again from a
	// turn and for a watched file's next version to play on from.
	played *playPage
	sc     *scenario.Scenario
	st     engine.State
	// doc is the debrief, built once (debrief.New).
	doc    debrief.Doc
	styles *Styles
	keys   endKeyMap
	vp     viewport.Model
	// fullHelp says the full key help is open.
	fullHelp bool

	// cursor is the turn selected in the turn-by-turn list; open says which
	// turns are expanded.
	cursor int
	open   []bool
	// turnLines are the first and last content line of each turn's block,
	// from the last render, to keep the selected turn in view.
	turnLines [][2]int

	// practice is how the attempt was played, for the marks under the
	// outcome.
	practice practice
	// retryFrom is the turn this attempt was retried from (0: from the
	// start); saved says what became of the record (Options.Save), empty
	// until it is known.
	retryFrom int
	saved     string

	width, height int
	head          string
	helpBlock     string
}

// practice is how an attempt was played: untimed practice with lines
// taken back, or timed.
type practice struct {
	rewinds int
	timed   time.Duration
}

// marks says, in words, how the attempt was played when that changes how
// to read the scores (debrief.PracticeMarks), each with its glyph.
func (p practice) marks(st engine.State) []string {
	var out []string
	for _, mark := range debrief.PracticeMarks(st, p.rewinds, p.timed) {
		glyph := "↺ "
		if strings.HasPrefix(mark, "Timed") {
			glyph = "⏱ "
		}
		out = append(out, glyph+mark)
	}
	return out
}

// newEnd opens the debrief of the conversation on the played page, scored
// by r.
func newEnd(c *common, played *playPage, r scoring.Report) *endPage {
	sc, st := played.sc, played.sess.State()
	m := &endPage{
		c: c, played: played, sc: sc, st: st, doc: debrief.New(sc, st, r), styles: c.styles, keys: c.keys.End,
		vp:   viewport.New(0, 0),
		open: make([]bool, len(r.Turns)),
	}
	hasTurns := len(r.Turns) > 0
	m.keys.Expand.SetEnabled(hasTurns)
	m.keys.RetryFrom.SetEnabled(hasTurns)
	if !hasTurns {
		m.keys.Up.SetHelp("↑/↓", "scroll")
	}
	return m
}

// SetSize lays the debrief out for a new window size, keeping the scroll
// position.
func (m *endPage) SetSize(w, h int) {
	m.width, m.height = w, h
	m.layout()
}

// Update handles a message in place: moving through the turns, opening
// one, scrolling. Leaving the debrief (again, from a turn, the list,
// quit) is the root's.
func (m *endPage) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.MouseMsg:
		var cmd tea.Cmd
		m.vp, cmd = m.vp.Update(msg)
		return cmd
	case tea.KeyMsg:
		n := len(m.doc.Turns)
		switch {
		case key.Matches(msg, m.keys.Up):
			if n == 0 {
				m.vp.ScrollUp(1)
				break
			}
			m.cursor = max(0, m.cursor-1)
			m.layout()
			m.reveal()
		case key.Matches(msg, m.keys.Down):
			if n == 0 {
				m.vp.ScrollDown(1)
				break
			}
			m.cursor = min(n-1, m.cursor+1)
			m.layout()
			m.reveal()
		case key.Matches(msg, m.keys.Expand):
			if n > 0 {
				m.open[m.cursor] = !m.open[m.cursor]
				m.layout()
				m.reveal()
			}
		case key.Matches(msg, m.keys.PageUp):
			m.vp.PageUp()
		case key.Matches(msg, m.keys.PageDown):
			m.vp.PageDown()
		case key.Matches(msg, m.keys.Help):
			toggleHelp(&m.fullHelp, &m.keys.Help)
			m.layout()
		}
	}
	return nil
}

// reveal scrolls so the selected turn is in view, the whole block when it
// fits.
func (m *endPage) reveal() {
	if m.cursor >= len(m.turnLines) {
		return
	}
	first, last := m.turnLines[m.cursor][0], m.turnLines[m.cursor][1]
	top, h := m.vp.YOffset, m.vp.Height
	switch {
	case first < top:
		m.vp.SetYOffset(first)
	case last >= top+h:
		m.vp.SetYOffset(min(first, last-h+1))
	}
}

// layout renders the header, help and body for the current size and
// selection, keeping the scroll position.
func (m *endPage) layout() {
	if m.width <= 0 || m.height <= 0 {
		return
	}
	cw := contentWidth(m.width)
	s := m.styles
	title := debrief.Title(m.sc)
	word, meaning := outcomeMark(s, m.st.Outcome)
	head := []string{
		s.Title.Render(truncate("Conversation over · "+title, cw)),
		wrapMax("Outcome: "+word+" — "+meaning+".", cw, 2),
		s.Subtle.Render(truncate(fmt.Sprintf("%s on the clock · %d of your lines · overall %d, %s",
			clock(m.st.Clock), len(m.doc.Turns), m.doc.Overall, textsafe.Line(string(m.doc.Band))), cw)),
	}
	for _, mark := range m.practice.marks(m.st) {
		head = append(head, s.Warn.Render(wrapMax(mark, cw, 2)))
	}
	if m.retryFrom > 0 {
		head = append(head, s.Subtle.Render(truncate(fmt.Sprintf("↻ Retried from turn %d: turns 1–%d were said again as before.", m.retryFrom, m.retryFrom-1), cw)))
	}
	if m.saved != "" {
		head = append(head, s.Subtle.Render(truncate(m.saved, cw)))
	}
	m.head = strings.Join(head, "\n")
	m.helpBlock = m.c.helpView(m.keys, m.fullHelp, cw)
	m.vp.Width = cw
	m.vp.Height = max(1, m.height-height(m.head)-1-height(m.helpBlock))
	offset := m.vp.YOffset
	body, lines := m.body(cw)
	m.turnLines = lines
	m.vp.SetContent(body)
	m.vp.SetYOffset(offset)
}

func (m *endPage) View() string {
	return margin(strings.Join([]string{m.head, "", m.vp.View(), m.helpBlock}, "\n"))
}
