// Package pager is the built-in pager: a scrolling view of a long text
// (a replayed debrief, a trainer's report) for a terminal with no pager
// program, in the manner of less.
package pager

import (
	"fmt"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
)

// Model shows text in a viewport with a status line.
type Model struct {
	text  string
	title string
	view  viewport.Model
	quit  key.Binding
	ready bool
	faint lipgloss.Style
}

// New pages text under a title (shown in the status line). r renders the
// status line (nil: the default renderer).
func New(title, text string, r *lipgloss.Renderer) Model {
	if r == nil {
		r = lipgloss.DefaultRenderer()
	}
	return Model{
		text: text, title: title,
		view:  viewport.New(0, 0),
		quit:  key.NewBinding(key.WithKeys("q", "esc", "ctrl+c"), key.WithHelp("q", "quit")),
		faint: r.NewStyle().Reverse(true),
	}
}

// Init implements tea.Model.
func (m Model) Init() tea.Cmd { return nil }

// Update implements tea.Model: the viewport's keys (↑/↓, pgup/pgdn, space,
// f/b, u/d, the mouse wheel), g and G for the top and the end, q to quit.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.view.Width, m.view.Height = msg.Width, max(msg.Height-1, 1)
		if !m.ready {
			m.view.SetContent(m.text)
			m.ready = true
		}
		return m, nil
	case tea.KeyMsg:
		switch {
		case key.Matches(msg, m.quit):
			return m, tea.Quit
		case msg.String() == "g" || msg.String() == "home":
			m.view.GotoTop()
			return m, nil
		case msg.String() == "G" || msg.String() == "end":
			m.view.GotoBottom()
			return m, nil
		}
	}
	var cmd tea.Cmd
	m.view, cmd = m.view.Update(msg)
	return m, cmd
}

// View implements tea.Model.
func (m Model) View() string {
	if !m.ready {
		return ""
	}
	last := min(m.view.YOffset+m.view.Height, m.view.TotalLineCount())
	status := fmt.Sprintf(" %s · lines %d–%d of %d · ↑/↓ pgup/pgdn g/G · q quits ", m.title, m.view.YOffset+1, last, m.view.TotalLineCount())
	if m.view.AtBottom() {
		status = fmt.Sprintf(" %s · end, %d lines · ↑/↓ pgup/pgdn g/G · q quits ", m.title, m.view.TotalLineCount())
	}
	return m.view.View() + "\n" + m.faint.Render(lipgloss.NewStyle().MaxWidth(m.view.Width).Render(status))
}
