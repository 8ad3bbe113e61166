// Package engine runs a conversation: it holds the customer's state, offers
// the choices whose conditions hold, applies a choice's effects, picks the
// customer's next line by state, and ends the conversation at an ending or
// when the customer runs out of patience.
//
// It is pure: no UI, no I/O, no wall clock, no randomness. Time enters only
// through Step.Hesitation, Step.DeadAir and the Pace function the caller
// supplies, so a playthrough recorded as its steps replays to exactly the
// same state.
package engine

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/rapport-sim/rapport/internal/scenario"
)

// The customer model's rules, in one place so docs and tests can name them.
const (
	// TrustSoftening is how much of a poor move's anger a fully trusting
	// customer forgives: at trust 100 an anger increase is cut by half, at
	// trust 0 it lands in full. A customer who trusts you gives you the
	// benefit of the doubt.
	TrustSoftening = 0.5
	// BoilingPoint is the anger at which the customer's patience starts to
	// burn on every turn, by (anger-BoilingPoint+10)/10 points: 1 at 70, 4
	// at 100. An angry customer runs out faster.
	BoilingPoint = 70
)

// Errors returned by Choose.
var (
	ErrDone       = errors.New("the conversation has ended")
	ErrNotOffered = errors.New("that choice is not offered here")
)

// Speaker says who spoke a transcript line.
type Speaker string

// The speakers in a transcript.
const (
	Customer Speaker = "customer"
	Trainee  Speaker = "trainee"
)

// Pace returns how long a line takes to say or type. The scoring package's
// conversation clock provides the real one; nil means lines take no time.
type Pace func(who Speaker, text string) time.Duration

// Options configure an engine.
type Options struct {
	Pace Pace
	// Agent is the trainee's first name, said wherever a line has {agent}
	// (pass it through scenario.AgentName); empty means
	// scenario.DefaultAgent.
	Agent string
}

// Step is one decision: the choice taken (its authored number at the node),
// and for a typed free-text answer the text and how well it matched that
// choice (0–1), which scales the choice's effects.
//
// Hesitation is the trainee's pause before the line, counted on the
// conversation clock. DeadAir is set in timed play when the decision's time
// limit ran out before the trainee spoke: it is the silence (the limit)
// after which the customer reacted. The reaction comes before the choice
// takes effect (see DeadAirEffect and DeadAirLine); Hesitation is then still
// the whole pause, from the choices appearing to the pick.
type Step struct {
	// Choice is the choice's authored number at its node; ID is its id
	// (scenario.Choice.ID). Choose finds the choice by ID when it is set,
	// so a record replays onto a scenario whose choices were reordered.
	// Both are empty for an unheard step.
	Choice     int           `json:"choice"`
	ID         string        `json:"id,omitempty"`
	Text       string        `json:"text,omitempty"`
	Match      float64       `json:"match,omitempty"`
	Hesitation time.Duration `json:"hesitation,omitempty"`
	DeadAir    time.Duration `json:"dead_air,omitempty"`
	// Unheard marks a typed line that matched no choice well enough (see
	// MinMatch): the conversation does not move on; the customer says the
	// node's clarify line and the trainee answers again.
	Unheard bool `json:"unheard,omitempty"`
	// Heard lists the behaviours the customer reacts to in a typed line,
	// on top of the matched choice's effects (see Reactions): read by the
	// scoring model when the line was typed and kept so a replay reacts
	// the same way.
	Heard []string `json:"heard,omitempty"`
}

// Typed reports whether the step was a free-text answer.
func (s Step) Typed() bool { return s.Text != "" }

// TimedOut reports whether the customer heard dead air before the step.
func (s Step) TimedOut() bool { return s.DeadAir > 0 }

