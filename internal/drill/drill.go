// Package drill defines Rapport's drill format and runtime: short, rapid
// practice of one skill (the openings drill practises the first 30 seconds).
// A drill file is TOML in a scenario folder, named drill-*.toml: metadata and
// a list of openers, each a customer's first line with four responses rated
// best, good, weak and poor.
//
// Like internal/scenario, the package is pure: it reads bytes or an fs.FS,
// reports every problem with file:line:col and a hint, and takes the random
// seed and the time as inputs. Diagnostics reuse scenario's types, so the
// command line prints both the same way.
package drill

import (
	"fmt"

	"github.com/rapport-sim/rapport/internal/lazy"
	"github.com/rapport-sim/rapport/internal/scenario"
)

// MinOpeners is the number of openers a drill needs to give a varied
// session; fewer is a warning (the drill still plays).
const MinOpeners = 30

// MaxOpeners bounds the openers in one file, so a broken or hostile file
// cannot flood the checker with diagnostics.
const MaxOpeners = 1000

// ResponsesPerOpener is the exact number of responses every opener offers:
// one per rating, so the four keys 1–4 always mean something.
const ResponsesPerOpener = 4

// MaxResponseWords bounds a response: an opening is the first three
// sentences, and a longer line is a speech, not an opening.
const MaxResponseWords = 60

// Drill is one loaded drill file.
type Drill struct {
	// File is the path the drill was loaded from, as given to Parse.
	File    string
	ID      string
	Title   string
	Summary string
	Author  string
	Version string
	Openers []*Opener
}

// Opener is one moment to practise: who the customer is, how they reach
// you, how they feel, and the first thing they say.
type Opener struct {
	ID      string
	Channel scenario.Channel
	Mood    Mood
	// Customer is the customer's name, shown to the trainee (the best
	// responses often use it).
	Customer string
	// Business says where the trainee works in this opener ("Kestrel
	// Broadband, faults line"); optional.
	Business string
	// Say is the customer's first line.
	Say       string
	Responses []*Response
	Pos       scenario.Pos
}

// Best returns the opener's best response and its 1-based number, or nil
// and 0 when the opener has none (only possible in a drill with errors).
func (o *Opener) Best() (*Response, int) {
	for i, r := range o.Responses {
		if r.Rating == Best {
			return r, i + 1
		}
	}
	return nil, 0
}

// Response is one way the trainee can open.
type Response struct {
	// Number is the response's 1-based position in the file: the key the
	// trainee presses.
	Number int
	Say    string
	Rating Rating
	// Principle is the principle the response shows (for the best) or
	// breaks (for the others); the summary counts the ones missed.
	Principle Principle
	// Feedback is the author's one or two sentences shown after the pick.
	Feedback string
	// Tags are behaviour ids, the same as a scenario choice's tags.
	Tags []string
	Pos  scenario.Pos
}

// Rating grades a response.
type Rating string

// The four ratings, best first.
const (
	Best Rating = "best"
	Good Rating = "good"
	Weak Rating = "weak"
	Poor Rating = "poor"
)

// Ratings lists the ratings from best to worst.
var Ratings = []Rating{Best, Good, Weak, Poor}

// Points is what a rating is worth in the summary's points total.
func (r Rating) Points() int {
	switch r {
	case Best:
		return 3
	case Good:
		return 2
	case Weak:
		return 1
	}
	return 0
}

// Mood is how the customer feels as they open.
type Mood string

// Moods lists the moods an opener may have, in the order summaries show them.
var Moods = []Mood{"anxious", "angry", "confused", "embarrassed", "frustrated", "neutral", "rushed", "sceptical", "upset"}

// Principle names one idea of the first 30 seconds, by a stable id.
type Principle string

// The principles a response can show or break.
const (
	Relief            Principle = "relief"
	OwnName           Principle = "own-name"
	WarmGreeting      Principle = "warm-greeting"
	Acknowledge       Principle = "acknowledge"
	EmpathyEarly      Principle = "empathy-early"
	OfferHelp         Principle = "offer-help"
	NoAccountFirst    Principle = "no-account-number-first"
	NoHoldFirst       Principle = "no-hold-first"
	NoJargon          Principle = "no-jargon"
	NoScriptedApology Principle = "no-scripted-apology"
	NoBlame           Principle = "no-blame"
	NoInvalidating    Principle = "no-invalidating"
	NotDefensive      Principle = "not-defensive"
	KeepItSimple      Principle = "keep-it-simple"
	DontInterrupt     Principle = "dont-interrupt"
	NoDeadAir         Principle = "no-dead-air"
)

// principleNames gives each principle the words a trainee reads.
var principleNames = lazy.Value[map[Principle]string]{New: func() map[Principle]string {
	return map[Principle]string{
		Relief:            "trigger relief in the first three sentences",
		OwnName:           "give your own name: a person, not a department",
		WarmGreeting:      "greet warmly and thank them for reaching out",
		Acknowledge:       "show you heard the concern, in their words",
		EmpathyEarly:      "empathy before procedure",
		OfferHelp:         "offer to help, with confidence",
		NoAccountFirst:    "a customer, not an account number",
		NoHoldFirst:       "hear them before any hold or transfer",
		NoJargon:          "plain words, no jargon",
		NoScriptedApology: "an apology with content, not a script",
		NoBlame:           "no blame",
		NoInvalidating:    "never correct or dismiss their feelings",
		NotDefensive:      "don't take it personally",
		KeepItSimple:      "keep it simple",
		DontInterrupt:     "let them finish: no talking over them",
		NoDeadAir:         "no dead air",
	}
}}

// Principles lists every principle id in documentation order.
var Principles = []Principle{
	Relief, OwnName, WarmGreeting, Acknowledge, EmpathyEarly, OfferHelp,
	NoAccountFirst, NoHoldFirst, NoJargon, NoScriptedApology, NoBlame,
	NoInvalidating, NotDefensive, KeepItSimple, DontInterrupt, NoDeadAir,
}

// Name returns the principle as a trainee reads it.
func (p Principle) Name() string {
	if n, ok := principleNames.Get()[p]; ok {
		return n
	}
	return string(p)
}

// String describes the opener for logs and test failures.
func (o *Opener) String() string {
	return fmt.Sprintf("%s (%s, %s)", o.ID, o.Channel, o.Mood)
}
