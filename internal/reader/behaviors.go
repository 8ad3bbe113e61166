// Package reader is the half of Rapport's scoring model that reads one line:
// a transparent, deterministic reading of what a trainee said, in context.
//
// Analyze reads one response (with the customer's last line and the moment
// it is said in as Context) and reports the behaviours in it, each with the
// exact words that showed it, plus the three empathy mechanisms of Sharma et
// al. (EMNLP 2020). MatchChoice maps a typed free-text line onto the closest
// authored choice, Heard lists what the customer reacts to in it, and
// CheckTags compares a choice's author tags with what the text shows. Memo
// remembers readings for callers that read the same lines many times.
// Turning readings into scores is the scorer's job (internal/scoring).
//
// The model is rules, not statistics: lexicons and short phrase patterns over
// normalised words (case, curly quotes and contractions folded), with
// negation and near-miss handling. Every rule is in this package and
// documented in docs/scoring.md. It is pure: no I/O, no clock, no randomness
// and no dependence on map order, so the same input always reads the same.
package reader

import "github.com/rapport-sim/rapport/internal/lazy"

// BehaviorID names one behaviour the model can detect. The ids are part of
// the JSON interface and of the scenario format (choice tags).
type BehaviorID string

// Positive behaviours: what "one of the good ones" does.
const (
	Greeting          BehaviorID = "greeting"
	Thanks            BehaviorID = "thanks"
	OwnName           BehaviorID = "own_name"
	CustomerName      BehaviorID = "customer_name"
	OfferHelp         BehaviorID = "offer_help"
	Acknowledge       BehaviorID = "acknowledge"
	Apology           BehaviorID = "apology"
	EmotionalReaction BehaviorID = "emotional_reaction"
	Interpretation    BehaviorID = "interpretation"
	CheckUnderstand   BehaviorID = "check_understanding"
	Exploration       BehaviorID = "exploration"
	Ownership         BehaviorID = "ownership"
	Alternatives      BehaviorID = "alternatives"
	EscalationOffer   BehaviorID = "escalation_offer"
	Expectation       BehaviorID = "expectation"
	Answer            BehaviorID = "answer"
	FollowUp          BehaviorID = "follow_up"
	PositiveLanguage  BehaviorID = "positive_language"
	ExtraMile         BehaviorID = "extra_mile"
	Closing           BehaviorID = "closing"
	ModeMatch         BehaviorID = "mode_match"
)

// Negative behaviours: what keeps apprehension high or makes anger worse.
const (
	Blame            BehaviorID = "blame"
	Defensive        BehaviorID = "defensive"
	Invalidate       BehaviorID = "invalidate"
	PolicyHiding     BehaviorID = "policy_hiding"
	PassTheBuck      BehaviorID = "pass_the_buck"
	AccountFirst     BehaviorID = "account_first"
	HoldFirst        BehaviorID = "hold_first"
	Jargon           BehaviorID = "jargon"
	Sarcasm          BehaviorID = "sarcasm"
	NegativeLanguage BehaviorID = "negative_language"
	Overpromise      BehaviorID = "overpromise"
	Deflect          BehaviorID = "deflect"
	StockPhrase      BehaviorID = "stock_phrase"
)

// Polarities of a behaviour.
const (
	Positive = "+"
	Negative = "-"
)

// The principles every point is explained by, named as in PRINCIPLES.md.
const (
	PrincipleOpening   = "the first 30 seconds decide"
	PrincipleHeard     = "heard, understood, cared for"
	PrincipleDifficult = "own the problem and don't take it personally"
	PrincipleBeyond    = "beyond the fix"
)

