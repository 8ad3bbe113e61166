package cli

import (
	"io"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/rapport-sim/rapport/internal/tui"
)

// BenchmarkFirstFrame is the work `rapport` does between starting and
// drawing the picker: list the embedded library, build the player and
// render its first 80x24 frame.
func BenchmarkFirstFrame(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		scs, open, err := pickerLibrary()
		if err != nil {
			b.Fatal(err)
		}
		m := tui.New(tui.Options{Scenarios: scs, Open: open, NoAnimation: true})
		next, _ := m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
		if next.View() == "" {
			b.Fatal("empty first frame")
		}
	}
}

// BenchmarkResolveID is what `rapport play ID` does before the first
// frame: find the scenario in the built-in library and load it.
func BenchmarkResolveID(b *testing.B) {
	e := &env{stderr: io.Discard}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := resolve(e, "", "late-delivery"); err != nil {
			b.Fatal(err)
		}
	}
}
