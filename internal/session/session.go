// Package session holds the rules of playing one scenario, once, for every
// front end: the full-screen player (package tui), plain mode (package
// plain) and the classroom server all drive a Session and read the attempt
// out of it with Attempt, which package results turns into a record.
//
// A Session knows what is offered, says a choice or the trainee's own words
// (matched to the closest offered choice), takes a line back in untimed
// practice, and times decisions in timed play: the pause before each line
// counts on the conversation clock, and when the time allowed runs out the
// customer hears dead air and reacts (engine.AfterSilence). It is pure like
// the engine: it never reads the clock itself (Options.Now does) and never
// waits; the front end owns the timers and calls Silence when one fires.
//
//	s, err := session.New(sc, session.Options{Timed: 15 * time.Second, Now: time.Now})
//	s.Ask()                      // the customer's line is on screen: the decision starts
//	err = s.Say(0)               // the first offered choice
//	heard, err := s.SayTyped("I'm so sorry, let me sort this out")
//	rec, err := results.RecordOf(s.Attempt(), meta)
//
// A Session is a value: copying one keeps that version of the conversation
// (the TUI's models are values and rely on it).
package session

import (
	"errors"
	"fmt"
	"time"

	"github.com/rapport-sim/rapport/internal/engine"
	"github.com/rapport-sim/rapport/internal/reader"
	"github.com/rapport-sim/rapport/internal/scenario"
	"github.com/rapport-sim/rapport/internal/scoring"
)

// MaxTypedLength is how many characters of a typed answer are kept: about
// two spoken sentences, enough for an opening and short enough to stay a
// turn. Every front end applies the same limit.
const MaxTypedLength = 280

// CutNote is what a front end says when a typed line went over
// MaxTypedLength and the rest was left out (Heard.Cut).
// It spells MaxTypedLength out (TestCutNoteNamesTheLimit holds the two
// together), so it is a constant rather than a string made at start-up.
const CutNote = "A line can be at most 280 characters: the rest was left out."

// Errors a session returns.
var (
	// ErrOver means the conversation has ended: nothing more can be said.
	ErrOver = errors.New("the conversation is over")
	// ErrNotOffered means a choice index is not among the offered choices.
	ErrNotOffered = errors.New("no such choice here")
	// ErrNothingTyped means typed words were empty once cleaned.
	ErrNothingTyped = errors.New("nothing was typed")
	// ErrNoMatch means typed words could not be matched to a way forward.
	ErrNoMatch = errors.New("those words could not be matched to a way forward")
	// ErrNoTakeBack means a line cannot be taken back: timed play, where
	// what is said stays said, or nothing said yet.
	ErrNoTakeBack = errors.New("there is no line to take back")
)

// Options configure a session.
type Options struct {
	// Pace is how long lines take on the conversation clock. Nil means the
	// scoring model's clock for the scenario's channel
	// (scoring.Pace(sc.Channel)), which is what the scores assume.
	Pace engine.Pace
	// Hesitation is the pause counted before each of the trainee's lines
	// in untimed play. Zero means scoring.DefaultHesitation.
	Hesitation time.Duration
	// Timed is the time allowed for each decision; zero is untimed
	// practice. Timed play needs Now and offers no taking back.
	Timed time.Duration
	// Now reads the wall clock: it times decisions in timed play and
	// stamps the attempt's start and end. Nil leaves them zero.
	Now func() time.Time
	// Agent is the trainee's name; its first word is what {agent} says in
	// the scenario's lines (scenario.AgentName). Empty means
	// scenario.DefaultAgent.
	Agent string
	// Match hears typed words as one of the offered choices. Nil means
	// reader.MatchChoice; view tests freeze it so their goldens do not
	// move with the similarity model.
	Match func(text string, offered []*scenario.Choice, ctx reader.Context) reader.Match
}

