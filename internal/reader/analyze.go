package reader

import (
	"sort"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/rapport-sim/rapport/internal/lazy"
	"github.com/rapport-sim/rapport/internal/scenario"
)

// Behavior is one behaviour found in a response.
type Behavior struct {
	ID       BehaviorID `json:"id"`
	Polarity string     `json:"polarity"`
	// Strength is 1 (weak) or 2 (strong); docs/scoring.md says what each
	// means per behaviour.
	Strength int `json:"strength"`
	// Evidence is the exact words of the response that showed it (the whole
	// line for a behaviour that came from an author tag alone).
	Evidence string `json:"evidence"`
	// Offset is the byte offset of Evidence in the response, or -1 when the
	// behaviour came from an author tag and the text did not show it.
	Offset int `json:"offset"`
	// Tagged is true when the behaviour came from the author's tag rather
	// than from the text.
	Tagged bool `json:"tagged,omitempty"`
	// Stock is true when the only words that showed the behaviour are a
	// stock phrase ("sorry for any inconvenience"): it is labelled, but it
	// is not about this customer and earns little (docs/scoring.md).
	Stock bool `json:"stock,omitempty"`
	// Count is how many times the line shows the behaviour (at least 1).
	Count int `json:"count,omitempty"`
}

// Context is what the model knows about the moment a response is given.
type Context struct {
	// Customer is the customer's last line (what the response answers).
	Customer string
	Channel  scenario.Channel
	// CustomerName is the customer's full name; first or last name (with or
	// without a title such as Mrs) counts as using it.
	CustomerName string
	// Mode is the customer's representational system: "see", "hear" or
	// "feel". Empty means: detect it from the words of Customer.
	Mode string
	// Turn is the 0-based index of the trainee's turn.
	Turn int
	// Elapsed is the conversation clock when the line starts (0 = unknown,
	// or the very start).
	Elapsed time.Duration
	// Agent is the trainee's first name, which {agent} in an authored line
	// stands for; empty means scenario.DefaultAgent.
	Agent string
}

// Empathy grades the three communication mechanisms of Sharma et al.
// (EMNLP 2020) 0 (none), 1 (weak) or 2 (strong), plus a 0–100 score for the
// response as a whole.
type Empathy struct {
	EmotionalReaction int `json:"emotional_reaction"`
	Interpretation    int `json:"interpretation"`
	Exploration       int `json:"exploration"`
	Score             int `json:"score"`
}

// Analysis is what the model read in one response.
type Analysis struct {
	// Behaviors holds one entry per behaviour shown, the strongest
	// instance, in catalogue order (positives first).
	Behaviors []Behavior `json:"behaviors"`
	Empathy   Empathy    `json:"empathy"`
}

// Has reports whether the analysis shows a behaviour, and its strength.
func (a Analysis) Has(id BehaviorID) (Behavior, bool) {
	for _, b := range a.Behaviors {
		if b.ID == id {
			return b, true
		}
	}
	return Behavior{}, false
}

// OpeningWindow is the "first 30 seconds" of the conversation: an account
// request inside it comes before the person (account_first).
const OpeningWindow = 30 * time.Second

// evidenceRunOn is how many words evidence may run on past the words a
// rule matched, to the end of their clause.
const evidenceRunOn = 8

// match is one rule matching tokens [start, end).
type match struct {
	r          *crule
	start, end int
}

// scratch holds the reusable buffers of one Analyze call.
type scratch struct {
	toks  []token
	ctoks []token // the customer's line, for their mode
	// lastCustomer and lastMode remember the mode read from the last
	// customer line: Evaluate reads every offered choice against the same one.
	lastCustomer string
	lastMode     uint8
	matches      []match
	caps         []match
	found        []found
	// qtoks, lastQCustomer and lastQ cache the kinds of question read in
	// the last customer line (answer.go).
	qtoks []token
	// lastNameCustomer and lastName cache the name read from the last
	// customer line (introducedName).
	lastNameCustomer, lastName string
	// order holds the catalogue positions of the behaviours found, for
	// sorting them.
	order []int
	// partsName and parts cache the parts of the last customer name.
	partsName string
	parts     []string
	// asked is whether the customer's line asks something direct: the
	// answer cues are read only then.
	asked bool
	// text is the response being read.
	text          string
	lastQCustomer string
	lastQ         uint8
	qValid        bool
	// needs is ruleNeeds(), and sentWords the summary of each sentence's
	// words (wordBit), while a line is read.
	needs     []ruleNeed
	sentWords []uint64
	// timed is whether the last reading depended on when the line was said
	// (isEarly): set by refine.
	timed bool
}

var scratchPool = sync.Pool{New: func() any { return &scratch{} }}

// found is the working record of one behaviour while a response is read.
type found struct {
	id         bix
	strength   int
	start, end int // token span of the evidence
	generic    bool
	stock      bool
	count      int
}

// Analyze reads one response in its context. It never fails: text the model
// cannot read shows no behaviours.
func Analyze(response string, ctx Context) Analysis {
	sc := scratchPool.Get().(*scratch)
	defer scratchPool.Put(sc)
	return sc.analyze(response, ctx)
}

