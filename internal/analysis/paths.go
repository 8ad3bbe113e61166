package analysis

import (
	"cmp"
	"fmt"
	"math/big"
	"math/rand/v2"
	"slices"

	"github.com/rapport-sim/rapport/internal/engine"
	"github.com/rapport-sim/rapport/internal/scenario"
	"github.com/rapport-sim/rapport/internal/scoring"
)

// Defaults of PathOptions.
const (
	// DefaultExact: a scenario with at most this many paths has every path
	// played and scored, so its figures are exact.
	DefaultExact = 2000
	// DefaultSamples: otherwise this many paths are drawn uniformly.
	DefaultSamples = 500
	// DefaultBeam is the width of the best/worst beam search.
	DefaultBeam = 12
)

// PathOptions tune the path analysis. The zero value uses the defaults; Rand
// is needed only when the scenario has too many paths to play them all.
type PathOptions struct {
	MaxDepth int
	Exact    int
	Samples  int
	Beam     int
	Rand     *rand.Rand
}

func (o PathOptions) withDefaults() PathOptions {
	if o.MaxDepth <= 0 {
		o.MaxDepth = DefaultMaxDepth
	}
	if o.Exact <= 0 {
		o.Exact = DefaultExact
	}
	if o.Samples <= 0 {
		o.Samples = DefaultSamples
	}
	if o.Beam <= 0 {
		o.Beam = DefaultBeam
	}
	return o
}

// Path is one playthrough, scored.
type Path struct {
	// Choices are the authored choice numbers taken, one per turn.
	Choices []int `json:"choices"`
	// Score is the overall score, 0–100.
	Score int    `json:"score"`
	Band  string `json:"band"`
	// Scores holds the assessed scores by scenario.TestScores key.
	Scores    map[string]int `json:"scores"`
	Ending    string         `json:"ending"`
	Outcome   string         `json:"outcome"`
	WalkedOut bool           `json:"walked_out,omitempty"`
	// Steps says, for the best and worst paths of a report, where each
	// choice was taken and how its line starts.
	Steps []PathStep `json:"steps,omitempty"`
}

// PathStep is one decision of a path in words: the node, the choice (its
// number and id) and the start of its line.
type PathStep struct {
	Node   string `json:"node"`
	Choice int    `json:"choice"`
	ID     string `json:"id"`
	Say    string `json:"say"`
}

// describe fills a path's Steps by playing it.
func describe(sc *scenario.Scenario, p Path) Path {
	e, err := engine.New(sc, playOptions(sc))
	if err != nil {
		return p
	}
	p.Steps = nil
	for _, c := range p.Choices {
		n := e.Node()
		if n == nil {
			break
		}
		ps := PathStep{Node: n.ID, Choice: c}
		for _, ch := range n.Choices {
			if ch.Number == c {
				ps.ID, ps.Say = ch.ID, shorten(e.Fill(ch.Say), 50)
			}
		}
		p.Steps = append(p.Steps, ps)
		if e.Choose(step(c)) != nil {
			break
		}
	}
	return p
}

// pathOf scores a played conversation, reading its lines through m (nil:
// read afresh). Only the scores are computed, not the report with its
// explanations: they are all a path holds.
func pathOf(sc *scenario.Scenario, m *scoring.Memo, st engine.State) Path {
	return pathWith(stepsOf(st), st, m.Totals(sc, st))
}

// pathWith is the path of a played conversation, the choices taken in it,
// with its scores.
func pathWith(choices []int, st engine.State, t scoring.Totals) Path {
	p := Path{
		Choices: choices, Score: t.Overall, Band: string(t.Band), Scores: map[string]int{},
		Ending: st.Ending, Outcome: string(st.Outcome), WalkedOut: st.WalkedOut,
	}
	for _, k := range scenario.TestScores {
		if v, ok := scoreIn(t.Opening, t.Empathy, t.Difficult, t.Overall, k); ok {
			p.Scores[k] = v
		}
	}
	return p
}

