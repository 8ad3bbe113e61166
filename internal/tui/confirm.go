package tui

import (
	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/rapport-sim/rapport/internal/scenario"
)

// answer is the trainee's reply to the abandon question.
type answer int

const (
	answerNone answer = iota
	answerYes
	answerNo
)

// confirmModel asks before a conversation is abandoned.
type confirmModel struct {
	styles *Styles
	keys   confirmKeyMap
	help   help.Model
}

func newConfirm(s *Styles, keys confirmKeyMap) confirmModel {
	return confirmModel{styles: s, keys: keys, help: newHelp(s)}
}

// answer reads a key as yes, no, or neither (ignored).
func (c confirmModel) answer(k tea.KeyMsg) answer {
	switch {
	case key.Matches(k, c.keys.Yes):
		return answerYes
	case key.Matches(k, c.keys.No):
		return answerNo
	}
	return answerNone
}

// view draws the question in a box in the middle of the screen.
func (c confirmModel) view(sc *scenario.Scenario, width, height int) string {
	s := c.styles
	inner := max(10, min(width-8, 56))
	body := s.Title.Render("Abandon this conversation?") + "\n\n" +
		wrap(presence(sc), inner) + "\n" +
		wrap("If you leave now the attempt is kept as abandoned.", inner) + "\n\n" +
		c.help.ShortHelpView(c.keys.ShortHelp())
	box := s.Dialog.Render(body)
	return s.r.Place(width, height, lipgloss.Center, lipgloss.Center, box)
}