// analyze is Analyze on sc's scratch space; sc.timed then says whether
// the reading took anything from when the line was said.
func (sc *scratch) analyze(response string, ctx Context) Analysis {
	sc.toks = tokenize(sc.toks[:0], response)
	sc.text = response
	sc.asked = customerAsked(sc, ctx) != 0
	fs := detect(sc, response, ctx)
	a := Analysis{Behaviors: make([]Behavior, 0, len(fs))}
	for _, f := range fs {
		// Evidence runs on to the end of its clause (a few words at most), so
		// "Thank you for" reads "Thank you for calling".
		if f.start >= f.end || f.end > len(sc.toks) {
			// A finding with no words of its own (a question left unanswered
			// by a response with no words): the whole response is the
			// evidence, and a blank response shows nothing at all.
			ev := strings.TrimSpace(response)
			if ev == "" {
				continue
			}
			a.Behaviors = append(a.Behaviors, Behavior{
				ID: bixIDs[f.id], Polarity: bixTab.polarity[f.id], Strength: f.strength,
				Evidence: ev, Offset: strings.Index(response, ev), Stock: f.stock, Count: max(1, f.count),
			})
			continue
		}
		end := f.end
		for end < len(sc.toks) && end-f.end < evidenceRunOn && sc.toks[end].clause == sc.toks[end-1].clause {
			end++
		}
		t0, t1 := sc.toks[f.start], sc.toks[end-1]
		a.Behaviors = append(a.Behaviors, Behavior{
			ID: bixIDs[f.id], Polarity: bixTab.polarity[f.id], Strength: f.strength,
			Evidence: response[t0.start:t1.end], Offset: int(t0.start),
			Stock: f.stock, Count: max(1, f.count),
		})
	}
	a.Empathy = empathyOf(a.Behaviors)
	return a
}

// detect runs every rule and detector and returns the behaviours shown, in
// catalogue order.
func detect(sc *scratch, text string, ctx Context) []found {
	toks := sc.toks
	sc.matches, sc.caps = sc.matches[:0], sc.caps[:0]
	// The summary of each sentence's words, for the rules' needs.
	sc.needs = ruleNeeds.Get()
	// Every rule is matched from here on, so what reads bixTab on the way
	// from a match (crule.id, the polarity and order of what was found)
	// reads it without asking whether it is filled.
	bixTables()
	sc.sentWords = sc.sentWords[:0]
	for i := range toks {
		for int(toks[i].sent) >= len(sc.sentWords) {
			sc.sentWords = append(sc.sentWords, 0)
		}
		sc.sentWords[toks[i].sent] |= wordBit(toks[i].id)
	}
	for i := range toks {
		w := &wordTab[toks[i].id]
		if w.flags&wStarts == 0 {
			continue
		}
		for _, r := range ruleRefs[w.anyOff : w.anyOff+uint32(w.anyN)] {
			sc.try(r, i)
		}
		if w.flags&wPairs != 0 && i+1 < len(toks) && toks[i+1].sent == toks[i].sent && toks[i+1].id != 0 {
			if pe := pairGet(toks[i].id, toks[i+1].id); pe != nil {
				for _, r := range ruleRefs[pe.anyOff : pe.anyOff+uint32(pe.anyN)] {
					sc.try(r, i)
				}
				if i+2 < len(toks) && toks[i+2].id != 0 && toks[i+2].sent == toks[i].sent {
					for _, r := range pe.thirdRules(toks[i+2].id) {
						sc.try(r, i)
					}
				}
			}
		}
	}
	bs := sc.found[:0]
	// A behaviour shown by a specific phrase beats the same behaviour shown
	// by a stock phrase, whatever their strengths.
	add := func(f found) {
		for k := range bs {
			if bs[k].id == f.id {
				if bs[k].stock && !f.stock || bs[k].stock == f.stock && f.strength > bs[k].strength {
					bs[k] = f
				}
				return
			}
		}
		bs = append(bs, f)
	}
	// Strongest uncapped match per behaviour.
	for _, m := range sc.matches {
		s := m.r.str()
		for _, c := range sc.caps {
			if c.r.id() != m.r.id() {
				continue
			}
			if overlaps(c, m) || (c.r.sentence() && toks[c.start].sent == toks[m.start].sent) {
				s = min(s, c.r.str())
			}
		}
		if s <= 0 {
			continue
		}
		f := found{id: m.r.id(), strength: s, start: m.start, end: m.end}
		if stockable(f.id) && inStock(sc.matches, m) {
			f.stock, f.strength = true, 1
		}
		add(f)
	}
	bs = refine(bs, sc, text, ctx)
	// Catalogue order (an insertion sort: the list is short, and stable).
	keys := sc.order[:0]
	for _, f := range bs {
		keys = append(keys, bixTab.order[f.id])
	}
	for i := 1; i < len(bs); i++ {
		for j := i; j > 0 && keys[j] < keys[j-1]; j-- {
			bs[j], bs[j-1] = bs[j-1], bs[j]
			keys[j], keys[j-1] = keys[j-1], keys[j]
		}
	}
	sc.order = keys
	sc.found = bs
	return bs
}

func overlaps(a, b match) bool { return a.start < b.end && b.start < a.end }

// try records r if it matches at token i and is not negated.
func (sc *scratch) try(n uint16, i int) {
	r := &ruleTab[n]
	if r.flags&fCue != 0 && !sc.asked {
		return
	}
	if need, words := sc.needs[n], sc.sentWords[sc.toks[i].sent]; words&need.a == 0 || words&need.b == 0 {
		return
	}
	end, ok := r.matchAt(sc.toks, i)
	if !ok {
		return
	}
	if r.flags&(fCap|fNoNeg) == 0 && negated(sc.toks, i) {
		return
	}
	if r.flags&fCap != 0 {
		sc.caps = append(sc.caps, match{r, i, end})
	} else {
		sc.matches = append(sc.matches, match{r, i, end})
	}
}

