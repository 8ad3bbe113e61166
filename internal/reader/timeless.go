package reader

import "github.com/rapport-sim/rapport/internal/scenario"

// AnalyzeTimeless is Analyze, and whether the reading is the same whenever
// the line is said: whatever ctx.Turn and ctx.Elapsed are, the rest of ctx
// the same. Most lines read so; an account or hold request and "thank you
// for calling" read differently early in a conversation (isEarly). A
// caller that needs a line read in two contexts that differ only in when
// it is said (`check` reads every choice for its tag check at the node's
// depth, and grades it as a conversation's first line) reads it once when
// it is timeless.
func AnalyzeTimeless(text string, ctx Context) (Analysis, bool) {
	sc := scratchPool.Get().(*scratch)
	defer scratchPool.Put(sc)
	a := sc.analyze(text, ctx)
	return a, !sc.timed
}

// Know records a as c's reading in ctx, so the memo's AnalyzeChoice(c,
// ctx) gives it without reading the line: for a caller that has read it in
// a context that reads the same (AnalyzeTimeless). a must be what
// AnalyzeChoice(c, ctx) gives; a reading the memo has already is kept.
func (m *Memo) Know(c *scenario.Choice, ctx Context, a Analysis) {
	m.mu.Lock()
	m.keep(c, memoKey(ctx), shared(a))
	m.mu.Unlock()
}