// Session is one attempt at a scenario in progress.
type Session struct {
	sc         *scenario.Scenario
	eopts      engine.Options
	hesitation time.Duration
	timed      time.Duration
	now        func() time.Time
	match      func(string, []*scenario.Choice, reader.Context) reader.Match

	st      engine.State
	offered []*scenario.Choice
	// silence is the conversation as the trainee hears it once a timed
	// decision has run out: st plus the customer's reaction to the dead
	// air. Nil otherwise. The next line records the dead air itself.
	silence *engine.State
	// asked is when the decision on show started, once Ask was called.
	asked  time.Time
	asking bool
	// spoke is when the trainee started typing their answer, in timed
	// play: from then on they are speaking, not silent.
	spoke time.Time

	rewinds        int
	started, ended time.Time
	// from is where a retry started (Attempt.RetryFrom).
	from int
}

// New starts a conversation.
func New(sc *scenario.Scenario, opts Options) (Session, error) {
	if sc == nil {
		return Session{}, errors.New("play: no scenario")
	}
	switch {
	case opts.Timed < 0:
		return Session{}, fmt.Errorf("play %q: the time per answer must be positive, not %s", sc.ID, opts.Timed)
	case opts.Timed > 0 && opts.Now == nil:
		return Session{}, fmt.Errorf("play %q: timed play needs a clock (Options.Now)", sc.ID)
	}
	s := Session{sc: sc, eopts: engine.Options{Pace: opts.Pace, Agent: scenario.AgentName(opts.Agent)}, hesitation: opts.Hesitation, timed: opts.Timed, now: opts.Now, match: opts.Match}
	if s.match == nil {
		s.match = reader.MatchChoice
	}
	if s.eopts.Pace == nil {
		s.eopts.Pace = scoring.Pace(sc.Channel)
	}
	if s.hesitation == 0 {
		s.hesitation = scoring.DefaultHesitation
	}
	e, err := engine.New(sc, s.eopts)
	if err != nil {
		return Session{}, fmt.Errorf("play %q: %w", sc.ID, err)
	}
	s.set(e)
	s.started = s.clock()
	return s, nil
}

// clock reads Options.Now, or gives the zero time without it.
func (s *Session) clock() time.Time {
	if s.now == nil {
		return time.Time{}
	}
	return s.now()
}

// set takes the engine's state after a change.
func (s *Session) set(e *engine.Engine) {
	s.st = e.State()
	s.offered = e.Choices()
	s.silence = nil
	s.asking = false
	s.spoke = time.Time{}
	if s.st.Done() && s.ended.IsZero() {
		s.ended = s.clock()
	}
}

// engine rebuilds the engine on the conversation so far (the engine clones
// the state, so the session stays a value).
func (s *Session) engine() (*engine.Engine, error) {
	e, err := engine.Restore(s.sc, s.eopts, s.st)
	if err != nil {
		return nil, fmt.Errorf("play %q: %w", s.sc.ID, err)
	}
	return e, nil
}

// Scenario returns the scenario being played.
func (s *Session) Scenario() *scenario.Scenario { return s.sc }

// State returns the conversation as played: the steps taken and their
// effects, without a reaction to dead air not yet answered.
func (s *Session) State() engine.State { return s.st }

// Heard returns the conversation as the trainee hears it: State, with the
// customer's reaction once a timed decision has run out.
func (s *Session) Heard() engine.State {
	if s.silence != nil {
		return *s.silence
	}
	return s.st
}

// Fill says a scenario text as this conversation does: {agent} becomes the
// trainee's name. Front ends use it for choices, feedback and the briefing.
func (s *Session) Fill(text string) string { return scenario.Fill(text, s.st.Agent) }

// Agent is the name {agent} is said as in this conversation.
func (s *Session) Agent() string { return s.st.Agent }

// Offered returns the choices offered now, in order; front ends number
// them from 1.
func (s *Session) Offered() []*scenario.Choice { return s.offered }