// Distribution summarises the overall scores over the graph's paths, each
// played on the engine: a path on which the customer walks out early is
// scored as played, and counts once for every graph path it cuts short.
// Quartiles are by the nearest-rank method.
type Distribution struct {
	// Played is how many graph paths the figures stand for; Exact says they
	// are all the playable paths (otherwise they were drawn uniformly).
	Played int  `json:"played"`
	Exact  bool `json:"exact"`
	Min    int  `json:"min"`
	Q1     int  `json:"q1"`
	Median int  `json:"median"`
	Q3     int  `json:"q3"`
	Max    int  `json:"max"`
}

func distribution(scores []int, weights []int, exact bool) Distribution {
	d := Distribution{Exact: exact}
	if len(scores) == 0 {
		return d
	}
	type sw struct{ s, w int }
	all := make([]sw, len(scores))
	for i, s := range scores {
		w := 1
		if weights != nil {
			w = weights[i]
		}
		all[i] = sw{s, w}
		d.Played += w
	}
	slices.SortFunc(all, func(a, b sw) int { return cmp.Compare(a.s, b.s) })
	rank := func(p float64) int {
		need := int(p*float64(d.Played) + 0.999999999) // nearest rank, 1-based
		acc := 0
		for _, x := range all {
			acc += x.w
			if acc >= max(1, need) {
				return x.s
			}
		}
		return all[len(all)-1].s
	}
	d.Min, d.Q1, d.Median, d.Q3, d.Max = all[0].s, rank(0.25), rank(0.5), rank(0.75), all[len(all)-1].s
	return d
}

// EndingStat is how many paths reach one ending.
type EndingStat struct {
	ID      string `json:"id"`
	Outcome string `json:"outcome"`
	// Paths counts the graph's paths that lead to the ending (conditions and
	// walk-outs not applied, which only the engine can know).
	Paths *big.Int `json:"paths"`
	// Played counts the graph paths that end here when played (all of them,
	// or the sampled ones), walk-outs included; Share is Played over all
	// played paths.
	Played int     `json:"played"`
	Share  float64 `json:"share"`
}

// PathReport is the path analysis of one scenario.
type PathReport struct {
	Scenario string `json:"scenario"`
	// Paths counts the choice sequences through the graph from the start to
	// an ending (with at most DepthBound choices when Cyclic).
	Paths *big.Int `json:"paths"`
	// Cyclic: the graph has cycles, so paths were counted, sampled and
	// searched up to DepthBound choices; CutAtBound counts the paths still
	// going there.
	Cyclic     bool     `json:"cyclic"`
	DepthBound int      `json:"depth_bound"`
	CutAtBound *big.Int `json:"cut_at_bound"`
	// Longest is the longest path in choices (acyclic graphs).
	Longest int `json:"longest,omitempty"`
	// Method says how the best and worst paths were found: "exact" (every
	// path played) or "beam" (beam search over engine states, widened by the
	// samples).
	Method string `json:"method"`
	Beam   int    `json:"beam,omitempty"`
	Best   Path   `json:"best"`
	Worst  Path   `json:"worst"`

	// Strategies are what answering without listening scores: always the
	// longest line, the shortest, the first, the last.
	Strategies []StrategyScore `json:"strategies"`
	// Giveaways count how the best path's choices stand out from the
	// others offered with them.
	Giveaways *Giveaways `json:"giveaways,omitempty"`

	Distribution Distribution `json:"distribution"`
	Endings      []EndingStat `json:"endings"`
	// Stuck lists paths that reached a node where no choice was offered.
	Stuck []Path `json:"stuck,omitempty"`
	// Rejected counts sampled graph paths the engine would not play (a
	// choice hidden by its condition); they are drawn again.
	Rejected int `json:"rejected,omitempty"`
}

