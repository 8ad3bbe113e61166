package tui

import (
	"fmt"
	"strings"
	"time"

	"github.com/rapport-sim/rapport/internal/engine"
	"github.com/rapport-sim/rapport/internal/scenario"
	"github.com/rapport-sim/rapport/internal/scoring"
)

// typedContext is what the scoring model knows when the trainee types a
// line now: the customer's lines since the trainee last spoke, who the
// customer is, and where the conversation stands. It mirrors how
// scoring.Evaluate reads the same line afterwards, so the match made during
// play is the one the debrief explains.
func typedContext(sc *scenario.Scenario, st engine.State, hesitation time.Duration) scoring.Context {
	var said []string
	for _, e := range st.Transcript {
		if e.Speaker == engine.Trainee {
			said = said[:0]
			continue
		}
		said = append(said, e.Text)
	}
	return scoring.Context{
		Customer:     strings.Join(said, " "),
		Channel:      sc.Channel,
		CustomerName: sc.Customer.Name,
		Mode:         sc.Customer.Mode,
		Turn:         len(st.Steps),
		Elapsed:      st.Clock + hesitation,
	}
}

// scoringMatch maps a typed line onto the closest offered choice with the
// scoring model's deterministic similarity.
func scoringMatch(sc *scenario.Scenario, st engine.State, offered []*scenario.Choice, text string, hesitation time.Duration) (match, error) {
	m := scoring.MatchChoice(text, offered, typedContext(sc, st, hesitation))
	for i, c := range offered {
		if c.Number == m.Choice {
			return match{index: i, score: m.Score}, nil
		}
	}
	return match{}, fmt.Errorf("typed line matched choice %d, which is not offered", m.Choice)
}
