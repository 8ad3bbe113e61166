// Package theme is the one palette every Rapport screen draws with: the
// player, the drill, the history table and the trainer's dashboard.
//
// Every colour is an adaptive light/dark pair, and every colour only
// reinforces something already said with a word, a number or a glyph: with
// NO_COLOR (or a dumb terminal) the renderer drops colour and nothing is
// lost.
package theme

import "github.com/charmbracelet/lipgloss"

// The palette.
var (
	// Accent marks what has focus: the selected choice, headings.
	Accent = lipgloss.AdaptiveColor{Light: "#5A3FC0", Dark: "#B69CFF"}
	// Subtle, Faint and Text are body text at three strengths.
	Subtle = lipgloss.AdaptiveColor{Light: "#5F5F5F", Dark: "#A0A0A0"}
	Faint  = lipgloss.AdaptiveColor{Light: "#8A8A8A", Dark: "#6A6A6A"}
	Text   = lipgloss.AdaptiveColor{Light: "#1A1A1A", Dark: "#E4E4E4"}
	// Customer sets the customer's words apart from the trainee's.
	Customer = lipgloss.AdaptiveColor{Light: "#0B6E99", Dark: "#6CC4F0"}
	// Good, Warn and Bad back up words such as "resolved", "time is up"
	// and "lost".
	Good = lipgloss.AdaptiveColor{Light: "#1E7F3C", Dark: "#5FD38A"}
	Warn = lipgloss.AdaptiveColor{Light: "#9A6700", Dark: "#F2C14E"}
	Bad  = lipgloss.AdaptiveColor{Light: "#B42318", Dark: "#FF7A70"}
)
