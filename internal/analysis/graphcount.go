package analysis

import (
	"math"
	"math/big"
	"math/bits"
	"math/rand/v2"

	"github.com/rapport-sim/rapport/internal/engine"
	"github.com/rapport-sim/rapport/internal/scenario"
)

// DefaultMaxDepth bounds the length of a path, in choices, when a scenario's
// graph has cycles (a customer who can be asked the same thing twice): paths
// are counted and sampled up to this many choices and longer ones are
// reported as cut at the bound.
const DefaultMaxDepth = 50

// weightCap bounds the weight of one walk-out so a sum of weights cannot
// overflow; min keeps it an int where int is 32 bits.
const weightCap = min(1<<40, math.MaxInt)

// edge is one choice in the graph: to a node (node >= 0) or an ending.
type edge struct {
	choice int
	node   int
	ending string
}

// graph is a scenario's nodes reachable from the start, indexed, with the
// path counts the analyses need. Conditions and patience are ignored here:
// they depend on the conversation, which the engine plays.
type graph struct {
	sc    *scenario.Scenario
	nodes []*scenario.Node
	// index numbers the nodes by the node itself, as sc.Node finds it by
	// id: hashing a pointer costs less than hashing the id again.
	index map[*scenario.Node]int
	edges [][]edge
	start int
	// cyclic is set when some reachable node can be reached again.
	cyclic bool
	// bound is the depth bound used for counting: the longest path when
	// the graph is acyclic, the caller's bound otherwise.
	bound int
	// longest is the longest path in choices (acyclic graphs only).
	longest int

	// total counts the paths from the start to any ending; perEnding by
	// ending id; cut counts paths still going at the bound (cyclic only).
	total     *big.Int
	perEnding map[string]*big.Int
	cut       *big.Int

	// Completions from a node, for uniform sampling. Acyclic: toEnd[i]
	// counts the paths from node i to any ending. Cyclic: toEndAt[r][i]
	// counts those with at most r choices.
	toEnd   []*big.Int
	toEndAt [][]*big.Int
	// narrow is set when every count fits in 64 bits, as in all but huge
	// graphs: the completions are then toEnd64 and toEndAt64, and the
	// big ones are not made (a big.Int per node and depth was most of the
	// cost of building the graph of a 5,000-node scenario).
	narrow    bool
	toEnd64   []uint64
	toEndAt64 [][]uint64
}

// newGraph indexes the reachable part of a valid scenario and counts its
// paths: by one pass in topological order when the graph is acyclic (exact,
// whatever the depth), or by dynamic programming over (node, depth) up to
// maxDepth choices when it has cycles. Neither enumerates paths.
func newGraph(sc *scenario.Scenario, maxDepth int) *graph {
	return buildGraph(sc, maxDepth, true)
}

// buildGraph is newGraph, counting in 64 bits when every count fits if
// narrow is set (TestNarrowCountsMatchBig holds the two to each other).
func buildGraph(sc *scenario.Scenario, maxDepth int, narrow bool) *graph {
	if maxDepth <= 0 {
		maxDepth = DefaultMaxDepth
	}
	g := &graph{sc: sc, index: make(map[*scenario.Node]int, len(sc.Nodes)), perEnding: map[string]*big.Int{}, total: new(big.Int), cut: new(big.Int)}
	start, ok := sc.Node(sc.Start)
	if !ok {
		return g
	}
	g.nodes = make([]*scenario.Node, 0, len(sc.Nodes))
	add := func(n *scenario.Node) int {
		if i, ok := g.index[n]; ok {
			return i
		}
		g.index[n] = len(g.nodes)
		g.nodes = append(g.nodes, n)
		return len(g.nodes) - 1
	}
	g.start = add(start)
	// The nodes are visited in the order they are found, breadth first;
	// every node's edges go in one array, cut up once it is whole.
	choices := 0
	for _, n := range sc.Nodes {
		choices += len(n.Choices)
	}
	all := make([]edge, 0, choices)
	ends := make([]int, 0, len(sc.Nodes))
	for k := 0; k < len(g.nodes); k++ {
		for _, c := range g.nodes[k].Choices {
			if next, ok := sc.Node(c.Next); ok {
				all = append(all, edge{choice: c.Number, node: add(next)})
			} else if _, ok := sc.Ending(c.Next); ok {
				all = append(all, edge{choice: c.Number, node: -1, ending: c.Next})
			}
		}
		ends = append(ends, len(all))
	}
	g.edges = make([][]edge, len(g.nodes))
	from := 0
	for k, end := range ends {
		if end > from {
			g.edges[k] = all[from:end:end]
		}
		from = end
	}
	order, cyclic := g.topo()
	g.cyclic = cyclic
	if cyclic {
		g.bound = maxDepth
		if !narrow || !g.countBounded64() {
			g.countBounded()
		}
	} else if !narrow || !g.countAcyclic64(order) {
		g.countAcyclic(order)
	}
	return g
}

