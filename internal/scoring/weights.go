package scoring

import "github.com/rapport-sim/rapport/internal/scenario"

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

// Response empathy (Analysis.Empathy.Score), per response.
const (
	respER       = 18 // per level of emotional reaction (0–2)
	respInterp   = 14 // per level of interpretation
	respExplore  = 12 // per level of exploration
	respName     = 4  // the customer's name
	respMode     = 4  // matching their mode
	respAck      = 4  // acknowledgement or a check of understanding
	respInval    = 20 // per strength of invalidation, subtracted
	respBlame    = 12
	respSarcasm  = 12
	respDefend   = 8
	maxRespScore = 100
)

// First 30 seconds.
const openingBase = 40

var openingWeights = map[BehaviorID]weight{
	Greeting:          {7, 10},
	OwnName:           {7, 10},
	Thanks:            {4, 6},
	OfferHelp:         {5, 8},
	Acknowledge:       {6, 9},
	Interpretation:    {6, 9},
	EmotionalReaction: {8, 12},
	Apology:           {4, 6},
	Exploration:       {4, 6},
	CustomerName:      {3, 4},
	CheckUnderstand:   {2, 3},
	PositiveLanguage:  {2, 3},
	ModeMatch:         {2, 3},
	Answer:            {4, 6},

	Deflect:          {-4, -6},
	AccountFirst:     {-18, -25},
	HoldFirst:        {-20, -30},
	Jargon:           {-6, -10},
	Invalidate:       {-8, -12},
	Blame:            {-10, -15},
	Defensive:        {-8, -12},
	Sarcasm:          {-10, -15},
	NegativeLanguage: {-4, -8},
	PassTheBuck:      {-8, -12},
	PolicyHiding:     {-6, -10},
	Overpromise:      {-2, -4},
}

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
var empathyMechanisms = map[BehaviorID]weight{
	EmotionalReaction: {21, 35},
	Interpretation:    {15, 25},
	Exploration:       {12, 20},
}

var empathyExtras = map[BehaviorID]int{
	CustomerName: 7,
	ModeMatch:    7,
	Acknowledge:  6, // acknowledgement or check of understanding, once
	// The moves that show the person is being looked after ("first fix the
	// customer, then fix the problem"): small, once each, so the three
	// mechanisms still decide the score.
	Ownership:   5,
	Expectation: 5,
	FollowUp:    4,
	ExtraMile:   3,
}

// empathyGraded are earned once, by strength: answering the question the
// customer asked is the clearest sign they were heard.
var empathyGraded = map[BehaviorID]weight{
	Answer: {5, 8},
}

var empathyPenalties = map[BehaviorID]weight{
	Deflect:    {-5, -8},
	Invalidate: {-8, -15},
	Blame:      {-6, -10},
	Sarcasm:    {-6, -10},
	Defensive:  {-4, -6},
	// Moves that tell the customer they are not cared for ("first fix the
	// customer, then the problem"), or not understood (jargon), cost less.
	PassTheBuck:      {-5, -8},
	PolicyHiding:     {-5, -8},
	Jargon:           {-3, -5},
	NegativeLanguage: {-2, -4},
	Overpromise:      {-2, -4},
}

// Difficult customers.
const difficultBase = 50

var difficultPositives = map[BehaviorID]weight{
	Ownership:         {6, 10},
	Alternatives:      {5, 8},
	Expectation:       {4, 6},
	FollowUp:          {4, 6},
	Apology:           {2, 4},
	Acknowledge:       {2, 4},
	EmotionalReaction: {2, 4},
	Interpretation:    {2, 3},
	Answer:            {4, 6},
}

var difficultPenalties = map[BehaviorID]weight{
	Deflect:          {-4, -6},
	Blame:            {-8, -12},
	Defensive:        {-6, -10},
	Sarcasm:          {-8, -12},
	Invalidate:       {-5, -8},
	PolicyHiding:     {-5, -8},
	PassTheBuck:      {-5, -8},
	NegativeLanguage: {-2, -4},
	Overpromise:      {-3, -5},
}

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

var outcomePoints = map[string]int{
	"resolved":  15,
	"follow-up": 10,
	"kept":      5,
	"escalated": 0, // +5 when escalation was warranted
	"lost":      -20,
}

// outcomeOverall adjusts the overall score by how the conversation ended,
// in every scenario: the best outcome costs nothing, and each step down
// costs more. An unfinished conversation has no outcome and no adjustment.
var outcomeOverall = map[scenario.Outcome]int{
	scenario.Resolved:  0,
	scenario.Kept:      -4,
	scenario.FollowUp:  -4,
	scenario.Escalated: -8,
	scenario.Lost:      -15,
}

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
var lineValues = map[BehaviorID]weight{
	Greeting: {3, 4}, Thanks: {2, 3}, OwnName: {3, 4}, CustomerName: {2, 3}, OfferHelp: {2, 4},
	Acknowledge: {3, 5}, Apology: {2, 4}, EmotionalReaction: {5, 8}, Interpretation: {4, 7},
	CheckUnderstand: {2, 3}, Exploration: {3, 5}, Ownership: {4, 7}, Alternatives: {4, 6},
	EscalationOffer: {2, 4}, Expectation: {3, 5}, FollowUp: {3, 5}, PositiveLanguage: {1, 2},
	ExtraMile: {3, 5}, Closing: {2, 4}, ModeMatch: {1, 2}, Answer: {4, 6},
	Deflect: {-5, -8}, StockPhrase: {-3, -5},
	Blame: {-8, -12}, Defensive: {-6, -10}, Invalidate: {-7, -11}, PolicyHiding: {-5, -8},
	PassTheBuck: {-5, -8}, AccountFirst: {-8, -12}, HoldFirst: {-9, -13}, Jargon: {-4, -6},
	Sarcasm: {-8, -12}, NegativeLanguage: {-3, -6}, Overpromise: {-3, -5},
}
