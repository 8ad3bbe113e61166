package reader

import (
	"fmt"
	"slices"

	"github.com/rapport-sim/rapport/internal/scenario"
)

// Kinds of TagMismatch.
const (
	// TaggedNotFound: the author tagged a behaviour the text does not show.
	TaggedNotFound = "tagged-not-found"
	// FoundNotTagged: the text shows a negative behaviour the author did
	// not tag (positive extras are not reported: an author need not tag
	// every good move).
	FoundNotTagged = "found-not-tagged"
	// UnknownTag: the tag is not a behaviour id.
	UnknownTag = "unknown-tag"
)

// TagMismatch is a disagreement between a choice's author tags and what the
// model reads in its text.
type TagMismatch struct {
	Choice  int        `json:"choice"`
	Tag     BehaviorID `json:"tag"`
	Kind    string     `json:"kind"`
	Message string     `json:"message"`
	// Node is the node the choice belongs to, for a caller that checks a
	// whole scenario (CheckTags leaves it empty).
	Node string `json:"node,omitempty"`
	// Evidence is the words that showed an untagged behaviour.
	Evidence string `json:"evidence,omitempty"`
}

// contextual behaviours can only be confirmed when the context says who the
// customer is or how they speak.
func confirmable(id BehaviorID, ctx Context) bool {
	switch id {
	case CustomerName:
		return ctx.CustomerName != ""
	case ModeMatch:
		if ctx.Mode != "" {
			return true
		}
		sc := scratchPool.Get().(*scratch)
		defer scratchPool.Put(sc)
		return modeOf(sc, ctx) != 0
	}
	return true
}

// CheckTags compares a choice's tags with its text in a context. Tags are
// checked in their written order, untagged negatives in catalogue order.
func CheckTags(c *scenario.Choice, ctx Context) []TagMismatch {
	return CheckTagsRead(c, ctx, Analyze(scenario.Fill(c.Say, ctx.Agent), ctx))
}

// CheckTagsRead is CheckTags for a caller that has read the choice's line
// in ctx already: a is Analyze(scenario.Fill(c.Say, ctx.Agent), ctx).
func CheckTagsRead(c *scenario.Choice, ctx Context, a Analysis) []TagMismatch {
	say := scenario.Fill(c.Say, ctx.Agent)
	// account_first and hold_first depend on when the line is said; an
	// author who tags one means it as an opening move, so check the text as
	// if it were (read so only for such a tag: `check` reads every choice
	// of a scenario here).
	var ea *Analysis
	var out []TagMismatch
	for _, tag := range c.Tags {
		id := BehaviorID(tag)
		if !Known(tag) {
			out = append(out, TagMismatch{Choice: c.Number, Tag: id, Kind: UnknownTag,
				Message: fmt.Sprintf("tag %q is not a behaviour id (see `rapport score --help` or docs/scoring.md)", tag)})
			continue
		}
		src := a
		if id == AccountFirst || id == HoldFirst {
			if ea == nil {
				early := ctx
				early.Turn, early.Elapsed = 0, 0
				r := Analyze(say, early)
				ea = &r
			}
			src = *ea
		}
		if _, ok := src.Has(id); ok || !confirmable(id, ctx) {
			continue
		}
		// Whether a factual question is about the customer's situation is
		// the author's call: an exploration tag on a line that asks
		// something is accepted.
		if id == Exploration && asksSomething(c.Say) {
			continue
		}
		// "Anything else I can help with?" is read as a closing; an author
		// who also tags it an offer of help is not contradicted.
		if _, closing := src.Has(Closing); id == OfferHelp && closing {
			continue
		}
		out = append(out, TagMismatch{Choice: c.Number, Tag: id, Kind: TaggedNotFound,
			Message: fmt.Sprintf("tagged %s, but the text shows no %s: reword the line or drop the tag", id, Label(id))})
	}
	for _, b := range a.Behaviors {
		// A deflection depends on the question just asked, which changes
		// with the customer's variant lines: it is scored, not checked.
		if b.Polarity != Negative || b.ID == Deflect || slices.Contains(c.Tags, string(b.ID)) {
			continue
		}
		out = append(out, TagMismatch{Choice: c.Number, Tag: b.ID, Kind: FoundNotTagged, Evidence: b.Evidence,
			Message: fmt.Sprintf("the text shows %s (%q) but the choice is not tagged %s", Label(b.ID), Quote(b.Evidence), b.ID)})
	}
	return out
}

