package history

import (
	"github.com/charmbracelet/lipgloss"

	"github.com/rapport-sim/rapport/internal/tui/theme"
)

// Styles are the screen's styles. Nothing depends on colour alone: the
// selected row carries a ▶ marker and the sort column an arrow.
type Styles struct {
	Title, Header, Cell, Selected, Status, Error, Help, HelpKey lipgloss.Style
}

// DefaultStyles builds the styles from a renderer (one per SSH session).
func DefaultStyles(r *lipgloss.Renderer) Styles {
	p := theme.For(r)
	return Styles{
		Title:    r.NewStyle().Bold(true).MarginBottom(1),
		Header:   r.NewStyle().Bold(true).PaddingRight(1).BorderStyle(lipgloss.NormalBorder()).BorderBottom(true),
		Cell:     r.NewStyle().PaddingRight(1),
		Selected: r.NewStyle().Bold(true).Foreground(p.Accent),
		Status:   r.NewStyle().Foreground(p.Faint),
		Error:    r.NewStyle().Foreground(p.Bad),
		Help:     r.NewStyle().Foreground(p.Faint),
		HelpKey:  r.NewStyle().Foreground(p.Subtle),
	}
}
