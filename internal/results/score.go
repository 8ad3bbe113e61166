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
	r.Scores = &Scores{
		Opening:   scoreOf(rep.Opening),
		Empathy:   scoreOf(rep.Empathy),
		Difficult: scoreOf(rep.Difficult),
		Overall:   rep.Overall,
		Band:      string(rep.Band),
	}
	x := &Explanations{
		Opening:   pointsOf(rep.Opening.Points),
		Empathy:   pointsOf(rep.Empathy.Points),
		Difficult: pointsOf(rep.Difficult.Points),
	}
	for i := range r.Turns {
		if i >= len(rep.Turns) {
			break
		}
		x.Turns = append(x.Turns, addAnalysis(&r.Turns[i], rep.Turns[i]))
	}
	r.Explanations = x
	return r, nil
}

func scoreOf(s scoring.Score) Score {
	return Score{Label: s.Label, Value: s.Value, Assessed: s.Assessed, Reason: s.Reason}
}

func pointsOf(ps []scoring.Point) []Point {
	var out []Point
	for _, p := range ps {
		out = append(out, Point{
			Behavior: string(p.Behavior), Delta: p.Delta,
			// The model counts turns from 0 with -1 for the whole
			// conversation; records count from 1 with 0 for the whole.
			Turn:     max(p.Turn+1, 0),
			Evidence: p.Evidence, Principle: p.Principle, Explanation: p.Explanation,
		})
	}
	return out
}

// addAnalysis puts the model's reading of a turn into the turn, and
// returns the turn's notes.
func addAnalysis(t *Turn, st scoring.Turn) TurnNotes {
	notes := TurnNotes{Feedback: st.Feedback, MatchedWhy: st.MatchedWhy}
	for _, b := range st.Analysis.Behaviors {
		t.Behaviors = append(t.Behaviors, Behavior{ID: string(b.ID), Polarity: b.Polarity, Strength: b.Strength, Tagged: b.Tagged})
		// A tag the words do not show has the whole line as "evidence";
		// the line is in the turn already.
		if b.Evidence != "" && !(b.Tagged && b.Offset < 0) {
			if notes.Evidence == nil {
				notes.Evidence = map[string]string{}
			}
			notes.Evidence[string(b.ID)] = b.Evidence
		}
	}
	e := st.Analysis.Empathy
	t.Empathy = &Empathy{EmotionalReaction: e.EmotionalReaction, Interpretation: e.Interpretation, Exploration: e.Exploration, Score: e.Score}
	if st.Best != nil {
		t.Best = &Alternative{Choice: st.Best.Choice, ID: st.Best.ID, Say: st.Best.Say}
		notes.BestWhy = st.Best.Why
	}
	return notes
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
	e, err := engine.Replay(sc, engine.Options{Pace: scoring.Pace(sc.Channel), Agent: r.Agent}, r.Steps())
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