// ContextAt is the context a choice at a node is said in, as far as the
// scenario alone can tell: the node's default customer line, the customer,
// and the fewest trainee turns it takes to reach the node from the start.
func ContextAt(sc *scenario.Scenario, n *scenario.Node) Context {
	ctx := Context{Channel: sc.Channel, CustomerName: sc.Customer.Name, Mode: sc.Customer.Mode}
	ctx.Customer = scenario.Fill(joinLines(n.Say), "")
	ctx.Turn = depths(sc)[n.ID]
	return ctx
}

func joinLines(ls []string) string {
	out := ""
	for i, l := range ls {
		if i > 0 {
			out += " "
		}
		out += l
	}
	return out
}

// depths is the fewest trainee turns from the start to each node.
func depths(sc *scenario.Scenario) map[string]int {
	d := map[string]int{sc.Start: 0}
	queue := []string{sc.Start}
	for len(queue) > 0 {
		id := queue[0]
		queue = queue[1:]
		n, ok := sc.Node(id)
		if !ok {
			continue
		}
		for _, c := range n.Choices {
			if _, seen := d[c.Next]; !seen {
				d[c.Next] = d[id] + 1
				queue = append(queue, c.Next)
			}
		}
	}
	return d
}

// RuleProblem is a mistake in a scenario's [scoring] table.
type RuleProblem struct {
	Pos     scenario.Pos
	Message string
	Hint    string
}

// CheckRules checks a scenario's company rules: every id in allow and
// weight must be a behaviour, and allow lifts only a cost (a negative
// behaviour).
func CheckRules(sc *scenario.Scenario) []RuleProblem {
	var out []RuleProblem
	ids := make([]string, 0, len(catalogue))
	for _, b := range catalogue {
		ids = append(ids, string(b.ID))
	}
	unknown := func(p scenario.Pos, where, id string) RuleProblem {
		hint := "behaviour ids are listed in docs/scoring.md"
		if near := scenario.Nearest(id, ids, 3); near != "" {
			hint = fmt.Sprintf("did you mean %q?", near)
		}
		return RuleProblem{p, fmt.Sprintf("[scoring] %s: %q is not a behaviour id", where, id), hint}
	}
	r := sc.Scoring
	for i, id := range r.Allow {
		p := r.Pos
		if i < len(r.AllowPos) {
			p = r.AllowPos[i]
		}
		switch {
		case !Known(id):
			out = append(out, unknown(p, "allow", id))
		case polarity(BehaviorID(id)) == Positive:
			out = append(out, RuleProblem{p, fmt.Sprintf("[scoring] allow: %q is a positive behaviour; allow lifts the cost of a negative one", id),
				fmt.Sprintf("to change what it earns, use weight = { %s = 2 }", id)})
		}
	}
	keys := make([]string, 0, len(r.Weight))
	for k := range r.Weight {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if !Known(k) {
			out = append(out, unknown(r.WeightPos[k], "weight", k))
		}
	}
	slices.SortStableFunc(out, func(a, b RuleProblem) int {
		if a.Pos.Line != b.Pos.Line {
			return a.Pos.Line - b.Pos.Line
		}
		return a.Pos.Col - b.Pos.Col
	})
	return out
}

// asksSomething reports whether text holds a question.
func asksSomething(text string) bool {
	sc := scratchPool.Get().(*scratch)
	defer scratchPool.Put(sc)
	sc.toks = tokenize(sc.toks[:0], text)
	for _, t := range sc.toks {
		if t.after == '?' {
			return true
		}
	}
	return false
}
