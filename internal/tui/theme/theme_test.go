package theme

import (
	"io"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// A colour of the resolved palette draws exactly what its adaptive pair
// draws, on every colour profile and background.
func TestPaletteDrawsTheAdaptiveColours(t *testing.T) {
	for _, profile := range []termenv.Profile{termenv.TrueColor, termenv.ANSI256, termenv.ANSI, termenv.Ascii} {
		for _, dark := range []bool{true, false} {
			r := lipgloss.NewRenderer(io.Discard)
			r.SetColorProfile(profile)
			r.SetHasDarkBackground(dark)
			p := For(r)
			pairs := map[string][2]lipgloss.TerminalColor{
				"Accent": {Accent, p.Accent}, "Subtle": {Subtle, p.Subtle}, "Faint": {Faint, p.Faint},
				"Text": {Text, p.Text}, "Customer": {Customer, p.Customer}, "Good": {Good, p.Good},
				"Warn": {Warn, p.Warn}, "Bad": {Bad, p.Bad},
			}
			for name, c := range pairs {
				want := r.NewStyle().Foreground(c[0]).Background(c[0]).Render("word")
				got := r.NewStyle().Foreground(c[1]).Background(c[1]).Render("word")
				if got != want {
					t.Errorf("%s on %s, dark %v: draws %q, the adaptive colour %q", name, profile.Name(), dark, got, want)
				}
			}
		}
	}
}

// BenchmarkRender compares drawing with an adaptive colour and with the
// palette's, on a 256-colour terminal.
func BenchmarkRender(b *testing.B) {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.ANSI256)
	r.SetHasDarkBackground(true)
	for name, c := range map[string]lipgloss.TerminalColor{"adaptive": Accent, "palette": For(r).Accent} {
		st := r.NewStyle().Foreground(c).Bold(true)
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = st.Render("Hello, you're through to Northway")
			}
		})
	}
}
