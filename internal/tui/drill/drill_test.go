package drill

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/muesli/termenv"

	core "github.com/rapport-sim/rapport/internal/drill"
	"github.com/rapport-sim/rapport/scenarios"
)

func openings(t *testing.T) *core.Drill {
	t.Helper()
	d, ds, err := core.Load(scenarios.FS, "drill-openings.toml")
	if err != nil || ds.HasErrors() {
		t.Fatalf("load drill: %v %v", err, ds)
	}
	return d
}

// plainRenderer draws without colour, as with NO_COLOR.
func plainRenderer() *lipgloss.Renderer {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.Ascii)
	return r
}

// noTick never schedules a tick: untimed tests, or tests that send ticks.
func noTick(time.Duration, func(time.Time) tea.Msg) tea.Cmd { return nil }

func press(s string) tea.KeyMsg {
	switch s {
	case "enter":
		return tea.KeyMsg{Type: tea.KeyEnter}
	case "ctrl+c":
		return tea.KeyMsg{Type: tea.KeyCtrlC}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)}
}

// waitFor waits until the program has drawn every text. Each call reads the
// output on from where the last one stopped, so texts of one frame are
// waited for together.
func waitFor(t *testing.T, tm *teatest.TestModel, texts ...string) {
	t.Helper()
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		for _, s := range texts {
			if !bytes.Contains(b, []byte(s)) {
				return false
			}
		}
		return true
	}, teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(10*time.Millisecond))
}

// The drill end to end in a real program at 80x24: pick the best opening,
// then a poor one, read the feedback, and finish on the summary.
func TestDrillProgram(t *testing.T) {
	d := openings(t)
	opts := core.Options{Seed: 11, Count: 2}
	// A twin session with the same seed says which openers will come.
	twin := core.NewSession(d, opts)
	first := twin.Current()
	_, firstBest := first.Best()
	twin.Answer(1, 0)
	second := twin.Current()
	_, secondBest := second.Best()
	wrong := secondBest%4 + 1

	m := New(Options{Session: core.NewSession(d, opts), Renderer: plainRenderer(), Tick: noTick,
		Detect: func(o *core.Opener, response string) []string { return []string{`thanks: "thanks"`} }})
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24))
	waitFor(t, tm, first.Customer+": ", "Opener 1 of 2", "1-4 pick")
	tm.Type(fmt.Sprint(firstBest))
	waitFor(t, tm, "✓ BEST (3 of 3 points)", "Heard: thanks", "enter next opener")
	tm.Send(press("enter"))
	waitFor(t, tm, second.Customer+": ", "Opener 2 of 2")
	tm.Type(fmt.Sprint(wrong))
	waitFor(t, tm, second.Responses[wrong-1].Rating.Label()+" (", fmt.Sprintf("Best (%d): ", secondBest),
		"Principle missed: "+second.Responses[wrong-1].Principle.Name()[:10])
	tm.Send(press("enter"))
	waitFor(t, tm, "Score: 1 of 2 best", "Principles missed most", "enter finish")
	tm.Send(press("enter"))
	final := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(Model)
	if final.Outcome() != Finished {
		t.Errorf("outcome %s, want finished", final.Outcome())
	}
	if got := final.Session().Summary(); got.Best != 1 || got.Total != 2 {
		t.Errorf("summary %+v", got)
	}
}

// ticker hands each tick the model asks for to the test instead of a timer.
type ticker struct{ msgs chan tea.Msg }

func (k ticker) tick(_ time.Duration, fn func(time.Time) tea.Msg) tea.Cmd {
	k.msgs <- fn(time.Time{})
	return nil
}

// A timed opener counts down visibly, and running out is dead air. The
// ticks come from the test, so nothing sleeps and nothing depends on speed.
func TestTimedCountdown(t *testing.T) {
	d := openings(t)
	k := ticker{msgs: make(chan tea.Msg, 16)}
	m := New(Options{Session: core.NewSession(d, core.Options{Seed: 5, Count: 2, Limit: 3 * time.Second}),
		Renderer: plainRenderer(), Tick: k.tick})
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24))
	waitFor(t, tm, "Time left: 3s", "Opener 1 of 2")
	for _, left := range []string{"2s", "1s"} {
		tm.Send(<-k.msgs)
		waitFor(t, tm, "Time left: "+left)
	}
	tm.Send(<-k.msgs)
	waitFor(t, tm, "✗ DEAD AIR, rated poor (0 of 3 points)", "You said nothing: the time ran out.", "Principle missed: no dead air")
	tm.Send(press("enter"))
	waitFor(t, tm, "Time left: 3s", "Opener 2 of 2") // a fresh countdown for the next opener
	tm.Send(press("q"))
	final := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(Model)
	if final.Outcome() != Abandoned {
		t.Errorf("outcome %s, want abandoned", final.Outcome())
	}
	if sum := final.Session().Summary(); sum.DeadAir != 1 || sum.Total != 1 {
		t.Errorf("summary %+v, want one dead-air opener", sum)
	}
}

// Ticks for an answered opener, or for another model, change nothing.
func TestStaleTicksAreIgnored(t *testing.T) {
	d := openings(t)
	k := ticker{msgs: make(chan tea.Msg, 16)}
	var m tea.Model = New(Options{Session: core.NewSession(d, core.Options{Seed: 2, Count: 3, Limit: 2 * time.Second}),
		Renderer: plainRenderer(), Tick: k.tick})
	m.Init()
	firstTick := <-k.msgs
	m, _ = m.Update(press("1"))
	m, _ = m.Update(press("enter"))
	if m.(Model).Step() != "ask" {
		t.Fatalf("step %s, want ask", m.(Model).Step())
	}
	<-k.msgs // the second opener's first tick
	for range 5 {
		m, _ = m.Update(firstTick)
	}
	other := tickMsg{id: m.(Model).id + 1000, tag: m.(Model).tag}
	m, _ = m.Update(other)
	if got := m.(Model); got.Step() != "ask" || got.left != 2*time.Second {
		t.Errorf("stale ticks moved the clock: step %s, %s left", got.Step(), got.left)
	}
	if len(k.msgs) != 0 {
		t.Errorf("stale ticks scheduled %d more ticks", len(k.msgs))
	}
}

