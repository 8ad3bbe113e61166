// Package scenario defines Rapport's scenario format: the types a TOML
// scenario file decodes into, the loader that reports every problem with its
// file:line:col, and the validation rules that keep a scenario playable.
//
// It imports nothing from the UI or the engine; everything above it (engine,
// scoring, tui, cli) reads scenarios through these types.
package scenario

import "fmt"

// Channel is how the conversation happens. It decides the pace of the
// conversation clock (speech for phone and in-person, typing for chat) and the
// words used when a customer gives up (hangs up, closes the chat, walks out).
type Channel string

// The channels a scenario can use.
const (
	Phone    Channel = "phone"
	Chat     Channel = "chat"
	InPerson Channel = "in-person"
)

// Channels lists the valid channels in the order they are documented.
var Channels = []Channel{Phone, Chat, InPerson}

// Difficulty is the author's rating of how hard a scenario is.
type Difficulty string

// The difficulty ratings.
const (
	Easy   Difficulty = "easy"
	Medium Difficulty = "medium"
	Hard   Difficulty = "hard"
)

// Difficulties lists the valid ratings from easiest to hardest.
var Difficulties = []Difficulty{Easy, Medium, Hard}

// Outcome is how a conversation ended, from the business's point of view.
type Outcome string

// The outcomes an ending can have.
const (
	// Resolved: the problem is fixed and the customer leaves satisfied.
	Resolved Outcome = "resolved"
	// Kept: the problem is not (yet) fixed but the relationship held.
	Kept Outcome = "kept"
	// FollowUp: a concrete next step was agreed (callback, visit, ticket).
	FollowUp Outcome = "follow-up"
	// Escalated: handed to someone with more authority.
	Escalated Outcome = "escalated"
	// Lost: the customer gave up on the conversation or the company.
	Lost Outcome = "lost"
)

// Outcomes lists the valid outcomes from best to worst.
var Outcomes = []Outcome{Resolved, Kept, FollowUp, Escalated, Lost}

// Stat names one of the customer's four 0–100 scales.
type Stat int

// The customer's scales.
const (
	Apprehension Stat = iota
	Anger
	Trust
	Patience
)

// Stats lists every scale in display order.
var Stats = []Stat{Apprehension, Anger, Trust, Patience}

func (s Stat) String() string {
	switch s {
	case Apprehension:
		return "apprehension"
	case Anger:
		return "anger"
	case Trust:
		return "trust"
	case Patience:
		return "patience"
	}
	return fmt.Sprintf("Stat(%d)", int(s))
}

// ParseStat returns the stat with the given TOML name.
func ParseStat(name string) (Stat, bool) {
	for _, s := range Stats {
		if s.String() == name {
			return s, true
		}
	}
	return 0, false
}

// Mood is the customer's state on the four 0–100 scales. The same type
// carries effects (signed changes) on a choice.
type Mood struct {
	Apprehension int `json:"apprehension"`
	Anger        int `json:"anger"`
	Trust        int `json:"trust"`
	Patience     int `json:"patience"`
}

// Get returns the value of one scale.
func (m Mood) Get(s Stat) int {
	switch s {
	case Apprehension:
		return m.Apprehension
	case Anger:
		return m.Anger
	case Trust:
		return m.Trust
	case Patience:
		return m.Patience
	}
	return 0
}

// Set changes the value of one scale.
func (m *Mood) Set(s Stat, v int) {
	switch s {
	case Apprehension:
		m.Apprehension = v
	case Anger:
		m.Anger = v
	case Trust:
		m.Trust = v
	case Patience:
		m.Patience = v
	}
}

// IsZero reports whether no scale is set.
func (m Mood) IsZero() bool { return m == Mood{} }

// Pos is a position in a scenario file: 1-based line and byte column.
// The zero Pos means "the file as a whole".
type Pos struct {
	Line int `json:"line"`
	Col  int `json:"column"`
}

// IsValid reports whether the position points into the file.
func (p Pos) IsValid() bool { return p.Line > 0 }

func (p Pos) String() string {
	if !p.IsValid() {
		return "-"
	}
	return fmt.Sprintf("%d:%d", p.Line, p.Col)
}

