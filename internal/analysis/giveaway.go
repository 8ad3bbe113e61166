package analysis

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/rapport-sim/rapport/internal/engine"
	"github.com/rapport-sim/rapport/internal/scenario"
	"github.com/rapport-sim/rapport/internal/scoring"
)

// A giveaway is a way to find the best answer without listening: it is
// always the longest line, always in the same place, or the only question.
// A trainee who learns that learns to count words, and a trainer's report
// then measures nothing. These thresholds decide when `check` warns; each
// applies to the decisions along the scenario's best path, and only from
// GiveawayMinDecisions of them (fewer say little).
const (
	// GiveawayMinDecisions: a best path with fewer decisions is not judged.
	GiveawayMinDecisions = 3
	// MaxLongestShare: the best choice may be the longest line offered at
	// no more than half the decisions (RP150). The library aims lower,
	// at 35% overall.
	MaxLongestShare = 0.5
	// MaxPositionShare: the best choice may sit at the same place in the
	// list at no more than 60% of the decisions (RP151).
	MaxPositionShare = 0.6
	// MaxQuestionShare: the best choice may be the only question offered
	// at no more than half the decisions (RP152).
	MaxQuestionShare = 0.5
)

// Giveaways counts, over the decisions of a path, how often the choice
// taken is the longest offered (in words, ties included), at the most
// common place in the list, and the only offered line with a question.
type Giveaways struct {
	Decisions int `json:"decisions"`
	Longest   int `json:"longest"`
	// Position is the place (1-based, as the trainee saw the list) the
	// taken choice was at most often, and PositionCount how often.
	Position      int `json:"position"`
	PositionCount int `json:"position_count"`
	OnlyQuestion  int `json:"only_question"`
	// Places counts the decisions by the place of the choice taken:
	// Places[0] is how often it was first in the list, and so on.
	Places []int `json:"places"`
}

// words is a line's length as the trainee reads it.
func words(s string) int { return len(strings.Fields(scenario.Fill(s, ""))) }

// GiveawaysOf plays choices from the start and counts the giveaways of the
// choices taken.
func GiveawaysOf(sc *scenario.Scenario, choices []int) (Giveaways, error) {
	var g Giveaways
	e, err := engine.New(sc, playOptions(sc))
	if err != nil {
		return g, err
	}
	places := map[int]int{}
	for i, c := range choices {
		offered := e.Choices()
		if len(offered) >= 2 {
			taken, longest, questions := -1, 0, 0
			for k, ch := range offered {
				if ch.Number == c {
					taken = k
				}
				longest = max(longest, words(ch.Say))
				if strings.Contains(ch.Say, "?") {
					questions++
				}
			}
			if taken >= 0 {
				g.Decisions++
				ch := offered[taken]
				if words(ch.Say) == longest {
					g.Longest++
				}
				if questions == 1 && strings.Contains(ch.Say, "?") {
					g.OnlyQuestion++
				}
				places[taken+1]++
				for len(g.Places) <= taken {
					g.Places = append(g.Places, 0)
				}
				g.Places[taken]++
			}
		}
		if err := e.Choose(step(c)); err != nil {
			return g, fmt.Errorf("step %d: %w", i+1, err)
		}
	}
	for p, n := range places {
		if n > g.PositionCount || n == g.PositionCount && p < g.Position {
			g.Position, g.PositionCount = p, n
		}
	}
	return g, nil
}

// Strategy is a fixed way of answering without listening.
type Strategy string

// The strategies a scenario must not reward: always the longest line,
// always the shortest, always the first, always the last. Random picks
// the offered choices uniformly (seeded).
const (
	AlwaysLongest  Strategy = "longest"
	AlwaysShortest Strategy = "shortest"
	AlwaysFirst    Strategy = "first"
	AlwaysLast     Strategy = "last"
	Random         Strategy = "random"
)

