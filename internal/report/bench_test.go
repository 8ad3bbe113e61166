package report

import (
	"io"
	"math/rand/v2"
	"os"
	"testing"
	"time"

	"github.com/rapport-sim/rapport/internal/engine"
	"github.com/rapport-sim/rapport/internal/results"
	"github.com/rapport-sim/rapport/internal/scenario"
	"github.com/rapport-sim/rapport/scenarios"
)

// benchRecords writes n records of plausible size into dir: every shipped
// scenario played along random paths, each turn with behaviours, feedback
// and a better alternative, each score with explained points.
func benchRecords(tb testing.TB, dir string, n int) {
	tb.Helper()
	scs, diags, err := scenario.LoadDir(scenarios.FS)
	if err != nil || diags.HasErrors() {
		tb.Fatal(err, diags)
	}
	store, err := results.Open(dir)
	if err != nil {
		tb.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	behaviors := []string{"+greeting", "+own_name", "+thanks", "+acknowledge", "+emotional_reaction", "+exploration", "-blame", "-jargon", "-account_first", "-invalidate"}
	trainees := []string{"Ann", "Bo", "Cy", "Dee", "Eli", "Fay", "Gus", "Hal", "Ivy", "Jo", "Kit", "Lu", "Max", "Ned", "Oz", "Pat", "Quin", "Ray", "Sue", "Tom"}
	start := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	for i := range n {
		sc := scs[rng.IntN(len(scs))]
		e, err := engine.New(sc, engine.Options{Pace: func(_ engine.Speaker, s string) time.Duration { return time.Duration(len(s)) * 50 * time.Millisecond }})
		if err != nil {
			tb.Fatal(err)
		}
		for !e.Done() {
			cs := e.Choices()
			e.Choose(engine.Step{Choice: cs[rng.IntN(len(cs))].Number, Hesitation: 2 * time.Second})
		}
		started := start.Add(time.Duration(i) * 7 * time.Minute)
		r, err := results.FromState(sc, e.State(), results.Meta{Trainee: trainees[i%len(trainees)], Started: started, Ended: started.Add(5 * time.Minute)})
		if err != nil {
			tb.Fatal(err)
		}
		r.Scores = &results.Scores{
			Opening:   results.Score{Label: "First 30 seconds", Value: rng.IntN(101), Assessed: true, Reason: "judged on the lines inside the first 30 seconds and the first three sentences"},
			Empathy:   results.Score{Label: "Empathy", Value: rng.IntN(101), Assessed: true, Reason: "every response, graded on emotional reaction, interpretation and exploration"},
			Difficult: results.Score{Label: "Difficult customers", Value: rng.IntN(101), Assessed: rng.IntN(3) > 0},
			Band:      "Getting there",
		}
		r.Scores.Overall = (r.Scores.Opening.Value + r.Scores.Empathy.Value) / 2
		for ti := range r.Turns {
			t := &r.Turns[ti]
			for k := range 3 {
				b := behaviors[rng.IntN(len(behaviors))]
				t.Behaviors = append(t.Behaviors, results.Behavior{ID: b[1:], Polarity: b[:1], Strength: 1 + k%2, Evidence: "the words that showed it"})
			}
			t.Empathy = &results.Empathy{EmotionalReaction: rng.IntN(3), Interpretation: rng.IntN(3), Exploration: rng.IntN(3)}
			t.Best = &results.Alternative{Choice: 1, Say: "A better line the trainee could have said here, of typical length for an authored choice.", Why: "It acknowledges the concern and offers help in the same breath, which is what triggers relief."}
			for _, s := range r.Scores.All() {
				s.Points = append(s.Points, results.Point{Behavior: t.Behaviors[0].ID, Delta: rng.IntN(11) - 5, Turn: t.Index, Evidence: "the words that showed it",
					Principle: "heard, understood, cared for", Explanation: "\"the words that showed it\" shows the behaviour, which serves the principle and earns or costs these points."})
			}
		}
		if _, err := store.Save(r); err != nil {
			tb.Fatal(err)
		}
	}
}

// BenchmarkReport10k is `rapport report DIR` over 10,000 records: read and
// decode every file, build the report, write the terminal table.
func BenchmarkReport10k(b *testing.B) {
	dir := b.TempDir()
	benchRecords(b, dir, 10000)
	var size int64
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if info, err := e.Info(); err == nil {
			size += info.Size()
		}
	}
	b.ResetTimer()
	for b.Loop() {
		recs, skipped, err := results.ReadDetail(results.Brief, dir)
		if err != nil || len(skipped) > 0 || len(recs) != 10000 {
			b.Fatal(err, len(skipped), len(recs))
		}
		if err := WriteTable(io.Discard, Build(recs), nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(size)/float64(len(entries)), "bytes/record")
}

// BenchmarkBuild10k is the aggregation alone, records already in memory.
func BenchmarkBuild10k(b *testing.B) {
	dir := b.TempDir()
	benchRecords(b, dir, 10000)
	recs, _, err := results.ReadDetail(results.Brief, dir)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		Build(recs)
	}
}

