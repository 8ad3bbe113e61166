package scoring

import (
	"github.com/rapport-sim/rapport/internal/lazy"
	"github.com/rapport-sim/rapport/internal/reader"
	"github.com/rapport-sim/rapport/internal/scenario"
)

// Weights: every number the scores are made of, in one place so the docs
// (docs/scoring.md) and the tests can name them. A weight pair is
// {weak, strong}: the points for strength 1 and strength 2.
type weight [2]int

func (w weight) at(strength int) int {
	if strength >= 2 {
		return w[1]
	}
	return w[0]
}

// First 30 seconds.
const openingBase = 40

var openingWeights = lazy.Value[map[reader.BehaviorID]weight]{New: func() map[reader.BehaviorID]weight {
	return map[reader.BehaviorID]weight{
		reader.Greeting:          {7, 10},
		reader.OwnName:           {7, 10},
		reader.Thanks:            {4, 6},
		reader.OfferHelp:         {5, 8},
		reader.Acknowledge:       {6, 9},
		reader.Interpretation:    {6, 9},
		reader.EmotionalReaction: {8, 12},
		reader.Apology:           {4, 6},
		reader.Exploration:       {4, 6},
		reader.CustomerName:      {3, 4},
		reader.CheckUnderstand:   {2, 3},
		reader.PositiveLanguage:  {2, 3},
		reader.ModeMatch:         {2, 3},
		reader.Answer:            {4, 6},

		reader.Deflect:          {-4, -6},
		reader.AccountFirst:     {-18, -25},
		reader.HoldFirst:        {-20, -30},
		reader.Jargon:           {-6, -10},
		reader.Invalidate:       {-8, -12},
		reader.Blame:            {-10, -15},
		reader.Defensive:        {-8, -12},
		reader.Sarcasm:          {-10, -15},
		reader.NegativeLanguage: {-4, -8},
		reader.PassTheBuck:      {-8, -12},
		reader.PolicyHiding:     {-6, -10},
		reader.Overpromise:      {-2, -4},
	}
}}

// Relief and dead air in the opening.
const (
	reliefDivisor = 2  // points per point of apprehension fallen (or risen)
	reliefCap     = 20 // most points relief can give or take
	deadAirBase   = 5  // points lost for a pause past DeadAir
	deadAirPerSec = 2  // and per further whole second
	deadAirCap    = 15
)

// Empathy across the conversation: the best level of each mechanism shown
// at least once, plus name, mode and acknowledgement, minus every
// invalidating move.
var empathyMechanisms = lazy.Value[map[reader.BehaviorID]weight]{New: func() map[reader.BehaviorID]weight {
	return map[reader.BehaviorID]weight{
		reader.EmotionalReaction: {21, 35},
		reader.Interpretation:    {15, 25},
		reader.Exploration:       {12, 20},
	}
}}

var empathyExtras = lazy.Value[map[reader.BehaviorID]int]{New: func() map[reader.BehaviorID]int {
	return map[reader.BehaviorID]int{
		reader.CustomerName: 7,
		reader.ModeMatch:    7,
		reader.Acknowledge:  6, // acknowledgement or check of understanding, once
		// The moves that show the person is being looked after ("first fix the
		// customer, then fix the problem"): small, once each, so the three
		// mechanisms still decide the score.
		reader.Ownership:   5,
		reader.Expectation: 5,
		reader.FollowUp:    4,
		reader.ExtraMile:   3,
	}
}}

// extraKey is the key an empathy extra is awarded under, apart from the
// behaviour's own points: "extra:" and its id, made once rather than per
// line scored.
var extraKey = lazy.Value[map[reader.BehaviorID]reader.BehaviorID]{New: func() map[reader.BehaviorID]reader.BehaviorID {
	extras := empathyExtras.Get()
	m := make(map[reader.BehaviorID]reader.BehaviorID, len(extras))
	for id := range extras {
		m[id] = "extra:" + id
	}
	return m
}}

// empathyGraded are earned once, by strength: answering the question the
// customer asked is the clearest sign they were heard.
var empathyGraded = lazy.Value[map[reader.BehaviorID]weight]{New: func() map[reader.BehaviorID]weight {
	return map[reader.BehaviorID]weight{
		reader.Answer: {5, 8},
	}
}}

var empathyPenalties = lazy.Value[map[reader.BehaviorID]weight]{New: func() map[reader.BehaviorID]weight {
	return map[reader.BehaviorID]weight{
		reader.Deflect:    {-5, -8},
		reader.Invalidate: {-8, -15},
		reader.Blame:      {-6, -10},
		reader.Sarcasm:    {-6, -10},
		reader.Defensive:  {-4, -6},
		// Moves that tell the customer they are not cared for ("first fix the
		// customer, then the problem"), or not understood (jargon), cost less.
		reader.PassTheBuck:      {-5, -8},
		reader.PolicyHiding:     {-5, -8},
		reader.Jargon:           {-3, -5},
		reader.NegativeLanguage: {-2, -4},
		reader.Overpromise:      {-2, -4},
	}
}}

// Difficult customers.
const difficultBase = 50