// Every opener of the shipped drill, asked and answered, fits the screen
// at the sizes trainees use: no line wider than the terminal, no more rows
// than it has, the help line always on the last row, and no escape codes
// when colour is off.
func TestEveryOpenerFits(t *testing.T) {
	d := openings(t)
	sizes := []struct{ w, h int }{{80, 24}, {120, 40}, {60, 30}, {MinWidth, MinHeight}}
	for _, size := range sizes {
		t.Run(fmt.Sprintf("%dx%d", size.w, size.h), func(t *testing.T) {
			// Four rounds, each picking a different response of every
			// opener, so every feedback screen is drawn once.
			for round := range core.ResponsesPerOpener {
				var m tea.Model = New(Options{Session: core.NewSession(d, core.Options{Seed: 1, Limit: 8 * time.Second}),
					Renderer: plainRenderer(), Tick: noTick, Detect: core.Heard})
				m, _ = m.Update(tea.WindowSizeMsg{Width: size.w, Height: size.h})
				for i := 0; m.(Model).Step() != "summary"; i++ {
					checkFits(t, m.View(), size.w, size.h, fmt.Sprintf("opener %d asked", i+1))
					m, _ = m.Update(press(fmt.Sprint((i+round)%core.ResponsesPerOpener + 1)))
					checkFits(t, m.View(), size.w, size.h, fmt.Sprintf("opener %d, round %d, answered", i+1, round))
					m, _ = m.Update(press("enter"))
				}
				checkFits(t, m.View(), size.w, size.h, "summary")
				m, _ = m.Update(press("?"))
				checkFits(t, m.View(), size.w, size.h, "summary with full help")
			}
		})
	}
}

// checkFits fails when a view is wider or taller than the screen, was cut
// short, lost its help line, or holds escape codes with colour off.
func checkFits(t *testing.T, v string, w, h int, what string) {
	t.Helper()
	if strings.Contains(v, "\x1b") {
		t.Fatalf("%s: escape codes with colour off", what)
	}
	lines := strings.Split(v, "\n")
	if len(lines) > h {
		t.Errorf("%s: %d rows on a %d-row screen", what, len(lines), h)
	}
	for i, l := range lines {
		if lw := ansi.StringWidth(l); lw > w {
			t.Errorf("%s: row %d is %d wide: %q", what, i+1, lw, l)
		}
		if l == "…" {
			t.Errorf("%s: cut short to fit:\n%s", what, v)
		}
	}
	if last := lines[len(lines)-1]; !strings.Contains(last, " keys") {
		t.Errorf("%s: help is not on the last row: %q", what, last)
	}
}

func TestTooSmallAndResize(t *testing.T) {
	d := openings(t)
	var m tea.Model = New(Options{Session: core.NewSession(d, core.Options{Seed: 1}), Renderer: plainRenderer(), Tick: noTick})
	m, _ = m.Update(tea.WindowSizeMsg{Width: 30, Height: 8})
	if v := m.View(); !strings.Contains(v, "Terminal too small") || !strings.Contains(v, "rapport drill --plain") {
		t.Errorf("small terminal view: %q", v)
	}
	m, _ = m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	if v := m.View(); !strings.Contains(v, "Opener 1 of 32") {
		t.Errorf("after resize: %q", v)
	}
}

func TestKeysEndTheProgram(t *testing.T) {
	d := openings(t)
	tests := map[string]struct {
		keys []string
		want Outcome
	}{
		"q mid-drill abandons":      {[]string{"q"}, Abandoned},
		"esc after a pick abandons": {[]string{"2", "esc"}, Abandoned},
		"ctrl+c interrupts":         {[]string{"1", "ctrl+c"}, Interrupted},
		"finishing":                 {[]string{"1", "enter", "q"}, Finished},
		"keys 5-9 are ignored":      {[]string{"7", "0", "1", "enter", "enter"}, Finished},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			var m tea.Model = New(Options{Session: core.NewSession(d, core.Options{Count: 1}), Renderer: plainRenderer(), Tick: noTick})
			var cmd tea.Cmd
			for _, k := range tc.keys {
				m, cmd = m.Update(press(k))
			}
			if got := m.(Model).Outcome(); got != tc.want {
				t.Errorf("outcome %s, want %s", got, tc.want)
			}
			if cmd == nil {
				t.Fatal("the last key did not quit")
			}
			if _, ok := cmd().(tea.QuitMsg); !ok {
				t.Error("the last key did not quit")
			}
		})
	}
}

// With colour on, the rating is still a word: colour only repeats it.
func TestColourNeverCarriesMeaningAlone(t *testing.T) {
	d := openings(t)
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.TrueColor)
	var m tea.Model = New(Options{Session: core.NewSession(d, core.Options{Seed: 4, Count: 1}), Renderer: r, Tick: noTick})
	m, _ = m.Update(press("3"))
	v := m.View()
	if !strings.Contains(v, "\x1b[") {
		t.Fatal("no colour with a true-colour renderer: the test checks nothing")
	}
	res := m.(Model).last
	if !strings.Contains(ansi.Strip(v), res.Rating.Label()+" (") {
		t.Errorf("rating word %s missing from the coloured view", res.Rating.Label())
	}
}
