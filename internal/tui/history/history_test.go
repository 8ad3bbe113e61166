package history

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest"
)

var day = time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)

func attempts() []Attempt {
	return []Attempt{
		{ID: "a1", Started: day, Trainee: "Ann", Scenario: "late-delivery", Title: "Late for the wedding", Opening: 40, Empathy: 55, Difficult: 38, DifficultAssessed: true, Overall: 45, Scored: true, Ending: "lost"},
		{ID: "a2", Started: day.Add(26 * time.Hour), Trainee: "Ann", Scenario: "first-time-caller", Title: "First time on the phone", Opening: 92, Empathy: 85, Overall: 88, Scored: true, Ending: "resolved"},
		{ID: "a3", Started: day.Add(50 * time.Hour), Trainee: "Ann", Scenario: "late-delivery", Title: "Late for the wedding", Opening: 70, Empathy: 75, Difficult: 66, DifficultAssessed: true, Overall: 71, Scored: true, Ending: "kept"},
		{ID: "a4", Started: day.Add(51 * time.Hour), Trainee: "Ann", Scenario: "terse-chat", Title: "Short \x1b[31mand\x1b[0m sharp", Ending: "abandoned"},
	}
}

func newModel(debrief func(string, int) (string, error)) Model {
	var buf bytes.Buffer
	return New(Options{
		Attempts: attempts(), Debrief: debrief, Title: "Ann's attempts",
		Renderer: lipgloss.NewRenderer(&buf), Location: time.UTC,
	})
}

func send(m tea.Model, msgs ...tea.Msg) tea.Model {
	for _, msg := range msgs {
		var cmd tea.Cmd
		m, cmd = m.Update(msg)
		// Run the debrief loader; other commands (the filter's cursor
		// blink) are timers and are left alone.
		if cmd != nil && m.(Model).loading {
			m, _ = m.Update(cmd())
		}
	}
	return m
}

