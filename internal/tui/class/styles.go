package class

import (
	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/lipgloss"
)

// The palette: adaptive light/dark pairs, and never the only cue. Every
// status has a glyph and a word, every share a number beside its bar, and
// the best choice a ✓ and "(best)".
var (
	colorAccent = lipgloss.AdaptiveColor{Light: "#5A3FC0", Dark: "#B69CFF"}
	colorSubtle = lipgloss.AdaptiveColor{Light: "#5F5F5F", Dark: "#A0A0A0"}
	colorFaint  = lipgloss.AdaptiveColor{Light: "#8A8A8A", Dark: "#6A6A6A"}
	colorText   = lipgloss.AdaptiveColor{Light: "#1A1A1A", Dark: "#E4E4E4"}
	colorGood   = lipgloss.AdaptiveColor{Light: "#1E7F3C", Dark: "#5FD38A"}
	colorWarn   = lipgloss.AdaptiveColor{Light: "#9A6700", Dark: "#F2C14E"}
	colorBad    = lipgloss.AdaptiveColor{Light: "#B42318", Dark: "#FF7A70"}
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
	var s Styles
	s.Title = r.NewStyle().Bold(true).Foreground(colorAccent)
	s.Section = r.NewStyle().Bold(true)
	s.Text = r.NewStyle().Foreground(colorText)
	s.Subtle = r.NewStyle().Foreground(colorSubtle)
	s.Faint = r.NewStyle().Foreground(colorFaint)
	s.Head = r.NewStyle().Bold(true).Foreground(colorSubtle)
	s.Playing = r.NewStyle().Bold(true).Foreground(colorGood)
	s.Connected = r.NewStyle().Foreground(colorAccent)
	s.Left = r.NewStyle().Foreground(colorFaint)
	s.Good = r.NewStyle().Foreground(colorGood)
	s.Warn = r.NewStyle().Foreground(colorWarn)
	s.Bad = r.NewStyle().Foreground(colorBad)
	s.Best = r.NewStyle().Bold(true).Foreground(colorGood)
	s.Bar = r.NewStyle().Foreground(colorAccent)
	s.BarEmpty = r.NewStyle().Foreground(colorFaint)
	s.Tab = r.NewStyle().Foreground(colorSubtle)
	s.TabActive = r.NewStyle().Bold(true).Underline(true).Foreground(colorAccent)
	s.Status = r.NewStyle().Foreground(colorGood)
	s.Error = r.NewStyle().Bold(true).Foreground(colorBad)
	key := r.NewStyle().Foreground(colorSubtle).Bold(true)
	desc := r.NewStyle().Foreground(colorFaint)
	s.Help = help.Styles{
		Ellipsis: desc, ShortKey: key, ShortDesc: desc, ShortSeparator: desc,
		FullKey: key, FullDesc: desc, FullSeparator: desc,
	}
	return s
}
