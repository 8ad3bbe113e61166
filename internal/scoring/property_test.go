package scoring

import (
	"math/rand/v2"
	"strings"
	"testing"

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

// join adds a sentence to a response, ending the response's last sentence
// first if it has no final punctuation.
func join(base, extra string) string {
	base = strings.TrimSpace(base)
	if base == "" {
		return extra
	}
	if !strings.ContainsAny(base[len(base)-1:], ".!?") {
		base += "."
	}
	return base + " " + extra
}

func propertyBases(t *testing.T) []corpusLine {
	t.Helper()
	lines := readCorpus(t, "testdata/corpus.jsonl")
	// Add random compositions of corpus lines: longer, mixed responses.
	r := rand.New(rand.NewPCG(1, 2))
	n := len(lines)
	for i := 0; i < 300; i++ {
		a, b, c := lines[r.IntN(n)], lines[r.IntN(n)], lines[r.IntN(n)]
		lines = append(lines, corpusLine{Text: join(join(a.Text, b.Text), c.Text), Customer: a.Customer, Name: b.Name, Mode: c.Mode, Turn: r.IntN(4)})
	}
	return lines
}

// TestEmotionalReactionNeverLowersEmpathy: adding an emotional reaction,
// before or after a response, never lowers its empathy score, nor the
// empathy score of a conversation it is part of.
func TestEmotionalReactionNeverLowersEmpathy(t *testing.T) {
	bases := propertyBases(t)
	for _, c := range bases {
		ctx := c.context()
		before := Analyze(c.Text, ctx)
		for _, er := range emotionalReactions {
			for _, text := range []string{join(c.Text, er), join(er, c.Text)} {
				after := Analyze(text, ctx)
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
		changed[k] = join(changed[k], emotionalReactions[r.IntN(len(emotionalReactions))])
		if after := conversationEmpathy(changed); after < before {
			t.Errorf("emotional reaction in turn %d lowered conversation empathy %d → %d: %q", k, before, after, changed)
		}
	}
}

// TestCalmDownNeverRaisesEmpathy: adding "calm down" never raises the
// empathy score of a response or a conversation, and lowers it whenever
// there was anything to lose.
func TestCalmDownNeverRaisesEmpathy(t *testing.T) {
	bases := propertyBases(t)
	for _, c := range bases {
		ctx := c.context()
		before := Analyze(c.Text, ctx)
		for _, cd := range calmDowns {
			for _, text := range []string{join(c.Text, cd), join(cd, c.Text)} {
				after := Analyze(text, ctx)
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
		changed[k] = join(changed[k], calmDowns[r.IntN(len(calmDowns))])
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
		ctx := Context{Channel: scenario.Phone, CustomerName: "Grace Okafor", Mode: "feel", Turn: i}
		turns[i] = Turn{Index: i, Said: l, Analysis: Analyze(l, ctx)}
		infos[i].ctx = ctx
	}
	return scoreEmpathy(nil, infos, turns).Value
}

// TestAnalyzeInvariants: evidence is always the response's own words at
// the reported offset, strengths are 1 or 2, polarities match the
// catalogue, output is in catalogue order with one entry per behaviour,
// and empathy stays in range.
func TestAnalyzeInvariants(t *testing.T) {
	for _, c := range propertyBases(t) {
		a := Analyze(c.Text, c.context())
		checkAnalysis(t, c.Text, a)
	}
}

func checkAnalysis(t *testing.T, text string, a Analysis) {
	t.Helper()
	last := -1
	for _, b := range a.Behaviors {
		info, ok := Info(b.ID)
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
		a := Analyze(text, Context{Customer: customer, CustomerName: name, Turn: turn % 5})
		checkAnalysis(t, text, a)
		MatchChoice(text, []*scenario.Choice{{Number: 1, Say: customer}, {Number: 2, Say: name}}, Context{})
	})
}
