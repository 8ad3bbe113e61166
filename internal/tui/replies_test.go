package tui

import (
	"os"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/rapport-sim/rapport/internal/engine"
	"github.com/rapport-sim/rapport/internal/scenario"
)

func repliesCall(t testing.TB) *scenario.Scenario {
	return loadFrom(t, os.DirFS("testdata"), "replies-call.toml")
}

// A scenario with a briefing opens on it; enter starts the call, and the
// trainee's name is said wherever the scenario wrote {agent}.
func TestBriefingThenCall(t *testing.T) {
	sc := repliesCall(t)
	m := New(testOptions(Options{Scenarios: []*scenario.Scenario{sc}, Agent: "Priya Shah"}))
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24))
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	waitFor(t, tm, "Before the call", "You are: Priya, adviser on the Parcelway helpline",
		"Goal: Find Omar's parcel", "You may offer:", "a redelivery tomorrow", "enter start the call")
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	waitFor(t, tm, "What do you say?", "I'm Priya, and I'll")
	tm.Type("1")
	waitFor(t, tm, "Thank you, Priya. That's all I want.", "So where is it?")
	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlC})
	tm.Type("y")
	fm := finalModel(t, tm)
	res, ok := fm.Result()
	if !ok || len(res.State.Steps) != 1 || res.State.Steps[0].ID != sc.Nodes[0].Choices[0].ID || res.State.Agent != "Priya" {
		t.Fatalf("result %+v", res.State)
	}
}

// esc on the briefing goes back to the picker; q quits.
func TestBriefingBack(t *testing.T) {
	sc := repliesCall(t)
	m := sized(t, New(testOptions(Options{Scenarios: []*scenario.Scenario{sc}})), 80, 24)
	m, _ = send(t, m, keyEnter)
	if m.Screen() != "briefing" || !strings.Contains(screenText(m), "You are: Sam, adviser") {
		t.Fatalf("screen %s:\n%s", m.Screen(), screenText(m))
	}
	m, _ = send(t, m, keyEsc)
	if m.Screen() != "picker" {
		t.Fatalf("esc: screen %s", m.Screen())
	}
}

// Esc on a briefing goes back to the list as it was left (the same
// scenario selected), and, after trying again from a debrief, to a list
// made afresh: the list of the first pick is gone by then, and going back
// to it used to draw nothing and crash.
func TestBriefingBackToTheList(t *testing.T) {
	sc, fx := repliesCall(t), fixture(t)
	m := sized(t, New(testOptions(Options{Scenarios: []*scenario.Scenario{fx, sc}})), 80, 24)
	m, _ = send(t, m, keyDown, keyEnter)
	if m.Screen() != "briefing" {
		t.Fatalf("screen %s:\n%s", m.Screen(), screenText(m))
	}
	m, _ = send(t, m, keyEsc)
	if p, ok := m.page.(*pickerPage); !ok || p.selected() != sc {
		t.Fatalf("esc: screen %s, not the list with the scenario still selected:\n%s", m.Screen(), screenText(m))
	}
	m, _ = send(t, m, keyEnter, keyEnter)
	m = playOut(t, m, runes("1"))
	m, _ = send(t, m, runes("r"))
	if m.Screen() != "briefing" {
		t.Fatalf("r: screen %s:\n%s", m.Screen(), screenText(m))
	}
	m, _ = send(t, m, keyEsc)
	if v := screenText(m); m.Screen() != "picker" || !strings.Contains(v, "choose a conversation") || !strings.Contains(v, sc.Title) {
		t.Fatalf("esc after trying again: screen %s:\n%s", m.Screen(), v)
	}
}

// The reply to a choice comes between the trainee's line and the next
// node's line, and a state variant picks it.
func TestReplyBeforeNextLine(t *testing.T) {
	for _, tc := range []struct {
		anger int
		want  string
	}{{50, "[sighs] PW-77310."}, {65, "[snapping] PW-77310. Again."}} {
		sc := repliesCall(t)
		sc.Customer.Start.Anger = tc.anger
		m := sized(t, New(testOptions(Options{Start: sc})), 80, 24)
		m, _ = send(t, m, keyEnter, runes("2"))
		tr := m.conversation().sess.State().Transcript
		if len(tr) != 4 || tr[2].Text != tc.want || !tr[2].Reply || tr[3].Text != "So where is it?" {
			t.Fatalf("anger %d: transcript %+v", tc.anger, tr)
		}
		if v := screenText(m); !strings.Contains(v, tc.want) {
			t.Errorf("reply not on screen:\n%s", v)
		}
	}
}

