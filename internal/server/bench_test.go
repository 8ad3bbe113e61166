package server

import (
	"io"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/rapport-sim/rapport/internal/scenario"
)

// BenchmarkChoiceKey is the server's work for one choice key in a
// session on a 256-colour terminal (as TestLoad100's trainees have): the
// root model's Update (the player's, plus reading the attempt for the
// dashboard) and the View the renderer draws. Each iteration plays the
// fixture's first turn again from a fresh start (the player's pages
// change in place, so the start is made anew, untimed).
func BenchmarkChoiceKey(b *testing.B) {
	rec := &recorder{}
	key := runes("1")
	cfg := Config{Scenarios: []*scenario.Scenario{fixture(b)}, NoAnimation: true, Limits: DefaultLimits()}
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.ANSI256)
	r.SetHasDarkBackground(true)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		sized, _ := newModel(rec, cfg, r).Update(tea.WindowSizeMsg{Width: 100, Height: 30})
		m := press(sized.(model), runes("Bench"), enter, enter)
		if m.play.Screen() != "play" {
			b.Fatalf("not playing: %s", m.play.Screen())
		}
		b.StartTimer()
		next, _ := m.Update(key)
		_ = next.(model).View()
	}
}

// BenchmarkProgress is reading the attempt in progress from the player.
func BenchmarkProgress(b *testing.B) {
	m := testModel(b, &recorder{}, 280)
	m = press(m, runes("Bench"), enter, enter, runes("1"))
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if _, _, ok := progress(*m.play); !ok {
			b.Fatal("no progress")
		}
	}
}

var _ tea.Model = model{}
