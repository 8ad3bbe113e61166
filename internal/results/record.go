// Package results keeps every attempt a trainee makes as one JSON record in
// a folder, and reads such folders back for history, replay and reports.
//
// A record (Record) is self-contained: who played which version of which
// scenario, in which mode, every turn with its timing, the ending, and the
// scores with their explanations. It also holds what is needed to replay
// the attempt through the engine (the turns are the engine's steps), so a
// debrief can be rebuilt later, and a changed scenario can be detected by
// its hash. The format is versioned (Schema) and documented in
// docs/results.md.
//
// A Store is one folder of records. Saves are atomic (temporary file,
// fsync, rename, fsync of the folder) and every record has its own file
// named by its unique id, so any number of processes can write into one
// folder at once (a class sharing a network folder, the SSH server's
// sessions) without locks, and a crash never leaves a half-written
// record. Reading never fails on a bad file: damaged or foreign files are
// returned as Skipped with the reason. Reads of record heads (Brief) keep
// a per-folder summary index (IndexName), a cache checked against every
// file on every read.
//
// The package takes times as values and reads no clock.
package results

import (
	"errors"
	"fmt"
	"time"

	"github.com/rapport-sim/rapport/internal/engine"
	"github.com/rapport-sim/rapport/internal/scenario"
)

// Schema is the newest record format version this package reads and
// writes. Readers accept records with a schema from 1 to Schema; a newer
// record is skipped with a reason that says to update Rapport.
//
// Scenario attempts are still written as schema 1 (ScenarioSchema), which
// every version reads. Drill rounds are schema 2 (DrillSchema), so a
// version that does not know drills skips them with that reason instead of
// listing them as empty scenario attempts.
const (
	Schema         = 2
	ScenarioSchema = 1
	DrillSchema    = 2
)

// Mode is how the trainee answered.
type Mode string

// The modes an attempt can be played in.
const (
	// Choices: the trainee picked from the numbered choices.
	Choices Mode = "choices"
	// FreeText: the trainee typed at least one answer of their own.
	FreeText Mode = "free-text"
	// Timed: every decision had a countdown (rapport play --timed).
	Timed Mode = "timed"
)

// Status says whether the attempt reached an ending.
type Status string

// The statuses a record can have.
const (
	Finished  Status = "finished"
	Abandoned Status = "abandoned"
)

// Record is one attempt at a scenario. Its JSON form is the file format;
// field names and meanings are documented in docs/results.md.
type Record struct {
	Schema int    `json:"schema"`
	ID     string `json:"id"`
	// Kind is what the record is of: a scenario attempt (empty, or
	// KindScenario) or a drill round (KindDrill, with Drill set).
	Kind    Kind   `json:"kind,omitempty"`
	Trainee string `json:"trainee"`
	// Agent is the name {agent} was said as in the scenario's lines
	// (engine.State.Agent), so a replay says the same lines.
	Agent    string      `json:"agent,omitempty"`
	Scenario ScenarioRef `json:"scenario"`
	Mode     Mode        `json:"mode"`
	// Limit is the time allowed per decision in timed mode.
	Limit Duration `json:"limit,omitempty"`
	// Rewinds counts the choices taken back in practice mode; the turns
	// hold only the choices that stood.
	Rewinds int `json:"rewinds"`
	// RetryFrom is the turn a retry started at (1-based): the turns before
	// it were replayed from an earlier attempt (the same lines, said
	// again through the engine) and the trainee answered from this one
	// on. Zero for an attempt played from the start, which includes "try
	// again".
	RetryFrom int       `json:"retry_from,omitempty"`
	Status    Status    `json:"status"`
	Started   time.Time `json:"started"`
	Ended     time.Time `json:"ended"`
	// Version is the version of Rapport that played the attempt.
	Version string `json:"version"`
	// Clock is the length of the conversation on the conversation clock.
	Clock Duration `json:"clock"`
	// Turns are the trainee's lines in order. They are also the engine
	// steps: Steps rebuilds them for engine.Replay.
	Turns []Turn `json:"turns"`
	// Ending is set when the conversation reached one.
	Ending *Ending `json:"ending,omitempty"`
	// Scores are the scoring model's judgement at the time of play.
	Scores *Scores `json:"scores,omitempty"`
	// Drill is a drill round's answers and score (Kind drill only).
	Drill *DrillRound `json:"drill,omitempty"`
	// Explanations hold the text behind the scores. They come last in the
	// file; see Explanations.
	Explanations *Explanations `json:"explanations,omitempty"`
}

