package analysis

import (
	"fmt"
	"math/big"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/rapport-sim/rapport/internal/scenario"
)

// bruteCount walks every graph path (up to maxDepth choices) one by one:
// the reference the dynamic programming must agree with.
func bruteCount(sc *scenario.Scenario, maxDepth int) (map[string]int, int) {
	per := map[string]int{}
	cut := 0
	var walk func(id string, depth int)
	walk = func(id string, depth int) {
		if _, ok := sc.Ending(id); ok {
			per[id]++
			return
		}
		if depth == maxDepth {
			cut++
			return
		}
		n, _ := sc.Node(id)
		for _, c := range n.Choices {
			walk(c.Next, depth+1)
		}
	}
	walk(sc.Start, 0)
	return per, cut
}

func TestGraphCountsMatchBruteForce(t *testing.T) {
	tests := map[string]int{"kettle.toml": 50, "loop.toml": 9, "endless.toml": 7, "tests.toml": 50}
	for name, depth := range tests {
		t.Run(name, func(t *testing.T) {
			sc := load(t, name)
			g := newGraph(sc, depth)
			per, cut := bruteCount(sc, g.bound)
			total := 0
			for id, n := range per {
				total += n
				if got := g.perEnding[id]; got == nil || got.Int64() != int64(n) {
					t.Errorf("ending %s: %v paths, want %d", id, got, n)
				}
			}
			if g.total.Int64() != int64(total) || g.cut.Int64() != int64(cut) {
				t.Errorf("total %s cut %s, want %d and %d", g.total, g.cut, total, cut)
			}
			if c := g.completions(g.start, 0); c.Cmp(g.total) != 0 {
				t.Errorf("completions from the start %s, want the total %s", c, g.total)
			}
		})
	}
	for _, sc := range shipped(t) {
		g := newGraph(sc, DefaultMaxDepth)
		per, _ := bruteCount(sc, DefaultMaxDepth)
		for _, e := range sc.Endings {
			want := big.NewInt(int64(per[e.ID]))
			if got := g.perEnding[e.ID]; (got == nil && per[e.ID] > 0) || (got != nil && got.Cmp(want) != 0) {
				t.Errorf("%s ending %s: %v, want %s", sc.ID, e.ID, got, want)
			}
		}
	}
}

// Sampling by path counts draws every path equally often: on the cyclic
// fixture, where the branching differs from node to node, each of the 46
// paths of at most 5 choices is drawn close to 1/46 of the time.
func TestSamplingIsUniform(t *testing.T) {
	sc := load(t, "loop.toml")
	g := newGraph(sc, 5)
	n := int(g.total.Int64())
	rng := rand.New(rand.NewPCG(11, 12))
	counts := map[string]int{}
	const draws = 46000
	for range draws {
		node, depth := g.start, 0
		var path []int
		for node >= 0 {
			e, ok := g.pick(rng, node, depth)
			if !ok {
				t.Fatalf("no completion from node %d at depth %d", node, depth)
			}
			path = append(path, e.choice)
			node, depth = e.node, depth+1
		}
		counts[fmt.Sprint(path)]++
	}
	if len(counts) != n {
		t.Fatalf("drew %d distinct paths, want all %d", len(counts), n)
	}
	want := float64(draws) / float64(n)
	for p, c := range counts {
		if float64(c) < 0.8*want || float64(c) > 1.2*want {
			t.Errorf("path %s drawn %d times, want about %.0f", p, c, want)
		}
	}
}

