package results

import (
	"fmt"
	"math"
)

// Kind is what a record is of. Records made before kinds have none: they
// are scenario attempts.
type Kind string

// The kinds of record.
const (
	// KindScenario is an attempt at a scenario: a whole conversation,
	// with turns, an ending and scores. The empty Kind means the same.
	KindScenario Kind = "scenario"
	// KindDrill is a round of a drill (rapport drill): openers answered
	// one after another, each rated; Record.Drill holds them, and
	// Record.Scenario names the drill (its id, title and version).
	KindDrill Kind = "drill"
)

// IsDrill reports whether the record is a drill round.
func (r *Record) IsDrill() bool { return r.Kind == KindDrill }

// DrillRound is a drill round: the order it was played in, its score and
// every answer.
type DrillRound struct {
	// Seed ordered the openers: rapport drill ID --seed SEED --count
	// COUNT plays the same round again.
	Seed uint64 `json:"seed"`
	// Count is the number of openers in the round; Answers may be fewer
	// when it was abandoned.
	Count int `json:"count"`
	// Best counts the answers that found the best response; Points adds
	// best 3, good 2, weak 1, poor 0, out of MaxPoints (3 per answer).
	Best      int `json:"best"`
	Points    int `json:"points"`
	MaxPoints int `json:"max_points"`
	// DeadAir counts the openers where the time ran out or the pick came
	// after it.
	DeadAir int           `json:"dead_air"`
	Answers []DrillAnswer `json:"answers"`
}

// DrillAnswer is one opener and what the trainee picked.
type DrillAnswer struct {
	Opener  string `json:"opener"`
	Channel string `json:"channel"`
	Mood    string `json:"mood"`
	// Say is the customer's first line.
	Say string `json:"say"`
	// Picked is the response's number, 0 when the time ran out first;
	// PickedSay its line.
	Picked    int    `json:"picked,omitempty"`
	PickedSay string `json:"picked_say,omitempty"`
	// Rating is best, good, weak or poor (poor for dead air); Principle
	// the principle the answer turned on.
	Rating    string `json:"rating"`
	Principle string `json:"principle,omitempty"`
	DeadAir   bool   `json:"dead_air,omitempty"`
	// Took is how long the pick took, when measured (timed rounds).
	Took Duration `json:"took,omitempty"`
	// BestPick is the best response's number and BestSay its line.
	BestPick int    `json:"best_pick"`
	BestSay  string `json:"best_say"`
}

// Percent is the round's score on 0–100: its points out of the most it
// could have had. A round with no answers has none (ok false).
func (d *DrillRound) Percent() (int, bool) {
	if d == nil || d.MaxPoints <= 0 {
		return 0, false
	}
	return int(math.Round(100 * float64(d.Points) / float64(d.MaxPoints))), true
}

// validateDrill checks what a drill record must hold.
func (r *Record) validateDrill() error {
	d := r.Drill
	switch {
	case d == nil:
		return fmt.Errorf("%w: a drill record without its round", ErrInvalid)
	case len(r.Turns) > 0:
		return fmt.Errorf("%w: a drill record with conversation turns", ErrInvalid)
	case d.Count < len(d.Answers) || d.Best < 0 || d.Points < 0 || d.Points > d.MaxPoints || d.MaxPoints != 3*len(d.Answers):
		return fmt.Errorf("%w: drill round counts do not add up (%d answers of %d, %d best, %d of %d points)",
			ErrInvalid, len(d.Answers), d.Count, d.Best, d.Points, d.MaxPoints)
	}
	return nil
}