// Dead air: what a silence that outlasts a timed decision does to the
// customer. A pause the customer did not expect makes an anxious customer
// more anxious, annoys them a little and uses up some of their patience;
// the effect is applied like a choice's effects (trust softens the anger,
// and past the boiling point patience burns faster).
const (
	DeadAirApprehension = 10
	DeadAirAnger        = 5
	DeadAirPatience     = -10
)

// DeadAirEffect is the change dead air makes to the customer's mood, as a
// choice's effects.
func DeadAirEffect() scenario.Mood {
	return scenario.Mood{Apprehension: DeadAirApprehension, Anger: DeadAirAnger, Patience: DeadAirPatience}
}

// DeadAirLine is what the customer says when the silence has gone on too
// long, worded for the channel. It opens with a stage direction, which
// takes no time on the conversation clock.
func DeadAirLine(ch scenario.Channel) string {
	switch ch {
	case scenario.Chat:
		return "[no reply for a while] Hello?? Is anyone still there?"
	case scenario.InPerson:
		return "[silence; they lean in] Sorry, are you still with me?"
	}
	return "[silence on the line] Hello? Are you still there?"
}

// Entry is one line of the transcript.
type Entry struct {
	Speaker Speaker `json:"speaker"`
	// Node is the node the line was said at.
	Node string `json:"node"`
	// Choice is the authored choice number for trainee lines, and
	// ChoiceID the choice's id; both are empty for a typed line the
	// customer did not follow.
	Choice   int    `json:"choice,omitempty"`
	ChoiceID string `json:"choice_id,omitempty"`
	Text     string `json:"text"`
	Typed    bool   `json:"typed,omitempty"`
	// Reply marks the customer's reaction to the trainee's last line (a
	// choice's reply, or the clarify line).
	Reply bool `json:"reply,omitempty"`
	// At is when the line starts on the conversation clock, after any
	// hesitation; Duration is how long it takes to say.
	At         time.Duration `json:"at"`
	Duration   time.Duration `json:"duration"`
	Hesitation time.Duration `json:"hesitation,omitempty"`
	// Mood is the customer's state once the line has been said.
	Mood scenario.Mood `json:"mood"`
	// Offered are the authored numbers of the choices offered when a
	// trainee line was said, in order, so the scoring reads what the
	// trainee could have said without replaying the conversation.
	Offered []int `json:"offered,omitempty"`
}

// State is everything about a conversation in progress. It is plain data:
// it can be copied, saved as JSON and restored.
type State struct {
	Node       string        `json:"node"`
	Mood       scenario.Mood `json:"mood"`
	Flags      []string      `json:"flags,omitempty"`
	Clock      time.Duration `json:"clock"`
	Steps      []Step        `json:"steps,omitempty"`
	Transcript []Entry       `json:"transcript"`
	// Ending is set once the conversation is over.
	Ending    string           `json:"ending,omitempty"`
	Outcome   scenario.Outcome `json:"outcome,omitempty"`
	WalkedOut bool             `json:"walked_out,omitempty"`
	// Agent is the name {agent} was said as (Options.Agent, or the
	// default), so scoring reads the lines the trainee saw.
	Agent string `json:"agent,omitempty"`
}

// Done reports whether the conversation has ended.
func (s State) Done() bool { return s.Ending != "" }

// HasFlag reports whether a flag is set.
func (s State) HasFlag(f string) bool {
	_, ok := slices.BinarySearch(s.Flags, f)
	return ok
}

func (s State) clone() State {
	s.Flags = slices.Clone(s.Flags)
	s.Steps = slices.Clone(s.Steps)
	s.Transcript = slices.Clone(s.Transcript)
	return s
}

// Room an engine keeps at the end of its own steps and transcript, so the
// next few turns append without copying what was said: a turn adds a step
// and some three lines.
const (
	stepRoom  = 4
	entryRoom = 8
	// A new conversation starts with room for the first several turns. A
	// conversation restored without its steps and transcript wants only
	// what the next turn adds (the path analysis plays each step on its
	// own): room for one step and the two lines most steps add, so a step
	// does not leave kilobytes of unused room behind.
	firstSteps   = 8
	firstEntries = 24
	oneTurnSteps = 1
	oneTurnLines = 2
	// offeredChunk is how many choice numbers an engine allocates at a
	// time for its lines' Offered lists.
	offeredChunk = 64
)

