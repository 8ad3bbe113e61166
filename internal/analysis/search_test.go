package analysis

import (
	"cmp"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/rapport-sim/rapport/internal/engine"
	"github.com/rapport-sim/rapport/internal/scenario"
	"github.com/rapport-sim/rapport/internal/scoring"
)

// The searches score paths with scoring.Totals and carry a scoring.Tally
// along the beam instead of building a full report for every prefix. The
// references below are the searches as they were: every candidate scored
// from the start by scoring.Evaluate. The tests hold the two to the same
// paths, scores and choices.

// refPathOf scores a played conversation with the full report.
func refPathOf(sc *scenario.Scenario, st engine.State) Path {
	r := scoring.Evaluate(sc, st)
	p := Path{
		Choices: stepsOf(st), Score: r.Overall, Band: string(r.Band), Scores: map[string]int{},
		Ending: st.Ending, Outcome: string(st.Outcome), WalkedOut: st.WalkedOut,
	}
	for _, k := range scenario.TestScores {
		if v, ok := ScoreOf(r, k); ok {
			p.Scores[k] = v
		}
	}
	return p
}

// refBeamSearch is beamSearch re-scoring every candidate from the start.
func refBeamSearch(sc *scenario.Scenario, width, maxSteps, sign int) (Path, bool) {
	opts := playOptions(sc)
	e, err := engine.New(sc, opts)
	if err != nil {
		return Path{}, false
	}
	type cand struct {
		st   engine.State
		path Path
	}
	frontier := []engine.State{e.State()}
	var best Path
	found := false
	for depth := 0; depth < maxSteps && len(frontier) > 0; depth++ {
		var next []engine.State
		for _, st := range frontier {
			cur, err := engine.Restore(sc, opts, st)
			if err != nil {
				continue
			}
			for _, c := range cur.Choices() {
				n, err := engine.Restore(sc, opts, st)
				if err != nil || n.Choose(step(c.Number)) != nil {
					continue
				}
				next = append(next, n.State())
			}
		}
		var open []cand
		for _, st := range next {
			p := refPathOf(sc, st)
			if st.Done() {
				if !found || better(p, best, sign) {
					best, found = p, true
				}
				continue
			}
			open = append(open, cand{st, p})
		}
		slices.SortStableFunc(open, func(a, b cand) int {
			if a.path.Score != b.path.Score {
				return sign * cmp.Compare(b.path.Score, a.path.Score)
			}
			return slices.Compare(a.path.Choices, b.path.Choices)
		})
		frontier = frontier[:0]
		for _, c := range open[:min(width, len(open))] {
			frontier = append(frontier, c.st)
		}
	}
	return best, found
}

// searchScenarios are the shipped scenarios, the test fixtures that load
// and generated ones of 300 and 1,000 nodes.
func searchScenarios(t *testing.T) []*scenario.Scenario {
	t.Helper()
	scs := shipped(t)
	names, err := filepath.Glob(filepath.Join("testdata", "*.toml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if sc, ds := scenario.Parse(name, src); !ds.HasErrors() && sc != nil && !strings.HasPrefix(sc.ID, "drill") {
			scs = append(scs, sc)
		}
	}
	return append(scs, generate(300, 100, 3), generate(1000, 200, 4))
}

// TestSearchesMatchEvaluate: the beam searches (best and worst, several
// widths), the scores of enumerated or sampled paths, the fixed
// strategies and the per-choice scores of `check` are what scoring every
// path with the full report gives, on the shipped scenarios, the fixtures
// and generated scenarios.
func TestSearchesMatchEvaluate(t *testing.T) {
	for _, sc := range searchScenarios(t) {
		memo := scoring.NewMemo()
		g := newGraph(sc, DefaultMaxDepth)
		for _, width := range []int{1, DefaultBeam} {
			for _, sign := range []int{+1, -1} {
				got, gotOK := beamSearch(sc, memo, width, g.bound, sign)
				want, wantOK := refBeamSearch(sc, width, g.bound, sign)
				if gotOK != wantOK || !reflect.DeepEqual(got, want) {
					t.Fatalf("%s: beam width %d sign %+d found %+v (%v), the full report's search %+v (%v)", sc.ID, width, sign, got, gotOK, want, wantOK)
				}
			}
		}
		played, stuck, ok := enumerate(sc, g.bound, 300)
		if !ok {
			root, done, stuckAt, _ := sample(sc, g, 100, rand.New(rand.NewPCG(1, 2)))
			played, stuck = wholes(done), wholes(stuckAt)
			// Scored as a tree, each shared start once, the sampled paths
			// score as each does whole.
			for i, p := range scoreTree(sc, memo, root, done) {
				if want := refPathOf(sc, played[i]); !reflect.DeepEqual(p, want) {
					t.Fatalf("%s: sampled path %v scores %+v in the tree, the full report %+v", sc.ID, want.Choices, p, want)
				}
			}
		}
		for _, st := range append(played, stuck...) {
			if got, want := pathOf(sc, memo, st), refPathOf(sc, st); !reflect.DeepEqual(got, want) {
				t.Fatalf("%s: path %v scores %+v, the full report %+v", sc.ID, want.Choices, got, want)
			}
		}
		for _, s := range FixedStrategies {
			got, gotOK := playStrategy(sc, memo, s, nil)
			if want, wantOK := refStrategy(t, sc, s); gotOK != wantOK || !reflect.DeepEqual(got, want) {
				t.Fatalf("%s: strategy %s scores %+v, the full report %+v", sc.ID, s, got, want)
			}
		}
		first, _ := arrivals(sc)
		for _, n := range sc.Nodes[:min(len(sc.Nodes), 200)] {
			at, ok := first[n.ID]
			if !ok {
				continue
			}
			for _, c := range n.Choices {
				ex, st, ok := choiceExchange(sc, n, at, c)
				if !ok {
					continue
				}
				if got, want := ChoiceScore(sc, n, at, c), scoring.Evaluate(ex, st).Overall; got != want {
					t.Fatalf("%s: choice %d at %s scores %d, the full report %d", sc.ID, c.Number, n.ID, got, want)
				}
			}
		}
	}
}

