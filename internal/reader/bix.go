package reader

// bix numbers a behaviour, and the rules' internal ids, while a line is
// read. Analyze looks its findings up, drops and reorders them dozens of
// times a line; comparing strings for that was a tenth of its time.
// Behaviours keep their BehaviorID everywhere else.
type bix uint8

// The behaviours, then the internal ids of rules.go.
const (
	bGreeting bix = iota
	bThanks
	bOwnName
	bCustomerName
	bOfferHelp
	bAcknowledge
	bApology
	bEmotionalReaction
	bInterpretation
	bCheckUnderstand
	bExploration
	bOwnership
	bAlternatives
	bEscalationOffer
	bExpectation
	bAnswer
	bFollowUp
	bPositiveLanguage
	bExtraMile
	bClosing
	bModeMatch
	bBlame
	bDefensive
	bInvalidate
	bPolicyHiding
	bPassTheBuck
	bAccountFirst
	bHoldFirst
	bJargon
	bSarcasm
	bNegativeLanguage
	bOverpromise
	bDeflect
	bStockPhrase
	bQuestion
	bAccountReq
	bHoldReq
	bThanksClose
	bWhen
	bYesNo
	bDone
	bBecause
	bPlace
	nBix
)

// bixIDs is each number's id.
var bixIDs = [nBix]BehaviorID{
	Greeting, Thanks, OwnName, CustomerName, OfferHelp, Acknowledge, Apology, EmotionalReaction,
	Interpretation, CheckUnderstand, Exploration, Ownership, Alternatives, EscalationOffer,
	Expectation, Answer, FollowUp, PositiveLanguage, ExtraMile, Closing, ModeMatch,
	Blame, Defensive, Invalidate, PolicyHiding, PassTheBuck, AccountFirst, HoldFirst, Jargon,
	Sarcasm, NegativeLanguage, Overpromise, Deflect, StockPhrase,
	questionID, accountReq, holdReq, thanksClose, whenID, yesNoID, doneID, becauseID, placeID,
}

// bixOrder is each number's place in the catalogue (order; 0 for an
// internal id, as order gives), bixPolarity its polarity, and ruleBix the
// number of each of ruleIDs.
var (
	bixOrder    [nBix]int
	bixPolarity [nBix]string
	ruleBix     [len(ruleIDs)]bix
)

func init() {
	for b, id := range bixIDs {
		bixOrder[b] = order[id]
		bixPolarity[b] = polarity(id)
	}
	for k, id := range ruleIDs {
		ruleBix[k] = bixOf(id)
	}
}

// bixOf is id's number; it panics for an id without one, which
// TestBixCoversEveryID rules out.
func bixOf(id BehaviorID) bix {
	for b, x := range bixIDs {
		if x == id {
			return bix(b)
		}
	}
	panic("reader: no number for behaviour " + string(id))
}