// Paths analyses every path of a valid scenario: counts per ending by
// dynamic programming over the graph, the best and worst paths played on
// the engine and scored by scoring.Evaluate, and the distribution of
// overall scores — exact when there are at most opts.Exact paths, else
// estimated from opts.Samples paths drawn uniformly (which needs opts.Rand).
func Paths(sc *scenario.Scenario, opts PathOptions) (PathReport, error) {
	// The paths share most of their lines: each line is read once per
	// context it is said in, not once per path.
	memo := scoring.NewMemoFor(sc)
	opts = opts.withDefaults()
	g := newGraph(sc, opts.MaxDepth)
	rep := PathReport{Scenario: sc.ID, Paths: g.total, Cyclic: g.cyclic, DepthBound: g.bound, CutAtBound: g.cut, Longest: g.longest}
	if len(g.nodes) == 0 {
		return rep, fmt.Errorf("analyse paths of %q: start node %q not found", sc.ID, sc.Start)
	}
	var played []engine.State
	var sampled []Path
	var weights []int
	exact := g.total.IsInt64() && g.total.Int64() <= int64(opts.Exact)
	if exact {
		var stuck []engine.State
		played, stuck, exact = enumerate(sc, g.bound, opts.Exact)
		rep.Stuck = scorePaths(sc, memo, stuck)
		weights = make([]int, len(played))
		for i, st := range played {
			weights[i] = g.weight(st)
		}
	}
	// The beam searches need nothing from the samples, so they run beside
	// them; a crash in them is passed on as if they had run here.
	var best, worst Path
	var crash any
	searched := make(chan struct{})
	if !exact {
		if opts.Rand == nil {
			return rep, fmt.Errorf("analyse paths of %q: %s paths are too many to play; a seeded generator is needed to sample them", sc.ID, g.total)
		}
		// On one core, so that the sampling, which plays its draws in
		// turn, has the other to itself; the strategies need nothing from
		// the samples either.
		go func() {
			defer close(searched)
			defer func() { crash = recover() }()
			best, _ = beamWith(inOrder, sc, memo, opts.Beam, g.bound, +1)
			worst, _ = beamWith(inOrder, sc, memo, opts.Beam, g.bound, -1)
			rep.Strategies = strategies(sc, memo)
		}()
		root, done, stuck, rejected := sample(sc, g, opts.Samples, opts.Rand)
		rep.Rejected = rejected
		rep.Stuck = scorePaths(sc, memo, wholes(stuck))
		if root != nil {
			sampled = scoreTree(sc, memo, root, done)
		}
	}
	if !exact {
		weights = nil
	}
	paths := sampled
	if exact {
		paths = scorePaths(sc, memo, played)
	}
	scores := make([]int, len(paths))
	for i, p := range paths {
		scores[i] = p.Score
	}
	rep.Distribution = distribution(scores, weights, exact)
	if exact {
		rep.Method = "exact"
		rep.Best, rep.Worst = extremesOf(paths)
	} else {
		rep.Method, rep.Beam = "beam", opts.Beam
		<-searched
		if crash != nil {
			panic(crash)
		}
		rep.Best, rep.Worst = extremesOf(append(paths, best, worst))
	}
	rep.Endings = endingStats(sc, g, paths, weights)
	rep.Best, rep.Worst = describe(sc, rep.Best), describe(sc, rep.Worst)
	if gv, err := GiveawaysOf(sc, rep.Best.Choices); err == nil && rep.Best.Ending != "" {
		rep.Giveaways = &gv
	}
	if exact {
		rep.Strategies = strategies(sc, memo)
	}
	return rep, nil
}

// strategies plays and scores the fixed strategies.
func strategies(sc *scenario.Scenario, memo *scoring.Memo) []StrategyScore {
	var out []StrategyScore
	for _, s := range FixedStrategies {
		p, ok := playStrategy(sc, memo, s, nil)
		out = append(out, StrategyScore{Strategy: s, Path: p, Finished: ok})
	}
	return out
}

// extremesOf returns the highest and lowest scoring paths; ties go to the
// path with the smaller choice numbers, so results do not depend on order.
func extremesOf(paths []Path) (best, worst Path) {
	for i, p := range paths {
		if p.Choices == nil && p.Ending == "" {
			continue // an empty result from a search that found nothing
		}
		if i == 0 || better(p, best, +1) {
			best = p
		}
		if i == 0 || better(p, worst, -1) {
			worst = p
		}
	}
	return best, worst
}

