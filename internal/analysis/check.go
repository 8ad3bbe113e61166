package analysis

import (
	"fmt"
	"math/rand/v2"
	"runtime/debug"
	"slices"
	"strings"

	"github.com/rapport-sim/rapport/internal/engine"
	"github.com/rapport-sim/rapport/internal/reader"
	"github.com/rapport-sim/rapport/internal/scenario"
	"github.com/rapport-sim/rapport/internal/scoring"
)

// DefaultMaxSteps bounds a random playthrough: a conversation still going
// after this many choices is reported as endless (RP132).
const DefaultMaxSteps = 200

// DefaultExactExtremes: `check` plays every path of a scenario with at most
// this many to find its best and worst; bigger ones are searched with a beam.
const DefaultExactExtremes = 500

// CheckOptions configure Check. The zero value runs every check but the
// random playthroughs.
type CheckOptions struct {
	// Random is the number of random playthroughs; they draw from Rand,
	// and Seed is quoted in their findings so they can be replayed.
	Random int
	Seed   uint64
	Rand   *rand.Rand
	// MaxSteps bounds a random playthrough (DefaultMaxSteps).
	MaxSteps int
	// Beam is the width of the best/worst search (DefaultBeam).
	Beam int
	// ExactExtremes: paths up to which best and worst are found by playing
	// every path (DefaultExactExtremes).
	ExactExtremes int
}

// Check runs every authoring analysis on a scenario that loaded without
// errors: author tags against the scoring model, choices that do not
// discriminate, best and worst paths, lines that do not fit the play screen,
// author tests and, when asked, random playthroughs. Findings come back as
// diagnostics sorted by position. A crash inside an analysis is reported as
// RP133, never passed on.
func Check(sc *scenario.Scenario, opts CheckOptions) scenario.Diagnostics {
	ds, _ := CheckSummary(sc, opts)
	return ds
}

// Summary is what `check` reports about a scenario besides its findings:
// the best path's giveaways and what answering without listening scores.
type Summary struct {
	Scenario   string          `json:"scenario"`
	Best       int             `json:"best"`
	Worst      int             `json:"worst"`
	Giveaways  *Giveaways      `json:"giveaways,omitempty"`
	Strategies []StrategyScore `json:"strategies,omitempty"`
}

