package analysis

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rapport-sim/rapport/internal/scenario"
	"github.com/rapport-sim/rapport/internal/scoring"
	"github.com/rapport-sim/rapport/scenarios"
)

func load(t testing.TB, name string) *scenario.Scenario {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	sc, ds := scenario.Parse(name, src)
	if ds.HasErrors() {
		t.Fatalf("%s: %v", name, ds)
	}
	return sc
}

func shipped(t testing.TB) []*scenario.Scenario {
	t.Helper()
	scs, ds, err := scenario.LoadDir(scenarios.FS)
	if err != nil || ds.HasErrors() {
		t.Fatal(err, ds)
	}
	return scs
}

// finding is an expected diagnostic: where, which code, and words of it.
type finding struct {
	pos  string
	code scenario.Code
	text string
}

func TestCheckFixtures(t *testing.T) {
	tests := map[string]struct {
		random int
		want   []finding
		// only: no code outside want may be reported.
		only bool
	}{
		// The first starter `rapport new` wrote (the graph and path tests
		// use it): sound, but the best line is always the longest and
		// first, and the first three lines get the same words back, which
		// the giveaway checks catch. Today's starter passes
		// `check --strict` (see the cli tests).
		"kettle.toml": {random: 50, only: true, want: []finding{
			{"11:6", CodeLongestBest, "the longest line offered at 3 of 3 decisions"},
			{"11:6", CodeSamePlace, "number 1 in the list at 3 of 3 decisions"},
			{"11:6", CodeStrategyWins, "always choosing the longest line scores 98"},
			{"11:6", CodeStrategyWins, "always choosing the first line scores 98"},
			{"52:3", CodeSameWords, `choices 1 and 2 of node "opening" get the same words back: both lead to "details"`},
			{"59:3", CodeSameWords, `choices 1 and 3 of node "opening"`},
			{"59:3", CodeSameWords, `choices 2 and 3 of node "opening"`},
		}},
		"tags.toml": {want: []finding{
			{"14:3", CodeTagNotShown, "tagged greeting, but the text shows no greeting"},
			{"19:3", CodeUntaggedNegative, `shows blame ("You must have set it up wrong")`},
			{"24:3", CodeUnknownTag, `tag "empathy_plus" is not a behaviour id`},
		}},
		"flat.toml": {want: []finding{
			{"1:1", CodeLowBest, "the best path scores 37"},
			{"1:1", CodeNarrowGap, "a gap of 33, under 40"},
			{"26:1", CodeFlatChoices, `the choices at node "middle" all score within 5 points`},
			{"20:3", CodeSameWords, `choices 1 and 2 of node "start" get the same words back`},
		}, only: true},
		"bland.toml": {want: []finding{
			{"1:1", CodeLowBest, "under 85"},
			{"1:1", CodeNarrowGap, "a gap of 0"},
			{"9:1", CodeFlatChoices, `node "start"`},
		}, only: true},
		"long.toml": {want: []finding{
			{"9:1", CodeLongCustomer, `the customer's line at node "start" takes 9 lines`},
			{"13:3", CodeLongChoice, "choice 1 of node \"start\" takes 8 lines"},
			{"21:1", CodeCrowdedScreen, `node "crowded" needs 20 rows at 80x24 (customer 4, choices 16)`},
		}},
		"intent.toml": {want: []finding{
			{"1:6", CodeNoBriefing, `scenario "intent" has no [briefing]`},
			{"14:3", CodeContradiction, `choice 1 of node "start" is tagged blame but its effects calm the customer (anger -10, trust +5)`},
			{"20:3", CodeContradiction, `choice 2 of node "start" is tagged only with good behaviours (apology, customer_name, ownership) but its effects anger the customer and cost trust (anger +10, trust -5)`},
		}},
		"giveaway.toml": {want: []finding{
			{"1:6", CodeLongestBest, "the best choice is the longest line offered at 3 of 3 decisions"},
			{"1:6", CodeSamePlace, "the best choice is number 1 in the list at 3 of 3 decisions"},
			{"1:6", CodeOnlyQuestion, "the best choice is the only question offered at 2 of 3 decisions"},
			{"1:6", CodeStrategyWins, `always choosing the longest line scores 95 (choices 1,1,1, ending "happy")`},
			{"1:6", CodeStrategyWins, `always choosing the first line scores 95 (choices 1,1,1, ending "happy")`},
		}},
		"stuck.toml": {want: []finding{
			{"22:1", CodeStuck, `no choice is offered at node "middle" after choices 2`},
		}},
		"tests.toml": {want: []finding{
			{"70:1", CodeTestFailed, `test "wrong ending" failed: expected ending "happy", but the path ends at "lost"`},
			{"77:15", CodeTestFailed, `step 2: choice 1 is not offered at node "fix" (offered: 2)`},
			{"81:15", CodeTestFailed, `ended at "hangs-up" after 1 choices (the customer ran out of patience)`},
			{"84:1", CodeTestFailed, `still going at node "fix" after 1 choices`},
			{"88:1", CodeTestFailed, "Empathy is 60, below the minimum 100"},
			{"88:1", CodeTestFailed, "Difficult customers, but that score was not assessed"},
			{"88:1", CodeTestFailed, "Overall is 76, above the maximum 10"},
		}},
		"endless.toml": {random: 5, want: []finding{
			{"1:1", CodeEndless, "random playthrough 1 of 5 (--seed 3) was still going after 200 choices"},
		}},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			sc := load(t, name)
			got := Check(sc, CheckOptions{Random: tt.random, Seed: 3, Rand: rand.New(rand.NewPCG(3, 4))})
			for _, w := range tt.want {
				if !slices.ContainsFunc(got, func(d scenario.Diagnostic) bool {
					return d.Pos.String() == w.pos && d.Code == w.code && strings.Contains(d.Message, w.text)
				}) {
					t.Errorf("missing %s [%s] %s", w.pos, w.code, w.text)
				}
			}
			for _, d := range got {
				if d.File != name || d.Hint == "" || d.Severity != SeverityOf(d.Code) {
					t.Errorf("malformed diagnostic %s (hint %q)", d, d.Hint)
				}
				if tt.only && !slices.ContainsFunc(tt.want, func(w finding) bool { return w.code == d.Code }) {
					t.Errorf("unexpected %s", d)
				}
			}
			if t.Failed() {
				for _, d := range got {
					t.Logf("got %s", d)
				}
			}
		})
	}
}