// topo returns the nodes in topological order, or reports a cycle.
func (g *graph) topo() ([]int, bool) {
	const (
		unseen = iota
		active
		finished
	)
	state := make([]int, len(g.nodes))
	order := make([]int, 0, len(g.nodes))
	type frame struct{ node, next int }
	stack := []frame{{g.start, 0}}
	state[g.start] = active
	for len(stack) > 0 {
		f := &stack[len(stack)-1]
		if f.next < len(g.edges[f.node]) {
			e := g.edges[f.node][f.next]
			f.next++
			if e.node < 0 {
				continue
			}
			switch state[e.node] {
			case active:
				return nil, true
			case unseen:
				state[e.node] = active
				stack = append(stack, frame{e.node, 0})
			}
			continue
		}
		state[f.node] = finished
		order = append(order, f.node)
		stack = stack[:len(stack)-1]
	}
	// order is a post-order: reverse it for a topological order.
	for i, j := 0, len(order)-1; i < j; i, j = i+1, j-1 {
		order[i], order[j] = order[j], order[i]
	}
	return order, false
}

func (g *graph) endingCount(id string) *big.Int {
	c, ok := g.perEnding[id]
	if !ok {
		c = new(big.Int)
		g.perEnding[id] = c
	}
	return c
}

func (g *graph) countAcyclic(order []int) {
	from := make([]*big.Int, len(g.nodes))
	depth := make([]int, len(g.nodes))
	for i := range from {
		from[i] = new(big.Int)
	}
	from[g.start].SetInt64(1)
	for _, i := range order {
		for _, e := range g.edges[i] {
			if e.node < 0 {
				g.endingCount(e.ending).Add(g.endingCount(e.ending), from[i])
				g.total.Add(g.total, from[i])
				g.longest = max(g.longest, depth[i]+1)
				continue
			}
			from[e.node].Add(from[e.node], from[i])
			depth[e.node] = max(depth[e.node], depth[i]+1)
		}
	}
	g.bound = g.longest
	g.toEnd = make([]*big.Int, len(g.nodes))
	for k := len(order) - 1; k >= 0; k-- {
		i := order[k]
		n := new(big.Int)
		for _, e := range g.edges[i] {
			if e.node < 0 {
				n.Add(n, big.NewInt(1))
			} else {
				n.Add(n, g.toEnd[e.node])
			}
		}
		g.toEnd[i] = n
	}
}