// Done reports whether the conversation has reached an ending.
func (s *Session) Done() bool { return s.st.Done() }

// Timed returns the time allowed per decision, zero for untimed practice.
func (s *Session) Timed() time.Duration { return s.timed }

// Rewinds counts the lines taken back.
func (s *Session) Rewinds() int { return s.rewinds }

// CanTakeBack reports whether TakeBack would take a line back.
func (s *Session) CanTakeBack() bool { return s.timed <= 0 && len(s.st.Steps) > 0 }

// TimedOut reports whether the decision on show ran out of time.
func (s *Session) TimedOut() bool { return s.silence != nil }

// Ask starts timing the decision on show, in timed play: call it once the
// customer's line is shown whole (the trainee cannot answer what they
// have not read). Asking again before answering changes nothing.
func (s *Session) Ask() {
	if s.timed <= 0 || s.asking || s.st.Done() {
		return
	}
	s.asking, s.asked = true, s.clock()
}

// Pause is the trainee's pause before the line they are about to say: the
// time since Ask in timed play (zero before it), else the fixed hesitation
// of untimed practice.
func (s *Session) Pause() time.Duration {
	if s.timed <= 0 {
		return s.hesitation
	}
	if !s.asking {
		return 0
	}
	if !s.spoke.IsZero() {
		return max(0, s.spoke.Sub(s.asked))
	}
	return max(0, s.clock().Sub(s.asked))
}

// Typing marks the trainee as speaking, in timed play: they have started
// typing their answer. Typing is talking, not silence, so the pause before
// the line ends here and the time allowed can no longer run out on this
// decision (a five-word answer typed in a ten-second limit is not dead
// air). Calling it again changes nothing; before Ask, or once the time has
// run out, it does nothing.
func (s *Session) Typing() {
	if s.timed <= 0 || !s.asking || !s.spoke.IsZero() || s.silence != nil {
		return
	}
	if now := s.clock(); now.Sub(s.asked) < s.timed {
		s.spoke = now
	}
}

// Speaking reports whether the trainee has started typing this answer
// (Typing), so the time allowed no longer runs.
func (s *Session) Speaking() bool { return !s.spoke.IsZero() }

// Silence is the time allowed running out in timed play: the customer
// hears dead air and reacts. It returns the conversation as heard, and
// whether this call is the one that ran the time out (the reaction is
// new: a front end shows it once).
func (s *Session) Silence() (engine.State, bool) {
	if s.timed <= 0 || s.silence != nil || s.st.Done() || s.Speaking() {
		return s.Heard(), false
	}
	e, err := s.engine()
	if err != nil {
		return s.Heard(), false
	}
	heard := e.AfterSilence(s.timed)
	s.silence = &heard
	return heard, true
}

// step is the decision on show as a step: the pause before it and, in
// timed play, the dead air when the time ran out, whether or not a timer
// noticed first.
func (s *Session) step(choice int) engine.Step {
	st := engine.Step{Choice: choice, Hesitation: s.Pause()}
	if s.timed > 0 && (s.silence != nil || st.Hesitation >= s.timed) {
		st.DeadAir = s.timed
	}
	return st
}

// Say says the offered choice at index i (0-based, in Offered order).
func (s *Session) Say(i int) error {
	if s.st.Done() {
		return ErrOver
	}
	if i < 0 || i >= len(s.offered) {
		return fmt.Errorf("%w: %d of %d", ErrNotOffered, i+1, len(s.offered))
	}
	step := s.step(s.offered[i].Number)
	step.ID = s.offered[i].ID
	return s.take(step)
}

// take plays a step.
func (s *Session) take(step engine.Step) error {
	e, err := s.engine()
	if err != nil {
		return err
	}
	if err := e.Choose(step); err != nil {
		return fmt.Errorf("play %q: %w", s.sc.ID, err)
	}
	s.set(e)
	return nil
}

