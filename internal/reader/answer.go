package reader

import "strings"

// Answering the question, and stock phrases: the two readings that need
// the customer's line or the whole reply rather than one pattern.

// stockable are the behaviours a stock phrase can show. Shown only inside
// one, they are marked Stock and earn little (weights.go, stockCredit).
func stockable(id bix) bool {
	switch id {
	case bAcknowledge, bApology, bEmotionalReaction, bInterpretation, bThanks, bPositiveLanguage, bOfferHelp, bOwnership, bClosing:
		return true
	}
	return false
}

// inStock reports whether match m overlaps a stock phrase.
func inStock(ms []match, m match) bool {
	for _, s := range ms {
		if s.r.id() == bStockPhrase && overlaps(s, m) {
			return true
		}
	}
	return false
}

// isCue reports whether id is an answer cue, only worth reading after a
// question.
func isCue(id BehaviorID) bool {
	return id == yesNoID || id == doneID || id == becauseID || id == placeID
}

// Kinds of direct question a customer can ask, as bits.
const (
	askWhen   uint8 = 1 << iota // when, how long, what time
	askAmount                   // how much, how many
	askYesNo                    // can you, is it, will it, do you
	askOpen                     // what, where, which, who, why, how
	askNext                     // what happens now, what's next, what's the process
)

// questionStarts classify the first word of a customer's question.
var yesNoStarts = lazySet("can could will would is are do does did has have was were should shall am may isnt arent wont cant doesnt didnt")

// leadIns are words skipped before a question's first word ("so when…",
// "and can you…").
var leadIns = lazySet("so and but then ok okay right well please sorry just also um er look listen hi hello oh")

// customerAsked reads the customer's line for direct questions and returns
// their kinds (0: none). A question is a sentence ending in "?" that starts
// with a question word or an auxiliary, or a request to be told ("I need to
// know when…", "tell me how much…"). The result is cached per line:
// Evaluate reads every offered choice against the same one.
func customerAsked(sc *scratch, ctx Context) uint8 {
	if ctx.Customer == "" {
		return 0
	}
	if sc.qValid && ctx.Customer == sc.lastQCustomer {
		return sc.lastQ
	}
	sc.qtoks = tokenize(sc.qtoks[:0], ctx.Customer)
	toks := sc.qtoks
	var kinds uint8
	for i := 0; i < len(toks); {
		s := toks[i].sent
		j := i
		for j < len(toks) && toks[j].sent == s {
			j++
		}
		kinds |= questionKind(toks[i:j])
		i = j
	}
	sc.lastQCustomer, sc.lastQ, sc.qValid = ctx.Customer, kinds, true
	return kinds
}

// questionKind classifies one sentence of the customer's.
func questionKind(sent []token) uint8 {
	asked := sent[len(sent)-1].after == '?'
	for k := range sent {
		if sent[k].after == '?' {
			asked = true
		}
	}
	// Embedded requests: "I need to know when…", "can you tell me how much…",
	// "I just wanted to check my reading went through".
	for k := 0; k+1 < len(sent); k++ {
		if w := sent[k].word(); (w == "check" || w == "confirm") && k > 0 && sent[k-1].word() == "to" {
			return askYesNo
		}
		w := sent[k].word()
		if (w == "know" || w == "me" || w == "wondering" || w == "tell") && k+1 < len(sent) {
			if kind := whKind(sent[k+1:]); kind != 0 {
				return kind
			}
			if n := sent[k+1].word(); n == "if" || n == "whether" {
				return askYesNo
			}
		}
	}
	k := 0
	for k < len(sent) && (leadIns.has(sent[k].word()) || sent[k].word() == "") && k < 3 {
		k++
	}
	if k >= len(sent) {
		return 0
	}
	first := sent[k].word()
	if kind := whKind(sent[k:]); kind != 0 {
		// "When will it come" reads as a question even without the "?",
		// as chat customers often type it.
		if asked || len(sent)-k >= 3 {
			return kind
		}
		return 0
	}
	if !asked && yesNoStarts.has(first) && len(sent)-k >= 3 {
		// "can you just move us to another hotel": chat customers often
		// leave the "?" off a request.
		switch sent[k+1].word() {
		case "you", "i", "we", "it", "this", "that", "they", "there", "my", "me", "the", "a", "an", "your",
			"his", "her", "our", "their", "he", "she", "anyone", "someone":
			asked = true
		}
	}
	if asked && yesNoStarts.has(first) {
		// "Can you tell me when…", "Will it arrive by Friday?": a time or an
		// amount asked inside a yes/no question.
		for m := k + 1; m < len(sent); m++ {
			if kind := whKind(sent[m:]); kind&(askWhen|askAmount) != 0 {
				return kind | askYesNo
			}
		}
		return askYesNo
	}
	if asked && !tagQuestion(sent) {
		// A statement asked as a question: "So I have to ring the airline,
		// then the hotel, then you again?", "u there?". A tag ("…, you
		// know?", "right?") asks nothing.
		return askYesNo
	}
	return 0
}

