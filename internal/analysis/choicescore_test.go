package analysis

import (
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	"github.com/rapport-sim/rapport/internal/engine"
	"github.com/rapport-sim/rapport/internal/reader"
	"github.com/rapport-sim/rapport/internal/scenario"
	"github.com/rapport-sim/rapport/internal/scoring"
)

// checkScenarios are the scenarios the per-choice scores are held to the
// old way on: searchScenarios, the format fixtures that load, and a
// scenario whose choices do what the generated ones do not (walk the
// customer out, share a number, lead nowhere).
func checkScenarios(t *testing.T) []*scenario.Scenario {
	t.Helper()
	scs := searchScenarios(t)
	names, err := filepath.Glob(filepath.Join("..", "scenario", "testdata", "*.toml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if sc, ds := scenario.Parse(name, src); !ds.HasErrors() && sc != nil {
			scs = append(scs, sc)
		}
	}
	return append(scs, generate(5000, 500, 1))
}

// oldChoiceScore is ChoiceScore as it was before choiceScorer: a one-node
// scenario built for the choice, an engine on it, and the scores of the
// exchange. The scorer must grade every choice exactly so.
func oldChoiceScore(sc *scenario.Scenario, n *scenario.Node, at engine.State, c *scenario.Choice) int {
	ex, st, ok := choiceExchange(sc, n, at, c)
	if !ok {
		return 0
	}
	return scoring.TotalsOf(ex, st).Overall
}

// TestChoiceScoreMatchesExchange: every choice at every node the walk
// reaches, offered or not, on the shipped scenarios, the fixtures and
// generated ones, scores what the one-node exchange scores, both through
// ChoiceScore and through the scorer `check` uses.
func TestChoiceScoreMatchesExchange(t *testing.T) {
	scored, fellBack := 0, 0
	for _, sc := range checkScenarios(t) {
		first, _ := arrivals(sc)
		s := newChoiceScorer(sc)
		for _, n := range sc.Nodes {
			at, ok := first[n.ID]
			if !ok {
				continue
			}
			e, err := engine.Restore(sc, playOptions(sc), at)
			if err != nil {
				t.Fatal(err)
			}
			offered := e.Choices()
			var buf []engine.Entry // lent to every choice at the node, as check does
			for _, c := range n.Choices {
				want := oldChoiceScore(sc, n, at, c)
				if got := s.score(n, at, offered, c, nil, &buf); got != want {
					t.Fatalf("%s: choice %d at %q scores %d, the one-node exchange %d", sc.ID, c.Number, n.ID, got, want)
				}
				if got := ChoiceScore(sc, n, at, c); got != want {
					t.Fatalf("%s: ChoiceScore of choice %d at %q is %d, the one-node exchange %d", sc.ID, c.Number, n.ID, got, want)
				}
				scored++
				if _, ok := s.play(n, at, offered, c, nil); !ok {
					fellBack++
				}
			}
		}
	}
	if scored < 19000 || fellBack == 0 || fellBack > scored/10 {
		t.Errorf("%d choices scored, %d of them on the one-node scenario: want most played on the scenario itself, and some not", scored, fellBack)
	}
}

