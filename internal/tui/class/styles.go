package class

import (
	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/lipgloss"

	"github.com/rapport-sim/rapport/internal/tui/theme"
)

// Styles holds every style the dashboard draws with, all from one
// renderer.
type Styles struct {
	// Title is the dashboard's name; Section heads a block.
	Title   lipgloss.Style
	Section lipgloss.Style
	// Text, Subtle and Faint are body text at three strengths.
	Text   lipgloss.Style
	Subtle lipgloss.Style
	Faint  lipgloss.Style
	// Head is a table's header row.
	Head lipgloss.Style
	// Playing marks a trainee in a conversation; Connected one who is
	// connected but not playing; Left one who has gone.
	Playing   lipgloss.Style
	Connected lipgloss.Style
	Left      lipgloss.Style
	// Good, Warn and Bad colour scores by band.
	Good lipgloss.Style
	Warn lipgloss.Style
	Bad  lipgloss.Style
	// Best marks the best choice at a decision point; Bar and BarEmpty
	// draw a share.
	Best     lipgloss.Style
	Bar      lipgloss.Style
	BarEmpty lipgloss.Style
	// Tab is a scenario tab; TabActive the one shown.
	Tab       lipgloss.Style
	TabActive lipgloss.Style
	// Status is the line under the content (export done, read problems).
	Status lipgloss.Style
	Error  lipgloss.Style
	Help   help.Styles
}

// DefaultStyles builds the dashboard's styles from a renderer; nil means
// lipgloss.DefaultRenderer().
func DefaultStyles(r *lipgloss.Renderer) Styles {
	if r == nil {
		r = lipgloss.DefaultRenderer()
	}
	p := theme.For(r)
	var s Styles
	s.Title = r.NewStyle().Bold(true).Foreground(p.Accent)
	s.Section = r.NewStyle().Bold(true)
	s.Text = r.NewStyle().Foreground(p.Text)
	s.Subtle = r.NewStyle().Foreground(p.Subtle)
	s.Faint = r.NewStyle().Foreground(p.Faint)
	s.Head = r.NewStyle().Bold(true).Foreground(p.Subtle)
	s.Playing = r.NewStyle().Bold(true).Foreground(p.Good)
	s.Connected = r.NewStyle().Foreground(p.Accent)
	s.Left = r.NewStyle().Foreground(p.Faint)
	s.Good = r.NewStyle().Foreground(p.Good)
	s.Warn = r.NewStyle().Foreground(p.Warn)
	s.Bad = r.NewStyle().Foreground(p.Bad)
	s.Best = r.NewStyle().Bold(true).Foreground(p.Good)
	s.Bar = r.NewStyle().Foreground(p.Accent)
	s.BarEmpty = r.NewStyle().Foreground(p.Faint)
	s.Tab = r.NewStyle().Foreground(p.Subtle)
	s.TabActive = r.NewStyle().Bold(true).Underline(true).Foreground(p.Accent)
	s.Status = r.NewStyle().Foreground(p.Good)
	s.Error = r.NewStyle().Bold(true).Foreground(p.Bad)
	key := r.NewStyle().Foreground(p.Subtle).Bold(true)
	desc := r.NewStyle().Foreground(p.Faint)
	s.Help = help.Styles{
		Ellipsis: desc, ShortKey: key, ShortDesc: desc, ShortSeparator: desc,
		FullKey: key, FullDesc: desc, FullSeparator: desc,
	}
	return s
}
