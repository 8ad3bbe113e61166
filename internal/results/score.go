package results

import (
	"fmt"

	"github.com/rapport-sim/rapport/internal/engine"
	"github.com/rapport-sim/rapport/internal/scenario"
	"github.com/rapport-sim/rapport/internal/scoring"
)

// NewRecord builds the record of an attempt: the scenario, the engine's
// final (or abandoned) state, the scoring model's report on that state, and
// what the player knows (Meta). The player calls it when an attempt ends
// and passes the result to Store.Save.
func NewRecord(sc *scenario.Scenario, st engine.State, rep scoring.Report, m Meta) (*Record, error) {
	r, err := FromState(sc, st, m)
	if err != nil {
		return nil, err
	}
	r.Scores = scoresOf(rep)
	for i := range r.Turns {
		if i >= len(rep.Turns) {
			break
		}
		addAnalysis(&r.Turns[i], rep.Turns[i])
	}
	return r, nil
}

// scoresOf converts the scoring model's report into the record's scores
// block.
func scoresOf(rep scoring.Report) *Scores {
	return &Scores{
		Opening:   scoreOf(rep.Opening),
		Empathy:   scoreOf(rep.Empathy),
		Difficult: scoreOf(rep.Difficult),
		Overall:   rep.Overall,
		Band:      string(rep.Band),
	}
}

func scoreOf(s scoring.Score) Score {
	out := Score{Label: s.Label, Value: s.Value, Assessed: s.Assessed, Reason: s.Reason}
	for _, p := range s.Points {
		out.Points = append(out.Points, Point{
			Behavior: string(p.Behavior), Delta: p.Delta,
			// The model counts turns from 0 with -1 for the whole
			// conversation; records count from 1 with 0 for the whole.
			Turn:     max(p.Turn+1, 0),
			Evidence: p.Evidence, Principle: p.Principle, Explanation: p.Explanation,
		})
	}
	return out
}

func addAnalysis(t *Turn, st scoring.Turn) {
	for _, b := range st.Analysis.Behaviors {
		t.Behaviors = append(t.Behaviors, Behavior{
			ID: string(b.ID), Polarity: b.Polarity, Strength: b.Strength, Evidence: b.Evidence, Tagged: b.Tagged,
		})
	}
	e := st.Analysis.Empathy
	t.Empathy = &Empathy{EmotionalReaction: e.EmotionalReaction, Interpretation: e.Interpretation, Exploration: e.Exploration, Score: e.Score}
	t.Feedback = st.Feedback
	if st.Best != nil {
		t.Best = &Alternative{Choice: st.Best.Choice, Say: st.Best.Say, Why: st.Best.Why}
	}
	t.MatchedWhy = st.MatchedWhy
}

// Replayed is an attempt played again from its record.
type Replayed struct {
	// State is the engine's state after the recorded steps.
	State engine.State
	// Report is today's scoring of that state.
	Report scoring.Report
	// Changed is true when the scenario file is not the one the attempt
	// was played on (its hash differs): the replay may differ from what
	// the trainee saw, or fail.
	Changed bool
}

// Replay re-plays a record's steps through the engine, on the conversation
// clock the player uses (scoring.Pace), and scores the result. It fails
// when the scenario is a different one, or has changed so much that a
// recorded choice is no longer offered.
func Replay(sc *scenario.Scenario, r *Record) (Replayed, error) {
	if sc.ID != r.Scenario.ID {
		return Replayed{}, fmt.Errorf("replay %s: record is of scenario %q, not %q", r.ID, r.Scenario.ID, sc.ID)
	}
	out := Replayed{Changed: sc.Hash != r.Scenario.Hash}
	e, err := engine.Replay(sc, engine.Options{Pace: scoring.Pace(sc.Channel)}, r.Steps())
	if err != nil {
		if out.Changed {
			return out, fmt.Errorf("replay %s: the scenario has changed since the attempt: %w", r.ID, err)
		}
		return out, fmt.Errorf("replay %s: %w", r.ID, err)
	}
	out.State = e.State()
	out.Report = scoring.Evaluate(sc, out.State)
	return out, nil
}