// StrategyScore is what a strategy scored. Finished is false when it got
// stuck or ran past DefaultMaxSteps; the path is then the part played.
type StrategyScore struct {
	Strategy Strategy `json:"strategy"`
	Path
	Finished bool `json:"finished"`
}

// FixedStrategies are the strategies `check --strict` fails a scenario
// for, when one reaches the top band.
var FixedStrategies = []Strategy{AlwaysLongest, AlwaysShortest, AlwaysFirst, AlwaysLast}

// PlayStrategy plays a scenario from the start answering by strategy, the
// way an untimed plain-mode attempt is played and scored, until it ends
// (or DefaultMaxSteps). Ties go to the choice listed first. Random needs
// rng. A strategy that gets stuck or runs past the bound returns the path
// so far with ok false.
func PlayStrategy(sc *scenario.Scenario, s Strategy, rng *rand.Rand) (p Path, ok bool) {
	return playStrategy(sc, nil, s, rng)
}

// playStrategy is PlayStrategy reading lines through m (nil: afresh).
func playStrategy(sc *scenario.Scenario, m *scoring.Memo, s Strategy, rng *rand.Rand) (p Path, ok bool) {
	e, err := engine.New(sc, playOptions(sc))
	if err != nil {
		return Path{}, false
	}
	for range DefaultMaxSteps {
		if e.Done() {
			return pathOf(sc, m, e.State()), true
		}
		offered := e.Choices()
		if len(offered) == 0 {
			return pathOf(sc, m, e.State()), false
		}
		pick := 0
		switch s {
		case AlwaysLast:
			pick = len(offered) - 1
		case Random:
			if rng == nil {
				return Path{}, false
			}
			pick = rng.IntN(len(offered))
		case AlwaysLongest, AlwaysShortest:
			for k, ch := range offered {
				w, best := words(ch.Say), words(offered[pick].Say)
				if s == AlwaysLongest && w > best || s == AlwaysShortest && w < best {
					pick = k
				}
			}
		}
		if err := e.Choose(step(offered[pick].Number)); err != nil {
			return pathOf(sc, m, e.State()), false
		}
	}
	return pathOf(sc, m, e.State()), e.Done()
}

// giveawayFindings warns about the giveaways of the best path and about a
// fixed strategy that reaches the top band.
func giveawayFindings(sc *scenario.Scenario, m *scoring.Memo, best Path, sum *Summary) scenario.Diagnostics {
	var out scenario.Diagnostics
	if best.Ending != "" {
		g, err := GiveawaysOf(sc, best.Choices)
		if err == nil {
			sum.Giveaways = &g
		}
		if err == nil && g.Decisions >= GiveawayMinDecisions {
			share := func(n int) float64 { return float64(n) / float64(g.Decisions) }
			if share(g.Longest) > MaxLongestShare {
				out = append(out, diag(sc, sc.IDPos, CodeLongestBest,
					fmt.Sprintf("on the best path the best choice is the longest line offered at %d of %d decisions (more than %.0f%%): a trainee can score by counting words", g.Longest, g.Decisions, MaxLongestShare*100),
					"give the poor choices plausible lines of the same length (warm but off the point, efficient but cold, an overpromise), and let the best line sometimes be the shortest"))
			}
			if share(g.PositionCount) > MaxPositionShare {
				out = append(out, diag(sc, sc.IDPos, CodeSamePlace,
					fmt.Sprintf("on the best path the best choice is number %d in the list at %d of %d decisions (more than %.0f%%)", g.Position, g.PositionCount, g.Decisions, MaxPositionShare*100),
					"move the best choice around: reorder the choices (their ids do not change, so results are kept)"))
			}
			if share(g.OnlyQuestion) > MaxQuestionShare {
				out = append(out, diag(sc, sc.IDPos, CodeOnlyQuestion,
					fmt.Sprintf("on the best path the best choice is the only question offered at %d of %d decisions (more than %.0f%%)", g.OnlyQuestion, g.Decisions, MaxQuestionShare*100),
					"let a poor choice ask a question too (a premature fix, an account number first), or the best one answer without asking"))
			}
		}
	}
	for _, s := range FixedStrategies {
		p, ok := playStrategy(sc, m, s, nil)
		sum.Strategies = append(sum.Strategies, StrategyScore{Strategy: s, Path: p, Finished: ok})
		if ok && p.Score >= MinBest {
			out = append(out, diag(sc, sc.IDPos, CodeStrategyWins,
				fmt.Sprintf("always choosing the %s line scores %d (choices %s, ending %q): a trainee who does not listen reaches %q", s, p.Score, choiceList(p.Choices), p.Ending, scoring.BandTop),
				"make that strategy cost: vary where and how long the best line is, and make the lines it picks lose points"))
		}
	}
	return out
}