// A typed line that matches nothing: the customer asks what the trainee
// means, the conversation stays at the node, the clock runs, and the
// trainee answers again. The screen shows the clarify line at 80x24 and
// 120x40 without scrolling.
func TestTypedLineNotFollowed(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		sc := repliesCall(t)
		m := sized(t, New(testOptions(Options{Start: sc})), size[0], size[1])
		m, _ = send(t, m, keyEnter)
		clock := m.conversation().sess.State().Clock
		m, _ = send(t, m, runes("t"), runes("purple monkey dishwasher"), keyEnter)
		st := m.conversation().sess.State()
		if st.Node != "opening" || len(st.Steps) != 1 || !st.Steps[0].Unheard || st.Clock <= clock {
			t.Fatalf("%v: state %+v", size, st)
		}
		v := screenText(m)
		for _, want := range []string{"Sorry, Sam, I don't follow. What do you mean?", "did not follow that", "Try again in other words"} {
			if !strings.Contains(flat(v), want) {
				t.Errorf("%v: screen lacks %q:\n%s", size, want, v)
			}
		}
		// And the trainee can answer again.
		m, _ = send(t, m, runes("1"))
		if m.conversation().sess.State().Node != "where" {
			t.Errorf("%v: after answering again at %q", size, m.conversation().sess.State().Node)
		}
	}
}

// A typed answer that is heard: the customer's reply and next line show
// on screen at once (the note above the choices no longer pushes them out
// of view), at 80x24 and 120x40.
func TestTypedAnswerScrollsToReply(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		sc := repliesCall(t)
		m := sized(t, New(testOptions(Options{Start: sc})), size[0], size[1])
		m, _ = send(t, m, keyEnter)
		// Enough lines the customer did not follow to fill the transcript,
		// so the reply has to be scrolled to.
		for range size[1] / 4 {
			m, _ = send(t, m, runes("t"), runes("purple monkey dishwasher"), keyEnter)
		}
		m, _ = send(t, m, runes("t"),
			runes("I'm so sorry you waited in all day, Omar. I'm Sam and I'll find your parcel for you now."), keyEnter)
		if m.conversation().sess.State().Node != "where" {
			t.Fatalf("%v: at %q, steps %+v", size, m.conversation().sess.State().Node, m.conversation().sess.State().Steps)
		}
		v := screenText(m)
		for _, want := range []string{"Heard as choice 1", "Thank you, Sam. That's all I want.", "So where is it?"} {
			if !strings.Contains(flat(v), want) {
				t.Errorf("%v: screen lacks %q:\n%s", size, want, v)
			}
		}
	}
}

// What the customer hears in a typed line moves them: "calm down" with
// the kind choice's words angers them where the kind choice calms them,
// and sarcasm they did not follow still costs.
func TestTypedHostilityIsHeard(t *testing.T) {
	sc := repliesCall(t)
	m := sized(t, New(testOptions(Options{Start: sc})), 100, 30)
	m, _ = send(t, m, keyEnter, runes("t"),
		runes("Calm down, I'm sorry you waited in all day, Omar; I'll find your parcel now."), keyEnter)
	st := m.conversation().sess.State()
	if len(st.Steps) != 1 || st.Steps[0].Unheard || !containsStr(st.Steps[0].Heard, "invalidate") {
		t.Fatalf("steps %+v", st.Steps)
	}
	if st.Mood.Anger <= sc.Customer.Start.Anger {
		t.Errorf("anger %d after calm down, started at %d", st.Mood.Anger, sc.Customer.Start.Anger)
	}
	if v := flat(screenText(m)); !strings.Contains(v, "invalidation") || !strings.Contains(v, "Omar Haddad heard") {
		t.Errorf("screen does not say what was heard:\n%s", screenText(m))
	}
	kind, _ := engine.New(sc, engine.Options{})
	_ = kind.Choose(engine.Step{Choice: 1})
	if kind.State().Mood.Anger >= st.Mood.Anger || kind.State().Mood.Trust <= st.Mood.Trust {
		t.Errorf("calm down (%+v) treated like the kind choice (%+v)", st.Mood, kind.State().Mood)
	}

	m = sized(t, New(testOptions(Options{Start: repliesCall(t)})), 100, 30)
	m, _ = send(t, m, keyEnter, runes("t"), runes("Oh brilliant, another sob story."), keyEnter)
	st = m.conversation().sess.State()
	if len(st.Steps) != 1 || !st.Steps[0].Unheard || !containsStr(st.Steps[0].Heard, "sarcasm") || st.Mood.Anger <= 50 {
		t.Fatalf("sarcasm not followed: steps %+v, mood %+v", st.Steps, st.Mood)
	}
}

func containsStr(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}
