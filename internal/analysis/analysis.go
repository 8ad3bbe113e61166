// Package analysis is Rapport's authoring toolkit: the checks that go beyond
// a scenario's format (does it discriminate good from careless answers, do
// its lines fit the play screen, do its author tests pass), path statistics
// without enumerating paths one by one, random playthroughs, graph export
// (Mermaid and Graphviz DOT) and the JSON Schema of the scenario format.
//
// It is pure: no I/O, no wall clock, and randomness only from a seeded
// generator the caller passes in, so the same scenario and seed always give
// the same findings. It reads scenarios, plays them on the engine and grades
// them with the scoring model; the command layer decides what to print.
package analysis

import (
	"fmt"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/rapport-sim/rapport/internal/engine"
	"github.com/rapport-sim/rapport/internal/lazy"
	"github.com/rapport-sim/rapport/internal/scenario"
	"github.com/rapport-sim/rapport/internal/scoring"
)

// Diagnostic codes of the authoring analyses. The scenario package owns
// RP0xx (format, references, reachability); these start at RP100, grouped
// by kind: RP10x author tags, RP11x discrimination, RP12x screen fit, RP13x
// author tests and random playthroughs, RP14x what the trainee is told,
// RP15x giveaways. A code is never reused.
const (
	CodeTagNotShown      scenario.Code = "RP101" // tagged behaviour the text does not show
	CodeUntaggedNegative scenario.Code = "RP102" // negative behaviour shown but not tagged
	CodeUnknownTag       scenario.Code = "RP103" // tag that is not a behaviour id
	CodeContradiction    scenario.Code = "RP104" // effects contradict the tags (a blame line that calms)
	CodeBadRule          scenario.Code = "RP105" // [scoring] names no behaviour, or allows a positive one
	CodeFlatChoices      scenario.Code = "RP110" // a node's choices all score within FlatSpread
	CodeLowBest          scenario.Code = "RP111" // the best path scores under MinBest
	CodeNarrowGap        scenario.Code = "RP112" // best minus worst under MinGap
	CodeLongChoice       scenario.Code = "RP120" // a choice wraps past MaxChoiceLines at 80 columns
	CodeLongCustomer     scenario.Code = "RP121" // the customer's lines wrap past MaxCustomerLines
	CodeCrowdedScreen    scenario.Code = "RP122" // line and choices do not fit an 80x24 screen together
	CodeTestFailed       scenario.Code = "RP130" // an author test failed
	CodeStuck            scenario.Code = "RP131" // a playthrough reached a node with no choice offered
	CodeEndless          scenario.Code = "RP132" // a playthrough ran past the step bound
	CodeCrash            scenario.Code = "RP133" // a playthrough crashed the engine or the scoring model
	CodeNoBriefing       scenario.Code = "RP140" // no [briefing]
	CodeLongestBest      scenario.Code = "RP150" // the best choice is the longest too often
	CodeSamePlace        scenario.Code = "RP151" // the best choice is in the same place too often
	CodeOnlyQuestion     scenario.Code = "RP152" // the best choice is the only question too often
	CodeStrategyWins     scenario.Code = "RP153" // a fixed strategy reaches the top band
	CodeSameWords        scenario.Code = "RP154" // two choices at a node get the same words back
)

// severity fixes each analysis code's severity in one place. Findings
// about quality are warnings (they fail only `check --strict`); a failing
// author test, a trainee stuck with nothing to say and a crash are errors.
var severity = lazy.Value[map[scenario.Code]scenario.Severity]{New: func() map[scenario.Code]scenario.Severity {
	return map[scenario.Code]scenario.Severity{
		CodeTagNotShown:      scenario.Warning,
		CodeUntaggedNegative: scenario.Warning,
		CodeUnknownTag:       scenario.Warning,
		CodeContradiction:    scenario.Warning,
		CodeNoBriefing:       scenario.Warning,
		CodeLongestBest:      scenario.Warning,
		CodeSamePlace:        scenario.Warning,
		CodeOnlyQuestion:     scenario.Warning,
		CodeStrategyWins:     scenario.Warning,
		CodeSameWords:        scenario.Warning,
		CodeBadRule:          scenario.Error,
		CodeFlatChoices:      scenario.Warning,
		CodeLowBest:          scenario.Warning,
		CodeNarrowGap:        scenario.Warning,
		CodeLongChoice:       scenario.Warning,
		CodeLongCustomer:     scenario.Warning,
		CodeCrowdedScreen:    scenario.Warning,
		CodeTestFailed:       scenario.Error,
		CodeStuck:            scenario.Error,
		CodeEndless:          scenario.Warning,
		CodeCrash:            scenario.Error,
	}
}}

