package reader_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/rapport-sim/rapport/internal/reader"
	"github.com/rapport-sim/rapport/internal/scenario"
)

// AnalyzeTimeless reads as Analyze does, and a line it calls timeless reads
// the same early (the first turn, or inside the opening window) and later:
// over every corpus line in its context and the lines that read
// differently early on.
func TestAnalyzeTimeless(t *testing.T) {
	texts, ctxs := readingInputs(t)
	for _, s := range []string{
		"Can I take your account number first?",
		"Please hold.",
		"Thank you for calling, how can I help?",
		"I'm so sorry. Can I take your account number?",
		"Bear with me a moment.",
	} {
		texts = append(texts, s)
		ctxs = append(ctxs, reader.Context{Customer: "My bill is wrong.", Channel: scenario.Phone})
	}
	timeless, timed := 0, 0
	for i, text := range texts {
		early, late := ctxs[i], ctxs[i]
		early.Turn, early.Elapsed = 0, 0
		late.Turn, late.Elapsed = 3, 2*time.Minute
		for _, ctx := range []reader.Context{ctxs[i], early, late} {
			got, ok := reader.AnalyzeTimeless(text, ctx)
			if want := reader.Analyze(text, ctx); !reflect.DeepEqual(got, want) {
				t.Fatalf("%q in %+v: AnalyzeTimeless reads %+v, Analyze %+v", text, ctx, got, want)
			}
			if !ok {
				timed++
				continue
			}
			timeless++
			if a, b := reader.Analyze(text, early), reader.Analyze(text, late); !reflect.DeepEqual(a, b) {
				t.Fatalf("%q in %+v is called timeless, but reads %+v early and %+v later", text, ctx, a, b)
			}
		}
	}
	if timed == 0 || timeless < 10*timed {
		t.Errorf("%d readings timeless, %d timed: want most timeless, and some not", timeless, timed)
	}
}

// WithTags is AnalyzeChoice on a line read already, and leaves that
// reading as it was.
func TestWithTags(t *testing.T) {
	ctx := reader.Context{Customer: "My parcel never came.", Channel: scenario.Chat, Turn: 2}
	for _, c := range []*scenario.Choice{
		{Say: "I'm sorry, let me check that for you.", Tags: []string{"ownership", "empathy", "not_a_tag"}},
		{Say: "That's policy.", Tags: []string{"policy_hiding"}},
		{Say: "Hello {agent} here, what's the order number?"},
	} {
		a := reader.Analyze(scenario.Fill(c.Say, ctx.Agent), ctx)
		before := append([]reader.Behavior(nil), a.Behaviors...)
		if got, want := reader.WithTags(c, ctx, a), reader.AnalyzeChoice(c, ctx); !reflect.DeepEqual(got, want) {
			t.Errorf("%q: WithTags %+v, AnalyzeChoice %+v", c.Say, got, want)
		}
		if !reflect.DeepEqual(a.Behaviors, before) {
			t.Errorf("%q: WithTags changed the reading it was given", c.Say)
		}
	}
}

// A reading the memo is told is the one its AnalyzeChoice gives, in every
// context that reads the same, and one it has is not replaced.
func TestMemoKnow(t *testing.T) {
	c := &scenario.Choice{Say: "I'll sort it out myself and call you by 4 pm today.", Tags: []string{"ownership"}}
	ctx := reader.Context{Customer: "Nobody called me back.", Channel: scenario.Phone, Turn: 0}
	a := reader.AnalyzeChoice(c, ctx)
	m := reader.NewMemo()
	m.Know(c, ctx, a)
	later := ctx
	later.Elapsed = 10 * time.Second // still early
	if got := m.AnalyzeChoice(c, later); !reflect.DeepEqual(got, a) {
		t.Errorf("told %+v, gives %+v", a, got)
	}
	m.Know(c, ctx, reader.Analysis{})
	if got := m.AnalyzeChoice(c, ctx); !reflect.DeepEqual(got, a) {
		t.Errorf("a second Know replaced the reading: %+v", got)
	}
}
