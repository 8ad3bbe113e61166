package scoring

import (
	"fmt"
	"strings"

	"github.com/rapport-sim/rapport/internal/engine"
	"github.com/rapport-sim/rapport/internal/scenario"
)

// Heard lists the behaviours in a typed line that the customer reacts to
// (engine.ReactionTo), in the order the model found them: what the engine
// applies on top of the matched choice's effects (engine.Step.Heard).
func Heard(text string, ctx Context) []string {
	var out []string
	for _, b := range Analyze(text, ctx).Behaviors {
		if _, ok := engine.ReactionTo(string(b.ID)); ok {
			out = append(out, string(b.ID))
		}
	}
	return out
}

// HeardWords names behaviour ids in words for the trainee, as a list:
// "blame", "blame and sarcasm", "blame, sarcasm and invalidation".
func HeardWords(ids []string) string {
	words := make([]string, len(ids))
	for i, id := range ids {
		words[i] = label(BehaviorID(id))
	}
	switch len(words) {
	case 0:
		return ""
	case 1:
		return words[0]
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}

// typedWhy says how the customer heard a typed line: the choice it was
// taken as and why, or that they did not follow it; then what they reacted
// to in its words, with the evidence and what it did to them.
func typedWhy(sc *scenario.Scenario, ti turnInfo, a Analysis) string {
	name := sc.Customer.Name
	if name == "" {
		name = "The customer"
	}
	m := MatchChoice(ti.entry.Text, ti.offered, ti.ctx)
	why := m.Why
	if ti.step.Unheard {
		why = fmt.Sprintf("%s did not follow this: it is at best %d%% like choice %d, and %d%% is needed, so the conversation stayed where it was and %s asked what you meant.",
			name, int(m.Score*100+0.5), shownOf(ti.offered, m.Choice), int(engine.MinMatch*100), name)
	}
	var parts []string
	for _, id := range ti.step.Heard {
		r, ok := engine.ReactionTo(id)
		if !ok {
			continue
		}
		part := fmt.Sprintf("%s (%s", r.Why, moveWords(r.Effect))
		if b, found := a.Has(BehaviorID(id)); found && b.Evidence != "" {
			part = fmt.Sprintf("%s in %q (%s", r.Why, quote(b.Evidence), moveWords(r.Effect))
		}
		if engine.Hostile(ti.step.Heard) && r.Effect.Anger <= 0 {
			part += ", but not beside the hostile words"
		}
		parts = append(parts, part+")")
	}
	if len(parts) > 0 {
		why += fmt.Sprintf(" %s heard %s.", name, strings.Join(parts, "; "))
		if engine.Hostile(ti.step.Heard) && !ti.step.Unheard {
			why += " So the choice it resembled counted only where it cost, never where it helped."
		}
	}
	return why
}

// shownOf is the number a choice was offered under (its authored number
// when it was not offered).
func shownOf(offered []*scenario.Choice, number int) int {
	for i, c := range offered {
		if c.Number == number {
			return i + 1
		}
	}
	return number
}

// moveWords says what an effect does, "anger +15, trust −10".
func moveWords(m scenario.Mood) string {
	var out []string
	for _, st := range []scenario.Stat{scenario.Anger, scenario.Trust, scenario.Apprehension, scenario.Patience} {
		if v := m.Get(st); v != 0 {
			out = append(out, fmt.Sprintf("%s %+d", st, v))
		}
	}
	return strings.Join(out, ", ")
}
