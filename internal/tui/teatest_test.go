package tui

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/rapport-sim/rapport/internal/engine"
	"github.com/rapport-sim/rapport/internal/scenario"
)

// waitFor waits until the program has drawn all of the given texts.
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

func finalModel(t *testing.T, tm *teatest.TestModel) Model {
	t.Helper()
	fm, ok := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(Model)
	if !ok {
		t.Fatal("final model is not a tui.Model")
	}
	return fm
}

// A trainee picks a scenario from the library and plays it to the end.
func TestE2EPickerToEnd(t *testing.T) {
	fx, ftc := fixture(t), firstTimeCaller(t)
	m := New(testOptions(Options{Scenarios: []*scenario.Scenario{fx, ftc}}))
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24))

	waitFor(t, tm, "choose a conversation", "2 scenarios", fx.Title, ftc.Title)
	tm.Send(tea.KeyMsg{Type: tea.KeyDown})
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	waitFor(t, tm, "Customer: "+ftc.Customer.Name, "What do you say?", "▸ first 30s", "Apprehension [")

	// "1" until the conversation ends; the end screen ignores the rest.
	for i := 0; i < 40; i++ {
		tm.Type("1")
	}
	waitFor(t, tm, "Conversation over", "Outcome: ", "First 30 seconds", "Empathy", "Difficult customers", "Overall")
	tm.Type("q")

	fm := finalModel(t, tm)
	res, ok := fm.Result()
	if !ok || res.Abandoned() || !res.State.Done() || res.Scenario != ftc {
		t.Fatalf("result %+v ok=%v", res, ok)
	}
	// "1" is the first offered choice, whatever its authored number.
	for i, s := range res.State.Steps {
		e, err := engine.Replay(ftc, engine.Options{}, res.State.Steps[:i])
		if err != nil || e.Choices()[0].Number != s.Choice {
			t.Errorf("step %d took choice %d, not the first offered", i+1, s.Choice)
		}
	}
}

// Picker, then number keys, arrows and enter play the fixture to its end;
// on the debrief, arrows choose a turn and enter opens it.
func TestE2EKeysAndDebrief(t *testing.T) {
	m := New(testOptions(Options{Scenarios: []*scenario.Scenario{fixture(t)}}))
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24))
	waitFor(t, tm, "1 scenario", "Broken kettle, second call")
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	waitFor(t, tm, "What do you say?", "3  Well, we are very busy")
	tm.Type("2")
	waitFor(t, tm, "[flatly] It clicks off.")
	// Only two choices here: 3 is refused with a message, not taken.
	tm.Type("3")
	waitFor(t, tm, "There is no choice 3 here: pick 1 to 2.")
	tm.Send(tea.KeyMsg{Type: tea.KeyDown})
	tm.Send(tea.KeyMsg{Type: tea.KeyUp})
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	waitFor(t, tm, "Conversation over", "✓ resolved", "First 30 seconds", "Overall")
	tm.Send(tea.KeyMsg{Type: tea.KeyDown})
	tm.Send(tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}})
	waitFor(t, tm, "▾  2.", "Feedback:", "Two clear alternatives")
	tm.Type("q")

	fm := finalModel(t, tm)
	res, ok := fm.Result()
	if !ok || res.Abandoned() || res.State.Ending != "sorted" {
		t.Fatalf("result %+v ok=%v", res, ok)
	}
	if got := res.State.Steps; len(got) != 2 || got[0].Choice != 2 || got[1].Choice != 1 {
		t.Errorf("steps %+v, want choices 2 then 1", got)
	}
}

// The filter narrows the list; enter applies it and enter again starts the
// one scenario left.
func TestE2EPickerFilter(t *testing.T) {
	fx, ftc := fixture(t), firstTimeCaller(t)
	m := New(testOptions(Options{Scenarios: []*scenario.Scenario{ftc, fx}}))
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24))
	waitFor(t, tm, "2 scenarios")
	tm.Type("/")
	waitFor(t, tm, "Filter:")
	tm.Type("kettle")
	waitFor(t, tm, "1 scenario")
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	waitFor(t, tm, "Customer: Priya Nair")
	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlC})
	waitFor(t, tm, "Abandon this conversation?")
	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlC})

	res, ok := finalModel(t, tm).Result()
	if !ok || res.Scenario != fx || !res.Abandoned() {
		t.Fatalf("result %+v ok=%v, want the filtered scenario, abandoned", res, ok)
	}
}

func TestE2EConfirmAbandon(t *testing.T) {
	m := New(testOptions(Options{Start: fixture(t)}))
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24))
	waitFor(t, tm, "What do you say?")
	tm.Type("2")
	waitFor(t, tm, "Can I have the order number?")
	tm.Type("q")
	waitFor(t, tm, "Abandon this conversation?", "Priya Nair is still on the line.")
	tm.Type("n")
	waitFor(t, tm, "Have you tried descaling it?")
	tm.Type("q")
	tm.Type("y")

	fm := finalModel(t, tm)
	res, ok := fm.Result()
	if !ok || !res.Abandoned() || res.State.Done() || len(res.State.Steps) != 1 || res.State.Steps[0].Choice != 2 {
		t.Fatalf("result %+v ok=%v", res, ok)
	}
}

