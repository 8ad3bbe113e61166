package reader

import (
	"github.com/rapport-sim/rapport/internal/engine"
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
		words[i] = Label(BehaviorID(id))
	}
	return JoinAnd(words)
}
