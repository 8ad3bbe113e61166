package tui

import (
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// benchModel is the play screen of the shipped easy call at 80x24, one
// turn in, with a deterministic clock and no animation.
func benchModel(b *testing.B) Model {
	b.Helper()
	m, _ := send(b, New(testOptions(Options{Start: firstTimeCaller(b)})), tea.WindowSizeMsg{Width: 80, Height: 24}, runes("2"))
	if m.Screen() != "play" {
		b.Fatalf("on %s", m.Screen())
	}
	return m
}

// BenchmarkPlayView measures drawing the play screen.
func BenchmarkPlayView(b *testing.B) {
	m := benchModel(b)
	b.ReportAllocs()
	for b.Loop() {
		_ = m.View()
	}
}

// BenchmarkPlayKey measures what a trainee waits for after pressing a
// choice key: the Update that takes the turn and the next frame. The play
// page is put back before each iteration, so every one starts from the
// same state.
func BenchmarkPlayKey(b *testing.B) {
	m := benchModel(b)
	start := *m.conversation()
	key := runes("1")
	b.ReportAllocs()
	for b.Loop() {
		*m.conversation() = start
		next, _ := m.Update(key)
		_ = next.View()
	}
}

// BenchmarkCountdownTick measures one countdown tick in timed play: the
// Update that reads the clock and redraws the choices' heading, and the
// next frame. It runs once a second per trainee.
func BenchmarkCountdownTick(b *testing.B) {
	clk := newFakeClock()
	m, _ := send(b, New(timedOptions(firstTimeCaller(b), 15*time.Second, clk)), tea.WindowSizeMsg{Width: 80, Height: 24}, runes("2"))
	clk.advance(3 * time.Second)
	tick := tickNow(m)
	start := *m.conversation()
	b.ReportAllocs()
	for b.Loop() {
		*m.conversation() = start
		next, _ := m.Update(tick)
		_ = next.View()
	}
}