func TestPathsExact(t *testing.T) {
	sc := load(t, "kettle.toml")
	rep, err := Paths(sc, PathOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Method != "exact" || !rep.Distribution.Exact || rep.Paths.Int64() != 15 || rep.Cyclic {
		t.Fatalf("report %+v", rep)
	}
	if !slices.Equal(rep.Best.Choices, []int{1, 1, 1}) || rep.Best.Ending != "resolved" || rep.Best.Score < MinBest {
		t.Errorf("best %+v", rep.Best)
	}
	if rep.Worst.Outcome != "lost" || rep.Best.Score-rep.Worst.Score < MinGap {
		t.Errorf("worst %+v", rep.Worst)
	}
	d := rep.Distribution
	if !(d.Min <= d.Q1 && d.Q1 <= d.Median && d.Median <= d.Q3 && d.Q3 <= d.Max) || d.Min != rep.Worst.Score || d.Max != rep.Best.Score {
		t.Errorf("distribution %+v", d)
	}
	played := 0
	for _, e := range rep.Endings {
		played += e.Played
	}
	if played != d.Played {
		t.Errorf("endings count %d played paths, distribution %d", played, d.Played)
	}
}

// On a scenario too big to play whole, the sampled figures and the beam
// search must bracket what exhaustive play finds: the beam's best is at
// least as good as every sampled path, and the exact best is no better
// than a few points above it.
func TestPathsSampledAgainstExact(t *testing.T) {
	sc := shipped(t)[0]
	exact, err := Paths(sc, PathOptions{Exact: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	est, err := Paths(sc, PathOptions{Exact: 10, Samples: 300, Rand: rand.New(rand.NewPCG(5, 6))})
	if err != nil {
		t.Fatal(err)
	}
	if est.Method != "beam" || est.Distribution.Exact || est.Distribution.Played != 300 {
		t.Fatalf("estimate %+v", est.Distribution)
	}
	if est.Best.Score > exact.Best.Score || est.Worst.Score < exact.Worst.Score {
		t.Errorf("beam best %d / worst %d outside the exact %d / %d", est.Best.Score, est.Worst.Score, exact.Best.Score, exact.Worst.Score)
	}
	if exact.Best.Score-est.Best.Score > 3 || est.Worst.Score-exact.Worst.Score > 3 {
		t.Errorf("beam best %d / worst %d, exact %d / %d: the search should come within 3 points", est.Best.Score, est.Worst.Score, exact.Best.Score, exact.Worst.Score)
	}
	if d := est.Distribution.Median - exact.Distribution.Median; d < -6 || d > 6 {
		t.Errorf("sampled median %d, exact %d", est.Distribution.Median, exact.Distribution.Median)
	}
	if _, err := Paths(sc, PathOptions{Exact: 10}); err == nil {
		t.Error("sampling without a generator must fail, not guess")
	}
}

func TestPathsCyclic(t *testing.T) {
	sc := load(t, "loop.toml")
	rep, err := Paths(sc, PathOptions{MaxDepth: 6, Rand: rand.New(rand.NewPCG(1, 1))})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Cyclic || rep.DepthBound != 6 || rep.CutAtBound.Sign() <= 0 {
		t.Errorf("cyclic report %+v", rep)
	}
	for _, p := range []Path{rep.Best, rep.Worst} {
		if len(p.Choices) > 6 || p.Ending != "done" {
			t.Errorf("path %+v", p)
		}
	}
}

func TestDistributionQuartiles(t *testing.T) {
	d := distribution([]int{7, 1, 3, 5, 9, 2, 8, 4, 6, 10}, nil, true)
	if d != (Distribution{Played: 10, Exact: true, Min: 1, Q1: 3, Median: 5, Q3: 8, Max: 10}) {
		t.Errorf("%+v", d)
	}
	if d := distribution(nil, nil, false); d.Played != 0 {
		t.Errorf("%+v", d)
	}
	// A path that stands for 8 graph paths moves the quartiles.
	d = distribution([]int{10, 50, 90}, []int{1, 8, 1}, true)
	if d != (Distribution{Played: 10, Exact: true, Min: 10, Q1: 50, Median: 50, Q3: 50, Max: 90}) {
		t.Errorf("weighted %+v", d)
	}
}

// TestNarrowCountsMatchBig: counted in 64 bits, every count and every
// sampled path is what counting in big integers gives, on the scenarios
// the searches are tested on and the 5,000-node generated one; a graph
// whose counts pass 2^64 is counted in big integers.
func TestNarrowCountsMatchBig(t *testing.T) {
	scs := append(searchScenarios(t), generate(5000, 500, 1))
	narrowed := 0
	for _, sc := range scs {
		for _, depth := range []int{5, DefaultMaxDepth} {
			nw, wide := buildGraph(sc, depth, true), buildGraph(sc, depth, false)
			if wide.narrow {
				t.Fatalf("%s: counted narrow when told not to", sc.ID)
			}
			if nw.narrow {
				narrowed++
			}
			sameGraphCounts(t, sc.ID, nw, wide)
		}
	}
	if narrowed == 0 {
		t.Fatal("no graph was counted in 64 bits")
	}
	// One node whose three choices lead back to it and one to an ending:
	// 3^49 paths of 50 choices do not fit in 64 bits.
	n := &scenario.Node{ID: "n", Say: []string{"Well?"}}
	for k := 1; k <= 4; k++ {
		next := "n"
		if k == 4 {
			next = "end"
		}
		n.Choices = append(n.Choices, &scenario.Choice{Number: k, Next: next, Say: fmt.Sprintf("Line %d.", k)})
	}
	sc := &scenario.Scenario{ID: "huge", Start: "n", Nodes: []*scenario.Node{n}, Endings: []*scenario.Ending{{ID: "end", Outcome: scenario.Resolved}}}
	sc.Index()
	g := buildGraph(sc, DefaultMaxDepth, true)
	if g.narrow || g.total.BitLen() <= 64 {
		t.Fatalf("a graph of %s paths was counted narrow (%v)", g.total, g.narrow)
	}
	sameGraphCounts(t, sc.ID, g, buildGraph(sc, DefaultMaxDepth, false))
	// Without cycles: 70 nodes in a row, each with two choices to the
	// next, make 2^70 paths.
	chain := &scenario.Scenario{ID: "chain", Start: "n0", Endings: []*scenario.Ending{{ID: "end", Outcome: scenario.Resolved}}}
	for k := range 70 {
		next := fmt.Sprintf("n%d", k+1)
		if k == 69 {
			next = "end"
		}
		chain.Nodes = append(chain.Nodes, &scenario.Node{ID: fmt.Sprintf("n%d", k), Say: []string{"Well?"}, Choices: []*scenario.Choice{
			{Number: 1, Next: next, Say: "Yes."}, {Number: 2, Next: next, Say: "No."}}})
	}
	chain.Index()
	g = buildGraph(chain, DefaultMaxDepth, true)
	if g.narrow || g.cyclic || g.total.BitLen() != 71 {
		t.Fatalf("a chain of %s paths was counted narrow (%v) or cyclic (%v)", g.total, g.narrow, g.cyclic)
	}
	sameGraphCounts(t, chain.ID, g, buildGraph(chain, DefaultMaxDepth, false))
}

func sameGraphCounts(t *testing.T, id string, a, b *graph) {
	t.Helper()
	if a.total.Cmp(b.total) != 0 || a.cut.Cmp(b.cut) != 0 || a.longest != b.longest || a.bound != b.bound || a.cyclic != b.cyclic {
		t.Fatalf("%s: total %s cut %s longest %d bound %d; in big integers %s, %s, %d, %d", id, a.total, a.cut, a.longest, a.bound, b.total, b.cut, b.longest, b.bound)
	}
	if len(a.perEnding) != len(b.perEnding) {
		t.Fatalf("%s: %d endings counted, in big integers %d", id, len(a.perEnding), len(b.perEnding))
	}
	for e, n := range b.perEnding {
		if a.perEnding[e] == nil || a.perEnding[e].Cmp(n) != 0 {
			t.Fatalf("%s: ending %s %v, in big integers %s", id, e, a.perEnding[e], n)
		}
	}
	for i := range a.nodes {
		for d := 0; d <= a.bound+1; d++ {
			if x, y := a.completions(i, d), b.completions(i, d); x.Cmp(y) != 0 {
				t.Fatalf("%s: %d completions from node %d at depth %d, in big integers %s", id, x, i, d, y)
			}
		}
	}
	ra, rb := rand.New(rand.NewPCG(3, 4)), rand.New(rand.NewPCG(3, 4))
	for range 50 {
		i := a.start
		for d := 0; d < a.bound; d++ {
			ea, oka := a.pick(ra, i, d)
			eb, okb := b.pick(rb, i, d)
			if ea != eb || oka != okb {
				t.Fatalf("%s: picked %+v (%v) at depth %d, in big integers %+v (%v)", id, ea, oka, d, eb, okb)
			}
			if !oka || ea.node < 0 {
				break
			}
			i = ea.node
		}
	}
}
