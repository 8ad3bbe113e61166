package analysis

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"

	"github.com/rapport-sim/rapport/internal/scenario"
)

// generate builds a scenario of n nodes with 3 choices each, as a trainer's
// very large branching conversation would be: layers that widen by three
// from the start up to width nodes, each choice leading to a random node of
// the next layer (so paths merge), the last layer's choices to the endings.
// At every node one choice is caring, one neutral and one careless, and
// every line is distinct so the scoring model reads each afresh.
func generate(n, width int, seed uint64) *scenario.Scenario {
	rng := rand.New(rand.NewPCG(seed, 1))
	items := []string{"parcel", "refund", "engineer visit", "invoice", "replacement", "booking", "repair", "order"}
	hours := []int{2, 3, 4, 5}
	sc := &scenario.Scenario{
		ID: "generated", Title: "Generated", Channel: scenario.Phone, Difficulty: scenario.Hard,
		Tags:     []string{"complaint"},
		Customer: scenario.Customer{Name: "Robin Hale", Start: scenario.Mood{Apprehension: 70, Anger: 60, Trust: 30, Patience: 90}},
		Endings: []*scenario.Ending{
			{ID: "fixed", Outcome: scenario.Resolved, Say: []string{"Thank you, that's sorted."}},
			{ID: "later", Outcome: scenario.FollowUp, Say: []string{"Fine, call me then."}},
			{ID: "gone", Outcome: scenario.Lost, Say: []string{"I'm taking my business elsewhere."}},
		},
		Walkout: "gone",
	}
	var layers [][]*scenario.Node
	for made, w := 0, 1; made < n; w = min(w*3, width) {
		w = min(w, n-made)
		var layer []*scenario.Node
		for range w {
			item := items[made%len(items)]
			layer = append(layer, &scenario.Node{
				ID:  fmt.Sprintf("n%d", made),
				Say: []string{fmt.Sprintf("This is the %d%s time I've called about the %s, ticket %d, and nothing has happened.", 2+made%5, "th", item, 1000+made)},
			})
			made++
		}
		layers = append(layers, layer)
	}
	for li, layer := range layers {
		// Every node of the next layer is the target of at least one
		// choice (the first len(nl) choices of the layer, in a shuffled
		// order), the other choices lead to a random one: a node no choice
		// leads to would be an authoring mistake (RP030), and thousands of
		// them are more problems than a file may report (RP015).
		var nl []*scenario.Node
		var cover []int
		if li+1 < len(layers) {
			nl = layers[li+1]
			cover = rng.Perm(len(nl))
		}
		slot := 0
		for _, nd := range layer {
			k := len(sc.Nodes)
			item := items[k%len(items)]
			next := func(fallback string) string {
				if nl == nil {
					return fallback
				}
				defer func() { slot++ }()
				if slot < len(cover) {
					return nl[cover[slot]].ID
				}
				return nl[rng.IntN(len(nl))].ID
			}
			nd.Choices = []*scenario.Choice{
				{Number: 1, Next: next("fixed"), Effects: scenario.Mood{Anger: -15, Trust: 10, Apprehension: -10},
					Say: fmt.Sprintf("I'm so sorry about the %s, Robin, that must be exhausting after ticket %d. I'll sort it out myself and call you by %d pm today.", item, 1000+k, hours[k%len(hours)])},
				{Number: 2, Next: next("later"), Effects: scenario.Mood{Apprehension: 5},
					Say: fmt.Sprintf("Let me look at ticket %d for the %s and see what the notes say.", 1000+k, item)},
				{Number: 3, Next: next("gone"), Effects: scenario.Mood{Anger: 20, Trust: -15, Patience: -10},
					Say: fmt.Sprintf("That's not our fault, the %s team handles ticket %d, you'll have to ring them.", item, 1000+k)},
			}
			sc.Nodes = append(sc.Nodes, nd)
		}
	}
	sc.Index()
	return sc
}