func better(a, b Path, sign int) bool {
	if b.Choices == nil && b.Ending == "" {
		return true
	}
	if a.Score != b.Score {
		return sign*(a.Score-b.Score) > 0
	}
	// Scores clamp at 0 and 100, so ties are common at the extremes: the
	// better outcome is the better path (and the worse, the worse).
	if ra, rb := outcomeRank(a.Outcome), outcomeRank(b.Outcome); ra != rb {
		return sign*(ra-rb) > 0
	}
	return slices.Compare(a.Choices, b.Choices) < 0
}

// outcomeRank orders outcomes from worst to best for breaking ties.
func outcomeRank(outcome string) int {
	switch outcome {
	case "escalated":
		return 1
	case "kept", "follow-up":
		return 2
	case "resolved":
		return 3
	}
	return 0 // "lost", and any other
}

func scorePaths(sc *scenario.Scenario, m *scoring.Memo, states []engine.State) []Path {
	out := make([]Path, len(states))
	parallel(len(states), func(i int) { out[i] = pathOf(sc, m, states[i]) })
	return out
}

func endingStats(sc *scenario.Scenario, g *graph, paths []Path, weights []int) []EndingStat {
	played := map[string]int{}
	total := 0
	for i, p := range paths {
		w := 1
		if weights != nil {
			w = weights[i]
		}
		played[p.Ending] += w
		total += w
	}
	var out []EndingStat
	seen := map[string]bool{}
	for _, e := range sc.Endings {
		seen[e.ID] = true
		n := g.perEnding[e.ID]
		if n == nil {
			n = new(big.Int)
		}
		out = append(out, EndingStat{ID: e.ID, Outcome: string(e.Outcome), Paths: n, Played: played[e.ID]})
	}
	if !seen[engine.WalkoutID] && played[engine.WalkoutID] > 0 {
		out = append(out, EndingStat{ID: engine.WalkoutID, Outcome: string(scenario.Lost), Paths: new(big.Int), Played: played[engine.WalkoutID]})
	}
	for i := range out {
		if total > 0 {
			out[i].Share = float64(out[i].Played) / float64(total)
		}
	}
	return out
}

// enumerate plays every path depth-first on the engine, up to maxSteps
// choices, and returns the finished conversations in authored choice order
// and the states where no choice was offered. ok is false when there were
// more than limit paths, counting those cut at maxSteps: in a graph with
// cycles nearly every path may be cut, and not counting them let the walk
// run for hours.
func enumerate(sc *scenario.Scenario, maxSteps, limit int) (done, stuck []engine.State, ok bool) {
	opts := playOptions(sc)
	e, err := engine.New(sc, opts)
	if err != nil {
		return nil, nil, false
	}
	ok = true
	cut := 0
	var walk func(st engine.State)
	walk = func(st engine.State) {
		if !ok {
			return
		}
		if st.Done() {
			done = append(done, st)
			ok = len(done)+len(stuck) <= limit
			return
		}
		if len(st.Steps) >= maxSteps {
			cut++
			ok = len(done)+len(stuck)+cut <= limit
			return
		}
		cur, err := engine.Restore(sc, opts, st)
		if err != nil {
			return
		}
		offered := cur.Choices()
		if len(offered) == 0 {
			stuck = append(stuck, st)
			return
		}
		for k, c := range offered {
			next := cur // the last choice is played on cur: one transcript copy fewer
			if k < len(offered)-1 {
				if next, err = engine.Restore(sc, opts, st); err != nil {
					continue
				}
			}
			if next.Choose(step(c.Number)) != nil {
				continue
			}
			walk(next.State())
		}
	}
	walk(e.State())
	return done, stuck, ok
}