// negated reports whether the words just before token i negate it: "not"
// or "never" within two words in the same clause, "no" right before, or a
// "not able to" / "not going to" / "unable to" within five words ("I won't
// be able to call you back").
func negated(toks []token, i int) bool {
	for j := i - 1; j >= 0 && j >= i-5; j-- {
		if toks[j].clause != toks[i].clause {
			return false
		}
		switch wordKind(toks[j].id) {
		case kindStop:
			return false
		case kindNegator:
			if j >= i-2 {
				return true
			}
			if j+1 < i && wordKind(toks[j+1].id) == kindAble {
				return true
			}
		case kindNo:
			if j == i-1 {
				return true
			}
		case kindUnable:
			return true
		}
	}
	return false
}

// Word kinds that negation and clause starts depend on, by vocabulary
// number, so the hot loops compare numbers rather than strings.
const (
	kindNone uint8 = iota
	kindNegator
	kindNo
	kindStop // "if", "when", "and": a new idea the negation does not reach
	kindUnable
	kindAble // "able", "going", "be": "not able to", "not going to"
)

// refine applies the rules that need more than one pattern: context
// (account_first, hold_first, names, mode), near-misses that take a positive
// back ("I understand, but that's policy"), and strengths that depend on the
// rest of the reply.
func refine(bs []found, sc *scratch, text string, ctx Context) []found {
	toks := sc.toks
	get := func(id bix) int {
		for k := range bs {
			if bs[k].id == id {
				return k
			}
		}
		return -1
	}
	drop := func(id bix) {
		if k := get(id); k >= 0 {
			bs = append(bs[:k], bs[k+1:]...)
		}
	}
	has := func(id bix) bool { return get(id) >= 0 }
	sentOf := func(f found) int32 { return toks[f.start].sent }

	// Custom detectors.
	if f, ok := ownName(toks, text); ok {
		bs = append(bs, f)
	}
	name := ctx.CustomerName
	if name == "" && ctx.Customer != "" {
		// Read once per customer line: Evaluate reads every offered
		// choice against the same one.
		if ctx.Customer != sc.lastNameCustomer {
			sc.lastNameCustomer, sc.lastName = ctx.Customer, introducedName(ctx.Customer)
		}
		name = sc.lastName
	}
	if name != sc.partsName {
		// Split once per name: Evaluate reads every line of a
		// conversation for the same customer.
		sc.partsName, sc.parts = name, nameParts(sc.parts[:0], name)
	}
	if f, ok := customerName(toks, text, sc.parts); ok {
		bs = append(bs, f)
	}
	if f, ok := modeMatch(sc, ctx); ok {
		bs = append(bs, f)
	}
	if f, ok := acronyms(toks, text); ok {
		if k := get(bJargon); k >= 0 {
			bs[k].strength = 2
		} else {
			bs = append(bs, f)
		}
	}

	// A generic question is exploration only when nothing else explains it
	// (an offer, a check, a request for details, a hold, a rhetorical jab).
	if k := get(bQuestion); k >= 0 {
		q := bs[k]
		drop(bQuestion)
		explained := false
		for _, f := range bs {
			switch f.id {
			case bOfferHelp, bCheckUnderstand, bClosing, bAlternatives, bAccountReq, bHoldReq, bSarcasm,
				bBlame, bDefensive, bEscalationOffer, bFollowUp, bGreeting, bInvalidate, bExploration,
				bInterpretation, bPassTheBuck, bExtraMile:
				if sentOf(f) == sentOf(q) {
					explained = true
				}
			}
		}
		if !explained && !has(bExploration) && aboutThem(toks, q) {
			bs = append(bs, found{id: bExploration, strength: 1, start: q.start, end: q.end, generic: true})
		}
	}
	// Any question about identification details is a request, not exploration.
	if k := get(bAccountReq); k >= 0 {
		if e := get(bExploration); e >= 0 && sentOf(bs[e]) == sentOf(bs[k]) {
			drop(bExploration)
		}
	}

	// account_first / hold_first: early, and before any acknowledgement of
	// the person in this reply.
	early := isEarly(ctx)
	// These requests and "thank you for calling" (below) are all a reading
	// takes from when the line is said (see AnalyzeTimeless).
	sc.timed = has(bAccountReq) || has(bHoldReq) || has(bThanksClose)
	firstAck := len(toks)
	warmBefore := len(toks)
	for _, f := range bs {
		switch {
		case (f.id == bEmotionalReaction || f.id == bApology) && f.strength < 2:
			// A stock phrase ("sorry to hear that", "sorry for your
			// loss") straight before the account request is politeness,
			// not acknowledging the person: it softens the request like a
			// greeting does, and does not cancel it.
			warmBefore = min(warmBefore, f.start)
			continue
		}
		switch f.id {
		case bAcknowledge, bEmotionalReaction, bApology, bInterpretation, bExploration, bCheckUnderstand, bOwnership:
			firstAck = min(firstAck, f.start)
		case bGreeting, bThanks, bOwnName, bOfferHelp, bCustomerName:
			warmBefore = min(warmBefore, f.start)
		}
	}
	for _, req := range []struct{ from, to bix }{{bAccountReq, bAccountFirst}, {bHoldReq, bHoldFirst}} {
		k := get(req.from)
		if k < 0 {
			continue
		}
		f := bs[k]
		drop(req.from)
		if !early || firstAck < f.start {
			continue
		}
		f.id = req.to
		if req.to == bAccountFirst {
			f.strength = 2
			if warmBefore < f.start {
				f.strength = 1
			}
		} else if warmBefore < f.start && f.strength == 2 && toks[f.start].word() == "bear" {
			f.strength = 1
		}
		bs = append(bs, f)
	}

	// "I understand, but that's policy": a positive followed in the same
	// sentence (or by a sentence starting "But") by a "but" clause that
	// holds a negative is taken back. The acknowledgement is withdrawn; an
	// apology, emotional reaction or interpretation is weakened.
	for _, id := range []bix{bAcknowledge, bApology, bEmotionalReaction, bInterpretation} {
		k := get(id)
		if k < 0 {
			continue
		}
		if takenBack(bs[k], bs, toks) {
			if id == bAcknowledge {
				drop(id)
			} else {
				bs[k].strength = 1
			}
		}
	}

	// "Thank you for calling" closes a conversation, but opens one too.
	if k := get(bThanksClose); k >= 0 {
		f := bs[k]
		drop(bThanksClose)
		if !early && !has(bClosing) {
			f.id = bClosing
			bs = append(bs, f)
		}
	}

	// A concrete time is a clear expectation when its sentence says what
	// will happen (a future or a booking), and is not a restatement of the
	// past or a question about it.
	var whenSents uint64 // bit s: sentence s names a concrete time
	for _, m := range sc.matches {
		if m.r.id() == bWhen && toks[m.start].sent < 64 {
			whenSents |= 1 << toks[m.start].sent
		}
	}
	if k := get(bWhen); k >= 0 {
		drop(bWhen)
	}
	if !has(bExpectation) {
		for _, m := range sc.matches {
			if m.r.id() != bWhen {
				continue
			}
			s := toks[m.start].sent
			if !futureSentence(toks, s) {
				continue
			}
			restated := false
			for _, f := range bs {
				// A restatement or question about the past, or a time that
				// belongs to what the customer is told to do ("ring back
				// tomorrow"), is not a promise about what will happen.
				if (f.id == bInterpretation || f.id == bCheckUnderstand || f.id == bPassTheBuck) && sentOf(f) == s {
					restated = true
				}
			}
			if !restated {
				bs = append(bs, found{id: bExpectation, strength: 2, start: m.start, end: m.end})
				break
			}
		}
	}

	// Sarcasm turns the positive words around it into their opposite.
	if k := get(bSarcasm); k >= 0 {
		if p := get(bPositiveLanguage); p >= 0 && sentOf(bs[p]) == sentOf(bs[k]) {
			drop(bPositiveLanguage)
		}
	}

	// A check of understanding wrapped round five or more words of content
	// ("So the heating cuts out after an hour, have I understood that?")
	// is a restatement too.
	if k := get(bCheckUnderstand); k >= 0 && !has(bInterpretation) {
		f := bs[k]
		s := sentOf(f)
		lo, hi := f.start, f.end
		for lo > 0 && toks[lo-1].sent == s {
			lo--
		}
		for hi < len(toks) && toks[hi].sent == s {
			hi++
		}
		before, after := f.start-lo, hi-f.end
		switch {
		case before >= 5:
			bs = append(bs, found{id: bInterpretation, strength: 1, start: lo, end: f.start})
		case after >= 5:
			bs = append(bs, found{id: bInterpretation, strength: 1, start: f.end, end: hi})
		}
	}

	// A restatement asked as a question ("So if I've understood you, the
	// refund went through?") checks understanding too.
	if k := get(bInterpretation); k >= 0 && !has(bCheckUnderstand) && isQuestion(toks, bs[k].start) {
		bs = append(bs, found{id: bCheckUnderstand, strength: 1, start: bs[k].start, end: bs[k].end})
	}

	// Strengths that depend on the rest of the reply.
	if k := get(bInterpretation); k >= 0 {
		f := &bs[k]
		if f.strength == 1 && restOfSentence(toks, f.end) >= 5 {
			f.strength = 2
		}
	}
	if k := get(bApology); k >= 0 && bs[k].strength == 1 {
		// "I'm sorry, that's a promise we broke": content in the same
		// sentence makes a bare "sorry" a real apology.
		if o := get(bOwnership); o >= 0 && bs[o].strength == 2 && sentOf(bs[o]) == sentOf(bs[k]) && !capped(sc, bApology, bs[k]) {
			bs[k].strength = 2
		}
	}
	if k := get(bCheckUnderstand); k >= 0 {
		bs[k].strength = 1
		if has(bInterpretation) {
			bs[k].strength = 2
		}
	}
	for _, id := range []bix{bExpectation, bFollowUp} {
		if k := get(id); k >= 0 && bs[k].strength == 1 && sentOf(bs[k]) < 64 && whenSents&(1<<sentOf(bs[k])) != 0 {
			bs[k].strength = 2
		}
	}
	for _, id := range []bix{bPositiveLanguage, bClosing, bJargon} {
		if k := get(id); k >= 0 && bs[k].strength == 1 && sc.count(id, toks) >= 2 {
			bs[k].strength = 2
		}
	}
	// "I can't refund it, but I can send a replacement": the refusal is
	// softened, and what follows the "but" is an alternative.
	if k := get(bNegativeLanguage); k >= 0 && bs[k].strength == 2 {
		if at := softened(toks, bs[k].end); at >= 0 {
			bs[k].strength = 1
			if !has(bAlternatives) {
				bs = append(bs, found{id: bAlternatives, strength: 1, start: at, end: min(at+3, len(toks))})
			}
		}
	}
	// A condolence is sympathy, not an apology: "I'm so sorry about what
	// happened to your mum" is explained as warmth, not as owning a fault.
	if k := get(bApology); k >= 0 && condolence(toks, sentOf(bs[k]), ctx.Customer) {
		f := bs[k]
		drop(bApology)
		if e := get(bEmotionalReaction); e < 0 {
			f.id, f.strength = bEmotionalReaction, 2
			bs = append(bs, f)
		}
	}
	for _, id := range []bix{bYesNo, bDone, bBecause, bPlace} {
		drop(id)
	}
	if k := get(bStockPhrase); k >= 0 {
		bs[k].count = sc.count(bStockPhrase, toks)
		if bs[k].count >= 2 {
			bs[k].strength = 2
		}
	}
	if !has(bInterpretation) {
		if f, ok := echoed(toks, sc, ctx); ok {
			bs = append(bs, f)
		}
	}
	return answerOf(bs, sc, ctx)
}

