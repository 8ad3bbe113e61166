package history

import (
	"strings"

	"github.com/charmbracelet/lipgloss"

	"github.com/rapport-sim/rapport/internal/scenario"
)

// Styles are the screen's styles. Nothing depends on colour alone: the
// selected row carries a ▶ marker and the sort column an arrow.
type Styles struct {
	Title, Header, Cell, Selected, Status, Error, Help, HelpKey lipgloss.Style
}

// DefaultStyles builds the styles from a renderer (one per SSH session).
func DefaultStyles(r *lipgloss.Renderer) Styles {
	subtle := lipgloss.AdaptiveColor{Light: "245", Dark: "243"}
	return Styles{
		Title:    r.NewStyle().Bold(true).MarginBottom(1),
		Header:   r.NewStyle().Bold(true).PaddingRight(1).BorderStyle(lipgloss.NormalBorder()).BorderBottom(true),
		Cell:     r.NewStyle().PaddingRight(1),
		Selected: r.NewStyle().Bold(true).Foreground(lipgloss.AdaptiveColor{Light: "25", Dark: "117"}),
		Status:   r.NewStyle().Foreground(subtle),
		Error:    r.NewStyle().Foreground(lipgloss.AdaptiveColor{Light: "160", Dark: "203"}),
		Help:     r.NewStyle().Foreground(subtle),
		HelpKey:  r.NewStyle().Foreground(lipgloss.AdaptiveColor{Light: "240", Dark: "250"}),
	}
}

// sanitize makes record text (which may come from any file in a results
// folder) safe to draw on one line.
func sanitize(s string) string {
	return strings.Join(strings.Fields(scenario.Sanitize(s)), " ")
}
