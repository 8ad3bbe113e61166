package scoring

import (
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/rapport-sim/rapport/internal/engine"
	"github.com/rapport-sim/rapport/internal/reader"
	"github.com/rapport-sim/rapport/internal/scenario"
)

// totalsOfReport is what Totals must hold for a report.
func totalsOfReport(r Report) Totals {
	return Totals{Opening: bare(r.Opening), Empathy: bare(r.Empathy), Difficult: bare(r.Difficult), Overall: r.Overall, Band: r.Band}
}

// TestTotalsMatchEvaluate: the scores a Tally carries line by line, and
// the one-shot Totals, are Evaluate's for every prefix of conversations
// played on every shipped scenario along random paths — with typed lines,
// lines the customer did not follow, long pauses (dead air) and a record
// without the offered choices (replayed) now and then — and extending a
// tally by one choice leaves the tally it grew from as it was.
func TestTotalsMatchEvaluate(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 1))
	typed := []string{"I'm so sorry, let me sort this out for you now.", "What happened exactly?", "That's policy.",
		"Calm down, it's not our fault.", "Can I have your account number first?"}
	checked := 0
	for i, sc := range loadShipped(t) {
		m := NewMemo()
		if i%2 == 1 {
			m = NewMemoFor(sc) // as the path analysis makes it
		}
		for run := range 16 {
			mm := m
			if run%4 == 3 {
				mm = nil // read afresh, not through the memo
			}
			e, err := engine.New(sc, engine.Options{Pace: Pace(sc.Channel)})
			if err != nil {
				t.Fatal(err)
			}
			tally := mm.Tally(sc)
			compare := func(st engine.State, tl Tally, what string) {
				t.Helper()
				want := totalsOfReport(Evaluate(sc, st))
				if got := tl.Totals(); !reflect.DeepEqual(got, want) {
					t.Fatalf("%s run %d after %d steps (%s): tally %+v, Evaluate %+v", sc.ID, run, len(st.Steps), what, got, want)
				}
				if got := mm.Totals(sc, st); !reflect.DeepEqual(got, want) {
					t.Fatalf("%s run %d after %d steps: Totals %+v, Evaluate %+v", sc.ID, run, len(st.Steps), got, want)
				}
				checked++
			}
			compare(e.State(), tally.Extend(e.State()), "start")
			for !e.Done() && len(e.State().Steps) < 60 {
				cs := e.Choices()
				if len(cs) == 0 {
					break
				}
				// Every sibling grows from the same tally.
				parent := tally
				before := parent.Totals()
				var next engine.State
				pick := rng.IntN(len(cs))
				for k, c := range cs {
					s := engine.Step{Choice: c.Number, Hesitation: DefaultHesitation}
					switch rng.IntN(8) {
					case 0:
						s.Hesitation = time.Duration(rng.IntN(14)) * time.Second
					case 1:
						s.Text = typed[rng.IntN(len(typed))]
						match := reader.MatchChoice(s.Text, cs, reader.ContextAt(sc, e.Node()))
						s.Choice, s.Match = match.Choice, match.Score
						if s.Choice == 0 {
							s.Unheard = true
						}
					case 2:
						s.Text, s.Unheard, s.Choice = typed[rng.IntN(len(typed))], true, 0
					}
					child, err := engine.Restore(sc, engine.Options{Pace: Pace(sc.Channel)}, e.State())
					if err != nil {
						t.Fatal(err)
					}
					if err := child.Choose(s); err != nil {
						t.Fatal(err)
					}
					st := child.State()
					grown := parent.Extend(st)
					compare(st, grown, "extended")
					if k == pick {
						next, tally = st, grown
					}
				}
				if after := parent.Totals(); !reflect.DeepEqual(after, before) {
					t.Fatalf("%s: extending a tally changed it: %+v, was %+v", sc.ID, after, before)
				}
				e, err = engine.Restore(sc, engine.Options{Pace: Pace(sc.Channel)}, next)
				if err != nil {
					t.Fatal(err)
				}
			}
			// A record from before the engine kept the offered choices is
			// replayed, as Evaluate replays it.
			st := e.State()
			for i := range st.Transcript {
				st.Transcript[i].Offered = nil
			}
			compare(st, mm.Tally(sc).Extend(st), "no offers recorded")
		}
	}
	if checked < 1000 {
		t.Fatalf("only %d conversations compared", checked)
	}
}

