package reader

import (
	"sync"
	"sync/atomic"
)

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

// bixTab holds, for each number, its place in the catalogue (order; 0 for
// an internal id, as order gives) and its polarity, and the number of each
// of ruleIDs. It is filled on first use (bixTables), not at start-up: most
// runs read no line.
var bixTab bixTable

type bixTable struct {
	order    [nBix]int
	polarity [nBix]string
	// rule is indexed by crule.beh, a uint8, so reading it needs no
	// bounds check and crule.id stays small enough to inline.
	rule [256]bix
}

var (
	bixOnce  sync.Once
	bixReady atomic.Bool
)

// bixTables returns bixTab, filled. detect calls it before it matches a
// rule, and what reads the tables on the way from a match reads bixTab
// directly: crule.id is read for every rule matched, and even an inlined
// check there cost Analyze a few per cent.
func bixTables() *bixTable {
	if !bixReady.Load() {
		bixOnce.Do(fillBix)
	}
	return &bixTab
}

func fillBix() {
	defer bixReady.Store(true)
	ord := order.Get()
	for b, id := range bixIDs {
		bixTab.order[b] = ord[id]
		bixTab.polarity[b] = polarity(id)
	}
	for k, id := range ruleIDs {
		bixTab.rule[k] = bixOf(id)
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
