package scoring

import (
	"fmt"
	"io/fs"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/rapport-sim/rapport/internal/engine"
	"github.com/rapport-sim/rapport/internal/reader"
	"github.com/rapport-sim/rapport/internal/scenario"
	"github.com/rapport-sim/rapport/scenarios"
)

// loadShipped loads every shipped scenario (drills excluded).
func loadShipped(t testing.TB) []*scenario.Scenario {
	t.Helper()
	var out []*scenario.Scenario
	names, err := fs.Glob(scenarios.FS, "*.toml")
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		if scenario.IsDrillFile(n) {
			continue
		}
		sc, diags, err := scenario.Load(scenarios.FS, n)
		if err != nil || diags.HasErrors() {
			t.Fatalf("load %s: %v %v", n, err, diags)
		}
		out = append(out, sc)
	}
	return out
}

func loadScenario(t testing.TB, name string) *scenario.Scenario {
	t.Helper()
	sc, diags, err := scenario.Load(scenarios.FS, name)
	if err != nil || diags.HasErrors() {
		t.Fatalf("load %s: %v %v", name, err, diags)
	}
	return sc
}

// authorValue is the author's own verdict on a choice: its effects on the
// customer and the outcome of the ending it leads to. It is independent of
// the scoring model, which is what makes it a fair way to pick a perfect
// and a careless path.
func authorValue(sc *scenario.Scenario, c *scenario.Choice) int {
	fx := c.Effects
	v := 2*fx.Trust - 2*fx.Apprehension - 2*fx.Anger + fx.Patience
	if en, ok := sc.Ending(c.Next); ok {
		switch en.Outcome {
		case scenario.Resolved:
			v += 40
		case scenario.FollowUp, scenario.Kept:
			v += 20
		case scenario.Lost:
			v -= 60
		}
	}
	return v
}

// playPath plays a scenario picking, at each node, the offered choice the
// author rates best (or worst), with the default hesitation.
func playPath(t testing.TB, sc *scenario.Scenario, best bool) engine.State {
	t.Helper()
	e, err := engine.New(sc, engine.Options{Pace: Pace(sc.Channel)})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; !e.Done() && i < 100; i++ {
		cs := e.Choices()
		pick := cs[0]
		for _, c := range cs[1:] {
			v, pv := authorValue(sc, c), authorValue(sc, pick)
			if (best && v > pv) || (!best && v < pv) {
				pick = c
			}
		}
		if err := e.Choose(engine.Step{Choice: pick.Number, Hesitation: DefaultHesitation}); err != nil {
			t.Fatal(err)
		}
	}
	return e.State()
}

func pathString(st engine.State) string {
	var b strings.Builder
	for i, s := range st.Steps {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprint(&b, s.Choice)
	}
	return b.String()
}

// TestShippedPaths: a perfect path through each shipped scenario scores in
// the top band, and a careless path scores below 50.
func TestShippedPaths(t *testing.T) {
	for _, sc := range loadShipped(t) {
		t.Run(sc.ID, func(t *testing.T) {
			good := Evaluate(sc, playPath(t, sc, true))
			bad := Evaluate(sc, playPath(t, sc, false))
			t.Logf("perfect %s: overall %d (%s) opening %d empathy %d difficult %v/%d",
				pathString(playPath(t, sc, true)), good.Overall, good.Band, good.Opening.Value, good.Empathy.Value, good.Difficult.Assessed, good.Difficult.Value)
			t.Logf("careless %s: overall %d (%s) opening %d empathy %d difficult %v/%d",
				pathString(playPath(t, sc, false)), bad.Overall, bad.Band, bad.Opening.Value, bad.Empathy.Value, bad.Difficult.Assessed, bad.Difficult.Value)
			if good.Band != BandTop {
				t.Errorf("perfect path scores %d (%s), want the top band", good.Overall, good.Band)
			}
			if bad.Overall >= 50 {
				t.Errorf("careless path scores %d, want below 50", bad.Overall)
			}
		})
	}
}

// TestEvaluateInvariants plays random paths (seeded, some with typed lines
// and long pauses) through every shipped scenario and checks what every
// report must hold.
func TestEvaluateInvariants(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	typed := []string{"I'm so sorry about this, let me sort it out for you.", "Calm down, it's not a big deal.",
		"Can I take your account number?", "That sounds really stressful. What happened?", "ok"}
	for _, sc := range loadShipped(t) {
		for trial := 0; trial < 20; trial++ {
			e, err := engine.New(sc, engine.Options{Pace: Pace(sc.Channel)})
			if err != nil {
				t.Fatal(err)
			}
			for i := 0; !e.Done() && i < 60; i++ {
				cs := e.Choices()
				step := engine.Step{Choice: cs[r.IntN(len(cs))].Number, Hesitation: time.Duration(r.IntN(12)) * time.Second}
				if r.IntN(4) == 0 {
					text := typed[r.IntN(len(typed))]
					m := reader.MatchChoice(text, cs, reader.Context{Channel: sc.Channel, Turn: i})
					step.Choice, step.Text, step.Match = m.Choice, text, m.Score
				}
				if err := e.Choose(step); err != nil {
					t.Fatal(err)
				}
			}
			st := e.State()
			rep := Evaluate(sc, st)
			checkReport(t, sc, st, rep)
		}
	}
}

