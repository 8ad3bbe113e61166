// Command minimal is the smallest full-screen Bubble Tea program, built
// from Rapport's module (so with the same Bubble Tea, Lip Gloss and
// termenv) by TestFirstFrame: the yardstick Rapport's first frame is
// measured against. Like Rapport it runs on the alternate screen, and
// Bubble Tea's own start-up (its package init asks the terminal for its
// background colour) is left as it is.
package main

import (
	"fmt"
	"os"

	tea "github.com/charmbracelet/bubbletea"
)

type model struct{}

func (model) Init() tea.Cmd { return nil }

func (m model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if _, ok := msg.(tea.KeyMsg); ok {
		return m, tea.Quit
	}
	return m, nil
}

func (model) View() string { return "minimal program ready" }

func main() {
	if _, err := tea.NewProgram(model{}, tea.WithAltScreen()).Run(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
