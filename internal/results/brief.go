package results

import (
	"time"

	"github.com/rapport-sim/rapport/internal/scenario"
)

// brief mirrors Record without the explanations (see Brief). encoding/json
// skips the fields it does not name without building them, which is where
// the time goes. TestBriefMatchesFull keeps the two in step.
type brief struct {
	Schema   int         `json:"schema"`
	ID       string      `json:"id"`
	Trainee  string      `json:"trainee"`
	Scenario ScenarioRef `json:"scenario"`
	Mode     Mode        `json:"mode"`
	Limit    Duration    `json:"limit"`
	Rewinds  int         `json:"rewinds"`
	Status   Status      `json:"status"`
	Started  time.Time   `json:"started"`
	Ended    time.Time   `json:"ended"`
	Version  string      `json:"version"`
	Clock    Duration    `json:"clock"`
	Turns    []briefTurn `json:"turns"`
	Ending   *Ending     `json:"ending"`
	Scores   *struct {
		Opening   briefScore `json:"opening"`
		Empathy   briefScore `json:"empathy"`
		Difficult briefScore `json:"difficult"`
		Overall   int        `json:"overall"`
		Band      string     `json:"band"`
	} `json:"scores"`
}

type briefTurn struct {
	Index      int           `json:"index"`
	Node       string        `json:"node"`
	Choice     int           `json:"choice"`
	Say        string        `json:"say"`
	Typed      string        `json:"typed"`
	Match      float64       `json:"match"`
	Hesitation Duration      `json:"hesitation"`
	At         Duration      `json:"at"`
	Mood       scenario.Mood `json:"mood"`
	Behaviors  []struct {
		ID       string `json:"id"`
		Polarity string `json:"polarity"`
		Strength int    `json:"strength"`
		Tagged   bool   `json:"tagged"`
	} `json:"behaviors"`
	Best *struct {
		Choice int    `json:"choice"`
		Say    string `json:"say"`
	} `json:"best"`
}

type briefScore struct {
	Label    string `json:"label"`
	Value    int    `json:"value"`
	Assessed bool   `json:"assessed"`
}

func (b *brief) record() *Record {
	r := &Record{
		Schema: b.Schema, ID: b.ID, Trainee: b.Trainee, Scenario: b.Scenario, Mode: b.Mode,
		Limit: b.Limit, Rewinds: b.Rewinds, Status: b.Status, Started: b.Started, Ended: b.Ended,
		Version: b.Version, Clock: b.Clock, Ending: b.Ending,
	}
	if b.Turns != nil {
		r.Turns = make([]Turn, len(b.Turns))
	}
	for i, t := range b.Turns {
		rt := &r.Turns[i]
		*rt = Turn{Index: t.Index, Node: t.Node, Choice: t.Choice, Say: t.Say, Typed: t.Typed, Match: t.Match,
			Hesitation: t.Hesitation, At: t.At, Mood: t.Mood}
		if len(t.Behaviors) > 0 {
			rt.Behaviors = make([]Behavior, len(t.Behaviors))
			for j, bh := range t.Behaviors {
				rt.Behaviors[j] = Behavior{ID: bh.ID, Polarity: bh.Polarity, Strength: bh.Strength, Tagged: bh.Tagged}
			}
		}
		if t.Best != nil {
			rt.Best = &Alternative{Choice: t.Best.Choice, Say: t.Best.Say}
		}
	}
	if s := b.Scores; s != nil {
		score := func(bs briefScore) Score { return Score{Label: bs.Label, Value: bs.Value, Assessed: bs.Assessed} }
		r.Scores = &Scores{Opening: score(s.Opening), Empathy: score(s.Empathy), Difficult: score(s.Difficult), Overall: s.Overall, Band: s.Band}
	}
	return r
}

// WithoutExplanations returns a copy of the record holding what a Brief
// read keeps.
func (r *Record) WithoutExplanations() *Record {
	out := *r
	out.Turns = nil
	if r.Turns != nil {
		out.Turns = make([]Turn, len(r.Turns))
	}
	for i, t := range r.Turns {
		t.Feedback, t.MatchedWhy, t.Empathy = "", "", nil
		if t.Behaviors != nil {
			bs := make([]Behavior, len(t.Behaviors))
			for j, b := range t.Behaviors {
				b.Evidence = ""
				bs[j] = b
			}
			t.Behaviors = bs
		}
		if t.Best != nil {
			t.Best = &Alternative{Choice: t.Best.Choice, Say: t.Best.Say}
		}
		out.Turns[i] = t
	}
	if r.Scores != nil {
		s := *r.Scores
		for _, sc := range s.All() {
			sc.Reason, sc.Points = "", nil
		}
		out.Scores = &s
	}
	return &out
}