func checkReport(t *testing.T, sc *scenario.Scenario, st engine.State, r Report) {
	t.Helper()
	labels := []string{LabelOpening, LabelEmpathy, LabelDifficult}
	rules := RulesOf(sc)
	for i, s := range r.Scores() {
		if s.Label != labels[i] {
			t.Errorf("score %d label %q", i, s.Label)
		}
		if s.Value < 0 || s.Value > 100 {
			t.Errorf("%s = %d out of range", s.Label, s.Value)
		}
		if !s.Assessed && (s.Reason == "" || s.Value != 0) {
			t.Errorf("%s not assessed needs a reason and no value: %+v", s.Label, s)
		}
		for _, p := range s.Points {
			if p.Explanation == "" || p.Principle == "" || (p.Delta == 0 && !companyRuleZero(rules, p)) || p.Score != s.Label {
				t.Errorf("%s: incomplete point %+v", s.Label, p)
			}
			if p.Evidence != "" && !strings.Contains(p.Explanation, "\"") {
				t.Errorf("explanation does not quote the words: %q", p.Explanation)
			}
			if p.Turn >= len(r.Turns) {
				t.Errorf("point for turn %d of %d", p.Turn, len(r.Turns))
			}
		}
	}
	if r.Overall < 0 || r.Overall > 100 || r.Band != BandFor(r.Overall) {
		t.Errorf("overall %d band %q", r.Overall, r.Band)
	}
	mark := false
	for i, m := range r.Moments {
		if i > 0 && m.At < r.Moments[i-1].At {
			t.Errorf("moments out of order: %v", r.Moments)
		}
		if m.Kind == "mark" && m.At == OpeningWindow {
			mark = true
		}
	}
	if !mark {
		t.Errorf("no 30-second mark in the timeline")
	}
	if len(r.Mood) == 0 || r.Mood[0].Mood != sc.Customer.Start || r.Mood[0].At != 0 {
		t.Errorf("mood curve does not start at the customer's starting mood: %v", r.Mood)
	}
	for _, tu := range r.Turns {
		if tu.Best != nil && !tu.Typed && tu.Best.Choice == tu.Choice {
			t.Errorf("turn %d: best alternative is the choice taken", tu.Index)
		}
		if tu.Best != nil && (tu.Best.Say == "" || tu.Best.Why == "") {
			t.Errorf("turn %d: best alternative without words or reason", tu.Index)
		}
		if tu.Typed && tu.MatchedWhy == "" {
			t.Errorf("turn %d: typed line without a match explanation", tu.Index)
		}
	}
}

// companyRuleZero reports whether a 0-point line is one the scenario's
// [scoring] table documents: a cost it allows, shown as "… 0 (company rule):
// … which this scenario allows — NOTE.", or a behaviour it weights at 0.
// Any other point must move a score.
func companyRuleZero(rules CompanyRules, p Point) bool {
	if rules.Allow[p.Behavior] {
		return strings.Contains(p.Explanation, " 0 (company rule): ") &&
			strings.Contains(p.Explanation, "which this scenario allows") &&
			(rules.Note == "" || strings.Contains(p.Explanation, rules.Note))
	}
	if w, ok := rules.Weight[p.Behavior]; ok && w == 0 {
		return strings.Contains(p.Explanation, "(company rule: weighted ×0")
	}
	return false
}

// playDeviation plays the author's caring path, but at turn `at` picks the
// offered choice with authored number `alt`; after it, the caring picks
// again. ok is false when that turn is never reached.
func playDeviation(t testing.TB, sc *scenario.Scenario, at, alt int) (engine.State, bool) {
	t.Helper()
	e, err := engine.New(sc, engine.Options{Pace: Pace(sc.Channel)})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; !e.Done() && i < 100; i++ {
		cs := e.Choices()
		pick := cs[0]
		for _, c := range cs[1:] {
			if authorValue(sc, c) > authorValue(sc, pick) {
				pick = c
			}
		}
		n := pick.Number
		if i == at {
			n = alt
		}
		if err := e.Choose(engine.Step{Choice: n, Hesitation: DefaultHesitation}); err != nil {
			t.Fatal(err)
		}
	}
	return e.State(), len(e.State().Steps) > at
}

// careless reports whether the author marks a choice as a poor line: a
// negative behaviour tag, or effects that raise apprehension or anger or
// lower trust more than they help.
func careless(sc *scenario.Scenario, c *scenario.Choice) bool {
	for _, tag := range c.Tags {
		if info, ok := reader.Info(reader.BehaviorID(tag)); ok && info.Polarity == reader.Negative {
			return true
		}
	}
	fx := c.Effects
	return fx.Trust-fx.Apprehension-fx.Anger < 0
}