// own is a copy of s for an engine to play on: like clone, with room to
// grow (see stepRoom), and no slices shared with s, so nothing the engine
// does shows in s and nothing done to s shows in the engine.
func (s State) own() State {
	s.Flags = slices.Clone(s.Flags)
	if s.Steps != nil {
		s.Steps = append(make([]Step, 0, len(s.Steps)+stepRoom), s.Steps...)
	}
	if s.Transcript != nil {
		s.Transcript = append(make([]Entry, 0, len(s.Transcript)+entryRoom), s.Transcript...)
	}
	return s
}

// WalkoutID is the id of the built-in ending used when a scenario names no
// walkout ending of its own.
const WalkoutID = "walkout"

// Engine plays one scenario.
type Engine struct {
	sc   *scenario.Scenario
	opts Options
	// st is the engine's own: no slice in it is shared with a State
	// handed in or out (see own and clone), so the engine changes its
	// flags, steps and transcript in place.
	st State
	// node is st.Node's node, nil once the conversation has ended.
	node *scenario.Node
	// numbers is room for the next lines' Offered lists: each line's list
	// is cut from it, capped at its length, so one allocation serves many
	// turns and an append to one list never touches another.
	numbers []int
	// oneTurn marks an engine restored without steps or transcript: it
	// makes room for one turn at a time (see oneTurnSteps).
	oneTurn bool
}

// newEngine is an engine on st, which it takes as its own.
func newEngine(sc *scenario.Scenario, opts Options, st State) *Engine {
	e := &Engine{sc: sc, opts: opts, st: st}
	if !st.Done() {
		e.node, _ = sc.Node(st.Node)
	}
	return e
}

// New starts a conversation at the scenario's start node. The scenario must
// have passed validation without errors.
func New(sc *scenario.Scenario, opts Options) (*Engine, error) {
	start, ok := sc.Node(sc.Start)
	if !ok {
		return nil, fmt.Errorf("start scenario %q: start node %q not found", sc.ID, sc.Start)
	}
	if opts.Agent == "" {
		opts.Agent = scenario.DefaultAgent
	}
	e := newEngine(sc, opts, State{Mood: sc.Customer.Start, Agent: opts.Agent})
	e.arrive(start)
	return e, nil
}

// Replay starts a conversation and takes the given steps in order.
func Replay(sc *scenario.Scenario, opts Options, steps []Step) (*Engine, error) {
	e, err := New(sc, opts)
	if err != nil {
		return nil, err
	}
	for i, s := range steps {
		if err := e.Choose(s); err != nil {
			return nil, fmt.Errorf("replay step %d (%s): %w", i+1, s.describe(), err)
		}
	}
	return e, nil
}

// Restore continues a conversation from a saved state.
func Restore(sc *scenario.Scenario, opts Options, st State) (*Engine, error) {
	opts, _, err := restoring(sc, opts, st)
	if err != nil {
		return nil, err
	}
	e := newEngine(sc, opts, st.own())
	e.oneTurn = st.Steps == nil && st.Transcript == nil
	return e, nil
}

// restoring checks that a conversation can go on from st in sc, and
// returns the options to play it with (the trainee's name it was said
// with, unless opts give one) and the node it is at (nil once over).
func restoring(sc *scenario.Scenario, opts Options, st State) (Options, *scenario.Node, error) {
	var n *scenario.Node
	if st.Ending == "" {
		var ok bool
		if n, ok = sc.Node(st.Node); !ok {
			return opts, nil, fmt.Errorf("restore scenario %q: node %q no longer exists", sc.ID, st.Node)
		}
	}
	if opts.Agent == "" {
		opts.Agent = cmp.Or(st.Agent, scenario.DefaultAgent)
	}
	return opts, n, nil
}

