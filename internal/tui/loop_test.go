package tui

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/rapport-sim/rapport/internal/results"
	"github.com/rapport-sim/rapport/internal/scenario"
	"github.com/rapport-sim/rapport/scenarios"
)

// saves records what the player handed to Options.Save.
type saves struct {
	mu  sync.Mutex
	got []Result
}

func (s *saves) save(res Result) func() error {
	return func() error {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.got = append(s.got, res)
		return nil
	}
}

func (s *saves) all() []Result {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Result(nil), s.got...)
}

// The trainee's loop at 80x24: play to the debrief, f on turn 2 replays
// turn 1 and asks turn 2 again, the retry's debrief says where it
// started, r plays again from the start, enter goes back to the list.
// Every attempt that reached its debrief was handed to Save, each a
// separate record, the retry saying where it started.
func TestE2ERetryLoop(t *testing.T) {
	var s saves
	fx := fixture(t)
	m := New(testOptions(Options{Scenarios: []*scenario.Scenario{fx}, Save: s.save}))
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24))
	waitFor(t, tm, "1 scenario", fx.Title)
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	waitFor(t, tm, "What do you say?")
	tm.Type("2")
	waitFor(t, tm, "[flatly] It clicks off.")
	tm.Type("1")
	waitFor(t, tm, "Conversation over", "r again", "f from turn", "enter list", "Saved: see it again with rapport history.")

	// Turn 2 selected, f: turn 1 is said again, turn 2's choices are back.
	tm.Send(tea.KeyMsg{Type: tea.KeyDown})
	tm.Type("f")
	waitFor(t, tm, "Can I have the order number?", "[flatly] It clicks off.", "What do you say?")
	tm.Type("2")
	waitFor(t, tm, "Conversation over", "Retried from turn 2: turns 1–1 were said again as before.")

	tm.Type("r")
	waitFor(t, tm, "What do you say?", "3  Well, we are very busy")
	tm.Type("1")
	tm.Type("1")
	waitFor(t, tm, "Conversation over")
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	waitFor(t, tm, "choose a conversation", "1 scenario")
	tm.Type("q")

	fm := finalModel(t, tm)
	if _, ok := fm.Attempt(); ok {
		t.Error("back on the list, the player still holds an attempt to save: it was saved at its debrief")
	}
	got := s.all()
	if len(got) != 3 {
		t.Fatalf("%d attempts saved, want 3", len(got))
	}
	want := []struct {
		from    int
		choices []int
	}{{0, []int{2, 1}}, {2, []int{2, 2}}, {0, []int{1, 1}}}
	for i, w := range want {
		a := got[i]
		if a.RetryFrom != w.from || !a.Finished() {
			t.Errorf("attempt %d: retry from %d, finished %v; want from %d, finished", i+1, a.RetryFrom, a.Finished(), w.from)
		}
		var choices []int
		for _, st := range a.State.Steps {
			choices = append(choices, st.Choice)
		}
		if len(choices) < len(w.choices) || choices[0] != w.choices[0] || choices[1] != w.choices[1] {
			t.Errorf("attempt %d said choices %v, want %v first", i+1, choices, w.choices)
		}
	}
}

// Started on one scenario (rapport play ID), the player has no list to go
// back to: enter is not offered and does nothing.
func TestEndWithoutListOffersNoEnter(t *testing.T) {
	m := sized(t, New(testOptions(Options{Start: fixture(t)})), 80, 24)
	m, _ = send(t, m, runes("2"), runes("1"))
	if m.Screen() != ScreenEnd {
		t.Fatalf("on %s", m.Screen())
	}
	if v := screenText(m); !strings.Contains(v, "r again") || !strings.Contains(v, "f from turn") || strings.Contains(v, "enter list") {
		t.Errorf("help line:\n%s", v)
	}
	m, _ = send(t, m, keyEnter)
	if m.Screen() != ScreenEnd {
		t.Errorf("enter with no list went to %s", m.Screen())
	}
}

// The end screen explains the overall at 80x24: the weighted mean with
// each score's weight, every adjustment, and the sum, from the same
// document the text debrief and replay draw (debrief.Doc.HowOverall).
func TestE2EEndExplainsOverall(t *testing.T) {
	m := New(testOptions(Options{Start: fixture(t)}))
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24))
	waitFor(t, tm, "What do you say?")
	tm.Type("2")
	waitFor(t, tm, "[flatly] It clicks off.")
	tm.Type("1")
	waitFor(t, tm, "Conversation over", "How the overall was built", "Weighted mean of the scores: (First 30 seconds")
	tm.Type("q")
	fm := finalModel(t, tm)
	how := fm.ended().doc.HowOverall()
	if len(how) < 2 || !strings.Contains(how[len(how)-1].Text, fmt.Sprint(fm.ended().doc.Overall)) {
		t.Errorf("the explanation does not end on the overall %d: %+v", fm.ended().doc.Overall, how)
	}
}