// countAcyclic64 is countAcyclic in 64-bit counts. It sets nothing and
// returns false when a count would not fit.
func (g *graph) countAcyclic64(order []int) bool {
	from := make([]uint64, len(g.nodes))
	depth := make([]int, len(g.nodes))
	from[g.start] = 1
	var total uint64
	per := map[string]uint64{}
	longest := 0
	for _, i := range order {
		for _, e := range g.edges[i] {
			var c1, c2 uint64
			if e.node < 0 {
				per[e.ending], c1 = bits.Add64(per[e.ending], from[i], 0)
				total, c2 = bits.Add64(total, from[i], 0)
				longest = max(longest, depth[i]+1)
			} else {
				from[e.node], c1 = bits.Add64(from[e.node], from[i], 0)
				depth[e.node] = max(depth[e.node], depth[i]+1)
			}
			if c1|c2 != 0 {
				return false
			}
		}
	}
	toEnd := make([]uint64, len(g.nodes))
	for k := len(order) - 1; k >= 0; k-- {
		i := order[k]
		n, carry := completions64(g.edges[i], toEnd)
		if carry {
			return false
		}
		toEnd[i] = n
	}
	g.longest, g.bound = longest, longest
	g.total.SetUint64(total)
	for id, n := range per {
		g.endingCount(id).SetUint64(n)
	}
	g.narrow, g.toEnd64 = true, toEnd
	return true
}

// completions64 sums the completions through edges: one for an ending,
// next[node] for a node; carry reports an overflow.
func completions64(edges []edge, next []uint64) (n uint64, carry bool) {
	for _, e := range edges {
		w := uint64(1)
		if e.node >= 0 {
			w = next[e.node]
		}
		var c uint64
		if n, c = bits.Add64(n, w, 0); c != 0 {
			return 0, true
		}
	}
	return n, false
}

// countBounded64 is countBounded in 64-bit counts. It sets nothing and
// returns false when a count would not fit.
func (g *graph) countBounded64() bool {
	cur := make([]uint64, len(g.nodes))
	next := make([]uint64, len(g.nodes))
	cur[g.start] = 1
	var total uint64
	per := map[string]uint64{}
	for d := 0; d < g.bound; d++ {
		clear(next)
		for i, c := range cur {
			if c == 0 {
				continue
			}
			for _, e := range g.edges[i] {
				var c1, c2 uint64
				if e.node < 0 {
					per[e.ending], c1 = bits.Add64(per[e.ending], c, 0)
					total, c2 = bits.Add64(total, c, 0)
				} else {
					next[e.node], c1 = bits.Add64(next[e.node], c, 0)
				}
				if c1|c2 != 0 {
					return false
				}
			}
		}
		cur, next = next, cur
	}
	var cut uint64
	for _, c := range cur {
		var carry uint64
		if cut, carry = bits.Add64(cut, c, 0); carry != 0 {
			return false
		}
	}
	toEndAt := make([][]uint64, g.bound+1)
	toEndAt[0] = make([]uint64, len(g.nodes))
	for r := 1; r <= g.bound; r++ {
		row := make([]uint64, len(g.nodes))
		for i := range g.nodes {
			n, carry := completions64(g.edges[i], toEndAt[r-1])
			if carry {
				return false
			}
			row[i] = n
		}
		toEndAt[r] = row
	}
	g.total.SetUint64(total)
	g.cut.SetUint64(cut)
	for id, n := range per {
		g.endingCount(id).SetUint64(n)
	}
	g.narrow, g.toEndAt64 = true, toEndAt
	return true
}

func (g *graph) countBounded() {
	zero := new(big.Int)
	cur := make([]*big.Int, len(g.nodes))
	cur[g.start] = big.NewInt(1)
	for d := 0; d < g.bound; d++ {
		next := make([]*big.Int, len(g.nodes))
		for i, c := range cur {
			if c == nil || c.Sign() == 0 {
				continue
			}
			for _, e := range g.edges[i] {
				if e.node < 0 {
					g.endingCount(e.ending).Add(g.endingCount(e.ending), c)
					g.total.Add(g.total, c)
					continue
				}
				if next[e.node] == nil {
					next[e.node] = new(big.Int)
				}
				next[e.node].Add(next[e.node], c)
			}
		}
		cur = next
	}
	for _, c := range cur {
		if c != nil {
			g.cut.Add(g.cut, c)
		}
	}
	g.toEndAt = make([][]*big.Int, g.bound+1)
	g.toEndAt[0] = make([]*big.Int, len(g.nodes))
	for i := range g.toEndAt[0] {
		g.toEndAt[0][i] = zero
	}
	for r := 1; r <= g.bound; r++ {
		row := make([]*big.Int, len(g.nodes))
		for i := range g.nodes {
			n := new(big.Int)
			for _, e := range g.edges[i] {
				if e.node < 0 {
					n.Add(n, big.NewInt(1))
				} else {
					n.Add(n, g.toEndAt[r-1][e.node])
				}
			}
			row[i] = n
		}
		g.toEndAt[r] = row
	}
}

