package tui

import (
	"io"
	"io/fs"
	"os"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"github.com/rapport-sim/rapport/internal/engine"
	"github.com/rapport-sim/rapport/internal/scenario"
	"github.com/rapport-sim/rapport/scenarios"
)

// asciiRenderer draws without any colour or attribute, so views are
// stable across terminals and nothing can hide in colour alone.
func asciiRenderer() *lipgloss.Renderer {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.Ascii)
	r.SetHasDarkBackground(true)
	return r
}

func loadFrom(t testing.TB, fsys fs.FS, name string) *scenario.Scenario {
	t.Helper()
	sc, diags, err := scenario.Load(fsys, name)
	if err != nil {
		t.Fatal(err)
	}
	if diags.HasErrors() {
		t.Fatalf("%s: %v", name, diags)
	}
	return sc
}

// firstTimeCaller is the shipped easy phone call, loaded by file name so
// tests do not depend on the library's size or order. Its briefing is
// left out, so the tests of the call start on the play screen; the
// briefing screen has tests of its own (replies_test.go).
func firstTimeCaller(t testing.TB) *scenario.Scenario {
	sc := loadFrom(t, scenarios.FS, "first-time-caller.toml")
	sc.Briefing = nil
	return sc
}

// fixture is the player's own small scenario, stable for goldens.
func fixture(t testing.TB) *scenario.Scenario {
	return loadFrom(t, os.DirFS("testdata"), "golden-call.toml")
}

// testPace gives the clock something to count: 250 ms a word, so the
// first-30-seconds window ends within a few turns.
func testPace(_ engine.Speaker, text string) time.Duration {
	return time.Duration(len(strings.Fields(text))) * 250 * time.Millisecond
}

// testOptions are the options most tests use: no animation, an Ascii
// renderer, a deterministic clock.
func testOptions(opts Options) Options {
	opts.Renderer = asciiRenderer()
	opts.NoAnimation = true
	if opts.Pace == nil {
		opts.Pace = testPace
	}
	if opts.Hesitation == 0 {
		opts.Hesitation = 2 * time.Second
	}
	return opts
}

func runes(s string) tea.KeyMsg { return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)} }

var (
	keyEnter = tea.KeyMsg{Type: tea.KeyEnter}
	keySpace = tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}}
	keyUp    = tea.KeyMsg{Type: tea.KeyUp}
	keyDown  = tea.KeyMsg{Type: tea.KeyDown}
	keyEsc   = tea.KeyMsg{Type: tea.KeyEsc}
	keyCtrlC = tea.KeyMsg{Type: tea.KeyCtrlC}
	keyPgUp  = tea.KeyMsg{Type: tea.KeyPgUp}
)

// send feeds messages to Update in order and returns the model and the
// last command. Commands are not run: tests that need them run them
// explicitly.
func send(t testing.TB, m Model, msgs ...tea.Msg) (Model, tea.Cmd) {
	t.Helper()
	var cmd tea.Cmd
	for _, msg := range msgs {
		var next tea.Model
		next, cmd = m.Update(msg)
		var ok bool
		if m, ok = next.(Model); !ok {
			t.Fatalf("Update returned %T, want tui.Model", next)
		}
	}
	return m, cmd
}

// sized is a model after its first WindowSizeMsg.
func sized(t testing.TB, m Model, w, h int) Model {
	t.Helper()
	m, _ = send(t, m, tea.WindowSizeMsg{Width: w, Height: h})
	return m
}

// screenText is the view as the trainee reads it.
func screenText(m Model) string { return ansi.Strip(m.View()) }

// isQuit reports whether a command quits the program.
func isQuit(cmd tea.Cmd) bool {
	if cmd == nil {
		return false
	}
	_, ok := cmd().(tea.QuitMsg)
	return ok
}

// playOut presses the given keys on the play screen until the end screen
// shows, failing if it never does.
func playOut(t testing.TB, m Model, key tea.KeyMsg) Model {
	t.Helper()
	for i := 0; i < 100 && m.Screen() == "play"; i++ {
		m, _ = send(t, m, key)
	}
	if m.Screen() != "end" {
		t.Fatalf("still on %s after 100 presses", m.Screen())
	}
	return m
}

// fits checks a view stays inside the window.
func fits(t testing.TB, view string, w, h int) {
	t.Helper()
	lines := strings.Split(view, "\n")
	if len(lines) > max(h, 1) {
		t.Errorf("%dx%d: view has %d lines", w, h, len(lines))
	}
	for i, l := range lines {
		if got := ansi.StringWidth(l); got > max(w, 0) {
			t.Errorf("%dx%d: line %d is %d wide: %q", w, h, i+1, got, l)
		}
	}
}

// ended is the debrief page on show, nil on any other screen.
func (m Model) ended() *endPage {
	p, _ := m.page.(*endPage)
	return p
}