// echoed finds the restatement-then-reaction form: the customer's facts
// said back as a phrase, then a reaction to them ("Four calls and still
// nothing done — I'd be furious as well"; "14 weeks with no word, when you
// need it to get about — that's far too long"; "Cold after a 70-minute
// wait, I wouldn't want to eat it either"). The phrase must take up a word
// of the customer's.
func echoed(toks []token, sc *scratch, ctx Context) (found, bool) {
	if ctx.Customer == "" {
		return found{}, false
	}
	// Only the first two sentences: a restatement opens the reply.
	for i := 0; i < len(toks) && toks[i].sent < 2; {
		s := toks[i].sent
		j := i
		for j < len(toks) && toks[j].sent == s {
			j++
		}
		k := i
		if toks[k].word() == "okay" || toks[k].word() == "oh" || toks[k].word() == "right" || toks[k].word() == "so" {
			k++
		}
		start := k
		switch toks[min(k, j-1)].word() {
		case "i", "we", "it", "that", "this", "thank", "thanks", "hi", "hello", "sorry", "please", "yes", "no", "there":
			i = j
			continue
		}
		for ; k < j-2; k++ {
			if toks[k].after != ',' && toks[k].after != '-' {
				continue
			}
			next := toks[k+1].word()
			nn := toks[k+2].word()
			react := (next == "that" || next == "this" || next == "it") && (nn == "is" || nn == "was" || nn == "must" || nn == "sounds") ||
				next == "i" && (nn == "would" || nn == "am" || nn == "can")
			verbless := true
			for m := start; m <= k; m++ {
				if wordIs(toks[m].id, wVerb) || toks[m].word() == "shows" || toks[m].word() == "contains" {
					verbless = false
				}
			}
			if react && verbless && k-start >= 2 {
				customerAsked(sc, ctx)
				if sharesWords(sc, ctx, start, k+1) {
					return found{id: bInterpretation, strength: 1, start: start, end: k + 1}, true
				}
			}
			break
		}
		i = j
	}
	return found{}, false
}

