package drill

import (
	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/lipgloss"

	"github.com/rapport-sim/rapport/internal/tui/theme"

	core "github.com/rapport-sim/rapport/internal/drill"
)

// Styles holds every style the drill screen draws with, all built from one
// renderer so a session served over SSH follows its own terminal.
type Styles struct {
	// Title is the drill's title; Progress is "Opener 3 of 10".
	Title    lipgloss.Style
	Progress lipgloss.Style
	// Context is the channel, mood and business line.
	Context lipgloss.Style
	// Customer is the customer's name before their line.
	Customer lipgloss.Style
	// Number is a response's key; Text is body text; Subtle is secondary.
	Number lipgloss.Style
	Text   lipgloss.Style
	Subtle lipgloss.Style
	// Section heads a block of the feedback or summary.
	Section lipgloss.Style
	// Ratings colour the verdict by rating; the verdict is always a word.
	Ratings map[core.Rating]lipgloss.Style
	// Timer is the countdown; TimerLow is its last few seconds.
	Timer    lipgloss.Style
	TimerLow lipgloss.Style
	// Help styles the help line.
	Help help.Styles
}

// DefaultStyles builds the styles from a renderer; nil means the local
// terminal's.
func DefaultStyles(r *lipgloss.Renderer) Styles {
	if r == nil {
		r = lipgloss.DefaultRenderer()
	}
	p := theme.For(r)
	good := r.NewStyle().Bold(true).Foreground(p.Good)
	warn := r.NewStyle().Bold(true).Foreground(p.Warn)
	bad := r.NewStyle().Bold(true).Foreground(p.Bad)
	key := r.NewStyle().Foreground(p.Subtle).Bold(true)
	faint := r.NewStyle().Foreground(p.Faint)
	return Styles{
		Title:    r.NewStyle().Bold(true).Foreground(p.Accent),
		Progress: r.NewStyle().Foreground(p.Subtle),
		Context:  r.NewStyle().Foreground(p.Subtle),
		Customer: r.NewStyle().Bold(true).Foreground(p.Customer),
		Number:   r.NewStyle().Bold(true).Foreground(p.Accent),
		Text:     r.NewStyle(),
		Subtle:   r.NewStyle().Foreground(p.Subtle),
		Section:  r.NewStyle().Bold(true),
		Ratings: map[core.Rating]lipgloss.Style{
			core.Best: good, core.Good: warn, core.Weak: warn, core.Poor: bad,
		},
		Timer:    r.NewStyle().Bold(true),
		TimerLow: bad,
		Help: help.Styles{
			Ellipsis: faint, ShortKey: key, ShortDesc: faint, ShortSeparator: faint,
			FullKey: key, FullDesc: faint, FullSeparator: faint,
		},
	}
}
