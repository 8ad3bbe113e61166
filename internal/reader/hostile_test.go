package reader_test

import (
	"testing"
	"time"

	"github.com/rapport-sim/rapport/internal/reader"
	"github.com/rapport-sim/rapport/internal/scenario"
)

// TestHostileText: lines that once crashed or hung the reader. 'ʼ' (U+02BC)
// is a letter to Unicode but an apostrophe to the tokenizer; alone, or
// before anything but a letter, it used to make an empty word (tokenize
// indexed it and panicked; plainWords never advanced and spun forever).
func TestHostileText(t *testing.T) {
	for _, text := range []string{
		"ʼ", "ʼ ", "aʼ ʼ", "ʼ.", "sorry ʼ", "ʼʼʼ", "ʼ\xff", "\xffʼ", "I ʼm here ʼ",
	} {
		done := make(chan reader.Analysis, 1)
		go func() {
			a := reader.Analyze(text, reader.Context{})
			reader.MatchChoice(text, []*scenario.Choice{{Number: 1, Say: text}, {Number: 2, Say: "I'm sorry."}}, reader.Context{})
			done <- a
		}()
		select {
		case a := <-done:
			checkAnalysis(t, text, a)
		case <-time.After(10 * time.Second):
			t.Fatalf("reading %q did not finish: the tokenizer loops", text)
		}
	}
	// Apostrophe-like letters still join contractions.
	a := reader.Analyze("Iʼm so sorry, that sounds awful.", reader.Context{})
	if a.Empathy.EmotionalReaction == 0 {
		t.Errorf("Iʼm so sorry… lost its reaction with U+02BC: %+v", a.Empathy)
	}
}
