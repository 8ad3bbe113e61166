package scoring

import (
	"math/rand/v2"
	"testing"

	"github.com/rapport-sim/rapport/internal/reader"
	"github.com/rapport-sim/rapport/internal/reader/readertest"
	"github.com/rapport-sim/rapport/internal/scenario"
)

// emotionalReactions are lines that show an emotional reaction and
// nothing negative.
var emotionalReactions = []string{
	"I'd be upset too.",
	"That must have been so worrying.",
	"I can only imagine how stressful this has been.",
	"Oh no, I'm sorry to hear that.",
	"Please don't feel silly about any of this.",
	"That sounds really frustrating.",
}

// calmDowns are the invalidating move the property is about, in a few
// spellings.
var calmDowns = []string{"Calm down.", "calm down, please.", "Just calm down!", "CALM DOWN."}

// TestEmotionalReactionNeverLowersEmpathy: adding an emotional reaction,
// before or after a response, never lowers its empathy score, nor the
// empathy score of a conversation it is part of.
func TestEmotionalReactionNeverLowersEmpathy(t *testing.T) {
	bases := readertest.PropertyBases(t)
	for _, c := range bases {
		ctx := c.Context()
		before := reader.Analyze(c.Text, ctx)
		for _, er := range emotionalReactions {
			for _, text := range []string{readertest.Join(c.Text, er), readertest.Join(er, c.Text)} {
				after := reader.Analyze(text, ctx)
				if after.Empathy.Score < before.Empathy.Score {
					t.Errorf("adding %q lowered empathy %d → %d:\n  %q\n  before %v\n  after  %v",
						er, before.Empathy.Score, after.Empathy.Score, c.Text, before.Behaviors, after.Behaviors)
				}
				if after.Empathy.EmotionalReaction < before.Empathy.EmotionalReaction || after.Empathy.EmotionalReaction == 0 {
					t.Errorf("adding %q: emotional reaction %d → %d in %q", er, before.Empathy.EmotionalReaction, after.Empathy.EmotionalReaction, text)
				}
			}
		}
	}
	// Across a conversation: appending an emotional reaction to any one
	// turn never lowers the conversation's Empathy score.
	r := rand.New(rand.NewPCG(3, 4))
	for trial := 0; trial < 200; trial++ {
		turns := make([]string, 1+r.IntN(6))
		for i := range turns {
			turns[i] = bases[r.IntN(len(bases))].Text
		}
		before := conversationEmpathy(turns)
		k := r.IntN(len(turns))
		changed := append([]string(nil), turns...)
		changed[k] = readertest.Join(changed[k], emotionalReactions[r.IntN(len(emotionalReactions))])
		if after := conversationEmpathy(changed); after < before {
			t.Errorf("emotional reaction in turn %d lowered conversation empathy %d → %d: %q", k, before, after, changed)
		}
	}
}

// TestCalmDownNeverRaisesEmpathy: adding "calm down" never raises the
// empathy score of a response or a conversation, and lowers it whenever
// there was anything to lose.
func TestCalmDownNeverRaisesEmpathy(t *testing.T) {
	bases := readertest.PropertyBases(t)
	for _, c := range bases {
		ctx := c.Context()
		before := reader.Analyze(c.Text, ctx)
		for _, cd := range calmDowns {
			for _, text := range []string{readertest.Join(c.Text, cd), readertest.Join(cd, c.Text)} {
				after := reader.Analyze(text, ctx)
				if after.Empathy.Score > before.Empathy.Score {
					t.Errorf("adding %q raised empathy %d → %d: %q", cd, before.Empathy.Score, after.Empathy.Score, text)
				}
				if before.Empathy.Score > 0 && after.Empathy.Score >= before.Empathy.Score {
					t.Errorf("adding %q did not lower empathy %d: %q", cd, before.Empathy.Score, text)
				}
			}
		}
	}
	r := rand.New(rand.NewPCG(5, 6))
	for trial := 0; trial < 200; trial++ {
		turns := make([]string, 1+r.IntN(6))
		for i := range turns {
			turns[i] = bases[r.IntN(len(bases))].Text
		}
		before := conversationEmpathy(turns)
		k := r.IntN(len(turns))
		changed := append([]string(nil), turns...)
		changed[k] = readertest.Join(changed[k], calmDowns[r.IntN(len(calmDowns))])
		if after := conversationEmpathy(changed); after > before {
			t.Errorf("calm down in turn %d raised conversation empathy %d → %d: %q", k, before, after, changed)
		}
	}
}

// conversationEmpathy scores the Empathy of trainee lines said in turn.
func conversationEmpathy(lines []string) int {
	turns := make([]Turn, len(lines))
	infos := make([]turnInfo, len(lines))
	for i, l := range lines {
		ctx := reader.Context{Channel: scenario.Phone, CustomerName: "Grace Okafor", Mode: "feel", Turn: i}
		turns[i] = Turn{Index: i, Said: l, Analysis: reader.Analyze(l, ctx)}
		infos[i].ctx = ctx
	}
	return scoreEmpathy(nil, infos, turns).Value
}