// Heard is how the trainee's own words were heard: the offered choice
// they were closest to, how well they matched it, and what the customer
// reacts to in them.
type Heard struct {
	// Index is the choice's place among the offered choices (0-based).
	Index int
	// Choice is the offered choice.
	Choice *scenario.Choice
	// Score is how well the words matched it, 0–1.
	Score float64
	// Unheard says the words matched no choice well enough
	// (engine.MinMatch): the customer does not follow them, says the
	// node's clarify line, and the conversation stays where it is.
	Unheard bool
	// Behaviors are what the customer reacts to in the words
	// (reader.Heard, engine.Step.Heard).
	Behaviors []string
	// Text is the words as kept: cleaned and within MaxTypedLength.
	Text string
	// Cut says the words went over MaxTypedLength and the rest was left
	// out (front ends say CutNote).
	Cut bool
}

// Hear matches typed words to the closest offered choice, as the debrief
// will read them: after everything the customer said (a reaction to dead
// air too), at the time they are said. It says nothing.
func (s *Session) Hear(text string) (Heard, error) {
	if s.st.Done() {
		return Heard{}, ErrOver
	}
	text = reader.CleanTyped(text)
	cut := false
	if r := []rune(text); len(r) > MaxTypedLength {
		text, cut = string(r[:MaxTypedLength]), true
	}
	if text == "" {
		return Heard{}, ErrNothingTyped
	}
	heard := s.Heard()
	pause := max(s.st.Clock+s.Pause(), heard.Clock) - heard.Clock
	ctx := reader.TypedContext(s.sc, heard, pause)
	m := s.match(text, s.offered, ctx)
	for i, c := range s.offered {
		if c.Number == m.Choice {
			return Heard{Index: i, Choice: c, Score: m.Score, Unheard: m.Score < engine.MinMatch,
				Behaviors: reader.Heard(text, ctx), Text: text, Cut: cut}, nil
		}
	}
	return Heard{}, ErrNoMatch
}

// SayTyped says the trainee's own words along the closest offered choice
// and returns how they were heard.
func (s *Session) SayTyped(text string) (Heard, error) {
	h, err := s.Hear(text)
	if err != nil {
		return h, err
	}
	step := s.step(h.Choice.Number)
	step.ID = h.Choice.ID
	step.Text, step.Match, step.Heard = h.Text, h.Score, h.Behaviors
	if h.Unheard {
		step.Choice, step.ID, step.Unheard = 0, "", true
	}
	return h, s.take(step)
}

// TakeBack takes back the trainee's last line in untimed practice: the
// conversation is replayed without it and the rewind is counted.
func (s *Session) TakeBack() error {
	if !s.CanTakeBack() {
		return ErrNoTakeBack
	}
	n := len(s.st.Steps)
	e, err := engine.Replay(s.sc, s.eopts, s.st.Steps[:n-1])
	if err != nil {
		return fmt.Errorf("play %q: take back a line: %w", s.sc.ID, err)
	}
	s.set(e)
	s.ended = time.Time{}
	s.rewinds++
	return nil
}

// ErrNoSuchTurn means a retry was asked to start at a turn the earlier
// attempt did not reach.
var ErrNoSuchTurn = errors.New("no such turn to retry from")

// RetryFrom starts a new attempt at the same scenario that replays the
// first turn-1 lines of prev (an earlier conversation: its steps, said
// again through the engine, pauses and dead air included) and leaves the
// trainee to answer turn anew, from 1. The conversation branches from
// there: the new attempt is its own, and says where it started
// (Attempt.RetryFrom). RetryFrom(1) is the same as a fresh start, except
// that it is marked as a retry from turn 1.
func RetryFrom(sc *scenario.Scenario, opts Options, prev engine.State, turn int) (Session, error) {
	if turn < 1 || turn > len(prev.Steps) {
		return Session{}, fmt.Errorf("%w: turn %d of %d", ErrNoSuchTurn, turn, len(prev.Steps))
	}
	s, err := New(sc, opts)
	if err != nil {
		return Session{}, err
	}
	e, err := engine.Replay(sc, s.eopts, prev.Steps[:turn-1])
	if err != nil {
		return Session{}, fmt.Errorf("play %q: replay to turn %d: %w", sc.ID, turn, err)
	}
	if e.Done() {
		return Session{}, fmt.Errorf("%w: the conversation ended before turn %d", ErrNoSuchTurn, turn)
	}
	s.set(e)
	s.from = turn
	return s, nil
}

