package scoring

import (
	"reflect"
	"testing"

	"github.com/rapport-sim/rapport/internal/engine"
)

// Evaluate reads the choices offered at each turn from what the engine
// recorded with the trainee's lines, without replaying the conversation:
// a scenario whose steps no longer replay (the author has since changed a
// condition) is scored against what the trainee really saw.
func TestEvaluateReadsRecordedOffers(t *testing.T) {
	sc := loadScenario(t, "late-delivery.toml")
	e, err := engine.New(sc, engine.Options{Pace: Pace(sc.Channel)})
	if err != nil {
		t.Fatal(err)
	}
	var seen [][]int
	for !e.Done() {
		var nums []int
		for _, c := range e.Choices() {
			nums = append(nums, c.Number)
		}
		seen = append(seen, nums)
		if err := e.Choose(engine.Step{Choice: e.Choices()[len(e.Choices())-1].Number, Hesitation: DefaultHesitation}); err != nil {
			t.Fatal(err)
		}
	}
	st := e.State()
	var recorded [][]int
	for _, en := range st.Transcript {
		if en.Speaker == engine.Trainee {
			recorded = append(recorded, en.Offered)
		}
	}
	if !reflect.DeepEqual(recorded, seen) {
		t.Fatalf("recorded offers %v, want what was offered %v", recorded, seen)
	}
	want := Evaluate(sc, st)
	// Steps that cannot be replayed: the offers come from the transcript.
	broken := st
	broken.Steps = append([]engine.Step(nil), st.Steps...)
	broken.Steps[0].Choice = 999
	got := Evaluate(sc, broken)
	for i := range want.Turns {
		w, g := want.Turns[i], got.Turns[i]
		if g.Shown != w.Shown || (g.Best == nil) != (w.Best == nil) {
			t.Errorf("turn %d: shown %d best %v, want shown %d best %v", i+1, g.Shown, g.Best, w.Shown, w.Best)
		}
	}
}