// The picker shows, per scenario, attempts, best and last overall, and
// "not yet played" in words; s sorts by "needs practice" (never played
// first, then the lowest last overall). Progress is read in a command, and
// read again when the trainee comes back to the list after an attempt.
func TestE2EPickerProgress(t *testing.T) {
	fx, ftc := fixture(t), firstTimeCaller(t)
	var mu sync.Mutex
	reads := 0
	prog := map[string]results.Progress{
		fx.ID: {Scenario: fx.ID, Attempts: 3, Overalls: []int{40, 72, 66}, Best: 72, Last: 66},
	}
	read := func() (map[string]results.Progress, error) {
		mu.Lock()
		defer mu.Unlock()
		reads++
		if reads > 1 {
			prog[fx.ID] = results.Progress{Scenario: fx.ID, Attempts: 4, Overalls: []int{40, 72, 66, 90}, Best: 90, Last: 90}
		}
		return prog, nil
	}
	var s saves
	m := New(testOptions(Options{Scenarios: []*scenario.Scenario{fx, ftc}, Progress: read, Save: s.save}))
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24))
	waitFor(t, tm, "● 3 attempts · best 72 · last 66", "○ not played yet", "s sort")
	tm.Type("s")
	waitFor(t, tm, "needs practice first")
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	// Needing practice most, the unplayed first-time caller is first.
	waitFor(t, tm, "Customer: "+ftc.Customer.Name)
	for range 40 {
		tm.Type("1")
	}
	waitFor(t, tm, "Conversation over")
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	waitFor(t, tm, "● 4 attempts · best 90 · last 90")
	tm.Type("q")
	finalModel(t, tm)
}

// The briefing opens before the call and enter skips it; during the call
// the footer offers i, which shows it again over the conversation, and any
// key goes back to the call where it was. At 80x24.
func TestE2EBriefingAgain(t *testing.T) {
	sc := repliesCall(t)
	m := New(testOptions(Options{Start: sc, Agent: "Eve Ng"}))
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24))
	waitFor(t, tm, "Before the call", "enter start the call")
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	waitFor(t, tm, "What do you say?", "i brief", "? more", "Patience [", "at 0 they walk out")
	tm.Type("i")
	waitFor(t, tm, "Your briefing, again", "Find Omar's parcel", "any key: back to the call")
	tm.Type("2")
	waitFor(t, tm, "What do you say?", "I'm so sorry you waited in all day")
	tm.Type("1")
	waitFor(t, tm, "That's all I want.")
	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlC})
	tm.Type("y")
	fm := finalModel(t, tm)
	if res, ok := fm.Result(); !ok || len(res.State.Steps) != 1 {
		t.Errorf("the key that closed the briefing was taken as an answer, or the answer lost: %+v", res.State.Steps)
	}
}

// At 80 columns the transcript names the customer whole: "Leon
// Fairweather", not "Leon Fairweat…".
func TestE2ESpeakerNameWhole(t *testing.T) {
	sc := loadFrom(t, scenarios.FS, "wants-a-manager.toml")
	m := New(testOptions(Options{Start: sc}))
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24))
	if sc.Briefing != nil {
		waitFor(t, tm, "Before the call")
		tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	}
	waitFor(t, tm, "00:00 Leon Fairweather  ", "What do you say?")
	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlC})
	tm.Type("y")
	if v := screenText(finalModel(t, tm)); strings.Contains(v, "Fairweat…") {
		t.Errorf("the name is cut:\n%s", v)
	}
}

// A typed line over the limit says it was cut, at 80x24.
func TestE2ETypedLineCutSaysSo(t *testing.T) {
	m := New(testOptions(Options{Start: fixture(t)}))
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24))
	waitFor(t, tm, "What do you say?")
	tm.Type("t")
	waitFor(t, tm, "say it in your own words")
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(strings.Repeat("sorry ", 50)), Paste: true})
	waitFor(t, tm, "A line can be at most 280 characters: the rest was left out.")
	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlC})
	tm.Type("y")
	finalModel(t, tm)
}