// ScenarioRef says exactly which scenario was played.
type ScenarioRef struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	// Hash is the SHA-256 of the scenario file (scenario.Scenario.Hash).
	Hash       string `json:"hash"`
	Channel    string `json:"channel,omitempty"`
	Difficulty string `json:"difficulty,omitempty"`
	Version    string `json:"version,omitempty"`
}

// Turn is one of the trainee's lines and what the model saw in it.
type Turn struct {
	// Index counts turns from 1, as the debrief does.
	Index int `json:"index"`
	// Node is the decision point the line was said at.
	Node string `json:"node"`
	// Choice is the authored number of the choice taken (for a typed line,
	// the choice it was matched to), and ChoiceID its id
	// (scenario.Choice.ID), which reports group by; Say is that choice's
	// line as the trainee saw it ({agent} filled). A typed line the
	// customer did not follow has no choice: Choice 0, Unheard set.
	Choice   int    `json:"choice"`
	ChoiceID string `json:"choice_id,omitempty"`
	Say      string `json:"say"`
	Unheard  bool   `json:"unheard,omitempty"`
	// Heard lists the behaviours the customer reacted to in a typed line
	// (engine.Step.Heard), kept so a replay reacts the same way.
	Heard []string `json:"heard,omitempty"`
	// Typed is what the trainee typed in free-text mode, and Match how
	// well it matched the choice (0–1).
	Typed string  `json:"typed,omitempty"`
	Match float64 `json:"match,omitempty"`
	// Hesitation is the pause before the line: measured in timed mode, the
	// documented default otherwise. At is when the line started on the
	// conversation clock.
	Hesitation Duration `json:"hesitation"`
	At         Duration `json:"at"`
	// DeadAir is set when the time allowed ran out before the line (timed
	// mode): the silence the customer heard and reacted to, which the
	// engine must apply again on replay.
	DeadAir Duration `json:"dead_air,omitempty"`
	// Mood is the customer's state once the line was said.
	Mood scenario.Mood `json:"mood"`
	// Behaviors are what the model detected in the line (the words that
	// showed each are in Explanations).
	Behaviors []Behavior `json:"behaviors,omitempty"`
	// Empathy grades the three empathy mechanisms, 0–2 each.
	Empathy *Empathy `json:"empathy,omitempty"`
	// Best is the better choice that was on offer, when there was one
	// (why it is better is in Explanations).
	Best *Alternative `json:"best,omitempty"`
}

// Said is the line as the customer heard it: the typed text, or the
// choice's authored text.
func (t Turn) Said() string {
	if t.Typed != "" {
		return t.Typed
	}
	return t.Say
}

// Behavior is one behaviour detected in a line.
type Behavior struct {
	ID string `json:"id"`
	// Polarity is "+" or "-".
	Polarity string `json:"polarity"`
	// Strength is 1 (weak) or 2 (strong).
	Strength int `json:"strength"`
	// Tagged means the behaviour came from the author's tag on the choice
	// rather than from the words.
	Tagged bool `json:"tagged,omitempty"`
}