// refStrategy plays a strategy as PlayStrategy does and scores the path
// with the full report.
func refStrategy(t *testing.T, sc *scenario.Scenario, s Strategy) (Path, bool) {
	t.Helper()
	p, ok := playStrategy(sc, nil, s, nil)
	st, err := replay(sc, p.Choices)
	if err != nil {
		t.Fatal(err)
	}
	return refPathOf(sc, st), ok
}

// replay plays choices from the start.
func replay(sc *scenario.Scenario, choices []int) (engine.State, error) {
	e, err := engine.New(sc, playOptions(sc))
	if err != nil {
		return engine.State{}, err
	}
	for _, c := range choices {
		if err := e.Choose(step(c)); err != nil {
			return engine.State{}, err
		}
	}
	return e.State(), nil
}

// TestBeamOnGeneratedMatchesEvaluate: on the 5,000-node generated
// scenario the benchmarks time, the beam with carried tallies finds the
// paths the search scoring every prefix with the full report finds.
func TestBeamOnGeneratedMatchesEvaluate(t *testing.T) {
	if testing.Short() {
		t.Skip("scores some 1,100 conversations with the full report")
	}
	sc := generate(5000, 500, 1)
	memo := scoring.NewMemo()
	g := newGraph(sc, DefaultMaxDepth)
	for _, sign := range []int{+1, -1} {
		got, _ := beamSearch(sc, memo, DefaultBeam, g.bound, sign)
		want, _ := refBeamSearch(sc, DefaultBeam, g.bound, sign)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("sign %+d: %+v, the full report's search %+v", sign, got, want)
		}
	}
}

// refSample is sample as it was: every path played from the start on its
// own engine.
func refSample(sc *scenario.Scenario, g *graph, n int, rng *rand.Rand) (done, stuck []engine.State, rejected int) {
	opts := playOptions(sc)
	for attempts := 0; len(done) < n && attempts < 20*n; attempts++ {
		e, err := engine.New(sc, opts)
		if err != nil {
			return done, stuck, rejected
		}
		node, ok := g.start, true
		for depth := 0; ok && !e.Done() && depth < g.bound; depth++ {
			if len(e.Choices()) == 0 {
				stuck = append(stuck, e.State())
				ok = false
				break
			}
			ed, can := g.pick(rng, node, depth)
			if !can || e.Choose(step(ed.choice)) != nil {
				ok = false
				break
			}
			node = ed.node
		}
		switch {
		case !ok:
			rejected++
		case e.Done():
			done = append(done, e.State())
		}
	}
	return done, stuck, rejected
}

// TestSampleTreePlaysAsTheEngine: paths sampled as a tree of steps, each
// step played on an engine restored without the transcript, are the
// conversations the engine plays from the start, drawn in the same order
// with the same rejections and stuck paths, on every scenario the searches
// are tested on (conditions, walk-outs and cycles among them) and the
// 5,000-node generated one.
func TestSampleTreePlaysAsTheEngine(t *testing.T) {
	scs := append(searchScenarios(t), generate(5000, 500, 1))
	for k, sc := range scs {
		g := newGraph(sc, DefaultMaxDepth)
		ns := []int{1, 60}
		if k == len(scs)-1 {
			ns = []int{DefaultSamples}
		}
		for _, n := range ns {
			_, done, stuck, rejected := sample(sc, g, n, rand.New(rand.NewPCG(5, uint64(n))))
			wantDone, wantStuck, wantRejected := refSample(sc, g, n, rand.New(rand.NewPCG(5, uint64(n))))
			if rejected != wantRejected || len(done) != len(wantDone) || len(stuck) != len(wantStuck) {
				t.Fatalf("%s n=%d: %d done, %d stuck, %d rejected; from the start %d, %d, %d", sc.ID, n,
					len(done), len(stuck), rejected, len(wantDone), len(wantStuck), wantRejected)
			}
			if got := wholes(done); !sameStates(got, wantDone) {
				t.Fatalf("%s n=%d: the sampled conversations differ from those played from the start", sc.ID, n)
			}
			if got := wholes(stuck); !sameStates(got, wantStuck) {
				t.Fatalf("%s n=%d: the stuck conversations differ from those played from the start", sc.ID, n)
			}
			for i, d := range done {
				if got, want := d.choices(), stepsOf(wantDone[i]); !slices.Equal(got, want) {
					t.Fatalf("%s: choices %v, want %v", sc.ID, got, want)
				}
			}
		}
	}
}

func sameStates(a, b []engine.State) bool {
	return len(a) == len(b) && (len(a) == 0 || reflect.DeepEqual(a, b))
}
