package results

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"time"

	"github.com/rapport-sim/rapport/internal/engine"
	"github.com/rapport-sim/rapport/internal/scenario"
	"github.com/rapport-sim/rapport/internal/version"
)

// Meta is what the player knows about an attempt that the engine state
// does not: who played, how, and when.
type Meta struct {
	Trainee string
	// Mode is how the trainee answered. Empty means Choices, or FreeText
	// when any turn was typed.
	Mode Mode
	// Limit is the per-decision time limit in timed mode.
	Limit time.Duration
	// Rewinds counts the choices taken back in practice mode.
	Rewinds int
	// RetryFrom is the turn a retry from a chosen turn started at
	// (1-based), zero for an attempt from the start (Record.RetryFrom).
	RetryFrom int
	// Started and Ended are wall-clock times, passed in by the caller.
	Started, Ended time.Time
	// Version is the program's version; empty means version.String().
	Version string
	// Status is Finished or Abandoned; empty means Finished when the
	// conversation reached an ending, else Abandoned.
	Status Status
}

// NewID returns a fresh record id: the start time in UTC to the
// millisecond, so ids sort by time, then 12 random hex digits from r, so
// ids made in the same millisecond by different processes differ. Nil r
// means crypto/rand.
func NewID(started time.Time, r io.Reader) (string, error) {
	if r == nil {
		r = rand.Reader
	}
	var b [6]byte
	if _, err := io.ReadFull(r, b[:]); err != nil {
		return "", fmt.Errorf("record id: %w", err)
	}
	return started.UTC().Format("20060102T150405.000Z") + "-" + hex.EncodeToString(b[:]), nil
}

// FromState builds a record of an attempt from the scenario and the
// engine's state, without scores (NewRecord adds them). It gives the
// record a new id.
func FromState(sc *scenario.Scenario, st engine.State, m Meta) (*Record, error) {
	id, err := NewID(m.Started, nil)
	if err != nil {
		return nil, err
	}
	r := &Record{
		Schema:  ScenarioSchema,
		ID:      id,
		Trainee: m.Trainee,
		Agent:   st.Agent,
		Scenario: ScenarioRef{
			ID: sc.ID, Title: sc.Title, Hash: sc.Hash,
			Channel: string(sc.Channel), Difficulty: string(sc.Difficulty), Version: sc.Version,
		},
		Mode:      m.Mode,
		Limit:     Duration(m.Limit),
		Rewinds:   m.Rewinds,
		RetryFrom: m.RetryFrom,
		Status:    m.Status,
		Started:   m.Started,
		Ended:     m.Ended,
		Version:   m.Version,
		Clock:     Duration(st.Clock),
		Turns:     turns(sc, st),
	}
	if r.Version == "" {
		r.Version = version.String()
	}
	if r.Status == "" {
		r.Status = Abandoned
		if st.Done() {
			r.Status = Finished
		}
	}
	if st.Done() {
		r.Ending = &Ending{ID: st.Ending, Outcome: st.Outcome, WalkedOut: st.WalkedOut}
	}
	if r.Mode == "" {
		r.Mode = Choices
		for _, t := range r.Turns {
			if t.Typed != "" {
				r.Mode = FreeText
			}
		}
	}
	if err := r.Validate(); err != nil {
		return nil, fmt.Errorf("record of %s: %w", sc.ID, err)
	}
	return r, nil
}

// turns pairs the trainee's transcript lines with the steps that made
// them: the engine appends exactly one trainee line per step.
func turns(sc *scenario.Scenario, st engine.State) []Turn {
	var out []Turn
	for _, e := range st.Transcript {
		if e.Speaker != engine.Trainee {
			continue
		}
		i := len(out)
		t := Turn{
			Index: i + 1, Node: e.Node, Choice: e.Choice, ChoiceID: e.ChoiceID,
			Hesitation: Duration(e.Hesitation), At: Duration(e.At), Mood: e.Mood,
		}
		if i < len(st.Steps) {
			s := st.Steps[i]
			t.Typed, t.Match, t.DeadAir = s.Text, s.Match, Duration(s.DeadAir)
			t.ChoiceID, t.Unheard, t.Heard = s.ID, s.Unheard, s.Heard
		}
		if n, ok := sc.Node(e.Node); ok && e.Choice > 0 {
			for _, c := range n.Choices {
				if c.Number == e.Choice {
					// The line as it was said, so a report shows it even
					// after the scenario is reworded.
					t.Say = scenario.Fill(c.Say, st.Agent)
				}
			}
		}
		out = append(out, t)
	}
	return out
}

// Empty reports whether an attempt is not worth a record: the trainee said
// nothing and the conversation reached no ending (opened and left at
// once). Such an attempt is not saved, so history and reports never list
// a call nobody took as a scored attempt.
func Empty(st engine.State) bool {
	if st.Done() {
		return false
	}
	for _, e := range st.Transcript {
		if e.Speaker == engine.Trainee {
			return false
		}
	}
	return true
}

// Scored reports whether a record's scores count: only a finished
// attempt's do. An abandoned attempt keeps the model's judgement of the
// lines it has (replay shows it), but history, reports and exports count
// it without scoring it.
func (r *Record) Scored() bool { return r.Scores != nil && r.Status == Finished }