// aboutThem reports whether a generic question asks about the customer's
// own experience or needs: an open question (what, when, how, which…)
// about "you" with a verb of experience or need ("what do you need…",
// "when did you first notice…", "how did you find out…"), not a factual
// or checklist question ("did you take photos?", "which park is it?").
func aboutThem(toks []token, q found) bool {
	if q.start >= len(toks) {
		return false
	}
	switch toks[q.start].word() {
	case "what", "when", "how", "which", "where":
	default:
		return false
	}
	s := toks[q.start].sent
	for i := q.start + 1; i < len(toks) && toks[i].sent == s; i++ {
		switch toks[i].word() {
		case "you", "your", "yours", "yourself":
			return true
		}
	}
	return false
}

// introducedName reads the name a customer gives for themselves in their
// line: "my name's Gareth Price", "it's Sophie", "this is Dan in payroll",
// "I'm Priya". Only a capitalised word counts, so "it's broken" gives none.
func introducedName(customer string) string {
	if customer == "" {
		return ""
	}
	ws := strings.Fields(customer)
	for i := 0; i+1 < len(ws); i++ {
		w := strings.ToLower(strings.Trim(ws[i], ",.!?"))
		lead := ""
		switch {
		case w == "name's" || w == "name’s":
			lead = "x"
		case w == "is" && i > 0 && strings.EqualFold(strings.Trim(ws[i-1], ",."), "name"):
			lead = "x"
		case (w == "it's" || w == "it’s" || w == "i'm" || w == "i’m") && (i == 0 || strings.HasSuffix(ws[i-1], ",") || strings.EqualFold(ws[i-1], "hi") || strings.EqualFold(ws[i-1], "hiya") || strings.EqualFold(ws[i-1], "hello")):
			lead = "x"
		case w == "is" && i > 0 && strings.EqualFold(ws[i-1], "this"):
			lead = "x"
		}
		if lead == "" {
			continue
		}
		n := strings.Trim(ws[i+1], ",.!?")
		if n == "" || n[0] < 'A' || n[0] > 'Z' || len(n) < 2 {
			continue
		}
		if i+2 < len(ws) {
			if m := strings.Trim(ws[i+2], ",.!?"); len(m) >= 2 && m[0] >= 'A' && m[0] <= 'Z' && !strings.HasSuffix(ws[i+1], ",") {
				return n + " " + m
			}
		}
		return n
	}
	return ""
}

// condolence reports whether sentence s speaks of a death, or of a person
// (or pet) when the customer's line speaks of a death.
func condolence(toks []token, s int32, customer string) bool {
	person := false
	for i := range toks {
		if toks[i].sent != s {
			continue
		}
		switch w := toks[i].word(); {
		case deathWords.has(w):
			return true
		case wordIs(toks[i].id, wLoss) && w != "news" && w != "accident" && w != "injury" && w != "illness" && w != "diagnosis":
			person = true
		}
	}
	if !person || customer == "" {
		return false
	}
	for _, w := range plainWords(customer) {
		if deathWords.has(w) {
			return true
		}
	}
	return false
}

// deathWords speak of a death.
var deathWords = lazySet("loss passing passed died death funeral bereavement bereaved")

// capped reports whether a cap rule limited behaviour id at f's words.
func capped(sc *scratch, id bix, f found) bool {
	for _, c := range sc.caps {
		if c.r.id() == id && c.start < f.end && f.start < c.end {
			return true
		}
	}
	return false
}