// BehaviorInfo describes one behaviour for docs, help and JSON.
type BehaviorInfo struct {
	ID       BehaviorID `json:"id"`
	Polarity string     `json:"polarity"`
	// Principle is the principle the behaviour serves (or breaks).
	Principle string `json:"principle"`
	// Description is one line: what counts.
	Description string `json:"description"`
	// Strong and Weak say what earns strength 2 and strength 1.
	Strong string `json:"strong"`
	Weak   string `json:"weak"`
	// Phrase is how the behaviour reads inside an explanation sentence,
	// after the quoted words: `"Good morning" <phrase>`.
	Phrase string `json:"-"`
	// Label is the human name, e.g. "emotional reaction".
	Label string `json:"label"`
}

// catalogue lists every behaviour in documentation order: positives first.
var catalogue = []BehaviorInfo{
	{Greeting, Positive, PrincipleOpening, "a greeting that opens the conversation warmly",
		"a time-of-day greeting, \"welcome\", or \"nice to meet you\"", "a bare \"hi\" or \"hello\"",
		"opens warmly", "greeting"},
	{Thanks, Positive, PrincipleOpening, "thanking the customer",
		"thanks with a reason (\"thank you for calling\", \"I appreciate your patience\")", "a bare \"thanks\"",
		"thanks the customer", "thanks"},
	{OwnName, Positive, PrincipleOpening, "giving your own name, so the customer talks to a person, not a department",
		"an introduction (\"my name is Sam\", \"this is Sam\", \"I'm Sam\")", "a bare sign-off (\"Sam here\")",
		"gives your own name", "own name"},
	{CustomerName, Positive, PrincipleHeard, "using the customer's name",
		"the name used to address them (\"Thank you, Mrs Okafor.\")", "the name mentioned inside a sentence",
		"uses the customer's name", "customer's name"},
	{OfferHelp, Positive, PrincipleOpening, "offering to help",
		"a willing statement (\"I'd be glad to help with that\", \"let me help\")", "a routine question (\"how can I help?\")",
		"offers to help", "offer to help"},
	{Acknowledge, Positive, PrincipleHeard, "showing the concern was heard",
		"an acknowledgement that names what was heard (\"I understand why that worried you\")",
		"a bare \"I understand\", \"got it\", \"that makes sense\"; also an acknowledgement softened by a following \"but\"",
		"acknowledges what you heard", "acknowledgement"},
	{Apology, Positive, PrincipleDifficult, "apologising for what went wrong",
		"a personal apology that names what it is for (\"I'm so sorry we kept you waiting\")",
		"a bare or scripted apology (\"sorry about that\", \"we apologise for any inconvenience\"), or one followed by \"but\" and a negative",
		"apologises", "apology"},
	{EmotionalReaction, Positive, PrincipleHeard, "warmth or concern about the customer's feelings",
		"names the feeling and shows concern (\"that must have been worrying\", \"I'd be upset too\")",
		"generic sympathy or reassurance (\"oh no\", \"sorry to hear that\", \"no need to apologise\")",
		"shows warmth about how they feel", "emotional reaction"},
	{Interpretation, Positive, PrincipleHeard, "restating the situation or feeling in your own words",
		"a restatement with content (\"so if I understand, you were charged twice for one order\")",
		"a short or generic restatement (\"so you're upset\")",
		"restates their situation in your own words", "interpretation"},
	{CheckUnderstand, Positive, PrincipleHeard, "checking that you understood (or were understood)",
		"a check that follows a restatement in the same reply", "a check on its own (\"does that make sense?\")",
		"checks your understanding", "check of understanding"},
	{Exploration, Positive, PrincipleHeard, "asking about what the customer has not said yet",
		"an open question about their experience, feelings or needs (\"can you tell me what happened?\", \"what worries you most?\")",
		"a specific factual question (\"what does the letter say?\", \"when did it start?\")",
		"asks to understand more", "exploration"},
	{Ownership, Positive, PrincipleDifficult, "taking ownership of the problem",
		"a personal commitment to resolve it, or owning the mistake (\"I'll sort this out\", \"that was our mistake\")",
		"taking the next step yourself (\"let me check that for you\")",
		"takes ownership", "ownership"},
	{Alternatives, Positive, PrincipleDifficult, "offering alternatives when there is a problem",
		"two or more options laid out (\"either a refund or a replacement\")", "a single alternative (\"what I can do instead is…\")",
		"offers alternatives", "alternatives"},
	{EscalationOffer, Positive, PrincipleDifficult, "offering to reach someone with more authority",
		"a concrete offer naming who (\"I can get my team leader on the line now\")", "a vague escalation (\"I'll escalate this\")",
		"offers to reach someone in authority", "escalation offer"},
	{Expectation, Positive, PrincipleDifficult, "stating clearly what the customer should expect",
		"what happens next with a concrete time or number (\"within three working days\")",
		"what happens next without a time (\"you'll get a letter\")",
		"says clearly what to expect", "clear expectation"},
	{Answer, Positive, PrincipleDifficult, "answering the direct question the customer asked",
		"a concrete answer: a time, a number, an action done (\"it went out this morning\", \"I've cancelled it\")",
		"a plain yes or no (\"yes, you can\", \"no, it won't\")",
		"answers their question", "answer"},
	{FollowUp, Positive, PrincipleDifficult, "committing to contact the customer again",
		"a follow-up with a time (\"I'll call you back by four today\")", "a follow-up without one (\"I'll keep you posted\")",
		"commits to following up", "follow-up"},
	{PositiveLanguage, Positive, PrincipleBeyond, "positive wording: what you can do, said with energy",
		"two or more positive expressions in the reply", "one (\"absolutely\", \"happy to\", \"the good news is\")",
		"uses positive wording", "positive language"},
	{ExtraMile, Positive, PrincipleBeyond, "a small extra the customer did not ask for (lagniappe)",
		"a concrete unasked-for benefit (a waived fee, a goodwill credit, something free)",
		"an extra step (\"I'll also post you a summary\")",
		"adds a little something extra", "little extra"},
	{Closing, Positive, PrincipleBeyond, "closing well: summary, next step, thanks",
		"a summary or recap, or two closing moves together", "one closing move (\"is there anything else?\", \"have a lovely day\")",
		"closes the conversation well", "closing"},
	{ModeMatch, Positive, PrincipleHeard, "matching the customer's see/hear/feel way of speaking",
		"two or more words from the customer's mode", "one word from the customer's mode",
		"matches how the customer speaks", "mode match"},

	{Blame, Negative, PrincipleDifficult, "blaming the customer",
		"a direct accusation (\"you should have…\", \"that's your fault\")", "an implied one (\"next time make sure you…\")",
		"blames the customer", "blame"},
	{Defensive, Negative, PrincipleDifficult, "taking it personally: defending yourself or arguing",
		"self-defence or arguing (\"it's not my fault\", \"don't shout at me\")", "excuses (\"we're very busy today\", \"as I said\")",
		"sounds defensive", "defensiveness"},
	{Invalidate, Negative, PrincipleHeard, "waving away or correcting the customer's feelings",
		"a direct dismissal (\"calm down\", \"you're overreacting\", \"that's impossible\", \"there's nothing I can do\")",
		"minimising (\"don't worry about it\", \"it's not a big deal\", \"everyone gets those\")",
		"waves away their feelings", "invalidation"},
	{PolicyHiding, Negative, PrincipleDifficult, "hiding behind policy or the system instead of helping",
		"policy as the whole answer (\"that's our policy\", \"rules are rules\")", "citing procedure (\"that's just how it works\")",
		"hides behind policy", "hiding behind policy"},
	{PassTheBuck, Negative, PrincipleDifficult, "sending the customer somewhere else instead of owning it",
		"refusing and redirecting (\"not my department\", \"you'll have to call the courier\")",
		"redirecting to self-service (\"it's all on our website\")",
		"passes the buck", "passing the buck"},
	{AccountFirst, Negative, PrincipleOpening, "asking for an account number or ID before acknowledging the person",
		"the request is the first thing they hear", "the request comes after a greeting but before any acknowledgement",
		"asks for their account before acknowledging them", "account number first"},
	{HoldFirst, Negative, PrincipleOpening, "putting the customer on hold or transferring them before they are heard",
		"an immediate hold or transfer (\"hold please\")", "a polite or questioned hold (\"could you bear with me a moment?\")",
		"puts them on hold before they are heard", "hold first"},
	{Jargon, Negative, PrincipleOpening, "internal or industry jargon the customer may not know",
		"two or more jargon terms", "one",
		"uses jargon", "jargon"},
	{Sarcasm, Negative, PrincipleDifficult, "sarcasm or mockery",
		"open mockery (\"thanks for nothing\", \"yeah, right\")", "mild irony (\"if you say so\")",
		"is sarcastic", "sarcasm"},
	{NegativeLanguage, Negative, PrincipleBeyond, "negative wording: what you can't do, dead ends",
		"a flat refusal or dead end (\"I can't do anything\", \"that's not possible\")",
		"a limitation followed by what you can do, or a mild \"unfortunately\"",
		"uses negative wording", "negative language"},
	{Overpromise, Negative, PrincipleDifficult, "promising more than you can know or control",
		"an absolute guarantee (\"nothing will ever go wrong\", \"I guarantee\")", "a promise about an outcome (\"I promise it'll be fine\")",
		"promises more than you can know", "overpromise"},
	{Deflect, Negative, PrincipleHeard, "leaving the customer's direct question unanswered, with sympathy, formula or a change of subject instead",
		"the question is met with nothing but stock phrases", "the question is met with sympathy, thanks or other words, and no answer or next step",
		"leaves their question unanswered", "deflection"},
	{StockPhrase, Negative, PrincipleHeard, "a stock customer-service formula in place of engaging with this customer",
		"two or more stock phrases in one reply", "one (\"sorry for any inconvenience\", \"I understand your frustration\")",
		"is a stock phrase, not about this customer", "stock phrase"},
}