// Next plays one step on from a conversation, for callers that keep
// conversations as chains of steps (the path analysis plays thousands):
// it returns the state after the step holding only that step and the lines
// it added (head's own Steps and Transcript are not read). The step is
// played exactly as Restore of head without its steps and transcript, then
// Choose, would play it, without an engine or a copy of the state left
// behind for each step. Offered gives the choices offered then.
func Next(sc *scenario.Scenario, opts Options, head State, s Step) (State, error) {
	st, _, err := next(sc, opts, head, s, false)
	return st, err
}

// NextOffered is Next, and the choices offered after the step as Offered
// gives them, from the engine that played it: a caller that plays a step
// to go on from it needs both, and Offered on its own looks the node up
// again.
func NextOffered(sc *scenario.Scenario, opts Options, head State, s Step) (State, []*scenario.Choice, error) {
	return next(sc, opts, head, s, true)
}

// next is Next, and with offer the choices offered after the step.
func next(sc *scenario.Scenario, opts Options, head State, s Step, offer bool) (State, []*scenario.Choice, error) {
	head.Steps, head.Transcript = nil, nil
	opts, n, err := restoring(sc, opts, head)
	if err != nil {
		return State{}, nil, err
	}
	e := Engine{sc: sc, opts: opts, st: head.own(), node: n, oneTurn: true}
	if err := e.Choose(s); err != nil {
		return State{}, nil, err
	}
	var offered []*scenario.Choice
	if offer {
		// Choose arrived at the node the state names (the first of that
		// id, as Offered would look it up) or ended the conversation.
		offered = e.Choices()
	}
	// The engine is dropped here, so its state needs no copy but of a
	// transcript with room to spare: callers keep thousands of these
	// states, and unused room kept is dearer than a copy made once.
	if cap(e.st.Transcript) > len(e.st.Transcript) {
		e.st.Transcript = slices.Clone(e.st.Transcript)
	}
	return e.st, offered, nil
}

// Offered returns the choices offered in a state, as Choices of an engine
// restored to it would: none once the conversation is over or at a node
// the scenario does not have.
func Offered(sc *scenario.Scenario, st State) []*scenario.Choice {
	if st.Done() {
		return nil
	}
	e := Engine{sc: sc, st: st}
	e.node, _ = sc.Node(st.Node)
	return e.Choices()
}

// hasFlag is st.HasFlag for conditions: a method value of e.st itself
// would copy the whole State at every condition tested.
func (e *Engine) hasFlag(f string) bool { return e.st.HasFlag(f) }

// Agent is the name {agent} is said as in this conversation.
func (e *Engine) Agent() string { return e.opts.Agent }

// Fill says a scenario text as this conversation does: {agent} becomes the
// trainee's name. Front ends use it for choices, feedback and the briefing.
func (e *Engine) Fill(text string) string { return scenario.Fill(text, e.opts.Agent) }

func (s Step) describe() string {
	switch {
	case s.Unheard:
		return "a typed line the customer did not follow"
	case s.ID != "":
		return fmt.Sprintf("choice %q", s.ID)
	}
	return fmt.Sprintf("choice %d", s.Choice)
}

// Scenario returns the scenario being played.
func (e *Engine) Scenario() *scenario.Scenario { return e.sc }

// State returns a copy of the current state.
func (e *Engine) State() State { return e.st.clone() }

// Done reports whether the conversation has ended.
func (e *Engine) Done() bool { return e.st.Done() }

// Node returns the node the conversation is at (nil once it has ended).
func (e *Engine) Node() *scenario.Node {
	if e.st.Done() {
		return nil
	}
	return e.node
}