// takenBack reports whether a positive is followed by "but"/"however" and
// then a negative behaviour in the same sentence, or in a next sentence that
// starts with "But".
func takenBack(f found, bs []found, toks []token) bool {
	s := toks[f.start].sent
	butAt := -1
	for j := f.end; j < len(toks); j++ {
		w := toks[j].word()
		if toks[j].sent != s {
			if toks[j].sent == s+1 && toks[j].first && (w == "but" || w == "however") {
				butAt = j
			}
			break
		}
		if w == "but" || w == "however" {
			butAt = j
			break
		}
	}
	if butAt < 0 {
		return false
	}
	for _, g := range bs {
		if bixTab.polarity[g.id] == Negative && g.start > butAt && toks[g.start].sent == toks[butAt].sent {
			return true
		}
	}
	return false
}

// restOfSentence counts the words from token i to the end of its sentence.
func restOfSentence(toks []token, i int) int {
	if i >= len(toks) || i == 0 {
		return 0
	}
	s := toks[i-1].sent
	n := 0
	for j := i; j < len(toks) && toks[j].sent == s; j++ {
		n++
	}
	return n
}

// softened reports where a refusal is followed, in the same or the next
// sentence, by what can be done ("I can't refund it, but I can replace
// it"): the index of the word that turns it round, or -1.
func softened(toks []token, end int) int {
	if end >= len(toks) {
		return -1
	}
	s := toks[end-1].sent
	for j := end; j < len(toks) && toks[j].sent <= s+1; j++ {
		w := toks[j].word()
		if w == "instead" {
			return j
		}
		if (w == "but" || w == "what" || w == "though") && j+2 < len(toks) {
			a, b := toks[j+1].word(), toks[j+2].word()
			if (a == "i" || a == "we") && (b == "can" || b == "will" || b == "could") {
				return j
			}
			if w == "but" && a == "what" {
				return j
			}
		}
	}
	return -1
}

// futureSentence reports whether sentence s talks about what will happen:
// "will", "going to", "due", "expect", a scheduled present ("arrives",
// "comes") or a booking, and not "should have" or "will not".
func futureSentence(toks []token, s int32) bool {
	for j := range toks {
		if toks[j].sent != s {
			continue
		}
		next := ""
		if j+1 < len(toks) && toks[j+1].sent == s {
			next = toks[j+1].word()
		}
		switch toks[j].word() {
		case "will", "shall", "should":
			if next != "not" && next != "have" {
				return true
			}
		case "going":
			if next == "to" {
				return true
			}
		case "due", "expect", "arrive", "arrives", "comes", "goes", "lands", "reaches", "booked", "follow", "follows", "ships", "leaves", "moved",
			"estimated", "expected", "confirmed",
			"scheduled", "arranged", "starts", "moves", "switches", "renews", "takes", "take":
			return true
		case "tomorrow", "tonight", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday":
			if toks[j].first {
				return true
			}
		}
	}
	return false
}

// count returns how many separate matches a behaviour has.
func (sc *scratch) count(id bix, toks []token) int {
	n, last := 0, -1
	for _, m := range sc.matches {
		if m.r.id() == id && m.start >= last {
			capped := false
			for _, c := range sc.caps {
				if c.r.id() == id && c.r.str() == 0 && (overlaps(c, m) || (c.r.sentence() && toks[c.start].sent == toks[m.start].sent)) {
					capped = true
				}
			}
			if !capped {
				n++
				last = m.end
			}
		}
	}
	if id == bJargon {
		n += acronymCount(toks)
	}
	return n
}

// titleWords are the honorifics before a name.
var titleWords = [...]string{"mr", "mrs", "ms", "miss", "dr", "mx", "professor", "prof", "rev"}

// nameAfter are the words ownName compares the token after a name with, by
// number ("Sam here", "Sam speaking"), looked up on first use.
var nameAfter = lazy.Value[[2]uint16]{New: func() [2]uint16 { return [2]uint16{knownID("here"), knownID("speaking")} }}

// orgNameWords are the words of an organisation's name ("Acme Bank",
// "Support Team"), which a capitalised word before them is not a person's.
const orgNameWords = `bank team support services service department desk centre center
		company ltd inc plc customer care billing help helpdesk accounts group energy telecom broadband
		mobile insurance airlines airways rail water gas council store shop hotel clinic surgery pharmacy
		solutions direct online uk limited line office branch society building trust foundation homes
		motors travel holidays electric power networks health medical dental studio salon restaurant cafe
		garage estates lettings housing university college school library airport station retail express
		delivery logistics parcel post royal`

// isNameTok reports whether token i looks like a person's name: capitalised,
// not a known word, not the first word of its sentence, not shouted.
func isNameTok(toks []token, i int) bool {
	t := toks[i]
	return t.word() == "" && t.upper && !t.first && !t.allCaps
}

// ownName finds the trainee introducing themselves.
// nameFrame is a phrase that introduces a name: "my name is", "this is".
type nameFrame struct {
	// first is ids[0], kept in place: most words that can start a frame
	// ("i", "it", "you") start none here, and this is checked for each.
	first    uint16
	ids      []uint16
	anyCase  bool // "my name is sam" counts even in lower case
	strength int
}

// nameFrameWords are the phrases that introduce a name.
var nameFrameWords = []struct {
	words   string
	anyCase bool
}{
	{"my name is", true}, {"this is", false}, {"i am", false}, {"it is", false},
	{"you are speaking to", false}, {"you are speaking with", false},
	{"you are talking to", false}, {"you are talking with", false}, {"you have got", false},
	{"you are through to", false}, {"you are chatting with", false}, {"call me", false},
}