// sample draws n paths uniformly from the graph's paths (the choice at each
// node weighted by how many complete paths go through it) and plays each on
// the engine. A path the engine cuts short because the customer walked out
// is kept as played; one with a choice the engine does not offer is drawn
// again and counted as rejected. The paths are played as a tree of steps
// from root, so a start two draws share is played once; done and stuck
// are nodes of it, in the order drawn.
func sample(sc *scenario.Scenario, g *graph, n int, rng *rand.Rand) (root *playNode, done, stuck []*playNode, rejected int) {
	opts := playOptions(sc)
	root, err := playRoot(sc, opts)
	if err != nil {
		return nil, nil, nil, 0
	}
	for attempts := 0; len(done) < n && attempts < 20*n; attempts++ {
		cur, node, ok := root, g.start, true
		for depth := 0; ok && !cur.st.Done() && depth < g.bound; depth++ {
			if cur.stuck() {
				stuck = append(stuck, cur)
				ok = false
				break
			}
			ed, can := g.pick(rng, node, depth)
			if !can {
				ok = false
				break
			}
			if cur = cur.play(sc, opts, ed.choice); cur == nil {
				ok = false
				break
			}
			node = ed.node
		}
		switch {
		case !ok:
			rejected++
		case cur.st.Done():
			done = append(done, cur)
		}
	}
	return root, done, stuck, rejected
}

// beamSearch looks for the highest (sign +1) or lowest (sign -1) scoring
// finished conversation: from the start, every offered choice of every
// state in the beam is played and the partial conversation scored as
// scoring.Evaluate would score it; the width best (or worst) open states
// go on. Finished conversations are kept aside and the best of them
// returned. Each state carries its scoring.Tally, so scoring a choice
// reads that one line rather than the whole conversation again.
func beamSearch(sc *scenario.Scenario, m *scoring.Memo, width, maxSteps, sign int) (Path, bool) {
	return beamWith(parallel, sc, m, width, maxSteps, sign)
}

// beamWith is beamSearch playing each depth's states with run (parallel,
// or inOrder beside other work).
func beamWith(run func(n int, f func(i int)), sc *scenario.Scenario, m *scoring.Memo, width, maxSteps, sign int) (Path, bool) {
	opts := playOptions(sc)
	root, err := playRoot(sc, opts)
	if err != nil {
		return Path{}, false
	}
	// A candidate's path holds its choices and score; the rest of a Path
	// is made only for finished ones.
	type cand struct {
		n     *playNode
		tally scoring.Tally
		path  Path
	}
	frontier := []cand{{n: root, tally: continued(m.Tally(sc), root)}}
	var best Path
	found := false
	for depth := 0; depth < maxSteps && len(frontier) > 0; depth++ {
		// The children of one state are played and scored together: they
		// answer the same customer line with the same choices on offer,
		// which the first of them reads and the others find in the memo.
		children := make([][]cand, len(frontier))
		run(len(frontier), func(i int) {
			f := frontier[i]
			children[i] = make([]cand, 0, len(f.n.offered))
			for _, c := range f.n.offered {
				n := f.n.step(sc, opts, c.Number)
				if n == nil {
					continue
				}
				t := continued(f.tally, n)
				choices := append(f.path.Choices[:len(f.path.Choices):len(f.path.Choices)], c.Number)
				tot := t.Totals()
				p := Path{Choices: choices, Score: tot.Overall}
				if n.st.Done() {
					p = pathWith(choices, n.st, tot)
				}
				children[i] = append(children[i], cand{n, t, p})
			}
		})
		all := 0
		for _, cs := range children {
			all += len(cs)
		}
		// The open candidates are sorted by pointer: a candidate carries
		// its tally, and moving hundreds of bytes a swap was a tenth of
		// the search.
		open := make([]*cand, 0, all)
		for _, cs := range children {
			for k := range cs {
				c := &cs[k]
				if c.n.st.Done() {
					if !found || better(c.path, best, sign) {
						best, found = c.path, true
					}
					continue
				}
				open = append(open, c)
			}
		}
		slices.SortStableFunc(open, func(a, b *cand) int {
			if a.path.Score != b.path.Score {
				return sign * cmp.Compare(b.path.Score, a.path.Score)
			}
			return slices.Compare(a.path.Choices, b.path.Choices)
		})
		frontier = make([]cand, min(width, len(open)))
		for k := range frontier {
			frontier[k] = *open[k]
		}
	}
	return best, found
}
