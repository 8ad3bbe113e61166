package scoring

import (
	"slices"
	"sync"

	"github.com/rapport-sim/rapport/internal/engine"
	"github.com/rapport-sim/rapport/internal/scenario"
)

// Memo remembers how the model read each line in each context, for
// callers that evaluate many conversations of one scenario: the path
// analysis and `rapport check` score thousands of paths that share most
// of their lines, and reading a line is most of the cost of scoring it.
// A line is read again only in a context it was not read in (the
// customer's line, the turn, the clock and the rest of Context), so a
// report through a Memo is the report Evaluate gives
// (TestMemoEvaluateSame).
//
// A Memo is safe for concurrent use. It holds every distinct (line,
// context) it was asked about; use one per scenario analysed.
type Memo struct {
	mu      sync.Mutex
	lines   map[lineKey]Analysis
	choices map[choiceKey]Analysis
}

type lineKey struct {
	text string
	ctx  Context
}

type choiceKey struct {
	c   *scenario.Choice
	ctx Context
}

// NewMemo returns an empty Memo.
func NewMemo() *Memo {
	return &Memo{lines: map[lineKey]Analysis{}, choices: map[choiceKey]Analysis{}}
}

// Evaluate is Evaluate, reading each line through the memo.
func (m *Memo) Evaluate(sc *scenario.Scenario, st engine.State) Report {
	return evaluate(sc, st, m)
}

// analyze reads a line, or gives back how it was read. A nil Memo reads
// every time.
func (m *Memo) analyze(text string, ctx Context) Analysis {
	if m == nil {
		return Analyze(text, ctx)
	}
	k := lineKey{text, ctx}
	m.mu.Lock()
	a, ok := m.lines[k]
	m.mu.Unlock()
	if ok {
		return a
	}
	a = shared(Analyze(text, ctx))
	m.mu.Lock()
	m.lines[k] = a
	m.mu.Unlock()
	return a
}

// analyzeChoice is analyzeChoice, remembered per choice and context.
func (m *Memo) analyzeChoice(c *scenario.Choice, ctx Context) Analysis {
	if m == nil {
		return analyzeChoice(c, ctx)
	}
	k := choiceKey{c, ctx}
	m.mu.Lock()
	a, ok := m.choices[k]
	m.mu.Unlock()
	if ok {
		return a
	}
	a = shared(analyzeChoice(c, ctx))
	m.mu.Lock()
	m.choices[k] = a
	m.mu.Unlock()
	return a
}

// shared prepares an analysis to be handed to many reports: an append to
// its behaviours by one of them copies them rather than writing into the
// others'.
func shared(a Analysis) Analysis {
	a.Behaviors = slices.Clip(a.Behaviors)
	return a
}
