package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/rapport-sim/rapport/internal/engine"
	"github.com/rapport-sim/rapport/internal/scenario"
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
	return s.Subtle.Render(oneLine(string(o))), "an outcome Rapport does not know"
}

// pathStep is one decision on the path taken.
type pathStep struct {
	node   string
	choice int
	text   string
	typed  bool
	at     string
}

// pathOf lists the trainee's decisions from a transcript.
func pathOf(st engine.State) []pathStep {
	var out []pathStep
	for _, e := range st.Transcript {
		if e.Speaker != engine.Trainee {
			continue
		}
		out = append(out, pathStep{node: oneLine(e.Node), choice: e.Choice, text: oneLine(e.Text), typed: e.Typed, at: clock(e.At)})
	}
	return out
}

// endModel is the end screen: how the conversation ended and the path
// that led there, with the debrief below when scoring is available.
type endModel struct {
	sc     *scenario.Scenario
	st     engine.State
	styles *Styles
	keys   endKeyMap
	help   help.Model
	vp     viewport.Model

	width, height int
	head          string
	helpBlock     string
}

func newEnd(sc *scenario.Scenario, st engine.State, s *Styles, keys endKeyMap) endModel {
	m := endModel{sc: sc, st: st, styles: s, keys: keys, help: newHelp(s), vp: viewport.New(0, 0)}
	m.keys.Expand.SetEnabled(false)
	m.keys.Up.SetHelp("↑/↓", "scroll")
	return m
}

func (m *endModel) setSize(w, h int) {
	m.width, m.height = w, h
	m.layout()
}

func (m endModel) update(msg tea.Msg) (endModel, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.MouseMsg:
		var cmd tea.Cmd
		m.vp, cmd = m.vp.Update(msg)
		return m, cmd
	case tea.KeyMsg:
		switch {
		case key.Matches(msg, m.keys.Up):
			m.vp.ScrollUp(1)
		case key.Matches(msg, m.keys.Down):
			m.vp.ScrollDown(1)
		case key.Matches(msg, m.keys.PageUp):
			m.vp.PageUp()
		case key.Matches(msg, m.keys.PageDown):
			m.vp.PageDown()
		case key.Matches(msg, m.keys.Help):
			m.help.ShowAll = !m.help.ShowAll
			m.layout()
		}
	}
	return m, nil
}

// layout renders the header, help and body for the current size.
func (m *endModel) layout() {
	if m.width <= 0 || m.height <= 0 {
		return
	}
	cw := contentWidth(m.width)
	s := m.styles
	title := oneLine(m.sc.Title)
	if title == "" {
		title = oneLine(m.sc.ID)
	}
	word, meaning := outcomeMark(s, m.st.Outcome)
	head := []string{
		s.Title.Render(truncate("Conversation over · "+title, cw)),
		wrapMax("Outcome: "+word+" — "+meaning+".", cw, 2),
		s.Subtle.Render(truncate(fmt.Sprintf("%s on the clock · %d of your lines", clock(m.st.Clock), len(pathOf(m.st))), cw)),
	}
	m.head = strings.Join(head, "\n")
	m.help.Width = cw
	m.helpBlock = m.help.View(m.keys)
	m.vp.Width = cw
	m.vp.Height = max(1, m.height-height(m.head)-1-height(m.helpBlock))
	offset := m.vp.YOffset
	m.vp.SetContent(m.body(cw))
	m.vp.SetYOffset(offset)
}

// body is the scrollable part: the ending, the path, the customer's mood.
func (m endModel) body(cw int) string {
	s := m.styles
	var b strings.Builder
	section := func(name string) {
		if b.Len() > 0 {
			b.WriteString("\n")
		}
		b.WriteString(rule(s, name, cw))
		b.WriteByte('\n')
	}

	section("How it ended")
	name := oneLine(m.sc.Customer.Name)
	if name == "" {
		name = "The customer"
	}
	if m.st.WalkedOut {
		b.WriteString(wrap(name+" ran out of patience and left before the conversation could finish.", cw))
		b.WriteByte('\n')
	}
	for _, e := range endingLines(m.st) {
		b.WriteString(hang(wrapLines(clean(e.Text), max(1, cw-2)), s.CustomerName.Render("“ "), "  "))
		b.WriteByte('\n')
	}

	section("The path you took")
	steps := pathOf(m.st)
	if len(steps) == 0 {
		b.WriteString("You did not say anything.\n")
	}
	for i, p := range steps {
		how := fmt.Sprintf("choice %d", p.choice)
		if p.typed {
			how = fmt.Sprintf("typed, taken as choice %d", p.choice)
		}
		head := fmt.Sprintf("%2d. %s  %s → %s", i+1, s.Timestamp.Render(p.at), s.Subtle.Render(p.node), s.Number.Render(how))
		b.WriteString(truncate(head, cw))
		b.WriteByte('\n')
		b.WriteString(hang(wrapLines(p.text, max(1, cw-8)), "        ", "        "))
		b.WriteByte('\n')
	}

	section("How " + name + " felt at the end")
	b.WriteString(s.meterStack(m.st.Mood, m.st.Mood, cw))
	return b.String()
}

// endingLines are the customer's closing lines: everything said after the
// trainee's last line.
func endingLines(st engine.State) []engine.Entry {
	tr := st.Transcript
	for i := len(tr) - 1; i >= 0; i-- {
		if tr[i].Speaker == engine.Trainee {
			return tr[i+1:]
		}
	}
	return nil
}

func (m endModel) View() string {
	return margin(strings.Join([]string{m.head, "", m.vp.View(), m.helpBlock}, "\n"))
}