// Continue plays the steps of prev, a session on another version of the
// scenario (an author's file, reloaded), on this conversation, as long as
// fits finds each one's choice among those offered now. The attempt's
// start and rewinds carry over. It returns how many steps were taken.
func (s *Session) Continue(prev Session,
	fits func(at *scenario.Node, step engine.Step, offered []*scenario.Choice) (choice int, ok bool)) (int, error) {
	e, err := s.engine()
	if err != nil {
		return 0, err
	}
	kept := 0
	for _, step := range prev.st.Steps {
		if !step.Unheard {
			n, ok := fits(e.Node(), step, e.Choices())
			if !ok {
				break
			}
			// fits decided which choice it is, words first: a reworded
			// choice has a new id but is still the same choice.
			step.Choice, step.ID = n, ""
		}
		if e.Choose(step) != nil {
			break
		}
		kept++
	}
	s.rewinds, s.started = prev.rewinds, prev.started
	if kept > 0 {
		s.set(e)
	}
	return kept, nil
}

// Attempt is everything a record of the attempt needs: package results
// turns it into one (results.RecordOf).
type Attempt struct {
	// Scenario is the scenario played.
	Scenario *scenario.Scenario
	// State is the conversation: finished, or wherever it was left.
	State engine.State
	// Rewinds counts the lines taken back in untimed practice; State
	// holds only the lines that stood.
	Rewinds int
	// Timed is the time allowed per decision, zero for untimed practice.
	// Steps whose time ran out carry engine.Step.DeadAir.
	Timed time.Duration
	// Started and Ended are when the conversation started and ended (or
	// was left), from Options.Now; zero without it.
	Started, Ended time.Time
	// RetryFrom is the turn (from 1) a retry started at (RetryFrom): the
	// turns before it were replayed from an earlier attempt. Zero for an
	// attempt from the start.
	RetryFrom int
}

// Finished reports whether the conversation reached an ending. It is the
// one rule for an attempt's status, in every front end: finished when the
// conversation ended, whatever stopped the program afterwards; abandoned
// otherwise, however it was left (a key, end of input, a signal, a closed
// connection).
func (a Attempt) Finished() bool { return a.State.Done() }

// Attempt returns the attempt as it stands, ending now if the
// conversation is still going.
func (s *Session) Attempt() Attempt {
	ended := s.ended
	if ended.IsZero() {
		ended = s.clock()
	}
	return Attempt{Scenario: s.sc, State: s.st, Rewinds: s.rewinds, Timed: s.timed, Started: s.started, Ended: ended, RetryFrom: s.from}
}

// Newest is the index just after the trainee's last line in a transcript:
// where the customer's newest lines start, the ones a front end has not
// shown yet after a line is said or taken back (0 before the trainee has
// spoken).
func Newest(tr []engine.Entry) int {
	for i := len(tr) - 1; i >= 0; i-- {
		if tr[i].Speaker == engine.Trainee {
			return i + 1
		}
	}
	return 0
}

// MoodBefore is the customer's mood before the trainee's last line, which
// front ends compare with the mood now ("up 5", "▲5"): the mood of the line
// before it, or the current mood before the trainee has spoken.
func MoodBefore(st engine.State) scenario.Mood {
	if n := Newest(st.Transcript); n >= 2 {
		return st.Transcript[n-2].Mood
	}
	return st.Mood
}