// Choices returns the choices offered now: those whose conditions hold, in
// authored order. The trainee sees them numbered 1…n in this order.
func (e *Engine) Choices() []*scenario.Choice {
	n := e.Node()
	if n == nil {
		return nil
	}
	var out []*scenario.Choice
	for i, c := range n.Choices {
		if c.When.Holds(e.st.Mood, e.hasFlag) {
			if out == nil {
				out = make([]*scenario.Choice, 0, len(n.Choices)-i)
			}
			out = append(out, c)
		}
	}
	return out
}

// offered returns the authored numbers of the choices offered now, and
// the one a step takes (nil when it is not offered): the last offered
// whose id (or, for a step without one, number) is the step's.
func (e *Engine) offered(s Step) ([]int, *scenario.Choice) {
	var cs []*scenario.Choice
	if n := e.Node(); n != nil {
		cs = n.Choices
	}
	if cap(e.numbers)-len(e.numbers) < len(cs) {
		chunk := offeredChunk
		if e.oneTurn {
			chunk = 0
		}
		e.numbers = make([]int, 0, max(chunk, len(cs)))
	}
	numbers := e.numbers[len(e.numbers):len(e.numbers)]
	var ch *scenario.Choice
	for _, c := range cs {
		if !c.When.Holds(e.st.Mood, e.hasFlag) {
			continue
		}
		numbers = append(numbers, c.Number)
		if (s.ID != "" && c.ID == s.ID) || (s.ID == "" && c.Number == s.Choice) {
			ch = c
		}
	}
	numbers = numbers[:len(numbers):len(numbers)]
	e.numbers = e.numbers[:len(e.numbers)+len(numbers)]
	return numbers, ch
}

// Ending returns the ending reached, once the conversation is over.
func (e *Engine) Ending() (scenario.Ending, bool) {
	if !e.st.Done() {
		return scenario.Ending{}, false
	}
	if en, ok := e.sc.Ending(e.st.Ending); ok {
		return *en, true
	}
	return walkoutEnding(e.sc), true
}

// Choose takes a step. The choice must be one of Choices. A step with
// DeadAir first has the customer react to the silence; the walkout check
// comes after the choice, as always, so a good answer can still save a
// customer the silence had nearly lost.
func (e *Engine) Choose(s Step) error {
	if e.st.Done() {
		return ErrDone
	}
	if s.Unheard {
		if !s.Typed() {
			return fmt.Errorf("an unheard step at node %q has no typed text: %w", e.st.Node, ErrNotOffered)
		}
		return e.unheard(s)
	}
	numbers, ch := e.offered(s)
	if ch == nil {
		return fmt.Errorf("%s at node %q: %w", s.describe(), e.st.Node, ErrNotOffered)
	}
	s.Choice, s.ID = ch.Number, ch.ID
	text, scale := e.Fill(ch.Say), 1.0
	effects := ch.Effects
	if s.Typed() {
		text, scale = s.Text, math.Max(0, math.Min(1, s.Match))
		effects = typedEffects(ch.Effects, s.Heard)
	}
	e.speak(s, numbers, text, ch.Number, ch.ID)
	if s.Typed() {
		// The reactions land with the matched effects as one move, so the
		// boiling point burns patience once for the line.
		effects = add(scaled(effects, scale), Reactions(s.Heard))
		scale = 1
	}
	e.st.Mood = applyEffects(e.st.Mood, effects, scale)
	e.st.Flags = setFlags(e.st.Flags, ch.Sets, ch.Clears)
	e.st.Transcript[len(e.st.Transcript)-1].Mood = e.st.Mood

	if e.st.Mood.Patience <= 0 {
		e.end(e.walkoutID(), scenario.Lost, true)
		return nil
	}
	if r := ch.ReplyFor(e.st.Mood, e.hasFlag); r != "" {
		e.reply(r)
	}
	if en, ok := e.sc.Ending(ch.Next); ok {
		e.end(en.ID, en.Outcome, false)
		return nil
	}
	next, _ := e.sc.Node(ch.Next)
	e.arrive(next)
	return nil
}