var difficultPositives = lazy.Value[map[reader.BehaviorID]weight]{New: func() map[reader.BehaviorID]weight {
	return map[reader.BehaviorID]weight{
		reader.Ownership:         {6, 10},
		reader.Alternatives:      {5, 8},
		reader.Expectation:       {4, 6},
		reader.FollowUp:          {4, 6},
		reader.Apology:           {2, 4},
		reader.Acknowledge:       {2, 4},
		reader.EmotionalReaction: {2, 4},
		reader.Interpretation:    {2, 3},
		reader.Answer:            {4, 6},
	}
}}

var difficultPenalties = lazy.Value[map[reader.BehaviorID]weight]{New: func() map[reader.BehaviorID]weight {
	return map[reader.BehaviorID]weight{
		reader.Deflect:          {-4, -6},
		reader.Blame:            {-8, -12},
		reader.Defensive:        {-6, -10},
		reader.Sarcasm:          {-8, -12},
		reader.Invalidate:       {-5, -8},
		reader.PolicyHiding:     {-5, -8},
		reader.PassTheBuck:      {-5, -8},
		reader.NegativeLanguage: {-2, -4},
		reader.Overpromise:      {-3, -5},
	}
}}

var (
	escalationWarranted   = weight{6, 8}
	escalationUnwarranted = weight{1, 2}
)

const (
	escalationMissed   = -10 // asked for (or anger ≥ 70 and not calmed) and never offered
	calmedAnger        = 30  // anger at or below this at the end: the customer was calmed
	deescalateDivisor  = 2   // points per point of anger fallen from the peak
	deescalateCap      = 20
	angerRiseDivisor   = 2 // points lost per point of anger above the start at the end
	angerRiseCap       = 20
	relevantStartAnger = 40
	relevantPeakAnger  = 50
	warrantedPeakAnger = 70
)

var outcomePoints = lazy.Value[map[string]int]{New: func() map[string]int {
	return map[string]int{
		"resolved":  15,
		"follow-up": 10,
		"kept":      5,
		"escalated": 0, // +5 when escalation was warranted
		"lost":      -20,
	}
}}

// outcomeOverall adjusts the overall score by how the conversation ended,
// in every scenario: the best outcome costs nothing, and each step down
// costs more. An unfinished conversation has no outcome and no adjustment.
var outcomeOverall = lazy.Value[map[scenario.Outcome]int]{New: func() map[scenario.Outcome]int {
	return map[scenario.Outcome]int{
		scenario.Resolved:  0,
		scenario.Kept:      -4,
		scenario.FollowUp:  -4,
		scenario.Escalated: -8,
		scenario.Lost:      -15,
	}
}}

// Missed chances: a turn where an offered line ranked clearly higher than
// the one said costs a point per whole missedDivisor of the gap off the
// overall, at most missedCap. The gap is in lineValues units, effects and
// the ending included, so a line a few units behind costs nothing.
const (
	missedDivisor = 6
	missedCap     = 5
)

// Overall: a weighted mean of the assessed scores.
var overallWeights = [3]int{30, 40, 30} // opening, empathy, difficult

// Bands, from the top.
const (
	BandTop     Band = "One of the good ones"
	BandSolid   Band = "Solid"
	BandGetting Band = "Getting there"
	BandNotYet  Band = "Not yet"
)

var bandFloors = []struct {
	floor int
	band  Band
}{{85, BandTop}, {70, BandSolid}, {50, BandGetting}, {0, BandNotYet}}

// lineValues rank the offered choices at a turn (Turn.Best): what each
// behaviour is worth in a single line, by strength.
var lineValues = lazy.Value[map[reader.BehaviorID]weight]{New: func() map[reader.BehaviorID]weight {
	return map[reader.BehaviorID]weight{
		reader.Greeting: {3, 4}, reader.Thanks: {2, 3}, reader.OwnName: {3, 4}, reader.CustomerName: {2, 3}, reader.OfferHelp: {2, 4},
		reader.Acknowledge: {3, 5}, reader.Apology: {2, 4}, reader.EmotionalReaction: {5, 8}, reader.Interpretation: {4, 7},
		reader.CheckUnderstand: {2, 3}, reader.Exploration: {3, 5}, reader.Ownership: {4, 7}, reader.Alternatives: {4, 6},
		reader.EscalationOffer: {2, 4}, reader.Expectation: {3, 5}, reader.FollowUp: {3, 5}, reader.PositiveLanguage: {1, 2},
		reader.ExtraMile: {3, 5}, reader.Closing: {2, 4}, reader.ModeMatch: {1, 2}, reader.Answer: {4, 6},
		reader.Deflect: {-5, -8}, reader.StockPhrase: {-3, -5},
		reader.Blame: {-8, -12}, reader.Defensive: {-6, -10}, reader.Invalidate: {-7, -11}, reader.PolicyHiding: {-5, -8},
		reader.PassTheBuck: {-5, -8}, reader.AccountFirst: {-8, -12}, reader.HoldFirst: {-9, -13}, reader.Jargon: {-4, -6},
		reader.Sarcasm: {-8, -12}, reader.NegativeLanguage: {-3, -6}, reader.Overpromise: {-3, -5},
	}
}}