// TestChoiceScorerEdges holds the scorer to the one-node exchange where the
// scenario itself plays differently: a choice that walks the customer out
// (the scenario's walkout ending says other lines than the built-in one),
// one that ends the call, one whose reply depends on the mood it leaves,
// company rules (which the exchange does not carry), a choice that leads
// nowhere, and two choices that share a number.
func TestChoiceScorerEdges(t *testing.T) {
	sc := load(t, "kettle.toml")
	sc.Scoring = scenario.ScoringRules{Allow: []string{"blame", "policy_hiding"}, Weight: map[string]float64{"empathy": 3, "apology": 0}}
	first, _ := arrivals(sc)
	var cases []string
	for _, n := range sc.Nodes {
		at, ok := first[n.ID]
		if !ok {
			continue
		}
		for _, c := range n.Choices {
			for _, edit := range []struct {
				name string
				f    func(*scenario.Choice)
			}{
				{"as written", func(*scenario.Choice) {}},
				{"walks out", func(c *scenario.Choice) { c.Effects.Patience = -1000 }},
				{"ends", func(c *scenario.Choice) { c.Next = sc.Endings[0].ID }},
				{"replies by mood", func(c *scenario.Choice) {
					c.Replies = []*scenario.ReplyVariant{{When: scenario.Cond{Clauses: []scenario.Clause{{Stat: scenario.Anger, Op: ">=", Value: 50}}}, Reply: "You're not listening."}}
				}},
				{"leads nowhere", func(c *scenario.Choice) { c.Next = "nowhere" }},
			} {
				cc := *c
				edit.f(&cc)
				nn := *n
				nn.Choices = slices.Clone(n.Choices)
				nn.Choices[slices.Index(n.Choices, c)] = &cc
				if edit.name == "as written" && len(nn.Choices) > 1 {
					dup := *nn.Choices[1]
					dup.Number = cc.Number
					nn.Choices = append(nn.Choices, &dup)
				}
				sc2 := *sc
				sc2.Nodes = slices.Clone(sc.Nodes)
				sc2.Nodes[slices.Index(sc.Nodes, n)] = &nn
				sc2.Index()
				e, err := engine.Restore(&sc2, playOptions(&sc2), at)
				if err != nil {
					t.Fatal(err)
				}
				want := oldChoiceScore(&sc2, &nn, at, &cc)
				if got := newChoiceScorer(&sc2).score(&nn, at, e.Choices(), &cc, nil, nil); got != want {
					t.Errorf("choice %d at %q, %s: scores %d, the one-node exchange %d", c.Number, n.ID, edit.name, got, want)
				}
				cases = append(cases, edit.name)
			}
		}
	}
	if len(cases) < 20 {
		t.Errorf("only %d cases", len(cases))
	}
}

// refArrivals is the breadth-first walk as it was before it kept its steps
// once: every choice played, every state with all its steps.
func refArrivals(sc *scenario.Scenario) (map[string]engine.State, []engine.State) {
	opts := playOptions(sc)
	e, err := engine.New(sc, opts)
	if err != nil {
		return nil, nil
	}
	first := map[string]engine.State{}
	var stuck []engine.State
	queue := []engine.State{e.State()}
	first[queue[0].Node] = queue[0]
	for len(queue) > 0 {
		st := queue[0]
		queue = queue[1:]
		cur, err := engine.Restore(sc, opts, st)
		if err != nil {
			continue
		}
		offered := cur.Choices()
		if len(offered) == 0 {
			stuck = append(stuck, st)
			continue
		}
		for _, c := range offered {
			next, err := engine.Restore(sc, opts, st)
			if err != nil || next.Choose(step(c.Number)) != nil || next.Done() {
				continue
			}
			ns := next.State()
			tr := ns.Transcript
			i := len(tr)
			for i > 0 && tr[i-1].Speaker != engine.Trainee {
				i--
			}
			ns.Transcript = slices.Clone(tr[i:])
			if _, seen := first[ns.Node]; !seen {
				first[ns.Node] = ns
				queue = append(queue, ns)
			}
		}
	}
	return first, stuck
}

// TestArrivalsMatchReference: the walk reaches the same nodes in the same
// states as playing every choice with every step kept, and reports the
// same stuck states with the same steps.
func TestArrivalsMatchReference(t *testing.T) {
	scs := checkScenarios(t)
	// The walk reaches "late" first without the flag its choices need,
	// two steps in (choice 2, then 1).
	sc, ds := scenario.Parse("deep-stuck.toml", []byte(deepStuck))
	if ds.HasErrors() {
		t.Fatal(ds)
	}
	scs = append(scs, sc)
	stuckSeen := false
	for _, sc := range scs {
		first, stuck := arrivals(sc)
		wantFirst, wantStuck := refArrivals(sc)
		if len(first) != len(wantFirst) {
			t.Fatalf("%s: %d nodes reached, want %d", sc.ID, len(first), len(wantFirst))
		}
		for id, want := range wantFirst {
			got, ok := first[id]
			want.Steps = nil
			if !ok || !reflect.DeepEqual(normal(got), normal(want)) {
				t.Fatalf("%s: first state at %q\n%+v\nwant\n%+v", sc.ID, id, got, want)
			}
		}
		if len(stuck) != len(wantStuck) {
			t.Fatalf("%s: %d stuck states, want %d", sc.ID, len(stuck), len(wantStuck))
		}
		for i := range stuck {
			if !reflect.DeepEqual(normal(stuck[i]), normal(wantStuck[i])) {
				t.Fatalf("%s: stuck state %d\n%+v\nwant\n%+v", sc.ID, i, stuck[i], wantStuck[i])
			}
		}
		stuckSeen = stuckSeen || len(stuck) > 0
	}
	if !stuckSeen {
		t.Error("no scenario with a stuck state was walked")
	}
}