// CheckSummary is Check with the summary of the scenario's giveaways.
func CheckSummary(sc *scenario.Scenario, opts CheckOptions) (scenario.Diagnostics, Summary) {
	sum := Summary{Scenario: sc.ID}
	if opts.MaxSteps <= 0 {
		opts.MaxSteps = DefaultMaxSteps
	}
	if opts.Beam <= 0 {
		opts.Beam = DefaultBeam
	}
	if opts.ExactExtremes <= 0 {
		opts.ExactExtremes = DefaultExactExtremes
	}
	// The findings are gathered in parts and put together in this order
	// before sorting: tags, rules, screen, choices, best and worst, tests,
	// random playthroughs. The screen and test checks share nothing with
	// the rest, so they run beside them from the start; so do the searches
	// for the best and worst paths and the random playthroughs, which
	// would otherwise leave a core idle while the walk that finds each
	// node's first arrival runs. The tag check and the grades of the
	// choices read the same lines, so they run together, on every core
	// (nodeFindings).
	//
	// A stuck node is reported once, by the first part to find it in the
	// order walk, searches, random playthroughs, each heading its part's
	// findings: the parts note where they got stuck, and the notes are
	// settled once every part is done.
	var tags, rules, screen, choices, extremes, tests, random scenario.Diagnostics
	var walkStuck, searchStuck, randomStuck []stuckNote
	noteInto := func(notes *[]stuckNote) func(engine.State, string) {
		return func(st engine.State, how string) { *notes = append(*notes, stuckNote{st, how}) }
	}
	guard := func(into *scenario.Diagnostics, what string, f func()) {
		defer func() {
			if r := recover(); r != nil {
				*into = append(*into, diag(sc, scenario.Pos{}, CodeCrash,
					fmt.Sprintf("the %s crashed: %v", what, r),
					"this is a bug in Rapport, not in the scenario: please report it with the file\n"+firstFrames(debug.Stack())))
			}
		}()
		f()
	}
	// The nodes' contexts are worked out beside the walk too; a crash
	// there is the tag check's.
	var ctxs map[string]reader.Context
	var ctxsCrash any
	contexts := make(chan struct{})
	go func() {
		defer close(contexts)
		defer func() { ctxsCrash = recover() }()
		ctxs = reader.NodeContexts(sc)
	}()
	beside := make(chan struct{})
	go func() {
		defer close(beside)
		guard(&screen, "screen check", func() { screen = append(screen, screenFindings(sc)...) })
		guard(&tests, "author tests", func() { tests = append(tests, RunTests(sc)...) })
	}()
	searched := make(chan struct{})
	go func() {
		defer close(searched)
		guard(&extremes, "best and worst path search", func() {
			extremes = append(extremes, extremeFindings(sc, opts, noteInto(&searchStuck), &sum)...)
		})
		if opts.Random > 0 && opts.Rand != nil {
			random = append(random, randomFindings(sc, opts, noteInto(&randomStuck))...)
		}
	}()
	rules = append(rules, contradictionFindings(sc)...)
	rules = append(rules, briefingFindings(sc)...)
	rules = append(rules, sameWordsFindings(sc)...)
	for _, p := range reader.CheckRules(sc) {
		rules = append(rules, diag(sc, p.Pos, CodeBadRule, p.Message, p.Hint))
	}
	var first map[string]engine.State // nil if the walk crashed
	var offered map[string][]*scenario.Choice
	guard(&choices, "choice check", func() {
		walked, offers, stuck := walk(sc)
		for _, st := range stuck {
			walkStuck = append(walkStuck, stuckNote{st, ""})
		}
		first, offered = walked, offers
	})
	// The grades need the walk; the tag check runs either way, reported
	// as the tag check if it is what crashes.
	// Its findings stay with their nodes until the parts are put
	// together: thousands of them, on a big scenario, are copied once.
	var nodes []checkedNode // nil if the tag check crashed
	var flat scenario.Diagnostics
	<-contexts
	guard(&tags, "tag check", func() {
		if ctxsCrash != nil {
			panic(ctxsCrash)
		}
		read := readNodes(sc, ctxs, first, offered)
		flat = flatFindings(sc, read)
		nodes = read
	})
	choices = append(choices, flat...)
	<-searched
	<-beside
	stuckAt := map[string]bool{}
	choices = stuckFindings(sc, walkStuck, stuckAt, choices)
	extremes = stuckFindings(sc, searchStuck, stuckAt, extremes)
	random = stuckFindings(sc, randomStuck, stuckAt, random)
	// The tags part is the nodes' findings, or the tag check's crash.
	parts := []scenario.Diagnostics{tags, rules, screen, choices, extremes, tests, random}
	n := 0
	for _, nd := range nodes {
		n += len(nd.tags)
	}
	for _, part := range parts {
		n += len(part)
	}
	// A big scenario can have thousands of findings: one copy, of the
	// right size.
	var out scenario.Diagnostics
	if n > 0 {
		out = make(scenario.Diagnostics, 0, n)
	}
	for _, nd := range nodes {
		out = append(out, nd.tags...)
	}
	for _, part := range parts {
		out = append(out, part...)
	}
	out.Sort()
	return out, sum
}

// stuckNote is a state in which no choice is offered, as a part of
// CheckSummary found it; how says in what (empty, or " in" a random
// playthrough).
type stuckNote struct {
	st  engine.State
	how string
}

// stuckFindings is a part's findings headed by its stuck notes, each for
// a node no earlier part reported (stuckAt, which it updates).
func stuckFindings(sc *scenario.Scenario, notes []stuckNote, stuckAt map[string]bool, part scenario.Diagnostics) scenario.Diagnostics {
	var out scenario.Diagnostics
	for _, s := range notes {
		st := s.st
		if stuckAt[st.Node] {
			continue
		}
		stuckAt[st.Node] = true
		n, _ := sc.Node(st.Node)
		var p scenario.Pos
		if n != nil {
			p = n.Pos
		}
		out = append(out, diag(sc, p, CodeStuck,
			fmt.Sprintf("no choice is offered at node %q after choices %s%s: the trainee is stuck", st.Node, orNone(stepsOf(st)), s.how),
			"give one of its choices no condition, or a condition that holds in this state"))
	}
	if len(out) == 0 {
		return part
	}
	return append(out, part...)
}

func orNone(cs []int) string {
	if len(cs) == 0 {
		return "(none)"
	}
	return choiceList(cs)
}

// firstFrames keeps the top of a stack trace for a crash report.
func firstFrames(stack []byte) string {
	lines := strings.Split(string(stack), "\n")
	return strings.Join(lines[:min(len(lines), 12)], "\n")
}

// Extremes finds the best and worst finished paths: exactly, by playing
// every path, when the graph has at most exactLimit; else by beam search.
// exact says which.
func Extremes(sc *scenario.Scenario, exactLimit, beam, maxDepth int) (best, worst Path, exact bool, stuck []engine.State) {
	return extremes(sc, scoring.NewMemo(), exactLimit, beam, maxDepth) // see Paths for the memo
}

