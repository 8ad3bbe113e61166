package scoring

import (
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/rapport-sim/rapport/internal/engine"
	"github.com/rapport-sim/rapport/internal/reader"
	"github.com/rapport-sim/rapport/internal/scenario"
	"github.com/rapport-sim/rapport/scenarios"
)

// TestMemoEvaluateSame: a report through a Memo is the report Evaluate
// gives, for the shipped scenarios played along random paths with typed
// lines now and then, whether the memo has read the lines before or not;
// and a report cannot change another through the analyses they share.
func TestMemoEvaluateSame(t *testing.T) {
	scs, diags, err := scenario.LoadDir(scenarios.FS)
	if err != nil || diags.HasErrors() {
		t.Fatal(err, diags)
	}
	rng := rand.New(rand.NewPCG(5, 6))
	typed := []string{"I'm so sorry, let me sort this out for you now.", "What happened exactly?", "That's policy."}
	for _, sc := range scs {
		m := NewMemo()
		var reports []Report
		for range 12 {
			e, err := engine.New(sc, engine.Options{Pace: Pace(sc.Channel)})
			if err != nil {
				t.Fatal(err)
			}
			for !e.Done() {
				cs := e.Choices()
				s := engine.Step{Choice: cs[rng.IntN(len(cs))].Number, Hesitation: DefaultHesitation}
				if rng.IntN(4) == 0 {
					s.Text = typed[rng.IntN(len(typed))]
					match := reader.MatchChoice(s.Text, cs, reader.ContextAt(sc, e.Node()))
					s.Choice, s.Match = match.Choice, match.Score
				}
				if err := e.Choose(s); err != nil {
					t.Fatal(err)
				}
			}
			st := e.State()
			want := Evaluate(sc, st)
			for pass := range 2 {
				if got := m.Evaluate(sc, st); !reflect.DeepEqual(got, want) {
					t.Fatalf("%s (pass %d): the memo's report differs from Evaluate's", sc.ID, pass)
				}
			}
			reports = append(reports, m.Evaluate(sc, st))
		}
		// One caller appending to its report's behaviours leaves the
		// others' alone.
		before := Evaluate(sc, mustState(t, sc))
		for i := range reports {
			for j := range reports[i].Turns {
				a := &reports[i].Turns[j].Analysis
				a.Behaviors = append(a.Behaviors, reader.Behavior{ID: "changed"})
			}
		}
		if after := m.Evaluate(sc, mustState(t, sc)); !reflect.DeepEqual(after, before) {
			t.Fatalf("%s: a change to one report's analysis reached the memo", sc.ID)
		}
	}
}

// mustState replays the first choice at every node to an ending.
func mustState(t *testing.T, sc *scenario.Scenario) engine.State {
	t.Helper()
	e, err := engine.New(sc, engine.Options{Pace: Pace(sc.Channel)})
	if err != nil {
		t.Fatal(err)
	}
	for !e.Done() {
		if err := e.Choose(engine.Step{Choice: e.Choices()[0].Number, Hesitation: DefaultHesitation}); err != nil {
			t.Fatal(err)
		}
	}
	return e.State()
}
