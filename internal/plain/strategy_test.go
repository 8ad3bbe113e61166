package plain

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/rapport-sim/rapport/internal/analysis"
	"github.com/rapport-sim/rapport/internal/scenario"
	"github.com/rapport-sim/rapport/internal/scoring"
	"github.com/rapport-sim/rapport/internal/textsafe"
)

var strategyReport = flag.Bool("strategies", false, "print the strategy table (mean overall and bands per strategy)")

// A strategy player plays a scenario through plain mode as a screen-reader
// user would: it reads the choices printed after "What do you say?" and
// types a number. Strategies that ignore what was said (always the longest
// line, the shortest, the first, a random one) must not reach the top band:
// the scores should reward listening, not length or position.

// strategy picks a choice (1-based, as shown) from the choices shown.
type strategy func(shown []string, rnd *rand.Rand) int

var strategies = []struct {
	name string
	pick strategy
}{
	{"longest", func(s []string, _ *rand.Rand) int {
		return pickBy(s, func(a, b string) bool { return len(a) > len(b) })
	}},
	{"shortest", func(s []string, _ *rand.Rand) int {
		return pickBy(s, func(a, b string) bool { return len(a) < len(b) })
	}},
	{"first", func([]string, *rand.Rand) int { return 1 }},
	{"last", func(s []string, _ *rand.Rand) int { return len(s) }},
	{"random", func(s []string, r *rand.Rand) int { return 1 + r.IntN(len(s)) }},
}

func pickBy(s []string, better func(a, b string) bool) int {
	best := 0
	for i := range s {
		if better(s[i], s[best]) {
			best = i
		}
	}
	return best + 1
}

// player is the trainee's side of plain mode: Read is called when plain
// mode waits for an answer, and answers from what it has printed so far.
type botPlayer struct {
	mu      sync.Mutex
	out     strings.Builder
	pending []byte
	pick    func(shown []string) int
	fixed   []int // a scripted path of authored numbers, for the authors' best
	sc      *scenario.Scenario
	turns   int
}

func (p *botPlayer) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.out.Write(b)
}

var choiceLine = regexp.MustCompile(`(?m)^  (\d+)\. (.*)$`)

func (p *botPlayer) Read(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.pending) == 0 {
		text := p.out.String()
		at := strings.LastIndex(text, "What do you say?\n")
		if at < 0 || p.turns > 200 {
			return 0, fmt.Errorf("no choices on screen")
		}
		var shown []string
		for _, m := range choiceLine.FindAllStringSubmatch(text[at:], -1) {
			shown = append(shown, m[2])
		}
		var n int
		if p.fixed != nil {
			if p.turns >= len(p.fixed) {
				return 0, fmt.Errorf("the scripted path ran out")
			}
			n = shownAs(p.sc, text, shown, p.fixed[p.turns])
		} else {
			n = p.pick(shown)
		}
		p.turns++
		p.pending = []byte(strconv.Itoa(n) + "\n")
	}
	k := copy(b, p.pending)
	p.pending = p.pending[k:]
	return k, nil
}

var overallLine = regexp.MustCompile(`Overall: (\d+) of 100, band: ([^.]+)\.`)

// playPlain plays sc through plain mode and returns the overall and band
// it printed.
func playPlain(t *testing.T, sc *scenario.Scenario, p *botPlayer) (int, string) {
	t.Helper()
	res, err := Run(context.Background(), p, p, sc, Options{})
	if err != nil {
		t.Fatalf("%s: %v", sc.ID, err)
	}
	m := overallLine.FindStringSubmatch(p.out.String())
	if m == nil {
		t.Fatalf("%s: no overall in the debrief", sc.ID)
	}
	n, _ := strconv.Atoi(m[1])
	if want := scoring.Evaluate(sc, res.State).Overall; n != want {
		t.Fatalf("%s: plain mode printed %d, Evaluate says %d", sc.ID, n, want)
	}
	return n, m[2]
}

// bestPath is the authors' caring path: their test with the highest
// minimum overall, or, in a scenario without tests, the best-scoring path
// `rapport paths` finds (authored choice numbers).
func bestPath(t *testing.T, sc *scenario.Scenario) []int {
	var best *scenario.Test
	for _, tt := range sc.Tests {
		if best == nil || tt.Min["overall"] > best.Min["overall"] {
			best = tt
		}
	}
	if best != nil {
		return best.Choices
	}
	rep, err := analysis.Paths(sc, analysis.PathOptions{Rand: rand.New(rand.NewPCG(1, 2))})
	if err != nil {
		t.Fatalf("%s: paths: %v", sc.ID, err)
	}
	return rep.Best.Choices
}

