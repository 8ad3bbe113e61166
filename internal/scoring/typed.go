package scoring

import (
	"fmt"
	"strings"

	"github.com/rapport-sim/rapport/internal/engine"
	"github.com/rapport-sim/rapport/internal/reader"
	"github.com/rapport-sim/rapport/internal/scenario"
)

// typedWhy says how the customer heard a typed line: the choice it was
// taken as and why, or that they did not follow it; then what they reacted
// to in its words, with the evidence and what it did to them.
func typedWhy(sc *scenario.Scenario, ti turnInfo, a reader.Analysis) string {
	name := sc.Customer.Name
	if name == "" {
		name = "The customer"
	}
	m := reader.MatchChoice(ti.entry.Text, ti.offered, ti.ctx)
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
		if b, found := a.Has(reader.BehaviorID(id)); found && b.Evidence != "" {
			part = fmt.Sprintf("%s in %q (%s", r.Why, reader.Quote(b.Evidence), moveWords(r.Effect))
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
