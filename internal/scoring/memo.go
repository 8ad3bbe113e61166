package scoring

import (
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
}

// NewMemo returns an empty Memo.
func NewMemo() *Memo { return &Memo{r: reader.NewMemo()} }

// Evaluate is Evaluate, reading each line through the memo. A nil Memo
// reads every line afresh.
func (m *Memo) Evaluate(sc *scenario.Scenario, st engine.State) Report {
	if m == nil {
		return evaluate(sc, st, nil)
	}
	return evaluate(sc, st, m.r)
}