// speak records a step and says the trainee's line: after the whole
// pause, and never before the customer has finished reacting to dead air.
// numbers are the choices offered (see offered).
func (e *Engine) speak(s Step, numbers []int, text string, number int, id string) {
	at := e.st.Clock + s.Hesitation
	if s.TimedOut() {
		e.deadAir(s.DeadAir)
		at = max(at, e.st.Clock)
	}
	if e.st.Steps == nil {
		n := firstSteps
		if e.oneTurn {
			n = oneTurnSteps
		}
		e.st.Steps = make([]Step, 0, n)
	}
	e.st.Steps = append(e.st.Steps, s)
	e.sayAt(Trainee, text, number, s.Typed(), at, s.Hesitation)
	e.st.Transcript[len(e.st.Transcript)-1].ChoiceID = id
	e.st.Transcript[len(e.st.Transcript)-1].Offered = numbers
}

// unheard takes a typed line the customer did not follow: the behaviours
// heard in it still move them, the clock runs, and they ask what the
// trainee means; the conversation stays at the node.
func (e *Engine) unheard(s Step) error {
	s.Choice, s.ID = 0, ""
	numbers, _ := e.offered(s)
	e.speak(s, numbers, s.Text, 0, "")
	e.st.Mood = applyEffects(e.st.Mood, Reactions(s.Heard), 1)
	e.st.Transcript[len(e.st.Transcript)-1].Mood = e.st.Mood
	if e.st.Mood.Patience <= 0 {
		e.end(e.walkoutID(), scenario.Lost, true)
		return nil
	}
	e.reply(e.Clarify())
	return nil
}

// reply has the customer react to the trainee's last line.
func (e *Engine) reply(text string) {
	e.say(Customer, e.Fill(text), 0, false, 0)
	e.st.Transcript[len(e.st.Transcript)-1].Reply = true
}

// Clarify is what the customer says at the current node when a typed line
// matched no choice well enough: the node's clarify, else the customer's,
// else DefaultClarify for the channel.
func (e *Engine) Clarify() string {
	if n := e.Node(); n != nil && n.Clarify != "" {
		return e.Fill(n.Clarify)
	}
	if c := e.sc.Customer.Clarify; c != "" {
		return e.Fill(c)
	}
	return DefaultClarify(e.sc.Channel)
}

// DefaultClarify is what a customer says when they did not follow a typed
// answer and the scenario gives no clarify line, worded for the channel.
func DefaultClarify(ch scenario.Channel) string {
	if ch == scenario.Chat {
		return "Sorry, I don't follow. What do you mean?"
	}
	return "Sorry, I'm not sure what you mean. Could you say that another way?"
}

// AfterSilence returns the conversation as it stands once the customer has
// reacted to silence dead air long: the state a timed player shows when
// the limit runs out, before the trainee has picked. The engine itself is
// not changed; the dead air is recorded by the next step (Step.DeadAir),
// which produces the same reaction at the same time.
func (e *Engine) AfterSilence(silence time.Duration) State {
	if e.st.Done() || silence <= 0 {
		return e.State()
	}
	preview := newEngine(e.sc, e.opts, e.st.clone())
	preview.deadAir(silence)
	return preview.st
}

// deadAir has the customer react to silence: DeadAirEffect on their mood,
// then DeadAirLine once the silence is over.
func (e *Engine) deadAir(silence time.Duration) {
	e.st.Mood = applyEffects(e.st.Mood, DeadAirEffect(), 1)
	e.say(Customer, DeadAirLine(e.sc.Channel), 0, false, silence)
}

func (e *Engine) walkoutID() string {
	if e.sc.Walkout != "" {
		return e.sc.Walkout
	}
	return WalkoutID
}