func keys(s string) []tea.Msg {
	var out []tea.Msg
	for _, r := range s {
		out = append(out, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
	return out
}

var (
	enter = tea.KeyMsg{Type: tea.KeyEnter}
	esc   = tea.KeyMsg{Type: tea.KeyEsc}
	down  = tea.KeyMsg{Type: tea.KeyDown}
	size  = tea.WindowSizeMsg{Width: 80, Height: 24}
)

func ids(m tea.Model) string {
	var out []string
	for _, a := range m.(Model).Shown() {
		out = append(out, a.ID)
	}
	return strings.Join(out, ",")
}

func TestSortAndFilter(t *testing.T) {
	tests := map[string]struct {
		msgs []tea.Msg
		want string
	}{
		"newest first":          {nil, "a4,a3,a2,a1"},
		"reverse":               {keys("r"), "a1,a2,a3,a4"},
		"by scenario":           {keys("s"), "a2,a3,a1,a4"},
		"by first 30 seconds":   {keys("ss"), "a2,a3,a1,a4"},
		"by difficult":          {keys("ssss"), "a3,a1,a4,a2"},
		"by overall ascending":  {keys("sssssr"), "a4,a1,a3,a2"},
		"previous column wraps": {keys("S"), "a4,a3,a1,a2"},
		"filter":                {append(keys("/late"), enter), "a3,a1"},
		"filter by ending":      {append(keys("/abandon"), enter), "a4"},
		"filter cancelled":      {append(keys("/late"), esc), "a4,a3,a2,a1"},
		"filter cleared by esc": {append(append(keys("/late"), enter), esc), "a4,a3,a2,a1"},
		"filter by date":        {append(keys("/2026-03-03"), enter), "a2"},
		"filter by short date":  {append(keys("/mar 04"), enter), "a4,a3"},
		"no match":              {keys("/zzz"), ""},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			m := send(newModel(nil), append([]tea.Msg{size}, tc.msgs...)...)
			if got := ids(m); got != tc.want {
				t.Errorf("shown = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestCursorFollowsAttempt(t *testing.T) {
	m := send(newModel(nil), size, down)
	if a, _ := m.(Model).Selected(); a.ID != "a3" {
		t.Fatalf("after down, selected %s, want a3", a.ID)
	}
	m = send(m, keys("r")...)
	if a, _ := m.(Model).Selected(); a.ID != "a3" {
		t.Errorf("after reversing, selected %s, want a3 still", a.ID)
	}
	view := ansi.Strip(m.(Model).View())
	var marked []string
	for _, l := range strings.Split(view, "\n") {
		if strings.Contains(l, marker) {
			marked = append(marked, l)
		}
	}
	if len(marked) != 1 || !strings.Contains(marked[0], "Mar 04 11:30") {
		t.Errorf("rows with the cursor marker: %q, want only a3's", marked)
	}
}

func TestOpenDebrief(t *testing.T) {
	var asked []string
	m := send(newModel(func(id string, width int) (string, error) {
		asked = append(asked, fmt.Sprintf("%s@%d", id, width))
		if id == "a4" {
			return "", errors.New("scenario terse-chat is not in the library")
		}
		return "Debrief of " + id + "\nFirst 30 seconds: 70", nil
	}), size, down, enter)
	view := ansi.Strip(m.(Model).View())
	if !strings.Contains(view, "Debrief of a3") || !strings.Contains(view, "Debrief · Late for the wedding") {
		t.Errorf("debrief screen:\n%s", view)
	}
	if strings.Join(asked, " ") != "a3@80" {
		t.Errorf("debrief asked for %v, want a3 at width 80", asked)
	}
	m = send(m, esc, tea.KeyMsg{Type: tea.KeyUp}, enter)
	if view := ansi.Strip(m.(Model).View()); !strings.Contains(view, "Could not show this attempt: scenario terse-chat is not in the library") {
		t.Errorf("error not shown:\n%s", view)
	}
	// A debrief that arrives after the trainee went back is dropped.
	m = send(m, esc)
	m, _ = m.Update(debriefMsg{id: "a1", text: "late"})
	if m.(Model).screen != screenTable {
		t.Error("a late debrief changed the screen")
	}
}

func TestQuitKeys(t *testing.T) {
	for name, msg := range map[string]tea.Msg{"q": keys("q")[0], "esc": esc, "ctrl+c": tea.KeyMsg{Type: tea.KeyCtrlC}} {
		_, cmd := newModel(nil).Update(msg)
		if cmd == nil || cmd() != tea.Quit() {
			t.Errorf("%s does not quit", name)
		}
	}
	// While filtering, q is text, not quit.
	m := send(newModel(nil), size, keys("/q")[0])
	_, cmd := m.Update(keys("q")[0])
	if cmd != nil && cmd() == tea.Quit() {
		t.Error("q quits while typing a filter")
	}
}

func TestView(t *testing.T) {
	for _, sz := range []tea.WindowSizeMsg{{Width: 80, Height: 24}, {Width: 120, Height: 40}, {Width: 40, Height: 10}} {
		t.Run(fmt.Sprintf("%dx%d", sz.Width, sz.Height), func(t *testing.T) {
			m := send(newModel(nil), sz)
			view := m.(Model).View()
			if strings.Contains(view, "\x1b[31m") {
				t.Error("escape sequence from a record reached the screen")
			}
			if h := lipgloss.Height(view); h > sz.Height {
				t.Errorf("view is %d lines, window %d", h, sz.Height)
			}
			for i, l := range strings.Split(ansi.Strip(view), "\n") {
				if w := lipgloss.Width(l); w > sz.Width {
					t.Errorf("line %d is %d wide, window %d: %q", i+1, w, sz.Width, l)
				}
			}
			golden.RequireEqual(t, []byte(ansi.Strip(view)))
		})
	}
	empty := New(Options{Renderer: lipgloss.NewRenderer(&bytes.Buffer{})})
	if v := send(empty, size).(Model).View(); !strings.Contains(v, "No attempts yet") {
		t.Errorf("empty history view:\n%s", v)
	}
	if v := newModel(nil).View(); v != "" {
		t.Errorf("view before the first size = %q, want nothing", v)
	}
}

// TestProgram runs the screen in a real Bubble Tea program: open a
// debrief, go back, quit.
func TestProgram(t *testing.T) {
	tm := teatest.NewTestModel(t, newModel(func(id string, _ int) (string, error) {
		return "DEBRIEF " + id, nil
	}), teatest.WithInitialTermSize(100, 30))
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte("Short and sharp")) },
		teatest.WithDuration(3*time.Second))
	tm.Send(enter)
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte("DEBRIEF a4")) },
		teatest.WithDuration(3*time.Second))
	tm.Send(esc)
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{'q'}})
	final := tm.FinalModel(t, teatest.WithFinalTimeout(3*time.Second)).(Model)
	if final.screen != screenTable {
		t.Errorf("final screen %v, want the table", final.screen)
	}
}

// Words that are key names, arriving in one burst (a paste without
// bracketed paste), are text in the filter: "enter" used to accept the
// filter as "late " and leave the rest of the words to act as keys.
func TestFilterBurstIsText(t *testing.T) {
	burst := []tea.Msg{
		tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("late")},
		tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}},
		tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("enter")},
	}
	m := send(newModel(nil), append([]tea.Msg{size, keys("/")[0]}, burst...)...).(Model)
	if !m.filtering || m.filter.Value() != "late enter" {
		t.Errorf("filtering %v, filter %q; want still typing \"late enter\"", m.filtering, m.filter.Value())
	}
}