// normal is st with empty slices as nil, for comparing states.
func normal(st engine.State) engine.State {
	if len(st.Flags) == 0 {
		st.Flags = nil
	}
	if len(st.Steps) == 0 {
		st.Steps = nil
	}
	if len(st.Transcript) == 0 {
		st.Transcript = nil
	}
	return st
}

const deepStuck = `id = "deep-stuck"
title = "Stuck two steps in"
channel = "phone"
difficulty = "easy"

[customer]
name = "Ana Reyes"

[[node]]
id = "start"
say = "Hello?"

  [[node.choice]]
  say = "Good morning, this is Sam."
  next = "early"
  sets = ["greeted"]
  when = "anger > 90"

  [[node.choice]]
  say = "Yes?"
  next = "early"

[[node]]
id = "early"
say = "It's about my bill."

  [[node.choice]]
  say = "Go on."
  next = "late"

  [[node.choice]]
  say = "Right."
  next = "late"

[[node]]
id = "late"
say = "It's wrong."

  [[node.choice]]
  say = "Of course, what would you like to know?"
  next = "done"
  when = "greeted"

  [[node.choice]]
  say = "Let me look."
  next = "done"
  when = "greeted"

[[ending]]
id = "done"
outcome = "resolved"
say = "Thanks."
`

// TestNodeFindingsMatchOldChecks: the tag check and the grades, reading
// each choice once for both where they can, find what reading every
// choice for each (reader.CheckTags and the one-node exchange) finds, on
// the shipped scenarios, the fixtures and generated ones; and they do
// share most readings.
func TestNodeFindingsMatchOldChecks(t *testing.T) {
	graded, shared := 0, 0
	for _, sc := range checkScenarios(t) {
		first, offered, _ := walk(sc)
		ctxs := reader.NodeContexts(sc)
		for _, nd := range readNodes(sc, ctxs, first, offered) {
			n := nd.n
			found := make([][]reader.TagMismatch, len(n.Choices))
			for k, c := range n.Choices {
				found[k] = reader.CheckTags(c, ctxs[n.ID])
			}
			if want := tagDiagnostics(sc, n, ctxs[n.ID], found); !reflect.DeepEqual(nd.tags, want) {
				t.Fatalf("%s: at %q the tag check reports\n%v\nreading each choice for the check alone\n%v", sc.ID, n.ID, nd.tags, want)
			}
			at, ok := first[n.ID]
			if !ok {
				continue
			}
			e, err := engine.Restore(sc, playOptions(sc), at)
			if err != nil {
				t.Fatal(err)
			}
			if offered := e.Choices(); len(offered) < 2 {
				if len(nd.scores) != 0 {
					t.Fatalf("%s: %q offers %d choices, and is graded", sc.ID, n.ID, len(offered))
				}
				continue
			} else if !slices.Equal(nd.offered, offered) || len(nd.scores) != len(offered) {
				t.Fatalf("%s: %q is graded on %d choices, the engine offers %d there", sc.ID, n.ID, len(nd.offered), len(offered))
			}
			if sameButWhen(ctxs[n.ID], newChoiceScorer(sc).context(n, at)) {
				shared++
			}
			for k, c := range nd.offered {
				graded++
				if want := oldChoiceScore(sc, n, at, c); nd.scores[k] != want {
					t.Fatalf("%s: choice %d at %q grades %d, the one-node exchange %d", sc.ID, c.Number, n.ID, nd.scores[k], want)
				}
			}
		}
	}
	if graded < 19000 || shared < graded/4 {
		t.Errorf("%d choices graded at %d nodes where the readings can be shared: want most", graded, shared)
	}
}