func (e *Engine) end(id string, outcome scenario.Outcome, walkedOut bool) {
	e.st.Ending, e.st.Outcome, e.st.WalkedOut = id, outcome, walkedOut
	e.node = nil
	en, _ := e.Ending()
	for _, l := range en.Say {
		e.say(Customer, e.Fill(l), 0, false, 0)
	}
}

// arrive moves to a node and has the customer say its line for the
// current state.
func (e *Engine) arrive(n *scenario.Node) {
	e.st.Node, e.node = n.ID, n
	for _, l := range Lines(n, e.st.Mood, e.hasFlag) {
		e.say(Customer, e.Fill(l), 0, false, 0)
	}
}

func (e *Engine) say(who Speaker, text string, choice int, typed bool, hesitation time.Duration) {
	e.sayAt(who, text, choice, typed, e.st.Clock+hesitation, hesitation)
}

// sayAt adds a line starting at a given time on the clock; hesitation is
// the pause before it, as recorded in the transcript.
func (e *Engine) sayAt(who Speaker, text string, choice int, typed bool, at, hesitation time.Duration) {
	var d time.Duration
	if e.opts.Pace != nil {
		d = e.opts.Pace(who, text)
	}
	if e.st.Transcript == nil {
		n := firstEntries
		if e.oneTurn {
			n = oneTurnLines
		}
		e.st.Transcript = make([]Entry, 0, n)
	}
	e.st.Transcript = append(e.st.Transcript, Entry{
		Speaker: who, Node: e.st.Node, Choice: choice, Text: text, Typed: typed,
		At: at, Duration: d, Hesitation: hesitation, Mood: e.st.Mood,
	})
	e.st.Clock = at + d
}

// Lines returns what the customer says at a node in a given state: the first
// variant whose condition holds, else the node's own lines.
func Lines(n *scenario.Node, m scenario.Mood, flag func(string) bool) []string {
	for _, v := range n.Variants {
		if v.When.Holds(m, flag) {
			return v.Say
		}
	}
	return n.Say
}

// applyEffects adds a choice's effects, scaled, to a mood. Trust softens
// how much anger a move adds, and anger at or past the boiling point burns
// patience.
func applyEffects(m, fx scenario.Mood, scale float64) scenario.Mood {
	anger := float64(fx.Anger) * scale
	if anger > 0 {
		anger *= 1 - TrustSoftening*float64(m.Trust)/100
	}
	m.Anger = clamp(m.Anger + int(math.Round(anger)))
	m.Trust = clamp(m.Trust + int(math.Round(float64(fx.Trust)*scale)))
	m.Apprehension = clamp(m.Apprehension + int(math.Round(float64(fx.Apprehension)*scale)))
	m.Patience = clamp(m.Patience + int(math.Round(float64(fx.Patience)*scale)))
	if m.Anger >= BoilingPoint {
		m.Patience = clamp(m.Patience - (m.Anger-BoilingPoint+10)/10)
	}
	return m
}

func clamp(v int) int { return max(0, min(100, v)) }

// scaled is a choice's effects scaled by how well a typed line matched,
// rounded the way applyEffects rounds.
func scaled(fx scenario.Mood, scale float64) scenario.Mood {
	var out scenario.Mood
	for _, st := range scenario.Stats {
		out.Set(st, int(math.Round(float64(fx.Get(st))*scale)))
	}
	return out
}

func add(a, b scenario.Mood) scenario.Mood {
	for _, st := range scenario.Stats {
		a.Set(st, a.Get(st)+b.Get(st))
	}
	return a
}

// setFlags sets and clears flags in place: the engine's flags are its own.
func setFlags(flags, sets, clears []string) []string {
	for _, f := range sets {
		if i, ok := slices.BinarySearch(flags, f); !ok {
			flags = slices.Insert(flags, i, f)
		}
	}
	for _, f := range clears {
		if i, ok := slices.BinarySearch(flags, f); ok {
			flags = slices.Delete(flags, i, i+1)
		}
	}
	return flags
}