// infoByID finds a behaviour's entry in the catalogue, made on first use.
var infoByID = lazy.Value[map[BehaviorID]*BehaviorInfo]{New: func() map[BehaviorID]*BehaviorInfo {
	m := make(map[BehaviorID]*BehaviorInfo, len(catalogue))
	for i := range catalogue {
		m[catalogue[i].ID] = &catalogue[i]
	}
	return m
}}

// Behaviors returns every behaviour the model knows, positives first, in
// documentation order. The slice is a copy.
func Behaviors() []BehaviorInfo {
	out := make([]BehaviorInfo, len(catalogue))
	copy(out, catalogue)
	return out
}

// Info returns the description of one behaviour.
func Info(id BehaviorID) (BehaviorInfo, bool) {
	if b, ok := infoByID.Get()[id]; ok {
		return *b, true
	}
	return BehaviorInfo{}, false
}

// Known reports whether id is a behaviour the model knows (scenario tags must
// be known ids).
func Known(id string) bool {
	_, ok := infoByID.Get()[BehaviorID(id)]
	return ok
}

// order is a behaviour's position in the catalogue; output is sorted by it.
var order = lazy.Value[map[BehaviorID]int]{New: func() map[BehaviorID]int {
	m := make(map[BehaviorID]int, len(catalogue))
	for i, b := range catalogue {
		m[b.ID] = i
	}
	return m
}}

func polarity(id BehaviorID) string {
	if b, ok := infoByID.Get()[id]; ok {
		return b.Polarity
	}
	return Positive
}

// Label is the human name of a behaviour ("emotional reaction"), or its id
// when the model does not know it.
func Label(id BehaviorID) string {
	if b, ok := infoByID.Get()[id]; ok {
		return b.Label
	}
	return string(id)
}
