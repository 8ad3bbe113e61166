package scoring

import (
	"github.com/rapport-sim/rapport/internal/lazy"
	"github.com/rapport-sim/rapport/internal/reader"
)

// why says, per behaviour, why it matters, in a few words of its own, so
// each explanation gives its own reason rather than one tagline repeated on
// every point. Each reason paraphrases the behaviour's principle in
// PRINCIPLES.md (named in Point.Principle).
var why = lazy.Value[map[reader.BehaviorID]string]{New: func() map[reader.BehaviorID]string {
	return map[reader.BehaviorID]string{
		reader.Greeting:          "a warm first line starts the relief (the first 30 seconds decide)",
		reader.Thanks:            "thanks tells them reaching out was welcome (the first 30 seconds decide)",
		reader.OwnName:           "a name makes you a person, not a department (the first 30 seconds decide)",
		reader.CustomerName:      "their name shows you see this person (heard, understood, cared for)",
		reader.OfferHelp:         "an offer to help says they came to the right place (the first 30 seconds decide)",
		reader.Acknowledge:       "it shows the concern landed (heard, understood, cared for)",
		reader.Apology:           "owning what went wrong takes the heat out of it (own the problem)",
		reader.EmotionalReaction: "first fix the customer, then the problem (heard, understood, cared for)",
		reader.Interpretation:    "saying it back in your words proves you understood (heard, understood, cared for)",
		reader.CheckUnderstand:   "checking lets them correct you before you act on a mistake (heard, understood, cared for)",
		reader.Exploration:       "asking about their situation finds what they have not said yet (heard, understood, cared for)",
		reader.Ownership:         "someone taking charge is what a customer with a problem needs (own the problem)",
		reader.Alternatives:      "options give back some control when the first answer is no (own the problem)",
		reader.EscalationOffer:   "reaching someone in authority is on the customer's top-ten list (own the problem)",
		reader.Expectation:       "a customer who knows what happens next stops worrying about it (own the problem)",
		reader.Answer:            "an answer to the question they asked matters more than any phrase around it (own the problem)",
		reader.FollowUp:          "a promised call back is a commitment they can hold you to (own the problem)",
		reader.PositiveLanguage:  "saying what you can do lifts the conversation (beyond the fix)",
		reader.ExtraMile:         "a small unasked-for extra is what customers tell others about (beyond the fix)",
		reader.Closing:           "a good ending counts as much as a first impression (beyond the fix)",
		reader.ModeMatch:         "speaking their way (see, hear, feel) makes you easier to follow (heard, understood, cared for)",
		reader.Blame:             "blaming the customer starts a fight you cannot win (don't take it personally)",
		reader.Defensive:         "defending yourself puts you at the centre instead of them (don't take it personally)",
		reader.Invalidate:        "correcting someone's feelings tells them they were not heard (heard, understood, cared for)",
		reader.PolicyHiding:      "policy as the whole answer leaves them with nothing (own the problem)",
		reader.PassTheBuck:       "sending them elsewhere makes the problem theirs again (own the problem)",
		reader.AccountFirst:      "a number before a person says \"you are an account\" (the first 30 seconds decide)",
		reader.HoldFirst:         "a hold before they are heard keeps the apprehension high (the first 30 seconds decide)",
		reader.Jargon:            "words they do not know make them feel outside (the first 30 seconds decide)",
		reader.Sarcasm:           "mockery turns a problem into a grievance (don't take it personally)",
		reader.NegativeLanguage:  "dead ends with nothing after them leave the customer stuck (beyond the fix)",
		reader.Overpromise:       "a promise you cannot keep becomes the next complaint (own the problem)",
		reader.Deflect:           "a question left unanswered tells them they were not heard, however kindly it is put (heard, understood, cared for)",
		reader.StockPhrase:       "a formula said to everyone is not about this customer (heard, understood, cared for)",
	}
}}

// whyOf returns the reason for a behaviour, or its principle.
func whyOf(id reader.BehaviorID) string {
	if w, ok := why.Get()[id]; ok {
		return w
	}
	if info, ok := reader.Info(id); ok {
		return info.Principle
	}
	return reader.PrincipleHeard
}

// phrase is how a behaviour reads inside an explanation sentence.
func phrase(id reader.BehaviorID) string {
	info, _ := reader.Info(id)
	return info.Phrase
}
