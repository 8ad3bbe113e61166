package scoring

import (
	"fmt"
	"io/fs"
	"strings"
	"testing"

	"github.com/rapport-sim/rapport/internal/engine"
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
