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

	// offers remembers what a tally takes from the lines offered together
	// at a turn beyond their readings — each one's missed chance against
	// the best of them, and whether the customer asked for someone senior
	// — under the first choice offered, the choices offered and the
	// readings' context (reader.MemoKey). A search meets the same turn on
	// many paths, and the same choices offered with each of them taken:
	// one lookup finds what any of them means, where looking up the
	// reading of every choice offered, and working out their values
	// again, was a fifth of a path analysis.
	mu     sync.Mutex
	offers map[*scenario.Choice]*offerSet
	// free is where the next sets remembered go, made a batch at a time.
	free []offerSet
}

// offerSet is what the choices offered together at a turn mean to a
// tally, in the context ctx (a reader.MemoKey) with the choices of mask
// (bit k: the node's k-th choice) on offer: reads[k] is the k-th choice
// offered.
type offerSet struct {
	ctx   reader.Context
	mask  uint64
	reads []offerRead
	// senior is whether the customer's line asks for someone senior.
	senior bool

	// next is the next set remembered under the same first choice.
	next *offerSet
}

// offerRead is one of the choices offered: its reading, and what taking
// it costs, the missed chance against the best of them (0 with hasMissed
// false: it was as good as any).
type offerRead struct {
	a         reader.Analysis
	missed    int
	hasMissed bool
}

// turnFacts are what one chosen line means to a tally: its reading, the
// missed chance against the choices offered with it, whether the
// customer asked for someone senior.
type turnFacts struct {
	a reader.Analysis
	// missed is the missed-chance cost against the best choice offered
	// (0 with has false: the line was as good as any).
	missed    int
	hasMissed bool
	senior    bool
}

// offerBatch is the most sets a Memo makes room for at once.
const offerBatch = 128

// NewMemo returns an empty Memo.
func NewMemo() *Memo {
	return &Memo{r: reader.NewMemo(), offers: map[*scenario.Choice]*offerSet{}}
}

// NewMemoFor returns an empty Memo with room for reading sc's choices: a
// search through many paths of sc reads a good part of them, and a memo
// that grows its index as it fills spends a few percent of a path
// analysis doing so.
func NewMemoFor(sc *scenario.Scenario) *Memo {
	n := 0
	for _, nd := range sc.Nodes {
		n += len(nd.Choices)
	}
	return &Memo{r: reader.NewMemoFor(n), offers: make(map[*scenario.Choice]*offerSet, len(sc.Nodes))}
}

// offered is what the choices offered at a turn mean to a tally, in the
// context ti.ctx with the choices of mask offered (all 1s: too many to
// say, and nothing is remembered). ti.offered must not be empty.
func (m *Memo) offered(sc *scenario.Scenario, ti turnInfo, mask uint64) *offerSet {
	keep := m.offers != nil && mask != ^uint64(0)
	var ctx reader.Context
	if keep {
		ctx = reader.MemoKey(ti.ctx)
		m.mu.Lock()
		o := m.find(ti.offered[0], ctx, mask)
		m.mu.Unlock()
		if o != nil {
			return o
		}
	}
	if !keep {
		o := new(offerSet)
		o.work(sc, ti, m.r)
		return o
	}
	o := offerSet{ctx: ctx, mask: mask}
	o.work(sc, ti, m.r)
	m.mu.Lock()
	defer m.mu.Unlock()
	if found := m.find(ti.offered[0], ctx, mask); found != nil {
		return found // worked out beside this one
	}
	if len(m.free) == 0 {
		m.free = make([]offerSet, min(max(len(m.offers), 4), offerBatch))
	}
	p := &m.free[0]
	m.free = m.free[1:]
	*p = o
	p.next = m.offers[ti.offered[0]]
	m.offers[ti.offered[0]] = p
	return p
}

// find is the set remembered for the choices of mask offered from first
// on in the context ctx, or nil; m.mu is held.
func (m *Memo) find(first *scenario.Choice, ctx reader.Context, mask uint64) *offerSet {
	for o := m.offers[first]; o != nil; o = o.next {
		if o.mask == mask && o.ctx == ctx {
			return o
		}
	}
	return nil
}

// work reads the choices offered at ti through r and works out what each
// one taken costs, as bestOffered does for the one taken.
func (o *offerSet) work(sc *scenario.Scenario, ti turnInfo, r *reader.Memo) {
	o.reads = make([]offerRead, len(ti.offered))
	var values [8]float64
	vs := values[:0]
	best, bestV := -1, 0.0
	for k, c := range ti.offered {
		o.reads[k].a = r.AnalyzeChoice(c, ti.ctx)
		v := lineValue(o.reads[k].a, c, 1, sc)
		vs = append(vs, v)
		if best < 0 || v > bestV {
			best, bestV = k, v
		}
	}
	if len(ti.offered) >= 2 {
		for k, c := range ti.offered {
			if ti.offered[best].Number == c.Number || vs[k] >= bestV {
				continue
			}
			o.reads[k].missed, o.reads[k].hasMissed = missedCost(bestV-vs[k]), true
		}
	}
	o.senior = asksSenior(ti.ctx.Customer)
}

// Evaluate is Evaluate, reading each line through the memo. A nil Memo
// reads every line afresh.
func (m *Memo) Evaluate(sc *scenario.Scenario, st engine.State) Report {
	if m == nil {
		return evaluate(sc, st, nil)
	}
	return evaluate(sc, st, m.r)
}
