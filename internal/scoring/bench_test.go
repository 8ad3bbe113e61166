package scoring

import (
	"testing"

	"github.com/rapport-sim/rapport/internal/engine"
	"github.com/rapport-sim/rapport/internal/reader/readertest"
)

// BenchmarkEvaluate scores (the whole debrief data of) a 30-turn
// conversation. The target is under 1 ms.
func BenchmarkEvaluate(b *testing.B) {
	sc := readertest.Scenario(b, 30)
	e, err := engine.New(sc, engine.Options{Pace: Pace(sc.Channel)})
	if err != nil {
		b.Fatal(err)
	}
	for i := 0; !e.Done(); i++ {
		if err := e.Choose(engine.Step{Choice: i%3 + 1, Hesitation: DefaultHesitation}); err != nil {
			b.Fatal(err)
		}
	}
	st := e.State()
	if len(Evaluate(sc, st).Turns) != 30 {
		b.Fatal("want 30 turns")
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		Evaluate(sc, st)
	}
}

// BenchmarkLinePoints reads a response and counts its points on the three
// scores, as `rapport score` does for each line.
func BenchmarkLinePoints(b *testing.B) {
	texts, ctxs := readertest.BenchResponses(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		k := i % len(texts)
		LinePoints(texts[k], ctxs[k], LineMood{Anger: 60, Known: true}, CompanyRules{})
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "responses/s")
}
