package class

import (
	"errors"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"github.com/rapport-sim/rapport/internal/engine"
	"github.com/rapport-sim/rapport/internal/report"
	"github.com/rapport-sim/rapport/internal/results"
	"github.com/rapport-sim/rapport/internal/scenario"
	"github.com/rapport-sim/rapport/internal/scoring"
)

var t0 = time.Date(2025, 3, 4, 9, 0, 0, 0, time.UTC)

func fixture(t *testing.T) *scenario.Scenario {
	t.Helper()
	sc, diags, err := scenario.Load(os.DirFS("testdata"), "lost-card.toml")
	if err != nil || diags.HasErrors() {
		t.Fatalf("fixture: %v %v", err, diags)
	}
	return sc
}

// attempt plays choices (offered positions, from 1) and records the
// attempt as trainee's, started minutes after t0.
func attempt(t *testing.T, sc *scenario.Scenario, trainee string, minutes int, choices ...int) *results.Record {
	t.Helper()
	e, err := engine.New(sc, engine.Options{Pace: scoring.Pace(sc.Channel)})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range choices {
		if err := e.Choose(engine.Step{Choice: e.Choices()[c-1].Number, Hesitation: 2 * time.Second}); err != nil {
			t.Fatal(err)
		}
	}
	st := e.State()
	start := t0.Add(time.Duration(minutes) * time.Minute)
	r, err := results.NewRecord(sc, st, scoring.Evaluate(sc, st), results.Meta{Trainee: trainee, Started: start, Ended: start.Add(time.Minute)})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// saved sums up saved attempts as the dashboard's reader does.
func saved(recs ...*results.Record) *report.Builder {
	var b report.Builder
	for _, r := range recs {
		b.Add(r)
	}
	return &b
}

// class is three saved attempts and two connected trainees: Dee in a
// conversation, one still typing a name.
func class(t *testing.T) (Snapshot, *scenario.Scenario) {
	sc := fixture(t)
	snap := Snapshot{
		At: t0.Add(time.Hour),
		Saved: saved(
			attempt(t, sc, "Ana", 1, 1, 1, 1),
			attempt(t, sc, "Ben", 2, 2, 1, 2),
			attempt(t, sc, "Cy", 3, 2),
		),
		Live: []Live{
			{Session: "a1", Trainee: "Dee", Activity: ActivityPlaying, Connected: t0, Scenario: sc.ID, Title: sc.Title,
				Node: "block", Attempt: attempt(t, sc, "Dee", 5, 1)},
			{Session: "b2", Activity: ActivityNaming, Connected: t0},
		},
		Server: &Server{Addr: "0.0.0.0:2222", Assigned: []string{"lost-card", "billing-error"}},
	}
	return snap, sc
}

func asciiRenderer() *lipgloss.Renderer {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.Ascii)
	return r
}

func TestSummarize(t *testing.T) {
	snap, sc := class(t)
	sum := summarize(snap, []*scenario.Scenario{sc}, snap.Server.Assigned)
	var names []string
	for _, r := range sum.rows {
		names = append(names, r.name)
	}
	if got := strings.Join(names, ","); got != "Dee,"+unnamed+",Ana,Ben,Cy" {
		t.Fatalf("rows %s; want the playing first, then the connected, then the rest by name", got)
	}
	if sum.connected != 2 || sum.playing != 1 || sum.attempts != 3 || sum.finished != 2 || sum.abandoned != 1 {
		t.Errorf("counts %+v", sum)
	}
	dee := sum.rows[0]
	if dee.status != statusPlaying || !strings.Contains(dee.now, "at block") || !strings.Contains(dee.now, "turn 2") || !dee.hasSoFar {
		t.Errorf("Dee: %+v", dee)
	}
	if cy := sum.rows[4]; cy.status != statusLeft || cy.attempts != 1 || cy.abandoned != 1 || cy.scores[3].N != 0 {
		t.Errorf("Cy: %+v", cy)
	}
	if ana := sum.rows[2]; ana.scores[3].N != 1 || ana.finished != 1 {
		t.Errorf("Ana's scores: %+v", ana.scores)
	}

	if len(sum.scenarios) != 2 || sum.scenarios[0].id != "lost-card" || sum.scenarios[1].id != "billing-error" {
		t.Fatalf("scenarios %+v; want the assigned order", sum.scenarios)
	}
	lc := sum.scenarios[0]
	if lc.attempts != 3 || lc.inProgress != 1 || lc.title != sc.Title {
		t.Errorf("lost-card: %d saved, %d in progress, title %q", lc.attempts, lc.inProgress, lc.title)
	}
	opening := lc.points[0]
	if opening.Node != "opening" || opening.Visits != 4 || len(opening.Choices) != 2 {
		t.Fatalf("opening: %+v", opening)
	}
	for _, c := range opening.Choices {
		if c.Count != 2 || c.Share != 0.5 {
			t.Errorf("opening choice %d: %d (%.2f), want 2 of 4", c.Number, c.Count, c.Share)
		}
	}
	if !opening.Choices[0].Best || opening.Choices[1].Best {
		t.Errorf("best choice at the opening not the first: %+v", opening.Choices)
	}
	// "block" was reached by Ana and Ben only, who both took the first
	// line; the second is still listed, at 0%.
	block := lc.points[1]
	if block.Node != "block" || block.Visits != 2 || len(block.Choices) != 2 || block.Choices[1].Count != 0 {
		t.Errorf("block: %+v", block)
	}
	if sum.scenarios[1].points != nil || sum.scenarios[1].attempts != 0 {
		t.Errorf("billing-error has data: %+v", sum.scenarios[1])
	}
}

