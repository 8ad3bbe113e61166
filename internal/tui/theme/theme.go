// Package theme is the one palette every Rapport screen draws with: the
// player, the drill, the history table and the trainer's dashboard.
//
// Every colour is an adaptive light/dark pair, and every colour only
// reinforces something already said with a word, a number or a glyph: with
// NO_COLOR (or a dumb terminal) the renderer drops colour and nothing is
// lost.
package theme

import (
	"strconv"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

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

// Palette is the palette as one renderer draws it: each colour picked for
// the renderer's background and converted to its colour profile once.
// Styles built from an AdaptiveColor do both on every Render, and on a
// 256-colour terminal the conversion (the nearest of 256 colours to a hex
// value) is most of what drawing a screen costs: about 21 µs a Render
// against 6 µs in true colour. The colours drawn are the same.
type Palette struct {
	Accent, Subtle, Faint, Text, Customer, Good, Warn, Bad lipgloss.TerminalColor
}

// For resolves the palette for r (lipgloss.DefaultRenderer() when nil).
// It asks r for its background and colour profile, so it belongs where
// the styles are built, after the background is known.
func For(r *lipgloss.Renderer) Palette {
	if r == nil {
		r = lipgloss.DefaultRenderer()
	}
	dark, profile := r.HasDarkBackground(), r.ColorProfile()
	resolve := func(c lipgloss.AdaptiveColor) lipgloss.TerminalColor {
		hex := c.Light
		if dark {
			hex = c.Dark
		}
		switch tc := profile.Color(hex).(type) {
		case termenv.ANSI256Color:
			return lipgloss.Color(strconv.Itoa(int(tc)))
		case termenv.ANSIColor:
			return lipgloss.Color(strconv.Itoa(int(tc)))
		case termenv.RGBColor:
			return lipgloss.Color(hex)
		}
		return lipgloss.NoColor{}
	}
	return Palette{
		Accent: resolve(Accent), Subtle: resolve(Subtle), Faint: resolve(Faint), Text: resolve(Text),
		Customer: resolve(Customer), Good: resolve(Good), Warn: resolve(Warn), Bad: resolve(Bad),
	}
}