// Empathy grades a line on the three mechanisms of Sharma et al. (EMNLP
// 2020), each 0 (none), 1 (weak) or 2 (strong).
type Empathy struct {
	EmotionalReaction int `json:"emotional_reaction"`
	Interpretation    int `json:"interpretation"`
	Exploration       int `json:"exploration"`
	// Score is the line's empathy on 0–100.
	Score int `json:"score"`
}

// Alternative is a better choice that was on offer at a turn.
type Alternative struct {
	Choice int    `json:"choice"`
	ID     string `json:"id,omitempty"`
	Say    string `json:"say"`
}

// Ending is how the conversation closed.
type Ending struct {
	ID        string           `json:"id"`
	Outcome   scenario.Outcome `json:"outcome"`
	WalkedOut bool             `json:"walked_out,omitempty"`
}

// Scores are the three scores, the overall score and the band.
type Scores struct {
	Opening   Score  `json:"opening"`
	Empathy   Score  `json:"empathy"`
	Difficult Score  `json:"difficult"`
	Overall   int    `json:"overall"`
	Band      string `json:"band"`
}

// Score is one of the three scores.
type Score struct {
	// Label is the score's name as shown: "First 30 seconds", "Empathy",
	// "Difficult customers".
	Label string `json:"label"`
	// Value is 0–100; it means nothing when Assessed is false.
	Value    int  `json:"value"`
	Assessed bool `json:"assessed"`
	// Reason says why a score was not assessed.
	Reason string `json:"reason,omitempty"`
}

// Explanations are the words behind the verdict: every point given or
// taken, the words that showed each behaviour, the author's feedback, and
// why the better line was better. They are the debrief's text. A record
// keeps them last and apart from the rest so that reports, which need only
// the verdict, can stop reading a file where they begin.
type Explanations struct {
	// Opening, Empathy and Difficult are each score's points.
	Opening   []Point `json:"opening,omitempty"`
	Empathy   []Point `json:"empathy,omitempty"`
	Difficult []Point `json:"difficult,omitempty"`
	// Turns has one entry per turn, in order.
	Turns []TurnNotes `json:"turns,omitempty"`
}

// Points returns the three scores' points in display order.
func (x *Explanations) Points() [3][]Point {
	if x == nil {
		return [3][]Point{}
	}
	return [3][]Point{x.Opening, x.Empathy, x.Difficult}
}

// Notes returns the notes of the turn with the given index (from 1); the
// zero TurnNotes when there are none.
func (x *Explanations) Notes(index int) TurnNotes {
	if x == nil || index < 1 || index > len(x.Turns) {
		return TurnNotes{}
	}
	return x.Turns[index-1]
}

// TurnNotes explain one turn.
type TurnNotes struct {
	// Evidence maps each behaviour id in the turn to the words that
	// showed it. A behaviour that came only from an author tag has none.
	Evidence map[string]string `json:"evidence,omitempty"`
	// Feedback is the author's note on the choice taken (none for a typed
	// line, which only borrowed the choice's effects).
	Feedback string `json:"feedback,omitempty"`
	// BestWhy says why Turn.Best was the better line.
	BestWhy string `json:"best_why,omitempty"`
	// MatchedWhy says why a typed line was matched to Turn.Choice.
	MatchedWhy string `json:"matched_why,omitempty"`
}

// Point is one reason a score went up or down.
type Point struct {
	Behavior string `json:"behavior"`
	Delta    int    `json:"delta"`
	// Turn is the turn index (from 1) the point was earned at, 0 for the
	// conversation as a whole.
	Turn        int    `json:"turn,omitempty"`
	Evidence    string `json:"evidence,omitempty"`
	Principle   string `json:"principle,omitempty"`
	Explanation string `json:"explanation"`
}

// All returns the three scores in display order.
func (s *Scores) All() [3]*Score { return [3]*Score{&s.Opening, &s.Empathy, &s.Difficult} }

