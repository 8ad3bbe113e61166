package tui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/rapport-sim/rapport/internal/scenario"
	"github.com/rapport-sim/rapport/internal/textsafe"
)

// The briefing is what the trainee reads before a scenario with a
// [briefing] starts: who they are, the company, the goal and what they may
// offer. The conversation (and the countdown of timed play) starts when
// they press enter.

// briefingKeys are the keys of the briefing screen.
type briefingKeys struct {
	Start, Back, Quit key.Binding
}

func defaultBriefingKeys() briefingKeys {
	return briefingKeys{
		Start: key.NewBinding(key.WithKeys("enter", " "), key.WithHelp("enter", "start the call")),
		Back:  key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
		Quit:  key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", "quit")),
	}
}

func (m Model) updateBriefing(msg tea.Msg) (tea.Model, tea.Cmd) {
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		return m, nil
	}
	keys := defaultBriefingKeys()
	switch {
	case key.Matches(k, keys.Start):
		m = m.call(m.briefed)
		if m.err != nil {
			return m, nil
		}
		return m, m.playInit()
	case key.Matches(k, keys.Back) && m.opts.Start == nil && len(m.opts.Scenarios) > 0:
		m.screen = screenPicker
		m.briefed = nil
		m.resize()
		return m, nil
	case key.Matches(k, keys.Quit):
		return m, tea.Quit
	}
	return m, nil
}

func (m Model) briefingView() string {
	keys := defaultBriefingKeys()
	help := keys.Start.Help().Key + " " + keys.Start.Help().Desc
	if m.opts.Start == nil && len(m.opts.Scenarios) > 0 {
		help += " • " + keys.Back.Help().Key + " " + keys.Back.Help().Desc
	}
	help += " • " + keys.Quit.Help().Key + " " + keys.Quit.Help().Desc
	return m.briefingText(m.briefed, "Before the call", help)
}

// rebriefView shows the briefing again during the call (the play
// screen's i), over the conversation, which waits behind it.
func (m Model) rebriefView() string {
	help := "any key: back to the call"
	if m.opts.Timed > 0 {
		help += " (the clock is still running)"
	}
	return m.briefingText(m.play.sc, "Your briefing, again", help)
}

// briefingText lays out a scenario's briefing under a heading, with a
// help line.
func (m Model) briefingText(sc *scenario.Scenario, heading, help string) string {
	s := m.styles
	w := max(20, min(m.width-2, 100))
	var b strings.Builder
	b.WriteString(s.Title.Render(truncate(textsafe.Line(sc.Title), w)) + "\n")
	b.WriteString(s.Subtle.Render(heading) + "\n\n")
	for _, l := range sc.BriefingLines(scenario.AgentName(m.opts.Agent)) {
		l = textsafe.Line(l)
		indent := ""
		if strings.HasPrefix(l, "- ") {
			indent = "    "
		}
		lines := wrapLines(l, w-len(indent))
		b.WriteString(hang(lines, "", strings.Repeat(" ", max(len(indent), 0))) + "\n")
	}
	b.WriteString("\n" + s.Faint.Render(wrap(help, w)))
	return margin(b.String())
}