// Scenario is one loaded scenario file.
type Scenario struct {
	// File is the path the scenario was loaded from, as given to Load.
	File string
	// Hash is the SHA-256 of the file's bytes, in hex: records keep it so a
	// result says exactly which version of the scenario was played.
	Hash string

	ID         string
	Title      string
	Summary    string
	Channel    Channel
	Difficulty Difficulty
	Tags       []string
	Author     string
	Version    string

	// Start is the id of the first node. It defaults to the first node in
	// the file.
	Start string
	// Walkout is the id of the ending used when the customer runs out of
	// patience. Empty means the engine's built-in walk-out ending.
	Walkout string

	// IDPos is where the id is written, for library-wide diagnostics
	// (a duplicate id, an id that does not match the file name).
	IDPos Pos

	// Briefing tells the trainee who they are and what they may offer,
	// before the call. Nil when the file has no [briefing].
	Briefing *Briefing
	Customer Customer
	Nodes    []*Node
	Endings  []*Ending
	// Tests are the author's scripted playthroughs, run by `rapport check`.
	Tests []*Test
	// Scoring holds the company's adjustments to the scoring model (the
	// [scoring] table); the scoring package checks the behaviour ids.
	Scoring ScoringRules

	nodes   map[string]*Node
	endings map[string]*Ending
}

// ScoringRules are a company's adjustments to the scoring model, where its
// practice differs from the model's defaults: behaviours whose cost it
// allows (an identity check security requires before anything else) and
// weights that scale a behaviour's points (0 to 3).
type ScoringRules struct {
	Pos   Pos
	Allow []string
	// AllowPos is where each Allow entry is written.
	AllowPos []Pos
	Weight   map[string]float64
	// WeightPos is where each Weight key is written.
	WeightPos map[string]Pos
	// Note says why, in the company's words; the debrief quotes it.
	Note string
}

// MaxScoringWeight is the largest weight a [scoring] table may give.
const MaxScoringWeight = 3

// Customer is who the trainee is talking to.
type Customer struct {
	Name    string
	Persona string
	// Voice says how the customer speaks, for the trainee's benefit.
	Voice string
	// Mode is the customer's representational system ("see", "hear" or
	// "feel"): the scoring model rewards responses that match it.
	Mode string
	// Start is the customer's state when the conversation begins.
	Start Mood
	// Clarify is what the customer says when a typed answer matches no
	// choice well enough, at nodes without a clarify of their own. Empty
	// means the engine's default for the channel.
	Clarify string
	Pos     Pos
}

// Briefing is what the trainee is told before the call: who they are, the
// company, what the call should achieve and what they are allowed to offer.
// Every text may use {agent}.
type Briefing struct {
	// Role is who the trainee is ("Customer adviser on the returns desk").
	Role    string
	Company string
	// Goal is what a good call achieves.
	Goal string
	// MayOffer lists what the trainee is allowed to offer: refund limits,
	// callbacks, escalation. The customer may ask for more.
	MayOffer []string
	Pos      Pos
}

// Node is one moment of the conversation: the customer speaks, the trainee
// answers with one of the choices.
type Node struct {
	ID string
	// Say is what the customer says, one entry per line. A line may start
	// with a stage direction in brackets, such as "[sighs]".
	Say []string
	// Variants replace Say when their condition holds; the first that holds
	// wins, so authors list the most specific first.
	Variants []*Variant
	Choices  []*Choice
	// Clarify is what the customer says at this node when a typed answer
	// matches no choice well enough; empty means the customer's clarify.
	Clarify string
	Pos     Pos
}

// Variant is an alternative customer line for a given state.
type Variant struct {
	When Cond
	Say  []string
	Pos  Pos
}