// Every shipped scenario survives every analysis without an error (a
// failing author test, a stuck trainee or a crash). Warnings are the
// scenario writers' to weigh, and `rapport check --strict` in CI keeps them
// at zero.
func TestShippedLibraryHasNoAnalysisErrors(t *testing.T) {
	for _, sc := range shipped(t) {
		for _, d := range Check(sc, CheckOptions{Random: 20, Seed: 1, Rand: rand.New(rand.NewPCG(1, 1))}) {
			if d.Severity == scenario.Error {
				t.Errorf("%s (hint: %s)", d, d.Hint)
			}
		}
	}
}

func TestChoiceScoreSeparatesCaringFromCareless(t *testing.T) {
	sc := load(t, "kettle.toml")
	first, _ := arrivals(sc)
	n, _ := sc.Node("opening")
	caring := ChoiceScore(sc, n, first["opening"], n.Choices[0])
	careless := ChoiceScore(sc, n, first["opening"], n.Choices[2])
	if caring-careless < 30 {
		t.Errorf("caring %d, careless %d: want a clear gap", caring, careless)
	}
}

// A crash anywhere in an analysis is reported, never passed on: a scenario
// built in memory with a choice that leads nowhere makes the engine panic.
func TestCheckRecoversFromCrashes(t *testing.T) {
	sc := load(t, "kettle.toml")
	n, _ := sc.Node("details")
	n.Choices[0].Next = "nowhere"
	got := Check(sc, CheckOptions{Random: 30, Seed: 9, Rand: rand.New(rand.NewPCG(9, 9))})
	var crashes []string
	for _, d := range got {
		if d.Code == CodeCrash {
			crashes = append(crashes, d.Message)
		}
	}
	if !slices.ContainsFunc(crashes, func(m string) bool {
		return strings.Contains(m, "random playthrough") && strings.Contains(m, "(--seed 9) crashed after choices")
	}) {
		t.Errorf("no random-playthrough crash report in %q", crashes)
	}
}

func TestPlayAndScoreOf(t *testing.T) {
	sc := load(t, "kettle.toml")
	e, err := Play(sc, []int{1, 1, 1})
	if err != nil || !e.Done() {
		t.Fatalf("play: %v", err)
	}
	r := scoring.Evaluate(sc, e.State())
	for _, k := range scenario.TestScores {
		if v, ok := ScoreOf(r, k); ok && (v < 0 || v > 100) {
			t.Errorf("%s = %d", k, v)
		}
	}
	if _, err := Play(sc, []int{1, 9}); err == nil {
		t.Error("a choice that is not offered must fail")
	}
}

func TestCodesAreDocumented(t *testing.T) {
	doc, err := os.ReadFile("../../docs/authoring.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range append([]scenario.Code{scenario.CodeBadTest}, Codes()...) {
		row := fmt.Sprintf("| %s | %s |", c, SeverityOf(c))
		if !strings.Contains(string(doc), row) {
			t.Errorf("docs/authoring.md has no row %q", row)
		}
	}
}

// TestStuckReportedOnceByFirstPart: the walk, the best/worst search and
// the random playthroughs run side by side, and a stuck node is still
// reported once, by the first of them in that order to find it (the walk
// with its shortest steps, else the search, never a random playthrough
// when either found it), the same on every run.
func TestStuckReportedOnceByFirstPart(t *testing.T) {
	deep, ds := scenario.Parse("deep-stuck.toml", []byte(deepStuck))
	if ds.HasErrors() {
		t.Fatal(ds)
	}
	for _, tt := range []struct {
		sc   *scenario.Scenario
		want string // the one stuck finding's message
	}{
		// The walk reaches "late" first without the flag, two steps in.
		{deep, `no choice is offered at node "late" after choices 2,1: the trainee is stuck`},
		// The walk reaches "middle" greeted; the search finds it stuck.
		{load(t, "stuck.toml"), `no choice is offered at node "middle" after choices 2: the trainee is stuck`},
	} {
		var before scenario.Diagnostics
		for run := range 20 {
			got := Check(tt.sc, CheckOptions{Random: 40, Seed: 3, Rand: rand.New(rand.NewPCG(3, 4))})
			var stuck []string
			for _, d := range got {
				if d.Code == CodeStuck {
					stuck = append(stuck, d.Message)
				}
			}
			if len(stuck) != 1 || stuck[0] != tt.want {
				t.Fatalf("%s, run %d: stuck findings %q, want only %q", tt.sc.ID, run, stuck, tt.want)
			}
			if run > 0 && !slices.Equal(got, before) {
				t.Fatalf("%s, run %d: the findings differ from the first run's", tt.sc.ID, run)
			}
			before = got
		}
	}
}
