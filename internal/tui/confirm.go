package tui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
)

// answer is the trainee's reply to the abandon question.
type answer int

const (
	answerNone answer = iota
	answerYes
	answerNo
)

// confirmPage asks before a conversation is abandoned. It lies over the
// play page, which goes on behind it (the typewriter, the countdown) and
// comes back on "no".
type confirmPage struct {
	c    *common
	keys confirmKeyMap
	play *playPage
}

func newConfirm(c *common, play *playPage) *confirmPage {
	return &confirmPage{c: c, keys: c.keys.Confirm, play: play}
}

// answer reads a key as yes, no, or neither (ignored).
func (p *confirmPage) answer(k tea.KeyMsg) answer {
	switch {
	case key.Matches(k, p.keys.Yes):
		return answerYes
	case key.Matches(k, p.keys.No):
		return answerNo
	}
	return answerNone
}

// Update keeps the conversation behind the question moving; keys are the
// root's (answer).
func (p *confirmPage) Update(msg tea.Msg) tea.Cmd {
	if _, ok := msg.(tea.KeyMsg); ok {
		return nil
	}
	return p.play.Update(msg)
}

// SetSize lays out the conversation behind; the question is drawn at the
// common size.
func (p *confirmPage) SetSize(w, h int) { p.play.SetSize(w, h) }

// View draws the question in a box in the middle of the screen.
func (p *confirmPage) View() string {
	s := p.c.styles
	width, height := p.c.width, p.c.height
	inner := max(10, min(width-8, 56))
	body := s.Title.Render("Abandon this conversation?") + "\n\n" +
		wrap(presence(p.play.sc), inner) + "\n" +
		wrap("If you leave now the attempt is kept as abandoned.", inner) + "\n\n" +
		p.c.helpView(p.keys, false, 0)
	box := s.Dialog.Render(body)
	return s.r.Place(width, height, lipgloss.Center, lipgloss.Center, box)
}