var nameFrames = lazy.Value[[]nameFrame]{New: func() []nameFrame {
	var out []nameFrame
	for _, f := range nameFrameWords {
		fr := nameFrame{anyCase: f.anyCase, strength: 2}
		for _, w := range strings.Fields(f.words) {
			fr.ids = append(fr.ids, vocabID(w))
		}
		fr.first = fr.ids[0]
		out = append(out, fr)
	}
	return out
}}

func ownName(toks []token, text string) (found, bool) {
	frames := nameFrames.Get()
	for i := range toks {
		if !wordIs(toks[i].id, wNameFrame) {
			continue
		}
		for k := range frames {
			fr := &frames[k]
			if fr.first != toks[i].id {
				continue
			}
			n := len(fr.ids)
			if i+n >= len(toks) {
				continue
			}
			ok := true
			for k := 1; k < n; k++ {
				if toks[i+k].id != fr.ids[k] || toks[i+k].sent != toks[i].sent {
					ok = false
					break
				}
			}
			if !ok {
				continue
			}
			j := i + n
			if toks[j].sent != toks[i].sent {
				continue
			}
			if fr.anyCase {
				if toks[j].word() != "" && !toks[j].upper {
					continue
				}
			} else if !isNameTok(toks, j) {
				continue
			}
			// The name run: consecutive unknown capitalised words.
			e := j + 1
			for e < len(toks) && toks[e].sent == toks[j].sent && toks[e-1].after == 0 && isNameTok(toks, e) {
				e++
			}
			if e < len(toks) && toks[e].sent == toks[j].sent && toks[e-1].after == 0 && wordIs(toks[e].id, wOrg) {
				continue // "this is Harbour Bank": a department, not a person
			}
			if e < len(toks) && toks[e].sent == toks[j].sent && toks[e-1].after == 0 {
				switch toks[e].word() {
				case "from", "at", "with", "here", "speaking", "and", "on", "in", "i", "your", "the", "today", "how", "what", "who":
				default:
					if !toks[e].upper || toks[e].word() != "" {
						continue
					}
				}
			}
			return found{id: bOwnName, strength: fr.strength, start: i, end: e}, true
		}
	}
	// "Sam here." / "Sam speaking, how can I help?"
	for i := 0; i+1 < len(toks); i++ {
		t := &toks[i]
		if t.id == 0 && t.upper && !t.allCaps && t.after == 0 && (toks[i+1].id == nameAfter.Get()[0] || toks[i+1].id == nameAfter.Get()[1]) &&
			clauseFirst(toks, i) && clauseEnd(toks, i+2) {
			return found{id: bOwnName, strength: 1, start: i, end: i + 2}, true
		}
	}
	return found{}, false
}

// nameParts appends to dst the parts of a customer's name that count as
// using it: at most four words of two letters or more, titles left out.
func nameParts(dst []string, name string) []string {
	for rest := name; rest != ""; {
		var p string
		p, rest, _ = strings.Cut(strings.TrimLeft(rest, " "), " ")
		p = strings.Trim(p, ",.")
		if len(p) >= 2 && !isTitle(p) && len(dst) < 4 {
			dst = append(dst, p)
		}
	}
	return dst
}

// customerName finds the customer's name, given its parts (nameParts).
// With a known name, its first or last name (and a title before it)
// counts; without one, only a title and a capitalised name used to address
// someone ("Thank you, Mrs Okafor.").
func customerName(toks []token, text string, parts []string) (found, bool) {
	var bestF found
	okAny := false
	for i := range toks {
		if !toks[i].upper {
			continue // names are capitalised; "grace" in running text is not one
		}
		w := text[toks[i].start:toks[i].end]
		w = strings.TrimSuffix(strings.TrimSuffix(w, "'s"), "’s")
		matched := false
		if len(parts) > 0 {
			for _, p := range parts {
				if len(w) == len(p) && strings.EqualFold(w, p) {
					matched = true
				}
			}
			// "Grace" as a known word still counts, but not a lower-case
			// "grace" in running text.
			if matched && !toks[i].upper {
				matched = false
			}
		} else if i > 0 && wordIs(toks[i-1].id, wTitle) && toks[i-1].word() != "dr" && toks[i-1].after <= '.' && isNameTok(toks, i) {
			matched = true
		}
		if !matched {
			continue
		}
		if i >= 2 && toks[i-2].word() == "name" && toks[i-1].word() == "is" {
			continue // their own introduction
		}
		start := i
		if i > 0 && wordIs(toks[i-1].id, wTitle) && toks[i-1].sent == toks[i].sent {
			start = i - 1
		}
		end := i + 1
		for end < len(toks) && toks[end-1].after == 0 && toks[end].sent == toks[i].sent && len(parts) > 1 && toks[end].upper && containsFold(parts, text[toks[end].start:toks[end].end]) {
			end++
		}
		vocative := clauseFirst(toks, start) || clauseEnd(toks, end)
		if len(parts) == 0 && !vocative {
			continue
		}
		s := 1
		if vocative {
			s = 2
		}
		if !okAny || s > bestF.strength {
			bestF, okAny = found{id: bCustomerName, strength: s, start: start, end: end}, true
		}
	}
	return bestF, okAny
}

func isTitle(w string) bool {
	for _, t := range titleWords {
		if strings.EqualFold(w, t) {
			return true
		}
	}
	return false
}

func containsFold(parts []string, w string) bool {
	for _, p := range parts {
		if strings.EqualFold(p, w) {
			return true
		}
	}
	return false
}

