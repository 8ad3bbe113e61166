// Package resultstest writes folders of records as the player makes them,
// for tests and benchmarks of what reads results (reports, history, the
// class dashboard, the summary index).
package resultstest

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/rapport-sim/rapport/internal/engine"
	"github.com/rapport-sim/rapport/internal/reader"
	"github.com/rapport-sim/rapport/internal/results"
	"github.com/rapport-sim/rapport/internal/scenario"
	"github.com/rapport-sim/rapport/internal/scoring"
	"github.com/rapport-sim/rapport/scenarios"
)

// Options shape a generated folder. The zero value is the folder the
// report benchmarks measure.
type Options struct {
	// Seed picks the scenarios, paths and typed lines; the same seed
	// gives the same records.
	Seed uint64
	// Trainees take turns at the attempts; nil is twenty names.
	Trainees []string
	// MaxSteps, when not 0, stops each attempt after 2 to MaxSteps+1
	// turns, so some are saved unfinished; 0 plays every attempt to its
	// end.
	MaxSteps int
	// Every is the time between attempts' starts; 0 is seven minutes.
	Every time.Duration
}

// DefaultTrainees are the trainees of the zero Options.
var DefaultTrainees = []string{"Ann", "Bo", "Cy", "Dee", "Eli", "Fay", "Gus", "Hal", "Ivy", "Jo", "Kit", "Lu", "Max", "Ned", "Oz", "Pat", "Quin", "Ray", "Sue", "Tom"}

// typed are the lines typed now and then instead of a choice.
var typed = []string{"I'm so sorry about this, let me sort it out for you right now.", "Can you tell me what happened?", "That's our policy, I'm afraid."}

// Write saves n records into dir: shipped scenarios played along random
// paths on the scoring model's clock, scored by the model, a typed answer
// now and then (one turn in five).
func Write(tb testing.TB, dir string, n int, o Options) {
	tb.Helper()
	scs, diags, err := scenario.LoadDir(scenarios.FS)
	if err != nil || diags.HasErrors() {
		tb.Fatal(err, diags)
	}
	store, err := results.Open(dir)
	if err != nil {
		tb.Fatal(err)
	}
	seed := o.Seed
	if seed == 0 {
		seed = 1
	}
	trainees := o.Trainees
	if trainees == nil {
		trainees = DefaultTrainees
	}
	every := o.Every
	if every == 0 {
		every = 7 * time.Minute
	}
	rng := rand.New(rand.NewPCG(seed, seed+1))
	start := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	for i := range n {
		sc := scs[rng.IntN(len(scs))]
		e, err := engine.New(sc, engine.Options{Pace: scoring.Pace(sc.Channel)})
		if err != nil {
			tb.Fatal(err)
		}
		steps := -1
		if o.MaxSteps > 0 {
			steps = 2 + rng.IntN(o.MaxSteps)
		}
		for s := 0; s != steps && !e.Done(); s++ {
			cs := e.Choices()
			step := engine.Step{Choice: cs[rng.IntN(len(cs))].Number, Hesitation: scoring.DefaultHesitation}
			if rng.IntN(5) == 0 {
				step.Text = typed[rng.IntN(len(typed))]
				m := reader.MatchChoice(step.Text, cs, reader.ContextAt(sc, e.Node()))
				step.Choice, step.Match = m.Choice, m.Score
			}
			if err := e.Choose(step); err != nil {
				tb.Fatal(err)
			}
		}
		st := e.State()
		started := start.Add(time.Duration(i) * every)
		r, err := results.NewRecord(sc, st, scoring.Evaluate(sc, st), results.Meta{
			Trainee: trainees[i%len(trainees)], Started: started, Ended: started.Add(5 * time.Minute),
		})
		if err != nil {
			tb.Fatal(err)
		}
		if _, err := store.Save(r); err != nil {
			tb.Fatal(err)
		}
	}
}
