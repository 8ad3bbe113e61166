package scoring

import (
	"sync"

	"github.com/rapport-sim/rapport/internal/engine"
	"github.com/rapport-sim/rapport/internal/reader"
	"github.com/rapport-sim/rapport/internal/scenario"
)

// Memo evaluates many conversations of one scenario, reading each line
// through a reader.Memo: the path analysis and `rapport check` score
// thousands of paths that share most of their lines. A report through a
// Memo is the report Evaluate gives (TestMemoEvaluateSame).
//
// A Memo is safe for concurrent use; use one per scenario analysed.
type Memo struct {
	r *reader.Memo

	// turns remembers what a tally takes from a chosen line beyond its
	// reading — the missed chance against the other choices offered and
	// whether the customer asked for someone senior — under the choice,
	// the reading's context (reader.MemoKey) and the choices offered. A
	// search meets the same turn on many paths; working these out again
	// cost as much as the reading lookups.
	mu    sync.Mutex
	turns map[turnKey][]turnFacts
}

type turnKey struct {
	sc *scenario.Scenario
	c  *scenario.Choice
}

// turnFacts are what one chosen line means to a tally, in the context ctx
// (a reader.MemoKey) with the choices of offered (bit k: the node's k-th
// choice) on offer.
type turnFacts struct {
	ctx     reader.Context
	offered uint64

	a reader.Analysis
	// missed is the missed-chance cost against the best choice offered
	// (0 with has false: the line was as good as any).
	missed    int
	hasMissed bool
	senior    bool
}

// NewMemo returns an empty Memo.
func NewMemo() *Memo { return &Memo{r: reader.NewMemo(), turns: map[turnKey][]turnFacts{}} }

// turn finds what was worked out for a chosen line.
func (m *Memo) turn(k turnKey, ctx reader.Context, offered uint64) (turnFacts, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, f := range m.turns[k] {
		if f.offered == offered && f.ctx == ctx {
			return f, true
		}
	}
	return turnFacts{}, false
}

// remember keeps what was worked out for a chosen line.
func (m *Memo) remember(k turnKey, f turnFacts) {
	if m.turns == nil {
		return // a MemoOn: it keeps no turns
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, g := range m.turns[k] {
		if g.offered == f.offered && g.ctx == f.ctx {
			return
		}
	}
	m.turns[k] = append(m.turns[k], f)
}

// Evaluate is Evaluate, reading each line through the memo. A nil Memo
// reads every line afresh.
func (m *Memo) Evaluate(sc *scenario.Scenario, st engine.State) Report {
	if m == nil {
		return evaluate(sc, st, nil)
	}
	return evaluate(sc, st, m.r)
}