func TestE2EResize(t *testing.T) {
	m := New(testOptions(Options{Start: fixture(t)}))
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24))
	waitFor(t, tm, "What do you say?")
	tm.Send(tea.WindowSizeMsg{Width: 20, Height: 5})
	waitFor(t, tm, "Terminal too")
	tm.Send(tea.WindowSizeMsg{Width: 120, Height: 40})
	// At 120 columns the first choice fits on one line.
	waitFor(t, tm, "I'm Alex, and I'll see this through with you today.")
	tm.Type("1")
	waitFor(t, tm, "00:09 You")
	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlC})
	tm.Type("y")
	fm := finalModel(t, tm)
	if fm.c.width != 120 || fm.c.height != 40 {
		t.Errorf("final size %dx%d", fm.c.width, fm.c.height)
	}
}

// A scenario line carrying an escape sequence is drawn as its text only.
func TestE2ESanitisesEscapes(t *testing.T) {
	sc := fixture(t)
	bad := *sc
	start, _ := sc.Node(sc.Start)
	n := *start
	n.Say = []string{"Hello \x1b[31mred\x1b[0m alert"}
	bad.Nodes = append([]*scenario.Node{&n}, sc.Nodes[1:]...)
	bad.Index()

	m := New(testOptions(Options{Start: &bad}))
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24))
	waitFor(t, tm, "Hello red alert")
	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlC})
	tm.Type("y")
	out, err := io.ReadAll(tm.FinalOutput(t, teatest.WithFinalTimeout(5*time.Second)))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(out, []byte("\x1b[31m")) {
		t.Error("the scenario's colour escape reached the terminal")
	}
}

// With animation on, the customer's line types out on ticks; a key shows
// it whole without choosing.
func TestE2ETypewriter(t *testing.T) {
	opts := testOptions(Options{Start: fixture(t)})
	opts.NoAnimation = false
	tm := teatest.NewTestModel(t, New(opts), teatest.WithInitialTermSize(80, 24))
	waitFor(t, tm, "Nobody did.")
	tm.Type("1")
	waitFor(t, tm, "clicks off.")
	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlC})
	tm.Type("y")
	// The line had typed out in full before "1" was pressed, so "1" chose.
	res, _ := finalModel(t, tm).Result()
	if n := len(res.State.Steps); n != 1 {
		t.Errorf("%d steps, want the one choice", n)
	}
}

// burst is what Bubble Tea reads when text arrives in one go without
// bracketed paste (a paste, dictation, a slow SSH link): one KeyRunes
// message per word and a KeySpace for each space, as its input parser
// splits them.
func burst(s string) []tea.Msg {
	var msgs []tea.Msg
	for i, w := range strings.Split(s, " ") {
		if i > 0 {
			msgs = append(msgs, tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}})
		}
		if w != "" {
			msgs = append(msgs, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(w)})
		}
	}
	return msgs
}

// Words that are key names, arriving in a burst, are text: "enter" used to
// send the line cut short, and "right" moved the cursor instead of being
// typed.
func TestE2ETypedBurstIsText(t *testing.T) {
	for _, text := range []string{"please enter your postcode", "I'm right here", "go up and down then press esc or tab"} {
		t.Run(text, func(t *testing.T) {
			m := New(testOptions(Options{Start: fixture(t)}))
			tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24))
			waitFor(t, tm, "What do you say?")
			tm.Type("t")
			waitFor(t, tm, "Say it your way")
			for _, msg := range burst(text) {
				tm.Send(msg)
			}
			waitFor(t, tm, text)
			tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
			waitFor(t, tm, "(typed)")
			tm.Send(tea.KeyMsg{Type: tea.KeyCtrlC})
			tm.Type("y")
			res, ok := finalModel(t, tm).Result()
			if !ok || len(res.State.Steps) != 1 || res.State.Steps[0].Text != text {
				t.Fatalf("said %+v, want the whole line %q", res.State.Steps, text)
			}
		})
	}
}

// A filter that matches nothing never starts a scenario: enter used to
// clear it, and the next enter started the first scenario in the list.
func TestE2EPickerEnterOnEmptyFilter(t *testing.T) {
	fx, ftc := fixture(t), firstTimeCaller(t)
	m := New(testOptions(Options{Scenarios: []*scenario.Scenario{ftc, fx}}))
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24))
	waitFor(t, tm, "2 scenarios")
	tm.Type("/")
	waitFor(t, tm, "Filter:")
	tm.Type("zzqx")
	waitFor(t, tm, "Nothing matched")
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	// The words "enter" typed in a burst into the filter are text too.
	for _, msg := range burst("enter") {
		tm.Send(msg)
	}
	waitFor(t, tm, "zzqxente") // the last letter is under the cursor
	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlC})
	fm := finalModel(t, tm)
	if fm.Screen() != "picker" {
		t.Errorf("screen %q after enter on an empty filter, want the picker", fm.Screen())
	}
	if _, ok := fm.Attempt(); ok {
		t.Error("a scenario was started")
	}
}