// walkoutEnding is the built-in ending for a customer who has had enough,
// worded for the channel.
func walkoutEnding(sc *scenario.Scenario) scenario.Ending {
	name := sc.Customer.Name
	if name == "" {
		name = "The customer"
	}
	text := name + " has had enough and walks out."
	switch sc.Channel {
	case scenario.Phone:
		text = "[the line goes dead] " + name + " has hung up."
	case scenario.Chat:
		text = name + " has left the chat."
	}
	return scenario.Ending{ID: WalkoutID, Outcome: scenario.Lost, Say: []string{text}}
}

// MinMatch is the least similarity (0–1, from the scoring model's
// MatchChoice) at which a typed line counts as one of the offered choices.
// Below it the customer did not follow: they say the clarify line and the
// conversation stays where it is (Step.Unheard).
const MinMatch = 0.35

// Reaction is how a customer reacts to a behaviour heard in a typed line,
// on top of the matched choice's effects. The ids are the scoring model's
// behaviour ids.
type Reaction struct {
	Behavior string
	Effect   scenario.Mood
	// Why is what the debrief says the customer heard, after their name:
	// "Dana heard blame in …".
	Why string
}

// Reactions to typed lines, fixed so trainers can predict them: blame,
// sarcasm and invalidation ("calm down") anger the customer and cost trust;
// a real emotional reaction or an acknowledgement calms them. Each counts
// once per line, however often it is shown.
var reactions = []Reaction{
	{"blame", scenario.Mood{Anger: 15, Trust: -10}, "blame"},
	{"sarcasm", scenario.Mood{Anger: 15, Trust: -10}, "sarcasm"},
	{"invalidate", scenario.Mood{Anger: 20, Trust: -10}, "their feelings waved away"},
	{"emotional_reaction", scenario.Mood{Anger: -10, Trust: 5}, "warmth"},
	{"acknowledge", scenario.Mood{Anger: -5}, "that you understood"},
}

// ReactionTable lists the reactions in documentation order.
func ReactionTable() []Reaction { return slices.Clone(reactions) }

// ReactionTo returns the customer's reaction to a behaviour heard in a
// typed line, if they react to it.
func ReactionTo(behavior string) (Reaction, bool) {
	for _, r := range reactions {
		if r.Behavior == behavior {
			return r, true
		}
	}
	return Reaction{}, false
}

// Reactions is the sum of the reactions to the behaviours heard. Beside
// blame, sarcasm or invalidation, warmth does not ring true ("Calm down,
// I'm sorry"), so it calms no one: only the hostile reactions count.
func Reactions(heard []string) scenario.Mood {
	var m scenario.Mood
	seen := map[string]bool{}
	hostile := Hostile(heard)
	for _, h := range heard {
		r, ok := ReactionTo(h)
		if !ok || seen[h] || (hostile && r.Effect.Anger <= 0) {
			continue
		}
		seen[h] = true
		m = add(m, r.Effect)
	}
	return m
}

// Hostile reports whether any behaviour heard makes the customer angry.
func Hostile(heard []string) bool {
	for _, h := range heard {
		if r, ok := ReactionTo(h); ok && r.Effect.Anger > 0 {
			return true
		}
	}
	return false
}

// typedEffects are a matched choice's effects for a typed line: when the
// line was hostile, only what the choice costs, never what it earns, so a
// cruel line is never treated like the kind choice it resembled.
func typedEffects(fx scenario.Mood, heard []string) scenario.Mood {
	if !Hostile(heard) {
		return fx
	}
	fx.Anger = max(fx.Anger, 0)
	fx.Apprehension = max(fx.Apprehension, 0)
	fx.Trust = min(fx.Trust, 0)
	fx.Patience = min(fx.Patience, 0)
	return fx
}