// Choice is one thing the trainee can say at a node.
type Choice struct {
	// ID names the choice at its node: the id written in the file, or
	// DefaultChoiceID of its say. Records, replays, reports and xAPI refer
	// to choices by it, so reordering choices never mixes two lines up.
	ID string
	// IDWritten says the id was written in the file rather than derived.
	IDWritten bool
	// Number is the choice's 1-based position among its node's choices in
	// the file. Paths and author tests refer to choices by it.
	Number int
	Say    string
	// Reply is the customer's immediate reaction to this line, said before
	// the next node's line (or the ending's). Empty means no reaction of
	// its own.
	Reply string
	// Replies replace Reply when their condition holds, tested on the
	// customer's state once the line has landed (its effects applied, its
	// flags set); the first that holds wins.
	Replies []*ReplyVariant
	// Next is the id of a node or an ending.
	Next string
	// Effects are signed changes to the customer's scales.
	Effects Mood
	// Sets and Clears name flags the choice turns on or off.
	Sets   []string
	Clears []string
	// When decides whether the choice is offered. The zero Cond always holds.
	When     Cond
	Feedback string
	// Tags name the behaviours the author intends the line to show, using
	// the scoring model's behaviour ids.
	Tags []string
	Pos  Pos
}

// ReplyVariant is an alternative reply to a choice for a given state.
type ReplyVariant struct {
	When  Cond
	Reply string
	Pos   Pos
}

// ReplyFor returns the customer's reply to the choice in a state: the first
// reply variant whose condition holds, else Reply ("" for none).
func (c *Choice) ReplyFor(m Mood, flag func(string) bool) string {
	for _, v := range c.Replies {
		if v.When.Holds(m, flag) {
			return v.Reply
		}
	}
	return c.Reply
}

// ChoiceByID returns the node's choice with the given id.
func (n *Node) ChoiceByID(id string) (*Choice, bool) {
	for _, c := range n.Choices {
		if c.ID == id {
			return c, true
		}
	}
	return nil, false
}

// Ending closes a conversation.
type Ending struct {
	ID      string
	Outcome Outcome
	Say     []string
	Pos     Pos
}

// TestScores are the keys a test's min and max tables may bound: the three
// scores (First 30 seconds, Empathy, Difficult customers) and the overall,
// each 0–100. The scoring package maps them to its labels.
var TestScores = []string{"opening", "empathy", "difficult", "overall"}

// Test is an author test: a playthrough given as the choice numbers taken
// at each node from the start, with the ending it must reach and bounds on
// the scores it must earn. Tests pin a scenario's intent (the caring path
// is resolved with high empathy, the careless one is lost) so that later
// rewording cannot quietly break it.
type Test struct {
	Name string
	// Choices are authored choice numbers (Choice.Number), one per turn.
	// A step written as a choice id has its number filled in by
	// validation, which follows the path.
	Choices []int
	// ChoiceIDs holds, for each step written as a choice id, that id
	// ("" for a step written as a number).
	ChoiceIDs []string
	// Ending is the ending id the path must reach, or an outcome word
	// ("resolved", "lost", …) its ending must have. Empty means any ending.
	Ending string
	// Min and Max bound the scores by TestScores key, inclusive.
	Min, Max map[string]int
	Pos      Pos
	// ChoicePos holds the position of each entry of Choices, so a failing
	// step can be pointed at.
	ChoicePos []Pos
}

// Node returns the node with the given id.
func (s *Scenario) Node(id string) (*Node, bool) {
	n, ok := s.nodes[id]
	return n, ok
}

// Ending returns the ending with the given id.
func (s *Scenario) Ending(id string) (*Ending, bool) {
	e, ok := s.endings[id]
	return e, ok
}

// Index rebuilds the id lookups after Nodes or Endings were changed by hand
// (tests and generators build scenarios in memory), and gives a choice
// without an id its default one.
func (s *Scenario) Index() {
	s.nodes = make(map[string]*Node, len(s.Nodes))
	for _, n := range s.Nodes {
		for _, c := range n.Choices {
			if c.ID == "" && !c.IDWritten {
				c.ID = DefaultChoiceID(c.Say)
			}
		}
		if _, dup := s.nodes[n.ID]; !dup {
			s.nodes[n.ID] = n
		}
	}
	s.endings = make(map[string]*Ending, len(s.Endings))
	for _, e := range s.Endings {
		if _, dup := s.endings[e.ID]; !dup {
			s.endings[e.ID] = e
		}
	}
	if s.Start == "" && len(s.Nodes) > 0 {
		s.Start = s.Nodes[0].ID
	}
}