func shipped(t *testing.T) []*scenario.Scenario {
	t.Helper()
	files, err := filepath.Glob("../../scenarios/*.toml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no scenarios: %v", err)
	}
	var out []*scenario.Scenario
	for _, f := range files {
		if scenario.IsDrillFile(filepath.Base(f)) {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		sc, ds := scenario.Parse(f, src)
		if ds.HasErrors() {
			t.Fatalf("%s: %v", f, ds)
		}
		out = append(out, sc)
	}
	return out
}

// TestStrategies plays every shipped scenario through plain mode with each
// strategy and reports the mean overall and the bands (-strategies prints
// the table). It asserts what the model must guarantee whatever the
// library: always the shortest line never reaches the top band, and the
// authors' caring path beats always-the-longest on average. The
// always-longest figure is reported, not asserted: it depends on how the
// library's lines are written (docs/scoring.md, "Writing lines that score").
func TestStrategies(t *testing.T) {
	if testing.Short() {
		t.Skip("plays every scenario five ways")
	}
	scs := shipped(t)
	type row struct {
		sum   int
		n     int
		bands map[string]int
	}
	rows := map[string]*row{}
	add := func(name string, overall int, band string) {
		r := rows[name]
		if r == nil {
			r = &row{bands: map[string]int{}}
			rows[name] = r
		}
		r.sum += overall
		r.n++
		r.bands[band]++
	}
	for _, sc := range scs {
		for _, s := range strategies {
			runs := 1
			if s.name == "random" {
				runs = 10
			}
			for k := range runs {
				rnd := rand.New(rand.NewPCG(uint64(k), 7))
				pick := s.pick
				p := &botPlayer{pick: func(shown []string) int { return pick(shown, rnd) }}
				o, band := playPlain(t, sc, p)
				add(s.name, o, band)
				if s.name == "shortest" && band == string(scoring.BandTop) {
					t.Errorf("%s: always the shortest line reached the top band (%d)", sc.ID, o)
				}
			}
		}
		if path := bestPath(t, sc); path != nil {
			p := &botPlayer{fixed: path, sc: sc}
			o, band := playPlain(t, sc, p)
			add("authors' best", o, band)
		}
	}
	mean := func(name string) float64 { return float64(rows[name].sum) / float64(rows[name].n) }
	if mean("authors' best") <= mean("longest") {
		t.Errorf("the authors' best paths average %.1f, not above always-the-longest (%.1f)", mean("authors' best"), mean("longest"))
	}
	if *strategyReport || testing.Verbose() {
		fmt.Printf("strategy        runs  mean overall  %s / %s / %s / %s\n", scoring.BandTop, scoring.BandSolid, scoring.BandGetting, scoring.BandNotYet)
		for _, name := range []string{"longest", "shortest", "first", "last", "random", "authors' best"} {
			r := rows[name]
			fmt.Printf("%-15s %4d  %12.1f  %d / %d / %d / %d\n", name, r.n, mean(name),
				r.bands[string(scoring.BandTop)], r.bands[string(scoring.BandSolid)], r.bands[string(scoring.BandGetting)], r.bands[string(scoring.BandNotYet)])
		}
	}
}

// shownAs turns an authored choice number into the number shown for it
// (they differ where a condition hides an earlier choice).
func shownAs(sc *scenario.Scenario, text string, shown []string, authored int) int {
	n, _ := sc.Node(currentNode(sc, text))
	if n == nil {
		return authored
	}
	for _, c := range n.Choices {
		if c.Number != authored {
			continue
		}
		for i, s := range shown {
			if s == textsafe.Line(c.Say) {
				return i + 1
			}
		}
	}
	return authored
}

// currentNode finds the node whose choices are on screen: the one whose
// first offered choice text was printed last.
func currentNode(sc *scenario.Scenario, text string) string {
	at := strings.LastIndex(text, "What do you say?\n")
	if at < 0 {
		return ""
	}
	shown := choiceLine.FindAllStringSubmatch(text[at:], -1)
	for _, n := range sc.Nodes {
		for _, c := range n.Choices {
			for _, m := range shown {
				if m[2] == textsafe.Line(c.Say) {
					return n.ID
				}
			}
		}
	}
	return ""
}