func load(snap Snapshot, err error) func() (Snapshot, error) {
	return func() (Snapshot, error) { return snap, err }
}

func sized(m Model, w, h int) Model {
	next, _ := m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	return next.(Model)
}

func loaded(t *testing.T, m Model) Model {
	t.Helper()
	msg := m.Init()()
	next, _ := m.Update(msg)
	return next.(Model)
}

func TestViewFitsTheWindow(t *testing.T) {
	snap, sc := class(t)
	for _, size := range [][2]int{{80, 24}, {120, 40}, {60, 16}} {
		m := New(Options{Load: load(snap, nil), Scenarios: []*scenario.Scenario{sc}, Source: "/srv/class", Renderer: asciiRenderer()})
		m = loaded(t, sized(m, size[0], size[1]))
		v := m.View()
		lines := strings.Split(v, "\n")
		if len(lines) != size[1] {
			t.Errorf("%dx%d: %d lines", size[0], size[1], len(lines))
		}
		for i, l := range lines {
			if w := ansi.StringWidth(l); w > size[0] {
				t.Errorf("%dx%d: line %d is %d wide: %q", size[0], size[1], i+1, w, l)
			}
		}
		for _, want := range []string{"Rapport · class", "2 connected (1 playing)", "server on 0.0.0.0:2222", "● playing", "Dee", "e export report"} {
			if !strings.Contains(v, want) {
				t.Errorf("%dx%d: view lacks %q:\n%s", size[0], size[1], want, v)
			}
		}
	}
}

func TestDecisionPointsScrollAndSwitch(t *testing.T) {
	snap, sc := class(t)
	m := New(Options{Load: load(snap, nil), Scenarios: []*scenario.Scenario{sc}, Renderer: asciiRenderer()})
	m = loaded(t, sized(m, 100, 60))
	v := m.View()
	for _, want := range []string{"Decision points · The card that vanished (lost-card)", "3 saved attempts, 1 in progress",
		"opening — reached 4 times", "✓ 1", "50%", "(best)", "Scenario 1 of 2"} {
		if !strings.Contains(v, want) {
			t.Errorf("view lacks %q:\n%s", want, v)
		}
	}
	next, _ := m.Update(tea.KeyMsg{Type: tea.KeyTab})
	if v := next.(Model).View(); !strings.Contains(v, "(billing-error)") || !strings.Contains(v, "No choices made yet") {
		t.Errorf("tab does not show the next scenario:\n%s", v)
	}
	next, _ = next.Update(tea.KeyMsg{Type: tea.KeyShiftTab})
	if v := next.(Model).View(); !strings.Contains(v, "(lost-card)") {
		t.Error("shift+tab does not go back")
	}
}