// SameWords is a pair of choices at one node that get the same words back:
// they lead to the same place, neither has a reply of its own, and no
// variant there tells them apart. A caring and a careless line then hear
// the same customer line, as if the customer had not listened.
type SameWords struct {
	Node string `json:"node"`
	A, B int    `json:"-"`
	Pos  scenario.Pos
}

// neutral: a choice whose effects all stay within this many points moves
// the customer too little for a different answer to be owed.
const neutral = 5

// SameWordsOf lists the pairs of choices, node by node, that get the same
// words back (see SameWords). Two neutral choices need not differ.
func SameWordsOf(sc *scenario.Scenario) []SameWords {
	var out []SameWords
	isNeutral := func(c *scenario.Choice) bool {
		for _, st := range scenario.Stats {
			if v := c.Effects.Get(st); v > neutral || v < -neutral {
				return false
			}
		}
		return true
	}
	hasReply := func(c *scenario.Choice) bool { return c.Reply != "" || len(c.Replies) > 0 }
	for _, n := range sc.Nodes {
		for i, a := range n.Choices {
			for _, b := range n.Choices[i+1:] {
				if a.Next != b.Next || hasReply(a) || hasReply(b) || (isNeutral(a) && isNeutral(b)) {
					continue
				}
				if next, ok := sc.Node(a.Next); ok && variantsTellApart(next, a, b) {
					continue
				}
				out = append(out, SameWords{Node: n.ID, A: a.Number, B: b.Number, Pos: b.Pos})
			}
		}
	}
	return out
}

// variantsTellApart reports whether a variant of n reads something the two
// choices leave different: a flag one sets or clears and the other does
// not, or a scale they move at least 10 points apart.
func variantsTellApart(n *scenario.Node, a, b *scenario.Choice) bool {
	touches := func(c *scenario.Choice, f string) bool {
		return slices.Contains(c.Sets, f) || slices.Contains(c.Clears, f)
	}
	for _, v := range n.Variants {
		for _, cl := range v.When.Clauses {
			if cl.Flag != "" {
				if touches(a, cl.Flag) != touches(b, cl.Flag) {
					return true
				}
				continue
			}
			if d := a.Effects.Get(cl.Stat) - b.Effects.Get(cl.Stat); d >= 10 || d <= -10 {
				return true
			}
		}
	}
	return false
}

func sameWordsFindings(sc *scenario.Scenario) scenario.Diagnostics {
	var out scenario.Diagnostics
	for _, p := range SameWordsOf(sc) {
		out = append(out, diag(sc, p.Pos, CodeSameWords,
			fmt.Sprintf("choices %d and %d of node %q get the same words back: both lead to %q, neither has a reply, and no variant there tells them apart", p.A, p.B, p.Node, nextOf(sc, p)),
			"give one or both a reply = \"…\" with the customer's reaction to that line (reply variants can follow the mood)"))
	}
	return out
}

func nextOf(sc *scenario.Scenario, p SameWords) string {
	n, _ := sc.Node(p.Node)
	for _, c := range n.Choices {
		if c.Number == p.A {
			return c.Next
		}
	}
	return ""
}