func extremes(sc *scenario.Scenario, memo *scoring.Memo, exactLimit, beam, maxDepth int) (best, worst Path, exact bool, stuck []engine.State) {
	g := newGraph(sc, maxDepth)
	if g.total.IsInt64() && g.total.Int64() <= int64(exactLimit) {
		done, st, ok := enumerate(sc, g.bound, exactLimit)
		if ok {
			best, worst = extremesOf(scorePaths(sc, memo, done))
			return best, worst, true, st
		}
	}
	var paths []Path
	if p, ok := beamSearch(sc, memo, beam, g.bound, +1); ok {
		paths = append(paths, p)
	}
	if p, ok := beamSearch(sc, memo, beam, g.bound, -1); ok {
		paths = append(paths, p)
	}
	best, worst = extremesOf(paths)
	return best, worst, false, nil
}

func extremeFindings(sc *scenario.Scenario, opts CheckOptions, reportStuck func(engine.State, string), sum *Summary) scenario.Diagnostics {
	memo := scoring.NewMemo() // the search and the strategies share their lines
	best, worst, exact, stuck := extremes(sc, memo, opts.ExactExtremes, opts.Beam, DefaultMaxDepth)
	for _, st := range stuck {
		reportStuck(st, "")
	}
	if best.Ending == "" {
		return nil // no path finishes; RP031 or the stuck report says why
	}
	how := "over every path"
	if !exact {
		how = fmt.Sprintf("found by beam search, width %d", opts.Beam)
	}
	out := giveawayFindings(sc, memo, best, sum)
	sum.Best, sum.Worst = best.Score, worst.Score
	if best.Score < MinBest {
		out = append(out, diag(sc, scenario.Pos{}, CodeLowBest,
			fmt.Sprintf("the best path scores %d (choices %s, ending %q; %s): under %d, no trainee can reach %q", best.Score, choiceList(best.Choices), best.Ending, how, MinBest, scoring.BandTop),
			"give the best choices the moves the scores reward (greeting and name, empathy, ownership, a concrete next step); `rapport paths` shows where the best path loses points"))
	}
	if gap := best.Score - worst.Score; gap < MinGap {
		out = append(out, diag(sc, scenario.Pos{}, CodeNarrowGap,
			fmt.Sprintf("the best path scores %d and the worst %d (choices %s, ending %q): a gap of %d, under %d, so careless answers cost too little", best.Score, worst.Score, choiceList(worst.Choices), worst.Ending, gap, MinGap),
			"make the poor choices show what costs points (blame, policy, passing the buck) and let them anger the customer"))
	}
	return out
}

// RunTests plays every [[test]] of a scenario and reports each expectation
// it misses at the test's line (a step the engine does not offer at the
// step's own position).
func RunTests(sc *scenario.Scenario) scenario.Diagnostics {
	var out scenario.Diagnostics
	for _, t := range sc.Tests {
		out = append(out, runTest(sc, t)...)
	}
	return out
}

