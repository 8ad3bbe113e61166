package engine

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/rapport-sim/rapport/internal/scenario"
)

// The guide's table of reactions to typed words is the engine's.
func TestReactionTableDocumented(t *testing.T) {
	doc, err := os.ReadFile("../../docs/authoring.md")
	if err != nil {
		t.Fatal(err)
	}
	signed := func(v int) string {
		switch {
		case v > 0:
			return fmt.Sprintf("+%d", v)
		case v < 0:
			return fmt.Sprintf("−%d", -v)
		}
		return ""
	}
	for _, r := range ReactionTable() {
		row := fmt.Sprintf("| `%s`", r.Behavior)
		i := strings.Index(string(doc), row)
		if i < 0 {
			t.Errorf("docs/authoring.md has no row for %s", r.Behavior)
			continue
		}
		line := string(doc[i:])
		line = line[:strings.IndexByte(line, '\n')]
		want := fmt.Sprintf("| %s | %s |", signed(r.Effect.Anger), signed(r.Effect.Trust))
		if want == "| %s |  |" || !strings.HasSuffix(strings.ReplaceAll(line, "  ", " "), strings.ReplaceAll(want, "  ", " ")) {
			t.Errorf("docs row %q, want it to end %q", line, want)
		}
	}
	if fmt.Sprint(MinMatch) != "0.35" || !strings.Contains(string(doc), "**Below 0.35**") {
		t.Errorf("the guide's match threshold is not engine.MinMatch (%v)", MinMatch)
	}
}

// A hostile typed line never earns what the kind choice it resembled
// earns, and warmth beside hostility calms no one.
func TestTypedReactions(t *testing.T) {
	fx := scenario.Mood{Anger: -20, Trust: 15, Apprehension: -10, Patience: 5}
	if got := typedEffects(fx, []string{"sarcasm"}); got != (scenario.Mood{}) {
		t.Errorf("hostile: %+v", got)
	}
	if got := typedEffects(fx, []string{"emotional_reaction"}); got != fx {
		t.Errorf("warm: %+v", got)
	}
	if got := Reactions([]string{"invalidate", "emotional_reaction", "invalidate"}); got != (scenario.Mood{Anger: 20, Trust: -10}) {
		t.Errorf("calm down with sorry: %+v", got)
	}
	if got := Reactions([]string{"emotional_reaction", "acknowledge", "greeting"}); got != (scenario.Mood{Anger: -15, Trust: 5}) {
		t.Errorf("warmth: %+v", got)
	}
}

const replySrc = `
id = "replies"
title = "Replies"
channel = "chat"
difficulty = "easy"

[customer]
name = "Bo"
anger = 40
patience = 30
%s

[[node]]
id = "start"
say = "Hi {agent}."
%s

  [[node.choice]]
  say = "Hello, I'm {agent}."
  reply = "Hi, {agent}."
  next = "end"
  effects = { anger = -10 }

    [[node.choice.variant]]
    when = "anger < 20"
    reply = "Oh, hello!"

  [[node.choice]]
  say = "What."
  reply = "Excuse me?"
  next = "end"
  effects = { anger = 30, patience = -40 }

[[ending]]
id = "end"
outcome = "resolved"
say = "Bye, {agent}."
`

func replyScenario(t *testing.T, customerClarify, nodeClarify string) *scenario.Scenario {
	t.Helper()
	sc, ds := scenario.Parse("replies.toml", []byte(fmt.Sprintf(replySrc, customerClarify, nodeClarify)))
	if ds.HasErrors() {
		t.Fatal(ds)
	}
	return sc
}

func lines(st State) []string {
	var out []string
	for _, e := range st.Transcript {
		out = append(out, string(e.Speaker)+": "+e.Text)
	}
	return out
}

// A choice's reply comes after the trainee's line and before the ending's;
// its variant is chosen on the state after the line; {agent} is the name.
func TestReplies(t *testing.T) {
	sc := replyScenario(t, "", "")
	e, _ := New(sc, Options{Agent: "Ana"})
	if err := e.Choose(Step{ID: sc.Nodes[0].Choices[0].ID}); err != nil {
		t.Fatal(err)
	}
	want := []string{"customer: Hi Ana.", "trainee: Hello, I'm Ana.", "customer: Hi, Ana.", "customer: Bye, Ana."}
	if got := lines(e.State()); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("got %q", got)
	}
	if tr := e.State().Transcript; !tr[2].Reply || tr[3].Reply || tr[1].ChoiceID != sc.Nodes[0].Choices[0].ID {
		t.Errorf("reply marks %+v", tr)
	}

	// Anger 15 after the line (25 - 10): the variant.
	sc.Customer.Start.Anger = 25
	e, _ = New(sc, Options{})
	_ = e.Choose(Step{Choice: 1})
	if got := lines(e.State()); got[2] != "customer: Oh, hello!" || got[1] != "trainee: Hello, I'm Sam." {
		t.Errorf("variant: %q", got)
	}

	// A line that makes the customer walk out gets the walkout, no reply.
	e, _ = New(sc, Options{})
	_ = e.Choose(Step{Choice: 2})
	if got := lines(e.State()); len(got) != 3 || !e.State().WalkedOut || strings.Contains(strings.Join(got, "|"), "Excuse me?") {
		t.Errorf("walkout: %q", got)
	}
}

// A typed line not followed: the clarify line (node's, else customer's,
// else the default), the clock runs, the node stays, and the trainee
// answers again; replay says the same.
func TestUnheard(t *testing.T) {
	pace := func(_ Speaker, text string) time.Duration { return time.Duration(len(text)) * time.Millisecond }
	for _, tc := range []struct{ customer, node, want string }{
		{"", "", DefaultClarify(scenario.Chat)},
		{`clarify = "Come again, {agent}?"`, "", "Come again, Sam?"},
		{`clarify = "Come again?"`, `clarify = "Sorry, what?"`, "Sorry, what?"},
	} {
		sc := replyScenario(t, tc.customer, tc.node)
		e, _ := New(sc, Options{Pace: pace})
		clock := e.State().Clock
		step := Step{Text: "purple monkey", Match: 0.1, Unheard: true, Hesitation: time.Second}
		if err := e.Choose(step); err != nil {
			t.Fatal(err)
		}
		st := e.State()
		got := lines(st)
		if st.Node != "start" || len(got) != 3 || got[2] != "customer: "+tc.want || st.Clock <= clock || st.Done() {
			t.Errorf("%q: node %s, %q, clock %v", tc.want, st.Node, got, st.Clock)
		}
		if err := e.Choose(Step{Choice: 1}); err != nil || !e.Done() {
			t.Errorf("answering again: %v", err)
		}
		re, err := Replay(sc, Options{Pace: pace}, e.State().Steps)
		if err != nil || strings.Join(lines(re.State()), "|") != strings.Join(lines(e.State()), "|") {
			t.Errorf("replay: %v", err)
		}
	}
	sc := replyScenario(t, "", "")
	e, _ := New(sc, Options{})
	if err := e.Choose(Step{Unheard: true}); err == nil {
		t.Error("an unheard step without text was taken")
	}
}
