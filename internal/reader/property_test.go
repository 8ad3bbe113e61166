package reader_test

import (
	"strings"
	"testing"
	"time"

	"github.com/rapport-sim/rapport/internal/reader"
	"github.com/rapport-sim/rapport/internal/reader/readertest"
	"github.com/rapport-sim/rapport/internal/scenario"
)

// TestAnalyzeInvariants: evidence is always the response's own words at
// the reported offset, strengths are 1 or 2, polarities match the
// catalogue, output is in catalogue order with one entry per behaviour,
// and empathy stays in range.
func TestAnalyzeInvariants(t *testing.T) {
	for _, c := range readertest.PropertyBases(t) {
		a := reader.Analyze(c.Text, c.Context())
		checkAnalysis(t, c.Text, a)
	}
}

func checkAnalysis(t *testing.T, text string, a reader.Analysis) {
	t.Helper()
	order := map[reader.BehaviorID]int{}
	for i, b := range reader.Behaviors() {
		order[b.ID] = i
	}
	last := -1
	for _, b := range a.Behaviors {
		info, ok := reader.Info(b.ID)
		if !ok {
			t.Fatalf("unknown behaviour %q in %q", b.ID, text)
		}
		if b.Polarity != info.Polarity || b.Strength < 1 || b.Strength > 2 {
			t.Errorf("bad behaviour %+v in %q", b, text)
		}
		if b.Offset < 0 || b.Offset+len(b.Evidence) > len(text) || text[b.Offset:b.Offset+len(b.Evidence)] != b.Evidence || b.Evidence == "" {
			t.Errorf("evidence %q at %d is not in %q", b.Evidence, b.Offset, text)
		}
		if order[b.ID] <= last {
			t.Errorf("behaviours out of order or repeated in %q: %v", text, a.Behaviors)
		}
		last = order[b.ID]
	}
	e := a.Empathy
	if e.Score < 0 || e.Score > 100 || e.EmotionalReaction < 0 || e.EmotionalReaction > 2 ||
		e.Interpretation < 0 || e.Interpretation > 2 || e.Exploration < 0 || e.Exploration > 2 {
		t.Errorf("empathy out of range: %+v for %q", e, text)
	}
}

// FuzzAnalyze: any input, however hostile, is read without panicking and
// with the invariants intact.
func FuzzAnalyze(f *testing.F) {
	for _, s := range []string{"", "I'm so sorry, Mrs Okafor.", "CALM DOWN!!!", "don’t’ ’’ ''' ", "\x00\xff\xfe", "Mrs.", "3.5% 10:30 T&Cs 4417 0923",
		strings.Repeat("sorry ", 500), "so if i understand, you're worried, is that right?"} {
		f.Add(s, "I feel lost.", "Grace Okafor", 0)
	}
	f.Fuzz(func(t *testing.T, text, customer, name string, turn int) {
		// The fuzzer does not notice a hang: a stuck worker just stops.
		// Fail instead, so the input is saved to testdata/fuzz.
		var a reader.Analysis
		done := make(chan struct{})
		go func() {
			defer close(done)
			a = reader.Analyze(text, reader.Context{Customer: customer, CustomerName: name, Turn: turn % 5})
			reader.MatchChoice(text, []*scenario.Choice{{Number: 1, Say: customer}, {Number: 2, Say: name}}, reader.Context{})
		}()
		select {
		case <-done:
		case <-time.After(2 * time.Second):
			t.Fatalf("reading did not finish within 2s: text %q, customer %q, name %q", text, customer, name)
		}
		checkAnalysis(t, text, a)
	})
}
