package results

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/rapport-sim/rapport/internal/engine"
	"github.com/rapport-sim/rapport/internal/scenario"
	"github.com/rapport-sim/rapport/internal/scoring"
)

// A record names the choices it took by id and keeps each line as it was
// said ({agent} filled), so it replays onto a version of the scenario whose
// choices were reordered, and says what the trainee saw.
func TestRecordReplaysByChoiceIDAfterReorder(t *testing.T) {
	src, err := os.ReadFile("../scenario/testdata/minimal.toml")
	if err != nil {
		t.Fatal(err)
	}
	v1 := strings.Replace(string(src), "Hello Ana, how can I help?", "Hello Ana, I'm {agent}. How can I help?", 1)
	sc, ds := scenario.Parse("minimal.toml", []byte(v1))
	if ds.HasErrors() {
		t.Fatal(ds)
	}
	e, _ := engine.New(sc, engine.Options{Pace: scoring.Pace(sc.Channel), Agent: "Jo"})
	for !e.Done() {
		if err := e.Choose(engine.Step{Choice: e.Choices()[0].Number, Hesitation: 2 * time.Second}); err != nil {
			t.Fatal(err)
		}
	}
	st := e.State()
	rec, err := NewRecord(sc, st, scoring.Evaluate(sc, st), meta("Jo Bloggs", t0))
	if err != nil {
		t.Fatal(err)
	}
	first := rec.Turns[0]
	if first.ChoiceID != sc.Nodes[0].Choices[0].ID || first.Say != "Hello Ana, I'm Jo. How can I help?" || rec.Agent != "Jo" {
		t.Fatalf("turn 1 = %+v, agent %q", first, rec.Agent)
	}

	// Version 2: the two choices at the start swapped places.
	a := strings.Index(v1, "  [[node.choice]]")
	b := strings.Index(v1[a+1:], "  [[node.choice]]") + a + 1
	end := strings.Index(v1[b:], "\n[[node]]") + b + 1
	v2 := v1[:a] + v1[b:end] + v1[a:b] + v1[end:]
	sc2, ds := scenario.Parse("minimal.toml", []byte(v2))
	if ds.HasErrors() {
		t.Fatal(ds)
	}
	if sc2.Nodes[0].Choices[1].ID != first.ChoiceID {
		t.Fatal("the swap did not move the choice")
	}
	re, err := Replay(sc2, rec)
	if err != nil {
		t.Fatal(err)
	}
	if got := re.State.Transcript[1]; got.Text != first.Say || got.Choice != 2 || got.ChoiceID != first.ChoiceID {
		t.Errorf("replayed turn 1 = %+v", got)
	}
}
