package scoring

import (
	"testing"

	"github.com/rapport-sim/rapport/internal/engine"
	"github.com/rapport-sim/rapport/internal/reader/readertest"
	"github.com/rapport-sim/rapport/internal/scenario"
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

// The searches of `rapport paths` and `rapport check` score thousands of
// conversations of one scenario, with every line already read (a warm
// memo). What a 30-turn conversation costs there: the full report, the
// totals alone, and the last line of it added to a tally of the first 29.
//
//	go test -run '^$' -bench 'Warm' -benchmem ./internal/scoring
func BenchmarkEvaluateWarm(b *testing.B) {
	sc, st, m := warmConversation(b)
	b.ReportAllocs()
	for b.Loop() {
		m.Evaluate(sc, st)
	}
}

func BenchmarkTotalsWarm(b *testing.B) {
	sc, st, m := warmConversation(b)
	b.ReportAllocs()
	for b.Loop() {
		m.Totals(sc, st)
	}
}

func BenchmarkTallyExtendWarm(b *testing.B) {
	sc, st, m := warmConversation(b)
	prefix := st
	prefix.Transcript = st.Transcript[:len(st.Transcript)-2] // before the last trainee line
	for prefix.Transcript[len(prefix.Transcript)-1].Speaker == engine.Trainee {
		prefix.Transcript = prefix.Transcript[:len(prefix.Transcript)-1]
	}
	prefix.Steps, prefix.Ending, prefix.Outcome = st.Steps[:len(st.Steps)-1], "", ""
	t := m.Tally(sc).Extend(prefix)
	if got, want := t.Extend(st).Totals().Overall, m.Evaluate(sc, st).Overall; got != want {
		b.Fatalf("extended tally %d, Evaluate %d", got, want)
	}
	b.ReportAllocs()
	for b.Loop() {
		t.Extend(st).Totals()
	}
}

// warmConversation is BenchmarkEvaluate's conversation and a memo that
// has read its lines.
func warmConversation(b *testing.B) (*scenario.Scenario, engine.State, *Memo) {
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
	m := NewMemo()
	m.Evaluate(sc, e.State())
	return sc, e.State(), m
}