// whKind classifies words starting with a question word.
func whKind(ws []token) uint8 {
	w := ws[0].word()
	next := ""
	if len(ws) > 1 {
		next = ws[1].word()
	}
	switch w {
	case "when":
		return askWhen
	case "how":
		switch next {
		case "long", "soon", "quickly":
			return askWhen
		case "much", "many":
			return askAmount
		}
		return askOpen
	case "what":
		switch next {
		case "time", "day", "date":
			return askWhen
		case "happens", "happen", "now", "next", "will":
			return askOpen | askNext
		}
		if len(ws) > 3 && next == "is" && (ws[2].word() == "next" || ws[3].word() == "process" || ws[2].word() == "happening") {
			return askOpen | askNext
		}
		return askOpen
	case "where", "which", "who", "why", "whereabouts":
		return askOpen
	}
	return 0
}

// answerOf decides whether the reply answers the customer's question
// (answer), or meets it with sympathy or formula alone (deflect). It runs
// last in refine, on the behaviours already found.
func answerOf(bs []found, sc *scratch, ctx Context) []found {
	kinds := customerAsked(sc, ctx)
	if kinds == 0 {
		return bs
	}
	toks := sc.toks
	best := found{}
	consider := func(strength, start, end int) {
		if strength > best.strength {
			best = found{id: bAnswer, strength: strength, start: start, end: end}
		}
	}
	// Cues matched by the rules.
	for _, m := range sc.matches {
		switch m.r.id() {
		case bDone:
			if !cappedMatch(sc, m) {
				consider(2, m.start, m.end)
			}
		case bWhen:
			if kinds&(askWhen|askYesNo) != 0 {
				consider(2, m.start, m.end)
			}
		case bYesNo:
			if !cappedMatch(sc, m) {
				consider(1, m.start, m.end)
			}
		case bPlace:
			if kinds&askOpen != 0 && !cappedMatch(sc, m) {
				consider(1, m.start, m.end)
			}
		case bBecause:
			if kinds&(askOpen|askYesNo) != 0 && !cappedMatch(sc, m) {
				consider(1, m.start, m.end)
			}
		}
	}
	for _, f := range bs {
		switch f.id {
		case bExpectation:
			switch {
			case f.strength == 2 && kinds&(askWhen|askYesNo) != 0:
				consider(2, f.start, f.end)
			case kinds&askNext != 0:
				// "What happens now?" — "Here's what happens: …"
				consider(1, f.start, f.end)
			}
		case bNegativeLanguage, bPolicyHiding:
			// A refusal is an answer to "can you…?", if not a kind one.
			if kinds&askYesNo != 0 && f.strength == 2 {
				consider(1, f.start, f.end)
			}
		}
	}
	if kinds&(askAmount|askWhen|askOpen) != 0 {
		num := idNum
		for i := range toks {
			if (toks[i].id == num && toks[i].id != 0 || numberWords.has(toks[i].word())) && !inWhen(sc.matches, i) {
				s := 2
				if kinds&askAmount == 0 {
					s = 1
				}
				consider(s, i, i+1)
				break
			}
		}
	}
	if best.strength > 0 {
		return append(bs, best)
	}
	// No answer: is there a next step (a check, a question back, an
	// option, a promise to find out)? If not, and the reply is sympathy,
	// thanks or formula, the question was deflected.
	soft, allStock := -1, true
	for k, f := range bs {
		switch f.id {
		// A question back ("which booking do you mean?") answers nothing:
		// it does not save a line that only sympathises from deflecting.
		// A next step is not a deflection (a check, an option, someone in
		// authority, what happens next), and a refusal or a policy is an
		// answer of a kind, scored as what it is. Sending the customer
		// elsewhere in place of the answer ("please ask at reception") is
		// a deflection.
		case bAlternatives, bEscalationOffer, bExtraMile, bOverpromise, bOwnership, bExpectation, bFollowUp, bPolicyHiding:
			return bs
		case bNegativeLanguage:
			if f.strength == 2 {
				return bs
			}
		case bApology, bEmotionalReaction, bAcknowledge, bStockPhrase, bThanks, bClosing, bOfferHelp, bGreeting,
			bPositiveLanguage, bInvalidate, bExploration, bCheckUnderstand, bInterpretation:
			if soft < 0 || f.start < bs[soft].start {
				soft = k
			}
			if f.id != bStockPhrase && !f.stock {
				allStock = false
			}
		}
	}
	for _, m := range sc.matches {
		if m.r.id() == bAccountReq || m.r.id() == bHoldReq {
			return bs
		}
	}
	questionBack := false
	for _, f := range bs {
		if f.id == bExploration || f.id == bCheckUnderstand {
			questionBack = true
		}
	}
	// A question back answers nothing, whatever words it shares with the
	// customer's ("which booking do you mean?").
	// A plain statement of fact may answer in words the rules cannot
	// read: it is not called a deflection (nor an answer).
	if st, en, ok := statement(bs, toks); ok && !questionBack && sharesWords(sc, ctx, st, en) {
		return bs
	}
	if soft >= 0 && !questionBack && takesUp(bs, sc, ctx) {
		return bs
	}
	d := found{id: bDeflect, strength: 1, start: 0, end: min(len(toks), 6)}
	if soft >= 0 {
		d.start, d.end = bs[soft].start, bs[soft].end
	}
	if allStock && soft >= 0 {
		d.strength = 2
	}
	return append(bs, d)
}