// TestTotalsCompanyRules: a scenario's [scoring] allowances and weights
// reach the totals as they reach Evaluate.
func TestTotalsCompanyRules(t *testing.T) {
	sc := loadScenario(t, "kind-security-check.toml")
	for _, rules := range []scenario.ScoringRules{
		{Allow: []string{"account_first", "policy_hiding"}},
		{Weight: map[string]float64{"apology": 2, "blame": 0.5, "greeting": 0, "pass_the_buck": 3}},
	} {
		c := *sc
		c.Scoring = rules
		for _, best := range []bool{true, false} {
			st := playPath(t, &c, best)
			want := totalsOfReport(Evaluate(&c, st))
			if got := TotalsOf(&c, st); !reflect.DeepEqual(got, want) {
				t.Errorf("%+v best=%v: %+v, want %+v", rules, best, got, want)
			}
		}
	}
}

// TestContinueMatchesExtend: a tally continued with only what each step
// added — the engine restored from the conversation's state without its
// transcript and steps, as the path analysis grows its searches — holds
// Evaluate's scores for the whole conversation at every step, on every
// shipped scenario, with typed and unheard lines and long pauses; and a
// continuation with no record of the choices offered is refused, to be
// extended whole.
func TestContinueMatchesExtend(t *testing.T) {
	rng := rand.New(rand.NewPCG(17, 3))
	typed := []string{"I'm so sorry, let me sort this out for you now.", "What happened exactly?", "Calm down, it's not our fault."}
	checked := 0
	for _, sc := range loadShipped(t) {
		m := NewMemo()
		opts := engine.Options{Pace: Pace(sc.Channel)}
		for run := range 8 {
			e, err := engine.New(sc, opts)
			if err != nil {
				t.Fatal(err)
			}
			whole := e.State()
			tally, ok := m.Tally(sc).Continue(whole)
			if !ok {
				t.Fatalf("%s: the start was refused", sc.ID)
			}
			for !whole.Done() && len(whole.Steps) < 60 {
				cs := e.Choices()
				if len(cs) == 0 {
					break
				}
				c := cs[rng.IntN(len(cs))]
				s := engine.Step{Choice: c.Number, Hesitation: DefaultHesitation}
				switch rng.IntN(6) {
				case 0:
					s.Hesitation = time.Duration(rng.IntN(14)) * time.Second
				case 1:
					s.Text = typed[rng.IntN(len(typed))]
					match := reader.MatchChoice(s.Text, cs, reader.ContextAt(sc, e.Node()))
					s.Choice, s.Match = match.Choice, match.Score
					if s.Choice == 0 {
						s.Unheard = true
					}
				}
				head := whole
				head.Transcript, head.Steps = nil, nil
				child, err := engine.Restore(sc, opts, head)
				if err != nil {
					t.Fatal(err)
				}
				if err := child.Choose(s); err != nil {
					t.Fatal(err)
				}
				more := child.State()
				next := more
				next.Transcript = append(slices.Clip(whole.Transcript), more.Transcript...)
				next.Steps = append(slices.Clip(whole.Steps), more.Steps...)
				grown, ok := tally.Continue(more)
				if !ok {
					t.Fatalf("%s run %d: a continuation the engine played was refused", sc.ID, run)
				}
				want := totalsOfReport(Evaluate(sc, next))
				if got := grown.Totals(); !reflect.DeepEqual(got, want) {
					t.Fatalf("%s run %d after %d steps: continued %+v, Evaluate %+v", sc.ID, run, len(next.Steps), got, want)
				}
				if got := tally.Extend(next).Totals(); !reflect.DeepEqual(got, want) {
					t.Fatalf("%s run %d after %d steps: extended %+v, Evaluate %+v", sc.ID, run, len(next.Steps), got, want)
				}
				checked++
				// A line without the offered choices is refused and the
				// tally it came from is untouched.
				bare := more
				bare.Transcript = slices.Clone(more.Transcript)
				for i := range bare.Transcript {
					bare.Transcript[i].Offered = nil
				}
				before := tally.Totals()
				if _, ok := tally.Continue(bare); ok && slices.ContainsFunc(bare.Transcript, func(e engine.Entry) bool { return e.Speaker == engine.Trainee }) {
					t.Fatalf("%s: a continuation without offered choices was read", sc.ID)
				}
				if after := tally.Totals(); !reflect.DeepEqual(after, before) {
					t.Fatalf("%s: a refused continuation changed the tally", sc.ID)
				}
				whole, tally = next, grown
				if e, err = engine.Restore(sc, opts, whole); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	if checked < 500 {
		t.Fatalf("only %d continuations compared", checked)
	}
}
