package reader

import (
	"slices"
	"sync"

	"github.com/rapport-sim/rapport/internal/scenario"
)

// Memo remembers how the model read each line in each context, for
// callers that read many conversations of one scenario: the path analysis
// and `rapport check` score thousands of paths that share most of their
// lines, and reading a line is most of the cost of scoring it. A line is
// read again only in a context it was not read in (the customer's line,
// the turn, the clock and the rest of Context), so a reading through a Memo
// is the reading Analyze gives (TestMemoEvaluateSame in internal/scoring).
//
// A Memo is safe for concurrent use. It holds every distinct (line,
// context) it was asked about; use one per scenario analysed. A nil Memo
// reads every time.
type Memo struct {
	mu    sync.Mutex
	lines map[lineKey]Analysis
	// choices holds a choice's first few readings under the choice alone,
	// one after another (choiceReading.next), the rest (a choice met after
	// many different customer lines) in more. A choice is read in one or
	// two contexts in most scenarios, and finding its pointer and
	// comparing a context or two costs less than hashing the context with
	// the customer's line: that hashing was some 5% of the path analysis
	// of a 5,000-node scenario.
	choices map[*scenario.Choice]*choiceReading
	more    map[choiceKey]Analysis
	// free is where the next readings kept go: they are made a few dozen
	// at a time rather than one by one (a path analysis keeps thousands).
	free []choiceReading
}

// choiceReading is one reading of a choice, in a context reduced by
// memoKey, and the choice's next reading kept beside it.
type choiceReading struct {
	ctx  Context
	a    Analysis
	next *choiceReading
}

// fewReadings is how many readings of a choice Memo.choices keeps.
const fewReadings = 4

// memoBatch is the most readings a Memo makes room for at once.
const memoBatch = 128

type lineKey struct {
	text string
	ctx  Context
}

type choiceKey struct {
	c   *scenario.Choice
	ctx Context
}

// isEarly is the one thing a reading takes from the turn and the clock:
// whether the line is the trainee's first or starts inside the opening
// window. The memo keys on it (memoKey), so reading anything else from
// ctx.Turn or ctx.Elapsed in Analyze means changing memoKey too
// (TestMemoKeyReadsTheSame).
func isEarly(ctx Context) bool {
	return ctx.Turn == 0 || (ctx.Elapsed > 0 && ctx.Elapsed < OpeningWindow)
}

// memoKey is ctx with the turn and the clock reduced to isEarly: a line
// answered at a different moment of the conversation, in the same case,
// reads the same. The searches of the path analysis meet a node's lines
// at many clock times, and read each once per case instead of once per
// time (a third fewer readings on a 5,000-node scenario).
func memoKey(ctx Context) Context {
	early := isEarly(ctx)
	ctx.Turn, ctx.Elapsed = 1, 0
	if early {
		ctx.Turn = 0
	}
	return ctx
}

// MemoKey is the context a reading depends on: ctx with the turn and the
// clock reduced to whether the line is early. A line read in two contexts
// with the same MemoKey reads the same (TestMemoKeyReadsTheSame), so a
// caller may remember what follows from a reading under it.
func MemoKey(ctx Context) Context { return memoKey(ctx) }

// NewMemo returns an empty Memo.
func NewMemo() *Memo { return NewMemoFor(0) }

// NewMemoFor returns an empty Memo with room for the readings of about n
// choices: a caller that knows how many choices it will read (the path
// analysis reads about half a scenario's) spares the memo growing its
// index as it fills.
func NewMemoFor(n int) *Memo {
	return &Memo{lines: map[lineKey]Analysis{}, choices: make(map[*scenario.Choice]*choiceReading, max(n, 0)), more: map[choiceKey]Analysis{}}
}

// Analyze is Analyze, remembered per line and context.
func (m *Memo) Analyze(text string, ctx Context) Analysis {
	if m == nil {
		return Analyze(text, ctx)
	}
	k := lineKey{text, memoKey(ctx)}
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

// AnalyzeChoice is AnalyzeChoice, remembered per choice and context.
func (m *Memo) AnalyzeChoice(c *scenario.Choice, ctx Context) Analysis {
	if m == nil {
		return AnalyzeChoice(c, ctx)
	}
	key := memoKey(ctx)
	m.mu.Lock()
	a, ok := m.choice(c, key)
	m.mu.Unlock()
	if ok {
		return a
	}
	a = shared(AnalyzeChoice(c, ctx))
	m.mu.Lock()
	m.keep(c, key, a)
	m.mu.Unlock()
	return a
}

// keep records a as c's reading in the context key, unless the memo has
// one; m.mu is held.
func (m *Memo) keep(c *scenario.Choice, key Context, a Analysis) {
	if _, ok := m.choice(c, key); ok {
		return
	}
	first := m.choices[c]
	n := 0
	for r := first; r != nil; r = r.next {
		n++
	}
	if n >= fewReadings {
		m.more[choiceKey{c, key}] = a
		return
	}
	if len(m.free) == 0 {
		// A batch as big as what the memo holds already, up to memoBatch:
		// a memo that reads a node's few choices (as `check` keeps one
		// per node) makes room for few.
		m.free = make([]choiceReading, min(max(len(m.choices), 4), memoBatch))
	}
	r := &m.free[0]
	m.free = m.free[1:]
	r.ctx, r.a = key, a
	if first == nil {
		m.choices[c] = r
		return
	}
	last := first
	for last.next != nil {
		last = last.next
	}
	last.next = r
}

// choice finds c's reading in the context key; m.mu is held.
func (m *Memo) choice(c *scenario.Choice, key Context) (Analysis, bool) {
	n := 0
	for r := m.choices[c]; r != nil; r = r.next {
		if r.ctx == key {
			return r.a, true
		}
		n++
	}
	if n < fewReadings {
		return Analysis{}, false
	}
	a, ok := m.more[choiceKey{c, key}]
	return a, ok
}

// shared prepares an analysis to be handed to many reports: an append to
// its behaviours by one of them copies them rather than writing into the
// others'.
func shared(a Analysis) Analysis {
	a.Behaviors = slices.Clip(a.Behaviors)
	return a
}
