package plain

import (
	"context"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/rapport-sim/rapport/internal/analysis"
	"github.com/rapport-sim/rapport/internal/scenario"
	"github.com/rapport-sim/rapport/internal/scoring"
	"github.com/rapport-sim/rapport/internal/session"
)

func repliesCall(t *testing.T) *scenario.Scenario {
	t.Helper()
	sc, diags, err := scenario.Load(os.DirFS("testdata"), "replies-call.toml")
	if err != nil || diags.HasErrors() {
		t.Fatalf("%v %v", err, diags)
	}
	return sc
}

// Plain mode reads the briefing before the call, says the trainee's name
// for {agent}, says each reply before the next line, asks again after a
// typed line the customer did not follow, and the debrief says what the
// customer heard and why.
func TestPlainBriefingRepliesAndHeard(t *testing.T) {
	in := strings.Join([]string{
		"t purple monkey dishwasher",
		"t Calm down, I'm sorry you waited in all day, Omar; I'll find your parcel now.",
		"1",
	}, "\n") + "\n"
	var out strings.Builder
	res, err := Run(context.Background(), strings.NewReader(in), &out, repliesCall(t), Options{Session: session.Options{Agent: "ana maria"}})
	if err != nil {
		t.Fatal(err)
	}
	text := out.String()
	for _, want := range []string{
		"Before the call:\n  You are: ana, adviser on the Parcelway helpline\n  Company: Parcelway\n  Goal: Find Omar's parcel and tell him when it will come.\n  You may offer:\n  - a redelivery tomorrow\n",
		"  1. I'm so sorry you waited in all day for nothing, Omar; I'm ana, and I'll find your parcel now.",
		"Omar Haddad did not follow that: it is at best",
		"Omar Haddad says: Sorry, ana, I don't follow. What do you mean?",
		"Omar Haddad heard emotional reaction and invalidation in your words.",
		"Omar Haddad says: Thank you, ana. That's all I want.\n\nOmar Haddad says: So where is it?",
		"you typed your own words, which were not followed",
		"Heard: Omar Haddad did not follow this",
		`Omar Haddad heard warmth in "sorry you waited in all day" (anger -10, trust +5, but not beside the hostile words); their feelings waved away in "Calm down" (anger +20, trust -10).`,
		"So the choice it resembled counted only where it cost",
		"Omar Haddad says: Right. Thanks, ana.",
		// Turns are named by what the customer said, not by node ids.
		"Turn 1, at 00:07, after \u201cHello? I waited in all day for my\u2026\u201d, you typed",
		"Turn 3, at 00:26, after \u201cThank you, ana. That's all I want. So\u2026\u201d, you chose 1",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	for _, id := range []string{"at opening", "at where", "emotional_reaction", "invalidate,"} {
		if i := strings.Index(text, "The path you took"); i >= 0 && strings.Contains(text[i:], id) {
			t.Errorf("the debrief shows an internal id (%q)", id)
		}
	}
	if t.Failed() {
		t.Log(text)
	}
	st := res.State
	if len(st.Steps) != 3 || !st.Steps[0].Unheard || st.Steps[1].ID == "" || st.Steps[2].ID == "" {
		t.Errorf("steps %+v", st.Steps)
	}
}

// The library's strategy table (internal/analysis) plays scenarios with
// analysis.PlayStrategy and claims plain mode's rules: an untimed attempt
// answering "1" every time ends where always-first does, with its score.
func TestPlainMatchesStrategyPlayer(t *testing.T) {
	for _, id := range []string{"first-time-caller", "late-delivery", "terse-chat"} {
		sc := load(t, id+".toml")
		res, err := Run(context.Background(), strings.NewReader(strings.Repeat("1\n", 60)), io.Discard, sc, Options{})
		if err != nil {
			t.Fatal(err)
		}
		p, ok := analysis.PlayStrategy(sc, analysis.AlwaysFirst, nil)
		got := scoring.Evaluate(sc, res.State)
		if !ok || got.Overall != p.Score || res.State.Ending != p.Ending || len(res.State.Steps) != len(p.Choices) {
			t.Errorf("%s: plain mode scores %d at %q after %d steps; the strategy player %d at %q after %d",
				id, got.Overall, res.State.Ending, len(res.State.Steps), p.Score, p.Ending, len(p.Choices))
		}
	}
}
