package tui

import (
	"fmt"
	"time"

	"github.com/rapport-sim/rapport/internal/engine"
	"github.com/rapport-sim/rapport/internal/scenario"
	"github.com/rapport-sim/rapport/internal/scoring"
)

// scoringMatch maps a typed line onto the closest offered choice with the
// scoring model's deterministic similarity.
func scoringMatch(sc *scenario.Scenario, st engine.State, offered []*scenario.Choice, text string, hesitation time.Duration) (match, error) {
	ctx := scoring.TypedContext(sc, st, hesitation)
	m := scoring.MatchChoice(text, offered, ctx)
	for i, c := range offered {
		if c.Number == m.Choice {
			return match{index: i, score: m.Score, heard: scoring.Heard(text, ctx)}, nil
		}
	}
	return match{}, fmt.Errorf("typed line matched choice %d, which is not offered", m.Choice)
}