// cappedMatch reports whether a cap of m's behaviour overlaps m.
func cappedMatch(sc *scratch, m match) bool {
	for _, c := range sc.caps {
		if c.r.id() == m.r.id() && c.r.str() == 0 && (overlaps(c, m) || (c.r.sentence() && sc.toks[c.start].sent == sc.toks[m.start].sent)) {
			return true
		}
	}
	return false
}

// takesUp reports whether the words of the reply outside its soft moves
// take up the customer's words ("Do you need my details?" — "the card is
// all I need"): then the reply engages with the question in a way the
// rules cannot read, and it is not called a deflection. Words that share
// nothing with the customer's line are a change of subject.
func takesUp(bs []found, sc *scratch, ctx Context) bool {
	toks := sc.toks
	var coveredBuf [128]bool
	var covered []bool
	if len(toks) > len(coveredBuf) {
		covered = make([]bool, len(toks))
	} else {
		covered = coveredBuf[:len(toks)]
	}
	for _, f := range bs {
		end := f.end
		for end < len(toks) && end-f.end < evidenceRunOn && toks[end].clause == toks[end-1].clause {
			end++
		}
		for k := f.start; k < end && k < len(toks); k++ {
			covered[k] = true
		}
	}
	// The customer's tokens are in sc.qtoks (customerAsked read them).
	for k, t := range toks {
		if covered[k] {
			continue
		}
		w := contentKey(t, sc.text)
		if w == "" {
			continue
		}
		if customerSaid(sc, ctx, w) {
			return true
		}
	}
	return false
}

// contentKey is a token's word for comparing content: its normalised word,
// or its own text for a word the rules never mention; "" for a stop word
// or a one-letter word.
func contentKey(t token, text string) string {
	if t.id != 0 {
		w := t.word()
		if wordIs(t.id, wStopword) || len(w) < 2 || w[0] == '#' {
			return ""
		}
		return w
	}
	w := text[t.start:t.end]
	if len(w) < 2 {
		return ""
	}
	return w
}