// Representational systems (001): the words people who think in pictures,
// sounds or feelings reach for.
var modeWords = lazy.Value[map[string]*wordSet]{New: func() map[string]*wordSet {
	return map[string]*wordSet{
		"see": lazySet(`see sees seeing seen saw look looks looking looked picture pictures clear clearly
			show shows showing shown view viewed focus appear appears appeared bright vision watch
			glance spot spotted eye eyes outlook perspective visible visualise imagine illustrate
			light dim hazy foggy sight vivid glimpse reveal observe`),
		"hear": lazySet(`hear hears hearing heard sound sounds sounding sounded listen listens listening
			listened tell tells telling told say says saying said talk talks talking talked ring rings
			loud quiet tone voice discuss discussed mention mentioned speak speaking spoke call
			noise silent silence announce echo click clicks rings harmony`),
		"feel": lazySet(`feel feels feeling felt handle handling handled grasp grip touch touched
			weight heavy comfortable uncomfortable firm solid smooth rough pressure hard tough warm
			cold tense relaxed settle settled grips struggle struggling stuck pain sore weigh weighs
			weighing burden grasping shaky steady comfort comforting`),
	}
}}

func setOf(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// wordSet is a set of words, made from its list the first time it is
// asked: building the reader's sets was most of what the program did
// before its first frame, and most runs read no line.
type wordSet struct {
	once sync.Once
	list string
	set  map[string]bool
}

// lazySet is the set of the space-separated words in list.
func lazySet(list string) *wordSet { return &wordSet{list: list} }

// words is the set itself.
func (s *wordSet) words() map[string]bool {
	s.once.Do(func() { s.set = setOf(s.list) })
	return s.set
}

// has reports whether w is in the set.
func (s *wordSet) has(w string) bool { return s.words()[w] }

// modes lists the representational systems in a fixed order; modeBit is a
// mode's bit in modeMask.
var modes = [3]string{"see", "hear", "feel"}

func modeBit(mode string) uint8 {
	for k, m := range modes {
		if m == mode {
			return 1 << k
		}
	}
	return 0
}

// modeVocab is every mode word, added to the vocabulary.
func modeVocab() []string {
	var out []string
	for _, m := range modes {
		for w := range modeWords.Get()[m].words() {
			out = append(out, w)
		}
	}
	sort.Strings(out)
	return out
}

// modeOf returns the customer's mode bit: the scenario's, or the mode most
// of their predicate words belong to (none on a tie).
func modeOf(sc *scratch, ctx Context) uint8 {
	if ctx.Mode != "" {
		return modeBit(ctx.Mode)
	}
	if ctx.Customer == "" {
		return 0
	}
	if ctx.Customer == sc.lastCustomer {
		return sc.lastMode
	}
	// customerAsked has read the line into qtoks for every reading with a
	// customer line, before the mode is asked for.
	toks := sc.qtoks
	if !sc.qValid || ctx.Customer != sc.lastQCustomer {
		sc.ctoks = tokenize(sc.ctoks[:0], ctx.Customer)
		toks = sc.ctoks
	}
	var counts [3]int
	for _, t := range toks {
		m := modeMask(t.id)
		for k := range counts {
			if m&(1<<k) != 0 {
				counts[k]++
			}
		}
	}
	best, n, tie := uint8(0), 0, false
	for k, c := range counts {
		switch {
		case c > n:
			best, n, tie = 1<<k, c, false
		case c == n && n > 0:
			tie = true
		}
	}
	// A customer "clearly speaks" in a mode only with two or more of its
	// words: one "call" or "feel" in passing is not a way of speaking.
	if tie || n < 2 {
		best = 0
	}
	sc.lastCustomer, sc.lastMode = ctx.Customer, best
	return best
}

// modeMatch finds predicate words of the customer's mode in the response.
func modeMatch(sc *scratch, ctx Context) (found, bool) {
	bit := modeOf(sc, ctx)
	if bit == 0 {
		return found{}, false
	}
	toks := sc.toks
	first, n := -1, 0
	for i := range toks {
		if modeMask(toks[i].id)&bit == 0 {
			continue
		}
		// "feel free" is a formula, not a feeling; "I see" as a bare
		// acknowledgement is still a visual word and counts.
		if toks[i].word() == "feel" && i+1 < len(toks) && toks[i+1].word() == "free" {
			continue
		}
		if first < 0 {
			first = i
		}
		n++
	}
	if first < 0 {
		return found{}, false
	}
	s := 1
	if n >= 2 {
		s = 2
	}
	return found{id: bModeMatch, strength: s, start: first, end: first + 1}, true
}

// acronyms finds capitalised abbreviations the customer may not know
// ("AER", "KYC"), skipping well-known ones and shouted words.
func acronyms(toks []token, text string) (found, bool) {
	// One pass: most lines have no word in capitals at all.
	caps, first := 0, -1
	for i := range toks {
		if !toks[i].allCaps {
			continue
		}
		caps++
		if first < 0 && isAcronym(&toks[i], text) {
			first = i
		}
	}
	// When most words are in capitals (four words or more), capitals are
	// shouting, not acronyms.
	if first < 0 || len(toks) >= 4 && caps*2 > len(toks) {
		return found{}, false
	}
	return found{id: bJargon, strength: 1, start: first, end: first + 1}, true
}

func acronymCount(toks []token) int {
	n := 0
	for i := range toks {
		if toks[i].allCaps && toks[i].word() == "" && toks[i].end-toks[i].start <= 6 {
			n++
		}
	}
	return n
}

func isAcronym(t *token, text string) bool {
	if !t.allCaps || t.word() != "" {
		return false
	}
	w := text[t.start:t.end]
	// A code with digits in it ("BS5", "K7QZ2M") is a postcode or a
	// reference, not jargon.
	if strings.ContainsAny(w, "0123456789") {
		return false
	}
	n := utf8.RuneCountInString(w)
	return n >= 2 && n <= 6
}