func TestGenerated(t *testing.T) {
	sc := generate(5000, 500, 1)
	ds := scenario.Validate(sc)
	if ds.HasErrors() || len(sc.Nodes) != 5000 {
		t.Fatalf("%d nodes: %v", len(sc.Nodes), ds.Errors())
	}
	// A node no choice leads to is an authoring mistake; 1,245 of them made
	// the written file more problems than the loader reports (RP015), so
	// the CLI refused it.
	for _, d := range ds {
		if d.Code == scenario.CodeUnreachable {
			t.Fatalf("the generated scenario has unreachable nodes: %s", d)
		}
	}
	g := newGraph(sc, DefaultMaxDepth)
	if g.cyclic || g.longest < 10 {
		t.Errorf("generated graph: cyclic %v, longest %d", g.cyclic, g.longest)
	}
}

// The authoring commands on a 5,000-node scenario with 3 choices per node:
//
//	go test -run '^$' -bench 5000 -benchtime 3x ./internal/analysis
func BenchmarkCheck5000(b *testing.B) {
	sc := generate(5000, 500, 1)
	for b.Loop() {
		if ds := scenario.Validate(sc); ds.HasErrors() {
			b.Fatal(ds)
		}
		Check(sc, CheckOptions{})
	}
}

func BenchmarkPaths5000(b *testing.B) {
	sc := generate(5000, 500, 1)
	for b.Loop() {
		if _, err := Paths(sc, PathOptions{Rand: rand.New(rand.NewPCG(1, 2))}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGraph5000(b *testing.B) {
	sc := generate(5000, 500, 1)
	for b.Loop() {
		if len(Mermaid(sc)) == 0 || len(DOT(sc)) == 0 {
			b.Fatal("empty graph")
		}
	}
}

// TestWriteGenerated writes generate($RAPPORT_GENERATED_NODES, 500, 1) as
// a scenario file to $RAPPORT_GENERATED, for timing the authoring
// commands through the binary (`rapport paths FILE`, `rapport check
// FILE`); it is skipped without it.
func TestWriteGenerated(t *testing.T) {
	path := os.Getenv("RAPPORT_GENERATED")
	if path == "" {
		t.Skip("set RAPPORT_GENERATED to a file name to write a generated scenario")
	}
	n := 5000
	if s := os.Getenv("RAPPORT_GENERATED_NODES"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil {
			t.Fatal(err)
		}
	}
	src := scenarioTOML(generate(n, 500, 1))
	if err := os.WriteFile(path, src, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d nodes, %d bytes", n, len(src))
	sc, ds := scenario.Parse(path, src)
	if ds.HasErrors() || sc == nil || len(sc.Nodes) != n {
		t.Fatalf("the written file does not read back: %v", ds.Errors())
	}
}

// scenarioTOML lays out a generated scenario as a scenario file.
func scenarioTOML(sc *scenario.Scenario) []byte {
	var b bytes.Buffer
	q := strconv.Quote
	fmt.Fprintf(&b, "id = %s\ntitle = %s\nchannel = %s\ndifficulty = %s\ntags = [%s]\nwalkout = %s\n\n",
		q(sc.ID), q(sc.Title), q(string(sc.Channel)), q(string(sc.Difficulty)), q(sc.Tags[0]), q(sc.Walkout))
	m := sc.Customer.Start
	fmt.Fprintf(&b, "[customer]\nname = %s\napprehension = %d\nanger = %d\ntrust = %d\npatience = %d\n",
		q(sc.Customer.Name), m.Apprehension, m.Anger, m.Trust, m.Patience)
	for _, n := range sc.Nodes {
		fmt.Fprintf(&b, "\n[[node]]\nid = %s\nsay = %s\n", q(n.ID), q(n.Say[0]))
		for _, c := range n.Choices {
			e := c.Effects
			fmt.Fprintf(&b, "  [[node.choice]]\n  say = %s\n  next = %s\n  effects = { apprehension = %d, anger = %d, trust = %d, patience = %d }\n",
				q(c.Say), q(c.Next), e.Apprehension, e.Anger, e.Trust, e.Patience)
		}
	}
	for _, e := range sc.Endings {
		fmt.Fprintf(&b, "\n[[ending]]\nid = %s\noutcome = %s\nsay = %s\n", q(e.ID), q(string(e.Outcome)), q(e.Say[0]))
	}
	return b.Bytes()
}