// completions counts the paths to an ending from node i with depth choices
// already taken.
func (g *graph) completions(i, depth int) *big.Int {
	if g.narrow {
		return new(big.Int).SetUint64(g.completions64(i, depth))
	}
	if !g.cyclic {
		return g.toEnd[i]
	}
	r := g.bound - depth
	if r < 0 {
		return new(big.Int)
	}
	return g.toEndAt[r][i]
}

// pick draws one of node i's edges with probability proportional to the
// number of complete paths through it, so a walk of picks from the start
// is a uniformly drawn path. ok is false when no path completes from here.
func (g *graph) pick(rng *rand.Rand, i, depth int) (edge, bool) {
	if g.narrow {
		return g.pick64(rng, i, depth)
	}
	total := g.completions(i, depth)
	if total.Sign() == 0 {
		return edge{}, false
	}
	es := g.edges[i]
	weights := make([]*big.Int, len(es))
	for k, e := range es {
		if e.node < 0 {
			weights[k] = big.NewInt(1)
		} else {
			weights[k] = g.completions(e.node, depth+1)
		}
	}
	// Draw an integer uniformly in [0, total) by scaling a 64-bit draw:
	// exact for totals below 2^64, and within 2^-64 otherwise.
	x := new(big.Int).Mul(total, new(big.Int).SetUint64(rng.Uint64()))
	x.Rsh(x, 64)
	for k, w := range weights {
		if x.Cmp(w) < 0 {
			return es[k], true
		}
		x.Sub(x, w)
	}
	return es[len(es)-1], true
}

// weight is how many graph paths a finished conversation stands for: one,
// or when the customer walked out, every graph path through the choice
// that used up their patience.
func (g *graph) weight(st engine.State) int {
	if !st.WalkedOut || len(st.Steps) == 0 {
		return 1
	}
	n, ok := g.sc.Node(st.Node)
	if !ok {
		return 1
	}
	i, ok := g.index[n]
	if !ok {
		return 1
	}
	last := st.Steps[len(st.Steps)-1].Choice
	for _, e := range g.edges[i] {
		if e.choice != last {
			continue
		}
		if e.node < 0 {
			return 1
		}
		c := g.completions(e.node, len(st.Steps))
		if !c.IsInt64() || c.Int64() > weightCap {
			return weightCap
		}
		return int(max(1, c.Int64()))
	}
	return 1
}

// completions64 is completions when the counts are narrow.
func (g *graph) completions64(i, depth int) uint64 {
	if !g.cyclic {
		return g.toEnd64[i]
	}
	r := g.bound - depth
	if r < 0 {
		return 0
	}
	return g.toEndAt64[r][i]
}

// pick64 is pick when the counts are narrow: the same draw, the top 64
// bits of the total times a 64-bit draw, without a big.Int.
func (g *graph) pick64(rng *rand.Rand, i, depth int) (edge, bool) {
	total := g.completions64(i, depth)
	if total == 0 {
		return edge{}, false
	}
	x, _ := bits.Mul64(total, rng.Uint64())
	es := g.edges[i]
	for k, e := range es {
		w := uint64(1)
		if e.node >= 0 {
			w = g.completions64(e.node, depth+1)
		}
		if x < w {
			return es[k], true
		}
		x -= w
	}
	return es[len(es)-1], true
}
