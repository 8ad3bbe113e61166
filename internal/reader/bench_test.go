package reader_test

import (
	"strings"
	"testing"

	"github.com/rapport-sim/rapport/internal/reader"
	"github.com/rapport-sim/rapport/internal/reader/readertest"
	"github.com/rapport-sim/rapport/internal/scenario"
)

// BenchmarkAnalyze scores responses of about 25 words. The target is at
// least 200,000 responses a second on one core (5 µs/op).
func BenchmarkAnalyze(b *testing.B) {
	texts, ctxs := readertest.BenchResponses(b)
	total := 0
	for _, t := range texts {
		total += len(strings.Fields(t))
	}
	b.ReportMetric(float64(total)/float64(len(texts)), "words/response")
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		k := i % len(texts)
		reader.Analyze(texts[k], ctxs[k])
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "responses/s")
}

// BenchmarkMatchChoice matches a typed line against three choices.
func BenchmarkMatchChoice(b *testing.B) {
	sc := readertest.Scenario(b, 1)
	ctx := reader.Context{Channel: scenario.Phone, CustomerName: "Grace Okafor"}
	text := "I'm so sorry about all this, Grace. Let me look into it right now and I'll call you back by five."
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		reader.MatchChoice(text, sc.Nodes[0].Choices, ctx)
	}
}

// BenchmarkAnalyzeQuestion reads the same responses after customer lines
// that ask something direct, so the answer and deflection readings run
// (the customer's line changes every response, so its reading is not
// cached). The target is at least 150,000 responses a second on one core.
func BenchmarkAnalyzeQuestion(b *testing.B) {
	texts, ctxs := readertest.BenchResponses(b)
	questions := []string{"When will my refund arrive?", "Can you cancel the order for me?",
		"How much is the repair going to cost?", "Why has nobody called me back?"}
	for k := range ctxs {
		ctxs[k].Customer = questions[k%len(questions)]
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		k := i % len(texts)
		reader.Analyze(texts[k], ctxs[k])
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "responses/s")
}
