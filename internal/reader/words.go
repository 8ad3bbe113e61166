package reader

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/rapport-sim/rapport/internal/scenario"
)

// AnalyzeChoice reads an authored choice and merges its author tags: a tag
// the text does not show is added at strength 1 with the whole line as
// evidence.
func AnalyzeChoice(c *scenario.Choice, ctx Context) Analysis {
	return WithTags(c, ctx, Analyze(scenario.Fill(c.Say, ctx.Agent), ctx))
}

// WithTags is AnalyzeChoice for a caller that has read the choice's line
// in ctx already: a is Analyze(scenario.Fill(c.Say, ctx.Agent), ctx). a's
// behaviours are not written to.
func WithTags(c *scenario.Choice, ctx Context, a Analysis) Analysis {
	say := scenario.Fill(c.Say, ctx.Agent)
	a.Behaviors = slices.Clip(a.Behaviors)
	added := false
	for _, tag := range c.Tags {
		id := BehaviorID(tag)
		if !Known(tag) {
			continue
		}
		if _, ok := a.Has(id); ok {
			continue
		}
		a.Behaviors = append(a.Behaviors, Behavior{
			ID: id, Polarity: polarity(id), Strength: 1, Evidence: say, Offset: -1, Tagged: true,
		})
		added = true
	}
	if added {
		ord := order.Get()
		slices.SortStableFunc(a.Behaviors, func(x, y Behavior) int { return ord[x.ID] - ord[y.ID] })
		a.Empathy = empathyOf(a.Behaviors)
	}
	return a
}

// Quote shortens long evidence for an explanation (the Evidence field keeps
// the full words).
func Quote(s string) string {
	const maxQuote = 90
	if !singleSpaced(s) {
		s = strings.Join(strings.Fields(s), " ")
	}
	if utf8.RuneCountInString(s) <= maxQuote {
		return s
	}
	r := []rune(s)
	cut := maxQuote
	for cut > maxQuote/2 && r[cut] != ' ' {
		cut--
	}
	return string(r[:cut]) + "…"
}

// singleSpaced reports whether s is already its words joined by single
// spaces, as most evidence is: then joining its fields again would only
// copy it.
func singleSpaced(s string) bool {
	space := true // a leading space is not single-spaced
	for _, r := range s {
		if !unicode.IsSpace(r) {
			space = false
			continue
		}
		if r != ' ' || space {
			return false
		}
		space = true
	}
	return !space || s == ""
}

// JoinAnd lists words as a sentence does: "a", "a and b", "a, b and c".
func JoinAnd(xs []string) string {
	switch len(xs) {
	case 0:
		return ""
	case 1:
		return xs[0]
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " and " + xs[len(xs)-1]
}
