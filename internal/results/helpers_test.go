package results

import (
	"testing"
	"time"

	"github.com/rapport-sim/rapport/internal/engine"
	"github.com/rapport-sim/rapport/internal/scenario"
	"github.com/rapport-sim/rapport/scenarios"
)

// loadScenario loads a shipped scenario.
func loadScenario(t testing.TB, id string) *scenario.Scenario {
	t.Helper()
	sc, diags, err := scenario.Load(scenarios.FS, id+".toml")
	if err != nil || diags.HasErrors() {
		t.Fatalf("load %s: %v %v", id, err, diags)
	}
	return sc
}

// play takes the pick'th offered choice (wrapping) at every node until the
// conversation ends or max steps were taken, typing a line on every third
// turn, so records hold both kinds of turns.
func play(t testing.TB, sc *scenario.Scenario, pick, max int) engine.State {
	t.Helper()
	e, err := engine.New(sc, engine.Options{Pace: testPace})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < max && !e.Done(); i++ {
		cs := e.Choices()
		c := cs[(pick+i)%len(cs)]
		s := engine.Step{Choice: c.Number, Hesitation: time.Duration(1500+137*i) * time.Millisecond}
		if i%3 == 2 {
			s.Text, s.Match = "I hear you, let me sort that out for you right now.", 0.62
		}
		if err := e.Choose(s); err != nil {
			t.Fatal(err)
		}
	}
	return e.State()
}

// testPace is a stand-in conversation clock: 60 ms a character, so the
// clock moves and replays must reproduce it exactly.
func testPace(_ engine.Speaker, text string) time.Duration {
	return time.Duration(len(text)) * 60 * time.Millisecond
}

var t0 = time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)

func meta(trainee string, started time.Time) Meta {
	return Meta{Trainee: trainee, Started: started, Ended: started.Add(4 * time.Minute), Version: "v0.test"}
}