// TestEveryLineCounts: in every shipped scenario, swapping one line of the
// caring path (early or late) for an offered careless line lowers the
// overall score, and swapping it for any other offered line never raises
// it. Before the missed-chance and outcome adjustments, a late weak answer
// cost nothing once the scores had reached 100.
func TestEveryLineCounts(t *testing.T) {
	for _, sc := range loadShipped(t) {
		t.Run(sc.ID, func(t *testing.T) {
			caring := playPath(t, sc, true)
			want := Evaluate(sc, caring).Overall
			e, err := engine.New(sc, engine.Options{Pace: Pace(sc.Channel)})
			if err != nil {
				t.Fatal(err)
			}
			for i, step := range caring.Steps {
				for _, c := range e.Choices() {
					if c.Number == step.Choice {
						continue
					}
					st, ok := playDeviation(t, sc, i, c.Number)
					if !ok {
						continue
					}
					got := Evaluate(sc, st).Overall
					switch {
					case careless(sc, c) && got >= want:
						t.Errorf("turn %d: the careless choice %d (%q) scores %d, not below the caring path's %d",
							i+1, c.Number, c.Say, got, want)
					case got > want:
						t.Errorf("turn %d: choice %d (%q) scores %d, above the caring path's %d",
							i+1, c.Number, c.Say, got, want)
					}
				}
				if err := e.Choose(step); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}

// TestAlternativeShownNumber: the better choice is reported under the
// number the trainee saw (its place among the offered choices), not its
// authored number, where a condition hides an earlier choice. In
// first-time-caller, without the promised call the closing choice 1 (the
// summary with the call) is hidden, so the authored choice 2 (the summary
// with a letter) is shown as 1, and the taken choice 3 as 2.
func TestAlternativeShownNumber(t *testing.T) {
	sc := loadScenario(t, "first-time-caller.toml")
	var steps []engine.Step
	for _, n := range []int{2, 4, 1, 3, 2, 2, 3} {
		steps = append(steps, engine.Step{Choice: n, Hesitation: DefaultHesitation})
	}
	e, err := engine.Replay(sc, engine.Options{Pace: Pace(sc.Channel)}, steps)
	if err != nil {
		t.Fatal(err)
	}
	r := Evaluate(sc, e.State())
	last := r.Turns[len(r.Turns)-1]
	if last.Best == nil {
		t.Fatalf("no better choice at the last turn: %+v", last)
	}
	if last.Best.Choice != 2 || last.Best.Shown != 1 || last.Best.ShownNumber() != 1 {
		t.Errorf("best = authored %d shown %d, want authored 2 shown 1", last.Best.Choice, last.Best.Shown)
	}
	if last.Shown != 2 || last.Choice != 3 {
		t.Errorf("taken = authored %d shown %d, want 3 and 2", last.Choice, last.Shown)
	}
	// The weak, untagged pension answer (sympathy, no answer) costs: as a
	// deflection of her question ("It will still go in, won't it?") in the
	// scores, or else as a missed chance on the overall.
	missed := false
	for _, p := range r.Turns[5].Points {
		if p.Delta < 0 && (p.Behavior == SignalMissed || p.Behavior == reader.Deflect) {
			missed = true
		}
	}
	if !missed {
		t.Errorf("the weak answer at turn 6 (%q) cost nothing: %+v", r.Turns[5].Said, r.Turns[5].Points)
	}
}

// TestCompanyRuleZero: the invariant lets a 0-point line through only when
// the scenario's [scoring] table accounts for it.
func TestCompanyRuleZero(t *testing.T) {
	rules := CompanyRules{Allow: map[reader.BehaviorID]bool{reader.AccountFirst: true}, Weight: map[reader.BehaviorID]float64{reader.StockPhrase: 0}, Note: "security first"}
	ls := newLineScorer(rules)
	allowed, _ := ls.adjust(Point{Behavior: reader.AccountFirst, Delta: -5, Evidence: "through security"})
	weighted, _ := ls.adjust(Point{Behavior: reader.StockPhrase, Delta: -3, Evidence: "we value your call", Explanation: "Stock phrase −3."})
	for _, tc := range []struct {
		name string
		p    Point
		want bool
	}{
		{"allowed cost", allowed, true},
		{"weighted off", weighted, true},
		{"zero without a rule", Point{Behavior: reader.Apology, Delta: 0, Explanation: "Apology 0."}, false},
		{"allowed behaviour, plain zero", Point{Behavior: reader.AccountFirst, Delta: 0, Explanation: "Account number first 0."}, false},
	} {
		if tc.p.Delta != 0 {
			t.Fatalf("%s: the rule left delta %d", tc.name, tc.p.Delta)
		}
		if got := companyRuleZero(rules, tc.p); got != tc.want {
			t.Errorf("%s: companyRuleZero = %v, want %v (%q)", tc.name, got, tc.want, tc.p.Explanation)
		}
	}
}