// Steps rebuilds the engine steps the attempt took, for engine.Replay.
func (r *Record) Steps() []engine.Step {
	out := make([]engine.Step, len(r.Turns))
	for i, t := range r.Turns {
		out[i] = engine.Step{
			Choice: t.Choice, ID: t.ChoiceID, Text: t.Typed, Match: t.Match,
			Hesitation: time.Duration(t.Hesitation), DeadAir: time.Duration(t.DeadAir),
			Unheard: t.Unheard, Heard: t.Heard,
		}
	}
	return out
}

// Errors that say why a record is not valid.
var (
	ErrNotRecord = errors.New("not a Rapport record")
	ErrNewer     = errors.New("written by a newer Rapport")
	ErrInvalid   = errors.New("invalid record")
)

// MaxIDLen is the longest record id.
const MaxIDLen = 100

// ValidID reports whether id can name a record file everywhere: 1 to
// MaxIDLen ASCII letters, digits, '_', '.' and '-', starting with a
// letter or digit (a leading dot would hide the file, and marks temporary
// files), and no "..".
func ValidID(id string) bool {
	if len(id) == 0 || len(id) > MaxIDLen {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		switch {
		case '0' <= c && c <= '9', 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
		case (c == '_' || c == '.' || c == '-') && i > 0:
			if c == '.' && id[i-1] == '.' {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// Validate checks what every reader relies on: a known schema, a usable
// id, the scenario it belongs to, a known status and mode, and turns that
// count from 1.
func (r *Record) Validate() error {
	switch {
	case r.Schema == 0:
		return fmt.Errorf("%w: no schema field", ErrNotRecord)
	case r.Schema > Schema:
		return fmt.Errorf("%w (schema %d; this version reads up to %d): update rapport to read it", ErrNewer, r.Schema, Schema)
	case r.Schema < 0:
		return fmt.Errorf("%w: schema %d", ErrInvalid, r.Schema)
	case !ValidID(r.ID):
		return fmt.Errorf("%w: id %q is missing or not usable as a file name", ErrInvalid, r.ID)
	case r.Scenario.ID == "":
		return fmt.Errorf("%w: no scenario id", ErrInvalid)
	case r.Status != Finished && r.Status != Abandoned:
		return fmt.Errorf("%w: status %q (want finished or abandoned)", ErrInvalid, r.Status)
	case r.Mode != Choices && r.Mode != FreeText && r.Mode != Timed:
		return fmt.Errorf("%w: mode %q (want choices, free-text or timed)", ErrInvalid, r.Mode)
	case r.Started.IsZero():
		return fmt.Errorf("%w: no start time", ErrInvalid)
	case r.Rewinds < 0:
		return fmt.Errorf("%w: negative rewinds", ErrInvalid)
	case r.RetryFrom < 0:
		return fmt.Errorf("%w: negative retry_from", ErrInvalid)
	case r.Kind == KindDrill:
		return r.validateDrill()
	case r.Schema >= DrillSchema && r.Kind == "":
		return fmt.Errorf("%w: schema %d record without a kind", ErrInvalid, r.Schema)
	case r.Kind != "" && r.Kind != KindScenario:
		return fmt.Errorf("%w (kind %q): update rapport to read it", ErrNewer, r.Kind)
	case r.Drill != nil:
		return fmt.Errorf("%w: a drill round in a scenario attempt", ErrInvalid)
	}
	for i, t := range r.Turns {
		if t.Index != i+1 {
			return fmt.Errorf("%w: turn %d has index %d", ErrInvalid, i+1, t.Index)
		}
		if (t.Choice < 1 && !(t.Unheard && t.Typed != "")) || t.Node == "" {
			return fmt.Errorf("%w: turn %d has no node or choice", ErrInvalid, i+1)
		}
	}
	if x := r.Explanations; x != nil && len(x.Turns) > len(r.Turns) {
		return fmt.Errorf("%w: notes for %d turns, but %d turns", ErrInvalid, len(x.Turns), len(r.Turns))
	}
	return nil
}