func TestExport(t *testing.T) {
	snap, _ := class(t)
	calls := 0
	m := New(Options{Load: load(snap, nil), Renderer: asciiRenderer(), Export: func() (string, error) {
		calls++
		return "/tmp/class-report.md", nil
	}})
	m = loaded(t, sized(m, 100, 30))
	next, cmd := m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("e")})
	if cmd == nil || !strings.Contains(next.View(), "Writing the class report") {
		t.Fatal("e does not start an export")
	}
	// A second e while the first runs does not export twice.
	if _, again := next.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("e")}); again != nil {
		t.Error("a second export started while one was running")
	}
	next, _ = next.Update(cmd())
	if calls != 1 || !strings.Contains(next.View(), "Class report written to /tmp/class-report.md") {
		t.Errorf("after export (%d calls):\n%s", calls, next.View())
	}
	failing := New(Options{Load: load(snap, nil), Renderer: asciiRenderer(), Export: func() (string, error) {
		return "", errors.New("disk full")
	}})
	failing = loaded(t, sized(failing, 100, 30))
	_, cmd = failing.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("e")})
	next, _ = failing.Update(cmd())
	if !strings.Contains(next.View(), "Export failed: disk full") {
		t.Errorf("export error not shown:\n%s", next.View())
	}
}

func TestPolling(t *testing.T) {
	snap, _ := class(t)
	reads := 0
	m := New(Options{Renderer: asciiRenderer(), Load: func() (Snapshot, error) {
		reads++
		if reads == 2 {
			return Snapshot{}, errors.New("results folder gone")
		}
		return snap, nil
	}})
	m = sized(m, 100, 30)
	next, tick := m.Update(m.Init()())
	if tick == nil {
		t.Fatal("a read does not schedule the next")
	}
	m = next.(Model)
	// The next read fails: the last good one stays, with the problem.
	next, _ = m.Update(m.load(m.gen)())
	v := next.(Model).View()
	if !strings.Contains(v, "Cannot read the class: results folder gone") || !strings.Contains(v, "Dee") {
		t.Errorf("a failed read lost the class or hid the problem:\n%s", v)
	}
	// A refresh starts a new chain; reads of the old chain are dropped.
	next, cmd := next.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("r")})
	m = next.(Model)
	if _, stale := m.Update(loadedMsg{snap: snap, gen: m.gen - 1}); stale != nil {
		t.Error("a read of the old chain scheduled another")
	}
	if _, stale := m.Update(tickMsg{gen: m.gen - 1}); stale != nil {
		t.Error("a tick of the old chain read again")
	}
	if _, fresh := m.Update(cmd()); fresh == nil {
		t.Error("the refreshed read does not schedule the next")
	}
}

func TestEmptyClass(t *testing.T) {
	m := New(Options{Load: load(Snapshot{At: t0}, nil), Renderer: asciiRenderer()})
	m = loaded(t, sized(m, 80, 24))
	v := m.View()
	for _, want := range []string{"Nobody has connected or played yet", "no server running", "0 connected"} {
		if !strings.Contains(v, want) {
			t.Errorf("empty class view lacks %q:\n%s", want, v)
		}
	}
}

func TestTooSmall(t *testing.T) {
	m := sized(New(Options{Renderer: asciiRenderer()}), 30, 8)
	if !strings.Contains(m.View(), "Terminal too small") {
		t.Errorf("view at 30x8:\n%s", m.View())
	}
}

func TestRenderShowsEveryScenario(t *testing.T) {
	snap, sc := class(t)
	out := Render(Options{Scenarios: []*scenario.Scenario{sc}, Renderer: asciiRenderer()}, snap, 100)
	for _, want := range []string{"Trainees", "(lost-card)", "(billing-error)", "replace — reached"} {
		if !strings.Contains(out, want) {
			t.Errorf("render lacks %q:\n%s", want, out)
		}
	}
}

func TestHostileNamesAreDrawnSafely(t *testing.T) {
	snap, _ := class(t)
	snap.Live[0].Trainee = "Dee\x1b]0;pwned\x07\x1b[2J"
	m := New(Options{Load: load(snap, nil), Renderer: asciiRenderer()})
	m = loaded(t, sized(m, 100, 30))
	if v := m.View(); strings.Contains(v, "\x1b]0;") || strings.Contains(v, "\x1b[2J") {
		t.Errorf("escape sequences from a name reached the screen: %q", v)
	}
}
