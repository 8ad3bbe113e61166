package scoring

import (
	"fmt"
	"strings"
	"testing"

	"github.com/rapport-sim/rapport/internal/engine"
	"github.com/rapport-sim/rapport/internal/scenario"
)

// benchResponses builds responses of about 25 words from the corpus lines,
// so the benchmark reads realistic text of a realistic length.
func benchResponses(b *testing.B) ([]string, []Context) {
	b.Helper()
	lines := readCorpus(b, "testdata/corpus.jsonl")
	var texts []string
	var ctxs []Context
	var cur []string
	words := 0
	for _, c := range lines {
		cur = append(cur, c.Text)
		words += len(strings.Fields(c.Text))
		if words >= 22 {
			texts = append(texts, strings.Join(cur, " "))
			ctxs = append(ctxs, Context{Customer: "I've been waiting all week and I feel like nobody is listening to me.",
				Channel: scenario.Phone, CustomerName: "Grace Okafor", Turn: len(texts) % 4})
			cur, words = cur[:0], 0
		}
	}
	return texts, ctxs
}

// BenchmarkAnalyze scores responses of about 25 words. The target is at
// least 200,000 responses a second on one core (5 µs/op).
func BenchmarkAnalyze(b *testing.B) {
	texts, ctxs := benchResponses(b)
	total := 0
	for _, t := range texts {
		total += len(strings.Fields(t))
	}
	b.ReportMetric(float64(total)/float64(len(texts)), "words/response")
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		k := i % len(texts)
		Analyze(texts[k], ctxs[k])
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "responses/s")
}

// longScenario builds a 30-turn phone conversation: 30 nodes of three
// choices each, written from the corpus, ending resolved.
func longScenario(b *testing.B, turns int) *scenario.Scenario {
	b.Helper()
	lines := readCorpus(b, "testdata/corpus.jsonl")
	sc := &scenario.Scenario{ID: "bench", Title: "Bench", Channel: scenario.Phone, Tags: []string{"complaint"},
		Customer: scenario.Customer{Name: "Grace Okafor", Mode: "feel",
			Start: scenario.Mood{Apprehension: 70, Anger: 45, Trust: 30, Patience: 100}}}
	for i := 0; i < turns; i++ {
		n := &scenario.Node{ID: fmt.Sprintf("n%d", i), Say: []string{"I still don't understand why this keeps happening to me, and I feel like I'm going round in circles."}}
		next := fmt.Sprintf("n%d", i+1)
		if i == turns-1 {
			next = "done"
		}
		for k := 0; k < 3; k++ {
			c := lines[(i*3+k)%len(lines)]
			n.Choices = append(n.Choices, &scenario.Choice{Number: k + 1, Say: c.Text, Next: next,
				Effects: scenario.Mood{Anger: k - 1, Trust: 1 - k}, Tags: c.Labels, Feedback: "Author's note on this line."})
		}
		sc.Nodes = append(sc.Nodes, n)
	}
	sc.Endings = []*scenario.Ending{{ID: "done", Outcome: scenario.Resolved, Say: []string{"Thanks, that's everything."}}}
	sc.Index()
	return sc
}

// BenchmarkEvaluate scores (the whole debrief data of) a 30-turn
// conversation. The target is under 1 ms.
func BenchmarkEvaluate(b *testing.B) {
	sc := longScenario(b, 30)
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

// BenchmarkMatchChoice matches a typed line against three choices.
func BenchmarkMatchChoice(b *testing.B) {
	sc := longScenario(b, 1)
	ctx := Context{Channel: scenario.Phone, CustomerName: "Grace Okafor"}
	text := "I'm so sorry about all this, Grace. Let me look into it right now and I'll call you back by five."
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		MatchChoice(text, sc.Nodes[0].Choices, ctx)
	}
}

// BenchmarkAnalyzeQuestion reads the same responses after customer lines
// that ask something direct, so the answer and deflection readings run
// (the customer's line changes every response, so its reading is not
// cached). The target is at least 150,000 responses a second on one core.
func BenchmarkAnalyzeQuestion(b *testing.B) {
	texts, ctxs := benchResponses(b)
	questions := []string{"When will my refund arrive?", "Can you cancel the order for me?",
		"How much is the repair going to cost?", "Why has nobody called me back?"}
	for k := range ctxs {
		ctxs[k].Customer = questions[k%len(questions)]
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		k := i % len(texts)
		Analyze(texts[k], ctxs[k])
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "responses/s")
}

// BenchmarkLinePoints reads a response and counts its points on the three
// scores, as `rapport score` does for each line.
func BenchmarkLinePoints(b *testing.B) {
	texts, ctxs := benchResponses(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		k := i % len(texts)
		LinePoints(texts[k], ctxs[k], LineMood{Anger: 60, Known: true}, CompanyRules{})
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "responses/s")
}