func runTest(sc *scenario.Scenario, t *scenario.Test) scenario.Diagnostics {
	name := fmt.Sprintf("test %q", t.Name)
	fail := func(p scenario.Pos, msg, hint string) scenario.Diagnostic {
		if !p.IsValid() {
			p = t.Pos
		}
		return diag(sc, p, CodeTestFailed, name+" failed: "+msg, hint)
	}
	e, err := engine.New(sc, playOptions(sc))
	if err != nil {
		return scenario.Diagnostics{fail(t.Pos, err.Error(), "fix the scenario's start node")}
	}
	for j, k := range t.Choices {
		var at scenario.Pos
		if j < len(t.ChoicePos) {
			at = t.ChoicePos[j]
		}
		if e.Done() {
			st := e.State()
			why := ""
			if st.WalkedOut {
				why = " (the customer ran out of patience)"
			}
			return scenario.Diagnostics{fail(at, fmt.Sprintf("the conversation ended at %q after %d choices%s, before step %d", st.Ending, j, why, j+1),
				"remove the steps after the end, or choose gentler answers earlier")}
		}
		offered := e.Choices()
		if !slices.ContainsFunc(offered, func(c *scenario.Choice) bool { return c.Number == k }) {
			nums := make([]int, len(offered))
			for i, c := range offered {
				nums[i] = c.Number
			}
			return scenario.Diagnostics{fail(at, fmt.Sprintf("step %d: choice %d is not offered at node %q (offered: %s)", j+1, k, e.State().Node, orNone(nums)),
				"a choice whose condition does not hold is hidden; check the when of that choice and the moves before it")}
		}
		if err := e.Choose(step(k)); err != nil {
			return scenario.Diagnostics{fail(at, err.Error(), "check the step")}
		}
	}
	st := e.State()
	if !st.Done() {
		return scenario.Diagnostics{fail(t.Pos, fmt.Sprintf("the conversation is still going at node %q after %d choices", st.Node, len(t.Choices)),
			"add the remaining choices up to an ending")}
	}
	r := scoring.Evaluate(sc, st)
	summary := fmt.Sprintf("the path ends at %q (%s) with %s", st.Ending, st.Outcome, scoreSummary(r))
	var out scenario.Diagnostics
	if t.Ending != "" {
		_, isID := sc.Ending(t.Ending)
		if t.Ending == engine.WalkoutID && sc.Walkout == "" {
			isID = true
		}
		if (isID && st.Ending != t.Ending) || (!isID && string(st.Outcome) != t.Ending) {
			out = append(out, fail(t.Pos, fmt.Sprintf("expected ending %q, but %s", t.Ending, summary), "change the choices, or the ending the test expects"))
		}
	}
	for _, k := range scenario.TestScores {
		lo, hasLo := t.Min[k]
		hi, hasHi := t.Max[k]
		if !hasLo && !hasHi {
			continue
		}
		v, assessed := ScoreOf(r, k)
		label := scoreLabel(k)
		switch {
		case !assessed:
			reason := strings.TrimPrefix(r.Difficult.Reason, "Not assessed: ")
			out = append(out, fail(t.Pos, fmt.Sprintf("it bounds %s, but that score was not assessed on this path: %s", label, reason),
				"drop the bound, or make the customer difficult enough to be assessed"))
		case hasLo && v < lo:
			out = append(out, fail(t.Pos, fmt.Sprintf("%s is %d, below the minimum %d; %s", label, v, lo, summary), "reword the path's lines, or lower the bound"))
		case hasHi && v > hi:
			out = append(out, fail(t.Pos, fmt.Sprintf("%s is %d, above the maximum %d; %s", label, v, hi, summary), "make the path's lines poorer, or raise the bound"))
		}
	}
	return out
}

func scoreSummary(r scoring.Report) string {
	parts := []string{fmt.Sprintf("opening %d", r.Opening.Value), fmt.Sprintf("empathy %d", r.Empathy.Value)}
	if r.Difficult.Assessed {
		parts = append(parts, fmt.Sprintf("difficult %d", r.Difficult.Value))
	}
	return strings.Join(parts, ", ") + fmt.Sprintf(", overall %d", r.Overall)
}

// randomFindings plays opts.Random conversations choosing uniformly among
// the offered choices, scores each, and reports the ones that get stuck,
// run past opts.MaxSteps, or crash (recovered, with the steps to replay).
func randomFindings(sc *scenario.Scenario, opts CheckOptions, reportStuck func(engine.State, string)) scenario.Diagnostics {
	var out scenario.Diagnostics
	endless := false
	for i := 1; i <= opts.Random; i++ {
		var taken []int
		where := func() string {
			return fmt.Sprintf("random playthrough %d of %d (--seed %d)", i, opts.Random, opts.Seed)
		}
		func() {
			defer func() {
				if r := recover(); r != nil {
					out = append(out, diag(sc, scenario.Pos{}, CodeCrash,
						fmt.Sprintf("%s crashed after choices %s: %v", where(), orNone(taken), r),
						"replay it with an author test: choices = ["+choiceList(taken)+"]; this is a bug in Rapport, please report it\n"+firstFrames(debug.Stack())))
				}
			}()
			e, err := engine.New(sc, playOptions(sc))
			if err != nil {
				panic(err)
			}
			for !e.Done() {
				if len(taken) >= opts.MaxSteps {
					if !endless {
						endless = true
						out = append(out, diag(sc, scenario.Pos{}, CodeEndless,
							fmt.Sprintf("%s was still going after %d choices (at node %q; first choices %s)", where(), opts.MaxSteps, e.State().Node, choiceList(taken[:min(20, len(taken))])),
							"a loop that keeps the customer patient never ends: let the looping choices cost patience, or give the loop an exit"))
					}
					return
				}
				offered := e.Choices()
				if len(offered) == 0 {
					reportStuck(e.State(), " in "+where())
					return
				}
				c := offered[opts.Rand.IntN(len(offered))]
				taken = append(taken, c.Number)
				if err := e.Choose(step(c.Number)); err != nil {
					panic(err)
				}
			}
			scoring.Evaluate(sc, e.State())
		}()
	}
	return out
}