// Codes lists the analysis codes in order, for docs and tests.
func Codes() []scenario.Code {
	out := make([]scenario.Code, 0, len(severity.Get()))
	for c := range severity.Get() {
		out = append(out, c)
	}
	slices.Sort(out)
	return out
}

// SeverityOf returns the severity an analysis code is reported with.
func SeverityOf(c scenario.Code) scenario.Severity {
	if s, ok := severity.Get()[c]; ok {
		return s
	}
	return scenario.SeverityOf(c)
}

// diag builds a diagnostic for sc at p; a position the scenario does not
// know (one built in memory) becomes 1:1 so editors can still jump.
func diag(sc *scenario.Scenario, p scenario.Pos, code scenario.Code, msg, hint string) scenario.Diagnostic {
	if !p.IsValid() {
		p = scenario.Pos{Line: 1, Col: 1}
	}
	return scenario.Diagnostic{File: sc.File, Pos: p, Severity: SeverityOf(code), Code: code, Message: msg, Hint: hint}
}

// Options are how every analysis plays a scenario: on the scoring model's
// conversation clock with the untimed default pause before each line, the
// way `rapport play` scores an untimed attempt.
func playOptions(sc *scenario.Scenario) engine.Options {
	return engine.Options{Pace: scoring.Pace(sc.Channel)}
}

func step(choice int) engine.Step {
	return engine.Step{Choice: choice, Hesitation: scoring.DefaultHesitation}
}

// Play replays choice numbers from the start, the way author tests and the
// path commands do, and returns the engine. It fails on a choice that is
// not offered or a step after the end.
func Play(sc *scenario.Scenario, choices []int) (*engine.Engine, error) {
	e, err := engine.New(sc, playOptions(sc))
	if err != nil {
		return nil, err
	}
	for i, c := range choices {
		if err := e.Choose(step(c)); err != nil {
			return e, fmt.Errorf("step %d: %w", i+1, err)
		}
	}
	return e, nil
}

// ScoreOf reads one of scenario.TestScores from a report: the value and
// whether it was assessed (the overall always is).
func ScoreOf(r scoring.Report, key string) (int, bool) {
	return scoreIn(r.Opening, r.Empathy, r.Difficult, r.Overall, key)
}

// scoreIn is ScoreOf over the three scores and the overall, from a report
// or from scoring.Totals.
func scoreIn(opening, empathy, difficult scoring.Score, overall int, key string) (int, bool) {
	switch key {
	case "opening":
		return opening.Value, opening.Assessed
	case "empathy":
		return empathy.Value, empathy.Assessed
	case "difficult":
		return difficult.Value, difficult.Assessed
	case "overall":
		return overall, true
	}
	return 0, false
}

// scoreLabel names a TestScores key the way the trainee sees it.
func scoreLabel(key string) string {
	switch key {
	case "opening":
		return scoring.LabelOpening
	case "empathy":
		return scoring.LabelEmpathy
	case "difficult":
		return scoring.LabelDifficult
	}
	return "Overall"
}

// choiceList formats choice numbers as "2,1,3".
func choiceList(cs []int) string {
	parts := make([]string, len(cs))
	for i, c := range cs {
		parts[i] = strconv.Itoa(c)
	}
	return strings.Join(parts, ",")
}

func stepsOf(st engine.State) []int {
	out := make([]int, len(st.Steps))
	for i, s := range st.Steps {
		out[i] = s.Choice
	}
	return out
}

// parallel runs f(0..n-1) on as many goroutines as the runtime has
// processors, the caller's among them. Each f writes only its own index, so
// results stay in order and the output never depends on scheduling. The
// goroutines take the next index from a shared counter: `check` calls f for
// each of thousands of nodes, and handing each index over a channel woke a
// sleeping goroutine for most of them.
func parallel(n int, f func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	if workers <= 1 {
		for i := range n {
			f(i)
		}
		return
	}
	var next atomic.Int64
	work := func() {
		for {
			i := int(next.Add(1) - 1)
			if i >= n {
				return
			}
			f(i)
		}
	}
	var wg sync.WaitGroup
	for range workers - 1 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			work()
		}()
	}
	work()
	wg.Wait()
}

// inOrder runs f(0..n-1) in turn, where parallel would use every core.
func inOrder(n int, f func(i int)) {
	for i := range n {
		f(i)
	}
}
