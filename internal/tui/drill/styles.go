package drill

import (
	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/lipgloss"

	core "github.com/rapport-sim/rapport/internal/drill"
)

// The palette: adaptive light/dark pairs. Colour only ever repeats what a
// word or glyph already says (BEST, ✗ POOR, "6s left"), so NO_COLOR loses
// nothing.
var (
	colorAccent   = lipgloss.AdaptiveColor{Light: "#5A3FC0", Dark: "#B69CFF"}
	colorSubtle   = lipgloss.AdaptiveColor{Light: "#5F5F5F", Dark: "#A0A0A0"}
	colorFaint    = lipgloss.AdaptiveColor{Light: "#8A8A8A", Dark: "#6A6A6A"}
	colorCustomer = lipgloss.AdaptiveColor{Light: "#0B6E99", Dark: "#6CC4F0"}
	colorGood     = lipgloss.AdaptiveColor{Light: "#1E7F3C", Dark: "#5FD38A"}
	colorWarn     = lipgloss.AdaptiveColor{Light: "#9A6700", Dark: "#F2C14E"}
	colorBad      = lipgloss.AdaptiveColor{Light: "#B42318", Dark: "#FF7A70"}
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
	good := r.NewStyle().Bold(true).Foreground(colorGood)
	warn := r.NewStyle().Bold(true).Foreground(colorWarn)
	bad := r.NewStyle().Bold(true).Foreground(colorBad)
	key := r.NewStyle().Foreground(colorSubtle).Bold(true)
	faint := r.NewStyle().Foreground(colorFaint)
	return Styles{
		Title:    r.NewStyle().Bold(true).Foreground(colorAccent),
		Progress: r.NewStyle().Foreground(colorSubtle),
		Context:  r.NewStyle().Foreground(colorSubtle),
		Customer: r.NewStyle().Bold(true).Foreground(colorCustomer),
		Number:   r.NewStyle().Bold(true).Foreground(colorAccent),
		Text:     r.NewStyle(),
		Subtle:   r.NewStyle().Foreground(colorSubtle),
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