// numberWords are numbers written out, and money: "forty-nine pounds".
var numberWords = lazySet("one two three four five six seven eight nine ten eleven twelve thirteen fourteen " +
	"fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety " +
	"hundred thousand half pounds pence dollars euros quid")

// inWhen reports whether token i is part of a concrete time ("in two
// minutes"): a time answers "when", not "where" or "what".
func inWhen(ms []match, i int) bool {
	for _, m := range ms {
		if m.r.id() == bWhen && m.start <= i && i < m.end {
			return true
		}
	}
	return false
}

// statementSubjects and statementVerbs start a plain statement of fact
// ("It's tight but legal", "There's a burst main on Station Road", "Your
// RMA's at QC"): for a yes/no or open question, such a sentence with no
// sympathy, formula or question in it is an answer.
var (
	statementSubjects = lazySet("it that this there they your the our we he she unlimited nothing everything")
	statementVerbs    = lazySet("is are was were will would should does has have had goes went comes came needs takes costs can covers includes")
)

// statement finds the first sentence that states a fact: it opens with a
// subject and a verb (after at most one short clause such as "Okay,"), is
// not a question, and holds no soft behaviour.
func statement(bs []found, toks []token) (int, int, bool) {
	for i := 0; i < len(toks); {
		s := toks[i].sent
		j := i
		for j < len(toks) && toks[j].sent == s {
			j++
		}
		k := i
		if j-i > 2 && toks[i].after == ',' {
			k = i + 1 // "Okay, it's …"
		}
		ok := k+1 < j && statementSubjects.has(toks[k].word()) && !isQuestion(toks, i)
		if ok {
			verb := k + 1
			if toks[k].word() == "your" || toks[k].word() == "the" || toks[k].word() == "our" {
				for verb < j && verb < k+4 && !wordIs(toks[verb].id, wVerb) {
					verb++
				}
			}
			ok = verb < j && wordIs(toks[verb].id, wVerb)
		}
		if ok {
			for _, f := range bs {
				if f.start >= i && f.start < j {
					switch f.id {
					case bApology, bEmotionalReaction, bAcknowledge, bStockPhrase, bExploration, bCheckUnderstand,
						bInvalidate, bInterpretation, bThanks, bGreeting, bOwnName, bOfferHelp, bSarcasm, bBlame, bDefensive:
						ok = false
					}
				}
			}
		}
		if ok {
			return i, j, true
		}
		i = j
	}
	return 0, 0, false
}

// customerSaid reports whether the customer's line (read into sc.qtoks)
// has the content word w, by stem.
func customerSaid(sc *scratch, ctx Context, w string) bool {
	for _, c := range sc.qtoks {
		if cw := contentKey(c, ctx.Customer); cw != "" && strings.EqualFold(stem(w), stem(cw)) {
			return true
		}
	}
	return false
}

// sharesWords reports whether tokens [st, en) of the reply share a content
// word with the customer's line (read into sc.qtoks).
func sharesWords(sc *scratch, ctx Context, st, en int) bool {
	for k := st; k < en && k < len(sc.toks); k++ {
		w := contentKey(sc.toks[k], sc.text)
		if w == "" {
			continue
		}
		if customerSaid(sc, ctx, w) {
			return true
		}
	}
	return false
}

// tagQuestion reports whether a sentence's "?" only closes a tag: "it just
// keeps coming, you know?", "that's the fourth time, right?".
func tagQuestion(sent []token) bool {
	last := sent[len(sent)-1]
	if last.after != '?' {
		return false
	}
	switch last.word() {
	case "know", "right", "eh", "yeah", "innit", "see", "ok", "okay", "really", "seriously", "mean":
		return true
	}
	// Rhetorical complaints ask for no fact: "this is how you treat me?",
	// "that's it?", "what's the point?".
	for k := 0; k+2 < len(sent); k++ {
		a, b, c := sent[k].word(), sent[k+1].word(), sent[k+2].word()
		if a == "how" && b == "you" && c == "treat" || a == "that" && b == "is" && (c == "it" || c == "all") ||
			a == "what" && b == "is" && c == "the" && k+3 < len(sent) && sent[k+3].word() == "point" {
			return true
		}
	}
	return false
}
